"""Everything under /api/v1/. Each app contributes its own api/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("jobs.api.urls")),
    path("", include("questionnaires.api.urls")),
    path("", include("providers.api.urls")),
    path("", include("needs.api.urls")),
    path("", include("evaluations.api.urls")),
    path("", include("integrations.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("responses.api.urls")),
    path("", include("contracts.api.urls")),
    # Read-only flat collections of the nested resources above, for generic admin UIs.
    path("", include("config.flat_urls")),
]
