"""Evaluations: CRUD, status, decision, scoring requests and their scorecards."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import TenantModelViewSet
from config.conditional import ConditionalMixin
from config.exceptions import Conflict
from config.filters import (
    ID_SCHEMA,
    IdFilter,
    StrictDjangoFilterBackend,
    refuse_unknown_parameters,
)
from config.idempotency import IdempotentCreateMixin
from config.sync import SyncMixin, UpdatedSinceFilter
from evaluations.api import serializers as s
from evaluations.api.serializers_scorecards import ScorecardSerializer
from evaluations.models import AuditEvent, Evaluation, EvaluationStatus
from evaluations.record_conflicts import record_conflicts
from evaluations.selectors import (
    decision_overdue_q,
    latest_ranked,
    ratings_overdue_q,
    with_sheet_counts,
)
from evaluations.services import decisions, lifecycle, scoring
from evaluations.services.awards import evaluation_lots
from jobs.api.serializers import JobSerializer


def _overdue(queryset, condition, value: bool):
    return queryset.filter(condition) if value else queryset.exclude(condition)


class EvaluationFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter()
    ratings_overdue = django_filters.BooleanFilter(
        method="filter_ratings_overdue",
        help_text="`true`: `ratings_due` has passed while the evaluation is still draft or "
        "collecting and a sheet is missing; `false`: the others.",
    )
    decision_overdue = django_filters.BooleanFilter(
        method="filter_decision_overdue",
        help_text="`true`: `decision_due` has passed and the evaluation is not decided or "
        "cancelled; `false`: the others.",
    )

    class Meta:
        model = Evaluation
        fields = ["status", "industry", "aggregation"]

    def filter_ratings_overdue(self, queryset, name, value):
        today = timezone.localdate()
        return _overdue(with_sheet_counts(queryset), ratings_overdue_q(today), value)

    def filter_decision_overdue(self, queryset, name, value):
        return _overdue(queryset, decision_overdue_q(timezone.localdate()), value)


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(help_text="Events of this action, e.g. `answer.set`.")
    candidate = IdFilter(help_text="Events about this candidate (its id).")
    question_code = django_filters.CharFilter(help_text="Events about this question (its code).")

    class Meta:
        model = AuditEvent
        fields = ["action", "candidate", "question_code"]


class EvaluationViewSet(ConditionalMixin, IdempotentCreateMixin, SyncMixin, TenantModelViewSet):
    """Evaluations of candidate providers against a pinned questionnaire version and packs.

    Admins create and manage them; the lead (an admin) decides and overrides.
    Reads carry an `ETag`; `PATCH` requires `If-Match` (428 without, 412 when stale).
    """

    queryset = Evaluation.objects.select_related("questionnaire_version").prefetch_related(
        "pack_links"
    )
    serializer_class = s.EvaluationSerializer
    operation_id_prefix = "evaluations"
    extra_error_codes = (409,)
    idempotent_actions = ("create", "score")
    bodyless_actions = ("score",)
    filterset_class = EvaluationFilter
    search_fields = ["name"]
    ordering_fields = ["created_at", "updated_at", "name"]
    action_roles = {"audit": {Role.ADMIN}}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        lead = data.pop("lead", None) or self.principal.membership
        if lead is None:
            raise ValidationError({"lead": ["Name the lead (an admin's membership id)."]})
        serializer.instance = lifecycle.create_evaluation(
            organization=self.principal.organization, user=self.principal.user, lead=lead, data=data
        )

    def perform_update(self, serializer):
        serializer.instance = lifecycle.update_evaluation(
            serializer.instance, user=self.principal.user, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        if instance.status != EvaluationStatus.DRAFT:
            raise Conflict("Only draft evaluations can be deleted; cancel this one instead.")
        instance.delete()

    @extend_schema(request=s.StatusChangeSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        """Move the evaluation: draft -> collecting -> scoring (-> collecting), or cancel."""
        evaluation = self.get_object()
        payload = s.StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        evaluation = lifecycle.change_status(
            evaluation, user=self.principal.user, status=payload.validated_data["status"]
        )
        return Response(self.get_serializer(evaluation).data)

    @extend_schema(request=s.DecideSerializer, responses=s.EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the decision (lead only, while scoring): the award, lot by lot, and why."""
        evaluation = self.get_object()
        if self.principal.membership is None or evaluation.lead_id != self.principal.membership.pk:
            raise PermissionDenied("Only the evaluation's lead can decide.")
        payload = s.DecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "candidate" in data:
            if not evaluation.candidates.filter(pk=data["candidate"]).exists():
                raise ValidationError({"candidate": ["Not a candidate of this evaluation."]})
            award = {lot.code: data["candidate"] for lot in evaluation_lots(evaluation)}
        else:
            ids = set(evaluation.candidates.values_list("pk", flat=True))
            for index, item in enumerate(data["award"]):
                if item["candidate"] not in ids:
                    raise ValidationError(
                        {f"award[{index}].candidate": ["Not a candidate of this evaluation."]}
                    )
            award = {item["lot"]: item["candidate"] for item in data["award"]}
        evaluation = decisions.decide(
            evaluation, user=self.principal.user, award=award, rationale=data["rationale"]
        )
        return Response(self.get_serializer(evaluation).data)

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Compute scorecards in the background; poll the returned job."""
        job = scoring.request_scoring(self.get_object(), user=self.principal.user)
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(responses=ScorecardSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def scorecards(self, request, pk=None):
        """The latest scorecard of every candidate, ranked (docs/scoring.md)."""
        refuse_unknown_parameters(request, ())
        cards = [card for _, card in latest_ranked(self.get_object())]
        context = {"record_conflicts": record_conflicts({card.candidate_id for card in cards})}
        return Response(ScorecardSerializer(cards, many=True, context=context).data)

    @extend_schema(
        responses=s.AuditEventSerializer(many=True),
        # drf-spectacular documents filtersets of collection routes only.
        parameters=[
            OpenApiParameter(name, kind, description=query_filter.extra["help_text"])
            for name, query_filter in AuditEventFilter.base_filters.items()
            for kind in [ID_SCHEMA if isinstance(query_filter, IdFilter) else str]
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[StrictDjangoFilterBackend],
        filterset_class=AuditEventFilter,
    )
    def audit(self, request, pk=None):
        """Everything that moved a score: who, when, old and new value (admins)."""
        events = AuditEvent.objects.filter(evaluation=self.get_object()).order_by("-id")
        events = self.filter_queryset(events)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.AuditEventSerializer(page, many=True).data)
