"""What belongs to one provider: capability offerings, references, SLA terms, documents.

Nested under ``providers/{provider_pk}/``. The parent is looked up in the caller's
organization first, so another organization's provider id is a 404 for every
route below it, and every queryset is limited to that parent.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import TenantModelViewSet
from config.parsers import JSONParser, MultiPartParser
from providers import selectors, services
from providers.api import examples
from providers.api.child_serializers import (
    DocumentSerializer,
    DocumentUpdateSerializer,
    DocumentUploadSerializer,
    OfferingSerializer,
    ReferenceSerializer,
    SlaTermSerializer,
)
from providers.api.downloads import attachment
from providers.api.filters import OfferingFilter, ReferenceFilter
from providers.api.mixins import ActionParsersMixin, ProviderContextMixin
from providers.models import CapabilityOffering, Document, Reference, SlaTerm
from providers.uploads import ALLOWED_CONTENT_TYPES

PROVIDER_PK = OpenApiParameter(
    "provider_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The provider's id."
)


class ProviderChildViewSet(ProviderContextMixin, TenantModelViewSet):
    model = None
    write_roles = {Role.ADMIN}
    ordering_fields = ["created_at", "updated_at", "id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.provider = get_object_or_404(
            selectors.providers_for(self.principal.organization), pk=kwargs["provider_pk"]
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.filter(provider_id=self.kwargs["provider_pk"])

    def perform_create(self, serializer):
        serializer.instance = services.create_child(
            self.model, self.provider, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_child(
            serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_child(instance)


@extend_schema(parameters=[PROVIDER_PK])
@extend_schema_view(create=extend_schema(examples=[examples.OFFERING_CREATE]))
class OfferingViewSet(ProviderChildViewSet):
    """The capabilities of the catalog a provider offers, and who delivers each one."""

    model = CapabilityOffering
    queryset = selectors.offering_with_capability(CapabilityOffering.objects.all())
    serializer_class = OfferingSerializer
    operation_id_prefix = "provider_capabilities"
    filterset_class = OfferingFilter


@extend_schema(parameters=[PROVIDER_PK])
@extend_schema_view(create=extend_schema(examples=[examples.REFERENCE_CREATE]))
class ReferenceViewSet(ProviderChildViewSet):
    """Clients a provider names as references. `contact_*` fields are personal data:
    admins and evaluators see them; for viewers and integration keys they are null."""

    model = Reference
    queryset = Reference.objects.all()
    serializer_class = ReferenceSerializer
    operation_id_prefix = "provider_references"
    filterset_class = ReferenceFilter


@extend_schema(parameters=[PROVIDER_PK])
@extend_schema_view(create=extend_schema(examples=[examples.SLA_CREATE]))
class SlaTermViewSet(ProviderChildViewSet):
    """Service-level terms: metric, target, and the remedy when the target is missed."""

    model = SlaTerm
    queryset = SlaTerm.objects.all()
    serializer_class = SlaTermSerializer
    operation_id_prefix = "provider_slas"
    filterset_fields = ["metric", "remedy_type"]


@extend_schema(parameters=[PROVIDER_PK])
class DocumentViewSet(ActionParsersMixin, ProviderChildViewSet):
    """Evidence files (sample monthly report, SOC 2 report, insurance certificate...)."""

    model = Document
    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    operation_id_prefix = "provider_documents"
    filterset_fields = ["kind"]
    action_parser_classes = {"create": [MultiPartParser], "partial_update": [JSONParser]}

    @extend_schema(
        summary="Upload a document (admins)",
        description="Multipart form with `kind`, `title` and `file`. The file must be a "
        "PDF, PNG, JPEG, plain text, CSV, JSON, DOCX or XLSX file whose content matches "
        "its extension; empty files are a 400, files above the upload limit a 413, other "
        "types or mismatches a 415. The SHA-256 is computed on the way in.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = DocumentUploadSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        document = services.create_document(
            self.provider,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            uploaded_by=self.principal.user,
        )
        body = DocumentSerializer(document, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename or re-classify a document (admins); the file cannot change",
        request=DocumentUpdateSerializer,
        responses={200: DocumentSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        document = self.get_object()
        payload = DocumentUpdateSerializer(
            document, data=request.data, partial=True, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        document = services.update_document(document, **payload.validated_data)
        return Response(DocumentSerializer(document, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance):
        services.delete_document(instance)

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file's own type whatever the Accept header says.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download"
        )

    @extend_schema(
        summary="Download a document's file",
        request=None,
        description="Streams the file as an attachment with its stored content type and "
        "`X-Content-Type-Options: nosniff`, never cached (`Cache-Control: private, no-store`). "
        "Only within the document's organization.",
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in ALLOWED_CONTENT_TYPES
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        return attachment(self.get_object())
