from django.urls import path
from rest_framework_nested.routers import NestedSimpleRouter

from evaluations.api.urls import router as evaluations_router
from responses.api import views_buyer, views_respondent

nested = NestedSimpleRouter(evaluations_router, "evaluations", lookup="evaluation")
nested.register(
    "response-requests", views_buyer.ResponseRequestViewSet, basename="evaluation-response-request"
)

urlpatterns = [
    path("respondent/", views_respondent.RespondentRequestView.as_view(), name="respondent"),
    path(
        "respondent/questionnaire/",
        views_respondent.RespondentQuestionnaireView.as_view(),
        name="respondent-questionnaire",
    ),
    path(
        "respondent/answers/",
        views_respondent.RespondentAnswersView.as_view(),
        name="respondent-answers",
    ),
    path(
        "respondent/clarifications/",
        views_respondent.RespondentClarificationView.as_view(),
        name="respondent-clarifications",
    ),
    path(
        "respondent/documents/",
        views_respondent.RespondentDocumentsView.as_view(),
        name="respondent-documents",
    ),
    path(
        "respondent/submit/",
        views_respondent.RespondentSubmitView.as_view(),
        name="respondent-submit",
    ),
    *nested.urls,
]
