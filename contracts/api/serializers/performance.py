"""SLA measurements and the SLA summary, as the API reads and writes them."""

import re
from datetime import date

from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.serializers import StrictSerializer
from contracts import sla_rules
from contracts.measurement_csv import MAX_CSV_CHARACTERS
from contracts.models import ContractSla, SlaMeasurement
from providers.api.fields import text_field

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodField(serializers.CharField):
    """A month as ``YYYY-MM``, stored as its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The month measured, `YYYY-MM` (2000-01 to 2100-12).")
        super().__init__(max_length=7, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        match = _PERIOD.fullmatch(text)
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise serializers.ValidationError("A month as YYYY-MM, 2000-01 to 2100-12.")
        return text

    def run_validation(self, data=serializers.empty):
        # The text is checked (length included) first, then becomes the month's first day.
        text = super().run_validation(data)
        return text if text is None else date.fromisoformat(f"{text}-01")

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class SlaMeasurementSerializer(TenantModelSerializer):
    """One month of one SLA term of the contract; `met` and `misses` are derived."""

    sla_term = serializers.PrimaryKeyRelatedField(
        source="term",
        queryset=ContractSla.objects.all(),
        help_text="One of this contract's SLA terms; fixed once measured.",
    )
    period = PeriodField()
    measured_value = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        min_value=0,
        help_text="The month's figure in the term's unit (uptime %, the longest time...).",
    )
    breach_dates = serializers.ListField(
        child=serializers.DateField(),
        max_length=sla_rules.MAX_BREACH_DATES,
        required=False,
        help_text="The dates of the month's misses (one per miss; a date may repeat).",
    )
    notes = text_field(5000)
    met = serializers.SerializerMethodField(help_text="The measured value meets the target.")
    misses = serializers.SerializerMethodField(
        help_text="Breach dates counted, or 1 for a breached month given none; 0 when met."
    )

    class Meta:
        model = SlaMeasurement
        fields = [
            "id",
            "sla_term",
            "period",
            "measured_value",
            "breach_dates",
            "notes",
            "met",
            "misses",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # A month measured twice is a conflict with what is stored (409, from the
        # service's unique constraint), not a malformed request.
        validators = []

    def _misses(self, row) -> int:
        dates = [date.fromisoformat(day) for day in row.breach_dates]
        return sla_rules.misses(row.measured_value, row.term.target_value, row.term.unit, dates)

    def get_met(self, row) -> bool:
        return self._misses(row) == 0

    def get_misses(self, row) -> int:
        return self._misses(row)

    def validate_sla_term(self, value):
        contract = self.context["view"].parent
        if value.contract_id != contract.pk:
            raise serializers.ValidationError("Not an SLA term of this contract.")
        if self.instance is not None and value != self.instance.term:
            raise serializers.ValidationError("Fixed once measured.")
        return value


class MeasurementImportRequestSerializer(StrictSerializer):
    csv = serializers.CharField(
        max_length=MAX_CSV_CHARACTERS,
        trim_whitespace=False,
        help_text="The CSV text, header row first (docs/contracts.md).",
    )


class MeasurementImportSerializer(StrictSerializer):
    imported = serializers.IntegerField(help_text="Rows written (created or replaced).")


class SummaryMonthSerializer(StrictSerializer):
    period = PeriodField()
    value = serializers.DecimalField(max_digits=12, decimal_places=3)
    met = serializers.BooleanField()
    misses = serializers.IntegerField()
    breach_dates = serializers.ListField(child=serializers.DateField())
    credit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Service credit owed for the month; null where the term or the fee is not set.",
    )
    escalated = serializers.BooleanField()
    termination_right = serializers.BooleanField(
        help_text="The termination right is reached (in this month or before)."
    )


class SummaryTermSerializer(StrictSerializer):
    sla_term = serializers.IntegerField()
    metric = serializers.CharField()
    target_value = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit = serializers.CharField()
    direction = serializers.ChoiceField(choices=[sla_rules.AT_LEAST, sla_rules.AT_MOST])
    months_measured = serializers.IntegerField()
    months_breached = serializers.IntegerField()
    misses = serializers.IntegerField()
    credit_total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    termination_right_since = PeriodField(allow_null=True)
    trend = serializers.ChoiceField(
        choices=["better", "worse", "same", "none"],
        help_text="The last measured month against the one before, in the metric's direction.",
    )
    months = SummaryMonthSerializer(many=True)


class SlaSummarySerializer(StrictSerializer):
    contract = serializers.IntegerField()
    currency = serializers.CharField()
    terms = SummaryTermSerializer(many=True)
