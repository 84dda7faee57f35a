"""Resolving a record conflict by updating either side: the answer from the record,
or (where the source is a field the record can take from an answer) the record
from the answer. Either way the conflict is gone and the change is audited."""

from django.db import transaction
from rest_framework.exceptions import ValidationError

from evaluations.models import Answer, ChangeSource
from evaluations.record_conflicts import record_conflicts
from evaluations.services.answers import upsert_answers
from evaluations.services.audit import Change, record
from providers.models import Provider
from providers.rules import provider_violations
from questionnaires.prefill import WRITABLE_SOURCES, record_code_for

KEEP_ANSWER, KEEP_RECORD = "answer", "record"


def _conflict(candidate, question_code: str) -> dict:
    conflicts = record_conflicts([candidate.pk])[candidate.pk]
    for conflict in conflicts:
        if conflict["question"] == question_code:
            return conflict
    raise ValidationError(
        {"question": ["This candidate's answer to this question does not contradict the record."]}
    )


def _write_record(evaluation, user, candidate, conflict: dict) -> None:
    source = conflict["source"]
    if source not in WRITABLE_SOURCES:
        raise ValidationError(
            {
                "keep": [
                    f"The record's {source} is not a field an answer can be written to; "
                    "update the provider record through the providers API, or keep the record."
                ]
            }
        )
    mapping = (
        Answer.objects.filter(candidate=candidate, question__code=conflict["question"])
        .values_list("question__prefill", flat=True)
        .get()
    )
    code = record_code_for(mapping, conflict["answer"])
    if code is None:
        raise ValidationError(
            {"keep": ["The answer stands for more than one record value; update the record."]}
        )
    provider = Provider.objects.select_for_update().get(pk=candidate.provider_id)
    violations = provider_violations(
        {
            "service_models": provider.service_models,
            "soc_model": code,
            "third_party_soc_name": provider.third_party_soc_name,
        }
    )
    if violations:
        raise ValidationError(
            {
                "keep": [
                    f"{v.message} Update the provider record through the providers API."
                    for v in violations
                ]
            }
        )
    old = provider.soc_model
    provider.soc_model = code
    provider.save(update_fields=["soc_model", "updated_at"])
    record(
        evaluation,
        user,
        [
            Change(
                "provider.soc_model",
                old=old,
                new=code,
                candidate_id=candidate.pk,
                question_code=conflict["question"],
            )
        ],
    )


@transaction.atomic
def resolve_conflict(evaluation, *, user, candidate, question_code: str, keep: str) -> dict:
    """Make the answer and the record agree, keeping ``keep``'s side: ``record`` sets
    the answer to the one the record stands for (audit source prefill); ``answer``
    writes the record field from the answer (audit action provider.soc_model).
    Returns the conflict resolved."""
    conflict = _conflict(candidate, question_code)
    if keep == KEEP_RECORD:
        upsert_answers(
            evaluation,
            user=user,
            items=[
                {
                    "candidate": candidate.pk,
                    "question": question_code,
                    "value": conflict["expected"],
                }
            ],
            source=ChangeSource.PREFILL,
        )
    else:
        _write_record(evaluation, user, candidate, conflict)
    return conflict
