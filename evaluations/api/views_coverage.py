"""`evaluations/{id}/coverage`: the candidates' offerings against the evaluation's needs."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.tenancy import TenantViewSetMixin
from config.filters import refuse_unknown_parameters
from evaluations.api import serializers_coverage as s
from evaluations.engine.coverage import MAX_COMBINATION_SIZE, MAX_RESULTS_LIMIT
from evaluations.models import Evaluation
from evaluations.services import coverage as coverage_service

DEFAULT_MAX_SIZE = 3
DEFAULT_MAX_RESULTS = 20

CANDIDATES_PARAMETER = OpenApiParameter(
    "candidates",
    {
        "type": "string",
        "pattern": f"^{coverage_service.CANDIDATE_IDS_PATTERN}$",
    },
    OpenApiParameter.QUERY,
    description="Comma-separated candidate ids of this evaluation (at most "
    f"{coverage_service.MAX_CANDIDATE_FILTER}); all candidates when left out.",
)


def _bounded_int(request, name: str, default: int, upper: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= upper):
        raise ValidationError({name: [f"Must be an integer between 1 and {upper}."]})
    return int(raw)


class EvaluationCoverageViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """`evaluations/{id}/coverage`: capabilities the required service models call for,
    checked against the candidates' offerings (docs/reports.md)."""

    queryset = Evaluation.objects.all()
    serializer_class = s.EvaluationCoverageSerializer
    operation_id_prefix = "evaluations"
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[CANDIDATES_PARAMETER], responses=s.EvaluationCoverageSerializer)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """Gaps, partner-only capabilities, overlaps and vCISO/MSSP hand-off risk of the
        candidates together (from their providers' offerings and latest scorecards). A
        candidate counts only in the lots it is qualified in: it bids there, is scored
        and is not disqualified; `not_counted` lists the other bids."""
        refuse_unknown_parameters(request, ("candidates",))
        evaluation = self.get_object()
        ids = coverage_service.parse_candidate_ids(request.query_params.get("candidates"))
        inputs = coverage_service.load_inputs(evaluation, ids)
        return Response(coverage_service.coverage(inputs))

    @extend_schema(
        parameters=[
            CANDIDATES_PARAMETER,
            OpenApiParameter(
                "max_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_COMBINATION_SIZE},
                OpenApiParameter.QUERY,
                description=f"Largest combination tried (default {DEFAULT_MAX_SIZE}).",
            ),
            OpenApiParameter(
                "max_results",
                {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS_LIMIT},
                OpenApiParameter.QUERY,
                description=f"How many combinations to return (default {DEFAULT_MAX_RESULTS}).",
            ),
        ],
        responses=s.CoverageCombinationsSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="coverage/combinations",
        url_name="coverage-combinations",
    )
    def coverage_combinations(self, request, pk=None):
        """The best combinations of candidates that leave no capability uncovered: fewest
        firms, then fewest partner-only capabilities, no hand-off risk, fewest overlaps.
        With lots, each combination is an award (every lot to one candidate qualified
        in it) and a lot's capabilities count from its winner only."""
        refuse_unknown_parameters(request, ("candidates", "max_size", "max_results"))
        evaluation = self.get_object()
        ids = coverage_service.parse_candidate_ids(request.query_params.get("candidates"))
        max_size = _bounded_int(request, "max_size", DEFAULT_MAX_SIZE, MAX_COMBINATION_SIZE)
        max_results = _bounded_int(request, "max_results", DEFAULT_MAX_RESULTS, MAX_RESULTS_LIMIT)
        inputs = coverage_service.load_inputs(evaluation, ids)
        body = coverage_service.combinations(inputs, max_size=max_size, max_results=max_results)
        return Response(body)
