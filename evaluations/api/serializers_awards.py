"""Awards in comparison reports (output only): docs/scoring.md, "Awards"."""

from rest_framework import serializers

from config.serializers import StrictSerializer


class AwardWinnerSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    name = serializers.CharField()
    lots = serializers.ListField(child=serializers.CharField(), help_text="Lot codes it wins.")
    proposal_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The cheapest cover of those lots by its proposals; empty when unpriced.",
    )


class AwardSerializer(StrictSerializer):
    assignments = serializers.DictField(
        child=serializers.IntegerField(), help_text="Lot code -> winning candidate id."
    )
    winners = AwardWinnerSerializer(many=True)
    quality = serializers.FloatField(help_text="Q: weighted mean of the winners' lot overalls.")
    cost = serializers.CharField(
        allow_null=True, help_text="C: total cost over the horizon, 2 decimals; null unpriced."
    )
    price_score = serializers.FloatField(
        allow_null=True, help_text="P = min C / C, 4 decimals; null unpriced."
    )
    value = serializers.FloatField(help_text="V = (1 - p) Q + 100 p P, 2 decimals.")
    provider_count = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.CharField(), help_text="`handoff_risk`.")


class AwardTippingPointSerializer(StrictSerializer):
    price_weight = serializers.FloatField(help_text="p*, 4 decimals.")
    price_weight_exact = serializers.CharField(help_text="p* as an exact fraction.")
    award = AwardSerializer(help_text="The award that is best past p*.")


class AwardTippingPointsSerializer(StrictSerializer):
    increase = AwardTippingPointSerializer(
        allow_null=True, help_text="The smallest p* above the price weight."
    )
    decrease = AwardTippingPointSerializer(
        allow_null=True, help_text="The largest p* below the price weight."
    )


class AwardProblemSerializer(StrictSerializer):
    lot = serializers.CharField(allow_null=True, help_text="Null when no one lot is the cause.")
    reason = serializers.CharField()


class NotAwardableSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    reason = serializers.CharField()


class AwardsSerializer(StrictSerializer):
    currency = serializers.CharField(allow_blank=True, help_text="The evaluation's currency.")
    feasible = serializers.BooleanField()
    priced = serializers.BooleanField(help_text="The evaluation has at least one proposal.")
    price_weight = serializers.FloatField()
    awards = AwardSerializer(many=True, help_text="The best awards, best first.")
    infeasible = AwardProblemSerializer(many=True, help_text="Why no award is feasible.")
    not_awardable = NotAwardableSerializer(many=True)
    min_cost = serializers.CharField(allow_null=True)
    efficient = AwardSerializer(
        many=True, help_text="The quality-versus-cost frontier, cheapest first (priced only)."
    )
    efficient_total = serializers.IntegerField()
    tipping_points = AwardTippingPointsSerializer(
        allow_null=True, help_text="Price-weight tipping points; null unpriced."
    )
