"""Providers, their bulk import, and the built-in capability catalog."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import TenantModelViewSet
from config.conditional import ConditionalMixin
from config.exceptions import PROBLEM_CONTENT_TYPE, problem
from config.filters import IdListFilter, StrictDjangoFilterBackend
from config.idempotency import IdempotentCreateMixin
from config.parsers import JSONParser
from config.schema import ProblemSerializer
from config.sync import SyncMixin
from providers import selectors, services
from providers.api import examples
from providers.api.filters import (
    CapabilityFilter,
    NulSafeSearchFilter,
    ProviderFilter,
    StableOrderingFilter,
)
from providers.api.import_serializers import (
    ImportModeQuerySerializer,
    ImportProblemSerializer,
    ImportReportSerializer,
    ProviderImportSerializer,
)
from providers.api.mixins import ActionParsersMixin, ProviderContextMixin, RequiredBodySchema
from providers.api.parsers import CsvTextParser
from providers.api.serializers import (
    CapabilitySerializer,
    ProviderDetailSerializer,
    ProviderSerializer,
    ProviderSummarySerializer,
)
from providers.choices import ImportMode
from providers.import_format import SIMPLE_CSV_PATTERN, CsvFormatError, ImportRow, parse_csv
from providers.models import Provider


@extend_schema_view(
    list=extend_schema(
        summary="List providers (compact)",
        description="The organization's providers in their compact form. Filter by the "
        "lists they carry (`service_model`, `industry`, `framework`, `tag`), by "
        "`soc_model`, `delivery`, offered `capability` code, an id in a connected system "
        "(`external_id=hubspot:123`), or `updated_since` for sync "
        "(with `ordering=updated_at`; ties are broken by id).",
    ),
    retrieve=extend_schema(
        summary="Get a provider with its offerings, references, SLA terms and documents"
    ),
    create=extend_schema(
        summary="Create a provider (admins)",
        request=ProviderSerializer,
        responses={201: ProviderDetailSerializer},
        examples=[examples.PROVIDER_CREATE],
    ),
    partial_update=extend_schema(
        summary="Change some of a provider's fields (admins)",
        request=ProviderSerializer,
        responses={200: ProviderDetailSerializer},
        description="Cross-field rules are checked on the result (stored values overlaid "
        "with the request's): a 400 when the request itself breaks one, a 409 when it "
        "breaks one only together with stored values it did not send.",
    ),
    destroy=extend_schema(
        summary="Delete a provider and everything under it (admins)",
        description="Its offerings, references, SLA terms and documents go too; the "
        "documents' files are removed from storage after the commit. A provider still "
        "used elsewhere (an evaluation candidate) is a 409.",
        responses={
            204: None,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The provider is still in use."
            ),
        },
    ),
)
class ProviderViewSet(
    ConditionalMixin,
    IdempotentCreateMixin,
    SyncMixin,
    ActionParsersMixin,
    ProviderContextMixin,
    TenantModelViewSet,
):
    """Providers (MSP, MSSP, vCISO, vCIO firms) your organization considers."""

    queryset = Provider.objects.all()
    serializer_class = ProviderSerializer
    operation_id_prefix = "providers"
    write_roles = {Role.ADMIN}
    filter_backends = [
        StrictDjangoFilterBackend,
        IdListFilter,
        NulSafeSearchFilter,
        StableOrderingFilter,
    ]
    filterset_class = ProviderFilter
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "updated_at", "created_at"]
    ordering = ["name", "id"]
    action_parser_classes = {"import_providers": [JSONParser, CsvTextParser]}
    schema = RequiredBodySchema()
    idempotent_actions = ("create", "import_providers")
    # If-Match is honoured (412) but not yet required: make it ("partial_update",)
    # once the tests send it, for 428 on a PATCH without it.
    if_match_required_actions = ()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = selectors.provider_details(queryset)
        elif self.action in ("list", "sync"):
            queryset = queryset.prefetch_related("external_ids")
        return queryset

    def get_serializer_class(self):
        if self.action in ("list", "sync"):
            return ProviderSummarySerializer
        if self.action in ("retrieve", "partial_update"):
            # A PATCH knows the detail's nested lists as read-only fields, so a
            # provider read and sent back whole is accepted (they are ignored).
            return ProviderDetailSerializer
        if self.action == "import_providers":
            return ProviderImportSerializer
        return ProviderSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        provider = services.create_provider(
            self.principal.organization, **serializer.validated_data
        )
        return Response(self._detail(provider), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        provider = services.update_provider(serializer.instance, **serializer.validated_data)
        return Response(self._detail(provider))

    def _detail(self, provider) -> dict:
        provider = selectors.provider_details(Provider.objects.filter(pk=provider.pk)).get()
        return ProviderDetailSerializer(provider, context=self.get_serializer_context()).data

    def perform_destroy(self, instance):
        services.delete_provider(instance)

    @extend_schema(
        operation_id="providers_import",
        summary="Create or update many providers at once (admins)",
        description=(
            'JSON (`{"providers": [...], "mode": ...}`) or a `text/csv` body (UTF-8, '
            "a header row; list columns `;`-separated; the schema's pattern shows the "
            "simplest form, docs/providers.md the full one). Each row creates a provider "
            "or updates the one with the same slug (given, or made from the name). "
            "Every row is validated like `POST /providers/`; the answer reports each "
            "row's action and errors. "
            "In `all_or_nothing` mode (default) any invalid row means a 400 with the report "
            "and nothing written. Several rows for one slug: the last is applied, the "
            "earlier ones are `superseded`. At most 1000 rows and 2 MiB."
        ),
        parameters=[
            OpenApiParameter(
                "mode",
                OpenApiTypes.STR,
                enum=[choice.value for choice in ImportMode],
                description="Import mode for CSV bodies (a JSON body or a form field wins).",
            )
        ],
        request={
            "application/json": ProviderImportSerializer,
            "text/csv": {"type": "string", "pattern": SIMPLE_CSV_PATTERN},
        },
        responses={
            200: ImportReportSerializer,
            (400, PROBLEM_CONTENT_TYPE): ImportProblemSerializer,
        },
        examples=[examples.IMPORT_JSON, examples.IMPORT_CSV],
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_providers(self, request):
        rows, mode = self._import_rows(request)
        report = services.import_providers(
            self.principal.organization, rows, mode=mode, context=self.get_serializer_context()
        )
        body = ImportReportSerializer(_report_data(report)).data
        if report.applied:
            return Response(body, status=status.HTTP_200_OK)
        invalid = report.summary["invalid"]
        errors = [
            {
                **error,
                "field": f"providers[{row.row - 1}]"
                + (f".{error['field']}" if error["field"] else ""),
            }
            for row in report.rows
            for error in row.errors
        ]
        problem_body = problem(
            400,
            "import_invalid",
            f"{invalid} of {len(report.rows)} rows are invalid; nothing was imported.",
            errors,
            request.path,
        )
        problem_body["report"] = body
        return Response(problem_body, status=400, content_type=PROBLEM_CONTENT_TYPE)

    def _import_rows(self, request) -> tuple[list[ImportRow], str]:
        # A plain dict, not the QueryDict: DRF reads a blank value of form-like input
        # as "not given", so `?mode=` would silently import all or nothing.
        query = ImportModeQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        mode = query.validated_data.get("mode", ImportMode.ALL_OR_NOTHING)
        media_type = (request.content_type or "").split(";")[0].strip().lower()
        if media_type == "text/csv":
            return _csv_rows(request.data), mode
        payload = ProviderImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rows = [ImportRow(item) for item in payload.validated_data["providers"]]
        return rows, payload.validated_data.get("mode", mode)


def _csv_rows(content):
    if not isinstance(content, str):  # no body at all
        content = ""
    try:
        return parse_csv(content)
    except CsvFormatError as exc:
        raise ValidationError({"non_field_errors": [str(exc)]}) from None


def _report_data(report) -> dict:
    return {
        "mode": report.mode,
        "applied": report.applied,
        "summary": report.summary,
        "rows": [
            {
                "row": row.row,
                "slug": row.slug,
                "action": row.action,
                "provider_id": row.provider_id,
                "errors": row.errors,
            }
            for row in report.rows
        ],
    }


class CapabilityListView(generics.ListAPIView):
    """The built-in capability catalog: the functions each service model covers.
    The same for every organization; read-only (it ships with the service)."""

    queryset = selectors.capabilities()
    serializer_class = CapabilitySerializer
    operation_id_prefix = "capabilities"
    filter_backends = [StrictDjangoFilterBackend, NulSafeSearchFilter, StableOrderingFilter]
    filterset_class = CapabilityFilter
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]

    @extend_schema(operation_id="capabilities_list", summary="List the capability catalog")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CapabilityDetailView(generics.RetrieveAPIView):
    """One capability of the built-in catalog, by code."""

    queryset = selectors.capabilities()
    serializer_class = CapabilitySerializer
    operation_id_prefix = "capabilities"
    lookup_field = "code"

    @extend_schema(operation_id="capabilities_retrieve", summary="Get a capability by code")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
