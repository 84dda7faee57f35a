"""Writes for questionnaires. Views and commands call these; nothing else writes.

Every write that takes content validates the whole document with
``questionnaires.document.validate_document`` (plus the storage check of
``conversion.document_problems``) and raises ``DocumentInvalid`` listing every
problem with its path. State rules raise ``Conflict`` (409): only a draft is
edited, published or deleted; only a published version is retired; a
questionnaire has at most one draft and at most one published version.
Permission rules (built-ins are read-only) are the views' business.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from rest_framework.exceptions import ErrorDetail, ValidationError

from config.exceptions import Conflict

from .builtin import BuiltinSummary, load_builtin_questionnaires
from .conversion import document_problems, version_document, version_fields
from .document import FORMAT, FORMAT_VERSION, Problem, normalise_document
from .models import Questionnaire, QuestionnaireVersion, VersionStatus
from .selectors import version_with_structure
from .structure import copy_structure, write_structure
from .versioning import (
    create_version,
    create_with_structure,
    ensure_no_draft,
    ensure_status,
    follow_draft,
    lock_questionnaire,
    lock_version,
    publish_checked,
)

__all__ = [
    "BuiltinSummary",
    "DocumentInvalid",
    "create_questionnaire",
    "delete_questionnaire",
    "delete_version",
    "import_document",
    "load_builtin_questionnaires",
    "new_version",
    "publish_version",
    "retire_version",
    "update_draft",
]

#: The document fields a draft edit may change (the code is the questionnaire's).
EDITABLE_FIELDS = ("name", "description", "version_label", "sections")
READ_ONLY_FIELDS = ("code", "format", "format_version")
#: The document fields that create a questionnaire.
CREATE_FIELDS = ("code", "name", "description", "version_label")


class DocumentInvalid(ValidationError):
    """A 400 whose errors are the document's problems (``field`` = the path)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        detail: dict[str, list[ErrorDetail]] = {}
        for problem in self.problems:
            detail.setdefault(problem.path, []).append(ErrorDetail(problem.message, problem.code))
        super().__init__(detail)


def check_document(document, *, for_publish: bool = False, extra: list[Problem] = ()) -> dict:
    """The normalised ``document``, or DocumentInvalid with every problem."""
    problems = [*extra, *document_problems(document, for_publish=for_publish)]
    if problems:
        raise DocumentInvalid(problems)
    return normalise_document(document)


def _field_problems(data: dict, allowed: tuple[str, ...], read_only=()) -> list[Problem]:
    problems = []
    for key in data:
        if key in read_only:
            problems.append(Problem(key, "read_only", "cannot be changed here"))
        elif key not in allowed:
            problems.append(Problem(key, "unknown_field", "unknown field"))
    return problems


# --- writes ------------------------------------------------------------------------


@transaction.atomic
def import_document(organization, document, *, user=None) -> QuestionnaireVersion:
    """Import a document as a new draft of the organization's questionnaire with its
    code (created when new; a built-in with the same code is not touched)."""
    normal = check_document(document)
    questionnaire, created = Questionnaire.objects.get_or_create(
        organization=organization,
        code=normal["code"],
        defaults={"name": normal["name"], "description": normal["description"]},
    )
    if not created:
        questionnaire = lock_questionnaire(questionnaire)
        ensure_no_draft(questionnaire)
    version = create_with_structure(questionnaire, normal, user)
    follow_draft(questionnaire, version)
    return version


@transaction.atomic
def create_questionnaire(organization, data: dict, *, user=None) -> Questionnaire:
    """A new questionnaire of the organization with an empty draft (version 1)."""
    extra = _field_problems(data, CREATE_FIELDS)
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "sections": [], **data}
    normal = check_document(document, extra=extra)
    if Questionnaire.objects.filter(organization=organization, code=normal["code"]).exists():
        raise Conflict(
            f"Your organization already has a questionnaire with the code {normal['code']!r}.",
            code="code_taken",
        )
    try:
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                organization=organization,
                code=normal["code"],
                name=normal["name"],
                description=normal["description"],
            )
    except IntegrityError:
        raise Conflict("That code was taken at the same time; retry.", code="code_taken") from None
    create_version(questionnaire, normal, user)
    return questionnaire


@transaction.atomic
def update_draft(version: QuestionnaireVersion, changes: dict) -> QuestionnaireVersion:
    """Replace the given document fields of a draft (``sections`` is the whole tree)."""
    version = lock_version(version)
    ensure_status(version, VersionStatus.DRAFT, "edited")
    extra = _field_problems(changes, EDITABLE_FIELDS, read_only=READ_ONLY_FIELDS)
    current = version_document(version_with_structure(version.pk))
    merged = {**current, **{k: v for k, v in changes.items() if k in EDITABLE_FIELDS}}
    normal = check_document(merged, extra=extra)
    write_structure(version, normal)
    for name, value in version_fields(normal).items():
        setattr(version, name, value)
    version.save(update_fields=["name", "description", "label", "updated_at"])
    follow_draft(version.questionnaire, version)
    return version


@transaction.atomic
def publish_version(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Check a draft for publication and publish it; the previous published version
    (if any) is retired."""
    version = lock_version(version)
    lock_questionnaire(version.questionnaire)
    ensure_status(version, VersionStatus.DRAFT, "published")
    normal = check_document(version_document(version_with_structure(version.pk)), for_publish=True)
    publish_checked(version, normal)
    return version


@transaction.atomic
def new_version(version: QuestionnaireVersion, *, user=None) -> QuestionnaireVersion:
    """Clone a version (its content exactly) into a new draft of the same questionnaire."""
    questionnaire = lock_questionnaire(version.questionnaire)
    ensure_no_draft(questionnaire)
    source = version_with_structure(version.pk)
    clone = create_version(
        questionnaire,
        {
            "name": source.name,
            "description": source.description,
            "version_label": source.label,
        },
        user,
    )
    copy_structure(source, clone)
    return clone


@transaction.atomic
def retire_version(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Withdraw a published version: it stays readable but is no longer current."""
    version = lock_version(version)
    ensure_status(version, VersionStatus.PUBLISHED, "retired")
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save(update_fields=["status", "retired_at", "updated_at"])
    return version


@transaction.atomic
def delete_version(version: QuestionnaireVersion) -> None:
    """Discard a draft. The only version of a questionnaire is not deleted: delete the
    questionnaire instead."""
    version = lock_version(version)
    ensure_status(version, VersionStatus.DRAFT, "deleted")
    if not version.questionnaire.versions.exclude(pk=version.pk).exists():
        raise Conflict(
            "This draft is the questionnaire's only version; delete the questionnaire instead.",
            code="only_version",
        )
    _delete(version)


@transaction.atomic
def delete_questionnaire(questionnaire: Questionnaire) -> None:
    """Delete a questionnaire that was never published (published versions are kept
    for the evaluations and scorecards that pin them: retire them instead)."""
    questionnaire = lock_questionnaire(questionnaire)
    if questionnaire.versions.exclude(status=VersionStatus.DRAFT).exists():
        raise Conflict(
            "This questionnaire has published or retired versions, which are kept for the "
            "evaluations that pin them; retire its published version instead.",
            code="has_published_versions",
        )
    _delete(questionnaire)


def _delete(instance) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise Conflict(
            "Evaluations refer to this content, so it cannot be deleted.", code="in_use"
        ) from None
