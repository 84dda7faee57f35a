"""Needs assessments: which kinds of provider a buyer needs, stored and reproducible."""

import django_filters

from accounts.models import Role
from accounts.tenancy import TenantCreateListRetrieveViewSet
from config.conditional import ConditionalMixin
from config.idempotency import IdempotentCreateMixin
from config.sync import SyncMixin, UpdatedSinceFilter
from needs import services as needs_service
from needs.api import serializers as s
from needs.models import NeedsAssessment

PLANNERS = {Role.ADMIN, Role.EVALUATOR}


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
