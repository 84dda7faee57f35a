"""Needs assessments: which kinds of provider a buyer needs, stored and reproducible."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import TenantCreateListRetrieveViewSet
from config.conditional import ConditionalMixin
from config.idempotency import IdempotentCreateMixin
from config.sync import SyncMixin, UpdatedSinceFilter
from evaluations.api.serializers import EvaluationSerializer
from evaluations.api.serializers_packs import EvaluationFromNeedsSerializer
from evaluations.services import from_needs
from needs import services as needs_service
from needs.api import serializers as s
from needs.models import NeedsAssessment

PLANNERS = {Role.ADMIN, Role.EVALUATOR}

FROM_NEEDS_DESCRIPTION = """\
Creates a draft evaluation from this assessment, as admins create evaluations.

- Buyer profile: `industry`, `employee_count` and `frameworks` from the
  assessment's profile; `required_service_models` is every model judged
  `required` or `recommended` (the assessment's `prefill`), and `needs_assessment`
  is this assessment.
- Lots: one per required service model, its code the model's (`msp`, `mssp`,
  `vciso`, `vcio`), a readable title, weight 1.
- Questionnaire: `questionnaire_version` if given, else the published version of
  the built-in `provider-vetting` questionnaire.
- Packs: `packs` if given (`[]` for none), else the published built-in version of
  every pack in `result.packs` except the vetting questionnaire itself, which is
  the base.

Lots and packs stay editable (`PATCH` with `If-Match`) while the evaluation is a
draft. A code clash between the base and a pack, or between two packs, is a 400
naming the code and both questionnaire versions.
"""


class NeedsAssessmentFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = NeedsAssessment
        fields = []


class NeedsAssessmentViewSet(
    ConditionalMixin, IdempotentCreateMixin, SyncMixin, TenantCreateListRetrieveViewSet
):
    """Which kinds of provider a buyer needs, and why: stored and reproducible.

    Admins and evaluators create assessments; every member reads them. An
    assessment never changes; assess again for a changed profile.
    """

    conditional_write_actions = ()  # immutable: reads carry an ETag, nothing is written

    queryset = NeedsAssessment.objects.order_by("-created_at", "-id")
    serializer_class = s.NeedsAssessmentSerializer
    operation_id_prefix = "needs_assessments"
    write_roles = PLANNERS
    # An evaluation is created by those who create evaluations.
    action_roles = {"create_evaluation": {Role.ADMIN}}
    idempotent_actions = ("create", "create_evaluation")
    filterset_class = NeedsAssessmentFilter
    search_fields = ["name"]
    ordering_fields = ["created_at", "updated_at"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = needs_service.create_assessment(
            organization=self.principal.organization,
            user=self.principal.user,
            name=data.get("name", ""),
            profile=dict(data["profile"]),
        )

    @extend_schema(
        summary="Start an evaluation from this assessment",
        description=FROM_NEEDS_DESCRIPTION,
        request=EvaluationFromNeedsSerializer,
        responses={201: EvaluationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="evaluations")
    def create_evaluation(self, request, pk=None):
        assessment = self.get_object()
        payload = EvaluationFromNeedsSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        lead = data.pop("lead", None) or self.principal.membership
        if lead is None:
            raise ValidationError({"lead": ["Name the lead (an admin's membership id)."]})
        evaluation = from_needs.create_from_assessment(
            assessment,
            organization=self.principal.organization,
            user=self.principal.user,
            lead=lead,
            data=data,
        )
        body = EvaluationSerializer(evaluation, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
