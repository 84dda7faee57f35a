"""Loading the built-in questionnaires of ``content/*.yaml``, idempotently.

Each file is one questionnaire, owned by no organization and published. A file
whose normalised content hashes like the questionnaire's published version is
left alone; a changed file becomes a new published version and the old one is
retired (never edited: evaluations may pin it). Call
``questionnaires.services.load_builtin_questionnaires()`` (tests do), or run
``manage.py load_builtin_content``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .conversion import content_hash, document_problems
from .document import load_document, normalise_document
from .models import Questionnaire, VersionStatus
from .versioning import create_with_structure, lock_questionnaire, publish_checked

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class BuiltinContentError(ValueError):
    """A shipped content file is not a valid, publishable document."""


@dataclass
class BuiltinSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        total = len(self.created) + len(self.updated) + len(self.unchanged)
        return (
            f"{total} built-in questionnaires: {len(self.created)} created, "
            f"{len(self.updated)} updated to a new version, {len(self.unchanged)} unchanged"
        )


def read_builtin_documents(directory: Path = CONTENT_DIR) -> list[dict]:
    """Every content file as a normalised document; BuiltinContentError when one is
    not publishable (nothing is loaded then)."""
    documents = []
    for path in sorted(directory.glob("*.yaml")):
        document = load_document(path.read_bytes(), "yaml")
        problems = document_problems(document, for_publish=True)
        if problems:
            listed = "; ".join(str(p) for p in problems)
            raise BuiltinContentError(f"{path.name} is not publishable: {listed}")
        documents.append(normalise_document(document))
    return documents


def load_builtin_questionnaires(directory: Path | None = None) -> BuiltinSummary:
    """Create or update the built-in questionnaires from ``directory`` (default:
    ``questionnaires/content``). Safe to run any number of times."""
    summary = BuiltinSummary()
    with transaction.atomic():
        for document in read_builtin_documents(directory or CONTENT_DIR):
            code = document["code"]
            digest = content_hash(document)
            questionnaire, created = Questionnaire.objects.get_or_create(
                organization=None,
                code=code,
                defaults={"name": document["name"], "description": document["description"]},
            )
            if created:
                summary.created.append(code)
            else:
                questionnaire = lock_questionnaire(questionnaire)
                current = questionnaire.versions.filter(status=VersionStatus.PUBLISHED).first()
                if current is not None and current.content_hash == digest:
                    summary.unchanged.append(code)
                    continue
                summary.updated.append(code)
                # Built-ins are never edited, so no draft should exist; drop a stray one.
                questionnaire.versions.filter(status=VersionStatus.DRAFT).delete()
            version = create_with_structure(questionnaire, document)
            publish_checked(version, document)
    return summary
