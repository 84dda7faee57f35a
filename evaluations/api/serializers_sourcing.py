"""Sourcing inputs: an evaluation's lots and pricing settings, bids, proposals.

These serializers check JSON types and bounds only; the rules (lots against the
required service models, bids, what a proposal may cover and price) are the
services' (``evaluations.services.sourcing``, ``bids``, ``proposals``), which
answer 400 naming the offending path.
"""

import re
from decimal import Decimal

from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.serializers import StrictSerializer
from evaluations.engine.lots import CODE_PATTERN, MAX_WEIGHT
from evaluations.models import Proposal
from evaluations.services.awards import proposal_costs
from evaluations.services.proposals import MAX_UNIT_PRICES

MAX_LOTS = 10
MAX_UNITS = 20
MAX_COUNT = 10**9
UNIT_PATTERN = CODE_PATTERN  # units are slug-like, like lot codes
_UNIT_RE = re.compile(UNIT_PATTERN)
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, **kwargs)


class LotSerializer(StrictSerializer):
    code = serializers.CharField(
        help_text=f"Unique in the evaluation, `{CODE_PATTERN}`; `all` is reserved."
    )
    title = serializers.CharField(help_text="1 to 200 characters.")
    service_models = serializers.ListField(
        child=serializers.CharField(),
        max_length=4,
        help_text="Service models of the lot (msp, mssp, vciso, vcio), at least one. The "
        "lots' models are disjoint and together the evaluation's required_service_models.",
    )
    weight = serializers.FloatField(
        help_text=f"The lot's weight in awards, above 0, <= {MAX_WEIGHT}."
    )


def lots_field():
    return LotSerializer(
        many=True,
        required=False,
        max_length=MAX_LOTS,
        help_text="The lots of a multi-vendor award (docs/scoring.md v2). Empty: one implicit lot "
        "`all` holding the required service models.",
    )


def currency_field():
    return serializers.CharField(
        max_length=3,
        required=False,
        allow_blank=True,
        help_text="ISO 4217 code (three upper-case letters) the proposals are priced in; "
        "required before the first proposal, fixed while there are proposals.",
    )


def horizon_field():
    return serializers.IntegerField(
        min_value=1,
        max_value=120,
        required=False,
        help_text="Months over which proposals' total cost is compared (default 36).",
    )


def quantities_field():
    return serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_COUNT),
        required=False,
        help_text=f'Counts by unit, e.g. `{{"user": 120, "device": 150}}`: at most '
        f"{MAX_UNITS} units, each `{UNIT_PATTERN}`; counts 0..{MAX_COUNT}.",
    )


def price_weight_field():
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal("0.9999"),
        required=False,
        help_text="Weight p of price against quality in awards, 0 <= p < 1 (default 0: "
        "quality alone); may also change while scoring.",
    )


def validate_currency(value: str) -> str:
    if value and not _CURRENCY_RE.fullmatch(value):
        raise serializers.ValidationError("An ISO 4217 code: three upper-case letters.")
    return value


def validate_quantities(value: dict) -> dict:
    if len(value) > MAX_UNITS:
        raise serializers.ValidationError(f"At most {MAX_UNITS} units.")
    bad = sorted(unit for unit in value if not _UNIT_RE.fullmatch(unit))
    if bad:
        raise serializers.ValidationError(
            f"A unit is 1 to 40 lower-case letters, digits, `-` or `_` (not: {', '.join(bad)})."
        )
    return value


def bid_field(**kwargs):
    return serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_LOTS,
        **kwargs,
    )


class UnitPriceSerializer(StrictSerializer):
    unit = serializers.CharField(max_length=40, help_text="A unit of the evaluation's quantities.")
    monthly_price = _money(help_text="Per unit and month, at most 2 decimal places.")


class ProposalSerializer(TenantModelSerializer):
    lots = bid_field(
        help_text='Lot codes covered, a non-empty part of the candidate\'s bid (`["all"]` '
        "without lots); two or more make a bundle."
    )
    one_time = _money(help_text="One-time cost (setup, onboarding), at most 2 decimal places.")
    monthly = _money(help_text="Fixed monthly fee, at most 2 decimal places.")
    unit_prices = UnitPriceSerializer(
        many=True,
        required=False,
        max_length=MAX_UNIT_PRICES,
        help_text="Monthly prices per unit of the evaluation's quantities; each unit once.",
    )
    annual_increase_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        help_text="Yearly escalation of the monthly total, in percent (0..100).",
    )
    term_months = serializers.IntegerField(
        min_value=1,
        max_value=240,
        required=False,
        allow_null=True,
        help_text="Contract term offered (informational).",
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        help_text="The evaluation's currency (the default); any other is refused.",
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    monthly_total = serializers.SerializerMethodField(
        help_text="M = monthly + each unit price times the evaluation's quantity, 2 decimals."
    )
    tco = serializers.SerializerMethodField(
        help_text="Total cost of ownership over the evaluation's horizon with the yearly "
        "increase, computed exactly and rounded half-even to 2 decimals (docs/scoring.md). "
        "Null when a unit priced here is no longer in the evaluation's quantities."
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "candidate",
            "lots",
            "one_time",
            "monthly",
            "unit_prices",
            "annual_increase_pct",
            "term_months",
            "currency",
            "notes",
            "monthly_total",
            "tco",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "monthly_total", "tco", "created_at", "updated_at"]
        extra_kwargs = {
            "candidate": {
                "queryset": Proposal._meta.get_field("candidate").related_model.objects.all(),
                "help_text": "Id of a candidate of this evaluation.",
            }
        }

    def _costs(self, obj) -> dict:
        # The view's parent is the evaluation: one lookup for a whole page.
        cache = self.context.setdefault("proposal_costs", {})
        if obj.pk not in cache:
            view = self.context.get("view")
            evaluation = view.parent if hasattr(view, "parent") else obj.candidate.evaluation
            cache[obj.pk] = proposal_costs(obj, evaluation)
        return cache[obj.pk]

    def get_monthly_total(self, obj) -> str | None:
        return self._costs(obj)["monthly_total"]

    def get_tco(self, obj) -> str | None:
        return self._costs(obj)["tco"]


class ProposalUpdateSerializer(ProposalSerializer):
    """A proposal stays its candidate's: everything else may change."""

    class Meta(ProposalSerializer.Meta):
        read_only_fields = ["id", "candidate", "monthly_total", "tco", "created_at", "updated_at"]
        extra_kwargs = {"candidate": {"help_text": "Id of the candidate offering it."}}
