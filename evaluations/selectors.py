"""Read-side querysets and the rules for who sees which ratings."""

from django.db.models import Exists, OuterRef, Q

from evaluations.models import Rating, RatingSheet, Scorecard
from evaluations.models.inputs import author_submitted
from evaluations.ranking import competition_ranked


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
    "version",
    "is_latest",
    "overall",
    "completeness",
    "disqualified",
    "failed_knockouts",
    "red_flags",
    "created_at",
    "updated_at",
)


class SummaryRows:
    """Scorecards to be read as named rows of ``SUMMARY_ROW_FIELDS``, which read
    like the model's attributes (``row.pk``, ``row.updated_at``).

    Filtering, ordering and counting apply to the scorecards themselves, so a
    paginator's count does not join the providers that only the rows need (an
    inner join the database cannot drop: several times the cost of the count on
    a large organization). Slicing reads the rows.
    """

    def __init__(self, scorecards):
        self.scorecards = scorecards

    @property
    def ordered(self) -> bool:
        return self.scorecards.ordered

    def count(self) -> int:
        return self.scorecards.count()

    def filter(self, *args, **kwargs) -> "SummaryRows":
        return SummaryRows(self.scorecards.filter(*args, **kwargs))

    def order_by(self, *fields) -> "SummaryRows":
        return SummaryRows(self.scorecards.order_by(*fields))

    def __getitem__(self, index):
        return self.scorecards.values_list(*SUMMARY_ROW_FIELDS, named=True)[index]


def ranks_for(scorecards) -> dict[int, int]:
    """Ranks of the given latest scorecards (instances or ``SummaryRows`` rows) within
    their evaluations, in one query.

    A rank depends only on the (disqualified, overall) pairs of the evaluation's
    latest scorecards; provider names merely order equal pairs, so they are not
    read here."""
    evaluation_ids = {card.evaluation_id for card in scorecards if card.is_latest}
    if not evaluation_ids:
        return {}
    rows = (
        Scorecard.objects.filter(evaluation_id__in=evaluation_ids, is_latest=True)
        .order_by()
        .values_list("pk", "evaluation_id", "disqualified", "overall")
    )
    by_evaluation: dict[int, list] = {}
    for row in rows:
        by_evaluation.setdefault(row[1], []).append(row)
    ranks = {}
    for group in by_evaluation.values():
        for rank, row in competition_ranked(group, lambda r: (r[2], r[3], "", r[0])):
            ranks[row[0]] = rank
    return ranks


def latest_ranked(evaluation) -> list[tuple[int, Scorecard]]:
    cards = scorecard_summaries().filter(evaluation=evaluation, is_latest=True)
    return competition_ranked(
        cards, lambda c: (c.disqualified, c.overall, c.candidate.provider.name, c.pk)
    )


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
