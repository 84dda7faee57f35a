from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework_nested.routers import NestedSimpleRouter

from contracts.api.views import contracts as views
from contracts.api.views import documents as views_documents
from contracts.api.views import findings as views_findings
from contracts.api.views import performance as views_performance
from contracts.api.views import portfolio as views_portfolio
from contracts.api.views import reassessments as views_reassessments
from contracts.api.views import respondent_findings

router = SimpleRouter()
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("findings", views_findings.FindingViewSet, basename="finding")
router.register("portfolio", views_portfolio.PortfolioViewSet, basename="portfolio")

nested = NestedSimpleRouter(router, "contracts", lookup="contract")
nested.register("sla-terms", views.ContractSlaViewSet, basename="contract-sla-term")
nested.register(
    "measurements", views_performance.SlaMeasurementViewSet, basename="contract-measurement"
)
nested.register("documents", views_documents.ContractDocumentViewSet, basename="contract-document")

nested.register(
    "reassessments",
    views_reassessments.ReassessmentRoundViewSet,
    basename="contract-reassessment",
)

urlpatterns = [
    path(
        "respondent/findings/",
        respondent_findings.RespondentFindingsView.as_view(),
        name="respondent-findings",
    ),
    *router.urls,
    *nested.urls,
]
