"""A contract's documents: upload, list, download, delete."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin
from config.parsers import MultiPartParser
from contracts import documents
from contracts.api.serializers.documents import (
    ContractDocumentSerializer,
    ContractDocumentUploadSerializer,
)
from contracts.api.views.contracts import CONTRACT_PK
from contracts.models import Contract, ContractDocument
from providers.api.downloads import attachment
from providers.api.mixins import ActionParsersMixin
from providers.uploads import ALLOWED_CONTENT_TYPES


@extend_schema(parameters=[CONTRACT_PK])
@extend_schema_view(
    list=extend_schema(
        summary="List a contract's documents",
        description="Newest first. Filter by `kind` or `id`.",
    ),
    retrieve=extend_schema(summary="Get a contract document's metadata"),
    destroy=extend_schema(
        summary="Delete a contract document (admins)",
        description="The file is removed from storage; the deletion stays in the trail.",
    ),
)
class ContractDocumentViewSet(
    ActionParsersMixin,
    NestedTenantViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A contract's documents: the signed contract, statements of work, data
    processing agreements... A document is uploaded and deleted, never changed."""

    queryset = ContractDocument.objects.all()
    serializer_class = ContractDocumentSerializer
    operation_id_prefix = "contract_documents"
    write_roles = {Role.ADMIN}
    parent_model = Contract
    parent_kwarg = "contract_pk"
    parent_field = "contract"
    filterset_fields = ["kind"]
    ordering_fields = ["created_at", "id"]
    action_parser_classes = {"create": [MultiPartParser]}

    @extend_schema(
        summary="Upload a contract document (admins)",
        description="Multipart form with `kind`, `title` and `file`. The file must be a "
        "PDF, PNG, JPEG, plain text, CSV, JSON, DOCX or XLSX file whose content matches "
        "its extension; empty files are a 400, files above the upload limit a 413, other "
        "types or mismatches a 415. The SHA-256 is computed on the way in; the upload "
        "is recorded in the contract's trail.",
        request={"multipart/form-data": ContractDocumentUploadSerializer},
        responses={201: ContractDocumentSerializer},
    )
    def create(self, request, *args, **kwargs):
        payload = ContractDocumentUploadSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        document = documents.create_document(
            self.parent,
            self.principal.user,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
        )
        body = ContractDocumentSerializer(document, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        documents.delete_document(instance, self.principal.user)

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file's own type whatever the Accept header says.
        return super().perform_content_negotiation(
            request, force=force or self.action == "download"
        )

    @extend_schema(
        summary="Download a contract document's file",
        request=None,
        description="Streams the file as an attachment with its stored content type, "
        "`X-Content-Type-Options: nosniff` and `Cache-Control: private, no-store`. Only "
        "within the contract's organization.",
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in ALLOWED_CONTENT_TYPES
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        return attachment(self.get_object())
