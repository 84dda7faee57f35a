"""The flat (CRM) scorecard feed: fixed columns, the same rows, cursors and
tombstones as the explained feed, every visible change delivered, constant queries."""

import pytest

from evaluations.models import EvaluationStatus, Scorecard
from evaluations.services import decisions, lifecycle, scoring
from tests.integrations.test_sync_scorecards import (
    MIDDLE,
    STRONG,
    WEAK,
    SyncingClient,
    evaluation_of,
    set_answers,
)
from tests.services import require_postgres

FLAT = "/api/v1/scorecards/flat/"
COLUMNS = [
    "id",
    "evaluation",
    "candidate",
    "provider",
    "provider_name",
    "external_ids",
    "lot",
    "version",
    "is_latest",
    "rank",
    "overall",
    "completeness",
    "disqualified",
    "red_flag_count",
    "failed_knockout_count",
    "decision",
    "created_at",
    "updated_at",
]


@pytest.fixture(autouse=True)
def no_settle_window(settings):
    settings.SYNC_SETTLE_SECONDS = 0


@pytest.fixture(params=["default", "postgresql"])
def database(request):
    if request.param == "postgresql":
        require_postgres()
    return request.param


def flat_rows(client) -> dict[int, dict]:
    response = client.get(f"{FLAT}?page_size=100")
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def test_fixed_columns_beside_the_explained_rows(admin_client, organization):
    evaluation, candidates = evaluation_of(organization, {"Alpha": STRONG, "Bravo": WEAK})
    admin_client.patch(
        f"/api/v1/providers/{candidates['Alpha'].provider_id}/",
        {"external_ids": {"hubspot": "123"}},
        format="json",
    )
    rows = flat_rows(admin_client)
    explained = {r["id"]: r for r in admin_client.get("/api/v1/scorecards/").json()["results"]}
    assert set(rows) == set(explained)
    for pk, row in rows.items():
        assert list(row) == COLUMNS
        same = ("evaluation", "candidate", "provider", "provider_name", "version", "is_latest")
        assert {k: row[k] for k in same} == {k: explained[pk][k] for k in same}
        assert row["rank"] == explained[pk]["rank"] and row["overall"] == explained[pk]["overall"]
        assert row["red_flag_count"] == len(explained[pk]["red_flags"])
        assert row["lot"] == "all" and row["decision"] == "pending"
    by_name = {row["provider_name"]: row for row in rows.values()}
    assert by_name["Alpha"]["external_ids"] == {"hubspot": "123"}
    assert by_name["Bravo"]["external_ids"] == {}
    assert (by_name["Alpha"]["rank"], by_name["Bravo"]["rank"]) == (1, 2)
    assert by_name["Bravo"]["red_flag_count"] == 1  # white-labelled SOC
    assert evaluation.pk == by_name["Alpha"]["evaluation"]


def test_a_crm_syncing_flat_rows_receives_every_visible_change(
    admin_client, organization, database
):
    evaluation, candidates = evaluation_of(
        organization, {"Alpha": STRONG, "Bravo": MIDDLE, "Charlie": WEAK}
    )
    other, _ = evaluation_of(organization, {"Solo": STRONG})
    crm = SyncingClient(admin_client, route=f"{FLAT}sync/")
    crm.pull()
    assert crm.rows == flat_rows(admin_client)

    def pull_and_check():
        delivered = crm.pull()
        assert crm.rows == flat_rows(admin_client), "the client missed a change"
        return delivered

    # A provider's external ids and name are shown: its rows come again.
    alpha = candidates["Alpha"].provider_id
    admin_client.patch(
        f"/api/v1/providers/{alpha}/", {"external_ids": {"hubspot": "A-1"}}, format="json"
    )
    admin_client.patch(f"/api/v1/providers/{alpha}/", {"name": "Alpha Prime"}, format="json")
    delivered = pull_and_check()
    assert {row["provider"] for pk, row in crm.rows.items() if pk in delivered} == {alpha}

    # Rescoring: Charlie overtakes, its old version and both others' ranks move.
    set_answers(candidates["Charlie"], STRONG)
    scoring.score_evaluation(evaluation.pk)
    pull_and_check()
    latest = [row for row in crm.rows.values() if row["is_latest"]]
    assert sorted(row["rank"] for row in latest if row["evaluation"] == evaluation.pk) == [1, 1, 3]

    # The decision shows on every row of the evaluation.
    lifecycle.change_status(evaluation, user=None, status=EvaluationStatus.SCORING)
    decisions.decide(
        evaluation, user=None, award={"all": candidates["Charlie"].pk}, rationale="Best"
    )
    lifecycle.change_status(other, user=None, status=EvaluationStatus.CANCELLED)
    delivered = pull_and_check()
    assert delivered == set(crm.rows)
    shown = {(row["provider_name"], row["is_latest"]): row["decision"] for row in crm.rows.values()}
    assert shown == {
        ("Alpha Prime", True): "not_awarded",
        ("Alpha Prime", False): "not_awarded",  # its name is an input: rescored
        ("Bravo", True): "not_awarded",
        ("Charlie", True): "awarded",
        ("Charlie", False): "awarded",
        ("Solo", True): "cancelled",
    }


def test_the_feeds_share_cursors_and_tombstones(admin_client, organization):
    _, candidates = evaluation_of(organization, {"Alpha": STRONG, "Bravo": WEAK})
    explained = admin_client.get("/api/v1/scorecards/sync/").json()
    cursor = explained["next_cursor"]
    assert admin_client.get(f"{FLAT}sync/", {"cursor": cursor}).json()["results"] == []
    crm = SyncingClient(admin_client, route=f"{FLAT}sync/")
    crm.pull()
    removed = set(
        Scorecard.objects.filter(candidate=candidates["Alpha"]).values_list("pk", flat=True)
    )
    lifecycle.remove_candidate(candidates["Alpha"], user=None)
    crm.pull()
    assert removed.isdisjoint(crm.rows)
    assert [(row["provider_name"], row["rank"]) for row in crm.rows.values()] == [("Bravo", 1)]


@pytest.mark.parametrize("route", [FLAT, f"{FLAT}sync/"])
def test_pages_run_a_constant_number_of_queries(admin_client, organization, count_queries, route):
    evaluation_of(organization, {"Alpha": STRONG})
    admin_client.get(route)  # warm up

    def measure(size):
        with count_queries() as queries:
            response = admin_client.get(route, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        return len(queries)

    small = measure(1)
    _, candidates = evaluation_of(organization, {f"P{i}": WEAK for i in range(6)})
    for candidate in candidates.values():
        admin_client.patch(
            f"/api/v1/providers/{candidate.provider_id}/",
            {"external_ids": {"hubspot": f"h{candidate.pk}", "sf": f"s{candidate.pk}"}},
            format="json",
        )
    assert measure(7) == small


def test_scoped_to_the_organization(make_client, organization, other_organization):
    evaluation_of(other_organization, {"Foreign": STRONG})
    client = make_client(organization=organization)
    assert client.get(FLAT).json()["results"] == []
    assert client.get(f"{FLAT}sync/").json()["results"] == []


def test_a_rename_in_the_django_admin_reaches_syncing_clients(admin_client, organization, rf):
    from django.contrib import admin as django_admin

    from providers.admin import ProviderAdmin
    from providers.models import Provider

    _, candidates = evaluation_of(organization, {"Alpha": STRONG, "Bravo": WEAK})
    crm = SyncingClient(admin_client, route=f"{FLAT}sync/")
    crm.pull()
    provider = Provider.objects.get(pk=candidates["Alpha"].provider_id)
    provider.name = "Alpha Renamed"
    form = type("ChangedForm", (), {"changed_data": ["name"]})()
    ProviderAdmin(Provider, django_admin.site).save_model(rf.post("/"), provider, form, True)
    delivered = crm.pull()
    assert {crm.rows[pk]["provider_name"] for pk in delivered} == {"Alpha Renamed"}
    assert crm.rows == flat_rows(admin_client)
