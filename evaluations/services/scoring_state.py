"""Knowing in two small queries that an evaluation's scoring inputs have not changed.

Database triggers bump ``ScoringState.inputs_revision`` with every change to
what scoring reads (``evaluations.models.scoring_state``). Scoring reads the
revision before its inputs and records it once its scorecards are stored, so
equal revisions (and the same engine) mean that every latest scorecard was
computed from the inputs as they are: rescoring would create nothing. A
revision read before the inputs can only be older than what was scored, which
costs one needless full rescore later, never a skipped one.
"""

from evaluations.engine.lot_scoring import IMPLICIT_LOT
from evaluations.engine.scoring import ENGINE_VERSION
from evaluations.models import Evaluation, Scorecard, ScoringState


def revision_read(evaluation: Evaluation) -> int | None:
    """The inputs revision loaded with the evaluation (``select_related``); None
    without a state row, which makes every scoring a full one."""
    try:
        return evaluation.scoring_state.inputs_revision
    except ScoringState.DoesNotExist:
        return None


def unchanged_scorecards(evaluation: Evaluation) -> list[int] | None:
    """The ids of the latest scorecards, in the order scoring lists them (by
    candidate, then lot order), if nothing changed since they were computed;
    otherwise None."""
    try:
        state = evaluation.scoring_state
    except ScoringState.DoesNotExist:
        return None
    if state.scored_revision != state.inputs_revision or state.scored_engine != ENGINE_VERSION:
        return None
    order = {code: i for i, code in enumerate([lot["code"] for lot in evaluation.lots])}
    order.setdefault(IMPLICIT_LOT, len(order))
    rows = Scorecard.objects.filter(evaluation=evaluation, is_latest=True).values_list(
        "candidate_id", "lot", "pk"
    )
    return [pk for _, _, pk in sorted(rows, key=lambda row: (row[0], order.get(row[1], -1)))]


def record_scored(evaluation: Evaluation, revision: int | None) -> None:
    """Scoring is done for the inputs at ``revision`` (read before them)."""
    if revision is not None:
        ScoringState.objects.filter(evaluation_id=evaluation.pk).update(
            scored_revision=revision, scored_engine=ENGINE_VERSION
        )
