"""Coverage gaps of an evaluation's candidates, from the pure ``evaluations.engine.coverage``.

Required service models are the evaluation's ``required_service_models``; the
catalog is the global capability table; each candidate brings its provider's
service models and capability offerings (self or partner).

**Hand-off defined.** The engine raises ``handoff_risk`` when vCISO and MSSP
functions come from different firms unless told the hand-off is defined. It is
defined for a mix of candidates when every candidate in the mix that gives
vCISO or MSSP functions has a latest scorecard in which every applicable
question tagged ``handoff`` (in the built-in questionnaire: ROL-01, the written
responsibility matrix) has ``x >= 0.5`` -- the same line below which docs/scoring.md
raises the ``handoff`` red flag. No applicable hand-off question, a missing
scorecard or an unanswered question all mean "not defined". The coverage
endpoints read the latest scorecards as they are (score first for a current
view); a comparison report scores first, so its coverage is current.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rest_framework.exceptions import ValidationError

from evaluations.engine.coverage import (
    MAX_RESULTS_LIMIT,
    Candidate,
    Offering,
    analyze_coverage,
    find_complete_combinations,
)
from evaluations.engine.coverage_lots import (
    QualifiedLot,
    award_combinations,
    counted_candidates,
    lot_coverage,
)
from evaluations.engine.lot_scoring import IMPLICIT_LOT
from evaluations.engine.scorecard_details import question_rows
from evaluations.models import Evaluation, Scorecard
from evaluations.services.packs import pinned_questions
from providers.models import Capability, CapabilityOffering
from providers.vocabulary import RedFlagTag, ServiceModel

HANDOFF_THRESHOLD = 0.5
MAX_COMBINATIONS = 5_000  # assignments or combinations tried before `truncated`
MAX_CANDIDATE_FILTER = 50
CANDIDATE_IDS_PATTERN = rf"[1-9][0-9]{{0,17}}(,[1-9][0-9]{{0,17}}){{0,{MAX_CANDIDATE_FILTER - 1}}}"
CANDIDATE_IDS_RE = re.compile(CANDIDATE_IDS_PATTERN, re.ASCII)
_SECURITY_SIDES = (ServiceModel.VCISO, ServiceModel.MSSP)


@dataclass(frozen=True)
class CoverageInputs:
    required_models: tuple[str, ...]
    catalog: tuple[Capability, ...]
    candidates: tuple[Candidate, ...]  # every candidate asked about, unrestricted
    lots: tuple[QualifiedLot, ...]  # the implicit lot `all` without lots
    has_lots: bool
    counted: tuple[Candidate, ...]  # restricted to the lots each is qualified in
    not_counted: tuple[dict, ...]  # {candidate_id, lot, reason} per bid that does not count
    documented: frozenset[int]  # candidates whose scorecards define the hand-off
    evidence: tuple[dict, ...]  # {candidate_id, question, x} per applicable hand-off question


def parse_candidate_ids(raw: str | None) -> list[int] | None:
    """``"1,2"`` -> ``[1, 2]``; None when absent. Anything else is a 400 on ``candidates``."""
    if raw is None:
        return None
    if not CANDIDATE_IDS_RE.fullmatch(raw):
        raise ValidationError(
            {
                "candidates": [
                    f"Give up to {MAX_CANDIDATE_FILTER} candidate ids separated by commas, "
                    "e.g. `candidates=3,7`."
                ]
            }
        )
    return list(dict.fromkeys(int(p) for p in raw.split(",")))


def _catalog() -> tuple[Capability, ...]:
    return tuple(Capability.objects.order_by("position", "code"))


def _handoff_tagged(evaluation: Evaluation) -> set[str]:
    return {
        code
        for code, tags in pinned_questions(evaluation).values_list("code", "tags")
        if RedFlagTag.HANDOFF.value in (tags or [])
    }


def _handoff(cards, tagged: set[str], security_lots: set[str] | None):
    """Documented candidates and the evidence, from the scorecards of the lots that
    hold vCISO or MSSP (every scorecard without lots). A candidate with several
    such scorecards must define the hand-off in each."""
    documented, weak, evidence = set(), set(), []
    for candidate_id, lot, _, details in cards:
        if security_lots is not None and lot not in security_lots:
            continue
        applicable = [q for q in question_rows(details) if q["code"] in tagged]
        for question in applicable:
            evidence.append(
                {"candidate_id": candidate_id, "question": question["code"], "x": question["x"]}
            )
        if applicable and all(q["answered"] and q["x"] >= HANDOFF_THRESHOLD for q in applicable):
            documented.add(candidate_id)
        else:
            weak.add(candidate_id)
    return frozenset(documented - weak), tuple(evidence)


def _qualification(evaluation: Evaluation, rows, cards):
    """Who is qualified in which lot (bids there, scored, not disqualified), and why
    each other bid does not count."""
    state = {(candidate_id, lot): disqualified for candidate_id, lot, disqualified, _ in cards}
    lots = evaluation.lots or [
        {"code": IMPLICIT_LOT, "service_models": list(evaluation.required_service_models)}
    ]
    qualified, not_counted = {lot["code"]: [] for lot in lots}, []
    for row in rows:
        for code in row.lots if evaluation.lots else [IMPLICIT_LOT]:
            disqualified = state.get((row.pk, code))
            if disqualified is False:
                qualified[code].append(row.pk)
            else:
                reason = "not_scored" if disqualified is None else "disqualified"
                not_counted.append({"candidate_id": row.pk, "lot": code, "reason": reason})
    lots = tuple(
        QualifiedLot(lot["code"], frozenset(lot["service_models"]), tuple(qualified[lot["code"]]))
        for lot in lots
    )
    return lots, tuple(not_counted)


def load_inputs(
    evaluation: Evaluation, candidate_ids: Sequence[int] | None = None, scorecards=None
):
    """Everything coverage needs, in a constant number of queries. ``scorecards``:
    the evaluation's latest scorecards, when the caller has them already (a report)."""
    rows = list(evaluation.candidates.select_related("provider").order_by("pk"))
    if candidate_ids is not None:
        known = {row.pk for row in rows}
        unknown = [pk for pk in candidate_ids if pk not in known]
        if unknown:
            names = ", ".join(str(pk) for pk in unknown)
            raise ValidationError({"candidates": [f"Not candidates of this evaluation: {names}."]})
        wanted = set(candidate_ids)
        rows = [row for row in rows if row.pk in wanted]
    offerings: dict[int, list[Offering]] = {}
    for provider_id, code, delivered_by, partner in CapabilityOffering.objects.filter(
        provider_id__in=[row.provider_id for row in rows]
    ).values_list("provider_id", "capability__code", "delivered_by", "partner_name"):
        offerings.setdefault(provider_id, []).append(Offering(code, delivered_by, partner or None))
    candidates = tuple(
        Candidate(
            id=row.pk,
            name=row.provider.name,
            service_models=tuple(
                m for m in row.provider.service_models if m in ServiceModel._value2member_map_
            ),
            offerings=tuple(offerings.get(row.provider_id, ())),
        )
        for row in rows
    )
    if scorecards is None:
        cards = Scorecard.objects.filter(
            evaluation=evaluation, is_latest=True, candidate_id__in=[row.pk for row in rows]
        ).values_list("candidate_id", "lot", "disqualified", "details")
    else:
        wanted_ids = {row.pk for row in rows}
        cards = [
            (c.candidate_id, c.lot, c.disqualified, c.details)
            for c in scorecards
            if c.candidate_id in wanted_ids
        ]
    cards = sorted(cards, key=lambda card: (card[0], card[1]))
    lots, not_counted = _qualification(evaluation, rows, cards)
    catalog = _catalog()
    security_lots = None
    if evaluation.lots:
        security_lots = {lot.code for lot in lots if lot.service_models & set(_SECURITY_SIDES)}
    tagged = _handoff_tagged(evaluation)
    documented, evidence = _handoff(cards, tagged, security_lots) if tagged else (frozenset(), ())
    if evaluation.lots:
        counted = counted_candidates(candidates, lots, catalog)
    else:
        counted = tuple(c for c in candidates if c.id in lots[0].qualified)
    return CoverageInputs(
        required_models=tuple(evaluation.required_service_models),
        catalog=catalog,
        candidates=candidates,
        lots=lots,
        has_lots=bool(evaluation.lots),
        counted=counted,
        not_counted=not_counted,
        documented=documented,
        evidence=evidence,
    )


def _gives_security(candidate: Candidate, models_by_code: dict[str, str]) -> bool:
    """Gives vCISO or MSSP functions: by its service models or by an offered capability."""
    if any(m in candidate.service_models for m in _SECURITY_SIDES):
        return True
    return any(
        models_by_code.get(o.capability_code) in _SECURITY_SIDES for o in candidate.offerings
    )


def handoff_defined(inputs: CoverageInputs, mix: Iterable[Candidate]) -> bool:
    models_by_code = {c.code: c.service_model for c in inputs.catalog}
    involved = [c for c in mix if _gives_security(c, models_by_code)]
    return bool(involved) and all(c.id in inputs.documented for c in involved)


def _with_handoff(inputs: CoverageInputs, result_dict: dict, mix: Sequence[Candidate]) -> dict:
    ids = {c.id for c in mix}
    return {
        **result_dict,
        "handoff_defined": handoff_defined(inputs, mix),
        "handoff_evidence": [e for e in inputs.evidence if e["candidate_id"] in ids],
    }


def _not_counted(inputs: CoverageInputs, ids: set[int] | None = None) -> list[dict]:
    return [row for row in inputs.not_counted if ids is None or row["candidate_id"] in ids]


def coverage(inputs: CoverageInputs) -> dict:
    """Gaps, partner-only, overlaps and hand-off risk of the counted candidates
    together (each only in the lots it is qualified in)."""
    defined = handoff_defined(inputs, inputs.counted)
    result = analyze_coverage(
        inputs.required_models, inputs.catalog, inputs.counted, handoff_defined=defined
    )
    body = _with_handoff(inputs, result.to_dict(), inputs.counted)
    lots = None
    if inputs.has_lots:
        # "Every capability covered" follows awards: some award must cover them all.
        lots = lot_coverage(inputs.candidates, inputs.lots, inputs.catalog)
        body["complete"] = bool(inputs.required_models) and all(lot["sole_cover"] for lot in lots)
    return {**body, "lots": lots, "not_counted": _not_counted(inputs)}


def combinations(inputs: CoverageInputs, *, max_size: int, max_results: int) -> dict:
    """The best gap-free combinations, with the hand-off decided per combination;
    with lots, the best gap-free awards (``coverage_lots.award_combinations``)."""
    if inputs.has_lots:
        return _award_combinations(inputs, max_size=max_size, max_results=max_results)
    # The engine orders combinations with one hand-off flag for all of them; here
    # each combination gets its own, and the first MAX_RESULTS_LIMIT are re-ordered
    # by the engine's documented key.
    search = find_complete_combinations(
        inputs.required_models,
        inputs.catalog,
        inputs.counted,
        max_size=max_size,
        max_combinations=MAX_COMBINATIONS,
        max_results=MAX_RESULTS_LIMIT,
    )
    position = {c.id: i for i, c in enumerate(inputs.counted)}
    by_id = {c.id: c for c in inputs.counted}
    ranked = []
    for result in search.results:
        mix = [by_id[i] for i in result.candidate_ids]
        if handoff_defined(inputs, mix):
            result = analyze_coverage(
                inputs.required_models, inputs.catalog, mix, handoff_defined=True
            )
        key = (
            len(mix),
            len(result.partner_only),
            result.handoff_risk,
            len(result.overlaps),
            tuple(position[i] for i in result.candidate_ids),
        )
        ranked.append((key, result, mix))
    ranked.sort(key=lambda item: item[0])
    body = search.to_dict()
    body["results"] = [
        {**_with_handoff(inputs, result.to_dict(), mix), "award": None}
        for _, result, mix in ranked[:max_results]
    ]
    body["not_counted"] = _not_counted(inputs)
    return body


def _award_combinations(inputs: CoverageInputs, *, max_size: int, max_results: int) -> dict:
    search = award_combinations(
        inputs.required_models,
        inputs.catalog,
        inputs.candidates,
        inputs.lots,
        max_size=max_size,
        max_combinations=MAX_COMBINATIONS,
        max_results=max_results,
        handoff_defined=lambda mix: handoff_defined(inputs, mix),
    )
    results = [
        {**_with_handoff(inputs, item.result.to_dict(), item.mix), "award": dict(item.award)}
        for item in search.results
    ]
    return {
        "max_size": max_size,
        "total_combinations": search.total_combinations,
        "examined": search.examined,
        "truncated": search.truncated,
        "results": results,
        "not_counted": _not_counted(inputs),
    }
