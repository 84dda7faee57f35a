"""Prefilled answers: when a request is sent, each asked question that maps to the
provider record (its ``prefill``) starts with the record's value and a note saying
where it comes from, for the respondent to confirm or change.

The record is read once, as the request is sent: a later change to the record does
not rewrite a draft the respondent may be confirming (the record conflicts of the
scorecard compare answers with the record as it is now)."""

from evaluations.models import ChangeSource
from providers.record import provider_records
from questionnaires.prefill import for_buyer, prefill_for
from responses.models import ResponseAnswer, ResponseRequest
from responses.services.events import Event


def prefill_answers(request: ResponseRequest, asked) -> list[Event]:
    """Create the prefilled answers of a new request (``asked``: its questions by
    code); the events to record. A constant number of queries."""
    mapped = [q for q in asked.values() if q.prefill]
    if not mapped:
        return []
    evaluation = request.evaluation
    provider_id = request.candidate.provider_id
    record = for_buyer(
        provider_records([provider_id])[provider_id], evaluation.industry, evaluation.frameworks
    )
    rows = []
    for question in mapped:
        options = [o["value"] for o in question.options]
        found = prefill_for(question.prefill, question.kind, options, record)
        if found is None:
            continue
        rows.append(
            ResponseAnswer(
                request=request,
                question=question,
                value=found.value,
                revision=0,
                prefill={
                    "source": question.prefill["source"],
                    "note": found.note,
                    "value": found.value,
                },
            )
        )
    ResponseAnswer.objects.bulk_create(rows)
    return [
        Event(
            "answer.prefilled", row.question.code, {"value": row.value, "note": row.prefill["note"]}
        )
        for row in rows
    ]


def kept_prefill(answer: ResponseAnswer) -> bool:
    """The respondent left the prefilled value as it was (or put it back)."""
    return answer.prefill is not None and answer.value == answer.prefill["value"]


def accept_source(answer: ResponseAnswer) -> str:
    """The audit source of an accepted answer: the record's value confirmed, or the
    respondent's own."""
    return ChangeSource.PREFILL if kept_prefill(answer) else ChangeSource.RESPONDENT


def prefilled_documents(request: ResponseRequest) -> set[int]:
    """Documents of the provider record that prefilled evidence answers cite: the
    respondent may keep citing them (one query)."""
    cited: set[int] = set()
    for prefill in request.answers.filter(
        prefill__isnull=False, question__kind="evidence"
    ).values_list("prefill", flat=True):
        cited.update(prefill["value"])
    return cited
