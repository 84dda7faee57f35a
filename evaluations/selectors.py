"""Read-side querysets and the rules for who sees which ratings."""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from evaluations.engine.ranking import competition_ranked
from evaluations.models import (
    Candidate,
    ConflictStatus,
    EvaluationStatus,
    EvaluatorAssignment,
    Rating,
    RatingSheet,
    Scorecard,
)
from evaluations.models.inputs import author_submitted
from providers.models import ProviderExternalId


def scorecards_with_provider():
    return Scorecard.objects.select_related("candidate__provider")


def scorecard_summaries():
    """Scorecards for lists: without the full explanation and with only the
    provider's name (its JSON lists are not shown there)."""
    return (
        scorecards_with_provider()
        .defer("details")
        .only(
            *[f.name for f in Scorecard._meta.concrete_fields if f.name != "details"],
            "candidate__provider_id",
            "candidate__provider__name",
        )
    )


# What a list shows of a scorecard, read as plain rows: building model instances
# (scorecard, candidate, provider) for a page of 100 cost more than the query.
SUMMARY_ROW_FIELDS = (
    "pk",
    "evaluation_id",
    "candidate_id",
    "candidate__provider_id",
    "candidate__provider__name",
    "lot",
    "version",
    "is_latest",
    "rank",
    "overall",
    "completeness",
    "disqualified",
    "failed_knockouts",
    "red_flags",
    "created_at",
    "updated_at",
)


class SummaryRows:
    """Scorecards to be read as named rows of ``fields`` (``SUMMARY_ROW_FIELDS`` by
    default), which read like the model's attributes (``row.pk``, ``row.updated_at``).

    Filtering, ordering and counting apply to the scorecards themselves, so a
    paginator's count does not join the providers that only the rows need (an
    inner join the database cannot drop: several times the cost of the count on
    a large organization). Slicing reads the rows.
    """

    def __init__(self, scorecards, fields=SUMMARY_ROW_FIELDS):
        self.scorecards = scorecards
        self.fields = fields

    @property
    def ordered(self) -> bool:
        return self.scorecards.ordered

    def count(self) -> int:
        return self.scorecards.count()

    def filter(self, *args, **kwargs) -> "SummaryRows":
        return SummaryRows(self.scorecards.filter(*args, **kwargs), self.fields)

    def order_by(self, *fields) -> "SummaryRows":
        return SummaryRows(self.scorecards.order_by(*fields), self.fields)

    def __getitem__(self, index):
        return self.scorecards.values_list(*self.fields, named=True)[index]


# What a flat (CRM) row shows of a scorecard, besides its provider's external ids:
# the summary's fields and the evaluation's decision.
FLAT_ROW_FIELDS = (
    *SUMMARY_ROW_FIELDS,
    "evaluation__status",
    "evaluation__decision_award",
)


def decision_of(row) -> str:
    """The evaluation's decision as it concerns this row's candidate."""
    if row.evaluation__status == EvaluationStatus.CANCELLED:
        return "cancelled"
    if row.evaluation__status != EvaluationStatus.DECIDED:
        return "pending"
    winner = row.evaluation__decision_award.get(row.lot)
    return "awarded" if winner == row.candidate_id else "not_awarded"


def flat_rows(rows) -> list[dict]:
    """``FLAT_ROW_FIELDS`` rows as flat dicts with their providers' external ids
    (one query for the whole page)."""
    external_ids: dict[int, dict[str, str]] = {}
    for provider_id, system, value in ProviderExternalId.objects.filter(
        provider_id__in={row.candidate__provider_id for row in rows}
    ).values_list("provider_id", "system", "external_id"):
        external_ids.setdefault(provider_id, {})[system] = value
    return [
        {
            "id": row.pk,
            "evaluation": row.evaluation_id,
            "candidate": row.candidate_id,
            "provider": row.candidate__provider_id,
            "provider_name": row.candidate__provider__name,
            "external_ids": dict(sorted(external_ids.get(row.candidate__provider_id, {}).items())),
            "lot": row.lot,
            "version": row.version,
            "is_latest": row.is_latest,
            "rank": row.rank,
            "overall": row.overall,
            "completeness": row.completeness,
            "disqualified": row.disqualified,
            "red_flag_count": len(row.red_flags),
            "failed_knockout_count": len(row.failed_knockouts),
            "decision": decision_of(row),
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
        for row in rows
    ]


def rank_key(card: Scorecard) -> tuple:
    """The ranking order of scorecards competing in one lot (docs/scoring.md)."""
    return (card.disqualified, card.overall, card.candidate.provider.name, card.pk)


def latest_ranked(evaluation) -> list[tuple[int, Scorecard]]:
    cards = scorecard_summaries().filter(evaluation=evaluation, is_latest=True)
    return competition_ranked(cards, rank_key)


def latest_explained(evaluation) -> list[Scorecard]:
    """The latest scorecards with their full explanations, in one query (reports)."""
    return list(scorecards_with_provider().filter(evaluation=evaluation, is_latest=True))


def visible_ratings(evaluation, principal):
    """Blind rating: what the caller may see of an evaluation's ratings.

    A rating is its author's private draft until they submit their sheet for
    the candidate; nobody else sees it, the lead and admins included.

    - an assigned evaluator sees their own ratings, and the others' submitted
      ratings of a candidate once they have submitted their own sheet for it
      (so their own ratings stay independent);
    - anyone else sees only submitted ratings.
    """
    ratings = Rating.objects.filter(candidate__evaluation=evaluation).select_related(
        "question", "evaluator__membership__user"
    )
    membership = principal.membership
    assignment = (
        evaluation.evaluators.filter(membership=membership).first()
        if membership is not None
        else None
    )
    if assignment is None:
        return ratings.submitted()
    submitted_by_caller = Exists(
        RatingSheet.objects.filter(candidate=OuterRef("candidate"), evaluator=assignment)
    )
    return ratings.filter(Q(evaluator=assignment) | (author_submitted() & submitted_by_caller))


def visible_ratings_everywhere(principal):
    """``visible_ratings`` of every evaluation of the caller's organization at once
    (one query): the same rule, with the caller's assignment looked up per rating's
    evaluation instead of for one evaluation."""
    ratings = Rating.objects.filter(
        candidate__evaluation__organization=principal.organization
    ).select_related("question", "evaluator__membership__user")
    membership = principal.membership
    if membership is None:
        return ratings.submitted()
    assigned = Exists(
        EvaluatorAssignment.objects.filter(
            evaluation=OuterRef("candidate__evaluation"), membership=membership
        )
    )
    submitted_by_caller = Exists(
        RatingSheet.objects.filter(
            candidate=OuterRef("candidate"), evaluator__membership=membership
        )
    )
    return ratings.filter(
        Q(evaluator__membership=membership)
        | (author_submitted() & (~assigned | submitted_by_caller))
    )


# ------------------------------------------------------------------ due dates

# Ratings are collected until the evaluation moves to scoring; a decision is
# outstanding until it is decided (a cancelled evaluation owes nothing).
COLLECTING_RATINGS = (EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING)
DECISION_OWED = (EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING, EvaluationStatus.SCORING)


def _count(queryset, group_by: str):
    """A correlated COUNT of ``queryset`` (filtered on an OuterRef), 0 when empty."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def barred_q(prefix: str = "") -> Q:
    """Evaluators barred by a declared conflict the lead did not override: no sheet
    is expected from them."""
    return Q(
        **{
            f"{prefix}conflict_status": ConflictStatus.CONFLICT,
            f"{prefix}conflict_overridden_at__isnull": True,
        }
    )


def with_sheet_counts(evaluations):
    """Evaluations annotated with what ``ratings_overdue_q`` compares: candidates,
    expected raters (not barred) and their submitted sheets."""
    evaluation = OuterRef("pk")
    return evaluations.annotate(
        due_candidates=_count(Candidate.objects.filter(evaluation=evaluation), "evaluation"),
        due_raters=_count(
            EvaluatorAssignment.objects.filter(evaluation=evaluation).exclude(barred_q()),
            "evaluation",
        ),
        due_sheets=_count(
            RatingSheet.objects.filter(candidate__evaluation=evaluation).exclude(
                barred_q("evaluator__")
            ),
            "candidate__evaluation",
        ),
    )


def ratings_overdue_q(today) -> Q:
    """On ``with_sheet_counts``: ``ratings_due`` has passed while still collecting and
    a sheet is missing (an expected evaluator has not submitted one for every
    candidate, or nobody may rate at all)."""
    return Q(ratings_due__lt=today, status__in=COLLECTING_RATINGS) & (
        Q(due_raters=0) | Q(due_sheets__lt=F("due_candidates") * F("due_raters"))
    )


def decision_overdue_q(today) -> Q:
    return Q(decision_due__lt=today, status__in=DECISION_OWED)


def evaluators_with_sheets(assignments):
    """Assignments annotated with ``sheets_submitted`` and ``candidate_count``
    (two correlated counts in the list's one query)."""
    return assignments.annotate(
        sheets_submitted=_count(RatingSheet.objects.filter(evaluator=OuterRef("pk")), "evaluator"),
        candidate_count=_count(
            Candidate.objects.filter(evaluation=OuterRef("evaluation")), "evaluation"
        ),
    )


def evaluator_overdue_q(today) -> Q:
    """On ``evaluators_with_sheets``: the evaluation's ``ratings_due`` has passed while
    still collecting and this (unbarred) evaluator has a sheet to submit."""
    return (
        Q(
            evaluation__ratings_due__lt=today,
            evaluation__status__in=COLLECTING_RATINGS,
            sheets_submitted__lt=F("candidate_count"),
        )
        & ~barred_q()
    )
