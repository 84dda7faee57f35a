"""Findings end to end: raised at scoring and from SLA breaches, idempotently, followed
up over the API, a thread with the provider, reminders, webhooks and sync."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Membership, Role
from contracts import finding_reminders, performance, services
from contracts.models import Finding, FindingEvent
from evaluations.models import Answer
from evaluations.services import scoring
from integrations import events
from integrations.api.event_schemas import EVENT_SERIALIZERS
from integrations.models import Event, Tombstone
from notifications.models import Kind, Notification
from responses.services import requests as response_requests
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory, SlaTermFactory
from tests.responses.helpers import link_token, respondent_client

URL = "/api/v1/findings/"


def _contract(organization, user, provider):
    return services.create_contract(
        organization,
        user,
        {
            "provider": provider,
            "title": "Managed SOC",
            "currency": "EUR",
            "monthly_fee": Decimal("1000.00"),
            "start_date": date(2026, 1, 1),
            "term_months": 12,
        },
    )


def _answer(candidate, code, value):
    question = candidate.evaluation.questionnaire_version.questions.get(code=code)
    Answer.objects.update_or_create(
        candidate=candidate, question=question, defaults={"value": value}
    )


@pytest.fixture
def setting(admin_client, organization):
    """A provider under contract and a competitor, both candidates of one round that
    fail SOC-02 (a knockout) and flag SOC-01 (white label)."""
    version = make_version(organization)
    ours, theirs = (
        ProviderFactory(organization=organization),
        ProviderFactory(organization=organization),
    )
    SlaTermFactory(provider=ours, metric="uptime", target_value="99.900", unit="percent")
    evaluation = make_evaluation(organization, version, providers=[ours, theirs])
    winner, loser = evaluation.candidates.order_by("id")
    for candidate in (winner, loser):
        _answer(candidate, "SOC-02", False)
        _answer(candidate, "SOC-01", "white_label")
    contract = _contract(organization, admin_client.membership.user, ours)
    return {"evaluation": evaluation, "winner": winner, "loser": loser, "contract": contract}


def _keys():
    return sorted(Finding.objects.values_list("source_key", flat=True))


@pytest.mark.django_db
class TestRaising:
    def test_scoring_raises_the_contracted_providers_findings_once(self, setting):
        winner = setting["winner"]
        scoring.score_evaluation(setting["evaluation"].pk)
        assert _keys() == [
            f"knockout:{winner.pk}:SOC-02",
            f"red_flag:{winner.pk}:SOC-01:soc_ownership",
        ]
        knockout = Finding.objects.get(source="knockout")
        assert (knockout.severity, knockout.status, knockout.raised_value) == (
            "critical",
            "open",
            False,
        )
        assert knockout.contract == setting["contract"]
        assert knockout.question.code == "SOC-02"
        assert knockout.due_date == timezone.localdate() + timedelta(days=14)
        _answer(winner, "REP-02", True)  # other inputs: a new scorecard version
        scoring.score_evaluation(setting["evaluation"].pk)
        assert Finding.objects.count() == 2
        assert len([e for e in Event.objects.filter(type=events.FINDING_CREATED)]) == 2

    def test_a_cause_gone_is_cleared_and_a_cause_back_restored(self, setting):
        winner = setting["winner"]
        scoring.score_evaluation(setting["evaluation"].pk)
        _answer(winner, "SOC-02", True)
        scoring.score_evaluation(setting["evaluation"].pk)
        knockout = Finding.objects.get(source="knockout")
        assert knockout.cause_cleared_at is not None
        assert Finding.objects.get(source="red_flag").cause_cleared_at is None
        _answer(winner, "SOC-02", False)
        scoring.score_evaluation(setting["evaluation"].pk)
        knockout.refresh_from_db()
        assert knockout.cause_cleared_at is None
        actions = list(
            FindingEvent.objects.filter(finding=knockout)
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == ["finding.raised", "finding.cause_cleared", "finding.cause_returned"]

    def test_a_contract_made_after_scoring_raises_at_once(self, admin_client, organization):
        version = make_version(organization)
        provider = ProviderFactory(organization=organization)
        evaluation = make_evaluation(organization, version, providers=[provider])
        candidate = evaluation.candidates.get()
        _answer(candidate, "SOC-02", False)
        scoring.score_evaluation(evaluation.pk)
        assert not Finding.objects.exists()
        _contract(organization, admin_client.membership.user, provider)
        assert f"knockout:{candidate.pk}:SOC-02" in _keys()

    def test_an_sla_breach_raises_and_meeting_it_clears(self, setting):
        term = setting["contract"].sla_terms.get()
        measurement = performance.save_measurement(
            term, {"period": date(2026, 2, 1), "measured_value": Decimal("99.5")}
        )
        finding = Finding.objects.get(source="sla_breach")
        assert finding.source_key == f"sla_breach:{term.pk}:2026-02"
        assert (finding.raised_value, finding.measurement_id) == ("99.500", measurement.pk)
        assert finding.details["misses"] == 1
        performance.save_measurement(term, {"measured_value": Decimal("99.95")}, measurement)
        finding.refresh_from_db()
        assert finding.cause_cleared_at is not None
        assert Finding.objects.count() == 1


@pytest.mark.django_db
class TestApi:
    def _raised(self, setting):
        scoring.score_evaluation(setting["evaluation"].pk)
        return Finding.objects.get(source="knockout")

    def _patch(self, client, url, data):
        return client.patch(url, data, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])

    def test_status_moves_need_if_match_and_follow_the_rules(self, admin_client, setting):
        url = f"{URL}{self._raised(setting).pk}/"
        assert admin_client.patch(url, {"status": "resolved"}, format="json").status_code == 428
        refused = self._patch(admin_client, url, {"status": "resolved"})
        assert refused.status_code == 409
        assert "cannot become resolved" in refused.json()["detail"]
        moved = self._patch(
            admin_client, url, {"status": "in_remediation", "owner": admin_client.membership.pk}
        )
        assert moved.status_code == 200, moved.json()
        unexplained = self._patch(admin_client, url, {"status": "accepted_risk"})
        assert unexplained.status_code == 400
        assert [error["field"] for error in unexplained.json()["errors"]] == ["rationale"]
        accepted = self._patch(
            admin_client, url, {"status": "accepted_risk", "rationale": "Compensating control."}
        )
        assert accepted.status_code == 200
        assert accepted.json()["closed_at"] is not None
        trail = admin_client.get(f"{url}audit/").json()["results"]
        assert [row["action"] for row in trail][:2] == ["finding.updated", "finding.updated"]
        assert trail[0]["new_value"]["status"] == "accepted_risk"
        updates = [e.payload for e in Event.objects.filter(type=events.FINDING_UPDATED)]
        assert sorted(p["data"]["status"] for p in updates) == ["accepted_risk", "in_remediation"]
        for payload in [*updates, Event.objects.filter(type=events.FINDING_CREATED)[0].payload]:
            assert EVENT_SERIALIZERS[payload["type"]](data=payload).is_valid()

    def test_filters_and_by_hand(self, admin_client, setting, make_client):
        self._raised(setting)
        provider = setting["contract"].provider_id
        created = admin_client.post(
            URL,
            {
                "provider": provider,
                "title": "No runbook",
                "severity": "low",
                "due_date": "2020-01-01",
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        assert created.json()["source"] == "manual"
        overdue = admin_client.get(URL, {"overdue": "true"}).json()["results"]
        assert [row["id"] for row in overdue] == [created.json()["id"]]
        critical = admin_client.get(URL, {"severity": "critical", "source": "knockout"}).json()
        assert critical["count"] == 1
        assert admin_client.get(URL, {"status": "closed"}).status_code == 400
        viewer = make_client("viewer", admin_client.organization)
        assert viewer.get(URL).json()["count"] == 3
        assert viewer.post(URL, {"provider": provider}, format="json").status_code == 403

    def test_the_list_reads_a_constant_number_of_queries(
        self, admin_client, setting, django_assert_max_num_queries
    ):
        self._raised(setting)
        with django_assert_max_num_queries(12):
            page = admin_client.get(URL, {"page_size": 100})
        assert page.json()["count"] == 2

    def test_sync_and_tombstones(self, admin_client, setting, settings):
        settings.SYNC_SETTLE_SECONDS = 0
        finding = self._raised(setting)
        page = admin_client.get(f"{URL}sync/").json()
        assert finding.pk in [row["id"] for row in page["results"]]
        pk = finding.pk
        finding.delete()
        assert Tombstone.objects.filter(resource="findings", object_id=pk).exists()


@pytest.mark.django_db
class TestThread:
    def test_the_provider_reads_and_replies_through_its_link(self, admin_client, setting):
        finding = TestApi()._raised(setting)
        winner = setting["winner"]
        response_requests.create_request(
            setting["evaluation"],
            user=admin_client.membership.user,
            candidate=winner,
            due_date=timezone.localdate() + timedelta(days=10),
            message="Please answer",
            contacts=[{"name": "Ann", "email": "ann@vendor.example"}],
        )
        Finding.objects.filter(pk=finding.pk).update(owner=admin_client.membership)
        posted = admin_client.post(
            f"{URL}{finding.pk}/messages/", {"body": "Send the SOC 2 report."}, format="json"
        )
        assert posted.status_code == 201, posted.json()
        assert Notification.objects.filter(kind=Kind.FINDING_MESSAGE).count() == 1
        contact = respondent_client(link_token("ann@vendor.example"))
        shared = contact.get("/api/v1/respondent/findings/").json()["findings"]
        assert [row["id"] for row in shared] == [finding.pk]
        assert [m["body"] for m in shared[0]["messages"]] == ["Send the SOC 2 report."]
        other = Finding.objects.get(source="red_flag")  # not shared with it
        assert (
            contact.post(
                "/api/v1/respondent/findings/",
                {"finding": other.pk, "message": "x"},
                format="json",
            ).status_code
            == 404
        )
        reply = contact.post(
            "/api/v1/respondent/findings/",
            {"finding": finding.pk, "message": "Attached tomorrow."},
            format="json",
        )
        assert reply.status_code == 201, reply.json()
        assert [m["author_kind"] for m in reply.json()["messages"]] == ["buyer", "provider"]
        mail = Notification.objects.get(kind=Kind.FINDING_REPLY)
        assert mail.to_email == admin_client.membership.user.email
        thread = admin_client.get(f"{URL}{finding.pk}/messages/").json()["results"]
        assert [m["body"] for m in thread] == ["Send the SOC 2 report.", "Attached tomorrow."]
        too_long = admin_client.post(f"{URL}{finding.pk}/messages/", {"body": "x" * 5001})
        assert too_long.status_code == 400


@pytest.mark.django_db
def test_reminders_go_once_to_the_owner(admin_client, setting, settings):
    settings.FINDING_REMINDER_DAYS = 7
    scoring.score_evaluation(setting["evaluation"].pk)
    today = timezone.localdate()
    knockout = Finding.objects.get(source="knockout")
    flag = Finding.objects.get(source="red_flag")
    Finding.objects.filter(pk=knockout.pk).update(
        owner=admin_client.membership, due_date=today + timedelta(days=3)
    )
    Finding.objects.filter(pk=flag.pk).update(
        owner=admin_client.membership, due_date=today - timedelta(days=1)
    )
    assert finding_reminders.send_finding_reminders(today) == {"due": 1, "overdue": 1}
    assert finding_reminders.send_finding_reminders(today) == {"due": 0, "overdue": 0}
    assert Notification.objects.filter(kind=Kind.FINDING_DUE).count() == 1
    assert Notification.objects.filter(kind=Kind.FINDING_OVERDUE).count() == 1


def organization_admin_emails(organization) -> list[str]:
    admins = Membership.objects.filter(organization=organization, role=Role.ADMIN)
    return sorted(admins.values_list("user__email", flat=True))


@pytest.mark.django_db
class TestFindingsPage:
    """The page the email's link opens: the shared findings, their threads, a reply."""

    def test_the_emailed_link_opens_the_page_and_a_reply_reaches_the_thread(
        self, admin_client, setting, client
    ):
        finding = TestApi()._raised(setting)
        response_requests.create_request(
            setting["evaluation"],
            user=admin_client.membership.user,
            candidate=setting["winner"],
            due_date=timezone.localdate() + timedelta(days=10),
            message="Please answer",
            contacts=[{"name": "Ann", "email": "ann@vendor.example"}],
        )
        admin_client.post(
            f"{URL}{finding.pk}/messages/", {"body": "Send the SOC 2 report."}, format="json"
        )
        mail = Notification.objects.get(kind=Kind.FINDING_MESSAGE)
        token = link_token("ann@vendor.example")
        path = f"/respond/{token}/findings/"
        assert path in mail.body_text and path in mail.body_html
        page = client.get(path)
        assert page.status_code == 200
        assert page["Cache-Control"] == "no-store"
        html = page.content.decode()
        assert finding.title in html and "Send the SOC 2 report." in html
        other = Finding.objects.get(source="red_flag")  # not shared with the provider
        assert other.title not in html

        reply = f"/respond/{token}/findings/reply/"
        empty = client.post(reply, {"finding": finding.pk, "message": "  "})
        assert empty.status_code == 400
        assert 'aria-invalid="true"' in empty.content.decode()
        refused = client.post(reply, {"finding": other.pk, "message": "x"})
        assert refused.status_code == 404
        assert "no longer shared" in refused.content.decode()
        sent = client.post(reply, {"finding": finding.pk, "message": "Attached\r\ntomorrow."})
        assert sent.status_code == 302 and sent["Location"].endswith(f"#f-{finding.pk}")
        thread = admin_client.get(f"{URL}{finding.pk}/messages/").json()["results"]
        assert [m["body"] for m in thread] == ["Send the SOC 2 report.", "Attached\ntomorrow."]
        # No owner: the organization's admins are told.
        told = Notification.objects.filter(kind=Kind.FINDING_REPLY).values_list("to_email")
        admins = organization_admin_emails(admin_client.organization)
        assert sorted(email for (email,) in told) == admins

    def test_an_unknown_link_is_a_404_page(self, client):
        assert client.get("/respond/not-a-token/findings/").status_code == 404
        assert client.post("/respond/not-a-token/findings/reply/", {}).status_code == 404
