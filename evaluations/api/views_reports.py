"""Comparison reports: requested per evaluation, read and downloaded organization-wide."""

import django_filters
from django.db.models.fields.json import KT
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin, TenantReadOnlyViewSet
from config.conditional import ConditionalMixin
from config.filters import IdFilter
from config.idempotency import IdempotentCreateMixin
from config.sync import SyncMixin, UpdatedSinceFilter
from evaluations.api import serializers_reports as s
from evaluations.models import Evaluation, Report
from evaluations.reports import FORMATS, filename
from evaluations.reports.csv_export import render_csv
from evaluations.reports.html_export import render_html
from evaluations.reports.json_export import render_json
from evaluations.reports.xlsx_export import render_xlsx
from evaluations.services import reports as report_service
from jobs.api.serializers import JobSerializer

REPORTERS = {Role.ADMIN, Role.EVALUATOR}
# The HTML export is a standalone page: it may load nothing and run nothing.
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def reports_queryset():
    return Report.objects.select_related("created_by").annotate(
        title=KT("snapshot__title"), summary=KT("snapshot__summary")
    )


class EvaluationReportFilter(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Report
        fields = []


class ReportFilter(EvaluationReportFilter):
    evaluation = IdFilter(field_name="evaluation_id")

    class Meta:
        model = Report
        fields = ["evaluation"]


class ReportViewSet(ConditionalMixin, SyncMixin, TenantReadOnlyViewSet):
    """Comparison reports of every evaluation. Immutable: regenerating makes a new one.

    Lists run in stable `(updated_at, id)` order for incremental sync
    (`updated_since`, or `sync/` with cursors); list entries leave out the content.
    """

    conditional_write_actions = ()  # read-only: reads carry an ETag

    queryset = reports_queryset().order_by("updated_at", "id")
    operation_id_prefix = "reports"
    filterset_class = ReportFilter
    ordering_fields = ["updated_at", "created_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("snapshot") if self.action in ("list", "sync") else queryset

    def get_serializer_class(self):
        if self.action in ("list", "sync"):
            return s.ReportSerializer
        return s.ReportDetailSerializer

    def perform_content_negotiation(self, request, force=False):
        # `?format=` of a download names the file format, not a DRF renderer: errors
        # are always problem+json and the file answers with its own content type.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download"
        )

    @extend_schema(
        summary="Download a report as JSON, CSV, XLSX or printable HTML",
        description="An attachment named `report-<id>-<evaluation>.<format>`. JSON is the "
        "report's API representation; CSV is the matrix (one row per candidate and item: "
        "overall, section, question); XLSX has one sheet per view; HTML is a self-contained "
        "printable page with three SVG charts (ranking, section heatmap, win probability).",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                OpenApiParameter.QUERY,
                enum=list(FORMATS),
                default="json",
                description="The file format.",
            ),
            OpenApiParameter(
                "Content-Disposition",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                description='`attachment; filename="report-<id>-<evaluation>.<format>"`',
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(s.ReportDetailSerializer),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, FORMATS["xlsx"].content_type): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "text/html"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer])
    def download(self, request, pk=None):
        report = self.get_object()
        name = request.query_params.get("format", "json")
        if name not in FORMATS:
            raise ValidationError({"format": [f"Must be one of: {', '.join(FORMATS)}."]})
        export_format = FORMATS[name]
        snapshot = report.snapshot
        if name == "json":
            data = s.ReportDetailSerializer(report, context=self.get_serializer_context()).data
            body = render_json(data)
        elif name == "csv":
            body = render_csv(snapshot)
        elif name == "xlsx":
            body = render_xlsx(snapshot, report)
        else:
            body = render_html(snapshot, report).encode("utf-8")
        response = HttpResponse(body, content_type=export_format.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{filename(report, export_format)}"'
        )
        response["X-Content-Type-Options"] = "nosniff"
        if name == "html":
            response["Content-Security-Policy"] = HTML_CSP
        return response


class EvaluationReportViewSet(
    IdempotentCreateMixin, NestedTenantViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """An evaluation's comparison reports, newest first; POST builds a new one.

    Admins and evaluators request reports; every member reads them.
    """

    queryset = reports_queryset().defer("snapshot").order_by("-created_at", "-id")
    serializer_class = s.ReportSerializer
    operation_id_prefix = "evaluation_reports"
    parent_model = Evaluation
    parent_kwarg = "evaluation_pk"
    parent_field = "evaluation"
    write_roles = REPORTERS
    extra_error_codes = (409,)
    filterset_class = EvaluationReportFilter
    ordering_fields = ["created_at", "updated_at"]

    @extend_schema(
        summary="Build a comparison report in the background",
        description="Scores the evaluation first (no new scorecard version where inputs are "
        "unchanged), then snapshots ranking, matrices, flags, agreement, sensitivity, coverage "
        "and the needs assessment. Poll the returned job; its `result_url` is the report. "
        "409 for a cancelled evaluation; 400 without candidates or applicable sections.",
        request=s.ReportRequestSerializer,
        responses={202: JobSerializer},
    )
    def create(self, request, evaluation_pk=None):
        payload = s.ReportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = report_service.request_report(
            self.parent, user=self.principal.user, **payload.validated_data
        )
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )
