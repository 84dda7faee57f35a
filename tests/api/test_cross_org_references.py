"""Every field of a request that names another object refuses another organization's ids.

The fields come from the OpenAPI schema of every writing operation
(tests/api/request_fields.py): related fields of the request serializers, and
integer or free-form JSON leaves of the documented body. Each needs a sample
here: a valid request of organization A whose only foreign reference is
organization B's object, which must be a 400 naming the field (or a 404) and
write nothing anywhere; the same request with A's own object must succeed, so
the refusal is about the id and not about a broken body. A new id field without
a sample fails the coverage test, so no endpoint can slip through.

Query filters of reading operations must not look ids up in a model either: that
answers another organization's id differently from an unknown one.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import Role
from accounts.tenancy import tenant_lookup
from contracts import findings
from contracts.models import Contract, Finding
from evaluations.models import Answer, Candidate, Evaluation, Rating
from evaluations.services import scoring
from providers.models import Document, Provider
from questionnaires.models import Question
from responses.models import ResponseContact, ResponseDocument, ResponseRequest
from tests.api.request_fields import model_filters, request_fields
from tests.api.seeded import RESPONDENT_TAG, caller
from tests.evaluations.builders import QUESTION_DEFAULTS, assign
from tests.providers.factories import make_document
from tests.seeding import seed_organization

# Integer fields that are amounts, not ids (checked: each still occurs).
QUANTITIES = {"employee_count", "score", "seed", "trials", "scale_max", "format_version"}
QUANTITIES |= {"horizon_months", "term_months", "quantities", "notice_period_days"}
QUANTITIES |= {"termination_breaches", "termination_window_months"}
QUANTITIES |= {"interval_months", "days_before_renewal", "response_days"}
# Related models every organization shares (checked: each still occurs).
SHARED_CATALOGS = {"providers.Capability"}
EVIDENCE = "EVD-01"


def _evaluation(context) -> Evaluation:
    return Evaluation.objects.get(pk=context["evaluation_pk"])


def _version(context) -> int:
    return _evaluation(context).questionnaire_version_id


def _candidate(context) -> int:
    return Candidate.objects.get(evaluation_id=context["evaluation_pk"]).pk


def _admin(context) -> int:
    return context["admin"].pk


def _rate_as_admin(context):
    return assign(_evaluation(context), context["admin"])


def _draft_as_admin(context):
    """A draft rating of the admin: a sheet with no rating is refused."""
    question = _evaluation(context).questionnaire_version.questions.get(code="REP-01")
    evaluator = _rate_as_admin(context)
    Rating.objects.create(
        candidate_id=_candidate(context), question=question, evaluator=evaluator, score=3
    )


def _start_scoring(context):
    """Scored (a decision names scorecards) and in the scoring status."""
    scoring.score_evaluation(context["evaluation_pk"])
    Evaluation.objects.filter(pk=context["evaluation_pk"]).update(status="scoring")


def _add_evidence(context):
    """An evidence question in the pinned version and a document of the candidate's provider."""
    version = _evaluation(context).questionnaire_version
    fields = {**QUESTION_DEFAULTS, "kind": "evidence", "text": "Attach a sample report."}
    Question.objects.create(
        version=version, section=version.sections.first(), order=99, code=EVIDENCE, **fields
    )
    make_document(Candidate.objects.get(evaluation_id=context["evaluation_pk"]).provider)


def _evidence_document(context) -> int:
    candidate = Candidate.objects.get(evaluation_id=context["evaluation_pk"])
    return Document.objects.get(provider_id=candidate.provider_id).pk


def _open_for_a_new_request(context):
    """The seeded request accepted: its candidate may be asked again."""
    ResponseRequest.objects.filter(pk=context["response_request_pk"]).update(status="accepted")


def _contact(context) -> int:
    return ResponseContact.objects.get(request_id=context["response_request_pk"]).pk


def _resendable(context):
    """Sent long enough ago that a resend is not throttled."""
    ResponseContact.objects.filter(request_id=context["response_request_pk"]).update(
        last_sent_at=timezone.now() - timedelta(hours=1)
    )


def _drafting_with_evidence(context):
    """Drafting again, with an evidence question and the document uploaded through it."""
    _add_evidence(context)
    ResponseRequest.objects.filter(pk=context["response_request_pk"]).update(status="in_progress")
    ResponseDocument.objects.create(
        request_id=context["response_request_pk"], document_id=_evidence_document(context)
    )


def _record_conflict(context):
    """SOC-01 maps to the SOC model; the candidate answers "own" for a provider whose
    record says third-party: a record conflict to resolve."""
    candidate = Candidate.objects.get(evaluation_id=context["evaluation_pk"])
    question = _evaluation(context).questionnaire_version.questions.get(code="SOC-01")
    question.prefill = {
        "source": "provider.soc_model",
        "values": {"own": "own", "third_party": "white_label"},
    }
    question.save(update_fields=["prefill"])
    Provider.objects.filter(pk=candidate.provider_id).update(
        soc_model="third_party", third_party_soc_name="Acme SOC"
    )
    Answer.objects.create(candidate=candidate, question=question, value="own")


def _finding_body(context, **fields) -> dict:
    contract = Contract.objects.get(pk=context["contract_pk"])
    return {"provider": contract.provider_id, "title": "Runbook", "severity": "low", **fields}


def _shared_finding(context):
    """A finding of the respondent's provider shared with it, to reply to (shared by
    hand: a buyer's message would mail the contact a new link, replacing the seeded one)."""
    candidate = Candidate.objects.select_related("provider").get(
        evaluation_id=context["evaluation_pk"]
    )
    finding = findings.create_finding(
        context["organization"],
        context["admin"].user,
        {"provider": candidate.provider, "title": "Patch window", "severity": "medium"},
    )
    Finding.objects.filter(pk=finding.pk).update(shared_with_provider=True)
    context["shared_finding_pk"] = finding.pk


def _decide(context):
    """The seeded evaluation decided for its one candidate, as an award to contract."""
    Evaluation.objects.filter(pk=context["evaluation_pk"]).update(
        status="decided", decision_award={"all": _candidate(context)}
    )


def _contracted_provider(context) -> int:
    return Contract.objects.get(pk=context["contract_pk"]).provider_id


CONTRACT = {"title": "Cross", "start_date": "2026-01-01", "term_months": 12}


def _contract_term(context) -> int:
    return Contract.objects.get(pk=context["contract_pk"]).sla_terms.get().pk


def _response_request(contacts_field: str) -> "Sample":
    return Sample(
        ref=_contact,
        body=lambda _, ref: {contacts_field: ref},
        prepare=_resendable,
        object_key="response_request_pk",
    )


@dataclass(frozen=True)
class Sample:
    ref: Callable[[dict], int]  # the referenced object, in either organization
    body: Callable[[dict, int], Any]  # A's valid request around the reference
    prepare: Callable[[dict], None] | None = None  # state A's request needs
    object_key: str | None = None  # context key of the `{id}` in the URL


# The evaluation's own references, each sent alone on create and on update.
REFS = {
    "questionnaire_version": _version,
    "needs_assessment": lambda context: context["needs_assessment_pk"],
    "lead": _admin,
}


def _evaluation_create(field: str) -> Sample:
    def body(context, ref):
        return {"name": "Cross", "questionnaire_version": _version(context), field: ref}

    return Sample(ref=REFS[field], body=body)


def _evaluation_patch(field: str) -> Sample:
    return Sample(ref=REFS[field], body=lambda _, ref: {field: ref}, object_key="evaluation_pk")


def _pack(context) -> int:
    return context["pack_version_pk"]


def _from_needs(field: str, ref: Callable[[dict], int]) -> Sample:
    """A draft from the seeded assessment, on the seeded (or the referenced) version."""

    def body(context, value):
        return {"name": "From needs", "questionnaire_version": _version(context), "packs": []} | {
            field: [value] if field == "packs" else value
        }

    return Sample(ref=ref, body=body, object_key="needs_assessment_pk")


SAMPLES: dict[tuple[str, str], Sample] = {
    **{("evaluations_create", f): _evaluation_create(f) for f in REFS},
    **{("evaluations_partial_update", f): _evaluation_patch(f) for f in REFS},
    # The seeded evaluation already pins the seeded pack: the update changes nothing.
    ("evaluations_create", "packs[]"): Sample(
        ref=_pack,
        body=lambda context, ref: {
            "name": "Cross",
            "questionnaire_version": _version(context),
            "packs": [ref],
        },
    ),
    ("evaluations_partial_update", "packs[]"): Sample(
        ref=_pack, body=lambda _, ref: {"packs": [ref]}, object_key="evaluation_pk"
    ),
    ("needs_assessments_create_evaluation", "questionnaire_version"): _from_needs(
        "questionnaire_version", _version
    ),
    ("needs_assessments_create_evaluation", "lead"): _from_needs("lead", _admin),
    ("needs_assessments_create_evaluation", "packs[]"): _from_needs("packs", _pack),
    ("evaluations_decide", "candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: {"candidate": ref, "rationale": "Best fit."},
        prepare=_start_scoring,
        object_key="evaluation_pk",
    ),
    ("evaluations_decide", "award[].candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: {"award": [{"lot": "all", "candidate": ref}], "rationale": "Fit."},
        prepare=_start_scoring,
        object_key="evaluation_pk",
    ),
    ("evaluation_candidates_create", "provider"): Sample(
        ref=lambda context: context["provider_pk"], body=lambda _, ref: {"provider": ref}
    ),
    ("evaluation_evaluators_create", "member"): Sample(
        ref=_admin, body=lambda _, ref: {"member": ref}
    ),
    ("evaluation_answers_create", "[].candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: [{"candidate": ref, "question": "SOC-02", "value": False}],
    ),
    ("evaluation_answers_create", "[].value[]"): Sample(
        ref=_evidence_document,
        body=lambda context, ref: [
            {"candidate": _candidate(context), "question": EVIDENCE, "value": [ref]}
        ],
        prepare=_add_evidence,
    ),
    ("evaluation_ratings_create", "[].candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: [{"candidate": ref, "question": "REP-01", "score": 4}],
        prepare=_rate_as_admin,
    ),
    ("evaluation_ratings_submit", "candidate"): Sample(
        ref=_candidate, body=lambda _, ref: {"candidate": ref}, prepare=_draft_as_admin
    ),
    ("evaluation_proposals_create", "candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: {
            "candidate": ref,
            "lots": ["all"],
            "one_time": "0.00",
            "monthly": "100.00",
        },
    ),
    ("evaluation_response_requests_create", "candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: {
            "candidate": ref,
            "due_date": str(timezone.localdate() + timedelta(days=5)),
            "contacts": [{"name": "Ann", "email": "ann@vendor.example"}],
        },
        prepare=_open_for_a_new_request,
    ),
    ("evaluation_response_requests_resend", "contact"): _response_request("contact"),
    ("evaluation_response_requests_revoke_link", "contact"): _response_request("contact"),
    # The respondent's evidence names documents of its own candidate's provider only.
    ("respondent_answers_patch", "answers[].value"): Sample(
        ref=_evidence_document,
        body=lambda _, ref: {"answers": [{"question": EVIDENCE, "value": [ref]}]},
        prepare=_drafting_with_evidence,
    ),
    ("evaluations_resolve_record_conflict", "candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: {"candidate": ref, "question": "SOC-01", "keep": "record"},
        prepare=_record_conflict,
        object_key="evaluation_pk",
    ),
    ("contracts_create", "provider"): Sample(
        ref=lambda context: context["provider_pk"],
        body=lambda _, ref: {**CONTRACT, "provider": ref},
    ),
    # The provider is fixed: its own provider sent back is the accepted request.
    ("contracts_partial_update", "provider"): Sample(
        ref=_contracted_provider, body=lambda _, ref: {"provider": ref}, object_key="contract_pk"
    ),
    ("contract_measurements_create", "sla_term"): Sample(
        ref=_contract_term,
        body=lambda _, ref: {"sla_term": ref, "period": "2026-03", "measured_value": "20"},
    ),
    # The measured term is fixed: its own term sent back is the accepted request.
    ("contract_measurements_partial_update", "sla_term"): Sample(
        ref=_contract_term, body=lambda _, ref: {"sla_term": ref}, object_key="measurement_pk"
    ),
    ("contracts_from_award", "evaluation"): Sample(
        ref=lambda context: context["evaluation_pk"],
        body=lambda _, ref: {"evaluation": ref, "start_date": "2026-01-01"},
        prepare=_decide,
    ),
    ("findings_create", "provider"): Sample(
        ref=_contracted_provider, body=lambda context, ref: _finding_body(context, provider=ref)
    ),
    ("findings_create", "contract"): Sample(
        ref=lambda context: context["contract_pk"],
        body=lambda context, ref: _finding_body(context, contract=ref),
    ),
    ("findings_create", "owner"): Sample(
        ref=_admin, body=lambda context, ref: _finding_body(context, owner=ref)
    ),
    # The provider and the contract are fixed: its own sent back is the accepted request.
    ("findings_partial_update", "provider"): Sample(
        ref=_contracted_provider, body=lambda _, ref: {"provider": ref}, object_key="finding_pk"
    ),
    ("findings_partial_update", "contract"): Sample(
        ref=lambda context: context["contract_pk"],
        body=lambda _, ref: {"contract": ref},
        object_key="finding_pk",
    ),
    ("findings_partial_update", "owner"): Sample(
        ref=_admin, body=lambda _, ref: {"owner": ref}, object_key="finding_pk"
    ),
    ("respondent_findings_post", "finding"): Sample(
        ref=lambda context: context["shared_finding_pk"],
        body=lambda _, ref: {"finding": ref, "message": "Next Tuesday."},
        prepare=_shared_finding,
    ),
    ("evaluation_overrides_create", "candidate"): Sample(
        ref=_candidate,
        body=lambda _, ref: {
            "candidate": ref,
            "question": "REP-01",
            "score": 0.7,
            "rationale": "Checked the sample report.",
        },
    ),
}


def _shared(model) -> bool:
    return tenant_lookup(model) is None and not hasattr(model, "tenant_q")


def _references():
    """The discovered fields that may hold another organization's id."""
    return {
        (field.operation, field.path): field
        for field in request_fields()
        if not (field.model is not None and _shared(field.model))
        and not (field.model is None and field.name in QUANTITIES)
    }


REFERENCES = _references()


def test_every_reference_field_has_a_sample():
    missing = sorted(set(REFERENCES) - set(SAMPLES))
    assert not missing, f"fields that may name another object, without a sample here: {missing}"
    assert not sorted(set(SAMPLES) - set(REFERENCES)), "samples of fields that no longer exist"


def test_exemptions_are_current():
    fields = request_fields()
    used = {f.name for f in fields if f.model is None and f.name in QUANTITIES}
    assert used == QUANTITIES, "quantities no request has any more"
    shared = {f.model._meta.label for f in fields if f.model is not None and _shared(f.model)}
    assert shared == SHARED_CATALOGS, "a related model without an organization: scope it"


def test_no_filter_looks_ids_up_across_organizations():
    """A model-choice filter checks the id against every organization's rows: another
    organization's id gets an empty page where an unknown one gets a 400, which tells
    the caller it exists. ``config.filters.IdFilter`` filters by the bare number."""
    leaky = sorted(f"{f.operation}?{f.path}" for f in model_filters() if not _shared(f.model))
    assert leaky == []


@pytest.fixture
def tenants(make_client):
    client_a = make_client(Role.ADMIN)
    client_b = make_client(Role.ADMIN)
    context_a = seed_organization(client_a.organization, client_a.membership)
    context_b = seed_organization(client_b.organization, client_b.membership)
    return client_a, context_a, context_b


def _url(field, sample: Sample, context) -> str:
    def value(match):
        name = match.group(1)
        key = sample.object_key if name == "id" else name  # parents: e.g. evaluation_pk
        return str(context[key])

    return re.sub(r"{(\w+)}", value, field.url)


def _send(client, field, url, body, context):
    if field.url.startswith("/api/v1/respondent/"):
        client = caller(client, context, {"tags": [RESPONDENT_TAG]})
    headers = {}
    if field.method == "PATCH":  # updates answer 428 without the current ETag
        headers["HTTP_IF_MATCH"] = client.get(url)["ETag"]
    return getattr(client, field.method.lower())(url, body, format="json", **headers)


def _snapshot() -> dict:
    """Every row of every table (an API token's last use is the caller's, not the
    request's)."""
    rows = {}
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if f.name != "last_used_at"]
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list(*names))
    return rows


@pytest.mark.parametrize("key", sorted(SAMPLES), ids=":".join)
def test_another_organizations_id_is_refused(tenants, key):
    client_a, context_a, context_b = tenants
    field, sample = REFERENCES[key], SAMPLES[key]
    if sample.prepare:
        sample.prepare(context_a)
        sample.prepare(context_b)
    url = _url(field, sample, context_a)
    before = _snapshot()

    foreign = _send(client_a, field, url, sample.body(context_a, sample.ref(context_b)), context_a)
    assert foreign.status_code in (400, 404), (key, foreign.status_code, foreign.content[:500])
    if foreign.status_code == 400:
        named = {error["field"] for error in foreign.json()["errors"]}
        # An id inside a list (evidence document ids) may be reported on the list.
        assert any(
            field.error_field == name or field.error_field.startswith(f"{name}[") for name in named
        ), (key, named)
    assert _snapshot() == before, f"{key}: the refused request wrote something"

    own = _send(client_a, field, url, sample.body(context_a, sample.ref(context_a)), context_a)
    assert 200 <= own.status_code < 300, (key, own.status_code, own.content[:500])
