"""The portfolio as the API reads it (``contracts.portfolio`` computes it)."""

from rest_framework import serializers

from config.fields import NamedChoiceField
from config.serializers import StrictSerializer
from contracts import portfolio
from contracts.api.serializers.performance import PeriodField

MONEY = {"max_digits": 16, "decimal_places": 2}


def _notice_status(**kwargs):
    return NamedChoiceField(
        "NoticeStatusEnum",
        [
            (portfolio.NOTICE_PASSED, "The notice deadline is before today"),
            (portfolio.NOTICE_NEAR, f"Within {portfolio.NOTICE_NEAR_DAYS} days of the deadline"),
            (portfolio.NOTICE_OPEN, "More time left"),
        ],
        help_text="Whether notice can still be given, and how urgently.",
        **kwargs,
    )


def _sla_status(**kwargs):
    return NamedChoiceField(
        "PortfolioSlaStatusEnum",
        [
            (portfolio.NOT_MEASURED, "No month measured"),
            (portfolio.MET, "Every SLA met in the last measured month"),
            (portfolio.BREACHED, "An SLA missed in the last measured month"),
            (portfolio.TERMINATION_RIGHT, "The right to terminate is reached"),
        ],
        **kwargs,
    )


class PortfolioLotSerializer(StrictSerializer):
    code = serializers.CharField(help_text="The lot's code in its evaluation (`all` without lots).")
    title = serializers.CharField(help_text="The lot's title (its code when untitled).")


class PortfolioSlaSerializer(StrictSerializer):
    status = _sla_status(help_text="The contract's SLA status (docs/contracts.md, Portfolio).")
    last_period = PeriodField(allow_null=True, help_text="The last month measured, `YYYY-MM`.")
    breached_last_period = serializers.ListField(
        child=serializers.CharField(), help_text="The metrics missed in the last measured month."
    )
    misses = serializers.IntegerField(help_text="Misses over every measured month.")
    credit_total = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Service credits owed; null when none is computed."
    )
    escalations = serializers.IntegerField(help_text="Escalated months.")
    termination_right_since = PeriodField(
        allow_null=True, help_text="The first month a termination right was reached."
    )


class PortfolioContractSerializer(StrictSerializer):
    id = serializers.IntegerField(help_text="The contract's id.")
    title = serializers.CharField()
    lots = PortfolioLotSerializer(many=True, help_text="The lots it covers.")
    currency = serializers.CharField(help_text="ISO 4217 code of its fees (blank when unpriced).")
    one_time_fee = serializers.DecimalField(**MONEY, allow_null=True)
    monthly_fee = serializers.DecimalField(**MONEY, allow_null=True)
    auto_renew = serializers.BooleanField()
    renewal_date = serializers.DateField()
    renewal_days_left = serializers.IntegerField(help_text="Days to the renewal date.")
    notice_deadline = serializers.DateField(help_text="The last day notice can be given.")
    notice_days_left = serializers.IntegerField(help_text="Days to it; negative once passed.")
    notice_status = _notice_status()
    sla = PortfolioSlaSerializer()


class PortfolioCommittedSerializer(StrictSerializer):
    currency = serializers.CharField()
    one_time = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="One-time fees in this currency; null when unset."
    )
    monthly = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Monthly fees in this currency; null when unset."
    )


class PortfolioRenewalSerializer(StrictSerializer):
    contract = serializers.IntegerField(help_text="The contract renewing next (its id).")
    renewal_date = serializers.DateField()
    renewal_days_left = serializers.IntegerField()
    notice_deadline = serializers.DateField()
    notice_days_left = serializers.IntegerField(help_text="Negative once passed.")
    notice_status = _notice_status()


class OpenFindingsSerializer(StrictSerializer):
    low = serializers.IntegerField()
    medium = serializers.IntegerField()
    high = serializers.IntegerField()
    critical = serializers.IntegerField()
    total = serializers.IntegerField()


class PortfolioEntrySerializer(StrictSerializer):
    """A provider under contract: services, contracts, price, renewal, SLAs, findings."""

    id = serializers.IntegerField(help_text="The provider's id.")
    name = serializers.CharField(help_text="The provider's name.")
    service_models = serializers.ListField(
        child=serializers.CharField(), help_text="The provider's service models."
    )
    capabilities = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the capabilities it offers."
    )
    contracts = PortfolioContractSerializer(many=True, help_text="Next renewal first.")
    committed = PortfolioCommittedSerializer(many=True, help_text="Committed prices by currency.")
    next_renewal = PortfolioRenewalSerializer(
        allow_null=True, help_text="The earliest renewal from today; null once every term ended."
    )
    sla_status = _sla_status(help_text="The worst SLA status of its contracts.")
    open_findings = OpenFindingsSerializer(
        help_text="Findings open or in remediation, by severity."
    )
