"""The provider's findings page, opened from a finding's email (docs/contracts.md)."""

from django.urls import path

from contracts import respondent_pages

urlpatterns = [
    path("respond/<str:token>/findings/", respondent_pages.findings_page, name="respond-findings"),
    path(
        "respond/<str:token>/findings/reply/",
        respondent_pages.reply,
        name="respond-findings-reply",
    ),
]
