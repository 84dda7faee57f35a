"""Nested under an evaluation: candidates, evaluators, answers, ratings, overrides."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin
from config.conditional import ConditionalMixin
from config.filters import IdFilter, refuse_unknown_parameters
from evaluations.api import serializers as s
from evaluations.api import serializers_inputs as si
from evaluations.models import (
    Answer,
    Candidate,
    Evaluation,
    EvaluatorAssignment,
    Override,
    Rating,
    RatingSheet,
)
from evaluations.selectors import evaluator_overdue_q, evaluators_with_sheets, visible_ratings
from evaluations.services import answers, bids, evaluators, lifecycle, ratings

RATERS = {Role.ADMIN, Role.EVALUATOR}


class CandidateInputFilter(django_filters.FilterSet):
    # Plain numbers: another organization's id filters to nothing, like an unknown one
    # (a model choice would refuse only the unknown one, telling the two apart).
    candidate = IdFilter(field_name="candidate_id")


class RatingFilter(CandidateInputFilter):
    evaluator = IdFilter(field_name="evaluator_id")


class EvaluatorFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="`true`: evaluators with sheets outstanding after `ratings_due`; "
        "`false`: the others.",
    )

    def filter_overdue(self, queryset, name, value):
        condition = evaluator_overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class EvaluationChildMixin(NestedTenantViewSetMixin):
    parent_model = Evaluation
    parent_kwarg = "evaluation_pk"
    parent_field = "evaluation"
    extra_error_codes = (409,)


@extend_schema_view(
    create=extend_schema(summary="Add a candidate, bidding on the lots named or its default"),
    partial_update=extend_schema(summary="Change the lots a candidate bids on (If-Match)"),
)
class CandidateViewSet(
    ConditionalMixin,
    EvaluationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Providers of your organization competing in this evaluation, each with the lots
    it bids on. Reads carry an `ETag`; `PATCH` (its `lots` only) requires `If-Match`."""

    queryset = Candidate.objects.select_related("provider")
    serializer_class = s.CandidateSerializer
    operation_id_prefix = "evaluation_candidates"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.CandidateUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = lifecycle.add_candidate(
            self.parent,
            user=self.principal.user,
            provider=data["provider"],
            lots=data.get("lots"),
        )

    def perform_update(self, serializer):
        if "lots" in serializer.validated_data:
            serializer.instance = bids.set_candidate_lots(
                serializer.instance,
                user=self.principal.user,
                lots=serializer.validated_data["lots"],
            )

    def perform_destroy(self, instance):
        lifecycle.remove_candidate(instance, user=self.principal.user)


class EvaluatorViewSet(
    EvaluationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members assigned to rate, each with a conflict-of-interest declaration and the
    state of their sheets against `ratings_due` (`?overdue=true`: the late ones).

    Removing one is audited, and refused (409) once the evaluation left collecting,
    once they submitted ratings or once they declared a conflict."""

    queryset = evaluators_with_sheets(
        EvaluatorAssignment.objects.select_related("membership__user", "evaluation")
    )
    serializer_class = s.EvaluatorSerializer
    operation_id_prefix = "evaluation_evaluators"
    filterset_class = EvaluatorFilter
    action_roles = {"declaration": RATERS}

    def perform_create(self, serializer):
        serializer.instance = lifecycle.assign_evaluator(
            self.parent,
            user=self.principal.user,
            membership=serializer.validated_data["membership"],
        )

    def perform_destroy(self, instance):
        evaluators.remove_evaluator(instance, user=self.principal.user)

    @extend_schema(request=s.DeclarationSerializer, responses=s.EvaluatorSerializer)
    @action(detail=True, methods=["post"])
    def declaration(self, request, evaluation_pk=None, pk=None):
        """Declare (no) conflict of interest: only the evaluator themselves.

        A declared conflict is final (409 on a later declaration); only the lead's
        override-conflict lets the evaluator rate."""
        assignment = self.get_object()
        if assignment.membership_id != getattr(self.principal.membership, "pk", None):
            raise PermissionDenied("Only the evaluator can make their own declaration.")
        payload = s.DeclarationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = lifecycle.declare_conflict(
            assignment, user=self.principal.user, **payload.validated_data
        )
        return Response(self.get_serializer(assignment).data)

    @extend_schema(request=s.ConflictOverrideSerializer, responses=s.EvaluatorSerializer)
    @action(detail=True, methods=["post"], url_path="override-conflict")
    def override_conflict(self, request, evaluation_pk=None, pk=None):
        """Let an evaluator with a declared conflict rate anyway (lead only), with a reason."""
        assignment = self.get_object()
        if self.parent.lead_id != getattr(self.principal.membership, "pk", None):
            raise PermissionDenied("Only the evaluation's lead can override a conflict.")
        payload = s.ConflictOverrideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = lifecycle.override_conflict(
            assignment, user=self.principal.user, reason=payload.validated_data["reason"]
        )
        return Response(self.get_serializer(assignment).data)


class AnswerViewSet(EvaluationChildMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Candidates' answers, one per question; written in bulk by question code."""

    queryset = Answer.objects.select_related("question")
    serializer_class = si.AnswerSerializer
    operation_id_prefix = "evaluation_answers"
    parent_field = "candidate__evaluation"
    write_roles = RATERS
    filterset_class = CandidateInputFilter

    @extend_schema(
        request=si.AnswerItemSerializer(many=True), responses={200: si.UpsertResultSerializer}
    )
    def create(self, request, evaluation_pk=None):
        """Create, change or clear (`value: null`) answers; all items or none."""
        payload = si.AnswerItemSerializer(
            data=request.data, many=True, max_length=answers.MAX_ITEMS
        )
        payload.is_valid(raise_exception=True)
        result = answers.upsert_answers(
            self.parent, user=self.principal.user, items=payload.validated_data
        )
        return Response(result)


class RatingViewSet(EvaluationChildMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Evaluators' ratings of judged questions: private drafts of their author until each
    submits their sheet."""

    serializer_class = si.RatingSerializer
    operation_id_prefix = "evaluation_ratings"
    write_roles = RATERS
    filterset_class = RatingFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Rating.objects.none()
        return visible_ratings(self.parent, self.principal)

    @extend_schema(
        request=si.RatingItemSerializer(many=True), responses={200: si.UpsertResultSerializer}
    )
    def create(self, request, evaluation_pk=None):
        """Rate judged questions as yourself (an assigned evaluator); all items or none."""
        payload = si.RatingItemSerializer(
            data=request.data, many=True, max_length=ratings.MAX_ITEMS
        )
        payload.is_valid(raise_exception=True)
        result = ratings.upsert_ratings(
            self.parent,
            user=self.principal.user,
            membership=self.principal.membership,
            items=payload.validated_data,
        )
        return Response(result)

    @extend_schema(request=si.SheetSubmitSerializer, responses={201: si.SheetSerializer})
    @action(detail=False, methods=["post"])
    def submit(self, request, evaluation_pk=None):
        """Submit your sheet for a candidate: your ratings become final, count in scores and
        you see others' submitted ones. Without a rating of the candidate: 409."""
        payload = si.SheetSubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        candidate = self.parent.candidates.filter(pk=payload.validated_data["candidate"]).first()
        if candidate is None:
            raise ValidationError({"candidate": ["Not a candidate of this evaluation."]})
        sheet = ratings.submit_sheet(
            self.parent,
            user=self.principal.user,
            membership=self.principal.membership,
            candidate=candidate,
        )
        return Response(si.SheetSerializer(sheet).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=si.SheetSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def sheets(self, request, evaluation_pk=None):
        """Which evaluators submitted their sheet for which candidate."""
        refuse_unknown_parameters(request, ())
        sheets = RatingSheet.objects.filter(candidate__evaluation=self.parent).order_by("id")
        return Response(si.SheetSerializer(sheets, many=True).data)


class OverrideViewSet(
    EvaluationChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The lead's score overrides, each with its rationale. POST upserts."""

    queryset = Override.objects.select_related("question", "set_by")
    serializer_class = si.OverrideSerializer
    operation_id_prefix = "evaluation_overrides"
    parent_field = "candidate__evaluation"
    filterset_class = CandidateInputFilter

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = ratings.set_override(
            self.parent,
            user=self.principal.user,
            membership=self.principal.membership,
            candidate=data["candidate"],
            question_code=data["question"]["code"],
            score=data["score"],
            rationale=data["rationale"],
        )

    def perform_destroy(self, instance):
        ratings.remove_override(
            instance, user=self.principal.user, membership=self.principal.membership
        )
