"""An evaluation on the built-in vetting questionnaire, and what its scorecards show.

``build`` fills every applicable question of four providers with seeded,
varied inputs (answers of every kind, submitted ratings from three evaluators,
one override, unanswered questions); ``fingerprint`` gives what the stored
scorecards show, with database ids replaced by provider names so that two
databases compare. ``tests/evaluations/data/v1_builtin_scorecards.json`` holds
the fingerprint taken with the code from before lots existed.
"""

import hashlib
import json
import random

from evaluations.models import Answer, Override, Rating, Scorecard
from questionnaires.models import Questionnaire, VersionStatus
from questionnaires.services import load_builtin_questionnaires
from tests.evaluations.builders import assign, make_evaluation, submit_sheets
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

PROVIDERS = ("Northwind IT", "Quickfix IT", "Sentinel Security", "Vantage Advisory")
SEED = 20261202


def _value(question, rng: random.Random):
    kind = question.kind
    if kind == "boolean":
        return rng.random() < 0.7
    if kind == "single_choice":
        return rng.choice(question.options)["value"]
    if kind == "multi_choice":
        values = [option["value"] for option in question.options]
        return rng.sample(values, rng.randint(0, len(values)))
    if kind == "number":
        return rng.choice([0, 1, 2, 4, 8, 15, 30, 60, 240])
    if kind == "scale":
        return rng.randint(0, question.scale_max)
    return None


def build(organization):
    load_builtin_questionnaires()
    version = (
        Questionnaire.objects.get(organization=None, code="provider-vetting")
        .versions.filter(status=VersionStatus.PUBLISHED)
        .get()
    )
    providers = [ProviderFactory(organization=organization, name=name) for name in PROVIDERS]
    evaluation = make_evaluation(
        organization,
        version,
        providers=providers,
        industry="healthcare",
        required_service_models=["msp", "mssp", "vciso"],
        section_weights={},
        aggregation="mean",
    )
    evaluators = [
        assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
        for _ in range(3)
    ]
    rng = random.Random(SEED)  # noqa: S311  (seeded test data, not secrets)
    questions = list(version.questions.order_by("section__order", "order"))
    for candidate in evaluation.candidates.order_by("provider__name"):
        for question in questions:
            if rng.random() < 0.15:
                continue  # left unanswered
            judged = question.scoring == "judged" or question.kind in ("text", "evidence")
            if judged:
                for evaluator in evaluators[: rng.randint(1, 3)]:
                    Rating.objects.create(
                        candidate=candidate,
                        question=question,
                        evaluator=evaluator,
                        score=rng.randint(0, question.scale_max),
                    )
            else:
                Answer.objects.create(
                    candidate=candidate, question=question, value=_value(question, rng)
                )
        knockout = next(q for q in questions if q.knockout)
        if candidate.provider.name == "Quickfix IT":
            Override.objects.create(
                candidate=candidate,
                question=knockout,
                score=1.0,
                rationale="Seen in the reference call",
            )
    submit_sheets(evaluation)
    return evaluation


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def fingerprint(evaluation) -> list[dict]:
    """Every latest scorecard's figures and a digest of its explanation, by provider."""
    cards = Scorecard.objects.filter(evaluation=evaluation, is_latest=True).select_related(
        "candidate__provider"
    )
    rows = []
    for card in cards:
        details = dict(card.details)
        details["candidate_id"] = card.candidate.provider.name
        rows.append(
            {
                "provider": card.candidate.provider.name,
                "version": card.version,
                "rank": card.rank,
                "overall": card.overall,
                "completeness": card.completeness,
                "disqualified": card.disqualified,
                "failed_knockouts": card.failed_knockouts,
                "red_flags": card.red_flags,
                "engine_version": card.engine_version,
                "aggregation": card.aggregation,
                "effective_section_weights": card.effective_section_weights,
                "details_sha256": hashlib.sha256(_canonical(details).encode()).hexdigest(),
            }
        )
    return sorted(rows, key=lambda row: row["provider"])
