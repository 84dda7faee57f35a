"""Evaluations, candidates and evaluators."""

from django.utils import timezone
from rest_framework import serializers

from accounts.tenancy import TenantModelSerializer
from config.serializers import StrictModelSerializer, StrictSerializer
from evaluations.api import serializers_sourcing as sourcing
from evaluations.api.serializers_packs import packs_field
from evaluations.engine.due import DueState, due_date_errors, due_state
from evaluations.models import (
    AuditEvent,
    Candidate,
    ConflictStatus,
    Evaluation,
    EvaluatorAssignment,
)
from evaluations.selectors import COLLECTING_RATINGS
from evaluations.services import packs as packs_service
from needs import services as needs
from providers.api.fields import EnumChoiceField

MAX_SECTION_WEIGHTS = 100
MAX_EXCLUDED = 500


def unique_list(child, max_length, **kwargs):
    return serializers.ListField(child=child, max_length=max_length, **kwargs)


class AwardLotSerializer(StrictSerializer):
    lot = serializers.CharField(max_length=40, help_text="A lot's code (`all` without lots).")
    candidate = serializers.IntegerField(help_text="Id of the candidate winning the lot.")


class DecisionSerializer(StrictSerializer):
    candidate = serializers.IntegerField(
        allow_null=True, help_text="The winner, when one candidate wins every lot."
    )
    award = AwardLotSerializer(many=True, help_text="Who wins each lot; empty until decided.")
    rationale = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class EvaluationSerializer(TenantModelSerializer):
    industry = EnumChoiceField("IndustryEnum", required=False, default="other")
    required_service_models = unique_list(
        EnumChoiceField("ServiceModelEnum"),
        4,
        required=False,
        help_text="Service models the buyer needs; questions with `applies_to` are scored only "
        "when they share one of these.",
    )
    frameworks = unique_list(EnumChoiceField("FrameworkEnum"), 20, required=False)
    section_weights = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1000),
        required=False,
        help_text="Overrides of section weights by section code.",
    )
    excluded_questions = unique_list(
        serializers.CharField(max_length=40),
        MAX_EXCLUDED,
        required=False,
        help_text="Question codes left out of scoring.",
    )
    packs = packs_field()
    lots = sourcing.lots_field()
    currency = sourcing.currency_field()
    horizon_months = sourcing.horizon_field()
    quantities = sourcing.quantities_field()
    price_weight = sourcing.price_weight_field()
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "name",
            "description",
            "questionnaire_version",
            "packs",
            "industry",
            "employee_count",
            "required_service_models",
            "frameworks",
            "profile_notes",
            "needs_assessment",
            "section_weights",
            "excluded_questions",
            "aggregation",
            "lots",
            "currency",
            "horizon_months",
            "quantities",
            "price_weight",
            "ratings_due",
            "decision_due",
            "status",
            "lead",
            "decision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "decision", "created_at", "updated_at"]
        extra_kwargs = {
            "name": {"max_length": 200},
            "description": {"max_length": 10000},
            "profile_notes": {"max_length": 10000},
            "employee_count": {"max_value": 10_000_000},
            "needs_assessment": {
                "help_text": "A needs assessment of your organization. On creation, fields you "
                "leave out are filled from it: industry, employee_count, frameworks, and "
                "required_service_models (every model judged required or recommended).",
            },
            "lead": {
                "required": False,
                "help_text": "Membership id of an admin; defaults to you when you are an admin.",
            },
            "ratings_due": {
                "help_text": "Last day for the evaluators' sheets; reminders follow it "
                "(docs/notifications.md). Null: no due date.",
            },
            "decision_due": {
                "help_text": "Last day for the lead's decision; not before `ratings_due`.",
            },
        }

    def get_decision(self, obj) -> DecisionSerializer:
        return {
            "candidate": obj.decision_candidate_id,
            "award": [
                {"lot": lot, "candidate": winner} for lot, winner in obj.decision_award.items()
            ],
            "rationale": obj.decision_rationale,
            "decided_at": obj.decided_at,
        }

    def validate_required_service_models(self, value):
        return list(dict.fromkeys(value))

    def validate_frameworks(self, value):
        return list(dict.fromkeys(value))

    def validate_excluded_questions(self, value):
        return list(dict.fromkeys(value))

    def validate_lots(self, value):
        return [dict(lot) for lot in value]

    def validate_currency(self, value):
        return sourcing.validate_currency(value)

    def validate_quantities(self, value):
        return sourcing.validate_quantities(value)

    def check_due_dates(self, attrs):
        def current(field):
            return attrs[field] if field in attrs else getattr(self.instance, field, None)

        errors = due_date_errors(
            ratings_due=current("ratings_due"),
            decision_due=current("decision_due"),
            given={field for field in ("ratings_due", "decision_due") if field in attrs},
            today=timezone.localdate(),
        )
        if errors:
            raise serializers.ValidationError(errors)

    def validate(self, attrs):
        self.check_due_dates(attrs)
        assessment = attrs.get("needs_assessment")
        if assessment is not None and self.instance is None:
            attrs = needs.prefill_evaluation(attrs, assessment, given=self.initial_data)
        version = attrs.get("questionnaire_version") or getattr(
            self.instance, "questionnaire_version", None
        )
        if version is None:
            return attrs
        if "packs" in attrs:
            pinned = [version.pk, *(pack.pk for pack in attrs["packs"])]
        else:
            current = packs_service.pack_version_ids(self.instance) if self.instance else []
            pinned = [version.pk, *current]
        errors = {}
        # Checked against the versions that will be pinned, also when only they
        # change: stale codes would make the evaluation unscorable.
        weights = attrs.get("section_weights", getattr(self.instance, "section_weights", None))
        if weights is not None:
            if len(weights) > MAX_SECTION_WEIGHTS:
                errors["section_weights"] = [f"At most {MAX_SECTION_WEIGHTS} entries."]
            else:
                unknown = sorted(set(weights) - packs_service.section_codes(pinned))
                if unknown:
                    errors["section_weights"] = [f"Unknown section codes: {', '.join(unknown)}."]
        excluded = attrs.get(
            "excluded_questions", getattr(self.instance, "excluded_questions", None)
        )
        if excluded:
            unknown = sorted(set(excluded) - packs_service.question_codes(pinned))
            if unknown:
                errors["excluded_questions"] = [f"Unknown question codes: {', '.join(unknown)}."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class StatusChangeSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=["collecting", "scoring", "cancelled"])


class DecideSerializer(StrictSerializer):
    award = AwardLotSerializer(
        many=True,
        required=False,
        max_length=20,
        help_text="Who wins each lot: every lot once. Give this or `candidate`.",
    )
    candidate = serializers.IntegerField(
        required=False, help_text="Id of a candidate that wins every lot (the award in short)."
    )
    rationale = serializers.CharField(
        max_length=10000,
        required=False,
        default="",
        allow_blank=True,
        help_text="Why. Required when a winner is disqualified in its lot or the award is not "
        "the best one of the comparison.",
    )

    def validate(self, attrs):
        if ("award" in attrs) == ("candidate" in attrs):
            raise serializers.ValidationError(
                {"award": ["Give either the award (lot by lot) or one candidate."]}
            )
        if "award" in attrs:
            lots = [item["lot"] for item in attrs["award"]]
            twice = sorted({lot for lot in lots if lots.count(lot) > 1})
            if twice:
                raise serializers.ValidationError(
                    {"award": [f"Each lot once; given twice: {', '.join(twice)}."]}
                )
        return attrs


class CandidateSerializer(TenantModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    lots = sourcing.bid_field(
        required=False,
        allow_null=True,
        help_text='Lot codes it bids on (`["all"]` when the evaluation has no lots). Left '
        "out or null: every lot all of whose service models the provider offers.",
    )

    class Meta:
        model = Candidate
        fields = ["id", "provider", "provider_name", "lots", "bid_source", "created_at"]
        read_only_fields = ["id", "provider_name", "bid_source", "created_at"]
        extra_kwargs = {
            "bid_source": {
                "help_text": "`default`: derived from the provider's service models, and "
                "derived again when the lots change; `explicit`: named, kept as named."
            }
        }


class CandidateUpdateSerializer(CandidateSerializer):
    """A candidate's provider is fixed; its bid may change."""

    class Meta(CandidateSerializer.Meta):
        read_only_fields = ["id", "provider", "provider_name", "bid_source", "created_at"]


class EvaluatorSerializer(TenantModelSerializer):
    member = serializers.PrimaryKeyRelatedField(
        source="membership",
        queryset=EvaluatorAssignment._meta.get_field("membership").related_model.objects.all(),
        help_text="Membership id of an admin or evaluator.",
    )
    username = serializers.CharField(source="membership.user.username", read_only=True)
    may_rate = serializers.BooleanField(read_only=True)
    ratings_due = serializers.DateField(
        source="evaluation.ratings_due",
        read_only=True,
        allow_null=True,
        help_text="The evaluation's last day for sheets.",
    )
    sheets_submitted = serializers.SerializerMethodField(
        help_text="Candidates this evaluator submitted a sheet for."
    )
    sheets_outstanding = serializers.SerializerMethodField(
        help_text="Candidates still without their sheet (0 once barred by a declared "
        "conflict, or once the evaluation left collecting)."
    )
    days_left = serializers.SerializerMethodField(
        help_text="Days until `ratings_due` (negative once past); null without one."
    )
    overdue = serializers.SerializerMethodField(
        help_text="`ratings_due` has passed and sheets are outstanding."
    )

    class Meta:
        model = EvaluatorAssignment
        fields = [
            "id",
            "member",
            "username",
            "conflict_status",
            "conflict_details",
            "declared_at",
            "conflict_override_reason",
            "conflict_overridden_at",
            "may_rate",
            "ratings_due",
            "sheets_submitted",
            "sheets_outstanding",
            "days_left",
            "overdue",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "username",
            "conflict_status",
            "conflict_details",
            "declared_at",
            "conflict_override_reason",
            "conflict_overridden_at",
            "may_rate",
            "created_at",
        ]

    def _counts(self, obj) -> tuple[int, int]:
        """(submitted, outstanding): from the list's annotations, else counted."""
        if not hasattr(obj, "sheets_submitted"):
            obj.sheets_submitted = obj.sheets.count()
            obj.candidate_count = obj.evaluation.candidates.count()
        barred = obj.conflict_status == ConflictStatus.CONFLICT and not obj.conflict_overridden_at
        collecting = obj.evaluation.status in COLLECTING_RATINGS
        owed = max(0, obj.candidate_count - obj.sheets_submitted)
        return obj.sheets_submitted, owed if collecting and not barred else 0

    def _due(self, obj) -> DueState:
        outstanding = self._counts(obj)[1]
        return due_state(
            obj.evaluation.ratings_due, today=timezone.localdate(), done=outstanding == 0
        )

    def get_sheets_submitted(self, obj) -> int:
        return self._counts(obj)[0]

    def get_sheets_outstanding(self, obj) -> int:
        return self._counts(obj)[1]

    def get_days_left(self, obj) -> int | None:
        return self._due(obj).days_left

    def get_overdue(self, obj) -> bool:
        return self._due(obj).overdue


class DeclarationSerializer(StrictSerializer):
    has_conflict = serializers.BooleanField()
    details = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)


class ConflictOverrideSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000)


class AuditEventSerializer(StrictModelSerializer):
    old_value = serializers.JSONField(read_only=True, allow_null=True)
    new_value = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "action",
            "actor_label",
            "source",
            "candidate",
            "question_code",
            "old_value",
            "new_value",
            "created_at",
        ]
        read_only_fields = fields
