"""Reads: questionnaires and versions loaded in a constant number of queries.

For other apps (evaluations): ``version_with_structure(version_id)`` loads a
version with its sections and questions in three queries, and
``version_document(version)`` turns it into the plain document dict (the data
the scoring engine takes), without further queries.
"""

from __future__ import annotations

import json

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .conversion import version_document
from .models import Question, Questionnaire, QuestionnaireVersion, Section, VersionStatus

__all__ = [
    "json_list_contains",
    "latest_version",
    "published_version",
    "questionnaire_queryset",
    "version_document",
    "version_list_queryset",
    "version_with_structure",
    "versions_with_structure",
    "with_latest_question",
]


# --- structure ---------------------------------------------------------------


def structure_prefetch() -> Prefetch:
    """Sections in order, each with its questions in order: two queries."""
    return Prefetch(
        "sections",
        queryset=Section.objects.order_by("order", "id").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order", "id"))
        ),
    )


def versions_with_structure(queryset: QuerySet | None = None) -> QuerySet:
    """Versions with their questionnaire, sections and questions (three queries)."""
    queryset = QuestionnaireVersion.objects.all() if queryset is None else queryset
    return queryset.select_related("questionnaire").prefetch_related(structure_prefetch())


def version_with_structure(version_id: int) -> QuestionnaireVersion:
    """One version with questionnaire, sections and questions, in three queries.

    Raises ``QuestionnaireVersion.DoesNotExist``. Not scoped to an organization:
    callers pass an id they already resolved for the caller's organization.
    """
    return versions_with_structure().get(pk=version_id)


# --- questionnaires ------------------------------------------------------------


def _latest(field: str) -> Subquery:
    return Subquery(
        QuestionnaireVersion.objects.filter(questionnaire=OuterRef("pk"))
        .order_by("-number")
        .values(field)[:1]
    )


def questionnaire_queryset() -> QuerySet:
    """Questionnaires annotated with their latest version (``latest_version_id``,
    ``latest_status``), with every version prefetched newest first as
    ``ordered_versions`` (one query for a whole page)."""
    return Questionnaire.objects.annotate(
        latest_version_id=_latest("id"), latest_status=_latest("status")
    ).prefetch_related(
        Prefetch(
            "versions",
            queryset=QuestionnaireVersion.objects.order_by("-number").only(
                "id",
                "questionnaire_id",
                "number",
                "label",
                "status",
                "published_at",
                "retired_at",
            ),
            to_attr="ordered_versions",
        )
    )


def latest_version(questionnaire) -> QuestionnaireVersion | None:
    versions = getattr(questionnaire, "ordered_versions", None)
    if versions is None:
        return questionnaire.versions.order_by("-number").first()
    return versions[0] if versions else None


def published_version(questionnaire) -> QuestionnaireVersion | None:
    versions = getattr(questionnaire, "ordered_versions", None)
    if versions is None:
        return questionnaire.versions.filter(status=VersionStatus.PUBLISHED).first()
    return next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)


def json_list_contains(field: str, value: str) -> Q:
    """``field`` (a JSON list of strings) has ``value`` as an element, on SQLite and
    PostgreSQL alike.

    SQLite has no JSON containment lookup, so this matches the element's JSON
    text, quotes included, in the column's text: ``"mssp"`` is in ``["msp",
    "mssp"]`` but ``"ms"`` is not. Stored elements are slugs (the document
    schema's patterns), so their JSON text has no escapes and the same spelling
    on both databases. Case-insensitive, as stored elements are lower case.
    """
    return Q(**{f"{field}__icontains": json.dumps(value)})


def with_latest_question(queryset: QuerySet, condition: Q) -> QuerySet:
    """Questionnaires (annotated by ``questionnaire_queryset``) whose latest version
    has a question matching ``condition``."""
    return queryset.filter(
        Exists(Question.objects.filter(condition, version_id=OuterRef("latest_version_id")))
    )


# --- versions ----------------------------------------------------------------------


def _count(model) -> Coalesce:
    counted = (
        model.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def version_list_queryset(queryset: QuerySet | None = None) -> QuerySet:
    """Versions with their questionnaire and section/question counts (one query)."""
    queryset = QuestionnaireVersion.objects.all() if queryset is None else queryset
    return queryset.select_related("questionnaire").annotate(
        section_count=_count(Section), question_count=_count(Question)
    )
