"""Krippendorff's alpha over the ratings: hand-checked cases, and how ratings map to units."""

from fractions import Fraction

import pytest
from django.utils import timezone

from evaluations.engine.agreement import NO_PAIRS, NO_VARIATION, krippendorff_alpha
from evaluations.models import Rating
from evaluations.services import scoring
from evaluations.services.report_content import build_snapshot
from tests.evaluations.builders import assign, make_evaluation, make_version, submit_sheets
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory


def test_two_raters_three_units_by_hand():
    """Rater A: 1, 2, 3; rater B: 1, 2, 4 (interval).

    Pairable values n = 6: {1, 1}, {2, 2}, {3, 4}.
    D_o = (1/n) * sum_u 1/(m_u - 1) * sum_{i != j} (v_i - v_j)^2 = (1/6) * (1 + 1) = 1/3.
    D_e = sum over ordered pairs of all six values of (v_i - v_j)^2 / (n (n - 1)):
    unordered squared differences of 1,1,2,2,3,4 sum to 41, so D_e = 82 / 30.
    alpha = 1 - D_o / D_e = 1 - 10/82 = 36/41 = 0.87805 -> 0.878 (4 decimals: 0.878).
    """
    ratings = [("A", 1, 1), ("A", 2, 2), ("A", 3, 3), ("B", 1, 1), ("B", 2, 2), ("B", 3, 4)]
    result = krippendorff_alpha(ratings)
    assert result["alpha"] == pytest.approx(float(Fraction(36, 41)), abs=5e-5)
    assert result["alpha"] == 0.878
    assert result["interpretation"] == "reliable"
    assert (result["raters"], result["units"], result["pairable_units"], result["ratings"]) == (
        2,
        3,
        3,
        6,
    )


def test_missing_values_and_a_single_rating_by_hand():
    """Three raters; unit 3 has one rating only and is not pairable.

    Pairable: u1 = {1, 1}, u2 = {2, 3, 3}; n = 5.
    D_o = (1/5) * (0 + (1/2) * (1 + 1 + 1 + 1)) = 2/5.
    D_e: values 1,1,2,3,3; unordered squared differences sum to 20 -> 40 / (5 * 4) = 2.
    alpha = 1 - (2/5) / 2 = 0.8.
    """
    ratings = [("A", 1, 1), ("A", 2, 2), ("B", 1, 1), ("B", 2, 3), ("B", 3, 4), ("C", 2, 3)]
    result = krippendorff_alpha(ratings)
    assert result["alpha"] == 0.8
    assert result["interpretation"] == "reliable"
    assert (result["units"], result["pairable_units"]) == (3, 2)


def test_no_pairable_unit_and_no_variation_give_null_with_a_reason():
    assert krippendorff_alpha([("A", 1, 1), ("B", 2, 3)])["message"] == NO_PAIRS
    same = krippendorff_alpha([("A", 1, 3), ("B", 1, 3), ("A", 2, 3), ("B", 2, 3)])
    assert (same["alpha"], same["message"]) == (None, NO_VARIATION)
    assert krippendorff_alpha([])["alpha"] is None


SECTIONS = [
    {
        "code": "judged",
        "questions": [
            {"code": "J-5", "kind": "scale", "scoring": "judged", "scale_max": 5},
            {"code": "J-10", "kind": "scale", "scoring": "judged", "scale_max": 10},
            {"code": "AUTO", "kind": "boolean"},
            {"code": "VCIO", "kind": "text", "applies_to": ["vcio"]},
        ],
    }
]


@pytest.mark.django_db
def test_report_maps_candidates_and_judged_questions_to_units(organization):
    """Units are (candidate, applicable judged question); values are rating / scale_max.

    J-5 ratings (A, B): cand 1 -> (1, 1), cand 2 -> (2, 2), cand 3 -> (3, 4); as fractions of
    5 this is the first hand-checked case scaled by 1/5, so alpha is 36/41 again. Ratings on
    J-10 by rater A alone, on the auto question and on the inapplicable vCIO question are
    not pairable or not units at all.
    """
    version = make_version(organization, SECTIONS, code="agreement")
    providers = [ProviderFactory(organization=organization, name=n) for n in ("P1", "P2", "P3")]
    evaluation = make_evaluation(
        organization, version, providers=providers, required_service_models=["mssp"]
    )
    a, b = (
        assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
        for _ in range(2)
    )
    questions = {q.code: q for q in version.questions.all()}
    candidates = list(evaluation.candidates.order_by("pk"))
    for candidate, pair in zip(candidates, [(1, 1), (2, 2), (3, 4)], strict=True):
        for evaluator, score in zip((a, b), pair, strict=True):
            Rating.objects.create(
                candidate=candidate, question=questions["J-5"], evaluator=evaluator, score=score
            )
    Rating.objects.create(candidate=candidates[0], question=questions["J-10"], evaluator=a, score=9)
    for code in ("AUTO", "VCIO"):
        for evaluator, score in ((a, 0), (b, 5)):
            Rating.objects.create(
                candidate=candidates[0], question=questions[code], evaluator=evaluator, score=score
            )
    submit_sheets(evaluation)
    scoring.score_evaluation(evaluation.pk)
    evaluation.refresh_from_db()
    snapshot = build_snapshot(
        evaluation, seed=1, trials=100, spread=0.25, generated_at=timezone.now()
    )
    agreement = snapshot["disagreement"]
    assert agreement["alpha"] == 0.878
    assert (agreement["units"], agreement["pairable_units"], agreement["ratings"]) == (4, 3, 7)
    assert agreement["raters"] == 2
    assert [f["question"] for f in agreement["flags"]] == []  # (4 - 3) / 5 = 0.2 < 0.3
