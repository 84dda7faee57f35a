"""The pack versions an evaluation pins, and the question set they make with its base.

An evaluation scores its base questionnaire version's sections followed by each
pack version's, in the order the packs are pinned (composed by the pure
:mod:`evaluations.engine.composition`). Answers, ratings, overrides, scoring,
reports and coverage all read that one set through :func:`pinned_questions`.

A pack is a published version of a questionnaire of the evaluation's
organization or a built-in one, pinned once, never the base version itself,
and no section or question code of it may occur in the base or in another pack
(400 naming the code and both versions). Packs are part of what the
evaluation scores, like its base version: they change only while it is a
draft (``lifecycle.update_evaluation``), and a pack whose questions have
answers is not dropped until those answers are cleared.
"""

from collections.abc import Sequence

from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError

from config.exceptions import Conflict
from evaluations.engine.composition import Part, Source, clashes
from evaluations.engine.lots import Violation
from evaluations.models import Answer, Evaluation, EvaluationPack
from evaluations.services.violations import raise_violations
from questionnaires.models import Question, QuestionnaireVersion, Section, VersionStatus

MAX_PACKS = 10


def pack_version_ids(evaluation: Evaluation) -> list[int]:
    """Ids of the evaluation's pack versions, in order (one query)."""
    return list(
        EvaluationPack.objects.filter(evaluation_id=evaluation.pk)
        .order_by("position")
        .values_list("version_id", flat=True)
    )


def pinned_questions(evaluation: Evaluation) -> QuerySet[Question]:
    """The questions of the base version and of every pack: one query when read."""
    packs = EvaluationPack.objects.filter(evaluation_id=evaluation.pk).values("version_id")
    return Question.objects.filter(
        Q(version_id=evaluation.questionnaire_version_id) | Q(version_id__in=packs)
    )


def section_codes(version_ids: Sequence[int]) -> set[str]:
    return set(Section.objects.filter(version_id__in=version_ids).values_list("code", flat=True))


def question_codes(version_ids: Sequence[int]) -> set[str]:
    return set(Question.objects.filter(version_id__in=version_ids).values_list("code", flat=True))


def _parts(ids: Sequence[int]) -> list[Part]:
    """Each version's codes, in the order given (three queries)."""
    sources = {
        pk: Source(code, number)
        for pk, code, number in QuestionnaireVersion.objects.filter(pk__in=ids).values_list(
            "pk", "questionnaire__code", "number"
        )
    }
    sections: dict[int, list[str]] = {pk: [] for pk in ids}
    rows = Section.objects.filter(version_id__in=ids).order_by("order", "id")
    for version_id, code in rows.values_list("version_id", "code"):
        sections[version_id].append(code)
    questions: dict[int, list[str]] = {pk: [] for pk in ids}
    rows = Question.objects.filter(version_id__in=ids).order_by("section__order", "order", "id")
    for version_id, code in rows.values_list("version_id", "code"):
        questions[version_id].append(code)
    return [Part(sources[pk], tuple(sections[pk]), tuple(questions[pk])) for pk in ids]


def check_packs(
    packs: Sequence[QuestionnaireVersion], *, base: QuestionnaireVersion, organization
) -> None:
    """Refuse (400 at ``packs[i]``) a version that may not be pinned as a pack."""
    if len(packs) > MAX_PACKS:
        raise ValidationError({"packs": [f"At most {MAX_PACKS} packs."]})
    owners = dict(
        QuestionnaireVersion.objects.filter(pk__in=[version.pk for version in packs]).values_list(
            "pk", "questionnaire__organization_id"
        )
    )
    found = []
    seen = set()
    for index, version in enumerate(packs):
        path = f"packs[{index}]"
        if owners[version.pk] not in (None, organization.pk):
            found.append(Violation(path, "Unknown questionnaire version."))
        elif version.status != VersionStatus.PUBLISHED:
            found.append(Violation(path, "Pin a published version of the pack."))
        elif version.pk == base.pk:
            found.append(Violation(path, "The base questionnaire version is not also a pack."))
        elif version.pk in seen:
            found.append(Violation(path, "This version is listed twice."))
        seen.add(version.pk)
    raise_violations(found)


def check_clashes(base_id: int, pack_ids: Sequence[int]) -> None:
    """Refuse (400 on ``packs``) codes shared by the base and a pack or by two packs,
    naming each code and both versions."""
    if pack_ids:
        raise_violations(
            Violation("packs", clash.message) for clash in clashes(_parts([base_id, *pack_ids]))
        )


def check_removal(evaluation: Evaluation, removed: set[int]) -> None:
    """409 when a pack version about to be dropped has answers to its questions."""
    answered = (
        Answer.objects.filter(candidate__evaluation=evaluation, question__version_id__in=removed)
        .values_list("question__version__questionnaire__code", "question__version__number")
        .order_by("question__version_id")
        .first()
    )
    if answered is not None:
        raise Conflict(
            f"Answers exist for questions of {Source(*answered)}; clear them before "
            "removing the pack."
        )


def set_packs(evaluation: Evaluation, packs: Sequence[QuestionnaireVersion]) -> None:
    """Pin exactly ``packs``, in this order."""
    EvaluationPack.objects.filter(evaluation=evaluation).delete()
    EvaluationPack.objects.bulk_create(
        EvaluationPack(evaluation=evaluation, version=version, position=position)
        for position, version in enumerate(packs)
    )
