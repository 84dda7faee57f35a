"""Scoring an evaluation: load in bulk, run the pure engine, persist scorecards.

Reads a constant number of queries whatever the evaluation's size. A
candidate's scorecard gets a new version only when the hash of its inputs
changes, so rescoring (or a redelivered task) with the same inputs creates
nothing.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from rest_framework.exceptions import ValidationError

from config.exceptions import Conflict
from evaluations.models import Answer, Evaluation, EvaluationStatus, Override, Rating, Scorecard
from evaluations.scoring import (
    ENGINE_VERSION,
    CandidateInput,
    EvaluationSpec,
    NotScorable,
    QuestionnaireSpec,
    QuestionSpec,
    SectionSpec,
    applicable_plan,
    score_candidate,
)
from integrations import events
from questionnaires.models import Question, Section


@dataclass(frozen=True)
class ScoringInputs:
    evaluation: Evaluation
    questionnaire: QuestionnaireSpec
    settings: EvaluationSpec
    candidates: list[CandidateInput]


def questionnaire_spec(version_id: int) -> QuestionnaireSpec:
    """The engine's view of a questionnaire version, in two queries."""
    questions_by_section: dict[int, list[QuestionSpec]] = {}
    for q in Question.objects.filter(version_id=version_id).order_by("section_id", "order"):
        questions_by_section.setdefault(q.section_id, []).append(
            QuestionSpec(
                code=q.code,
                kind=q.kind,
                weight=q.weight,
                scoring=q.scoring,
                options=[(o["value"], o["score"]) for o in q.options],
                true_score=q.true_score,
                false_score=q.false_score,
                bands=[(b.get("max"), b["score"]) for b in q.bands],
                scale_max=q.scale_max,
                knockout=q.knockout,
                pass_threshold=q.pass_threshold,
                tags=q.tags,
                applies_to=q.applies_to,
                industries=q.industries,
            )
        )
    sections = [
        SectionSpec(
            code=s.code,
            title=s.title,
            weight=s.weight,
            questions=tuple(questions_by_section.get(s.pk, ())),
        )
        for s in Section.objects.filter(version_id=version_id).order_by("order")
    ]
    return QuestionnaireSpec(sections=tuple(sections))


def evaluation_spec(evaluation: Evaluation) -> EvaluationSpec:
    return EvaluationSpec(
        required_service_models=evaluation.required_service_models,
        industry=evaluation.industry,
        section_weights=evaluation.section_weights,
        excluded_questions=evaluation.excluded_questions,
        aggregation=evaluation.aggregation,
    )


def check_scorable(evaluation: Evaluation):
    """Raise NotScorable (with its message) when no section applies."""
    applicable_plan(
        questionnaire_spec(evaluation.questionnaire_version_id), evaluation_spec(evaluation)
    )


def load_inputs(evaluation: Evaluation) -> ScoringInputs:
    candidates = list(evaluation.candidates.select_related("provider").order_by("pk"))
    ids = [c.pk for c in candidates]
    answers: dict[int, dict] = {pk: {} for pk in ids}
    for candidate_id, code, value in Answer.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "question__code", "value"
    ):
        answers[candidate_id][code] = value
    ratings: dict[int, dict[str, list[int]]] = {pk: {} for pk in ids}
    for candidate_id, code, score in Rating.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "question__code", "score"
    ):
        ratings[candidate_id].setdefault(code, []).append(score)
    overrides: dict[int, dict] = {pk: {} for pk in ids}
    for candidate_id, code, score in Override.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "question__code", "score"
    ):
        overrides[candidate_id][code] = score
    return ScoringInputs(
        evaluation=evaluation,
        questionnaire=questionnaire_spec(evaluation.questionnaire_version_id),
        settings=evaluation_spec(evaluation),
        candidates=[
            CandidateInput(
                id=c.pk,
                name=c.provider.name,
                answers=answers[c.pk],
                ratings={code: tuple(sorted(v)) for code, v in ratings[c.pk].items()},
                overrides=overrides[c.pk],
            )
            for c in candidates
        ],
    )


def input_hash(evaluation: Evaluation, candidate: CandidateInput) -> str:
    """SHA-256 over everything that can change this candidate's scorecard."""
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def score_evaluation(evaluation_id: int) -> dict:
    """Compute and store scorecards; returns what was created and kept."""
    # The row lock serialises concurrent scoring of one evaluation, so two
    # workers (or a redelivery) can never both add a version.
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation_id)
    inputs = load_inputs(evaluation)
    plan = applicable_plan(inputs.questionnaire, inputs.settings)
    latest = {
        s.candidate_id: s for s in Scorecard.objects.filter(evaluation=evaluation, is_latest=True)
    }
    new_cards, superseded, kept = [], [], []
    for candidate in inputs.candidates:
        digest = input_hash(evaluation, candidate)
        current = latest.get(candidate.id)
        if current is not None and current.input_hash == digest:
            kept.append(current.pk)
            continue
        card = score_candidate(plan, candidate)
        if current is not None:
            superseded.append(current.pk)
        new_cards.append(
            Scorecard(
                evaluation=evaluation,
                candidate_id=candidate.id,
                version=(current.version + 1) if current else 1,
                is_latest=True,
                input_hash=digest,
                engine_version=ENGINE_VERSION,
                questionnaire_version_id=evaluation.questionnaire_version_id,
                aggregation=plan.aggregation,
                effective_section_weights=plan.section_weights,
                overall=card.overall,
                completeness=card.completeness,
                disqualified=card.disqualified,
                failed_knockouts=list(card.failed_knockouts),
                red_flags=[flag.to_dict() for flag in card.red_flags],
                details=card.to_dict(),
            )
        )
    Scorecard.objects.filter(pk__in=superseded).update(is_latest=False)
    created = Scorecard.objects.bulk_create(new_cards)
    events.emit_many(
        evaluation.organization_id,
        events.SCORECARD_COMPLETED,
        events.scorecard_completed_data(created),
    )
    return {
        "evaluation": evaluation.pk,
        "created": [card.pk for card in created],
        "unchanged": kept,
    }


def request_scoring(evaluation: Evaluation, *, user):
    """Queue scoring after commit and return its Job; refuse what cannot be scored."""
    from evaluations import tasks
    from jobs import services as jobs

    if evaluation.status == EvaluationStatus.CANCELLED:
        raise Conflict("A cancelled evaluation is not scored.")
    if not evaluation.candidates.exists():
        raise ValidationError({"candidates": ["Add at least one candidate first."]})
    try:
        check_scorable(evaluation)
    except NotScorable as exc:
        raise ValidationError({"questionnaire_version": [str(exc)]}) from None
    job = jobs.create_job(
        evaluation.organization, "score", params={"evaluation_id": evaluation.pk}, created_by=user
    )
    return jobs.enqueue(job, tasks.score_evaluation)
