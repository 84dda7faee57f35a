"""Contracts (by hand or from a decided award), their SLA terms and their trail."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin, TenantModelViewSet
from config.conditional import ConditionalMixin
from config.filters import list_parameters, refuse_unknown_parameters
from config.idempotency import IdempotentCreateMixin
from config.sync import SyncMixin
from contracts import awards, performance, selectors, services
from contracts.api.filters import ContractFilter
from contracts.api.serializers.contracts import (
    ContractEventSerializer,
    ContractFromAwardSerializer,
    ContractSerializer,
    ContractSlaSerializer,
)
from contracts.api.serializers.performance import SlaSummarySerializer
from contracts.api.views.schedules import ReassessmentScheduleActions
from contracts.models import Contract, ContractEvent, ContractSla

ADMINS = {Role.ADMIN}


@extend_schema_view(
    list=extend_schema(
        summary="List contracts",
        description="The organization's contracts, next renewal first. Filter by "
        "`renewing_within` (days), `notice_deadline_passed`, `auto_renew`, or `id`.",
    ),
    retrieve=extend_schema(summary="Get a contract with its SLA terms"),
    create=extend_schema(
        summary="Create a contract by hand (admins)",
        description="The provider's SLA records are copied as the contract's SLA terms; "
        "`renewal_date` and `notice_deadline` are computed (docs/contracts.md).",
    ),
    partial_update=extend_schema(
        summary="Change a contract (admins)",
        description="The computed dates follow a changed term. Send `If-Match` with the "
        "ETag of your last read: a 412 when the contract changed since.",
    ),
    destroy=extend_schema(summary="Delete a contract and its SLA terms (admins)"),
)
class ContractViewSet(
    ReassessmentScheduleActions,
    ConditionalMixin,
    IdempotentCreateMixin,
    SyncMixin,
    TenantModelViewSet,
):
    """Contracts with providers: term, renewal, notice, committed price and SLA terms."""

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    operation_id_prefix = "contracts"
    write_roles = ADMINS
    idempotent_actions = ("create", "from_award")
    filterset_class = ContractFilter
    ordering_fields = ["renewal_date", "notice_deadline", "start_date", "updated_at"]
    ordering = ["renewal_date", "id"]

    def get_queryset(self):
        return selectors.with_sla_terms(super().get_queryset())

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = services.create_contract(
            self.principal.organization, self.principal.user, dict(serializer.validated_data)
        )
        return Response(self._detail(contract), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        contract = services.update_contract(
            serializer.instance, self.principal.user, dict(serializer.validated_data)
        )
        return Response(self._detail(contract))

    def perform_destroy(self, instance):
        services.delete_contract(instance, self.principal.user)

    def _detail(self, contract) -> dict:
        contract = self.get_queryset().get(pk=contract.pk)
        return ContractSerializer(contract, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Create the contracts of a decided award (admins)",
        description="One contract per winning candidate, covering the lots it won, its "
        "price from its winning proposals (exact, in the evaluation's currency) and its "
        "provider's SLA records copied as SLA terms. A 409 unless the evaluation is "
        "decided, or when its contracts exist already.",
        request=ContractFromAwardSerializer,
        responses={201: ContractSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="from-award",
        url_name="from-award",
        filter_backends=[],
        pagination_class=None,
    )
    def from_award(self, request):
        serializer = ContractFromAwardSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        created = awards.create_from_award(data.pop("evaluation"), self.principal.user, **data)
        contracts = self.get_queryset().filter(pk__in=[c.pk for c in created]).order_by("id")
        body = ContractSerializer(contracts, many=True, context=self.get_serializer_context())
        return Response(body.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="A contract's trail of changes, newest first",
        responses=ContractEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def audit(self, request, pk=None):
        """Every change of the contract and its SLA terms: who, when, old and new value."""
        refuse_unknown_parameters(request, list_parameters(self, None))
        events = ContractEvent.objects.filter(contract=self.get_object()).order_by("-id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(ContractEventSerializer(page, many=True).data)

    @extend_schema(
        summary="A contract's SLA performance: breaches, remedies and trend",
        description="Per SLA term, every measured month with its misses, service credit, "
        "escalation and termination right, the totals and the trend of the last two "
        'months (docs/contracts.md, "SLA performance").',
        responses=SlaSummarySerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="sla-summary",
        url_name="sla-summary",
        filter_backends=[],
        pagination_class=None,
    )
    def sla_summary(self, request, pk=None):
        refuse_unknown_parameters(request, ())
        summary = performance.summary(self.get_object())
        return Response(SlaSummarySerializer(summary).data)


CONTRACT_PK = OpenApiParameter(
    "contract_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The contract's id."
)


@extend_schema(parameters=[CONTRACT_PK])
@extend_schema_view(
    list=extend_schema(
        summary="List a contract's SLA terms",
        description="Copied from the provider's SLA records when the contract was made, "
        "then edited here.",
    ),
    retrieve=extend_schema(summary="Get a contract SLA term"),
    create=extend_schema(summary="Add an SLA term to a contract (admins)"),
    partial_update=extend_schema(summary="Change a contract SLA term (admins, If-Match)"),
    destroy=extend_schema(summary="Remove a contract SLA term (admins)"),
)
class ContractSlaViewSet(
    ConditionalMixin, IdempotentCreateMixin, NestedTenantViewSetMixin, TenantModelViewSet
):
    """A contract's SLA terms: metric, target, unit and the remedy when missed. Reads
    carry an `ETag`; `PATCH` requires `If-Match`."""

    queryset = ContractSla.objects.all()
    serializer_class = ContractSlaSerializer
    operation_id_prefix = "contract_slas"
    write_roles = ADMINS
    parent_model = Contract
    parent_kwarg = "contract_pk"
    parent_field = "contract"
    filterset_fields = ["metric", "remedy_type"]
    ordering_fields = ["created_at", "updated_at", "id"]

    def perform_create(self, serializer):
        serializer.instance = services.create_sla_term(
            self.parent, self.principal.user, dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_sla_term(
            serializer.instance, self.principal.user, dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.delete_sla_term(instance, self.principal.user)
