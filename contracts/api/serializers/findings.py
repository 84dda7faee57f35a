"""Findings, their thread and their trail, as the API reads and writes them."""

from django.utils import timezone
from rest_framework import serializers

from accounts.models import Membership
from accounts.tenancy import TenantModelSerializer
from config.serializers import StrictModelSerializer, StrictSerializer
from contracts.api.serializers.contracts import FIRST_START, LAST_START
from contracts.api.serializers.performance import PeriodField
from contracts.finding_thread import MAX_MESSAGE_LENGTH
from contracts.models import Contract, Finding, FindingEvent, FindingMessage, FindingStatus
from providers.api.fields import text_field

EDITABLE = ("title", "description", "severity", "status", "owner", "due_date", "rationale")


class FindingMessageSerializer(StrictModelSerializer):
    """One message of a finding's thread, by the buyer or by the provider."""

    class Meta:
        model = FindingMessage
        fields = ["id", "author_kind", "author_label", "body", "created_at"]
        read_only_fields = fields


class FindingMessageCreateSerializer(StrictSerializer):
    body = text_field(
        MAX_MESSAGE_LENGTH, blank=False, help_text=f"1 to {MAX_MESSAGE_LENGTH} characters."
    )


class FindingSerializer(TenantModelSerializer):
    """A finding: its source and the value that raised it, and its follow-up."""

    title = text_field(200, blank=False, help_text="1 to 200 characters.")
    description = text_field(5000)
    rationale = text_field(
        5000, help_text="Why the risk is accepted: required to move to `accepted_risk`."
    )
    period = PeriodField(
        read_only=True,
        allow_null=True,
        help_text="The SLA month that raised it, `YYYY-MM` (null for other sources).",
    )
    raised_value = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="The answer or measured value that raised it (null by hand).",
    )
    details = serializers.JSONField(
        read_only=True, help_text="The rest of its cause: red flag tag, lots, record value..."
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.all(),
        allow_null=True,
        required=False,
        help_text="The member (membership id) following it up.",
    )
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.all(),
        allow_null=True,
        required=False,
        help_text="The contract it concerns; fixed once created.",
    )
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=f"{FIRST_START} to {LAST_START}; by hand, default by severity "
        "(critical 14 days, high 30, medium 60, low 90).",
    )
    overdue = serializers.SerializerMethodField(help_text="Still to remediate and past due.")

    class Meta:
        model = Finding
        fields = [
            "id",
            "title",
            "description",
            "source",
            "source_key",
            "provider",
            "contract",
            "evaluation",
            "candidate",
            "question",
            "question_code",
            "sla_term",
            "measurement",
            "period",
            "raised_value",
            "details",
            "severity",
            "status",
            "owner",
            "due_date",
            "overdue",
            "rationale",
            "shared_with_provider",
            "cause_cleared_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "source",
            "source_key",
            "evaluation",
            "candidate",
            "question",
            "question_code",
            "sla_term",
            "measurement",
            "period",
            "shared_with_provider",
            "cause_cleared_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "provider": {"help_text": "The provider to remediate; fixed once created."},
            "status": {"required": False},
        }

    def get_overdue(self, finding) -> bool:
        return (
            finding.status in (FindingStatus.OPEN, FindingStatus.IN_REMEDIATION)
            and finding.due_date is not None
            and finding.due_date < timezone.localdate()
        )

    def validate_provider(self, value):
        if self.instance is not None and value != self.instance.provider:
            raise serializers.ValidationError("Fixed once the finding exists.")
        return value

    def validate_contract(self, value):
        if self.instance is not None and value != self.instance.contract:
            raise serializers.ValidationError("Fixed once the finding exists.")
        return value

    def validate_due_date(self, value):
        if value is not None and not FIRST_START <= value <= LAST_START:
            raise serializers.ValidationError(f"Between {FIRST_START} and {LAST_START}.")
        return value

    def validate_status(self, value):
        if self.instance is None and value != FindingStatus.OPEN:
            raise serializers.ValidationError("A new finding is open.")
        return value

    def validate(self, attrs):
        contract = attrs.get("contract")
        provider = attrs.get("provider", getattr(self.instance, "provider", None))
        if contract is not None and contract.provider_id != getattr(provider, "pk", None):
            raise serializers.ValidationError({"contract": ["A contract with this provider."]})
        return attrs


class FindingEventSerializer(StrictModelSerializer):
    """One change of a finding."""

    old_value = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The changed fields before (null on creation)."
    )
    new_value = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The changed fields after."
    )

    class Meta:
        model = FindingEvent
        fields = [
            "id",
            "finding_ref",
            "actor_label",
            "action",
            "old_value",
            "new_value",
            "created_at",
        ]
        read_only_fields = fields


class RespondentFindingSerializer(StrictSerializer):
    """A finding shared with the provider, as its contact sees it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    question_code = serializers.CharField()
    messages = FindingMessageSerializer(many=True)


class RespondentFindingsSerializer(StrictSerializer):
    findings = RespondentFindingSerializer(many=True)


class RespondentReplySerializer(StrictSerializer):
    finding = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="A finding shared with you (its id)."
    )
    message = text_field(
        MAX_MESSAGE_LENGTH, blank=False, help_text=f"1 to {MAX_MESSAGE_LENGTH} characters."
    )
