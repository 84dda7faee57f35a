"""Scorecards: the stored explanation, typed for generated clients."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.fields import AnswerValueField, NamedChoiceField
from config.serializers import StrictModelSerializer, StrictSerializer
from evaluations.models import Scorecard
from evaluations.record_conflicts import record_conflicts


class RedFlagSerializer(StrictSerializer):
    tag = serializers.CharField()
    question = serializers.CharField()


@extend_schema_field({"anyOf": [{"type": "string"}, {"type": "number"}]})
class RecordValueField(serializers.JSONField):
    """A compared source's record value: a code (SOC model, remedy, reference
    standing, partner delivery) or a number of minutes (questionnaires.prefill)."""


class RecordConflictSerializer(StrictSerializer):
    question = serializers.CharField(help_text="The question's code.")
    answer = AnswerValueField(help_text="The candidate's current answer.")
    record_value = RecordValueField(
        help_text="What the provider record holds (a code of the source, or minutes)."
    )
    expected = AnswerValueField(help_text="The answer the record stands for.")
    source = serializers.CharField(help_text="The question's prefill source.")
    note = serializers.CharField(help_text='What the record says, e.g. "SOC model third_party".')


def conflicts_of(context: dict, card) -> list[dict]:
    """A scorecard's record conflicts: its candidate's, for the latest version only
    (a superseded version's answers are not the current ones). ``context`` holds
    them for a whole page (``record_conflicts``); a single scorecard reads its own."""
    if not card.is_latest:
        return []
    if "record_conflicts" not in context:
        context["record_conflicts"] = record_conflicts([card.candidate_id])
    return context["record_conflicts"].get(card.candidate_id, [])


class SectionScoreSerializer(StrictSerializer):
    code = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.FloatField(help_text="Section weight W_s used.")
    normalised_weight = serializers.FloatField(help_text="W_s / sum of W, 4 decimals.")
    score = serializers.FloatField(help_text="0-100, 2 decimals.")
    s = serializers.FloatField(help_text="S_s in [0, 1], full precision.")


class QuestionScoreSerializer(StrictSerializer):
    code = serializers.CharField()
    section = serializers.CharField()
    x = serializers.FloatField(help_text="Normalised score in [0, 1].")
    effective_weight = serializers.FloatField()
    contribution = serializers.FloatField(help_text="100 * effective weight * x.")
    answered = serializers.BooleanField()
    rating_count = serializers.IntegerField()
    spread = serializers.FloatField(allow_null=True)
    disagreement = serializers.BooleanField()
    overridden = serializers.BooleanField()
    knockout = serializers.BooleanField()
    failed_knockout = serializers.BooleanField()


class ScorecardSerializer(StrictModelSerializer):
    """The compact scorecard, for lists and sync."""

    provider = serializers.IntegerField(source="candidate.provider_id", read_only=True)
    provider_name = serializers.CharField(source="candidate.provider.name", read_only=True)
    rank = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Competition rank among the latest scorecards of its lot (docs/scoring.md); "
        "null for superseded versions. A rank that changes because another candidate was "
        "(re)scored or removed moves this scorecard's `updated_at`.",
    )
    failed_knockouts = serializers.SerializerMethodField()
    red_flags = serializers.SerializerMethodField()
    record_conflicts = serializers.SerializerMethodField(
        help_text="The candidate's answers that contradict its provider's record now "
        '(docs/responses.md, "Record conflicts"): computed when read, never part of the '
        "scores or the input hash, so they do not move `updated_at`. Empty for superseded "
        "versions."
    )

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "evaluation",
            "candidate",
            "provider",
            "provider_name",
            "lot",
            "version",
            "is_latest",
            "rank",
            "overall",
            "completeness",
            "disqualified",
            "failed_knockouts",
            "red_flags",
            "record_conflicts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_record_conflicts(self, obj) -> RecordConflictSerializer(many=True):
        return conflicts_of(self.context, obj)

    def get_failed_knockouts(self, obj) -> list[str]:
        return obj.failed_knockouts

    def get_red_flags(self, obj) -> RedFlagSerializer(many=True):
        return obj.red_flags


def _iso_datetime(value, zone) -> str:
    # DRF's DateTimeField with the default ISO 8601 format.
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def summary_representations(rows, conflicts: dict[int, list[dict]]) -> list[dict]:
    """``ScorecardSerializer(many=True).data`` for ``SummaryRows`` rows, built
    directly: DRF's field-by-field machinery cost more than the rest of a list
    request. ScorecardSerializer stays the documented schema; a test proves both
    give the same JSON for the same rows. ``conflicts``: ``record_conflicts`` of the
    rows' candidates."""
    zone = timezone.get_current_timezone()
    return [
        {
            "id": row.pk,
            "evaluation": row.evaluation_id,
            "candidate": row.candidate_id,
            "provider": row.candidate__provider_id,
            "provider_name": row.candidate__provider__name,
            "lot": row.lot,
            "version": row.version,
            "is_latest": row.is_latest,
            "rank": row.rank,
            "overall": float(row.overall),
            "completeness": float(row.completeness),
            "disqualified": row.disqualified,
            "failed_knockouts": row.failed_knockouts,
            "red_flags": row.red_flags,
            "record_conflicts": conflicts.get(row.candidate_id, []) if row.is_latest else [],
            "created_at": _iso_datetime(row.created_at, zone),
            "updated_at": _iso_datetime(row.updated_at, zone),
        }
        for row in rows
    ]


class ScorecardDetailSerializer(ScorecardSerializer):
    """Everything needed to explain and reproduce the numbers."""

    effective_section_weights = serializers.DictField(
        child=serializers.FloatField(), read_only=True
    )
    pack_versions = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Ids of the pack versions scored after `questionnaire_version`, in order; "
        "empty without packs.",
    )
    sections = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta(ScorecardSerializer.Meta):
        fields = [
            *ScorecardSerializer.Meta.fields,
            "input_hash",
            "engine_version",
            "questionnaire_version",
            "pack_versions",
            "aggregation",
            "effective_section_weights",
            "sections",
            "questions",
        ]
        read_only_fields = fields

    def get_sections(self, obj) -> SectionScoreSerializer(many=True):
        return obj.details["sections"]

    def get_questions(self, obj) -> QuestionScoreSerializer(many=True):
        return obj.question_results


DECISIONS = [
    ("pending", "Not decided yet"),
    ("awarded", "This candidate was chosen"),
    ("not_awarded", "Another candidate was chosen"),
    ("cancelled", "The evaluation was cancelled"),
]


class FlatScorecardSerializer(StrictSerializer):
    """A scorecard as one flat row with fixed columns, for CRMs (docs/integrating.md).

    One row per scorecard version: the rows with `is_latest` true are one per
    provider and evaluation; a row with `is_latest` false replaces (tombstones)
    that version."""

    id = serializers.IntegerField(help_text="The scorecard's id (as in `/scorecards/`).")
    evaluation = serializers.IntegerField()
    candidate = serializers.IntegerField()
    provider = serializers.IntegerField()
    provider_name = serializers.CharField()
    external_ids = serializers.DictField(
        child=serializers.CharField(),
        help_text="The provider's ids in connected systems, system -> id "
        '(e.g. `{"hubspot": "123"}`); `{}` when none.',
    )
    lot = serializers.CharField(
        help_text="The lot's code (one row per provider, evaluation and lot); `all` in an "
        "evaluation without lots."
    )
    version = serializers.IntegerField()
    is_latest = serializers.BooleanField(
        help_text="False once a newer version exists: drop this row (its `id`) and keep "
        "the newer one."
    )
    rank = serializers.IntegerField(
        allow_null=True, help_text="Competition rank in its lot; null when superseded."
    )
    overall = serializers.FloatField(help_text="0-100, 2 decimals.")
    completeness = serializers.FloatField(help_text="0-1.")
    disqualified = serializers.BooleanField()
    red_flag_count = serializers.IntegerField()
    failed_knockout_count = serializers.IntegerField()
    decision = NamedChoiceField(
        "ScorecardDecisionEnum",
        DECISIONS,
        help_text="The evaluation's decision for this provider.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
