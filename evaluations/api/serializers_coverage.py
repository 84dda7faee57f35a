"""Coverage of an evaluation's candidates against its needs (output only)."""

from rest_framework import serializers

from config.fields import NamedChoiceField
from config.serializers import StrictSerializer
from evaluations.engine.coverage import CoverageStatus
from providers.api.fields import EnumChoiceField


class CoverageProvisionSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    candidate_name = serializers.CharField()
    delivered_by = EnumChoiceField("DeliveredByEnum")
    partner_name = serializers.CharField(allow_null=True)


class CapabilityCoverageSerializer(StrictSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    service_model = EnumChoiceField("ServiceModelEnum")
    status = NamedChoiceField(
        "CoverageStatusEnum", [(m.value, m.value.replace("_", " ")) for m in CoverageStatus]
    )
    providers = CoverageProvisionSerializer(many=True)


class CoverageFindingSerializer(StrictSerializer):
    finding_id = serializers.CharField(help_text="`handoff_risk` or `handoff_split_defined`.")
    explanation = serializers.CharField()
    candidate_ids = serializers.ListField(child=serializers.IntegerField())


class CoverageSummarySerializer(StrictSerializer):
    gap = serializers.ListField(child=serializers.CharField())
    partner_only = serializers.ListField(child=serializers.CharField())
    overlap = serializers.ListField(child=serializers.CharField())
    in_house = serializers.ListField(child=serializers.CharField())


class HandoffEvidenceSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    question = serializers.CharField()
    x = serializers.FloatField()


class CoverageSerializer(StrictSerializer):
    candidate_ids = serializers.ListField(child=serializers.IntegerField())
    required_models = serializers.ListField(child=EnumChoiceField("ServiceModelEnum"))
    complete = serializers.BooleanField(help_text="No capability is a gap.")
    summary = CoverageSummarySerializer(help_text="Capability codes by status.")
    capabilities = CapabilityCoverageSerializer(many=True)
    handoff_risk = serializers.BooleanField()
    findings = CoverageFindingSerializer(many=True)
    unknown_capability_codes = serializers.ListField(child=serializers.CharField())
    handoff_defined = serializers.BooleanField(
        help_text="Every firm here giving vCISO or MSSP functions scores x >= 0.5 on every "
        "applicable question tagged `handoff` in its latest scorecard."
    )
    handoff_evidence = HandoffEvidenceSerializer(many=True)


class NotCountedSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    lot = serializers.CharField(help_text="The lot bid on (`all` without lots).")
    reason = NamedChoiceField(
        "NotCountedReasonEnum",
        [
            ("not_scored", "no scorecard for this lot yet: score the evaluation"),
            ("disqualified", "disqualified in this lot (a failed knockout)"),
        ],
    )


class LotCoverageSerializer(StrictSerializer):
    lot = serializers.CharField()
    capabilities = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the capabilities this lot holds."
    )
    qualified = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Candidates that bid here, are scored and not disqualified here.",
    )
    sole_cover = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Qualified candidates offering every capability of the lot on their own "
        "(themselves or through a partner): the winners that leave the lot without a gap.",
    )
    gap = serializers.ListField(
        child=serializers.CharField(), help_text="Capabilities no qualified candidate offers."
    )


class EvaluationCoverageSerializer(CoverageSerializer):
    lots = LotCoverageSerializer(
        many=True,
        allow_null=True,
        help_text="With lots, lot by lot; `complete` is then true only when every lot has a "
        "sole cover, i.e. some award leaves no gap. Null without lots.",
    )
    not_counted = NotCountedSerializer(
        many=True,
        help_text="Bids that do not count: a capability counts only from candidates "
        "qualified (scored, not disqualified) in the lot holding it.",
    )


class CoverageCombinationSerializer(CoverageSerializer):
    award = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="With lots: the award (lot code -> candidate id) this combination is; "
        "each lot's capabilities count from its winner only. Null without lots.",
    )


class CoverageCombinationsSerializer(StrictSerializer):
    max_size = serializers.IntegerField()
    total_combinations = serializers.IntegerField()
    examined = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="The search stopped before trying them all.")
    results = CoverageCombinationSerializer(
        many=True, help_text="Gap-free combinations (with lots: awards), best first."
    )
    not_counted = NotCountedSerializer(many=True)
