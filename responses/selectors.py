"""Reads of a response for both sides, in a constant number of queries."""

from django.db.models import Prefetch

from responses.models import ClarificationMessage, ResponseRequest, Side
from responses.services.prefill import kept_prefill
from responses.services.questions import asked_questions


def _prefill(answer) -> dict | None:
    if answer is None or answer.prefill is None:
        return None
    return {
        "source": answer.prefill["source"],
        "note": answer.prefill["note"],
        "value": answer.prefill["value"],
        "kept": kept_prefill(answer),
    }


def answer_states(request: ResponseRequest, *, for_respondent: bool) -> list[dict]:
    """Every asked question, in questionnaire order, with its answer (null when none),
    the draft version that last changed it, its review and its thread. The
    respondent sees the buyer's messages signed by the buyer organization only."""
    asked = [q for entry in asked_questions(request) for q in entry.questions]
    stored = {
        answer.question.code: answer
        for answer in request.answers.select_related("question", "updated_by").prefetch_related(
            Prefetch("messages", queryset=ClarificationMessage.objects.order_by("created_at", "id"))
        )
    }
    buyer_label = request.evaluation.organization.name
    states = []
    for question in asked:
        answer = stored.get(question.code)
        messages = []
        for message in answer.messages.all() if answer else ():
            label = message.author_label
            if for_respondent and message.side == Side.BUYER:
                label = buyer_label
            messages.append(
                {
                    "side": message.side,
                    "author_label": label,
                    "body": message.body,
                    "created_at": message.created_at,
                }
            )
        states.append(
            {
                "question": question.code,
                "value": answer.value if answer else None,
                "revision": answer.revision if answer else 0,
                "review": answer.review if answer else "pending",
                "updated_by": answer.updated_by.label if answer and answer.updated_by else None,
                "prefill": _prefill(answer),
                "messages": messages,
            }
        )
    return states


def answers_view(request: ResponseRequest, *, for_respondent: bool) -> dict:
    return {
        "status": request.status,
        "draft_version": request.draft_version,
        "answers": answer_states(request, for_respondent=for_respondent),
    }
