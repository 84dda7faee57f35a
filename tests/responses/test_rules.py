"""The pure rules of a response request: statuses, applicability, conflicts."""

from datetime import date, timedelta

import pytest

from evaluations.engine.scoring import EvaluationSpec, QuestionnaireSpec, QuestionSpec, SectionSpec
from responses import rules


@pytest.mark.parametrize(
    ("status", "event", "expected"),
    [
        ("sent", "save", "in_progress"),
        ("in_progress", "save", "in_progress"),
        ("returned", "save", "returned"),
        ("sent", "submit", "submitted"),
        ("in_progress", "submit", "submitted"),
        ("returned", "submit", "submitted"),
        ("returned", "reply", "returned"),
        # Threads stay open to both sides until acceptance.
        ("submitted", "reply", "submitted"),
        ("in_progress", "reply", "in_progress"),
        ("sent", "message", "sent"),
        ("submitted", "message", "submitted"),
        ("returned", "message", "returned"),
        ("submitted", "review", "submitted"),
        ("returned", "review", "returned"),
    ],
)
def test_allowed_transitions(status, event, expected):
    assert rules.after(status, event) == expected


@pytest.mark.parametrize(
    ("status", "event"),
    [
        ("submitted", "save"),
        ("submitted", "submit"),
        ("accepted", "reply"),
        ("accepted", "message"),
        ("sent", "review"),
        ("in_progress", "review"),
        ("accepted", "save"),
        ("accepted", "review"),
        ("accepted", "submit"),
    ],
)
def test_refused_transitions_say_why(status, event):
    with pytest.raises(rules.TransitionRefused) as refused:
        rules.after(status, event)
    assert str(refused.value)


def _questionnaire():
    return QuestionnaireSpec(
        sections=(
            SectionSpec(
                code="a",
                weight=1,
                questions=(
                    QuestionSpec(code="MSSP", kind="boolean", applies_to=frozenset({"mssp"})),
                    QuestionSpec(code="ANY", kind="boolean"),
                    QuestionSpec(code="ZERO", kind="boolean", weight=0),
                    QuestionSpec(
                        code="HEALTH", kind="boolean", industries=frozenset({"healthcare"})
                    ),
                ),
            ),
            SectionSpec(
                code="off",
                weight=0,
                questions=(QuestionSpec(code="OFF", kind="boolean"),),
            ),
            SectionSpec(
                code="b",
                weight=1,
                questions=(
                    QuestionSpec(code="VCISO", kind="boolean", applies_to=frozenset({"vciso"})),
                ),
            ),
        )
    )


def _evaluation(**fields):
    return EvaluationSpec(
        required_service_models=frozenset(fields.pop("models", {"mssp", "vciso"})),
        industry=fields.pop("industry", "finance"),
        **fields,
    )


def test_applicable_codes_follow_the_lots_bid_on():
    lots = [("soc", ["mssp"]), ("gov", ["vciso"])]
    q, e = _questionnaire(), _evaluation()
    assert rules.applicable_codes(q, e, lots, ["soc"]) == {"MSSP", "ANY"}
    assert rules.applicable_codes(q, e, lots, ["gov"]) == {"ANY", "VCISO"}
    assert rules.applicable_codes(q, e, lots, ["soc", "gov"]) == {"MSSP", "ANY", "VCISO"}


def test_without_lots_the_evaluation_decides():
    q = _questionnaire()
    evaluation = _evaluation(models={"mssp"}, industry="healthcare")
    assert rules.applicable_codes(q, evaluation, [], ["all"]) == {"MSSP", "ANY", "HEALTH"}
    weighted = _evaluation(section_weights={"off": 2, "a": 0}, excluded_questions=frozenset())
    assert rules.applicable_codes(q, weighted, [], ["all"]) == {"OFF", "VCISO"}


def test_what_the_respondent_may_change():
    reviews = {"A": "returned", "B": "accepted", "C": "pending"}
    assert all(rules.editable("in_progress", reviews, code) for code in ("A", "B", "C", "D"))
    assert rules.editable("sent", reviews, "D")
    assert [c for c in "ABCD" if rules.editable("returned", reviews, c)] == ["A"]
    assert not any(rules.editable(s, reviews, "A") for s in ("submitted", "accepted"))


def test_draft_conflicts_are_questions_changed_since_to_other_values():
    current = {"A": ("x", 3), "B": ("y", 5), "C": ("z", 1)}
    incoming = {"A": "mine", "B": "y", "C": "mine", "D": "new"}
    # A changed at 3 > 2 to another value: conflict; B changed to the same value: none;
    # C changed before the base version; D is new.
    assert rules.draft_conflicts(2, current, incoming) == ["A"]
    assert rules.draft_conflicts(5, current, incoming) == []
    assert rules.draft_conflicts(0, current, incoming) == ["A", "C"]


def test_unanswered_returns():
    threads = {"A": ["buyer", "respondent"], "B": ["buyer"], "C": ["buyer", "respondent", "buyer"]}
    assert rules.unanswered_returns(threads) == ["B", "C"]
    assert rules.unanswered_returns({"D": []}) == ["D"]


@pytest.mark.parametrize(
    ("reviews", "status"),
    [
        ({"A": "accepted", "B": "accepted"}, "accepted"),
        ({"A": "accepted", "B": "returned"}, "returned"),
        ({"A": "accepted", "B": "pending"}, "submitted"),
        ({"A": "pending", "B": "returned"}, "returned"),
        ({}, "submitted"),
    ],
)
def test_status_after_review(reviews, status):
    assert rules.status_after_review(reviews) == status


def test_versions_in_if_match():
    assert rules.parse_version(rules.draft_etag(7, 12), 7) == 12
    assert rules.parse_version('W/"7-3"', 7) == 3
    for header in (None, "", '"8-3"', '"7-"', '"7-x"', '"7--1"', '"7-' + "9" * 10 + '"', "*"):
        assert rules.parse_version(header, 7) is None


@pytest.mark.parametrize(
    ("status", "days_to_due", "kind"),
    [
        ("sent", 5, None),
        ("sent", 3, "due"),
        ("in_progress", 0, "due"),
        ("returned", -1, "overdue"),
        ("submitted", 1, None),
        ("submitted", -3, None),
        ("accepted", -3, None),
    ],
)
def test_reminder_kind(status, days_to_due, kind):
    today = date(2027, 1, 10)
    assert rules.reminder_kind(status, today + timedelta(days=days_to_due), today, 3) == kind


@pytest.mark.parametrize(
    ("status", "sides", "expected"),
    [
        ("submitted", ["buyer"], True),
        ("returned", ["buyer", "respondent"], True),
        ("in_progress", ["buyer", "respondent", "buyer"], True),
        ("submitted", [], False),  # the buyer opens a thread, the respondent answers
        ("accepted", ["buyer"], False),
    ],
)
def test_the_respondent_replies_in_threads_the_buyer_opened(status, sides, expected):
    assert rules.may_reply(status, sides) is expected
