"""SLA measurements of a contract: one month at a time, or a CSV of many."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin, TenantModelViewSet
from config.conditional import ConditionalMixin
from config.exceptions import PROBLEM_CONTENT_TYPE
from config.idempotency import IdempotentCreateMixin
from config.parsers import JSONParser
from config.schema import ProblemSerializer
from contracts import performance
from contracts.api.filters import MeasurementFilter
from contracts.api.serializers.performance import (
    MeasurementImportRequestSerializer,
    MeasurementImportSerializer,
    SlaMeasurementSerializer,
)
from contracts.api.views.contracts import CONTRACT_PK
from contracts.measurement_csv import MAX_CSV_CHARACTERS, MAX_ROWS
from contracts.models import Contract, SlaMeasurement
from providers.api.mixins import ActionParsersMixin
from providers.api.parsers import CsvTextParser

CSV_EXAMPLE = "sla_term,period,measured_value,breach_dates\n12,2026-01,99.5,2026-01-14\n"


@extend_schema(parameters=[CONTRACT_PK])
@extend_schema_view(
    list=extend_schema(
        summary="List a contract's SLA measurements",
        description="One row per SLA term and month, with `met` and `misses` derived from "
        "the term's target (docs/contracts.md). Filter by `sla_term` or `id`.",
    ),
    retrieve=extend_schema(summary="Get an SLA measurement"),
    create=extend_schema(
        summary="Record a month of an SLA term (admins)",
        description="A second measurement of the same term and month is a 409; change it "
        "with PATCH, or import a CSV, which replaces months already measured.",
    ),
    partial_update=extend_schema(summary="Change an SLA measurement (admins, If-Match)"),
    destroy=extend_schema(summary="Remove an SLA measurement (admins)"),
)
class SlaMeasurementViewSet(
    ConditionalMixin,
    IdempotentCreateMixin,
    ActionParsersMixin,
    NestedTenantViewSetMixin,
    TenantModelViewSet,
):
    """Monthly SLA measurements: the measured value and the dates of its misses."""

    queryset = SlaMeasurement.objects.select_related("term")
    serializer_class = SlaMeasurementSerializer
    operation_id_prefix = "contract_measurements"
    write_roles = {Role.ADMIN}
    parent_model = Contract
    parent_kwarg = "contract_pk"
    parent_field = "term__contract"
    filterset_class = MeasurementFilter
    ordering_fields = ["period", "updated_at", "id"]
    ordering = ["term_id", "period", "id"]
    extra_error_codes = (409,)
    action_parser_classes = {"import_measurements": [JSONParser, CsvTextParser]}
    idempotent_actions = ("create",)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = performance.save_measurement(data.pop("term"), data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        term = data.pop("term", serializer.instance.term)
        serializer.instance = performance.save_measurement(term, data, serializer.instance)

    def perform_destroy(self, instance):
        performance.delete_measurement(instance)

    @extend_schema(
        summary="Import SLA measurements from a CSV (admins)",
        description="A `text/csv` body (UTF-8, a header row), or the same text as JSON "
        '`{"csv": "..."}`: columns `sla_term`, `period` '
        "(`YYYY-MM`), `measured_value`, optionally `breach_dates` (`;`-separated ISO "
        f"dates) and `notes`. At most {MAX_ROWS} rows and {MAX_CSV_CHARACTERS // 1024} KiB. "
        "All or nothing: any invalid row is a 400 listing every problem as `line N.column`, "
        "and nothing is written. A month already measured is replaced.",
        request={
            "application/json": MeasurementImportRequestSerializer,
            "text/csv": {"type": "string", "example": CSV_EXAMPLE},
        },
        responses={
            200: MeasurementImportSerializer,
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="A row or the file is invalid; nothing written."
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        filter_backends=[],
        pagination_class=None,
    )
    def import_measurements(self, request, contract_pk=None):
        text = request.data
        if not isinstance(text, str):
            body = MeasurementImportRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            text = body.validated_data["csv"]
        if len(text) > MAX_CSV_CHARACTERS:
            raise ValidationError({"csv": [f"At most {MAX_CSV_CHARACTERS // 1024} KiB."]})
        imported = performance.import_measurements(self.parent, text)
        return Response({"imported": imported}, status=status.HTTP_200_OK)
