"""Record conflicts: candidates' answers that contradict their provider's record.

Computed when read, from the current answers and the current record, and never
stored: they are not part of the scorecard, its explanation or its input hash
(docs/scoring.md), so a record edit shows at once without rescoring. The rule
of what contradicts the record is ``questionnaires.prefill.conflict_for``.
"""

import json
from collections import defaultdict

from django.db import connection

from evaluations.models import Answer, Candidate, Evaluation
from providers.record import provider_records
from questionnaires.models import Question
from questionnaires.prefill import conflict_for, for_buyer

ANSWER_COLUMNS = (
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
JSON_COLUMNS = (3, 4, 5, 8)  # options, prefill, value, frameworks

# ``Answer.objects.filter(candidate_id__in=ids, question__prefill__isnull=False)
# .values_list(*ANSWER_COLUMNS)`` in the model's order, written once with one
# array parameter: the scorecard list asks this on every page, and building and
# compiling the query cost more than running it (it finds nothing for most pages).
PREFILLED_ANSWERS_SQL = """
SELECT a.candidate_id, q.code, q.kind, q.options, q.prefill, a.value,
       c.provider_id, e.industry, e.frameworks
FROM {answer} a
JOIN {question} q ON q.id = a.question_id
JOIN {candidate} c ON c.id = a.candidate_id
JOIN {evaluation} e ON e.id = c.evaluation_id
WHERE a.candidate_id = ANY(%s) AND q.prefill IS NOT NULL
ORDER BY a.candidate_id, a.question_id
"""


def prefilled_answers(ids: set[int]) -> list[tuple]:
    """The candidates' answers to prefilled questions, as ``ANSWER_COLUMNS`` rows."""
    if connection.vendor != "postgresql":
        return list(
            Answer.objects.filter(
                candidate_id__in=ids, question__prefill__isnull=False
            ).values_list(*ANSWER_COLUMNS)
        )
    sql = PREFILLED_ANSWERS_SQL.format(
        answer=Answer._meta.db_table,
        question=Question._meta.db_table,
        candidate=Candidate._meta.db_table,
        evaluation=Evaluation._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [sorted(ids)])
        rows = cursor.fetchall()
    return [
        tuple(
            json.loads(v) if i in JSON_COLUMNS and v is not None else v for i, v in enumerate(row)
        )
        for row in rows
    ]


def record_conflicts(candidate_ids) -> dict[int, list[dict]]:
    """``{candidate id: [{question, answer, record_value, expected, source, note}]}``
    for every candidate given (an empty list when none), by question code. One
    query for the prefilled answers with their candidates' providers and buyers,
    and the records of the providers they concern (five more, none when no answer
    is prefilled), whatever the number of candidates."""
    ids = set(candidate_ids)
    if not ids:
        return {}
    answers = prefilled_answers(ids)
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
