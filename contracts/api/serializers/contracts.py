"""Contracts, their SLA terms and their trail, as the API reads and writes them."""

from datetime import date

from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer, TenantSerializerMixin
from config.serializers import StrictModelSerializer, StrictSerializer
from contracts.dates import MAX_NOTICE_DAYS, MAX_TERM_MONTHS
from contracts.models import Contract, ContractEvent, ContractSla
from contracts.services import REMEDY_SETTINGS
from evaluations.api.serializers_sourcing import validate_currency
from evaluations.models import Evaluation
from providers.api.child_serializers import SlaTermSerializer
from providers.api.fields import text_field

# Dates a term may start on: wide enough for any real contract, narrow enough
# that every computed date stays a valid date.
FIRST_START = date(2000, 1, 1)
LAST_START = date(2100, 12, 31)


def _money(**kwargs):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False, **kwargs
    )


def _start_date(**kwargs):
    return serializers.DateField(
        help_text=f"The term's first day, {FIRST_START} to {LAST_START}.", **kwargs
    )


def _term_months(**kwargs):
    kwargs.setdefault("help_text", f"The term in calendar months, 1 to {MAX_TERM_MONTHS}.")
    return serializers.IntegerField(min_value=1, max_value=MAX_TERM_MONTHS, **kwargs)


def _notice_days(**kwargs):
    return serializers.IntegerField(
        min_value=0,
        max_value=MAX_NOTICE_DAYS,
        help_text=f"Notice to give before the renewal date, 0 to {MAX_NOTICE_DAYS} days.",
        **kwargs,
    )


def _percent(help_text: str):
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _check_start(value: date) -> date:
    if not FIRST_START <= value <= LAST_START:
        raise serializers.ValidationError(f"Between {FIRST_START} and {LAST_START}.")
    return value


class ContractSlaSerializer(SlaTermSerializer):
    """An SLA term of a contract, with the provider's SLA record it was copied from."""

    source_sla = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The provider's SLA record this term was copied from; null when added here.",
    )

    credit_percent_per_miss = _percent(
        "Service credit per miss, % of the contract's monthly fee (0 to 100)."
    )
    credit_cap_percent = _percent("At most this % of the monthly fee per month (default 100).")
    escalate_on_breach = serializers.BooleanField(
        required=False, help_text="Every breached month is escalated."
    )
    termination_breaches = serializers.IntegerField(
        min_value=1,
        max_value=1000,
        required=False,
        allow_null=True,
        help_text="Misses within `termination_window_months` that give the right to terminate.",
    )
    termination_window_months = serializers.IntegerField(
        min_value=1,
        max_value=120,
        required=False,
        allow_null=True,
        help_text="The window, in calendar months, `termination_breaches` are counted in.",
    )

    class Meta(SlaTermSerializer.Meta):
        model = ContractSla
        fields = [*SlaTermSerializer.Meta.fields, "source_sla", *REMEDY_SETTINGS]
        read_only_fields = [*SlaTermSerializer.Meta.read_only_fields, "source_sla"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        names = ("termination_breaches", "termination_window_months")
        state = {name: attrs.get(name, getattr(self.instance, name, None)) for name in names}
        if (state[names[0]] is None) != (state[names[1]] is None):
            missing = next(name for name in names if state[name] is None)
            raise serializers.ValidationError({missing: ["Give both or neither."]})
        return attrs


class ContractSerializer(TenantModelSerializer):
    """A contract. The dates `renewal_date` and `notice_deadline` are computed."""

    title = text_field(200, blank=False, help_text="1 to 200 characters.")
    currency = serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        help_text="ISO 4217 code (three upper-case letters) of the fees.",
    )
    one_time_fee = _money(help_text="Committed one-time price, exact to the cent.")
    monthly_fee = _money(help_text="Committed monthly price, exact to the cent.")
    start_date = _start_date()
    term_months = _term_months()
    notice_period_days = _notice_days(required=False)
    notes = text_field(5000)
    lots = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The lots won, for a contract made from an award.",
    )
    proposal_ids = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="The winning proposals its price comes from.",
    )
    sla_terms = ContractSlaSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "title",
            "provider",
            "evaluation",
            "candidate",
            "lots",
            "proposal_ids",
            "currency",
            "one_time_fee",
            "monthly_fee",
            "start_date",
            "term_months",
            "auto_renew",
            "notice_period_days",
            "renewal_date",
            "notice_deadline",
            "notes",
            "sla_terms",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "evaluation",
            "candidate",
            "lots",
            "proposal_ids",
            "renewal_date",
            "notice_deadline",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "provider": {"help_text": "The provider contracted; fixed once created."},
        }

    def validate_provider(self, value):
        if self.instance is not None and value != self.instance.provider:
            raise serializers.ValidationError("Fixed once the contract exists.")
        return value

    def validate_currency(self, value):
        return validate_currency(value)

    def validate_start_date(self, value):
        return _check_start(value)

    def validate(self, attrs):
        fees = [attrs.get(name) for name in ("one_time_fee", "monthly_fee")]
        currency = attrs.get("currency", getattr(self.instance, "currency", ""))
        stored = [getattr(self.instance, name, None) for name in ("one_time_fee", "monthly_fee")]
        if not currency and any(fee is not None for fee in [*fees, *stored]):
            raise serializers.ValidationError({"currency": ["Required with a fee."]})
        return attrs


class ContractFromAwardSerializer(TenantSerializerMixin, StrictSerializer):
    """The decided evaluation and the terms its contracts start with."""

    evaluation = serializers.PrimaryKeyRelatedField(
        queryset=Evaluation.objects.all(), help_text="A decided evaluation of yours."
    )
    start_date = _start_date()
    term_months = _term_months(
        required=False,
        help_text=f"The term in calendar months, 1 to {MAX_TERM_MONTHS}; default the longest "
        "`term_months` of the winning proposals, else the evaluation's horizon.",
    )
    auto_renew = serializers.BooleanField(required=False, default=False)
    notice_period_days = _notice_days(required=False, default=0)

    def validate_start_date(self, value):
        return _check_start(value)


class ContractEventSerializer(StrictModelSerializer):
    """One change of a contract or its SLA terms."""

    old_value = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The changed fields before (null on creation)."
    )
    new_value = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The changed fields after (null on deletion)."
    )

    class Meta:
        model = ContractEvent
        fields = [
            "id",
            "contract_ref",
            "actor_label",
            "action",
            "old_value",
            "new_value",
            "created_at",
        ]
        read_only_fields = fields
