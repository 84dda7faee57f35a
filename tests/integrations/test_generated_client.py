"""A Python client generated from the live schema (openapi-python-client), driven
end to end against a live server.

The schema is fetched from the running server and used as is: no hand edits.
Locally the test is skipped when openapi-python-client is not installed; CI
(``CI=true``) fails instead (``tests.services.require``). It is a dev
dependency: ``openapi-python-client>=0.29`` in ``[dependency-groups] dev``.
"""

import importlib
import importlib.util
import subprocess
import sys
import time
import uuid

import pytest
import yaml
from standardwebhooks import Webhook as StandardWebhook

from accounts.models import Role
from tests.services import require

PACKAGE = "scorecards_client"
GENERATOR_CONFIG = {
    "project_name_override": "scorecards-client",
    "package_name_override": PACKAGE,
    "post_hooks": [],  # no formatter needed to import the code
}


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.fixture
def generated_client(live_server, tmp_path):
    require(
        _installed("openapi_python_client") and _installed("httpx"),
        "openapi-python-client is not installed: add `openapi-python-client>=0.29` to the dev "
        "dependency group to run the generated-client test",
    )
    import httpx

    schema = httpx.get(f"{live_server.url}/api/schema/", timeout=30)
    assert schema.status_code == 200
    (tmp_path / "schema.yaml").write_bytes(schema.content)
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(GENERATOR_CONFIG))
    generated = subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(tmp_path / "schema.yaml"),
            "--config",
            str(tmp_path / "config.yaml"),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # The generator only warns when it drops a response or an operation it cannot
    # type (a component referring to itself did that to every scorecard response).
    # Other content types than JSON (CSV and YAML imports) are expected to be skipped.
    output = generated.stdout + generated.stderr
    for dropped in ("response will be omitted", "Endpoint will not be generated"):
        assert dropped not in output, output
    sys.path.insert(0, str(tmp_path))
    try:
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))


def call(module_path: str):
    """``call("evaluations.evaluations_create")`` -> that operation's module."""
    return importlib.import_module(f"{PACKAGE}.api.{module_path}")


def model(name: str):
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.parsed


def answer_for(question: dict):
    kind = question["kind"]
    options = [option["value"] for option in question.get("options") or []]
    return {
        "boolean": True,
        "single_choice": options[0] if options else None,
        "multi_choice": options[:1],
        "number": 10,
        "scale": 3,
        "text": "Answered through the generated client.",
        "evidence": [],
    }.get(kind)


@pytest.mark.django_db(transaction=True)
def test_an_end_to_end_flow_through_the_generated_client(
    generated_client, live_server, make_client, settings, local_server
):
    client_package = generated_client
    settings.SYNC_SETTLE_SECONDS = 0
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the receiver below is on loopback
    from questionnaires.services import load_builtin_questionnaires

    load_builtin_questionnaires()
    admin = make_client(Role.ADMIN)
    token = admin._credentials["HTTP_AUTHORIZATION"].split(" ", 1)[1]
    # Strict: a status the schema does not document raises.
    api = client_package.AuthenticatedClient(
        base_url=live_server.url, token=token, raise_on_unexpected_status=True
    )
    # KNOWN SCHEMA GAP (evaluations/api/views_inputs.py): the answer and rating upserts
    # answer 200 but document 201. Use `api` for them once the schema says 200.
    lenient = client_package.AuthenticatedClient(base_url=live_server.url, token=token)

    # A webhook receiving scorecard and report events, signed per Standard Webhooks.
    webhook = ok(
        call("webhooks.webhooks_create").sync_detailed(
            client=api,
            body=model("WebhookRequest")(
                url=local_server.url("/hooks"),
                events=[
                    model("WebhookEventTypeEnum")("scorecard.completed"),
                    model("WebhookEventTypeEnum")("report.completed"),
                ],
            ),
        ),
        201,
    )
    assert webhook.secret.startswith("whsec_")

    # Providers.
    providers = [
        ok(
            call("providers.providers_create").sync_detailed(
                client=api,
                body=model("ProviderRequest")(
                    name=f"Provider {n}",
                    service_models=[model("ServiceModelEnum")("msp")],
                ),
            ),
            201,
        )
        for n in range(2)
    ]

    # The built-in vetting questionnaire's published version.
    questionnaires = ok(call("questionnaires.questionnaires_list").sync_detailed(client=api))
    vetting = next(q for q in questionnaires.results if q.code == "provider-vetting")
    version_id = vetting.published_version.id
    version = ok(
        call("questionnaires.questionnaire_versions_retrieve").sync_detailed(
            questionnaire_pk=vetting.id, id=version_id, client=api
        )
    ).to_dict()

    # An evaluation, created idempotently.
    key = str(uuid.uuid4())
    body = model("EvaluationRequest")(
        name="Generated client flow", questionnaire_version=version_id
    )
    create = call("evaluations.evaluations_create")
    evaluation = ok(create.sync_detailed(client=api, body=body, idempotency_key=key), 201)
    replay = create.sync_detailed(client=api, body=body, idempotency_key=key)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert replay.parsed.id == evaluation.id

    # Conditional update: the ETag of a read is the If-Match of the write.
    read = call("evaluations.evaluations_retrieve").sync_detailed(id=evaluation.id, client=api)
    patch = call("evaluations.evaluations_partial_update")
    changed = patch.sync_detailed(
        id=evaluation.id,
        client=api,
        body=model("PatchedEvaluationRequest")(description="Vetting two MSPs."),
        if_match=read.headers["etag"],
    )
    assert changed.status_code == 200
    stale = patch.sync_detailed(
        id=evaluation.id,
        client=api,
        body=model("PatchedEvaluationRequest")(description="A lost update."),
        if_match=read.headers["etag"],
    )
    assert stale.status_code == 412

    candidates = [
        ok(
            call("evaluations.evaluation_candidates_create").sync_detailed(
                evaluation_pk=evaluation.id,
                client=api,
                body=model("CandidateRequest")(provider=provider.id),
            ),
            201,
        )
        for provider in providers
    ]
    ok(
        call("evaluations.evaluations_change_status").sync_detailed(
            id=evaluation.id,
            client=api,
            body=model("StatusChangeRequest")(status=model("StatusChangeStatusEnum")("collecting")),
        )
    )

    # Answers to the auto-scored questions, ratings of the judged ones.
    questions = [q for section in version["sections"] for q in section["questions"]]
    answers = [
        model("AnswerItemRequest")(candidate=c.id, question=q["code"], value=answer_for(q))
        for c in candidates
        for q in questions
        if q.get("scoring", "auto") != "judged" and answer_for(q) is not None
    ]
    ok(
        call("evaluations.evaluation_answers_create").sync_detailed(
            evaluation_pk=evaluation.id, client=lenient, body=answers
        )
    )
    judged = [q for q in questions if q.get("scoring") == "judged"]
    if judged:
        evaluator = ok(
            call("evaluations.evaluation_evaluators_create").sync_detailed(
                evaluation_pk=evaluation.id,
                client=api,
                body=model("EvaluatorRequest")(member=admin.membership.pk),
            ),
            201,
        )
        ok(
            call("evaluations.evaluation_evaluators_declaration").sync_detailed(
                evaluation_pk=evaluation.id,
                id=evaluator.id,
                client=api,
                body=model("DeclarationRequest")(has_conflict=False),
            )
        )
        ok(
            call("evaluations.evaluation_ratings_create").sync_detailed(
                evaluation_pk=evaluation.id,
                client=lenient,
                body=[
                    model("RatingItemRequest")(
                        candidate=c.id, question=q["code"], score=min(3, q.get("scale_max", 5))
                    )
                    for c in candidates
                    for q in judged
                ],
            )
        )

    # Score in the background and poll the job.
    job = ok(call("evaluations.evaluations_score").sync_detailed(id=evaluation.id, client=api), 202)
    job = poll(api, job.id)
    assert job.status.value == "succeeded", job.error

    ranked = ok(
        call("evaluations.evaluations_scorecards").sync_detailed(id=evaluation.id, client=api)
    )
    assert sorted(card.candidate for card in ranked) == sorted(c.id for c in candidates)
    assert sorted(card.rank for card in ranked) == [1, 2] or {c.rank for c in ranked} == {1}
    detail = ok(call("scorecards.scorecards_retrieve").sync_detailed(id=ranked[0].id, client=api))
    assert 0 <= detail.overall <= 100

    # Incremental sync of scorecards, then nothing new from the saved cursor.
    page = ok(call("scorecards.scorecards_sync").sync_detailed(client=api))
    assert {card.id for card in page.results} >= {card.id for card in ranked}
    resumed = ok(
        call("scorecards.scorecards_sync").sync_detailed(client=api, cursor=page.next_cursor)
    )
    assert resumed.results == []

    # A comparison report, downloaded as CSV.
    report_job = ok(
        call("evaluations.evaluation_reports_create").sync_detailed(
            evaluation_pk=evaluation.id, client=api, body=model("ReportRequestRequest")(trials=200)
        ),
        202,
    )
    report_job = poll(api, report_job.id)
    assert report_job.status.value == "succeeded", report_job.error
    report_id = report_job.result["report"]
    report = ok(call("reports.reports_retrieve").sync_detailed(id=report_id, client=api))
    assert report.id == report_id
    # The download operation has several 200 media types; the generated function
    # parses JSON only, so the CSV comes through the client's own HTTP session.
    csv = api.get_httpx_client().get(
        f"/api/v1/reports/{report_id}/download/", params={"format": "csv"}
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert providers[0].name in csv.text

    # Deletions reach sync clients through the tombstone feed.
    spare = ok(
        call("providers.providers_create").sync_detailed(
            client=api,
            body=model("ProviderRequest")(
                name="Spare", service_models=[model("ServiceModelEnum")("vcio")]
            ),
        ),
        201,
    )
    assert (
        call("providers.providers_destroy").sync_detailed(id=spare.id, client=api).status_code
        == 204
    )
    deleted = ok(call("deleted.deleted_list").sync_detailed(client=api))
    assert [(t.resource.value, t.object_id) for t in deleted.results] == [("providers", spare.id)]

    # The webhook got one signed scorecard.completed per new scorecard.
    verifier = StandardWebhook(webhook.secret)
    received = [verifier.verify(r.body, r.headers) for r in local_server.received]
    scorecard_events = [p for p in received if p["type"] == "scorecard.completed"]
    assert sorted(p["data"]["scorecard"] for p in scorecard_events) == sorted(
        card.id for card in ranked
    )
    for payload in scorecard_events:
        parsed = model("ScorecardCompletedEvent").from_dict(payload)
        assert parsed.version == 1 and parsed.data.evaluation == evaluation.id
    # report.completed arrives once evaluations/services/reports.py emits it.
    for payload in (p for p in received if p["type"] == "report.completed"):
        assert model("ReportCompletedEvent").from_dict(payload).data.report == report_id
    log = ok(
        call("webhooks.webhook_deliveries_list").sync_detailed(webhook_pk=webhook.id, client=api)
    )
    assert log.results and all(d.status.value == "succeeded" for d in log.results)
    assert all(d.attempts[0].status_code == 200 for d in log.results)


def poll(api, job_id, timeout=60):
    retrieve = call("jobs.jobs_retrieve")
    deadline = time.monotonic() + timeout
    while True:
        job = ok(retrieve.sync_detailed(id=job_id, client=api))
        if job.status.value in ("succeeded", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)
