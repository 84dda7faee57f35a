"""Every kind of email this app owns, from the event through real SMTP to the inbox."""

import pytest

from accounts.models import Role
from evaluations.models import Evaluation
from evaluations.services import scoring
from evaluations.tasks import generate_report, score_evaluation
from notifications.models import Kind, Notification
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.sheets import declare, rate
from tests.evaluations.test_scoring_service import answer
from tests.notifications.links import resolved_links
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.usefixtures("smtp_server")


@pytest.fixture
def team(make_client, organization):
    clients = {
        "lead": make_client(Role.ADMIN, organization),
        "alice": make_client(Role.EVALUATOR, organization),
        "bob": make_client(Role.EVALUATOR, organization),
    }
    for name, client in clients.items():
        user = client.membership.user
        user.email, user.first_name = f"{name}@buyer.example", name.title()
        user.save()
    return clients


@pytest.fixture
def evaluation(team, organization):
    version = make_version(organization)
    acme = ProviderFactory(organization=organization, name="Acme")
    bolt = ProviderFactory(organization=organization, name="Bolt")
    return make_evaluation(
        organization, version, lead=team["lead"].membership, providers=[acme, bolt]
    )


def url_of(evaluation):
    return f"/api/v1/evaluations/{evaluation.pk}/"


def inbox(smtp_server, address):
    return [m for m in smtp_server.messages if address in m.envelope_to]


def assign(team, evaluation, name, capture):
    with capture(execute=True):
        response = team["lead"].post(
            f"{url_of(evaluation)}evaluators/", {"member": team[name].membership.pk}, format="json"
        )
    assert response.status_code == 201, response.content
    return evaluation.evaluators.get(membership=team[name].membership)


def test_an_assigned_evaluator_is_told_what_to_declare_and_where(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    Evaluation.objects.filter(pk=evaluation.pk).update(ratings_due="2027-03-01")
    assignment = assign(team, evaluation, "alice", django_capture_on_commit_callbacks)
    (message,) = smtp_server.messages
    assert message.envelope_to == ["alice@buyer.example"]
    assert message["Subject"] == 'You are an evaluator of "Pick an MSSP"'
    text = message.get_body(("plain",)).get_content()
    assert "declare any conflict of interest" in text
    assert "due on 2027-03-01" in text
    assert "Lead" in text  # who assigned them
    links = resolved_links(message)
    declaration = f"{url_of(evaluation)}evaluators/{assignment.pk}/declaration/"
    assert links[declaration] == "evaluation-evaluator-declaration"
    assert links[url_of(evaluation)] == "evaluation-detail"
    # The link is the real action: the evaluator can declare there.
    assert declare(team["alice"], url_of(evaluation), assignment, False).status_code == 200


def test_the_lead_hears_of_each_submitted_sheet(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    assignment = assign(team, evaluation, "alice", django_capture_on_commit_callbacks)
    assign(team, evaluation, "bob", django_capture_on_commit_callbacks)
    smtp_server.messages.clear()
    acme = evaluation.candidates.get(provider__name="Acme").pk
    declare(team["alice"], url_of(evaluation), assignment, False)
    rate(team["alice"], url_of(evaluation), acme)
    with django_capture_on_commit_callbacks(execute=True):
        response = team["alice"].post(
            f"{url_of(evaluation)}ratings/submit/", {"candidate": acme}, format="json"
        )
    assert response.status_code == 201, response.content
    (message,) = smtp_server.messages
    assert message.envelope_to == ["lead@buyer.example"]
    assert message["Subject"] == 'Alice submitted a sheet in "Pick an MSSP"'
    text = message.get_body(("plain",)).get_content()
    assert "for Acme" in text
    assert "1 of 4" in text  # two evaluators, two candidates
    assert resolved_links(message)[f"{url_of(evaluation)}ratings/sheets/"] == (
        "evaluation-rating-sheets"
    )


def test_a_lead_submitting_their_own_sheet_gets_no_email(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    assignment = assign(team, evaluation, "lead", django_capture_on_commit_callbacks)
    smtp_server.messages.clear()
    acme = evaluation.candidates.get(provider__name="Acme").pk
    declare(team["lead"], url_of(evaluation), assignment, False)
    rate(team["lead"], url_of(evaluation), acme)
    with django_capture_on_commit_callbacks(execute=True):
        team["lead"].post(f"{url_of(evaluation)}ratings/submit/", {"candidate": acme})
    assert smtp_server.messages == []


def test_the_requester_hears_when_scoring_is_done_once(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    for candidate in evaluation.candidates.all():
        answer(candidate, "SOC-02", True)
    with django_capture_on_commit_callbacks(execute=True):
        response = team["lead"].post(f"{url_of(evaluation)}score/")
    assert response.status_code == 202, response.content
    (message,) = smtp_server.messages
    assert message.envelope_to == ["lead@buyer.example"]
    assert message["Subject"] == 'Scoring of "Pick an MSSP" finished'
    assert "2 new scorecards, 0 unchanged" in message.get_body(("plain",)).get_content()
    links = resolved_links(message)
    assert links[f"{url_of(evaluation)}scorecards/"] == "evaluation-scorecards"
    assert links[f"/api/v1/jobs/{response.json()['id']}/"] == "job-detail"
    # A redelivered message finds the job done and mails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        score_evaluation.delay(response.json()["id"])
    assert len(smtp_server.messages) == 1
    assert Notification.objects.filter(kind=Kind.SCORING_DONE).count() == 1


def test_the_requester_hears_when_the_report_is_ready(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = team["lead"].post(f"{url_of(evaluation)}reports/", {}, format="json")
    assert response.status_code == 202, response.content
    (message,) = [m for m in smtp_server.messages if "report" in m["Subject"]]
    assert message.envelope_to == ["lead@buyer.example"]
    assert message["Subject"] == 'The report on "Pick an MSSP" is ready'
    links = resolved_links(message)
    assert set(links.values()) >= {"report-detail", "report-download", "job-detail"}
    with django_capture_on_commit_callbacks(execute=True):
        generate_report.delay(response.json()["id"])
    assert len([m for m in smtp_server.messages if "report" in m["Subject"]]) == 1


def test_every_member_of_the_evaluation_hears_of_the_decision_once(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    for name in ("lead", "alice", "bob"):  # the lead is an evaluator too
        assign(team, evaluation, name, django_capture_on_commit_callbacks)
    acme = evaluation.candidates.get(provider__name="Acme")
    for candidate in evaluation.candidates.all():
        answer(candidate, "SOC-01", "own")
        answer(candidate, "SOC-02", candidate == acme)
    scoring.score_evaluation(evaluation.pk)
    Evaluation.objects.filter(pk=evaluation.pk).update(status="scoring")
    smtp_server.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = team["lead"].post(
            f"{url_of(evaluation)}decide/",
            {"candidate": acme.pk, "rationale": "Own SOC & <24/7>"},
            format="json",
        )
    assert response.status_code == 200, response.content
    recipients = sorted(address for m in smtp_server.messages for address in m.envelope_to)
    assert recipients == ["alice@buyer.example", "bob@buyer.example", "lead@buyer.example"]
    message = inbox(smtp_server, "bob@buyer.example")[0]
    assert message["Subject"] == '"Pick an MSSP" was decided'
    text = message.get_body(("plain",)).get_content()
    assert "lot all: Acme" in text
    assert "Why: Own SOC & <24/7>" in text
    assert "Own SOC &amp; &lt;24/7&gt;" in message.get_body(("html",)).get_content()
    assert resolved_links(message)[url_of(evaluation)] == "evaluation-detail"


def test_a_member_who_switched_a_kind_off_gets_none_of_it(
    team, evaluation, smtp_server, django_capture_on_commit_callbacks
):
    patch = team["alice"].patch(
        "/api/v1/notification-preferences/", {"evaluator_assigned": False}, format="json"
    )
    assert patch.status_code == 200, patch.content
    assign(team, evaluation, "alice", django_capture_on_commit_callbacks)
    assign(team, evaluation, "bob", django_capture_on_commit_callbacks)
    assert [m.envelope_to for m in smtp_server.messages] == [["bob@buyer.example"]]
