"""Findings to remediate: listed, raised by hand, followed up, and their thread."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import TenantViewSetMixin
from config.conditional import ConditionalMixin
from config.filters import list_parameters, refuse_unknown_parameters
from config.idempotency import IdempotentCreateMixin
from config.sync import SyncMixin
from contracts import finding_thread, findings
from contracts.api.finding_filters import FindingFilter
from contracts.api.serializers.findings import (
    FindingEventSerializer,
    FindingMessageCreateSerializer,
    FindingMessageSerializer,
    FindingSerializer,
)
from contracts.models import Finding, FindingEvent, FindingMessage


@extend_schema_view(
    list=extend_schema(
        summary="List findings",
        description="The organization's findings, newest first: raised from failed "
        "knockouts, red flags, record conflicts and SLA breaches of the providers under "
        'contract, or by hand (docs/contracts.md, "Findings"). Filter by `status`, '
        "`severity`, `source`, `provider`, `contract`, `owner`, `overdue`, `due_before`, "
        "`cause_cleared` or `id`.",
    ),
    retrieve=extend_schema(summary="Get a finding"),
    create=extend_schema(
        summary="Raise a finding by hand (admins)",
        description="Open, due by its severity's default unless `due_date` is given.",
    ),
    partial_update=extend_schema(
        summary="Follow a finding up (admins)",
        description="Owner, due date, severity, status: `open` -> `in_remediation` -> "
        "`resolved` or `accepted_risk` (with a `rationale`), `open` -> `accepted_risk`, "
        "and a closed finding reopened to `open`; any other move is a 409 saying which "
        "are allowed. Send `If-Match` with the ETag of your last read (412 when it "
        "changed since).",
    ),
)
class FindingViewSet(
    ConditionalMixin,
    IdempotentCreateMixin,
    SyncMixin,
    TenantViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Findings: what a provider has to fix, who follows it up, by when."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    operation_id_prefix = "findings"
    write_roles = {Role.ADMIN}
    idempotent_actions = ("create", "post_message")
    filterset_class = FindingFilter
    ordering_fields = ["due_date", "severity", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]
    conditional_write_actions = ("partial_update",)
    extra_error_codes = (409,)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = findings.create_finding(
            self.principal.organization, self.principal.user, dict(serializer.validated_data)
        )
        body = FindingSerializer(finding, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = findings.update_finding(
            serializer.instance, self.principal.user, dict(serializer.validated_data)
        )

    @extend_schema(
        summary="A finding's trail of changes, newest first",
        responses=FindingEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def audit(self, request, pk=None):
        """Every change of the finding: who (a member, `system`, the provider), when,
        old and new value."""
        refuse_unknown_parameters(request, list_parameters(self, None))
        events = FindingEvent.objects.filter(finding=self.get_object()).order_by("-id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(FindingEventSerializer(page, many=True).data)

    @extend_schema(
        operation_id="findings_messages_read",
        summary="A finding's thread with its provider, oldest first",
        description="The buyer's messages and the provider's replies.",
        responses=FindingMessageSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def messages(self, request, pk=None):
        refuse_unknown_parameters(request, list_parameters(self, None))
        rows = FindingMessage.objects.filter(finding=self.get_object()).order_by("created_at", "id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(FindingMessageSerializer(page, many=True).data)

    @extend_schema(
        operation_id="findings_messages_create",
        summary="Write to the provider about a finding (admins)",
        description="Shares the finding with its provider: its contacts see it, with the "
        "thread, through their response link and may reply there. They are emailed "
        "(one email per window of messages) when the provider has a response request. "
        f"At most {finding_thread.MAX_MESSAGES} messages per finding (409).",
        request=FindingMessageCreateSerializer,
        responses={201: FindingMessageSerializer},
    )
    @messages.mapping.post
    def post_message(self, request, pk=None):
        finding = self.get_object()  # another organization's: a 404 before the body
        payload = FindingMessageCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        message = finding_thread.post_message(
            finding, self.principal.user, payload.validated_data["body"]
        )
        return Response(FindingMessageSerializer(message).data, status=status.HTTP_201_CREATED)
