"""The steps every questionnaire write is made of: locking, numbering, creating and
publishing versions. ``questionnaires.services`` (API writes) and
``questionnaires.builtin`` (shipped content) both build on these."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from config.exceptions import Conflict

from .conversion import content_hash, version_fields
from .models import Questionnaire, QuestionnaireVersion, VersionStatus
from .structure import write_structure


def next_number(questionnaire: Questionnaire) -> int:
    return (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def lock_questionnaire(questionnaire: Questionnaire) -> Questionnaire:
    """Serialise version changes of one questionnaire (a no-op on SQLite)."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def lock_version(version: QuestionnaireVersion) -> QuestionnaireVersion:
    return (
        QuestionnaireVersion.objects.select_for_update()
        .select_related("questionnaire")
        .get(pk=version.pk)
    )


def ensure_no_draft(questionnaire: Questionnaire) -> None:
    draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise Conflict(
            f"Questionnaire {questionnaire.code!r} already has a draft (version "
            f"{draft.number}); edit, publish or delete it first.",
            code="draft_exists",
        )


def ensure_status(version: QuestionnaireVersion, status: str, doing: str) -> None:
    if version.status != status:
        raise Conflict(
            f"Version {version.number} is {version.status}; only a {status} version can be "
            f"{doing}. Published versions never change: create a new version instead.",
            code=f"version_{version.status}",
        )


def create_version(questionnaire, document: dict, user=None) -> QuestionnaireVersion:
    try:
        with transaction.atomic():
            return QuestionnaireVersion.objects.create(
                questionnaire=questionnaire,
                number=next_number(questionnaire),
                created_by=user,
                **version_fields(document),
            )
    except IntegrityError:  # a concurrent request created a draft or took the number
        raise Conflict(
            "Another version of this questionnaire was created at the same time; retry.",
            code="concurrent_change",
        ) from None


def follow_draft(questionnaire: Questionnaire, version: QuestionnaireVersion) -> None:
    """Before its first publication a questionnaire shows its draft's name."""
    if not questionnaire.versions.exclude(status=VersionStatus.DRAFT).exists():
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            name=version.name, description=version.description, updated_at=timezone.now()
        )


def publish_checked(version: QuestionnaireVersion, document: dict) -> None:
    """Publish a checked draft: retire the current published version, freeze this one."""
    now = timezone.now()
    QuestionnaireVersion.objects.filter(
        questionnaire_id=version.questionnaire_id, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED, retired_at=now, updated_at=now)
    version.status = VersionStatus.PUBLISHED
    version.content_hash = content_hash(document)
    version.published_at = now
    version.save(update_fields=["status", "content_hash", "published_at", "updated_at"])
    Questionnaire.objects.filter(pk=version.questionnaire_id).update(
        name=version.name, description=version.description, updated_at=now
    )


def create_with_structure(questionnaire, document: dict, user=None) -> QuestionnaireVersion:
    version = create_version(questionnaire, document, user)
    write_structure(version, document)
    return version
