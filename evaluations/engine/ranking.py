"""docs/scoring.md ranking over already computed results (pure).

Sort by (disqualified last, overall rounded to 2 decimals descending, provider
name ascending); competition ranks ("1224") over (disqualified, rounded
overall). A stored scorecard keeps its rank (``Scorecard.rank``), kept up to
date whenever the evaluation's set of latest scorecards changes
(``evaluations.services.ranks``).
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
K = TypeVar("K")


def ranking_key(disqualified: bool, overall: float, name: str, tiebreak: Any) -> tuple:
    # Names compare case-insensitively first; the tiebreak (an id) makes the
    # order total so equal names never swap between runs.
    return (disqualified, -overall, name.casefold(), name, tiebreak)


def competition_ranked(
    items: Iterable[T], fields: Callable[[T], tuple[bool, float, str, Any]]
) -> list[tuple[int, T]]:
    """``items`` sorted, each with its rank. ``fields(item)`` gives
    ``(disqualified, rounded overall, name, tiebreak)``."""
    ordered = sorted(items, key=lambda item: ranking_key(*fields(item)))
    ranked, previous, rank = [], None, 0
    for position, item in enumerate(ordered, start=1):
        disqualified, overall, _, _ = fields(item)
        if (disqualified, overall) != previous:
            previous, rank = (disqualified, overall), position
        ranked.append((rank, item))
    return ranked


def competition_ranks(results: Iterable[tuple[K, bool, float]]) -> dict[K, int]:
    """The rank of each ``(key, disqualified, rounded overall)``, by key. Names only
    order candidates that share a rank, so they are not needed here."""
    ranked = competition_ranked(results, lambda r: (r[1], r[2], "", r[0]))
    return {key: rank for rank, (key, _, _) in ranked}
