"""Reassessment schedules, rounds and their comparison, as the API shows them."""

from rest_framework import serializers

from config.serializers import StrictModelSerializer, StrictSerializer
from contracts import reassessment_comparison as comparison
from contracts import reassessment_rules as rules
from contracts.models import ReassessmentMode, ReassessmentRound, ReassessmentSchedule
from responses.api.serializers import ContactInputSerializer
from responses.services.requests import MAX_CONTACTS

# Derived on read (``contracts.selectors.with_round_state``).
ROUND_STATUSES = (
    ("open", "Waiting for answers and scoring"),
    ("scored", "The round's provider has a scorecard: the comparison is available"),
    ("cancelled", "The round's evaluation was cancelled"),
)


def _contacts_field():
    return ContactInputSerializer(
        many=True,
        required=False,
        max_length=MAX_CONTACTS,
        help_text=f"Who the response request goes to (at most {MAX_CONTACTS}); empty: the "
        "contacts of the previous round's request.",
    )


def _unique_contacts(contacts: list[dict]) -> list[dict]:
    emails = [contact["email"].strip().lower() for contact in contacts]
    if len(set(emails)) != len(emails):
        raise serializers.ValidationError("Each address once.")
    return [{**c, "email": e} for c, e in zip(contacts, emails, strict=True)]


class ReassessmentScheduleSerializer(StrictModelSerializer):
    """When the contract's provider is reassessed (docs/contracts.md, "Reassessment")."""

    mode = serializers.ChoiceField(
        choices=ReassessmentMode.choices,
        help_text="`interval`: every `interval_months`; `before_renewal`: "
        "`days_before_renewal` days before the renewal date.",
    )
    interval_months = serializers.IntegerField(
        min_value=1,
        max_value=rules.MAX_INTERVAL_MONTHS,
        required=False,
        allow_null=True,
        help_text=f"1 to {rules.MAX_INTERVAL_MONTHS}; required for `interval`.",
    )
    days_before_renewal = serializers.IntegerField(
        min_value=0,
        max_value=rules.MAX_DAYS_BEFORE_RENEWAL,
        required=False,
        allow_null=True,
        help_text=f"0 to {rules.MAX_DAYS_BEFORE_RENEWAL}; required for `before_renewal`.",
    )
    response_days = serializers.IntegerField(
        min_value=1,
        max_value=366,
        required=False,
        help_text="Days the provider has to respond to a round's request (default 30).",
    )
    contacts = _contacts_field()
    active = serializers.BooleanField(required=False, help_text="Beat opens rounds only if true.")
    next_due = serializers.SerializerMethodField(
        help_text="The next round's due date; null when none is due in this term."
    )

    class Meta:
        model = ReassessmentSchedule
        fields = [
            "contract",
            "mode",
            "interval_months",
            "days_before_renewal",
            "response_days",
            "contacts",
            "active",
            "next_due",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["contract", "next_due", "created_at", "updated_at"]

    def get_next_due(self, schedule) -> str | None:
        due = self.context.get("next_due")
        return None if due is None else due.isoformat()

    def validate_contacts(self, value):
        return _unique_contacts(value)

    def validate(self, attrs):
        state = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ("mode", "interval_months", "days_before_renewal")
        }
        if state["mode"] is None:
            raise serializers.ValidationError({"mode": ["This field is required."]})
        needed = "interval_months" if state["mode"] == rules.INTERVAL else "days_before_renewal"
        unused = "days_before_renewal" if needed == "interval_months" else "interval_months"
        if state[needed] is None:
            raise serializers.ValidationError({needed: [f"Required for `{state['mode']}`."]})
        # The other mode's setting is cleared, so the schedule says one thing.
        return {**attrs, unused: None}


class ReassessmentRoundSerializer(StrictModelSerializer):
    status = serializers.ChoiceField(
        choices=ROUND_STATUSES, read_only=True, help_text="Derived from the round's evaluation."
    )

    class Meta:
        model = ReassessmentRound
        fields = [
            "id",
            "contract",
            "evaluation",
            "candidate",
            "previous_evaluation",
            "previous_candidate",
            "response_request",
            "due_date",
            "opened_at",
            "scheduled",
            "status",
            "updated_at",
        ]
        read_only_fields = fields


class ScoreChangeSerializer(StrictSerializer):
    previous = serializers.FloatField(allow_null=True, help_text="0-100, 2 decimals.")
    current = serializers.FloatField(allow_null=True, help_text="0-100, 2 decimals.")
    delta = serializers.FloatField(
        allow_null=True, help_text="`current - previous`, exact; null when one is missing."
    )


class SectionChangeSerializer(ScoreChangeSerializer):
    code = serializers.CharField()
    title = serializers.CharField()


class QuestionChangeSerializer(StrictSerializer):
    code = serializers.CharField()
    section = serializers.CharField()
    previous_x = serializers.FloatField(allow_null=True, help_text="0-1, 4 decimals.")
    current_x = serializers.FloatField(allow_null=True, help_text="0-1, 4 decimals.")
    delta = serializers.FloatField(allow_null=True, help_text="`current_x - previous_x`, exact.")
    change = serializers.ChoiceField(choices=comparison.CHANGES)
    previous_answered = serializers.BooleanField(allow_null=True)
    current_answered = serializers.BooleanField(allow_null=True)


class FlagSerializer(StrictSerializer):
    tag = serializers.CharField()
    question = serializers.CharField()


class DisqualifiedSerializer(StrictSerializer):
    previous = serializers.BooleanField()
    current = serializers.BooleanField()


class ChangeCountsSerializer(StrictSerializer):
    improved = serializers.IntegerField()
    regressed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    new = serializers.IntegerField()
    removed = serializers.IntegerField()


class LotComparisonSerializer(StrictSerializer):
    lot = serializers.CharField()
    total = ScoreChangeSerializer()
    disqualified = DisqualifiedSerializer()
    counts = ChangeCountsSerializer()
    sections = SectionChangeSerializer(many=True)
    questions = QuestionChangeSerializer(many=True)
    red_flags_new = FlagSerializer(many=True)
    red_flags_cleared = FlagSerializer(many=True)
    knockouts_newly_failed = serializers.ListField(child=serializers.CharField())
    knockouts_cleared = serializers.ListField(child=serializers.CharField())


class ReassessmentComparisonSerializer(StrictSerializer):
    round = serializers.IntegerField()
    evaluation = serializers.IntegerField()
    previous_evaluation = serializers.IntegerField()
    scorecards = serializers.ListField(
        child=serializers.IntegerField(), help_text="The current round's scorecards compared."
    )
    previous_scorecards = serializers.ListField(
        child=serializers.IntegerField(), help_text="The previous round's scorecards."
    )
    lots = LotComparisonSerializer(many=True)
