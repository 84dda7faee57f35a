"""Bulk upsert of answers by question code: all items valid, or nothing changes."""

from django.apps import apps
from rest_framework.exceptions import ValidationError

from accounts.principal import stored_user
from config.races import retry_on_unique_race
from evaluations.engine.answer_values import answer_error
from evaluations.models import Answer, ChangeSource, EvaluationStatus
from evaluations.services.audit import Change, record
from evaluations.services.lifecycle import require_status
from evaluations.services.packs import pinned_questions

MAX_ITEMS = 1000


def _document_ids_by_provider(provider_ids) -> dict[int, set[int]]:
    document = apps.get_model("providers", "Document")
    ids: dict[int, set[int]] = {pid: set() for pid in provider_ids}
    for doc_id, provider_id in document.objects.filter(provider_id__in=provider_ids).values_list(
        "id", "provider_id"
    ):
        ids[provider_id].add(doc_id)
    return ids


@retry_on_unique_race
def upsert_answers(
    evaluation, *, user, items: list[dict], source: str = ChangeSource.BUYER
) -> dict:
    """Apply ``[{candidate, question, value}]``; ``value: null`` clears an answer.

    ``source`` is recorded in the audit trail: the buyer, or a vendor response
    the buyer accepted.

    Every item is checked first; any error raises a ValidationError keyed by
    item index and nothing is written. Returns counts of what changed.
    """
    require_status(
        evaluation, {EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING}, "Entering answers"
    )
    if len(items) > MAX_ITEMS:
        raise ValidationError([f"At most {MAX_ITEMS} answers per request."])
    candidates = {c.pk: c for c in evaluation.candidates.all()}
    questions = {q.code: q for q in pinned_questions(evaluation)}
    documents = _document_ids_by_provider({c.provider_id for c in candidates.values()})

    errors: dict[int, dict] = {}
    seen = set()
    for index, item in enumerate(items):
        item_errors = {}
        candidate = candidates.get(item["candidate"])
        question = questions.get(item["question"])
        if candidate is None:
            item_errors["candidate"] = ["Not a candidate of this evaluation."]
        if question is None:
            item_errors["question"] = ["No question with this code in the pinned version."]
        if candidate and question:
            if (candidate.pk, question.code) in seen:
                item_errors["question"] = ["Answered twice in this request."]
            seen.add((candidate.pk, question.code))
            value = item["value"]
            problem = value is not None and answer_error(
                question.kind,
                value,
                options=[o["value"] for o in question.options],
                scale_max=question.scale_max,
                document_ids=documents.get(candidate.provider_id, set()),
            )
            if problem:
                item_errors["value"] = [problem]
        if item_errors:
            errors[index] = item_errors
    if errors:
        raise ValidationError([errors.get(i, {}) for i in range(len(items))])

    existing = {
        (a.candidate_id, a.question_id): a
        for a in Answer.objects.filter(
            candidate__evaluation=evaluation, candidate_id__in={i["candidate"] for i in items}
        )
    }
    to_create, to_update, to_delete, changes = [], [], [], []
    actor = stored_user(user)
    for item in items:
        question = questions[item["question"]]
        key = (item["candidate"], question.pk)
        current = existing.get(key)
        value = item["value"]
        old = current.value if current else None
        if old == value:  # also "clear what is not there"
            continue
        if value is None:
            to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                Answer(candidate_id=key[0], question=question, value=value, updated_by=actor)
            )
        else:
            current.value, current.updated_by = value, actor
            to_update.append(current)
        changes.append(
            Change(
                "answer.set", old=old, new=value, candidate_id=key[0], question_code=question.code
            )
        )
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["value", "updated_by", "updated_at"])
    Answer.objects.filter(pk__in=to_delete).delete()
    record(evaluation, user, changes, source)
    if changes:
        evaluation.save(update_fields=["updated_at"])
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "cleared": len(to_delete),
        "unchanged": len(items) - len(changes),
    }
