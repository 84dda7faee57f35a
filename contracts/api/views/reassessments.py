"""A contract's reassessment rounds: listed, opened now, compared with the previous."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin, TenantCreateListRetrieveViewSet
from config.exceptions import PROBLEM_CONTENT_TYPE, Conflict
from config.filters import refuse_unknown_parameters
from config.idempotency import IdempotentCreateMixin
from config.schema import ProblemSerializer
from contracts import reassessment_reads, reassessments, selectors
from contracts.api.serializers.reassessments import (
    ReassessmentComparisonSerializer,
    ReassessmentRoundSerializer,
)
from contracts.api.views.contracts import CONTRACT_PK
from contracts.models import Contract, ReassessmentRound


class RoundStateQueryset:
    """Rounds with their derived status, for the nested and the flat collection."""

    def get_queryset(self):
        return selectors.with_round_state(super().get_queryset())


@extend_schema(parameters=[CONTRACT_PK])
@extend_schema_view(
    list=extend_schema(
        summary="List a contract's reassessment rounds, newest first",
        description="Each round is an evaluation of the contract's provider, compared "
        "with the round before (the award's evaluation for the first).",
    ),
    retrieve=extend_schema(summary="Get a reassessment round"),
    create=extend_schema(
        summary="Open a reassessment round now (admins)",
        description="A new evaluation of the provider with the current published versions "
        "of the previous round's questionnaires and its settings, the response request "
        "sent (docs/contracts.md). No body. A 409 for a contract not made from an award "
        "before its first round, or when a round was opened today already.",
        request=None,
        responses={201: ReassessmentRoundSerializer},
    ),
)
class ReassessmentRoundViewSet(
    RoundStateQueryset,
    IdempotentCreateMixin,
    NestedTenantViewSetMixin,
    TenantCreateListRetrieveViewSet,
):
    """Reassessment rounds of a contract: opened by its schedule (beat) or by hand."""

    queryset = ReassessmentRound.objects.all()
    serializer_class = ReassessmentRoundSerializer
    operation_id_prefix = "contract_reassessments"
    write_roles = {Role.ADMIN}
    parent_model = Contract
    parent_kwarg = "contract_pk"
    parent_field = "contract"
    ordering_fields = ["due_date", "opened_at", "id"]
    ordering = ["-due_date", "-id"]
    bodyless_actions = ("create",)
    extra_error_codes = (409,)

    def create(self, request, *args, **kwargs):
        opened = reassessments.open_now(self.parent, user=self.principal.user)
        body = self.get_serializer(self.get_queryset().get(pk=opened.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="A round compared with the previous one, question by question",
        description="Per lot: the total and section score deltas, each question improved, "
        "regressed, unchanged, new or removed, red flags new and cleared, knockouts newly "
        "failed and cleared, from the two rounds' latest scorecards as stored "
        '(docs/contracts.md, "Comparison"). A 409 until the round is scored.',
        responses={
            200: ReassessmentComparisonSerializer,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The round is not scored yet."
            ),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def comparison(self, request, contract_pk=None, pk=None):
        refuse_unknown_parameters(request, ())
        found = reassessment_reads.comparison_of(self.get_object())
        if found is None:
            raise Conflict(
                "This round has no scorecard of its provider yet, or nothing to "
                "compare with: score its evaluation first."
            )
        return Response(ReassessmentComparisonSerializer(found).data)
