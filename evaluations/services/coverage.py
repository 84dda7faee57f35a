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
from evaluations.engine.scorecard_details import question_rows
from evaluations.models import Evaluation, Scorecard
from providers.models import Capability, CapabilityOffering
from providers.vocabulary import RedFlagTag, ServiceModel
from questionnaires.models import Question

HANDOFF_THRESHOLD = 0.5
MAX_CANDIDATE_FILTER = 50
CANDIDATE_IDS_PATTERN = rf"[1-9][0-9]{{0,17}}(,[1-9][0-9]{{0,17}}){{0,{MAX_CANDIDATE_FILTER - 1}}}"
CANDIDATE_IDS_RE = re.compile(CANDIDATE_IDS_PATTERN, re.ASCII)
_SECURITY_SIDES = (ServiceModel.VCISO, ServiceModel.MSSP)


@dataclass(frozen=True)
class CoverageInputs:
    required_models: tuple[str, ...]
    catalog: tuple[Capability, ...]
    candidates: tuple[Candidate, ...]
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


def _handoff(evaluation: Evaluation, candidate_ids: Iterable[int]):
    tagged = {
        code
        for code, tags in Question.objects.filter(
            version_id=evaluation.questionnaire_version_id
        ).values_list("code", "tags")
        if RedFlagTag.HANDOFF.value in (tags or [])
    }
    if not tagged:
        return frozenset(), ()
    documented, evidence = set(), []
    cards = Scorecard.objects.filter(
        evaluation=evaluation, is_latest=True, candidate_id__in=list(candidate_ids)
    ).values_list("candidate_id", "details")
    for candidate_id, details in sorted(cards, key=lambda row: row[0]):
        applicable = [q for q in question_rows(details) if q["code"] in tagged]
        for question in applicable:
            evidence.append(
                {"candidate_id": candidate_id, "question": question["code"], "x": question["x"]}
            )
        if applicable and all(q["answered"] and q["x"] >= HANDOFF_THRESHOLD for q in applicable):
            documented.add(candidate_id)
    return frozenset(documented), tuple(evidence)


def load_inputs(evaluation: Evaluation, candidate_ids: Sequence[int] | None = None):
    """Everything coverage needs, in a constant number of queries."""
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
    documented, evidence = _handoff(evaluation, [row.pk for row in rows])
    return CoverageInputs(
        required_models=tuple(evaluation.required_service_models),
        catalog=_catalog(),
        candidates=candidates,
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


def _with_handoff(inputs: CoverageInputs, result_dict: dict, mix: Iterable[Candidate]) -> dict:
    ids = {c.id for c in mix}
    return {
        **result_dict,
        "handoff_defined": handoff_defined(inputs, [c for c in inputs.candidates if c.id in ids]),
        "handoff_evidence": [e for e in inputs.evidence if e["candidate_id"] in ids],
    }


def coverage(inputs: CoverageInputs) -> dict:
    """Gaps, partner-only, overlaps and hand-off risk of all ``inputs.candidates`` together."""
    defined = handoff_defined(inputs, inputs.candidates)
    result = analyze_coverage(
        inputs.required_models, inputs.catalog, inputs.candidates, handoff_defined=defined
    )
    return _with_handoff(inputs, result.to_dict(), inputs.candidates)


def combinations(inputs: CoverageInputs, *, max_size: int, max_results: int) -> dict:
    """The best gap-free combinations, with the hand-off decided per combination.

    The engine orders combinations with one hand-off flag for all of them; here
    each combination gets its own (``handoff_defined``), and the first
    ``MAX_RESULTS_LIMIT`` are re-ordered by the engine's documented key.
    """
    search = find_complete_combinations(
        inputs.required_models,
        inputs.catalog,
        inputs.candidates,
        max_size=max_size,
        max_results=MAX_RESULTS_LIMIT,
    )
    position = {c.id: i for i, c in enumerate(inputs.candidates)}
    by_id = {c.id: c for c in inputs.candidates}
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
        _with_handoff(inputs, result.to_dict(), mix) for _, result, mix in ranked[:max_results]
    ]
    return body
