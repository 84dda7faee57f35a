"""Evidence uploads: the provider documents' checks, bounded, cited by this response only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Answer
from providers.models import Document
from questionnaires.models import Question
from responses.models import ResponseEvent
from responses.services import evidence
from tests.evaluations.builders import QUESTION_DEFAULTS
from tests.providers.factories import PDF_BYTES, make_document
from tests.responses.helpers import (
    link_token,
    make_sourcing,
    requests_url,
    respondent_client,
    save,
    send_request,
)

URL = "/api/v1/respondent/documents/"


@pytest.fixture
def drafting(admin_client):
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    version = evaluation.questionnaire_version
    Question.objects.create(
        **{**QUESTION_DEFAULTS, "kind": "evidence", "text": "Attach a sample monthly report."},
        version=version,
        section=version.sections.get(code="rep"),
        order=9,
        code="EVD-01",
    )
    candidate = evaluation.candidates.first()
    created = send_request(admin_client, evaluation, candidate)
    client = respondent_client(link_token(f"dana{candidate.pk}@vendor.example"))
    return evaluation, candidate, client, f"{requests_url(evaluation)}{created['id']}"


def _upload(client, name="report.pdf", content=PDF_BYTES, **fields):
    body = {"kind": "sample_monthly_report", "title": "March report", **fields}
    body["file"] = SimpleUploadedFile(name, content)
    return client.post(URL, body, format="multipart")


def test_an_upload_becomes_evidence_the_answers_cite(admin_client, drafting):
    _, candidate, client, base = drafting
    response = _upload(client)
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["content_type"] == "application/pdf" and len(document["sha256"]) == 64
    assert Document.objects.get(pk=document["id"]).provider_id == candidate.provider_id
    assert [d["id"] for d in client.get(URL).json()["documents"]] == [document["id"]]
    assert save(client, [{"question": "EVD-01", "value": [document["id"]]}]).status_code == 200
    assert client.post("/api/v1/respondent/submit/").status_code == 200
    accepted = admin_client.post(
        f"{base}/review/", [{"question": "EVD-01", "decision": "accept"}], format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert Answer.objects.get(candidate=candidate, question__code="EVD-01").value == [
        document["id"]
    ]
    event = ResponseEvent.objects.get(action="evidence.uploaded")
    assert event.detail["sha256"] == document["sha256"] and event.contact is not None


def test_the_buyers_own_documents_cannot_be_cited(drafting):
    _, candidate, client, _ = drafting
    buyers = make_document(candidate.provider)
    response = save(client, [{"question": "EVD-01", "value": [buyers.pk]}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "answers[0].value"
    assert client.get(URL).json() == {"documents": []}


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("empty.pdf", b"", 400),
        ("report.pdf", b"MZ\x90\x00 not a pdf", 415),
        ("report.exe", PDF_BYTES, 415),
    ],
)
def test_uploads_are_checked_like_provider_documents(drafting, name, content, status):
    _, _, client, _ = drafting
    assert _upload(client, name, content).status_code == status
    assert not Document.objects.exists()


def test_too_large_and_bad_fields(drafting, settings):
    _, _, client, _ = drafting
    settings.MAX_UPLOAD_BYTES = 10
    assert _upload(client).status_code == 413
    settings.MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    assert _upload(client, kind="selfie").status_code == 400
    assert _upload(client, title="x" * 201).status_code == 400
    assert _upload(client, surprise="1").status_code == 400
    assert not Document.objects.exists()


def test_uploads_are_bounded_per_response(drafting, monkeypatch):
    _, _, client, _ = drafting
    monkeypatch.setattr(evidence, "MAX_DOCUMENTS", 2)
    assert _upload(client).status_code == 201
    assert _upload(client).status_code == 201
    assert _upload(client).status_code == 409
    assert Document.objects.count() == 2


def test_no_upload_once_submitted(drafting):
    _, _, client, _ = drafting
    save(client, [{"question": "SOC-02", "value": True}])
    client.post("/api/v1/respondent/submit/")
    assert _upload(client).status_code == 409


def test_another_candidates_link_sees_none_of_it(admin_client, drafting):
    evaluation, _, client, _ = drafting
    other = evaluation.candidates.last()
    send_request(admin_client, evaluation, other)
    stranger = respondent_client(link_token(f"dana{other.pk}@vendor.example"))
    document = _upload(client).json()
    assert stranger.get(URL).json() == {"documents": []}
    response = save(stranger, [{"question": "EVD-01", "value": [document["id"]]}])
    assert response.status_code == 400


def test_the_page_uploads_and_lists_evidence(drafting, client):
    _, candidate, _, _ = drafting
    url = f"/respond/{link_token(f'dana{candidate.pk}@vendor.example')}/"
    html = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html and '<label for="upload-file">' in html
    post = {"title": "SOC 2", "kind": "soc2_report", "file": SimpleUploadedFile("s.pdf", PDF_BYTES)}
    response = client.post(f"{url}upload/", post)
    assert response.status_code == 302
    document = Document.objects.get()
    assert f"Document {document.pk}: SOC 2 (s.pdf" in client.get(url).content.decode()
    bad = client.post(
        f"{url}upload/",
        {"title": "x", "kind": "soc2_report", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert bad.status_code == 415
    assert "not accepted" in bad.content.decode() or "type" in bad.content.decode().lower()
    assert client.post(f"{url}upload/", {"title": "", "kind": "soc2_report"}).status_code == 400
