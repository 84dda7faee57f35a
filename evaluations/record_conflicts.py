"""Record conflicts: candidates' answers that contradict their provider's record.

Computed when read, from the current answers and the current record, and never
stored: they are not part of the scorecard, its explanation or its input hash
(docs/scoring.md), so a record edit shows at once without rescoring. The rule
of what contradicts the record is ``questionnaires.prefill.conflict_for``.
"""

from collections import defaultdict

from evaluations.models import Answer
from providers.record import provider_records
from questionnaires.prefill import conflict_for, for_buyer


def record_conflicts(candidate_ids) -> dict[int, list[dict]]:
    """``{candidate id: [{question, answer, record_value, expected, source, note}]}``
    for every candidate given (an empty list when none), by question code. One
    query for the prefilled answers with their candidates' providers and buyers,
    and the records of the providers they concern (five more, none when no answer
    is prefilled), whatever the number of candidates."""
    ids = set(candidate_ids)
    if not ids:
        return {}
    answers = list(
        Answer.objects.filter(candidate_id__in=ids, question__prefill__isnull=False).values_list(
            "candidate_id",
            "question__code",
            "question__kind",
            "question__options",
            "question__prefill",
            "value",
            "candidate__provider_id",
            "candidate__evaluation__industry",
            "candidate__evaluation__frameworks",
        )
    )
    records = provider_records({row[6] for row in answers}) if answers else {}
    found: dict[int, list[dict]] = defaultdict(list)
    for (
        candidate_id,
        code,
        kind,
        options,
        prefill,
        value,
        provider_id,
        industry,
        frameworks,
    ) in answers:
        record = for_buyer(records[provider_id], industry, frameworks)
        conflict = conflict_for(prefill, kind, [o["value"] for o in options], value, record)
        if conflict is not None:
            found[candidate_id].append(
                {
                    "question": code,
                    "answer": conflict.answer,
                    "record_value": conflict.record_value,
                    "expected": conflict.expected,
                    "source": prefill["source"],
                    "note": conflict.note,
                }
            )
    return {pk: sorted(found[pk], key=lambda c: c["question"]) for pk in ids}
