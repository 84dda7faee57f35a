"""The portfolio: every provider under contract, one entry each."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from accounts.tenancy import TenantViewSetMixin
from config.filters import IdListFilter, StrictDjangoFilterBackend
from contracts import selectors
from contracts.api.filters import PortfolioFilter
from contracts.api.serializers.portfolio import PortfolioEntrySerializer
from providers.models import Provider


@extend_schema_view(
    list=extend_schema(
        summary="The portfolio: every provider under contract",
        description="One entry per provider with a contract, next renewal first (those "
        "whose every term has ended last, then by name): its service models and "
        "capabilities, its contracts (lots, committed price, renewal date, notice "
        "deadline and days left, SLA status with the remedies owed), its committed "
        "prices by currency, and its findings open or in remediation by severity "
        '(docs/contracts.md, "Portfolio"). Filter by `renewing_within` (days), '
        "`has_open_findings`, `sla_breached`, or `id` (the provider's). A page runs the "
        "same number of queries whatever its size.",
    ),
)
class PortfolioViewSet(TenantViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Providers under contract, with what the organization follows up after the award."""

    queryset = Provider.objects.all()
    serializer_class = PortfolioEntrySerializer
    operation_id_prefix = "portfolio"
    filter_backends = [StrictDjangoFilterBackend, IdListFilter]
    filterset_class = PortfolioFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return selectors.contracted_providers(
            queryset, self.principal.organization, timezone.localdate()
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        entries = selectors.portfolio_entries(
            page, self.principal.organization, timezone.localdate()
        )
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)
