from rest_framework.routers import SimpleRouter
from rest_framework_nested.routers import NestedSimpleRouter

from evaluations.api import (
    views,
    views_conflicts,
    views_coverage,
    views_inputs,
    views_reports,
    views_scorecards,
    views_sourcing,
)

router = SimpleRouter()
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
# Before `scorecards`, whose detail route would take "flat" for an id.
router.register("scorecards/flat", views_scorecards.FlatScorecardViewSet, basename="scorecard-flat")
router.register("scorecards", views_scorecards.ScorecardViewSet, basename="scorecard")
router.register("reports", views_reports.ReportViewSet, basename="report")

nested = NestedSimpleRouter(router, "evaluations", lookup="evaluation")
nested.register("candidates", views_inputs.CandidateViewSet, basename="evaluation-candidate")
nested.register("evaluators", views_inputs.EvaluatorViewSet, basename="evaluation-evaluator")
nested.register("answers", views_inputs.AnswerViewSet, basename="evaluation-answer")
nested.register("ratings", views_inputs.RatingViewSet, basename="evaluation-rating")
nested.register("overrides", views_inputs.OverrideViewSet, basename="evaluation-override")
nested.register("proposals", views_sourcing.ProposalViewSet, basename="evaluation-proposal")
nested.register("reports", views_reports.EvaluationReportViewSet, basename="evaluation-report")


# evaluations/{pk}/coverage[/combinations] and record-conflicts[/resolve]: detail
# actions of the evaluation, from routers of their own (same basename, so the
# routes read as the evaluation's own actions).
coverage_router = SimpleRouter()
coverage_router.register(
    "evaluations", views_coverage.EvaluationCoverageViewSet, basename="evaluation"
)
conflicts_router = SimpleRouter()
conflicts_router.register(
    "evaluations", views_conflicts.RecordConflictViewSet, basename="evaluation"
)

urlpatterns = [*router.urls, *nested.urls]
urlpatterns += coverage_router.urls
urlpatterns += conflicts_router.urls
