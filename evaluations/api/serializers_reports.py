"""Comparison reports: the request, the list entry and the full typed content."""

from rest_framework import serializers

from config.fields import AnswerValueField
from config.serializers import StrictModelSerializer, StrictSerializer
from contracts.api.serializers.reassessments import ReassessmentComparisonSerializer
from evaluations.api.serializers_awards import AwardsSerializer
from evaluations.api.serializers_coverage import EvaluationCoverageSerializer
from evaluations.api.serializers_scorecards import RecordConflictSerializer, RedFlagSerializer
from evaluations.models import Report
from evaluations.services import reports as report_service
from needs.api.serializers import NeedsSnapshotSerializer
from providers.api.fields import EnumChoiceField


class ReportRequestSerializer(StrictSerializer):
    seed = serializers.IntegerField(
        min_value=0,
        max_value=report_service.MAX_SEED,
        required=False,
        allow_null=True,
        help_text="Monte Carlo seed; drawn at random (and stored) when left out.",
    )
    trials = serializers.IntegerField(
        min_value=report_service.MIN_TRIALS,
        max_value=report_service.MAX_TRIALS,
        required=False,
        default=report_service.DEFAULT_TRIALS,
    )
    spread = serializers.FloatField(
        min_value=0,
        max_value=report_service.MAX_SPREAD,
        required=False,
        default=report_service.DEFAULT_SPREAD,
        help_text="Each section weight is multiplied by a factor uniform in "
        "[1 - spread, 1 + spread].",
    )


# ---------------------------------------------------------------- content


class ReportPackSerializer(StrictSerializer):
    version = serializers.IntegerField(help_text="The pack version's id.")
    code = serializers.CharField(help_text="The pack questionnaire's code.")
    name = serializers.CharField()
    number = serializers.IntegerField(help_text="The version's number.")


class ReportEvaluationSerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="The evaluation's status when the report was built.")
    industry = EnumChoiceField("IndustryEnum")
    employee_count = serializers.IntegerField(allow_null=True)
    required_service_models = serializers.ListField(child=EnumChoiceField("ServiceModelEnum"))
    frameworks = serializers.ListField(child=EnumChoiceField("FrameworkEnum"))
    aggregation = serializers.CharField()
    questionnaire_version = serializers.IntegerField()
    questionnaire_code = serializers.CharField()
    questionnaire_name = serializers.CharField()
    questionnaire_number = serializers.IntegerField()
    packs = ReportPackSerializer(
        many=True,
        required=False,
        help_text="The pack versions scored after the questionnaire, in order (absent from "
        "reports built before packs).",
    )
    needs_assessment = serializers.IntegerField(allow_null=True)


class ReportSettingsSerializer(StrictSerializer):
    seed = serializers.IntegerField()
    trials = serializers.IntegerField()
    spread = serializers.FloatField()


class ReportSectionSerializer(StrictSerializer):
    code = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.FloatField(help_text="Section weight W_s used.")
    normalised_weight = serializers.FloatField()


class ReportSectionScoreSerializer(StrictSerializer):
    section = serializers.CharField()
    score = serializers.FloatField(help_text="0-100, 2 decimals.")


class ReportCandidateSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    provider_id = serializers.IntegerField()
    provider_name = serializers.CharField()
    scorecard_id = serializers.IntegerField()
    scorecard_version = serializers.IntegerField()
    rank = serializers.IntegerField()
    overall = serializers.FloatField()
    completeness = serializers.FloatField()
    disqualified = serializers.BooleanField()
    failed_knockouts = serializers.ListField(child=serializers.CharField())
    red_flags = RedFlagSerializer(many=True)
    disagreements = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of questions with strong disagreement."
    )
    record_conflicts = RecordConflictSerializer(
        many=True,
        required=False,
        help_text="Answers contradicting the provider record when the report was built "
        "(absent from reports built before record conflicts existed).",
    )
    section_scores = ReportSectionScoreSerializer(many=True)


class ReportCellSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    x = serializers.FloatField(help_text="Normalised score in [0, 1], 4 decimals.")
    contribution = serializers.FloatField()
    answered = serializers.BooleanField()
    answer = AnswerValueField(allow_null=True, help_text="The stored answer value.")
    answer_text = serializers.CharField(allow_blank=True, help_text="The answer, readable.")
    rating_count = serializers.IntegerField()
    spread = serializers.FloatField(allow_null=True)
    disagreement = serializers.BooleanField()
    overridden = serializers.BooleanField()
    failed_knockout = serializers.BooleanField()
    red_flags = serializers.ListField(child=serializers.CharField())


class ReportQuestionSerializer(StrictSerializer):
    code = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    kind = serializers.CharField()
    judged = serializers.BooleanField()
    weight = serializers.FloatField()
    effective_weight = serializers.FloatField()
    knockout = serializers.BooleanField()
    tags = serializers.ListField(child=serializers.CharField())
    cells = ReportCellSerializer(many=True, help_text="One per candidate, in ranking order.")


class DisagreementFlagSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    provider_name = serializers.CharField()
    question = serializers.CharField()
    spread = serializers.FloatField(allow_null=True)


class ReportAgreementSerializer(StrictSerializer):
    level_of_measurement = serializers.CharField()
    alpha = serializers.FloatField(
        allow_null=True, help_text="Krippendorff's alpha over the ratings; null when undefined."
    )
    interpretation = serializers.CharField(
        allow_null=True, help_text="`reliable` (>= 0.8), `tentative` (>= 0.667) or `low`."
    )
    raters = serializers.IntegerField()
    units = serializers.IntegerField(help_text="Rated (candidate, judged question) pairs.")
    pairable_units = serializers.IntegerField(help_text="Units with two or more ratings.")
    ratings = serializers.IntegerField()
    message = serializers.CharField(allow_null=True)
    flags = DisagreementFlagSerializer(many=True)


class TippingPointSerializer(StrictSerializer):
    section = serializers.CharField()
    weight = serializers.FloatField()
    increase_factor = serializers.FloatField(allow_null=True)
    increase_leader_id = serializers.IntegerField(allow_null=True)
    increase_leader_name = serializers.CharField(allow_null=True)
    decrease_factor = serializers.FloatField(allow_null=True)
    decrease_leader_id = serializers.IntegerField(allow_null=True)
    decrease_leader_name = serializers.CharField(allow_null=True)


class CandidateOutcomeSerializer(StrictSerializer):
    candidate_id = serializers.IntegerField()
    name = serializers.CharField()
    win_probability = serializers.FloatField()
    min_rank = serializers.IntegerField()
    median_rank = serializers.FloatField()
    max_rank = serializers.IntegerField()


class MonteCarloSerializer(StrictSerializer):
    seed = serializers.IntegerField()
    trials = serializers.IntegerField()
    spread = serializers.FloatField()
    leader_id = serializers.IntegerField()
    leader_name = serializers.CharField()
    leader_win_probability = serializers.FloatField()
    robust = serializers.BooleanField(help_text="The leader wins at least 80% of the trials.")
    candidates = CandidateOutcomeSerializer(many=True)


class SensitivitySerializer(StrictSerializer):
    sufficient = serializers.BooleanField(help_text="At least two qualified candidates.")
    message = serializers.CharField(allow_null=True)
    qualified_count = serializers.IntegerField()
    leader_id = serializers.IntegerField(allow_null=True)
    leader_name = serializers.CharField(allow_null=True)
    seed = serializers.IntegerField()
    trials = serializers.IntegerField()
    spread = serializers.FloatField()
    section_weights = serializers.DictField(child=serializers.FloatField())
    tipping_points = TippingPointSerializer(many=True)
    monte_carlo = MonteCarloSerializer(allow_null=True)


class ReportLotSerializer(StrictSerializer):
    code = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.FloatField()
    service_models = serializers.ListField(child=EnumChoiceField("ServiceModelEnum"))
    sections = ReportSectionSerializer(many=True, help_text="The lot's applicable sections.")
    candidates = ReportCandidateSerializer(
        many=True, help_text="The lot's bidders with their lot scorecards, in ranking order."
    )
    questions = ReportQuestionSerializer(many=True, help_text="The lot's applicable questions.")
    sensitivity = SensitivitySerializer(allow_null=True, help_text="Null when nobody bids.")


class ReportContentSerializer(StrictSerializer):
    schema_version = serializers.IntegerField()
    title = serializers.CharField()
    generated_at = serializers.DateTimeField()
    evaluation = ReportEvaluationSerializer()
    settings = ReportSettingsSerializer()
    sections = ReportSectionSerializer(many=True, help_text="Empty with lots (see `lots`).")
    candidates = ReportCandidateSerializer(
        many=True, help_text="In ranking order; empty with lots (see `lots`)."
    )
    questions = ReportQuestionSerializer(
        many=True, help_text="Applicable questions; empty with lots (see `lots`)."
    )
    disagreement = ReportAgreementSerializer(help_text="Over the whole event.")
    sensitivity = SensitivitySerializer(allow_null=True, help_text="Null with lots.")
    lots = ReportLotSerializer(many=True, help_text="Lot by lot, in lot order; empty without lots.")
    awards = AwardsSerializer(
        allow_null=True, help_text="The best awards; null in reports built before awards."
    )
    coverage = EvaluationCoverageSerializer()
    needs_assessment = NeedsSnapshotSerializer(allow_null=True)
    reassessment = ReassessmentComparisonSerializer(
        allow_null=True,
        help_text="In the report of a contract's reassessment round, its comparison with "
        "the previous round; null in other reports (and when the previous round has no "
        "scorecard any more).",
    )
    summary = serializers.CharField()
    summary_points = serializers.ListField(child=serializers.CharField())


# ---------------------------------------------------------------- the resource


class ReportSerializer(StrictModelSerializer):
    """A report in lists: what it is about, without the content."""

    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "evaluation",
            "title",
            "summary",
            "seed",
            "trials",
            "spread",
            "job",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    content = ReportContentSerializer(source="snapshot", read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "content"]
        read_only_fields = fields
