"""Scoring an evaluation: load in bulk, run the pure engine, persist lot scorecards.

Reads a constant number of queries whatever the evaluation's size. The question
set is the pinned version's followed by its packs' (``services.packs``). Each
candidate has one scorecard per lot it bids on (one lot, `all`, without lots);
a lot scorecard gets a new version only when the hash of its inputs changes,
so rescoring (or a redelivered task) with the same inputs creates nothing; and
when no input changed since the last scoring (``services.scoring_state``), it
stops after reading the evaluation and its latest scorecards' ids.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.exceptions import Conflict
from evaluations.engine.award_types import LotInput
from evaluations.engine.batch_scoring import score_batch
from evaluations.engine.lot_scoring import IMPLICIT_LOT, LotNotScorable, lot_spec
from evaluations.engine.ranking import competition_ranks
from evaluations.engine.scoring import (
    ENGINE_VERSION,
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    QuestionnaireSpec,
    ScoringPlan,
    applicable_plan,
)
from evaluations.models import Answer, Evaluation, EvaluationStatus, Override, Rating, Scorecard
from evaluations.models.results import EncodedJSON
from evaluations.services import scoring_state
from evaluations.services.packs import pack_version_ids
from evaluations.services.ranks import write_ranks
from evaluations.services.scorecard_writes import insert_scorecards
from evaluations.services.scoring_spec import questionnaire_and_codes
from evaluations.signals import scoring_persisted
from integrations import events
from jobs import services as jobs
from jobs.kinds import JobKind


@dataclass(frozen=True)
class ScoringInputs:
    evaluation: Evaluation
    questionnaire: QuestionnaireSpec
    settings: EvaluationSpec
    candidates: list[CandidateInput]
    lots: list[LotInput]  # empty without lots: one implicit lot `all`
    bids: dict[int, list[str]]  # candidate id -> lot codes, in lot order
    pack_versions: list[int]  # ids of the pack versions after the base, in order


def questionnaire_spec(evaluation: Evaluation) -> QuestionnaireSpec:
    """The engine's view of the evaluation's question set, in three queries."""
    return questionnaire_and_codes(_pinned(evaluation))[0]


def _pinned(evaluation: Evaluation) -> list[int]:
    return [evaluation.questionnaire_version_id, *pack_version_ids(evaluation)]


def evaluation_spec(evaluation: Evaluation) -> EvaluationSpec:
    return EvaluationSpec(
        required_service_models=evaluation.required_service_models,
        industry=evaluation.industry,
        section_weights=evaluation.section_weights,
        excluded_questions=evaluation.excluded_questions,
        aggregation=evaluation.aggregation,
    )


def lot_inputs(evaluation: Evaluation) -> list[LotInput]:
    """The evaluation's lots for the engine; empty without lots."""
    return [
        LotInput(lot["code"], Decimal(str(lot["weight"])), frozenset(lot["service_models"]))
        for lot in evaluation.lots
    ]


def lot_plans(
    questionnaire: QuestionnaireSpec, settings: EvaluationSpec, lots: list[LotInput]
) -> dict[str, ScoringPlan]:
    """Each lot's plan (applicable sections and weights), in lot order; without lots
    the one plan of v1 under the lot code `all`. NotScorable names the lot."""
    if not lots:
        return {IMPLICIT_LOT: applicable_plan(questionnaire, settings)}
    plans = {}
    for lot in lots:
        try:
            plans[lot.code] = applicable_plan(questionnaire, lot_spec(settings, lot.service_models))
        except NotScorable:
            raise LotNotScorable(lot.code) from None
    return plans


def check_scorable(evaluation: Evaluation):
    """Raise NotScorable (with its message) when no section applies (in some lot)."""
    lot_plans(
        questionnaire_spec(evaluation),
        evaluation_spec(evaluation),
        lot_inputs(evaluation),
    )


def sorted_ratings_in_python(ratings: QuerySet[Rating]) -> list[tuple[int, int, list[int]]]:
    """(candidate id, question id, its scores in ascending order) per rated
    question, grouped here: the portable way."""
    grouped: dict[tuple[int, int], list[int]] = {}
    for candidate_id, question_id, score in ratings.order_by().values_list(
        "candidate_id", "question_id", "score"
    ):
        grouped.setdefault((candidate_id, question_id), []).append(score)
    return [(key[0], key[1], sorted(scores)) for key, scores in grouped.items()]


def sorted_ratings_in_sql(ratings: QuerySet[Rating]) -> list[tuple[int, int, list[int]]]:
    """``sorted_ratings_in_python``, grouped by PostgreSQL: one row per rated
    question instead of one per rating."""
    return raw_rows(
        ratings.order_by()
        .values("candidate_id", "question_id")
        .annotate(scores=ArrayAgg("score", order_by="score"))
        .values_list("candidate_id", "question_id", "scores")
    )


def raw_rows(rows: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` queryset straight from the driver. Only for
    columns that need no conversion (ids, scores, text, integer arrays): for
    thousands of rows Django's per-row iteration costs more than the query."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def load_inputs(evaluation: Evaluation) -> ScoringInputs:
    pinned = _pinned(evaluation)
    questionnaire, codes = questionnaire_and_codes(pinned)
    candidates = list(
        evaluation.candidates.order_by("pk").values_list("pk", "provider__name", "lots")
    )
    ids = [pk for pk, _, _ in candidates]
    # By question id, mapped to codes here: no join to the question table.
    answers: dict[int, dict] = {pk: {} for pk in ids}
    answer_rows = raw_rows(
        Answer.objects.filter(candidate_id__in=ids)
        .order_by()
        .values_list("candidate_id", "question_id", Cast("value", TextField()))
    )
    # The values' JSON text decoded in one call rather than one call per row.
    values = json.loads("[" + ",".join(text for _, _, text in answer_rows) + "]")
    for (candidate_id, question_id, _), value in zip(answer_rows, values, strict=True):
        answers[candidate_id][codes[question_id]] = value
    ratings: dict[int, dict[str, tuple[int, ...]]] = {pk: {} for pk in ids}
    group = sorted_ratings_in_sql if connection.vendor == "postgresql" else sorted_ratings_in_python
    # Only submitted ratings count: a draft is private to its author (blind rating).
    submitted = Rating.objects.filter(candidate_id__in=ids).submitted()
    for candidate_id, question_id, scores in group(submitted):
        ratings[candidate_id][codes[question_id]] = tuple(scores)
    overrides: dict[int, dict] = {pk: {} for pk in ids}
    for candidate_id, question_id, score in raw_rows(
        Override.objects.filter(candidate_id__in=ids)
        .order_by()
        .values_list("candidate_id", "question_id", "score")
    ):
        overrides[candidate_id][codes[question_id]] = score
    lots = lot_inputs(evaluation)
    order = [lot.code for lot in lots] or [IMPLICIT_LOT]
    return ScoringInputs(
        evaluation=evaluation,
        questionnaire=questionnaire,
        settings=evaluation_spec(evaluation),
        lots=lots,
        # A bid on a lot the evaluation no longer has scores nothing there.
        bids={pk: [code for code in order if code in bid] for pk, _, bid in candidates}
        if lots
        else {pk: [IMPLICIT_LOT] for pk, _, _ in candidates},
        pack_versions=pinned[1:],
        candidates=[
            CandidateInput(
                id=pk,
                name=name,
                answers=answers[pk],
                ratings=ratings[pk],
                overrides=overrides[pk],
            )
            for pk, name, _ in candidates
        ],
    )


def input_hash(
    evaluation: Evaluation,
    candidate: CandidateInput,
    lot: LotInput | None = None,
    pack_versions: Sequence[int] = (),
) -> str:
    """SHA-256 over everything that can change this candidate's scorecard in ``lot``.

    Without lots (``lot`` None) and without packs the payload is exactly v1's, so
    such an evaluation keeps its hashes, and rescoring it creates no new versions."""
    payload = {
        "engine": ENGINE_VERSION,
        "questionnaire_version": evaluation.questionnaire_version_id,
        "required_service_models": sorted(evaluation.required_service_models),
        "industry": evaluation.industry,
        "section_weights": evaluation.section_weights,
        "excluded_questions": sorted(evaluation.excluded_questions),
        "aggregation": evaluation.aggregation,
        "name": candidate.name,
        "answers": candidate.answers,
        "ratings": {code: sorted(values) for code, values in candidate.ratings.items()},
        "overrides": candidate.overrides,
    }
    if lot is not None:
        payload["lot"] = {"code": lot.code, "service_models": sorted(lot.service_models)}
    if pack_versions:
        payload["pack_versions"] = list(pack_versions)  # in order: it orders the sections
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def score_evaluation(evaluation_id: int) -> dict:
    """Compute and store lot scorecards; returns what was created and kept."""
    # The row lock serialises concurrent scoring of one evaluation, so two
    # workers (or a redelivery) can never both add a version.
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("scoring_state")
        .get(pk=evaluation_id)
    )
    unchanged = scoring_state.unchanged_scorecards(evaluation)
    if unchanged is not None:
        return {"evaluation": evaluation.pk, "created": [], "unchanged": unchanged}
    revision = scoring_state.revision_read(evaluation)
    inputs = load_inputs(evaluation)
    plans = lot_plans(inputs.questionnaire, inputs.settings, inputs.lots)
    lots = {lot.code: lot for lot in inputs.lots}
    # (lot, pk, version, input_hash, disqualified, overall, rank) by candidate and
    # lot: never the explanations.
    rows = Scorecard.objects.filter(evaluation=evaluation, is_latest=True).values_list(
        "candidate_id", "lot", "pk", "version", "input_hash", "disqualified", "overall", "rank"
    )
    latest = {(candidate_id, lot): rest for candidate_id, lot, *rest in rows}
    superseded, kept, pending = [], [], []
    for candidate in inputs.candidates:
        for code in inputs.bids[candidate.id]:
            digest = input_hash(evaluation, candidate, lots.get(code), inputs.pack_versions)
            current_pk, current_version, current_hash, *_ = latest.get(
                (candidate.id, code), (None, 0, None, None, None, None)
            )
            if current_hash == digest:
                kept.append(current_pk)
                continue
            if current_pk is not None:
                superseded.append(current_pk)
            pending.append((candidate, code, digest, current_version + 1))
    new_cards = _new_scorecards(evaluation, inputs, plans, pending)
    # A lot the candidate no longer bids on (or the evaluation no longer has)
    # keeps its scorecards on record, none of them latest.
    bid = {
        (candidate.id, code)
        for candidate in inputs.candidates
        for code in inputs.bids[candidate.id]
    }
    withdrawn = [row[0] for key, row in latest.items() if key not in bid]
    now = timezone.now()
    # A superseded version shows is_latest=false and no rank: a visible change,
    # so it moves in the sync order like any other.
    Scorecard.objects.filter(pk__in=[*superseded, *withdrawn]).update(
        is_latest=False, rank=None, updated_at=now
    )
    gone = {*superseded, *withdrawn}
    _rank(new_cards, [(lot, *row) for (_, lot), row in latest.items() if row[0] not in gone], now)
    created = insert_scorecards(new_cards)
    events.emit_many(
        evaluation.organization_id,
        events.SCORECARD_COMPLETED,
        events.scorecard_completed_data(created),
    )
    scoring_state.record_scored(evaluation, revision)
    scoring_persisted.send(sender=Evaluation, evaluation=evaluation)
    return {
        "evaluation": evaluation.pk,
        "created": [card.pk for card in created],
        "unchanged": kept,
    }


def _new_scorecards(
    evaluation: Evaluation, inputs: ScoringInputs, plans: dict[str, ScoringPlan], pending: list
) -> list[Scorecard]:
    """The scorecards of ``pending`` ``(candidate, lot, hash, version)``, in that
    order, each lot's candidates scored in one batch on the lot's plan."""
    by_lot: dict[str, list[CandidateInput]] = {}
    for candidate, code, _, _ in pending:
        by_lot.setdefault(code, []).append(candidate)
    stored = {
        (card.candidate_id, code): card
        for code, candidates in by_lot.items()
        for card in score_batch(plans[code], candidates)
    }
    cards = []
    for candidate, code, digest, version in pending:
        plan, card = plans[code], stored[(candidate.id, code)]
        cards.append(
            Scorecard(
                evaluation=evaluation,
                candidate_id=candidate.id,
                lot=code,
                version=version,
                is_latest=True,
                input_hash=digest,
                engine_version=ENGINE_VERSION,
                questionnaire_version_id=evaluation.questionnaire_version_id,
                pack_versions=inputs.pack_versions,
                aggregation=plan.aggregation,
                effective_section_weights=plan.section_weights,
                overall=card.overall,
                completeness=card.completeness,
                disqualified=card.disqualified,
                failed_knockouts=card.failed_knockouts,
                red_flags=card.red_flags,
                details=EncodedJSON(card.details_json),
            )
        )
    return cards


def _rank(new_cards: list[Scorecard], kept: list[tuple], now) -> None:
    """Rank the evaluation's latest scorecards lot by lot: the new ones and the
    ``kept`` rows ``(lot, pk, version, hash, disqualified, overall, rank)``. New
    cards get their rank before they are inserted; kept rows whose rank changed
    are rewritten (and so move in the sync order: their rank is visible)."""
    results: dict[str, list] = {}
    for i, card in enumerate(new_cards):
        results.setdefault(card.lot, []).append((("new", i), card.disqualified, card.overall))
    for row in kept:
        results.setdefault(row[0], []).append((("kept", row[1]), row[4], row[5]))
    ranks = {}
    for lot_results in results.values():
        ranks.update(competition_ranks(lot_results))
    for i, card in enumerate(new_cards):
        card.rank = ranks[("new", i)]
    moved = {row[1]: ranks[("kept", row[1])] for row in kept if row[6] != ranks[("kept", row[1])]}
    write_ranks(moved, now)


def request_scoring(evaluation: Evaluation, *, user):
    """Queue scoring after commit and return its Job; refuse what cannot be scored."""
    if evaluation.status == EvaluationStatus.CANCELLED:
        raise Conflict("A cancelled evaluation is not scored.")
    if not evaluation.candidates.exists():
        raise ValidationError({"candidates": ["Add at least one candidate first."]})
    try:
        check_scorable(evaluation)
    except LotNotScorable as exc:
        raise ValidationError({"lots": [str(exc)]}) from None
    except NotScorable as exc:
        raise ValidationError({"questionnaire_version": [str(exc)]}) from None
    return jobs.submit(
        evaluation.organization,
        JobKind.SCORE,
        params={"evaluation_id": evaluation.pk},
        created_by=user,
    )
