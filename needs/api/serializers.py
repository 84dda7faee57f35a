"""Needs assessments: typed request and response shapes.

The stored results are plain JSON from the pure engines; these serializers give
them named types (and named enums) so generated clients need no free-form maps.
"""

from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.fields import NamedChoiceField
from config.serializers import StrictSerializer
from needs import services as needs_service
from needs.assessment import MAX_EMPLOYEES
from needs.models import NeedsAssessment
from needs.rules import Priority, Signal, Verdict
from providers.api.fields import EnumChoiceField, enum_list
from providers.vocabulary import Delivery

MAX_LIST = 20


def _choices(enum) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]


VERDICTS = _choices(Verdict)
DELIVERY_MODES = [(m.value, m.value.replace("_", " ")) for m in Delivery if m != Delivery.BOTH]


def verdict_field(**kwargs):
    return NamedChoiceField("VerdictEnum", VERDICTS, **kwargs)


def strict_list(child, **kwargs):
    return serializers.ListField(child=child, **kwargs)


# ---------------------------------------------------------------- the profile (input)


class BuyerProfileSerializer(StrictSerializer):
    """What the buyer tells us; see docs/needs-assessment.md for every field."""

    industry = EnumChoiceField("IndustryEnum")
    employee_count = serializers.IntegerField(min_value=1, max_value=MAX_EMPLOYEES)
    regulated_data = serializers.BooleanField(required=False, default=False)
    frameworks = enum_list("FrameworkEnum", max_length=MAX_LIST, default=list)
    cyber_insurance_controls = serializers.BooleanField(required=False, default=False)
    internal_it_staff = serializers.BooleanField(required=False, default=False)
    internal_security_team = serializers.BooleanField(required=False, default=False)
    security_leadership = serializers.BooleanField(
        required=False, default=False, help_text="A CISO or other security executive in house."
    )
    it_strategy_owner = serializers.BooleanField(
        required=False, default=False, help_text="A CIO, IT director or similar owns IT strategy."
    )
    priorities = strict_list(
        NamedChoiceField("PriorityEnum", _choices(Priority)),
        max_length=MAX_LIST,
        required=False,
        default=list,
    )
    signals = strict_list(
        NamedChoiceField("SignalEnum", _choices(Signal)),
        max_length=MAX_LIST,
        required=False,
        default=list,
    )
    engaged_service_models = enum_list(
        "ServiceModelEnum",
        max_length=MAX_LIST,
        default=list,
        help_text="Kinds of provider already in place.",
    )


# ---------------------------------------------------------------- the result (output)


class NeedsReasonSerializer(StrictSerializer):
    rule_id = serializers.CharField(help_text="Stable id of the rule that fired.")
    explanation = serializers.CharField()


class NeedsModelVerdictSerializer(StrictSerializer):
    service_model = EnumChoiceField("ServiceModelEnum")
    verdict = verdict_field()
    already_engaged = serializers.BooleanField()
    reasons = NeedsReasonSerializer(many=True)


class NeedsDeliverySerializer(StrictSerializer):
    mode = NamedChoiceField("DeliveryModeEnum", DELIVERY_MODES)
    reasons = NeedsReasonSerializer(many=True)


class NeedsWarningSerializer(StrictSerializer):
    warning_id = serializers.CharField()
    explanation = serializers.CharField()
    service_models = serializers.ListField(child=EnumChoiceField("ServiceModelEnum"))


class NeedsPackSerializer(StrictSerializer):
    code = serializers.CharField(help_text="Questionnaire pack code, e.g. `pack-healthcare`.")
    triggers = serializers.ListField(
        child=serializers.CharField(),
        help_text="`always`, `industry:<value>`, `framework:<value>` or `verdict:vcio`.",
    )


class NeedsResultSerializer(StrictSerializer):
    models = NeedsModelVerdictSerializer(
        many=True, help_text="All four service models, in the order msp, mssp, vciso, vcio."
    )
    delivery = NeedsDeliverySerializer()
    warnings = NeedsWarningSerializer(many=True)
    packs = NeedsPackSerializer(many=True)


class NeedsPrefillSerializer(StrictSerializer):
    industry = EnumChoiceField("IndustryEnum")
    employee_count = serializers.IntegerField()
    frameworks = serializers.ListField(child=EnumChoiceField("FrameworkEnum"))
    required_service_models = serializers.ListField(
        child=EnumChoiceField("ServiceModelEnum"),
        help_text="Every model whose verdict is `required` or `recommended`.",
    )


class NeedsAssessmentSerializer(TenantModelSerializer):
    profile = BuyerProfileSerializer()
    result = NeedsResultSerializer(read_only=True)
    prefill = serializers.SerializerMethodField(
        help_text="What an evaluation created with this `needs_assessment` gets for every "
        "field the request leaves out."
    )

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "name",
            "profile",
            "result",
            "prefill",
            "engine_version",
            "rule_set_hash",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "result",
            "prefill",
            "engine_version",
            "rule_set_hash",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"name": {"max_length": 200, "required": False}}

    def get_prefill(self, obj) -> NeedsPrefillSerializer:
        return needs_service.prefill(obj)


class NeedsSnapshotSerializer(StrictSerializer):
    """A needs assessment as a report stores it."""

    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    profile = BuyerProfileSerializer()
    result = NeedsResultSerializer()
    engine_version = serializers.CharField()
    rule_set_hash = serializers.CharField()
    created_at = serializers.DateTimeField()
