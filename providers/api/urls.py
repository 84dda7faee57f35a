from django.urls import path
from rest_framework_nested.routers import NestedSimpleRouter, SimpleRouter

from providers.api import children, views

router = SimpleRouter()
router.register("providers", views.ProviderViewSet, basename="provider")

provider_router = NestedSimpleRouter(router, "providers", lookup="provider")
provider_router.register("capabilities", children.OfferingViewSet, basename="provider-capability")
provider_router.register("references", children.ReferenceViewSet, basename="provider-reference")
provider_router.register("slas", children.SlaTermViewSet, basename="provider-sla")
provider_router.register("documents", children.DocumentViewSet, basename="provider-document")

urlpatterns = [
    path("capabilities/", views.CapabilityListView.as_view(), name="capability-list"),
    path(
        "capabilities/<str:code>/",
        views.CapabilityDetailView.as_view(),
        name="capability-detail",
    ),
    *router.urls,
    *provider_router.urls,
]
