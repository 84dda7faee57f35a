"""The content of a comparison report, built from the latest scorecards.

``build_snapshot`` reads an evaluation that has just been scored (see
``services.reports``) in a constant number of queries and returns plain JSON:
the ranking, the side-by-side matrices (candidates x sections, candidates x
questions with answers and flags), knockouts, red flags and record conflicts per candidate,
rating agreement (Krippendorff's alpha), sensitivity (``evaluations.engine.sensitivity``
exactly as docs/scoring.md defines it), coverage gaps, the needs assessment the
evaluation was built from and a plain-language summary. Candidates appear in
ranking order everywhere. Individual ratings never appear (only counts, spread
and agreement), and only submitted ratings are counted (drafts stay private).
"""

import json
from datetime import datetime

from contracts.models import ReassessmentRound
from contracts.reassessment_reads import comparison_of
from evaluations.engine.agreement import krippendorff_alpha
from evaluations.engine.ranking import competition_ranked
from evaluations.engine.sensitivity import SensitivityCandidate, analyse_sensitivity
from evaluations.models import Answer, Evaluation, EvaluationPack, Rating
from evaluations.record_conflicts import record_conflicts
from evaluations.reports.summary import summary_points
from evaluations.selectors import latest_explained, rank_key
from evaluations.services import coverage as coverage_service
from evaluations.services.awards import compute_awards
from evaluations.services.packs import pinned_questions
from evaluations.services.scoring import raw_rows
from needs import services as needs_service
from questionnaires.models import Question

SCHEMA_VERSION = 1
MAX_ANSWER_TEXT = 2000
ALWAYS_JUDGED = ("text", "evidence")


def _is_judged(question: Question) -> bool:
    return question.scoring == "judged" or question.kind in ALWAYS_JUDGED


def option_labels(question: Question | None) -> dict:
    options = question.options if question is not None else []
    return {o.get("value"): o.get("label") or o.get("value") for o in options or []}


def answer_text(question: Question | None, value, labels: dict | None = None) -> str:
    """A readable rendering of a stored answer value (for tables and exports).
    ``labels``: ``option_labels(question)``, when rendering many answers to it."""
    if value is None:
        return ""
    kind = question.kind if question is not None else None
    if labels is None:
        labels = option_labels(question)
    if kind == "boolean" and isinstance(value, bool):
        text = "Yes" if value else "No"
    elif kind == "single_choice" and isinstance(value, str):
        text = str(labels.get(value, value))
    elif kind == "multi_choice" and isinstance(value, list):
        text = "; ".join(str(labels.get(v, v) if isinstance(v, str) else v) for v in value)
    elif kind == "scale" and not isinstance(value, bool) and isinstance(value, int | float):
        text = f"{value}/{question.scale_max}"
    elif kind == "evidence" and isinstance(value, list):
        text = "Documents: " + ", ".join(str(v) for v in value)
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text[:MAX_ANSWER_TEXT]


def _pack(version) -> dict:
    return {
        "version": version.pk,
        "code": version.questionnaire.code,
        "name": version.name or version.questionnaire.name,
        "number": version.number,
    }


def _evaluation_block(evaluation: Evaluation) -> dict:
    version = evaluation.questionnaire_version
    links = EvaluationPack.objects.filter(evaluation=evaluation).select_related(
        "version__questionnaire"
    )
    return {
        "id": evaluation.pk,
        "name": evaluation.name,
        "status": evaluation.status,
        "industry": evaluation.industry,
        "employee_count": evaluation.employee_count,
        "required_service_models": list(evaluation.required_service_models),
        "frameworks": list(evaluation.frameworks),
        "aggregation": evaluation.aggregation,
        "questionnaire_version": version.pk,
        "questionnaire_code": version.questionnaire.code,
        "questionnaire_name": version.name or version.questionnaire.name,
        "questionnaire_number": version.number,
        "packs": [_pack(link.version) for link in links.order_by("position")],
        "needs_assessment": evaluation.needs_assessment_id,
    }


def _candidate(rank: int, card, conflicts: dict[int, list[dict]]) -> dict:
    details = card.details
    return {
        "candidate_id": card.candidate_id,
        "provider_id": card.candidate.provider_id,
        "provider_name": card.candidate.provider.name,
        "scorecard_id": card.pk,
        "scorecard_version": card.version,
        "rank": rank,
        "overall": card.overall,
        "completeness": card.completeness,
        "disqualified": card.disqualified,
        "failed_knockouts": list(details["failed_knockouts"]),
        "red_flags": list(details["red_flags"]),
        "disagreements": [q["code"] for q in card.question_results if q["disagreement"]],
        "record_conflicts": conflicts.get(card.candidate_id, []),
        "section_scores": [
            {"section": s["code"], "score": s["score"]} for s in details["sections"]
        ],
    }


def _question_rows(cards, questions: dict[str, Question], answers: dict) -> list[dict]:
    per_card = [{q["code"]: q for q in card.question_results} for card in cards]
    # One pass over each card's red flags, grouped by question (in their order),
    # not one scan of them per question.
    flags = []
    for card in cards:
        tags: dict[str, list[str]] = {}
        for flag in card.details["red_flags"]:
            tags.setdefault(flag["question"], []).append(flag["tag"])
        flags.append(tags)
    rows = []
    for base in cards[0].question_results:
        code = base["code"]
        question = questions.get(code)
        labels = option_labels(question)  # once per question, not once per cell
        cells = []
        for i, card in enumerate(cards):
            result = per_card[i][code]
            value = answers.get((card.candidate_id, code))
            cells.append(
                {
                    "candidate_id": card.candidate_id,
                    "x": result["x"],
                    "contribution": result["contribution"],
                    "answered": result["answered"],
                    "answer": value,
                    "answer_text": answer_text(question, value, labels),
                    "rating_count": result["rating_count"],
                    "spread": result["spread"],
                    "disagreement": result["disagreement"],
                    "overridden": result["overridden"],
                    "failed_knockout": result["failed_knockout"],
                    "red_flags": flags[i].get(code, []),
                }
            )
        rows.append(
            {
                "code": code,
                "section": base["section"],
                "text": question.text if question else code,
                "kind": question.kind if question else "",
                "judged": _is_judged(question) if question else False,
                "weight": question.weight if question else 0.0,
                "effective_weight": base["effective_weight"],
                "knockout": base["knockout"],
                "tags": sorted(question.tags) if question else [],
                "cells": cells,
            }
        )
    return rows


def _disagreement(cards, questions: dict[str, Question]) -> dict:
    """Agreement over every rated answer of the event: a (candidate, question) pair
    applicable in one of the candidate's lot scorecards counts once."""
    applicable = {(card.candidate_id, q["code"]) for card in cards for q in card.question_results}
    codes = {code for _, code in applicable}
    judged = {code for code in codes if code in questions and _is_judged(questions[code])}
    rows = (
        Rating.objects.filter(
            candidate_id__in={card.candidate_id for card in cards}, question__code__in=judged
        )
        .submitted()
        .values_list("candidate_id", "question__code", "evaluator_id", "score")
    )
    summary = krippendorff_alpha(
        (evaluator, (candidate, code), score / questions[code].scale_max)
        for candidate, code, evaluator, score in raw_rows(rows)
        if (candidate, code) in applicable
    )
    flags, seen = [], set()
    for card in cards:
        for q in card.question_results:
            if q["disagreement"] and (card.candidate_id, q["code"]) not in seen:
                seen.add((card.candidate_id, q["code"]))
                flags.append(
                    {
                        "candidate_id": card.candidate_id,
                        "provider_name": card.candidate.provider.name,
                        "question": q["code"],
                        "spread": q["spread"],
                    }
                )
    summary["flags"] = flags
    return summary


def _sensitivity(cards, *, seed: int, trials: int, spread: float) -> dict:
    candidates = [
        SensitivityCandidate(
            id=card.candidate_id,
            name=card.candidate.provider.name,
            section_scores={s["code"]: s["s"] for s in card.details["sections"]},
            disqualified=card.disqualified,
        )
        for card in cards
    ]
    weights = cards[0].effective_section_weights
    return analyse_sensitivity(
        candidates, weights, seed=seed, trials=trials, spread=spread
    ).to_dict()


def _view(ranked, questions: dict[str, Question], answers: dict, conflicts, **sensitivity) -> dict:
    """Ranking, matrices and sensitivity over one set of competing scorecards: every
    candidate of an evaluation without lots, or one lot's bidders."""
    cards = [card for _, card in ranked]
    if not cards:
        return {"sections": [], "candidates": [], "questions": [], "sensitivity": None}
    return {
        "sections": [
            {
                "code": s["code"],
                "title": s["title"],
                "weight": s["weight"],
                "normalised_weight": s["normalised_weight"],
            }
            for s in cards[0].details["sections"]
        ],
        "candidates": [_candidate(rank, card, conflicts) for rank, card in ranked],
        "questions": _question_rows(cards, questions, answers),
        "sensitivity": _sensitivity(cards, **sensitivity),
    }


def _lot_views(
    evaluation: Evaluation, cards, questions, answers, conflicts, **sensitivity
) -> list[dict]:
    """One view per lot, in lot order, each ranked over that lot's bidders."""
    by_lot: dict[str, list] = {}
    for card in cards:
        by_lot.setdefault(card.lot, []).append(card)
    return [
        {
            "code": lot["code"],
            "title": lot["title"],
            "weight": lot["weight"],
            "service_models": list(lot["service_models"]),
            **_view(
                competition_ranked(by_lot.get(lot["code"], []), rank_key),
                questions,
                answers,
                conflicts,
                **sensitivity,
            ),
        }
        for lot in evaluation.lots
    ]


def build_snapshot(
    evaluation: Evaluation, *, seed: int, trials: int, spread: float, generated_at: datetime
) -> dict:
    """The report's JSON content; ``evaluation`` must have a latest scorecard per
    candidate and bid lot. Without lots the ranking, matrices and sensitivity are at
    the top level (``lots`` is empty); with lots they are lot by lot in ``lots``
    and the top-level ones are empty. Awards and agreement cover the whole event."""
    latest = latest_explained(evaluation)
    ranked = competition_ranked(latest, rank_key)
    if not ranked:
        raise ValueError("The evaluation has no scorecards to report on.")
    cards = [card for _, card in ranked]
    questions = {q.code: q for q in pinned_questions(evaluation)}
    answers = {
        (candidate, code): value
        for candidate, code, value in Answer.objects.filter(
            candidate_id__in={card.candidate_id for card in cards}
        ).values_list("candidate_id", "question__code", "value")
    }
    # The record conflicts as the report is built (a report is a snapshot).
    conflicts = record_conflicts({card.candidate_id for card in cards})
    sensitivity = {"seed": seed, "trials": trials, "spread": spread}
    if evaluation.lots:
        top = _view([], questions, answers, conflicts, **sensitivity)
        lots = _lot_views(evaluation, cards, questions, answers, conflicts, **sensitivity)
    else:
        top, lots = _view(ranked, questions, answers, conflicts, **sensitivity), []
    snapshot = {
        "schema_version": SCHEMA_VERSION,
        "title": f"Comparison report: {evaluation.name}",
        "generated_at": generated_at.replace(microsecond=0).isoformat(),
        "evaluation": _evaluation_block(evaluation),
        "settings": {"seed": seed, "trials": trials, "spread": spread},
        "sections": top["sections"],
        "candidates": top["candidates"],
        "questions": top["questions"],
        "disagreement": _disagreement(cards, questions),
        "sensitivity": top["sensitivity"],
        "lots": lots,
        "awards": {
            "currency": evaluation.currency,
            **compute_awards(evaluation, scorecards=latest).to_dict(),
        },
        "coverage": coverage_service.coverage(
            coverage_service.load_inputs(evaluation, scorecards=latest)
        ),
        "needs_assessment": needs_service.snapshot(evaluation.needs_assessment),
    }
    # A reassessment round's report compares it with the previous round.
    round_ = ReassessmentRound.objects.filter(evaluation=evaluation).first()
    snapshot["reassessment"] = None if round_ is None else comparison_of(round_)
    points = summary_points(snapshot)
    snapshot["summary_points"] = points
    snapshot["summary"] = " ".join(points)
    return snapshot
