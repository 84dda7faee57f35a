"""Nested under an evaluation: the candidates' proposals (priced offers for lots)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from config.conditional import ConditionalMixin
from evaluations.api import serializers_sourcing as ss
from evaluations.api.views_inputs import CandidateInputFilter, EvaluationChildMixin
from evaluations.models import Proposal
from evaluations.services import proposals


@extend_schema_view(
    list=extend_schema(summary="List the proposals of the evaluation's candidates"),
    retrieve=extend_schema(summary="Read one proposal"),
    create=extend_schema(summary="Add a candidate's proposal for some of its bid lots"),
    partial_update=extend_schema(summary="Change a proposal (If-Match required)"),
    destroy=extend_schema(summary="Delete a proposal"),
)
class ProposalViewSet(
    ConditionalMixin,
    EvaluationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Candidates' priced offers, each covering some of the candidate's bid lots (two or
    more: a bundle), in the evaluation's currency.

    Admins write while the evaluation is in draft or collecting (409 after); every
    member reads. Every change is audited (`proposal.created/updated/deleted`).
    Reads carry an `ETag`; `PATCH` requires `If-Match`."""

    queryset = Proposal.objects.all()
    serializer_class = ss.ProposalSerializer
    operation_id_prefix = "evaluation_proposals"
    parent_field = "candidate__evaluation"
    filterset_class = CandidateInputFilter
    ordering_fields = ["created_at", "updated_at", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ss.ProposalUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        candidate = data.pop("candidate")
        serializer.instance = proposals.create_proposal(
            self.parent, user=self.principal.user, candidate=candidate, data=data
        )

    def perform_update(self, serializer):
        serializer.instance = proposals.update_proposal(
            serializer.instance, user=self.principal.user, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        proposals.delete_proposal(instance, user=self.principal.user)
