"""Events emitted by the evaluation services, with their documented payloads."""

import pytest

from evaluations.models import Scorecard
from evaluations.services import decisions, lifecycle, scoring
from integrations import events
from integrations.api.event_schemas import EVENT_SERIALIZERS
from integrations.models import Delivery, Event, Webhook
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory


@pytest.fixture
def evaluation(organization):
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization) for _ in range(2)]
    return make_evaluation(organization, version, providers=providers)


def payloads(event_type):
    return [e.payload for e in Event.objects.filter(type=event_type).order_by("created_at")]


def assert_documented(payload):
    """The payload validates against its documented serializer."""
    serializer = EVENT_SERIALIZERS[payload["type"]](data=payload)
    assert serializer.is_valid(), serializer.errors


def test_scoring_emits_one_event_per_new_scorecard(evaluation):
    scoring.score_evaluation(evaluation.pk)
    emitted = payloads(events.SCORECARD_COMPLETED)
    cards = {c.pk: c for c in Scorecard.objects.all()}
    assert sorted(p["data"]["scorecard"] for p in emitted) == sorted(cards)
    for payload in emitted:
        assert_documented(payload)
        card = cards[payload["data"]["scorecard"]]
        assert payload["data"]["provider"] == card.candidate.provider_id
        assert payload["data"]["overall"] == card.overall
        assert payload["data"]["url"] == f"/api/v1/scorecards/{card.pk}/"
    scoring.score_evaluation(evaluation.pk)  # unchanged inputs: no new scorecards
    assert len(payloads(events.SCORECARD_COMPLETED)) == len(cards)


def test_status_changes_and_decisions_emit_events(evaluation, organization):
    lead = evaluation.lead
    scoring.score_evaluation(evaluation.pk)
    lifecycle.change_status(evaluation, user=lead.user, status="scoring")
    candidate = evaluation.candidates.first()
    decisions.decide(evaluation, user=lead.user, award={"all": candidate.pk}, rationale="Own SOC")
    changes = payloads(events.EVALUATION_STATUS_CHANGED)
    assert [(p["data"]["old_status"], p["data"]["new_status"]) for p in changes] == [
        ("collecting", "scoring"),
        ("scoring", "decided"),
    ]
    [decided] = payloads(events.EVALUATION_DECIDED)
    assert decided["data"]["candidate"] == candidate.pk
    assert decided["data"]["provider"] == candidate.provider_id
    assert decided["data"]["rationale"] == "Own SOC"
    assert decided["data"]["award"] == [
        {"lot": "all", "candidate": candidate.pk, "provider": candidate.provider_id}
    ]
    for payload in [*changes, decided]:
        assert_documented(payload)


def test_a_refused_transition_emits_nothing(evaluation):
    with pytest.raises(Exception, match="cannot go"):
        lifecycle.change_status(evaluation, user=None, status="decided")
    assert not Event.objects.exists()


def test_report_completed_payload(organization):
    from evaluations.models import Report
    from evaluations.tasks import reports as tasks_reports
    from jobs import services as jobs

    version = make_version(organization)
    evaluation = make_evaluation(
        organization, version, providers=[ProviderFactory(organization=organization)]
    )
    job = jobs.create_job(
        organization,
        "report",
        params={"evaluation_id": evaluation.pk, "seed": 1, "trials": 100, "spread": 0.25},
    )
    tasks_reports.generate_report(str(job.id))
    report = Report.objects.get()
    event = events.emit(organization, events.REPORT_COMPLETED, events.report_completed_data(report))
    assert_documented(event.payload)
    assert event.payload["data"] == {
        "report": report.pk,
        "evaluation": evaluation.pk,
        "job": str(job.id),
        "url": f"/api/v1/reports/{report.pk}/",
        "download_url": f"/api/v1/reports/{report.pk}/download/",
    }


def test_subscribers_get_deliveries_of_their_event_types_only(evaluation, organization):
    status_hook = Webhook.objects.create(
        organization=organization,
        url="https://a.example/",
        events=[events.EVALUATION_STATUS_CHANGED],
        secret="whsec_AAAA",
    )
    Webhook.objects.create(
        organization=organization,
        url="https://b.example/",
        events=[events.REPORT_COMPLETED],
        secret="whsec_AAAA",
    )
    lifecycle.change_status(evaluation, user=None, status="scoring")
    scoring.score_evaluation(evaluation.pk)
    assert list(Delivery.objects.values_list("webhook_id", "event__type")) == [
        (status_hook.pk, events.EVALUATION_STATUS_CHANGED)
    ]
