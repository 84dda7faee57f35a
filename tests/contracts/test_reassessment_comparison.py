"""The comparison of two rounds (contracts.reassessment_comparison), on stored
scorecard explanations written by hand."""

from contracts.reassessment_comparison import compare, compare_lots, delta
from evaluations.engine.scorecard_details import QUESTION_FIELDS


def details(overall, sections, questions, flags=(), knockouts=(), disqualified=False):
    rows = [
        {
            "section": section,
            "code": code,
            "x": x,
            "effective_weight": 0.25,
            "contribution": 25 * x,
            "answered": x is not None and x > 0,
            "rating_count": 0,
            "spread": None,
            "disagreement": False,
            "overridden": False,
            "knockout": code in knockouts,
            "failed_knockout": code in knockouts,
        }
        for section, code, x in questions
    ]
    return {
        "overall": overall,
        "disqualified": disqualified,
        "failed_knockouts": list(knockouts),
        "red_flags": [{"tag": tag, "question": code} for tag, code in flags],
        "sections": [{"code": c, "title": c.upper(), "score": s} for c, s in sections],
        "question_columns": {name: [row[name] for row in rows] for name in QUESTION_FIELDS},
    }


# The worked example of docs/scoring.md as the previous round: overall 47.50.
PREVIOUS = details(
    47.5,
    [("soc", 53.33), ("rep", 30.0)],
    [
        ("soc", "SOC-01", 0.3),
        ("soc", "SOC-02", 1.0),
        ("rep", "REP-01", 0.6),
        ("rep", "REP-02", 0.0),
    ],
    flags=[("soc_ownership", "SOC-01")],
)
# A year on: SOC-02 (knockout) fails, REP-01 improves, REP-02 is gone, REP-03 is new.
CURRENT = details(
    31.25,
    [("soc", 10.0), ("rep", 95.0)],
    [
        ("soc", "SOC-01", 0.3),
        ("soc", "SOC-02", 0.0),
        ("rep", "REP-01", 0.9),
        ("rep", "REP-03", 1.0),
    ],
    flags=[("sla_remedy", "SOC-02")],
    knockouts=["SOC-02"],
    disqualified=True,
)


def test_a_regression_question_by_question_with_exact_deltas():
    result = compare("all", PREVIOUS, CURRENT)
    # 31.25 - 47.50 = -16.25; 10.00 - 53.33 = -43.33; 95.00 - 30.00 = 65.00.
    assert result["total"] == {"previous": 47.5, "current": 31.25, "delta": -16.25}
    assert [(s["code"], s["delta"]) for s in result["sections"]] == [
        ("soc", -43.33),
        ("rep", 65.0),
    ]
    changes = {q["code"]: (q["change"], q["delta"]) for q in result["questions"]}
    assert changes == {
        "SOC-01": ("unchanged", 0.0),
        "SOC-02": ("regressed", -1.0),
        # 0.9 - 0.6 = 0.3 exactly (the float subtraction would give 0.30000000000000004).
        "REP-01": ("improved", 0.3),
        "REP-03": ("new", None),
        "REP-02": ("removed", None),
    }
    assert result["counts"] == {
        "improved": 1,
        "regressed": 1,
        "unchanged": 1,
        "new": 1,
        "removed": 1,
    }
    assert result["red_flags_new"] == [{"tag": "sla_remedy", "question": "SOC-02"}]
    assert result["red_flags_cleared"] == [{"tag": "soc_ownership", "question": "SOC-01"}]
    assert result["knockouts_newly_failed"] == ["SOC-02"]
    assert result["knockouts_cleared"] == []
    assert result["disqualified"] == {"previous": False, "current": True}


def test_the_same_scorecard_twice_changes_nothing():
    result = compare("all", PREVIOUS, PREVIOUS)
    assert result["total"]["delta"] == 0.0
    assert result["counts"]["unchanged"] == 4
    assert result["red_flags_new"] == result["red_flags_cleared"] == []


def test_deltas_are_differences_of_the_shown_figures():
    assert delta(0.1, 0.3) == 0.2
    assert delta(12.34, 12.3) == -0.04
    assert delta(None, 1.0) is None


def test_only_lots_both_rounds_scored_are_compared():
    lots = compare_lots({"soc": PREVIOUS, "it": PREVIOUS}, {"soc": CURRENT, "ops": CURRENT})
    assert [lot["lot"] for lot in lots] == ["soc"]
