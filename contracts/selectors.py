"""Reads of contracts and their reassessment rounds, each in a constant number of queries."""

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When

from evaluations.models import EvaluationStatus, Scorecard


def with_sla_terms(queryset: QuerySet) -> QuerySet:
    """Contracts with their SLA terms: one more query for a whole page."""
    return queryset.prefetch_related("sla_terms")


def with_round_state(queryset: QuerySet) -> QuerySet:
    """Reassessment rounds with their derived ``status``, in the same one query:
    ``cancelled`` with their evaluation, ``scored`` once their candidate has a
    scorecard, else ``open``."""
    scored = Scorecard.objects.filter(candidate_id=OuterRef("candidate_id"), is_latest=True)
    return queryset.annotate(
        status=Case(
            When(evaluation__status=EvaluationStatus.CANCELLED, then=Value("cancelled")),
            When(Exists(scored), then=Value("scored")),
            default=Value("open"),
        )
    )


def latest_details(candidate_ids: list[int]) -> dict[int, dict[str, tuple[int, dict]]]:
    """Per candidate, per lot: (scorecard id, stored details) of its latest
    scorecards, in one query."""
    found: dict[int, dict[str, tuple[int, dict]]] = {pk: {} for pk in candidate_ids}
    cards = Scorecard.objects.filter(candidate_id__in=candidate_ids, is_latest=True).order_by(
        "candidate_id", "id"
    )
    for card in cards.only("id", "candidate_id", "lot", "details"):
        found[card.candidate_id][card.lot] = (card.pk, card.details)
    return found
