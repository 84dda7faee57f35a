"""The webhook payloads, as OpenAPI components (documentation and client models).

Every delivery's body is one ``WebhookEvent``: a versioned envelope whose
``type`` says which ``data`` it carries (a discriminated ``oneOf``). The same
payloads appear as examples in ``GET /webhooks/event-types`` and as ``payload``
of each delivery.
"""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from config.serializers import StrictSerializer
from integrations import events

STATUS_HELP = "An evaluation status: draft, collecting, scoring, decided or cancelled."


class ScorecardCompletedDataSerializer(StrictSerializer):
    scorecard = serializers.IntegerField(help_text="Id of the new scorecard.")
    evaluation = serializers.IntegerField()
    candidate = serializers.IntegerField()
    provider = serializers.IntegerField(allow_null=True)
    lot = serializers.CharField(help_text="The lot's code; `all` in an evaluation without lots.")
    version = serializers.IntegerField(help_text="Version of this candidate's scorecard.")
    overall = serializers.FloatField(help_text="0-100.")
    completeness = serializers.FloatField()
    disqualified = serializers.BooleanField()
    engine_version = serializers.CharField()
    url = serializers.CharField(help_text="API path of the scorecard.")


class ReportCompletedDataSerializer(StrictSerializer):
    report = serializers.IntegerField()
    evaluation = serializers.IntegerField()
    job = serializers.UUIDField(allow_null=True, help_text="The job that built the report.")
    url = serializers.CharField(help_text="API path of the report.")
    download_url = serializers.CharField(help_text="API path of its downloads (`?format=`).")


class AwardAssignmentSerializer(StrictSerializer):
    lot = serializers.CharField()
    candidate = serializers.IntegerField()
    provider = serializers.IntegerField()


class EvaluationDecidedDataSerializer(StrictSerializer):
    evaluation = serializers.IntegerField()
    name = serializers.CharField()
    candidate = serializers.IntegerField(allow_null=True, help_text="The chosen candidate.")
    provider = serializers.IntegerField(
        allow_null=True, help_text="The chosen provider, when one candidate wins every lot."
    )
    award = AwardAssignmentSerializer(
        many=True, help_text="Who wins each lot (`all` in an evaluation without lots)."
    )
    rationale = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="API path of the evaluation.")


class EvaluationStatusChangedDataSerializer(StrictSerializer):
    evaluation = serializers.IntegerField()
    name = serializers.CharField()
    old_status = serializers.CharField(help_text=STATUS_HELP)
    new_status = serializers.CharField(help_text=STATUS_HELP)
    url = serializers.CharField(help_text="API path of the evaluation.")


class WebhookTestDataSerializer(StrictSerializer):
    webhook = serializers.IntegerField()
    message = serializers.CharField()


class ContractDataSerializer(StrictSerializer):
    contract = serializers.IntegerField()
    title = serializers.CharField()
    provider = serializers.IntegerField()
    evaluation = serializers.IntegerField(
        allow_null=True, help_text="The evaluation whose award it came from; null by hand."
    )
    renewal_date = serializers.DateField()
    notice_deadline = serializers.DateField()
    auto_renew = serializers.BooleanField()
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="Fields an update changed; empty on creation."
    )
    url = serializers.CharField(help_text="API path of the contract.")


class SlaBreachDataSerializer(StrictSerializer):
    contract = serializers.IntegerField()
    provider = serializers.IntegerField()
    sla_term = serializers.IntegerField()
    metric = serializers.CharField()
    target_value = serializers.CharField(help_text="Decimal string, in `unit`.")
    unit = serializers.CharField()
    period = serializers.CharField(help_text="The month, `YYYY-MM`.")
    measured_value = serializers.CharField(help_text="Decimal string, in `unit`.")
    misses = serializers.IntegerField()
    breach_dates = serializers.ListField(child=serializers.DateField())
    credit = serializers.CharField(
        allow_null=True, help_text="The month's service credit (decimal string), if the term says."
    )
    currency = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="API path of the contract's SLA summary.")


class ReassessmentOpenedDataSerializer(StrictSerializer):
    round = serializers.IntegerField(help_text="The reassessment round.")
    contract = serializers.IntegerField()
    provider = serializers.IntegerField()
    evaluation = serializers.IntegerField(help_text="The round's new evaluation.")
    previous_evaluation = serializers.IntegerField(
        allow_null=True, help_text="The evaluation it is compared with."
    )
    due_date = serializers.DateField()
    scheduled = serializers.BooleanField(help_text="Opened by the schedule (else by hand).")
    response_request = serializers.IntegerField(
        allow_null=True, help_text="The response request sent; null without contacts."
    )
    url = serializers.CharField(help_text="API path of the round.")


class FindingDataSerializer(StrictSerializer):
    finding = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField(
        help_text="`knockout`, `red_flag`, `record_conflict`, `sla_breach` or `manual`."
    )
    severity = serializers.CharField(help_text="`low`, `medium`, `high` or `critical`.")
    status = serializers.CharField(
        help_text="`open`, `in_remediation`, `resolved` or `accepted_risk`."
    )
    provider = serializers.IntegerField()
    contract = serializers.IntegerField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    cause_cleared = serializers.BooleanField(
        help_text="The cause that raised it is gone (the finding stays)."
    )
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="Fields an update changed; empty on creation."
    )
    url = serializers.CharField(help_text="API path of the finding.")


class _EnvelopeSerializer(StrictSerializer):
    type = serializers.CharField(help_text="The event type; selects the shape of `data`.")
    version = serializers.IntegerField(
        help_text="Payload version of this event type (1); bumped only for incompatible "
        "changes of `data`. New fields may appear within a version."
    )
    id = serializers.UUIDField(
        help_text="Event id; also the `webhook-id` header, the same on every retry and "
        "redelivery: deduplicate on it."
    )
    created_at = serializers.DateTimeField(help_text="When the event happened.")


class ScorecardCompletedEventSerializer(_EnvelopeSerializer):
    """`scorecard.completed`: a new scorecard version was computed."""

    data = ScorecardCompletedDataSerializer()


class ReportCompletedEventSerializer(_EnvelopeSerializer):
    """`report.completed`: a comparison report is ready."""

    data = ReportCompletedDataSerializer()


class EvaluationDecidedEventSerializer(_EnvelopeSerializer):
    """`evaluation.decided`: the lead chose a candidate."""

    data = EvaluationDecidedDataSerializer()


class EvaluationStatusChangedEventSerializer(_EnvelopeSerializer):
    """`evaluation.status_changed`: an evaluation moved to another status."""

    data = EvaluationStatusChangedDataSerializer()


class ContractChangeEventSerializer(_EnvelopeSerializer):
    """`contract.created` (a contract was made) and `contract.updated` (its terms
    changed): one shape for both, so that a payload matches exactly one member of
    the ``WebhookEvent`` union (its ``type`` is a plain string)."""

    data = ContractDataSerializer()


class SlaBreachEventSerializer(_EnvelopeSerializer):
    """`sla.breach`: a month of an SLA term was missed."""

    data = SlaBreachDataSerializer()


class ReassessmentOpenedEventSerializer(_EnvelopeSerializer):
    """`contract.reassessment_opened`: a reassessment round of a contract was opened."""

    data = ReassessmentOpenedDataSerializer()


class FindingChangeEventSerializer(_EnvelopeSerializer):
    """`finding.created` (a finding was raised) and `finding.updated` (it changed):
    one shape for both, as the contracts' events."""

    data = FindingDataSerializer()


class WebhookTestEventSerializer(_EnvelopeSerializer):
    """`webhook.test`: a ping sent by `POST /webhooks/{id}/test`."""

    data = WebhookTestDataSerializer()


EVENT_SERIALIZERS = {
    events.SCORECARD_COMPLETED: ScorecardCompletedEventSerializer,
    events.REPORT_COMPLETED: ReportCompletedEventSerializer,
    events.EVALUATION_DECIDED: EvaluationDecidedEventSerializer,
    events.EVALUATION_STATUS_CHANGED: EvaluationStatusChangedEventSerializer,
    events.CONTRACT_CREATED: ContractChangeEventSerializer,
    events.CONTRACT_UPDATED: ContractChangeEventSerializer,
    events.SLA_BREACH: SlaBreachEventSerializer,
    events.CONTRACT_REASSESSMENT_OPENED: ReassessmentOpenedEventSerializer,
    events.FINDING_CREATED: FindingChangeEventSerializer,
    events.FINDING_UPDATED: FindingChangeEventSerializer,
    events.WEBHOOK_TEST: WebhookTestEventSerializer,
}


def webhook_event_schema():
    """The ``WebhookEvent`` component: one of the payloads, by ``type``."""
    return PolymorphicProxySerializer(
        component_name="WebhookEvent",
        serializers=EVENT_SERIALIZERS,
        resource_type_field_name="type",
        many=False,
    )


EXAMPLE_DATA = {
    events.SCORECARD_COMPLETED: {
        "scorecard": 812,
        "evaluation": 42,
        "candidate": 97,
        "provider": 15,
        "lot": "soc",
        "version": 3,
        "overall": 78.25,
        "completeness": 0.96,
        "disqualified": False,
        "engine_version": "1",
        "url": "/api/v1/scorecards/812/",
    },
    events.REPORT_COMPLETED: {
        "report": 64,
        "evaluation": 42,
        "job": "9b2f6c1e-3d4a-4c58-9a51-2f0d6f3b8e77",
        "url": "/api/v1/reports/64/",
        "download_url": "/api/v1/reports/64/download/",
    },
    events.EVALUATION_DECIDED: {
        "evaluation": 42,
        "name": "Managed SOC 2025",
        "candidate": 97,
        "provider": 15,
        "award": [{"lot": "all", "candidate": 97, "provider": 15}],
        "rationale": "Own 24/7 SOC, healthcare references, service credits on missed SLAs.",
        "decided_at": "2025-03-14T09:30:00Z",
        "url": "/api/v1/evaluations/42/",
    },
    events.EVALUATION_STATUS_CHANGED: {
        "evaluation": 42,
        "name": "Managed SOC 2025",
        "old_status": "collecting",
        "new_status": "scoring",
        "url": "/api/v1/evaluations/42/",
    },
    events.CONTRACT_CREATED: {
        "contract": 31,
        "title": "Acme: Managed SOC 2025",
        "provider": 15,
        "evaluation": 42,
        "renewal_date": "2028-03-01",
        "notice_deadline": "2027-12-02",
        "auto_renew": True,
        "changed": [],
        "url": "/api/v1/contracts/31/",
    },
    events.CONTRACT_UPDATED: {
        "contract": 31,
        "title": "Acme: Managed SOC 2025",
        "provider": 15,
        "evaluation": 42,
        "renewal_date": "2029-03-01",
        "notice_deadline": "2028-12-01",
        "auto_renew": True,
        "changed": ["notice_deadline", "renewal_date", "term_months"],
        "url": "/api/v1/contracts/31/",
    },
    events.SLA_BREACH: {
        "contract": 31,
        "provider": 15,
        "sla_term": 77,
        "metric": "incident_response_time",
        "target_value": "30.000",
        "unit": "minutes",
        "period": "2026-02",
        "measured_value": "45.000",
        "misses": 2,
        "breach_dates": ["2026-02-03", "2026-02-17"],
        "credit": "102.50",
        "currency": "EUR",
        "url": "/api/v1/contracts/31/sla-summary/",
    },
    events.CONTRACT_REASSESSMENT_OPENED: {
        "round": 5,
        "contract": 31,
        "provider": 15,
        "evaluation": 58,
        "previous_evaluation": 42,
        "due_date": "2027-03-01",
        "scheduled": True,
        "response_request": 19,
        "url": "/api/v1/contracts/31/reassessments/5/",
    },
    events.FINDING_CREATED: {
        "finding": 58,
        "title": "Failed knockout SOC-02: Do you hold a current SOC 2 Type II report?",
        "source": "knockout",
        "severity": "critical",
        "status": "open",
        "provider": 15,
        "contract": 31,
        "due_date": "2026-03-15",
        "cause_cleared": False,
        "changed": [],
        "url": "/api/v1/findings/58/",
    },
    events.FINDING_UPDATED: {
        "finding": 58,
        "title": "Failed knockout SOC-02: Do you hold a current SOC 2 Type II report?",
        "source": "knockout",
        "severity": "critical",
        "status": "in_remediation",
        "provider": 15,
        "contract": 31,
        "due_date": "2026-03-15",
        "cause_cleared": False,
        "changed": ["owner", "status"],
        "url": "/api/v1/findings/58/",
    },
    events.WEBHOOK_TEST: {"webhook": 7, "message": "Test ping from Provider Scorecards."},
}
