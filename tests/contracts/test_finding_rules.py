"""The pure rules of findings: who is tracked, what a sync writes, status moves."""

from datetime import date

from contracts import finding_rules as rules


def _cause(key, value=None):
    return rules.Cause(
        key=key,
        source="knockout",
        severity="critical",
        title=key,
        provider_id=1,
        contract_id=1,
        raised_value=value,
    )


def test_winners_and_later_rounds_are_tracked_losing_bidders_are_not():
    contracts = [
        rules.ContractRow(
            10, provider_id=1, evaluation_id=100, candidate_id=1000, start_date=date(2026, 1, 1)
        ),
        rules.ContractRow(
            11, provider_id=1, evaluation_id=None, candidate_id=None, start_date=date(2026, 6, 1)
        ),
    ]
    candidates = [
        rules.CandidateRow(1000, provider_id=1, evaluation_id=100),  # the winner
        rules.CandidateRow(1001, provider_id=2, evaluation_id=100),  # lost the award
        rules.CandidateRow(1002, provider_id=1, evaluation_id=200),  # a later round
        rules.CandidateRow(1003, provider_id=3, evaluation_id=200),  # never contracted
    ]
    assert rules.tracked_candidates(candidates, contracts) == {1000: 10, 1002: 11}


def test_a_sync_creates_clears_restores_and_refreshes():
    raised = [
        rules.Raised(1, "kept", cleared=False, raised_value=False, details={}),
        rules.Raised(2, "gone", cleared=False, raised_value=False, details={}),
        rules.Raised(3, "back", cleared=True, raised_value=False, details={}),
        rules.Raised(4, "changed", cleared=False, raised_value="a", details={}),
        rules.Raised(5, "still-gone", cleared=True, raised_value=None, details={}),
    ]
    causes = [_cause("kept", False), _cause("back", False), _cause("changed", "b"), _cause("new")]
    plan = rules.plan(causes, raised)
    assert [cause.key for cause in plan.create] == ["new"]
    assert plan.clear == [2]
    assert [(pk, cause.key) for pk, cause in plan.restore] == [(3, "back")]
    assert [(pk, cause.raised_value) for pk, cause in plan.refresh] == [(4, "b")]


def test_the_same_causes_again_write_nothing():
    causes = [_cause("a", True), _cause("b", 3)]
    raised = [
        rules.Raised(i, c.key, False, c.raised_value, c.details) for i, c in enumerate(causes)
    ]
    assert rules.plan(causes, raised) == rules.Plan(create=[], clear=[], restore=[], refresh=[])


def test_scorecard_causes_merge_lots_and_snapshot_the_answer():
    candidate = rules.CandidateRow(7, provider_id=1, evaluation_id=2)
    cards = [
        rules.CardRow("a", ["SOC-02"], [{"tag": "soc_ownership", "question": "SOC-01"}]),
        rules.CardRow("b", ["SOC-02"], []),
    ]
    questions = {"SOC-02": rules.Question(42, "SOC-02", "Own SOC 2 report?")}
    causes = rules.scorecard_causes(candidate, 9, cards, [], {"SOC-02": False}, questions)
    knockout, flag = causes
    assert knockout.key == "knockout:7:SOC-02"
    assert (knockout.question_id, knockout.raised_value) == (42, False)
    assert knockout.details == {"lots": ["a", "b"]}
    assert knockout.title == "Failed knockout SOC-02: Own SOC 2 report?"
    assert (knockout.severity, knockout.contract_id) == ("critical", 9)
    assert flag.key == "red_flag:7:SOC-01:soc_ownership"
    assert (flag.question_id, flag.severity) == (None, "high")


def test_sla_causes_are_high_when_escalated():
    term = rules.TermRow(5, 9, 1, "uptime", "99.900", "percent")
    months = [
        rules.BreachedMonth(date(2026, 2, 1), "99.000", 1, False, False, 70),
        rules.BreachedMonth(date(2026, 3, 1), "98.000", 2, True, False, 71),
    ]
    feb, mar = rules.sla_causes(term, months)
    assert (feb.key, feb.severity, feb.measurement_id) == ("sla_breach:5:2026-02", "medium", 70)
    assert (mar.key, mar.severity) == ("sla_breach:5:2026-03", "high")


def test_status_moves():
    assert rules.transition_problem("open", "in_remediation") is None
    assert rules.transition_problem("in_remediation", "resolved") is None
    assert rules.transition_problem("open", "open") is None
    assert "cannot become resolved" in rules.transition_problem("open", "resolved")
    assert rules.transition_problem("in_remediation", "accepted_risk") is None
    assert "rationale" in rules.rationale_problem("accepted_risk", "  ")
    assert rules.rationale_problem("accepted_risk", "Compensating control") is None
    assert rules.rationale_problem("resolved", "") is None
    assert rules.transition_problem("resolved", "open") is None
    assert rules.transition_problem("resolved", "in_remediation") is not None


def test_reminder_kinds():
    today = date(2026, 3, 10)
    assert rules.reminder_kind("open", date(2026, 3, 17), today, 7) == "due"
    assert rules.reminder_kind("open", date(2026, 3, 18), today, 7) is None
    assert rules.reminder_kind("in_remediation", date(2026, 3, 9), today, 7) == "overdue"
    assert rules.reminder_kind("resolved", date(2026, 3, 9), today, 7) is None
    assert rules.reminder_kind("open", None, today, 7) is None
    assert rules.due_date("critical", today) == date(2026, 3, 24)
