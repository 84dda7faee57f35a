"""Serializers of what belongs to a provider: offerings, references, SLA terms, documents."""

from django.urls import reverse
from rest_framework import serializers

from accounts.models import Role
from accounts.principal import resolve_principal
from accounts.tenancy import TenantModelSerializer
from providers import rules
from providers.api.fields import (
    NO_NUL,
    EnumChoiceField,
    OptionalEmailField,
    OptionalTextField,
    enum_list,
    text_field,
)
from providers.api.schema_rules import (
    SchemaRulesMixin,
    offering_rules,
    reference_rules,
    sla_rules,
)
from providers.api.validation import check_rules, merged
from providers.choices import DeliveredBy
from providers.models import Capability, CapabilityOffering, Document, Reference, SlaTerm


class OfferingSerializer(SchemaRulesMixin, TenantModelSerializer):
    """A capability of the catalog that the provider offers, and who delivers it."""

    schema_rules = staticmethod(offering_rules)

    capability = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Capability.objects.all(),
        help_text="Code of a capability from `GET /capabilities/`, e.g. `mssp.edr`.",
    )
    capability_name = serializers.CharField(source="capability.name", read_only=True)
    service_model = EnumChoiceField(
        "ServiceModelEnum", source="capability.service_model", read_only=True
    )
    delivered_by = EnumChoiceField(
        "DeliveredByEnum",
        required=False,
        help_text="`self` when the provider delivers it, `partner` when a partner does.",
    )
    partner_name = text_field(
        200, help_text="The partner's name: required when delivered by a partner, empty otherwise."
    )
    notes = text_field(5000)

    class Meta:
        model = CapabilityOffering
        fields = [
            "id",
            "capability",
            "capability_name",
            "service_model",
            "delivered_by",
            "partner_name",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "capability_name", "service_model", "created_at", "updated_at"]

    def validate(self, attrs):
        if attrs.get("delivered_by") == DeliveredBy.SELF and "partner_name" not in attrs:
            attrs["partner_name"] = ""  # switching to self-delivery drops the partner
        state = merged(self, attrs, ["delivered_by", "partner_name"])
        check_rules(self, attrs, rules.offering_violations(state))
        return attrs


CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
CONTACT_ROLES = frozenset({Role.ADMIN, Role.EVALUATOR})
_CONTACT_HELP = " Null for viewers and integration keys, who never see reference contacts."


def can_see_contacts(context) -> bool:
    """Reference contacts are personal data: admins and evaluators only."""
    request = context.get("request")
    if request is None:
        return False
    principal = resolve_principal(request)
    return not principal.is_integration and principal.role in CONTACT_ROLES


class ReferenceSerializer(SchemaRulesMixin, TenantModelSerializer):
    """A client the provider names as a reference. The `contact_*` fields are null for
    viewers and integration keys."""

    schema_rules = staticmethod(reference_rules)

    client_industry = EnumChoiceField("IndustryEnum", help_text="The reference client's industry.")
    frameworks = enum_list(
        "FrameworkEnum",
        max_length=20,
        help_text="Compliance regimes the client is held to (duplicates are dropped).",
    )
    client_size = EnumChoiceField(
        "EmployeeBandEnum",
        required=False,
        allow_null=True,
        help_text="The client's head-count band; null when unknown.",
    )
    contactable = serializers.BooleanField(
        required=False,
        help_text="The client agreed to be contacted; needs a contact_email or contact_phone.",
    )
    contact_name = OptionalTextField(
        max_length=200, validators=[NO_NUL], help_text="Contact person." + _CONTACT_HELP
    )
    contact_email = OptionalEmailField(max_length=254, help_text="E-mail." + _CONTACT_HELP)
    contact_phone = OptionalTextField(
        max_length=40, validators=[NO_NUL], help_text="Phone." + _CONTACT_HELP
    )
    verified = serializers.BooleanField(
        required=False, help_text="Your team confirmed the reference with the client."
    )
    verified_at = serializers.DateField(
        required=False, allow_null=True, help_text="When it was verified (needs `verified`)."
    )
    notes = text_field(5000)

    class Meta:
        model = Reference
        fields = [
            "id",
            "client_industry",
            "frameworks",
            "client_size",
            "contactable",
            *CONTACT_FIELDS,
            "verified",
            "verified_at",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        if "frameworks" in attrs:
            attrs["frameworks"] = rules.dedupe(attrs["frameworks"])
        if attrs.get("verified") is False and "verified_at" not in attrs:
            attrs["verified_at"] = None  # un-verifying drops the date
        state = merged(
            self,
            attrs,
            ["verified", "verified_at", "contactable", "contact_email", "contact_phone"],
        )
        check_rules(self, attrs, rules.reference_violations(state))
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not can_see_contacts(self.context):
            for name in CONTACT_FIELDS:
                data[name] = None
        return data


class SlaTermSerializer(SchemaRulesMixin, TenantModelSerializer):
    """A service-level commitment and the remedy when it is missed."""

    schema_rules = staticmethod(sla_rules)

    metric = EnumChoiceField("SlaMetricEnum")
    target_value = serializers.FloatField(
        min_value=0,
        max_value=999_999_999,
        help_text="The committed value, >= 0, in `unit` (stored to three decimals).",
    )
    unit = EnumChoiceField(
        "SlaUnitEnum", help_text="Durations in minutes, hours or days; uptime in percent."
    )
    remedy_type = EnumChoiceField(
        "RemedyTypeEnum", required=False, help_text="What the buyer gets when it is missed."
    )
    remedy_details = text_field(
        5000, help_text="Amount, escalation path, notice period...; required unless remedy is none."
    )
    notes = text_field(5000)

    class Meta:
        model = SlaTerm
        fields = [
            "id",
            "metric",
            "target_value",
            "unit",
            "remedy_type",
            "remedy_details",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        state = merged(
            self, attrs, ["metric", "unit", "target_value", "remedy_type", "remedy_details"]
        )
        check_rules(self, attrs, rules.sla_violations(state))
        if "target_value" in attrs:
            attrs["target_value"] = round(attrs["target_value"], 3)
        return attrs


class DocumentSerializer(TenantModelSerializer):
    """An evidence document's metadata; the file itself is at `download_url`."""

    kind = EnumChoiceField("DocumentKindEnum")
    download_url = serializers.SerializerMethodField(
        help_text="Where to GET the file (same credentials)."
    )

    class Meta:
        model = Document
        fields = [
            "id",
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
            "original_filename": {"help_text": "The uploaded file's name, sanitised."},
            "content_type": {"help_text": "Media type decided from the file's content."},
            "size": {"help_text": "Bytes."},
            "sha256": {"help_text": "SHA-256 of the file, hex."},
        }

    def get_download_url(self, obj) -> str:
        path = reverse(
            "provider-document-download", kwargs={"provider_pk": obj.provider_id, "pk": obj.pk}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DocumentUploadSerializer(TenantModelSerializer):
    """A new evidence document (multipart form)."""

    kind = EnumChoiceField("DocumentKindEnum")
    title = text_field(200, blank=False)
    file = serializers.FileField(
        help_text="The evidence file: PDF, PNG, JPEG, text, CSV, JSON, DOCX or XLSX, "
        "checked by content; at most MAX_UPLOAD_BYTES (20 MiB by default)."
    )

    class Meta:
        model = Document
        fields = ["kind", "title", "file"]


class DocumentUpdateSerializer(DocumentSerializer):
    """The document fields that can change (the file cannot). The representation's
    other fields are read-only here, so a document read and sent back is accepted."""

    kind = EnumChoiceField("DocumentKindEnum", required=False)
    title = text_field(200, blank=False, required=False)

    class Meta(DocumentSerializer.Meta):
        read_only_fields = [f for f in DocumentSerializer.Meta.fields if f not in ("kind", "title")]
