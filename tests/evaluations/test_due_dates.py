"""Due dates: set on evaluations, shown on evaluators' sheets, overdue work filterable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from evaluations.engine.due import MAX_DAYS_AHEAD, due_date_errors, due_state
from evaluations.models import RatingSheet
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

BASE = "/api/v1/evaluations/"
TODAY = timezone.localdate()


def days(n):
    return TODAY + timedelta(days=n)


def patch(client, url, body):
    etag = client.get(url)["ETag"]
    return client.patch(url, body, format="json", HTTP_IF_MATCH=etag)


def fields_of(response):
    return {error["field"] for error in response.json()["errors"]}


@pytest.fixture
def version(organization):
    return make_version(organization)


# ------------------------------------------------------------------ pure rules


def test_due_state_counts_days_and_is_overdue_only_after_the_day():
    assert due_state(None, today=TODAY, done=False).days_left is None
    assert due_state(days(3), today=TODAY, done=False).days_left == 3
    assert not due_state(TODAY, today=TODAY, done=False).overdue
    assert due_state(days(-1), today=TODAY, done=False).overdue
    assert not due_state(days(-1), today=TODAY, done=True).overdue


def test_due_date_errors_check_bounds_of_given_fields_and_order():
    ok = {"given": {"ratings_due", "decision_due"}, "today": TODAY}
    assert due_date_errors(ratings_due=days(1), decision_due=days(2), **ok) == {}
    assert set(due_date_errors(ratings_due=days(2), decision_due=days(1), **ok)) == {"decision_due"}
    far = days(MAX_DAYS_AHEAD + 1)
    assert set(due_date_errors(ratings_due=far, decision_due=None, **ok)) == {"ratings_due"}
    # A stored date is not re-checked against today's bounds when left alone.
    assert due_date_errors(ratings_due=far, decision_due=None, given=set(), today=TODAY) == {}
    # Moving the ratings past a stored decision names the field that moved.
    errors = due_date_errors(
        ratings_due=days(5), decision_due=days(2), given={"ratings_due"}, today=TODAY
    )
    assert set(errors) == {"ratings_due"}


# ------------------------------------------------------------------ API writes


def test_due_dates_are_set_on_create_and_changed_with_if_match(admin_client, version):
    body = {
        "name": "Pick",
        "questionnaire_version": version.pk,
        "ratings_due": str(days(7)),
        "decision_due": str(days(14)),
    }
    response = admin_client.post(BASE, body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["ratings_due"], response.json()["decision_due"]) == (
        str(days(7)),
        str(days(14)),
    )
    url = f"{BASE}{response.json()['id']}/"
    assert admin_client.patch(url, {"ratings_due": str(days(8))}, format="json").status_code == 428
    response = patch(admin_client, url, {"ratings_due": str(days(8))})
    assert response.status_code == 200, response.content
    assert response.json()["ratings_due"] == str(days(8))
    response = patch(admin_client, url, {"ratings_due": None, "decision_due": None})
    assert (response.json()["ratings_due"], response.json()["decision_due"]) == (None, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ratings_due": str(days(10)), "decision_due": str(days(9))}, "decision_due"),
        ({"ratings_due": "1999-12-31"}, "ratings_due"),
        ({"decision_due": str(days(MAX_DAYS_AHEAD + 1))}, "decision_due"),
        ({"ratings_due": "next week"}, "ratings_due"),
        ({"ratings_due": 20270101}, "ratings_due"),
    ],
)
def test_bad_due_dates_are_a_400_naming_the_field(admin_client, version, body, field):
    response = admin_client.post(
        BASE, {"name": "Pick", "questionnaire_version": version.pk, **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in fields_of(response)


def test_moving_ratings_past_the_stored_decision_is_refused(admin_client, organization, version):
    evaluation = make_evaluation(
        organization,
        version,
        lead=admin_client.membership,
        ratings_due=days(3),
        decision_due=days(5),
    )
    response = patch(admin_client, f"{BASE}{evaluation.pk}/", {"ratings_due": str(days(6))})
    assert response.status_code == 400
    assert fields_of(response) == {"ratings_due"}


def test_due_dates_may_move_while_scoring(admin_client, organization, version):
    evaluation = make_evaluation(
        organization, version, lead=admin_client.membership, status="scoring"
    )
    response = patch(admin_client, f"{BASE}{evaluation.pk}/", {"decision_due": str(days(4))})
    assert response.status_code == 200, response.content


def test_viewers_cannot_set_due_dates(make_client, organization, version):
    viewer = make_client(Role.VIEWER, organization)
    evaluation = make_evaluation(organization, version)
    url = f"{BASE}{evaluation.pk}/"
    assert patch(viewer, url, {"ratings_due": str(days(2))}).status_code == 403


# ------------------------------------------------------------------ overdue filters


@pytest.fixture
def portfolio(organization, version):
    """Evaluations in every due situation, with one evaluator (alice) and one candidate."""
    alice = MembershipFactory(organization=organization, role=Role.EVALUATOR)
    provider = ProviderFactory(organization=organization)

    def evaluation(name, status="collecting", submitted=False, barred=False, **dates):
        row = make_evaluation(organization, version, status=status, providers=[provider], **dates)
        row.name = name
        row.save(update_fields=["name"])
        assignment = assign(row, alice)
        if barred:
            assignment.conflict_status = "conflict"
            assignment.save()
        if submitted:
            RatingSheet.objects.create(candidate=row.candidates.get(), evaluator=assignment)
        return row

    return {
        "late": evaluation("late", ratings_due=days(-1)),
        "late_but_done": evaluation("late_but_done", submitted=True, ratings_due=days(-1)),
        "late_in_draft": evaluation("late_in_draft", status="draft", ratings_due=days(-2)),
        "nobody_may_rate": evaluation("nobody_may_rate", barred=True, ratings_due=days(-1)),
        "scoring": evaluation("scoring", status="scoring", ratings_due=days(-5)),
        "due_today": evaluation("due_today", ratings_due=TODAY),
        "undated": evaluation("undated"),
        "decision_late": evaluation(
            "decision_late", status="scoring", decision_due=days(-1), ratings_due=days(-3)
        ),
        "decided_late": evaluation("decided_late", status="decided", decision_due=days(-1)),
        "cancelled_late": evaluation(
            "cancelled_late", status="cancelled", decision_due=days(-1), ratings_due=days(-1)
        ),
        "alice": alice,
    }


def names(client, query):
    response = client.get(f"{BASE}?{query}&page_size=100")
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_ratings_overdue_finds_late_evaluations_still_waiting_for_sheets(admin_client, portfolio):
    late = {"late", "late_in_draft", "nobody_may_rate"}
    assert names(admin_client, "ratings_overdue=true") == late
    assert names(admin_client, "ratings_overdue=false") == (
        {key for key in portfolio if key != "alice"} - late
    )


def test_decision_overdue_finds_late_undecided_evaluations(admin_client, portfolio):
    assert names(admin_client, "decision_overdue=true") == {"decision_late"}


@pytest.mark.parametrize("query", ["ratings_overdue=yes", "decision_overdue=", "overdue=true"])
def test_bad_overdue_filters_are_a_400(admin_client, portfolio, query):
    response = admin_client.get(f"{BASE}?{query}")
    assert response.status_code == 400
    assert fields_of(response) == {query.split("=")[0]}


def test_the_overdue_list_runs_constant_queries(
    admin_client, organization, version, portfolio, count_queries
):
    admin_client.get(f"{BASE}?page_size=1")
    with count_queries() as small:
        admin_client.get(f"{BASE}?ratings_overdue=true&page_size=1")
    with count_queries() as large:
        response = admin_client.get(f"{BASE}?ratings_overdue=true&page_size=100")
    assert len(response.json()["results"]) == 3
    assert len(small) == len(large)


# ------------------------------------------------------------------ the evaluator's sheet


def evaluators_url(evaluation):
    return f"{BASE}{evaluation.pk}/evaluators/"


def test_the_evaluators_sheet_shows_what_is_due(make_client, organization, portfolio):
    alice = portfolio["alice"]
    client = make_client(Role.EVALUATOR, organization)
    (row,) = client.get(evaluators_url(portfolio["late"])).json()["results"]
    assert row["member"] == alice.pk
    assert (row["ratings_due"], row["days_left"], row["overdue"]) == (str(days(-1)), -1, True)
    assert (row["sheets_submitted"], row["sheets_outstanding"]) == (0, 1)
    (done,) = client.get(evaluators_url(portfolio["late_but_done"])).json()["results"]
    assert (done["sheets_submitted"], done["sheets_outstanding"], done["overdue"]) == (1, 0, False)
    (barred,) = client.get(evaluators_url(portfolio["nobody_may_rate"])).json()["results"]
    assert (barred["sheets_outstanding"], barred["overdue"]) == (0, False)
    (today,) = client.get(evaluators_url(portfolio["due_today"])).json()["results"]
    assert (today["days_left"], today["overdue"]) == (0, False)
    (undated,) = client.get(evaluators_url(portfolio["undated"])).json()["results"]
    assert (undated["ratings_due"], undated["days_left"], undated["overdue"]) == (
        None,
        None,
        False,
    )
    detail = client.get(f"{evaluators_url(portfolio['late'])}{row['id']}/").json()
    assert detail["overdue"] is True


def test_evaluators_filter_by_overdue_with_constant_queries(
    admin_client, organization, version, count_queries
):
    providers = ProviderFactory.create_batch(2, organization=organization)
    evaluation = make_evaluation(organization, version, providers=providers, ratings_due=days(-2))
    members = MembershipFactory.create_batch(5, organization=organization, role=Role.EVALUATOR)
    assignments = [assign(evaluation, member) for member in members]
    for candidate in evaluation.candidates.all():
        RatingSheet.objects.create(candidate=candidate, evaluator=assignments[0])
    url = evaluators_url(evaluation)
    late = admin_client.get(f"{url}?overdue=true").json()["results"]
    assert {row["id"] for row in late} == {a.pk for a in assignments[1:]}
    on_time = admin_client.get(f"{url}?overdue=false").json()["results"]
    assert [row["id"] for row in on_time] == [assignments[0].pk]
    with count_queries() as small:
        admin_client.get(f"{url}?page_size=1")
    with count_queries() as large:
        assert len(admin_client.get(f"{url}?page_size=100").json()["results"]) == 5
    assert len(small) == len(large)
    assert admin_client.get(f"{url}?overdue=soon").status_code == 400
