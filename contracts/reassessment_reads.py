"""A round's comparison with the previous one, read from the stored scorecards.

Two queries at most: the latest scorecards of both rounds' candidates. The
numbers come from ``contracts.reassessment_comparison`` (pure).
"""

from contracts import reassessment_comparison, selectors
from contracts.models import ReassessmentRound


def comparison_of(round_: ReassessmentRound) -> dict | None:
    """The comparison, lot by lot; None until the round's candidate has a scorecard
    (or when the previous round's candidate is gone)."""
    if round_.previous_candidate_id is None:
        return None
    cards = selectors.latest_details([round_.previous_candidate_id, round_.candidate_id])
    previous, current = cards[round_.previous_candidate_id], cards[round_.candidate_id]
    if not current or not previous:
        return None
    lots = reassessment_comparison.compare_lots(
        {lot: details for lot, (_, details) in previous.items()},
        {lot: details for lot, (_, details) in current.items()},
    )
    return {
        "round": round_.pk,
        "evaluation": round_.evaluation_id,
        "previous_evaluation": round_.previous_evaluation_id,
        "scorecards": [pk for pk, _ in current.values()],
        "previous_scorecards": [pk for pk, _ in previous.values()],
        "lots": lots,
    }
