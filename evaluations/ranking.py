"""SCORING.md ranking over already computed results (pure).

Sort by (disqualified last, overall rounded to 2 decimals descending, provider
name ascending); competition ranks ("1224") over (disqualified, rounded
overall). Used for stored scorecards, whose rank depends on the other
candidates and is therefore never stored with them.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


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
