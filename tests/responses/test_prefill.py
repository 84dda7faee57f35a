"""Prefilled answers: a new request starts from the provider record; the respondent
confirms or changes each value; accepted answers record the audit source."""

import re

import pytest
from django.test import Client

from evaluations.models import Answer, AuditEvent
from providers.models import Document
from responses.models import ResponseAnswer, ResponseEvent
from tests.providers.factories import ProviderFactory, make_document
from tests.responses.helpers import (
    link_token,
    requests_url,
    respondent_client,
    save,
    send_request,
)
from tests.responses.prefilled import make_prefilled

EMAIL = "dana@vendor.example"


@pytest.fixture
def sent(admin_client):
    evaluation = make_prefilled(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.get()
    created = send_request(
        admin_client, evaluation, candidate, contacts=[{"name": "Dana", "email": EMAIL}]
    )
    base = f"{requests_url(evaluation)}{created['id']}"
    return evaluation, candidate, base, link_token(EMAIL)


def _answers(client) -> dict:
    body = client.get("/api/v1/respondent/answers/").json()
    return {a["question"]: a for a in body["answers"]}


def test_the_request_starts_prefilled_from_the_record(sent):
    _, candidate, _, token = sent
    report = Document.objects.get(provider=candidate.provider)
    answers = _answers(respondent_client(token))
    assert {code: a["value"] for code, a in answers.items()} == {
        "SOC-01": "white_label",
        "SLA-03": 30,
        "IND-01": "same_regime",
        "REP-02": [report.pk],
        "ROL-04": True,
        "REP-03": None,
    }
    assert answers["SOC-01"]["prefill"] == {
        "source": "provider.soc_model",
        "note": "SOC model third_party",
        "value": "white_label",
        "kept": True,
    }
    assert answers["REP-02"]["prefill"]["note"] == (
        f"sample report 'March report' (document {report.pk})"
    )
    assert answers["REP-03"]["prefill"] is None
    assert answers["SOC-01"]["revision"] == 0 and answers["SOC-01"]["updated_by"] is None
    prefilled = ResponseEvent.objects.filter(action="answer.prefilled")
    assert sorted(prefilled.values_list("question_code", flat=True)) == [
        "IND-01",
        "REP-02",
        "ROL-04",
        "SLA-03",
        "SOC-01",
    ]


def test_a_record_that_holds_nothing_prefills_nothing(admin_client):
    bare = ProviderFactory(
        organization=admin_client.organization, service_models=["mssp"], soc_model="own"
    )
    evaluation = make_prefilled(admin_client.organization, admin_client.membership, [bare])
    candidate = evaluation.candidates.get()
    send_request(admin_client, evaluation, candidate, contacts=[{"name": "D", "email": EMAIL}])
    answers = _answers(respondent_client(link_token(EMAIL)))
    assert {c: a["value"] for c, a in answers.items() if a["value"] is not None} == {
        "SOC-01": "own"
    }
    assert [c for c, a in answers.items() if a["prefill"]] == ["SOC-01"]


def test_confirming_keeps_source_prefill_and_changing_records_respondent(admin_client, sent):
    evaluation, candidate, base, token = sent
    respondent = respondent_client(token)
    current = _answers(respondent)
    # Sending back what the read gave (prefill included) confirms those values;
    # SLA-03 changes.
    items = [a for code, a in current.items() if a["value"] is not None and code != "SLA-03"]
    items.append({"question": "SLA-03", "value": 15})
    assert save(respondent, items).status_code == 200
    after = _answers(respondent)
    assert after["SOC-01"]["prefill"]["kept"] is True
    assert after["SLA-03"]["prefill"] == {
        "source": "slas.incident_response_time",
        "note": "incident response time 30 minutes",
        "value": 30,
        "kept": False,
    }
    assert respondent.post("/api/v1/respondent/submit/").status_code == 200
    review = [
        {"question": code, "decision": "accept"}
        for code in ("SOC-01", "SLA-03", "REP-02", "ROL-04")
    ]
    response = admin_client.post(f"{base}/review/", review, format="json")
    assert response.status_code == 200, response.content
    sources = dict(
        AuditEvent.objects.filter(evaluation=evaluation, action="answer.set").values_list(
            "question_code", "source"
        )
    )
    assert sources == {
        "SOC-01": "prefill",
        "SLA-03": "respondent",
        "REP-02": "prefill",
        "ROL-04": "prefill",
    }
    assert Answer.objects.get(candidate=candidate, question__code="SLA-03").value == 15
    buyer_view = {a["question"]: a for a in admin_client.get(f"{base}/answers/").json()["answers"]}
    assert buyer_view["SLA-03"]["prefill"]["kept"] is False


def test_the_prefilled_report_can_be_cited_but_not_other_documents(sent):
    _, candidate, _, token = sent
    respondent = respondent_client(token)
    report = Document.objects.get(provider=candidate.provider)
    other = make_document(candidate.provider, title="Buyer's own copy")
    assert save(respondent, [{"question": "REP-02", "value": [report.pk]}]).status_code == 200
    refused = save(respondent, [{"question": "REP-02", "value": [report.pk, other.pk]}])
    assert refused.status_code == 400, refused.content


def test_the_page_shows_the_prefill_beside_the_field(sent):
    _, _, _, token = sent
    html = Client().get(f"/respond/{token}/").content.decode()
    note = re.search(r'<p class="help prefill" id="p-SOC-01">([^<]*)</p>', html).group(1)
    assert note == (
        "Prefilled from the provider record: SOC model third_party. "
        "Save it as it is to confirm it, or change it."
    )
    fieldset = re.search(r'<fieldset aria-describedby="([^"]*)">\s*<legend>SOC-01', html)
    assert fieldset.group(1) == "p-SOC-01"
    assert 'value="white_label" checked' in html
    assert 'id="v-SLA-03" name="value" value="30" aria-describedby="p-SLA-03"' in html
    assert 'id="p-REP-03"' not in html
    assert "or of the documents the provider record names above" in html  # REP-02


def test_a_page_save_of_another_value_says_it_was_changed(sent):
    _, _, _, token = sent
    client = Client()
    url = f"/respond/{token}/"
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)
    response = client.post(
        f"{url}save/", {"question": "SOC-01", "value": "own", "version": version}
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "SOC model third_party. You changed the prefilled answer." in html
    assert ResponseAnswer.objects.get(question__code="SOC-01").prefill["value"] == "white_label"
