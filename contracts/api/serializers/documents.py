"""A contract's documents as the API reads and uploads them."""

from django.urls import reverse
from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.fields import NamedChoiceField
from contracts.models import ContractDocument, ContractDocumentKind
from providers.api.fields import text_field


def _kind(**kwargs):
    return NamedChoiceField("ContractDocumentKindEnum", ContractDocumentKind.choices, **kwargs)


class ContractDocumentSerializer(TenantModelSerializer):
    """A contract document's metadata; the file itself is at `download_url`."""

    kind = _kind(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Where to GET the file (same credentials)."
    )

    class Meta:
        model = ContractDocument
        fields = [
            "id",
            "contract",
            "kind",
            "title",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "download_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "contract": {"help_text": "The contract this document belongs to."},
            "title": {"help_text": "What the document is, 1 to 200 characters."},
            "original_filename": {"help_text": "The uploaded file's name, sanitised."},
            "content_type": {"help_text": "Media type decided from the file's content."},
            "size": {"help_text": "Bytes."},
            "sha256": {"help_text": "SHA-256 of the file, hex."},
        }

    def get_download_url(self, obj) -> str:
        path = reverse(
            "contract-document-download", kwargs={"contract_pk": obj.contract_id, "pk": obj.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ContractDocumentUploadSerializer(TenantModelSerializer):
    """A new contract document (multipart form)."""

    kind = _kind()
    title = text_field(200, blank=False, help_text="What the document is, 1 to 200 characters.")
    file = serializers.FileField(
        help_text="The file: PDF, PNG, JPEG, text, CSV, JSON, DOCX or XLSX, checked by "
        "content; at most MAX_UPLOAD_BYTES (20 MiB by default)."
    )

    class Meta:
        model = ContractDocument
        fields = ["kind", "title", "file"]
