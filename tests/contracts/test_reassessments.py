"""Reassessment rounds: scheduled by beat (once), on the current published versions,
the response request mailed, and the comparison with the award's evaluation."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from contracts import reassessments, services
from contracts.models import Contract, ReassessmentRound
from evaluations.models import Answer, Evaluation
from evaluations.services import scoring
from integrations.models import Event
from questionnaires.models import QuestionnaireVersion, VersionStatus
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.test_reports_api import built_report
from tests.mail import mail_to
from tests.providers.factories import ProviderFactory

DUE = date(2027, 1, 31)


def answer(evaluation, values: dict):
    candidate = evaluation.candidates.get()
    questions = {q.code: q for q in evaluation.questionnaire_version.questions.all()}
    for code, value in values.items():
        Answer.objects.create(candidate=candidate, question=questions[code], value=value)
    scoring.score_evaluation(evaluation.pk)


@pytest.fixture
def contract(admin_client):
    organization = admin_client.organization
    provider = ProviderFactory(organization=organization, name="Acme")
    award = make_evaluation(
        organization, make_version(organization), lead=admin_client.membership, providers=[provider]
    )
    # Previous round: x 1.0, 1.0 (knockout passes), REP-01 unrated, REP-02 1.0.
    # S_soc = 1, S_rep = 0.5, overall = 100 * (3 * 1 + 1 * 0.5) / 4 = 87.50.
    answer(award, {"SOC-01": "own", "SOC-02": True, "REP-02": True})
    Evaluation.objects.filter(pk=award.pk).update(status="decided")
    contract = services.create_contract(
        organization,
        admin_client.membership.user,
        {
            "provider": provider,
            "title": "Acme SOC",
            "start_date": date(2026, 1, 31),
            "term_months": 36,
            "auto_renew": True,
        },
    )
    Contract.objects.filter(pk=contract.pk).update(
        evaluation=award, candidate=award.candidates.get()
    )
    contract.refresh_from_db()
    return contract


def schedule_url(contract):
    return f"/api/v1/contracts/{contract.pk}/reassessment-schedule/"


def set_schedule(client, contract, **fields):
    body = {"mode": "interval", "interval_months": 12, **fields}
    return client.patch(schedule_url(contract), body, format="json")


def publish_newer(contract) -> QuestionnaireVersion:
    """Version 2 of the award's questionnaire published (version 1 retired)."""
    first = contract.evaluation.questionnaire_version
    QuestionnaireVersion.objects.filter(pk=first.pk).update(status=VersionStatus.RETIRED)
    newer = make_version(contract.organization, code=first.questionnaire.code)
    assert newer.number == 2
    return newer


@pytest.mark.django_db
class TestSchedule:
    def test_set_read_change_and_remove(self, admin_client, contract):
        assert admin_client.get(schedule_url(contract)).status_code == 404
        response = set_schedule(admin_client, contract)
        assert response.status_code == 200, response.json()
        assert response.json()["next_due"] == "2027-01-31"
        changed = admin_client.patch(
            schedule_url(contract),
            {"mode": "before_renewal", "days_before_renewal": 60},
            format="json",
        )
        # Renewal 31 January 2029 - 60 days.
        assert changed.json()["next_due"] == "2028-12-02"
        assert changed.json()["interval_months"] is None
        assert admin_client.delete(schedule_url(contract)).status_code == 204
        assert admin_client.get(schedule_url(contract)).status_code == 404

    def test_strict_and_admins_only(self, admin_client, make_client, contract):
        missing = admin_client.patch(schedule_url(contract), {"mode": "interval"}, format="json")
        assert [e["field"] for e in missing.json()["errors"]] == ["interval_months"]
        unknown = set_schedule(admin_client, contract, every="week")
        assert [e["field"] for e in unknown.json()["errors"]] == ["every"]
        too_long = set_schedule(admin_client, contract, interval_months=121)
        assert too_long.status_code == 400
        twice = set_schedule(
            admin_client, contract, contacts=[{"name": "A", "email": "a@x.example"}] * 2
        )
        assert twice.status_code == 400
        viewer = make_client(Role.VIEWER, admin_client.organization)
        assert set_schedule(viewer, contract).status_code == 403


@pytest.mark.django_db
class TestScheduledRound:
    def test_beat_twice_opens_one_round_on_the_current_versions_and_mails_the_request(
        self, admin_client, contract, smtp_server, django_capture_on_commit_callbacks
    ):
        set_schedule(
            admin_client, contract, contacts=[{"name": "Pat", "email": "pat@acme.example"}]
        )
        newer = publish_newer(contract)
        assert reassessments.open_due_rounds(date(2027, 1, 30)) == {"opened": 0, "skipped": 0}
        with django_capture_on_commit_callbacks(execute=True):
            assert reassessments.open_due_rounds(DUE) == {"opened": 1, "skipped": 0}
        assert reassessments.open_due_rounds(DUE) == {"opened": 0, "skipped": 0}
        round_ = ReassessmentRound.objects.get()
        assert (round_.due_date, round_.scheduled) == (DUE, True)
        assert round_.previous_evaluation_id == contract.evaluation_id
        evaluation = round_.evaluation
        assert evaluation.questionnaire_version_id == newer.pk
        assert [c.provider_id for c in evaluation.candidates.all()] == [contract.provider_id]
        assert evaluation.section_weights == contract.evaluation.section_weights
        request = round_.response_request
        assert request.candidate_id == round_.candidate_id
        assert [c.email for c in request.contacts.all()] == ["pat@acme.example"]
        (mail,) = mail_to(smtp_server, "pat@acme.example", 1)
        assert "Acme" in mail.get_body(preferencelist=("plain",)).get_content()
        [event] = Event.objects.filter(type="contract.reassessment_opened")
        assert event.payload["data"]["round"] == round_.pk
        # The next round counts from this one.
        assert reassessments.open_due_rounds(date(2027, 6, 1))["opened"] == 0

    def test_comparison_shows_the_regression(self, admin_client, contract):
        set_schedule(admin_client, contract)
        reassessments.open_due_rounds(DUE)
        round_ = ReassessmentRound.objects.get()
        url = f"/api/v1/contracts/{contract.pk}/reassessments/{round_.pk}/"
        assert admin_client.get(url).json()["status"] == "open"
        assert admin_client.get(f"{url}comparison/").status_code == 409
        # SOC-01 white label (0.3, a red flag), SOC-02 false (the knockout fails).
        # S_soc = (2 * 0.3 + 0) / 3 = 0.2, S_rep = 0.5: 100 * (0.6 + 0.5) / 4 = 27.50.
        answer(round_.evaluation, {"SOC-01": "white_label", "SOC-02": False, "REP-02": True})
        assert admin_client.get(url).json()["status"] == "scored"
        response = admin_client.get(f"{url}comparison/")
        assert response.status_code == 200, response.json()
        [lot] = response.json()["lots"]
        assert lot["total"] == {"previous": 87.5, "current": 27.5, "delta": -60.0}
        assert [(s["code"], s["previous"], s["current"], s["delta"]) for s in lot["sections"]] == [
            ("soc", 100.0, 20.0, -80.0),
            ("rep", 50.0, 50.0, 0.0),
        ]
        changes = {q["code"]: (q["change"], q["delta"]) for q in lot["questions"]}
        assert changes == {
            "SOC-01": ("regressed", -0.7),
            "SOC-02": ("regressed", -1.0),
            "REP-01": ("unchanged", 0.0),
            "REP-02": ("unchanged", 0.0),
        }
        assert lot["red_flags_new"] == [{"tag": "soc_ownership", "question": "SOC-01"}]
        assert lot["knockouts_newly_failed"] == ["SOC-02"]
        assert lot["disqualified"] == {"previous": False, "current": True}


@pytest.mark.django_db
class TestOpenNow:
    def test_admins_open_a_round_once_a_day(self, admin_client, make_client, contract):
        url = f"/api/v1/contracts/{contract.pk}/reassessments/"
        viewer = make_client(Role.VIEWER, admin_client.organization)
        assert viewer.post(url, format="json").status_code == 403
        assert admin_client.post(url, {"now": True}, format="json").status_code == 400
        created = admin_client.post(url, format="json")
        assert created.status_code == 201, created.json()
        assert created.json()["scheduled"] is False
        assert created.json()["response_request"] is None  # no contacts anywhere
        assert admin_client.post(url, format="json").status_code == 409
        listed = admin_client.get(url).json()["results"]
        assert [row["id"] for row in listed] == [created.json()["id"]]

    def test_a_contract_without_an_award_has_nothing_to_reassess(self, admin_client):
        provider = ProviderFactory(organization=admin_client.organization)
        contract = services.create_contract(
            admin_client.organization,
            admin_client.membership.user,
            {
                "provider": provider,
                "title": "By hand",
                "start_date": date(2026, 1, 1),
                "term_months": 12,
            },
        )
        url = f"/api/v1/contracts/{contract.pk}/reassessments/"
        assert admin_client.post(url, format="json").status_code == 409


@pytest.mark.django_db
def test_the_report_of_a_round_has_the_comparison_in_every_format(
    admin_client, contract, django_capture_on_commit_callbacks
):
    set_schedule(admin_client, contract)
    reassessments.open_due_rounds(DUE)
    round_ = ReassessmentRound.objects.get()
    answer(round_.evaluation, {"SOC-01": "white_label", "SOC-02": False, "REP-02": True})
    award_report = built_report(
        admin_client, contract.evaluation, django_capture_on_commit_callbacks
    )
    assert award_report["content"]["reassessment"] is None
    report = built_report(admin_client, round_.evaluation, django_capture_on_commit_callbacks)
    [lot] = report["content"]["reassessment"]["lots"]
    assert lot["total"]["delta"] == -60.0
    base = f"/api/v1/reports/{report['id']}/download/?format="
    text = admin_client.get(base + "csv").content.decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["level"] == "reassessment"]
    by_code = {(r["section"], r["code"]): r for r in rows}
    assert by_code[("total", "overall")]["answer"] == "previous 87.5; delta -60"
    assert by_code[("question", "SOC-02")]["flags"] == "regressed"
    assert by_code[("knockout", "SOC-02")]["flags"] == "newly_failed"
    workbook = load_workbook(io.BytesIO(admin_client.get(base + "xlsx").content))
    sheet = [tuple(row) for row in workbook["Reassessment"].iter_rows(values_only=True)]
    assert ("all", "section", "soc", 100, 20, -80, None) in sheet
    html = admin_client.get(base + "html").content.decode()
    assert "Reassessment comparison" in html
    assert "<td>SOC-01</td><td>1.0</td><td>0.3</td><td>-0.7</td><td>regressed</td>" in html


@pytest.mark.django_db
def test_round_lists_run_the_same_queries_for_one_round_or_three(
    admin_client, contract, count_queries
):
    set_schedule(admin_client, contract, interval_months=1)
    for today in (date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)):
        assert reassessments.open_due_rounds(today)["opened"] == 1
    nested = (f"/api/v1/contracts/{contract.pk}/reassessments/", {})
    flat = ("/api/v1/reassessment-rounds/", {"contract": contract.pk})
    for url, params in (nested, flat):
        admin_client.get(url, {**params, "page_size": 1})  # warm: token last_used_at write
        with count_queries() as small:
            one = admin_client.get(url, {**params, "page_size": 1}).json()["results"]
        with count_queries() as large:
            three = admin_client.get(url, {**params, "page_size": 3}).json()["results"]
        assert (len(one), len(three)) == (1, 3)
        assert [row["due_date"] for row in three] == ["2026-04-30", "2026-03-31", "2026-02-28"]
        assert len(small) == len(large), url
