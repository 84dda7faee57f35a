"""Stored ranks, and the sync stamps of what scorecards show besides their own numbers.

A scorecard shows, next to its own (immutable) results, things that change
without a new version: whether it is the latest, its rank among the latest
scorecards of its lot, its provider's name and external ids, and its
evaluation's decision. Cursor sync orders rows by ``(updated_at, id)``, so every
write that changes one of these moves ``updated_at`` of exactly the scorecards
that show it; the writes go through this module.
"""

from collections.abc import Iterable

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from evaluations.engine.ranking import competition_ranks
from evaluations.models import Scorecard


def write_ranks(ranks_by_pk: dict[int, int], now=None) -> int:
    """Store these ranks (scorecard id -> rank) and move the rows' ``updated_at``:
    one UPDATE whatever the number of rows."""
    if not ranks_by_pk:
        return 0
    return Scorecard.objects.filter(pk__in=ranks_by_pk).update(
        rank=Case(
            *(When(pk=pk, then=Value(rank)) for pk, rank in ranks_by_pk.items()),
            output_field=IntegerField(),
        ),
        updated_at=now or timezone.now(),
    )


def changed_ranks(latest: Iterable[tuple[int, bool, float, int | None]]) -> dict[int, int]:
    """Of ``(pk, disqualified, overall, stored rank)`` rows (all the latest scorecards
    of one evaluation), the ones whose rank is not the stored one: pk -> rank."""
    rows = list(latest)
    ranks = competition_ranks((pk, disqualified, overall) for pk, disqualified, overall, _ in rows)
    return {pk: ranks[pk] for pk, _, _, stored in rows if stored != ranks[pk]}


def store_ranks(evaluation_id: int) -> int:
    """Rank the evaluation's latest scorecards again, lot by lot (after one of them
    went away); rows whose rank changed are written and move in the sync order."""
    by_lot: dict[str, list[tuple]] = {}
    for lot, *row in Scorecard.objects.filter(
        evaluation_id=evaluation_id, is_latest=True
    ).values_list("lot", "pk", "disqualified", "overall", "rank"):
        by_lot.setdefault(lot, []).append(tuple(row))
    changed: dict[int, int] = {}
    for rows in by_lot.values():
        changed.update(changed_ranks(rows))
    return write_ranks(changed)


def touch_evaluation_scorecards(evaluation_id: int) -> int:
    """The evaluation's decision changed: every scorecard of it shows that."""
    return Scorecard.objects.filter(evaluation_id=evaluation_id).update(updated_at=timezone.now())


def touch_provider_scorecards(provider_ids: Iterable[int]) -> int:
    """Providers' names or external ids changed: their scorecards show them."""
    ids = list(provider_ids)
    if not ids:
        return 0
    return Scorecard.objects.filter(candidate__provider_id__in=ids).update(
        updated_at=timezone.now()
    )


def on_provider_identity_changed(sender, provider_ids, **kwargs):
    """Receiver of ``providers.signals.provider_identity_changed``."""
    touch_provider_scorecards(provider_ids)
