"""Record conflicts: accepted or typed answers that contradict the provider record,
on the scorecards and in the report, resolved by updating either side."""

import csv
import io

import pytest
from openpyxl import load_workbook

from evaluations.models import Answer, AuditEvent, Scorecard
from evaluations.services import scoring
from providers.models import Provider
from tests.evaluations.test_reports_api import built_report
from tests.responses.prefilled import make_prefilled, recorded_provider

pytestmark = pytest.mark.django_db

OWN_SOC = {
    "question": "SOC-01",
    "answer": "own",
    "record_value": "third_party",
    "expected": "white_label",
    "source": "provider.soc_model",
    "note": "SOC model third_party",
}


def answer(client, evaluation, candidate, question, value):
    body = [{"candidate": candidate.pk, "question": question, "value": value}]
    response = client.post(f"/api/v1/evaluations/{evaluation.pk}/answers/", body, format="json")
    assert response.status_code == 200, response.content
    return response


@pytest.fixture
def conflicted(admin_client):
    """A candidate answering "own SOC" for a provider recorded with a third-party SOC,
    and 15 minutes where the record says 30; scored."""
    evaluation = make_prefilled(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.get()
    answer(admin_client, evaluation, candidate, "SOC-01", "own")
    answer(admin_client, evaluation, candidate, "SLA-03", 15)
    answer(admin_client, evaluation, candidate, "IND-01", "same_regime")  # agrees
    scoring.score_evaluation(evaluation.pk)
    return evaluation, candidate


def conflicts_url(evaluation, tail=""):
    return f"/api/v1/evaluations/{evaluation.pk}/record-conflicts/{tail}"


SLA = {
    "question": "SLA-03",
    "answer": 15,
    "record_value": 30,
    "expected": 30,
    "source": "slas.incident_response_time",
    "note": "incident response time 30 minutes",
}


def test_flagged_on_every_scorecard_representation(admin_client, conflicted):
    evaluation, candidate = conflicted
    card = Scorecard.objects.get(candidate=candidate)
    listed = admin_client.get("/api/v1/scorecards/").json()["results"]
    assert listed[0]["record_conflicts"] == [SLA, OWN_SOC]
    detail = admin_client.get(f"/api/v1/scorecards/{card.pk}/").json()
    assert detail["record_conflicts"] == [SLA, OWN_SOC]
    ranked = admin_client.get(f"/api/v1/evaluations/{evaluation.pk}/scorecards/").json()
    assert ranked[0]["record_conflicts"] == [SLA, OWN_SOC]
    versions = admin_client.get(f"/api/v1/scorecards/{card.pk}/versions/").json()
    assert versions[0]["record_conflicts"] == [SLA, OWN_SOC]
    listing = admin_client.get(conflicts_url(evaluation)).json()
    assert listing == [{"candidate": candidate.pk, **SLA}, {"candidate": candidate.pk, **OWN_SOC}]


def test_they_are_not_part_of_the_stored_scorecard(admin_client, conflicted):
    evaluation, candidate = conflicted
    card = Scorecard.objects.get(candidate=candidate)
    Provider.objects.filter(pk=candidate.provider_id).update(
        soc_model="own", third_party_soc_name=""
    )
    scoring.score_evaluation(evaluation.pk)
    again = Scorecard.objects.get(candidate=candidate, is_latest=True)
    assert (again.pk, again.input_hash) == (card.pk, card.input_hash)
    assert "record_conflicts" not in again.details
    shown = admin_client.get(f"/api/v1/scorecards/{card.pk}/").json()
    assert [c["question"] for c in shown["record_conflicts"]] == ["SLA-03"]


def test_a_superseded_version_shows_none(admin_client, conflicted):
    evaluation, candidate = conflicted
    answer(admin_client, evaluation, candidate, "REP-03", "More.")
    scoring.score_evaluation(evaluation.pk)
    old, new = Scorecard.objects.filter(candidate=candidate).order_by("version")
    assert admin_client.get(f"/api/v1/scorecards/{old.pk}/").json()["record_conflicts"] == []
    assert len(admin_client.get(f"/api/v1/scorecards/{new.pk}/").json()["record_conflicts"]) == 2


def test_updating_the_record_through_the_providers_api_resolves_it(admin_client, conflicted):
    _, candidate = conflicted
    url = f"/api/v1/providers/{candidate.provider_id}/"
    etag = admin_client.get(url)["ETag"]
    response = admin_client.patch(
        url, {"soc_model": "own", "third_party_soc_name": ""}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    card = Scorecard.objects.get(candidate=candidate)
    assert admin_client.get(f"/api/v1/scorecards/{card.pk}/").json()["record_conflicts"] == [SLA]


def test_updating_the_answer_resolves_it(admin_client, conflicted):
    evaluation, candidate = conflicted
    answer(admin_client, evaluation, candidate, "SOC-01", "declined")
    answer(admin_client, evaluation, candidate, "SLA-03", 30.0)
    assert admin_client.get(conflicts_url(evaluation)).json() == []


def test_resolve_keeping_the_record_sets_the_answer(admin_client, conflicted):
    evaluation, candidate = conflicted
    body = {"candidate": candidate.pk, "question": "SOC-01", "keep": "record"}
    response = admin_client.post(conflicts_url(evaluation, "resolve/"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == [{"candidate": candidate.pk, **SLA}]
    assert Answer.objects.get(candidate=candidate, question__code="SOC-01").value == "white_label"
    event = AuditEvent.objects.filter(question_code="SOC-01").latest("id")
    assert (event.action, event.source, event.old_value, event.new_value) == (
        "answer.set",
        "prefill",
        "own",
        "white_label",
    )


def test_resolve_keeping_the_answer_writes_the_record(admin_client):
    provider = recorded_provider(admin_client.organization)
    Provider.objects.filter(pk=provider.pk).update(soc_model="hybrid")
    evaluation = make_prefilled(admin_client.organization, admin_client.membership, [provider])
    candidate = evaluation.candidates.get()
    answer(admin_client, evaluation, candidate, "SOC-01", "white_label")
    body = {"candidate": candidate.pk, "question": "SOC-01", "keep": "answer"}
    response = admin_client.post(conflicts_url(evaluation, "resolve/"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == []
    provider.refresh_from_db()
    assert (provider.soc_model, provider.third_party_soc_name) == ("third_party", "Acme SOC")
    event = AuditEvent.objects.get(action="provider.soc_model")
    assert (event.old_value, event.new_value, event.source) == ("hybrid", "third_party", "buyer")


def test_keeping_an_answer_the_record_rules_refuse_is_a_clear_400(admin_client, conflicted):
    evaluation, candidate = conflicted
    # "own" with the third-party SOC's name still on the record breaks the record's rule.
    body = {"candidate": candidate.pk, "question": "SOC-01", "keep": "answer"}
    response = admin_client.post(conflicts_url(evaluation, "resolve/"), body, format="json")
    assert response.status_code == 400
    message = response.json()["errors"][0]
    assert message["field"] == "keep" and "providers API" in message["message"]
    assert Provider.objects.get(pk=candidate.provider_id).soc_model == "third_party"


def test_a_source_the_record_cannot_take_is_a_400(admin_client, conflicted):
    evaluation, candidate = conflicted
    body = {"candidate": candidate.pk, "question": "SLA-03", "keep": "answer"}
    response = admin_client.post(conflicts_url(evaluation, "resolve/"), body, format="json")
    assert response.status_code == 400
    assert "slas.incident_response_time" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "IND-01", "keep": "record"}, "question"),  # agrees with the record
        ({"question": "SOC-01", "keep": "both"}, "keep"),
        ({"question": "SOC-01", "keep": "record", "force": True}, "force"),
    ],
)
def test_bad_resolutions_are_400s(admin_client, conflicted, body, field):
    evaluation, candidate = conflicted
    response = admin_client.post(
        conflicts_url(evaluation, "resolve/"), {"candidate": candidate.pk, **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_roles(make_client, conflicted):
    evaluation, candidate = conflicted
    evaluator = make_client("evaluator", evaluation.organization)
    viewer = make_client("viewer", evaluation.organization)
    url = conflicts_url(evaluation, "resolve/")
    keep_answer = {"candidate": candidate.pk, "question": "SOC-01", "keep": "answer"}
    assert viewer.get(conflicts_url(evaluation)).status_code == 200
    assert viewer.post(url, {**keep_answer, "keep": "record"}, format="json").status_code == 403
    assert evaluator.post(url, keep_answer, format="json").status_code == 403
    assert evaluator.post(url, {**keep_answer, "keep": "record"}, format="json").status_code == 200


def test_another_organizations_evaluation_is_a_404(make_client, conflicted):
    evaluation, candidate = conflicted
    stranger = make_client("admin")
    body = {"candidate": candidate.pk, "question": "SOC-01", "keep": "record"}
    assert stranger.get(conflicts_url(evaluation)).status_code == 404
    assert (
        stranger.post(conflicts_url(evaluation, "resolve/"), body, format="json").status_code == 404
    )
    assert Answer.objects.get(candidate=candidate, question__code="SOC-01").value == "own"


def test_another_evaluations_candidate_is_a_400(admin_client, conflicted):
    evaluation, _ = conflicted
    other = make_prefilled(admin_client.organization, admin_client.membership)
    body = {"candidate": other.candidates.get().pk, "question": "SOC-01", "keep": "record"}
    response = admin_client.post(conflicts_url(evaluation, "resolve/"), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "candidate"


def test_the_scorecard_list_with_conflicts_runs_constant_queries(admin_client, count_queries):
    for _ in range(4):
        evaluation = make_prefilled(admin_client.organization, admin_client.membership)
        answer(admin_client, evaluation, evaluation.candidates.get(), "SOC-01", "own")
        scoring.score_evaluation(evaluation.pk)
    admin_client.get("/api/v1/scorecards/?page_size=1")  # warm: token last_used_at write
    with count_queries() as small:
        one = admin_client.get("/api/v1/scorecards/?page_size=1").json()["results"]
    with count_queries() as large:
        four = admin_client.get("/api/v1/scorecards/?page_size=4").json()["results"]
    assert [len(c["record_conflicts"]) for c in one + four] == [1] * 5
    assert len(small) == len(large)


def test_in_every_report_format(admin_client, conflicted, django_capture_on_commit_callbacks):
    evaluation, candidate = conflicted
    report = built_report(admin_client, evaluation, django_capture_on_commit_callbacks)
    assert report["content"]["candidates"][0]["record_conflicts"] == [SLA, OWN_SOC]
    base = f"/api/v1/reports/{report['id']}/download/?format="
    rows = list(
        csv.DictReader(io.StringIO(admin_client.get(base + "csv").content.decode("utf-8-sig")))
    )
    overall = next(r for r in rows if r["level"] == "overall")
    assert "record_conflict:SLA-03; record_conflict:SOC-01" in overall["flags"]
    workbook = load_workbook(io.BytesIO(admin_client.get(base + "xlsx").content))
    flags = [tuple(row) for row in workbook["Flags"].iter_rows(values_only=True)]
    assert (
        candidate.provider.name,
        "record conflict",
        "SOC-01",
        "provider record: SOC model third_party",
    ) in flags
    html = admin_client.get(base + "html").content.decode()
    assert "SOC-01: provider record SOC model third_party" in html


def test_prefilled_answers_read_on_the_driver_are_the_orms_rows(admin_client):
    """On PostgreSQL the answers are read with hand-written SQL: the same rows,
    values and order as the ORM query it stands for (every JSON column decoded)."""
    from evaluations.record_conflicts import ANSWER_COLUMNS, prefilled_answers

    ids = set()
    for value in ("own", "hybrid", "declined"):
        evaluation = make_prefilled(admin_client.organization, admin_client.membership)
        candidate = evaluation.candidates.get()
        answer(admin_client, evaluation, candidate, "SOC-01", value)
        ids.add(candidate.pk)
    expected = list(
        Answer.objects.filter(candidate_id__in=ids, question__prefill__isnull=False).values_list(
            *ANSWER_COLUMNS
        )
    )
    assert expected and prefilled_answers(ids) == expected
    assert prefilled_answers({-1}) == []
