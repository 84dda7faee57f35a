"""The respondent's pages (docs/responses.md); the API is in responses/api/."""

from django.urls import path

from responses import views

urlpatterns = [
    path("respond/<str:token>/", views.response_page, name="respond"),
    path("respond/<str:token>/save/", views.save_answer, name="respond-save"),
    path("respond/<str:token>/reply/", views.reply, name="respond-reply"),
    path("respond/<str:token>/upload/", views.upload, name="respond-upload"),
    path("respond/<str:token>/submit/", views.submit, name="respond-submit"),
]
