"""The pure reminder rules: which items are due, and who gets a digest."""

from datetime import date, timedelta

from notifications import reminder_rules as rules
from notifications.models import Kind

TODAY = date(2027, 3, 10)


def row(assignment, member=1, due_in=0, evaluation=None):
    return rules.Outstanding(
        assignment_id=assignment,
        membership_id=member,
        evaluation_id=evaluation or assignment,
        evaluation_name=f"Evaluation {assignment}",
        ratings_due=TODAY + timedelta(days=due_in),
        sheets_outstanding=2,
    )


def items(*rows, reminder_days=3):
    return rules.due_items(list(rows), today=TODAY, reminder_days=reminder_days)


def test_the_kind_names_match_the_models():
    assert (rules.RATINGS_DUE, rules.RATINGS_OVERDUE, rules.DIGEST) == (
        Kind.RATINGS_DUE,
        Kind.RATINGS_OVERDUE,
        Kind.DIGEST,
    )


def test_items_are_due_soon_within_the_window_and_overdue_after_the_day():
    found = {
        item.outstanding.assignment_id: item
        for item in items(row(1, due_in=4), row(2, due_in=3), row(3, due_in=0), row(4, due_in=-1))
    }
    assert set(found) == {2, 3, 4}
    assert [found[n].kind for n in (2, 3, 4)] == ["ratings_due", "ratings_due", "ratings_overdue"]
    assert found[4].days_left == -1


def test_an_item_key_names_evaluator_due_date_and_kind():
    (item,) = items(row(7, due_in=2))
    assert item.key == "ratings_due:7:2027-03-12"
    (moved,) = items(row(7, due_in=1))
    assert moved.key != item.key  # a moved due date starts over


def plan(found, covered=(), disabled=None, threshold=3):
    return rules.plan(
        found, covered=set(covered), disabled=disabled or {}, digest_threshold=threshold
    )


def test_covered_items_are_not_sent_again():
    found = items(row(1, due_in=1), row(2, due_in=-2))
    sends = plan(found, covered={found[0].key})
    assert [send.items for send in sends] == [(found[1],)]
    assert sends[0].dedupe_key == found[1].key


def test_more_items_than_the_threshold_make_one_digest_per_member():
    many = [row(n, member=1, due_in=1) for n in range(1, 5)]
    few = [row(n, member=2, due_in=-1) for n in range(10, 13)]
    sends = plan(items(*many, *few))
    digests = [send for send in sends if send.kind == "digest"]
    assert [(d.membership_id, len(d.items)) for d in digests] == [(1, 4)]
    assert sorted(send.kind for send in sends if send.membership_id == 2) == ["ratings_overdue"] * 3
    assert digests[0].dedupe_key.startswith("digest:1:")


def test_a_digest_key_depends_on_its_items_only():
    found = items(*(row(n, due_in=1) for n in range(1, 6)))
    (first,) = plan(found)
    (same,) = plan(list(reversed(found)))
    (fewer,) = plan(found[1:])
    assert first.dedupe_key == same.dedupe_key != fewer.dedupe_key


def test_switched_off_kinds_are_dropped_and_no_digest_means_one_by_one():
    found = items(*(row(n, due_in=1) for n in range(1, 5)), row(9, due_in=-1))
    assert all(
        send.kind == "ratings_overdue" for send in plan(found, disabled={"ratings_due": {1}})
    )
    one_by_one = plan(found, disabled={"digest": {1}})
    assert len(one_by_one) == 5 and all(len(send.items) == 1 for send in one_by_one)
