"""A provider's contact answers the whole built-in vetting questionnaire, with evidence,
from the emailed link; the buyer returns, accepts and scores. Over HTTP throughout."""

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.engine.scorecard_details import question_rows
from evaluations.models import Answer, Scorecard
from questionnaires.models import QuestionnaireVersion, VersionStatus
from questionnaires.services import load_builtin_questionnaires
from tests.evaluations.builders import make_evaluation
from tests.providers.factories import PDF_BYTES, ProviderFactory
from tests.responses.helpers import link_token, requests_url, respondent_client, save, send_request


def _value(question, document_id):
    """A valid answer of each kind (the respondent's choice does not matter here)."""
    kind = question["kind"]
    options = [o["value"] for o in question["options"]]
    return {
        "boolean": True,
        "single_choice": options[0] if options else None,
        "multi_choice": options[:1],
        "number": 4,
        "scale": question["scale_max"],
        "text": f"Our answer to {question['code']}.",
        "evidence": [document_id],
    }[kind]


def test_the_whole_vetting_questionnaire_from_the_link(
    admin_client, client, django_capture_on_commit_callbacks
):
    load_builtin_questionnaires()
    version = QuestionnaireVersion.objects.get(
        questionnaire__code="provider-vetting",
        questionnaire__organization=None,
        status=VersionStatus.PUBLISHED,
    )
    organization = admin_client.organization
    provider = ProviderFactory(organization=organization)
    evaluation = make_evaluation(
        organization,
        version,
        lead=admin_client.membership,
        providers=[provider],
        required_service_models=["msp", "mssp", "vciso", "vcio"],
    )
    candidate = evaluation.candidates.get()
    created = send_request(admin_client, evaluation, candidate)
    token = link_token(f"dana{candidate.pk}@vendor.example")

    page = client.get(f"/respond/{token}/")
    assert page.status_code == 200
    respondent = respondent_client(token)
    sections = respondent.get("/api/v1/respondent/questionnaire/").json()["sections"]
    questions = [q for s in sections for q in s["questions"]]
    assert len(questions) > 20
    assert {q["kind"] for q in questions} >= {"evidence", "single_choice", "text", "boolean"}
    for question in questions:
        assert f'id="q-{question["code"]}"' in page.content.decode()

    upload = respondent.post(
        "/api/v1/respondent/documents/",
        {
            "kind": "sample_monthly_report",
            "title": "Sample monthly report",
            "file": SimpleUploadedFile("report.pdf", PDF_BYTES),
        },
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    document_id = upload.json()["id"]
    answers = [{"question": q["code"], "value": _value(q, document_id)} for q in questions]
    saved = save(respondent, answers)
    assert saved.status_code == 200, saved.content
    # Reloading loses nothing.
    reread = respondent.get("/api/v1/respondent/answers/").json()["answers"]
    assert {a["question"]: a["value"] for a in reread} == {
        a["question"]: a["value"] for a in answers
    }
    assert respondent.post("/api/v1/respondent/submit/").status_code == 200

    base = f"{requests_url(evaluation)}{created['id']}"
    first = questions[0]["code"]
    returned = admin_client.post(
        f"{base}/review/",
        [{"question": first, "decision": "return", "message": "Say more, please."}],
        format="json",
    )
    assert returned.json()["status"] == "returned"
    # The return's email brings the link that works from now on.
    respondent = respondent_client(link_token(f"dana{candidate.pk}@vendor.example"))
    reply = respondent.post(
        "/api/v1/respondent/clarifications/",
        {"question": first, "message": "Here is more."},
        format="json",
    )
    assert reply.status_code == 201
    assert respondent.post("/api/v1/respondent/submit/").status_code == 200
    accepted = admin_client.post(
        f"{base}/review/",
        [{"question": q["code"], "decision": "accept"} for q in questions],
        format="json",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert Answer.objects.filter(candidate=candidate).count() == len(questions)

    with django_capture_on_commit_callbacks(execute=True):
        scored = admin_client.post(f"/api/v1/evaluations/{evaluation.pk}/score/")
    assert scored.status_code == 202, scored.content
    card = Scorecard.objects.get(candidate=candidate, is_latest=True)
    answered = {row["code"] for row in question_rows(card.details) if row["answered"]}
    # Auto-scored questions count the accepted answers; judged ones wait for ratings.
    judged = set(version.questions.filter(scoring="judged").values_list("code", flat=True))
    auto = {q["code"] for q in questions} - judged
    assert auto and auto <= answered
