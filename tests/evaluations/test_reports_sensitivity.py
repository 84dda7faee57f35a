"""Sensitivity in a report: exactly `analyse_sensitivity` over the latest scorecards."""

import json

import pytest

from evaluations.engine.sensitivity import SensitivityCandidate, analyse_sensitivity
from evaluations.models import Answer, Rating, Scorecard
from tests.evaluations.builders import assign, make_evaluation, make_version, submit_sheets
from tests.evaluations.test_reports_api import request_report
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory


@pytest.mark.django_db
def test_tipping_points_of_a_close_race_match_the_engine(
    organization, admin_client, django_capture_on_commit_callbacks
):
    """docs/scoring.md's worked example with two candidates: Acme leads on `soc`, Bolt on `rep`."""
    version = make_version(organization)  # the worked example: soc (W=3), rep (W=1)
    providers = [ProviderFactory(organization=organization, name=n) for n in ("Acme", "Bolt")]
    evaluation = make_evaluation(
        organization, version, lead=admin_client.membership, providers=providers
    )
    evaluator = assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
    questions = {q.code: q for q in version.questions.all()}
    acme, bolt = evaluation.candidates.order_by("provider__name")
    for candidate, soc, rating, rep in ((acme, "own", 1, False), (bolt, "white_label", 5, True)):
        Answer.objects.create(candidate=candidate, question=questions["SOC-01"], value=soc)
        Answer.objects.create(candidate=candidate, question=questions["SOC-02"], value=True)
        Answer.objects.create(candidate=candidate, question=questions["REP-02"], value=rep)
        Rating.objects.create(
            candidate=candidate, question=questions["REP-01"], evaluator=evaluator, score=rating
        )
    submit_sheets(evaluation)
    response = request_report(
        admin_client,
        evaluation,
        {"seed": 11, "trials": 2000, "spread": 0.5},
        capture=django_capture_on_commit_callbacks,
    )
    job = admin_client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    sensitivity = admin_client.get(job["result_url"]).json()["content"]["sensitivity"]
    points = {p["section"]: p for p in sensitivity["tipping_points"]}
    # S: Acme soc 1, rep 0.1 (77.50); Bolt soc 1.6/3, rep 1 (65.00).
    # rep: A = 3 * (1 - 1.6/3) = 1.4, B = 0.1 - 1 = -0.9 -> f = 1.4 / 0.9 = 1.5556 (Bolt).
    assert points["rep"]["increase_factor"] == pytest.approx(1.4 / 0.9)
    assert points["rep"]["increase_leader_name"] == "Bolt"
    # soc: A = -0.9, B = 3 * (1 - 1.6/3) = 1.4 -> f = 0.9 / 1.4 = 0.6429 (Bolt).
    assert points["soc"]["decrease_factor"] == pytest.approx(0.9 / 1.4)
    cards = {c.candidate_id: c for c in Scorecard.objects.filter(evaluation=evaluation)}
    expected = analyse_sensitivity(
        [
            SensitivityCandidate(
                id=cid,
                name=card.details["name"],
                section_scores={s["code"]: s["s"] for s in card.details["sections"]},
                disqualified=card.disqualified,
            )
            for cid, card in cards.items()
        ],
        next(iter(cards.values())).effective_section_weights,
        seed=11,
        trials=2000,
        spread=0.5,
    )
    assert sensitivity == json.loads(json.dumps(expected.to_dict()))
    assert 0 < sensitivity["monte_carlo"]["leader_win_probability"] < 1
