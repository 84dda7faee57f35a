"""Record conflicts of an evaluation's candidates, and resolving one."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import TenantViewSetMixin
from config.filters import refuse_unknown_parameters
from config.serializers import StrictSerializer
from evaluations.api.serializers_scorecards import RecordConflictSerializer
from evaluations.api.views_inputs import RATERS
from evaluations.models import Evaluation
from evaluations.record_conflicts import record_conflicts
from evaluations.services.record_conflicts import KEEP_ANSWER, KEEP_RECORD, resolve_conflict


class CandidateConflictSerializer(RecordConflictSerializer):
    candidate = serializers.IntegerField(help_text="Candidate id.")


class ResolveConflictSerializer(StrictSerializer):
    candidate = serializers.IntegerField(help_text="Candidate id.")
    question = serializers.CharField(max_length=40, help_text="Question code.")
    keep = serializers.ChoiceField(
        [
            (KEEP_ANSWER, "Keep the answer: write the provider record from it"),
            (KEEP_RECORD, "Keep the record: set the answer to what the record stands for"),
        ],
        help_text="`record`: the answer becomes the one the record stands for (audit source "
        "`prefill`). `answer`: the record field is written from the answer (admins; only "
        "`provider.soc_model` can be, others are a 400).",
    )


class RecordConflictViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """`evaluations/{id}/record-conflicts[/resolve]`: answers that contradict the
    candidate's provider record (docs/responses.md, "Record conflicts"), computed
    from the current answers and record, and resolving one."""

    queryset = Evaluation.objects.all()
    serializer_class = CandidateConflictSerializer
    operation_id_prefix = "evaluations"
    write_roles = RATERS
    pagination_class = None
    filter_backends = []

    @staticmethod
    def _listed(evaluation) -> list[dict]:
        ids = evaluation.candidates.values_list("pk", flat=True)
        return [
            {"candidate": candidate, **conflict}
            for candidate, conflicts in sorted(record_conflicts(ids).items())
            for conflict in conflicts
        ]

    @extend_schema(responses=CandidateConflictSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="record-conflicts")
    def record_conflicts(self, request, pk=None):
        """Every record conflict of the evaluation's candidates, by candidate and question."""
        refuse_unknown_parameters(request, ())
        return Response(
            CandidateConflictSerializer(self._listed(self.get_object()), many=True).data
        )

    @extend_schema(
        request=ResolveConflictSerializer, responses=CandidateConflictSerializer(many=True)
    )
    @action(detail=True, methods=["post"], url_path="record-conflicts/resolve")
    def resolve_record_conflict(self, request, pk=None):
        """Resolve one record conflict by updating the side not kept (the answer, or the
        provider record); answers with the evaluation's conflicts left."""
        evaluation = self.get_object()
        payload = ResolveConflictSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        # Writing the provider record takes what the providers API takes: an admin.
        if data["keep"] == KEEP_ANSWER and self.principal.role != Role.ADMIN:
            raise PermissionDenied("Only admins write the provider record; keep the record.")
        candidate = evaluation.candidates.filter(pk=data["candidate"]).first()
        if candidate is None:
            raise ValidationError({"candidate": ["Not a candidate of this evaluation."]})
        resolve_conflict(
            evaluation,
            user=self.principal.user,
            candidate=candidate,
            question_code=data["question"],
            keep=data["keep"],
        )
        return Response(CandidateConflictSerializer(self._listed(evaluation), many=True).data)
