"""Buyer review: accept an answer (it becomes the candidate's answer) or return it
with a clarification question, or write in a question's thread without reviewing
it. Accepted answers go through the evaluation's own answer service, so they are
validated, audited (source: prefill when the respondent kept the value prefilled
from the provider record, respondent otherwise) and scored like any other answer."""

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from evaluations.services.answers import upsert_answers
from responses import rules
from responses.models import (
    ClarificationMessage,
    ResponseAnswer,
    ResponseRequest,
    ReviewStatus,
    Side,
)
from responses.services import events, notices
from responses.services.events import Event
from responses.services.prefill import accept_source
from responses.services.questions import asked_by_code
from responses.services.respondent import ResponseClosed

MAX_ITEMS = 500
ACCEPT, RETURN = "accept", "return"


def _locked(request: ResponseRequest, event: str) -> ResponseRequest:
    """The request under its row lock (the respondent's writes take it too), once
    ``event`` fits its status."""
    request = (
        ResponseRequest.objects.select_for_update(of=("self",))
        .select_related("evaluation__organization", "candidate__provider")
        .get(pk=request.pk)
    )
    try:
        rules.after(request.status, event)
    except rules.TransitionRefused as refused:
        raise ResponseClosed(str(refused)) from None
    return request


def _check(items: list[dict], answers: dict[str, ResponseAnswer], asked) -> None:
    errors: dict[int, dict] = {}
    seen = set()
    for index, item in enumerate(items):
        code = item["question"]
        if code not in asked:
            errors[index] = {"question": ["No such question in this response."]}
        elif code in seen:
            errors[index] = {"question": ["Reviewed twice in this request."]}
        elif item["decision"] == ACCEPT and (code not in answers or answers[code].value is None):
            errors[index] = {"decision": ["There is no answer to accept."]}
        elif item["decision"] == RETURN and not item.get("message"):
            errors[index] = {"message": ["Ask the clarification question you return it with."]}
        seen.add(code)
    if errors:
        raise ValidationError([errors.get(i, {}) for i in range(len(items))])


@transaction.atomic
def review_answers(request: ResponseRequest, *, user, items: list[dict]) -> ResponseRequest:
    """Apply ``[{question, decision, message}]``, all or nothing; the request becomes
    ``returned`` while a question is returned and ``accepted`` once every answer is.
    Questions returned are emailed to the contacts (``notices.answers_returned``)."""
    request = _locked(request, "review")
    asked = asked_by_code(request)
    answers = {a.question.code: a for a in request.answers.select_related("question")}
    _check(items, answers, asked)
    now = timezone.now()
    actor = events.buyer(user)
    accepted: dict[str, list[dict]] = {}
    returned, log = [], []
    for item in items:
        code = item["question"]
        answer = answers.get(code)
        if answer is None:
            answer = answers[code] = ResponseAnswer.objects.create(
                request=request, question=asked[code], value=None, revision=0
            )
        if item["decision"] == ACCEPT:
            answer.review = ReviewStatus.ACCEPTED
            accepted.setdefault(accept_source(answer), []).append(
                {"candidate": request.candidate_id, "question": code, "value": answer.value}
            )
        else:
            answer.review = ReviewStatus.RETURNED
            ClarificationMessage.objects.create(
                answer=answer, side=Side.BUYER, author_label=actor.label, body=item["message"]
            )
            returned.append({"code": code, "text": asked[code].text, "message": item["message"]})
        answer.reviewed_at = now
        log.append(Event(f"answer.{item['decision']}ed", code))
    ResponseAnswer.objects.bulk_update(
        [answers[item["question"]] for item in items], ["review", "reviewed_at"]
    )
    for source, items_of_source in accepted.items():
        upsert_answers(request.evaluation, user=user, items=items_of_source, source=source)
    reviews = {
        code: a.review
        for code, a in answers.items()
        if a.value is not None or a.review == ReviewStatus.RETURNED
    }
    status = rules.status_after_review(reviews)
    request.status = status
    if status == rules.ACCEPTED:
        request.accepted_at = now
    request.save(update_fields=["status", "accepted_at", "updated_at"])
    events.record(request, actor, log)
    if returned:
        notices.answers_returned(request, returned)
    return request


@transaction.atomic
def post_message(
    request: ResponseRequest, *, user, question_code: str, body: str
) -> ClarificationMessage:
    """The buyer writes in a question's thread; the answer's review and the request's
    status stay as they are. Until acceptance, as the respondent's replies. The
    contacts are emailed (``notices.message_posted``, at most once per window)."""
    request = _locked(request, "message")
    asked = asked_by_code(request)
    question = asked.get(question_code)
    if question is None:
        raise ValidationError({"question": ["No such question in this response."]})
    answer, _ = ResponseAnswer.objects.get_or_create(
        request=request, question=question, defaults={"value": None, "revision": 0}
    )
    actor = events.buyer(user)
    message = ClarificationMessage.objects.create(
        answer=answer, side=Side.BUYER, author_label=actor.label, body=body
    )
    events.record(request, actor, [Event("message.posted", question_code)])
    notices.message_posted(request, code=question_code, text=question.text, message=body)
    return message
