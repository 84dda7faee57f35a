"""Serializers of the provider catalog API: capabilities and providers.

Write rules that tie fields together live in ``providers.rules`` (pure) and run
on the merged state (stored values overlaid with the request's), so a PATCH is
checked like a full update; see ``providers.api.validation``. The serializers of
a provider's children are in ``child_serializers``.
"""

from rest_framework import serializers

from config.serializers import StrictModelSerializer
from providers import rules
from providers.api.child_serializers import (
    DocumentSerializer,
    OfferingSerializer,
    ReferenceSerializer,
    SlaTermSerializer,
)
from providers.api.external_ids import ExternalIdsField
from providers.api.fields import (
    WEBSITE_PATTERN,
    EnumChoiceField,
    enum_list,
    pattern_field,
    text_field,
)
from providers.api.schema_rules import SchemaRulesMixin, provider_rules
from providers.api.validation import check_rules, merged
from providers.models import Capability, Provider

# --- capabilities ---


class CapabilitySerializer(StrictModelSerializer):
    """A function of a service model, from the built-in catalog."""

    service_model = EnumChoiceField("ServiceModelEnum", read_only=True)

    class Meta:
        model = Capability
        fields = ["code", "name", "description", "service_model"]
        read_only_fields = fields
        extra_kwargs = {
            "code": {"help_text": "Stable identifier, `<service model>.<function>`."},
            "description": {"help_text": "What the function covers, in plain language."},
        }


# --- providers ---

PROVIDER_RULE_FIELDS = ["service_models", "soc_model", "third_party_soc_name"]


class ProviderSummarySerializer(StrictModelSerializer):
    """The compact representation of lists."""

    # Blank when unknown, so not documented as `format: uri` (which "" is not).
    website = serializers.CharField(read_only=True, help_text="An http(s) URL, or empty.")
    service_models = enum_list("ServiceModelEnum", read_only=True)
    soc_model = EnumChoiceField("SocModelEnum", read_only=True, allow_null=True)
    delivery = EnumChoiceField("DeliveryEnum", read_only=True, allow_null=True)
    industries = enum_list("IndustryEnum", read_only=True)
    frameworks = enum_list("FrameworkEnum", read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    external_ids = ExternalIdsField(read_only=True)

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "slug",
            "website",
            "service_models",
            "soc_model",
            "delivery",
            "industries",
            "frameworks",
            "tags",
            "external_ids",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProviderSerializer(SchemaRulesMixin, StrictModelSerializer):
    """A provider's own fields: what you send to create or change one (and what a row
    of an import holds)."""

    schema_rules = staticmethod(provider_rules)

    name = text_field(200, blank=False)
    slug = pattern_field(
        rules.SLUG_PATTERN,
        80,
        required=False,
        help_text="Unique in the organization; made from the name when omitted on creation.",
    )
    website = pattern_field(
        WEBSITE_PATTERN,
        300,
        required=False,
        allow_blank=True,
        help_text="An http(s) URL.",
    )
    headquarters = text_field(200)
    employee_band = EnumChoiceField(
        "EmployeeBandEnum",
        required=False,
        allow_null=True,
        help_text="Head count; null if unknown.",
    )
    service_models = enum_list(
        "ServiceModelEnum", max_length=4, help_text="Which of MSP, MSSP, vCISO, vCIO it offers."
    )
    soc_model = EnumChoiceField(
        "SocModelEnum",
        required=False,
        allow_null=True,
        help_text="Who runs its security operations centre; null when not stated "
        "(not allowed when it offers `mssp`).",
    )
    third_party_soc_name = text_field(
        200,
        help_text="Operator of a `third_party` or `hybrid` SOC (required for those, "
        "refused otherwise).",
    )
    delivery = EnumChoiceField(
        "DeliveryEnum",
        required=False,
        allow_null=True,
        help_text="Fully managed, co-managed (with your IT staff) or both; null if unknown.",
    )
    industries = enum_list("IndustryEnum", max_length=20, help_text="Industries it serves.")
    frameworks = enum_list(
        "FrameworkEnum", max_length=20, help_text="Compliance frameworks it supports."
    )
    certifications = serializers.ListField(
        child=text_field(rules.MAX_CERTIFICATION_LENGTH, blank=False),
        max_length=rules.MAX_CERTIFICATIONS,
        required=False,
        help_text="Certifications held, free text (e.g. `SOC 2 Type II`).",
    )
    tags = serializers.ListField(
        child=pattern_field(rules.TAG_PATTERN, rules.MAX_TAG_LENGTH),
        max_length=rules.MAX_TAGS,
        required=False,
        help_text="Your own labels: lowercase slugs.",
    )
    notes = text_field(10000)
    external_ids = ExternalIdsField()

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "slug",
            "website",
            "headquarters",
            "employee_band",
            "service_models",
            "soc_model",
            "third_party_soc_name",
            "delivery",
            "industries",
            "frameworks",
            "certifications",
            "tags",
            "notes",
            "external_ids",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        for name in ("service_models", "industries", "frameworks", "tags"):
            if name in attrs:
                attrs[name] = rules.dedupe(attrs[name])
        if "certifications" in attrs:
            attrs["certifications"] = rules.dedupe(c.strip() for c in attrs["certifications"])
        if "third_party_soc_name" in attrs:
            attrs["third_party_soc_name"] = attrs["third_party_soc_name"].strip()
        elif "soc_model" in attrs and attrs["soc_model"] not in rules.SOC_MODELS_NEEDING_NAME:
            attrs["third_party_soc_name"] = ""  # no outside operator any more
        state = merged(self, attrs, PROVIDER_RULE_FIELDS)
        check_rules(self, attrs, rules.provider_violations(state))
        return attrs


class ProviderDetailSerializer(ProviderSerializer):
    """A provider in full, with what belongs to it (each list also has its own route)."""

    capabilities = OfferingSerializer(
        source="offerings", many=True, read_only=True, help_text="Capabilities it offers."
    )
    references = ReferenceSerializer(many=True, read_only=True)
    slas = SlaTermSerializer(many=True, read_only=True, help_text="Its SLA terms.")
    documents = DocumentSerializer(many=True, read_only=True, help_text="Evidence metadata.")

    class Meta(ProviderSerializer.Meta):
        fields = [
            *ProviderSerializer.Meta.fields[:-2],
            "capabilities",
            "references",
            "slas",
            "documents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
