"""Respondent side: drafting answers, answering clarifications, submitting.

Every write locks the request row, so draft versions are handed out one at a
time and a stale write is always noticed (``responses.rules.draft_conflicts``).
Every action is recorded in the request's events with the contact's identity.
"""

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.conditional import PreconditionFailed
from config.exceptions import Conflict
from evaluations.engine.answer_values import answer_error
from responses import rules
from responses.models import ClarificationMessage, ResponseAnswer, ResponseRequest, ReviewStatus
from responses.services import events
from responses.services.events import Event
from responses.services.prefill import prefilled_documents
from responses.services.questions import asked_by_code

MAX_ITEMS = 500
MAX_MESSAGE_LENGTH = 5000


class DraftConflict(PreconditionFailed):
    default_code = "draft_conflict"


class ResponseClosed(Conflict):
    default_code = "response_closed"


def locked_request(contact) -> ResponseRequest:
    return (
        ResponseRequest.objects.select_for_update(of=("self",))
        .select_related("evaluation__organization", "candidate__provider")
        .get(pk=contact.request_id)
    )


def transition(request: ResponseRequest, event: str) -> str:
    try:
        return rules.after(request.status, event)
    except rules.TransitionRefused as refused:
        raise ResponseClosed(str(refused)) from None


def _reviews(request: ResponseRequest) -> dict[str, str]:
    return dict(request.answers.values_list("question__code", "review"))


def _describe(value) -> str:
    return "no answer" if value is None else f"{value!r}"[:200]


def check_items(request: ResponseRequest, items: list[dict], asked) -> None:
    """400 naming each item whose question is not asked, repeats, or whose value does
    not fit the question's kind."""
    # Evidence cites the documents uploaded through this response only: the buyer's
    # own documents of the provider are none of the respondent's business, except
    # those the provider record prefilled an answer with.
    documents = set(request.documents.values_list("document_id", flat=True))
    documents |= prefilled_documents(request)
    errors: dict[int, dict] = {}
    seen = set()
    for index, item in enumerate(items):
        question = asked.get(item["question"])
        if question is None:
            errors[index] = {"question": ["No such question in this questionnaire."]}
            continue
        if question.code in seen:
            errors[index] = {"question": ["Answered twice in this request."]}
            continue
        seen.add(question.code)
        value = item["value"]
        problem = value is not None and answer_error(
            question.kind,
            value,
            options=[o["value"] for o in question.options],
            scale_max=question.scale_max,
            document_ids=documents,
        )
        if problem:
            errors[index] = {"value": [problem]}
    if errors:
        raise ValidationError({"answers": [errors.get(i, {}) for i in range(len(items))]})


@transaction.atomic
def save_draft(contact, *, base_version: int, items: list[dict]) -> ResponseRequest:
    """Apply ``[{question, value}]`` (``null`` clears) over ``base_version``, all or
    nothing. A question someone changed since that version, to another value, is a
    412 naming it and its current value; other questions merge."""
    request = locked_request(contact)
    status = transition(request, "save")
    if len(items) > MAX_ITEMS:
        raise ValidationError({"answers": [f"At most {MAX_ITEMS} answers per request."]})
    asked = asked_by_code(request)
    check_items(request, items, asked)
    if base_version > request.draft_version:
        raise DraftConflict(f"Draft version {base_version} does not exist yet; read the draft.")
    stored = {a.question.code: a for a in request.answers.select_related("question")}
    incoming = {item["question"]: item["value"] for item in items}
    current = {code: (a.value, a.revision) for code, a in stored.items()}
    # Answers sent back unchanged are no change: only the others must be editable.
    changed = {
        code: value for code, value in incoming.items() if current.get(code, (None,))[0] != value
    }
    reviews = {code: answer.review for code, answer in stored.items()}
    locked = [code for code in changed if not rules.editable(status, reviews, code)]
    if locked:
        raise ResponseClosed(
            "Only the questions returned to you can change now; not: " + ", ".join(locked) + "."
        )
    conflicts = rules.draft_conflicts(base_version, current, incoming)
    if conflicts:
        detail = {
            "non_field_errors": [
                f"Changed by someone else since version {base_version}: "
                f"{', '.join(conflicts)}. Nothing was saved; read the draft again, then "
                "save your answers (they are still in your request)."
            ]
        }
        for code in conflicts:
            detail[code] = [f"Now: {_describe(current[code][0])}."]
        raise DraftConflict(detail)
    if changed:
        request.draft_version += 1
        version = request.draft_version
        for code, value in changed.items():
            answer = stored.get(code)
            if answer is None:
                ResponseAnswer.objects.create(
                    request=request,
                    question=asked[code],
                    value=value,
                    revision=version,
                    updated_by=contact,
                )
            else:
                answer.value, answer.revision, answer.updated_by = value, version, contact
                answer.save(update_fields=["value", "revision", "updated_by", "updated_at"])
        events.record(
            request,
            events.respondent(contact),
            [Event("draft.saved", code, {"value": value}) for code, value in changed.items()],
        )
    request.status = status
    request.save(update_fields=["draft_version", "status", "updated_at"])
    return request


@transaction.atomic
def reply(contact, *, question_code: str, body: str) -> ClarificationMessage:
    """The respondent's answer in a question's thread, which the buyer opened (by
    returning the question or by a message); at any time until acceptance."""
    request = locked_request(contact)
    transition(request, "reply")
    answer = request.answers.filter(question__code=question_code).first()
    sides = list(answer.messages.values_list("side", flat=True)) if answer else []
    if not rules.may_reply(request.status, sides):
        raise ValidationError(
            {"question": ["The buyer has not written about this question: nothing to answer."]}
        )
    message = ClarificationMessage.objects.create(
        answer=answer, side="respondent", author_label=contact.label, body=body
    )
    events.record(
        request, events.respondent(contact), [Event("clarification.answered", question_code)]
    )
    return message


@transaction.atomic
def submit(contact) -> ResponseRequest:
    """Hand the response to the buyer. A resubmission needs every returned question's
    clarification answered (409 naming the others); a first one, at least one answer."""
    request = locked_request(contact)
    status = transition(request, "submit")
    if request.status == rules.RETURNED:
        threads: dict[str, list[str]] = {}
        returned = request.answers.filter(review=ReviewStatus.RETURNED)
        for code in returned.values_list("question__code", flat=True):
            threads[code] = []
        for code, side in ClarificationMessage.objects.filter(answer__in=returned).values_list(
            "answer__question__code", "side"
        ):
            threads[code].append(side)
        waiting = rules.unanswered_returns(threads)
        if waiting:
            raise Conflict(
                "Answer the clarification of every returned question first: "
                + ", ".join(waiting)
                + "."
            )
        returned.update(review=ReviewStatus.PENDING, reviewed_at=None)
    elif not request.answers.filter(value__isnull=False).exists():
        raise Conflict("Answer at least one question before submitting.")
    request.status = status
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    events.record(request, events.respondent(contact), [Event("response.submitted")])
    return request
