"""Proposals over the API: what they may cover and price, their status and role rules,
their audit trail, and a list whose query count does not grow with the page."""

from decimal import Decimal

import pytest

from accounts.models import Role
from evaluations.models import AuditEvent, Evaluation, Proposal
from evaluations.services.proposals import MAX_PROPOSALS, proposal_data
from tests.evaluations.sourcing import (
    candidate,
    fields_of,
    messages_of,
    patch,
    proposal,
    read_token_client,
    sourcing_evaluation,
    url_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(admin_client):
    return sourcing_evaluation(admin_client.organization, admin_client.membership)


@pytest.fixture
def bidder(evaluation):
    return candidate(evaluation)


def offer(bidder, **body):
    return {
        "candidate": bidder.pk,
        "lots": ["security"],
        "one_time": "2500",
        "monthly": 800,
        **body,
    }


def create(client, evaluation, body):
    return client.post(f"{url_of(evaluation)}proposals/", body, format="json")


def test_a_proposal_is_created_in_the_evaluations_currency_and_audited(
    admin_client, evaluation, bidder
):
    body = offer(
        bidder,
        lots=["it", "security"],
        unit_prices=[
            {"unit": "user", "monthly_price": "12.5"},
            {"unit": "device", "monthly_price": 3},
        ],
        annual_increase_pct="3.5",
        term_months=36,
        notes="Bundle price.",
    )
    response = create(admin_client, evaluation, body)
    assert response.status_code == 201, response.content
    shown = response.json()
    assert {
        key: value for key, value in shown.items() if key not in ("created_at", "updated_at")
    } == {
        "id": shown["id"],
        "candidate": bidder.pk,
        "lots": ["it", "security"],
        "one_time": "2500.00",
        "monthly": "800.00",
        "unit_prices": [
            {"unit": "user", "monthly_price": "12.50"},
            {"unit": "device", "monthly_price": "3.00"},
        ],
        "annual_increase_pct": "3.50",
        "term_months": 36,
        "currency": "EUR",
        "notes": "Bundle price.",
        # M = 800 + 12.50 x 100 users + 3 x 150 devices; over 36 months at +3.5 % a
        # year: 2500 once + 12 x 2500 x (1 + 1.035 + 1.035^2).
        "monthly_total": "2500.00",
        "tco": "95686.75",
    }
    stored = Proposal.objects.get(pk=shown["id"])
    event = AuditEvent.objects.get(evaluation=evaluation, action="proposal.created")
    assert event.candidate_id == bidder.pk
    assert event.new_value == proposal_data(stored)
    assert event.new_value["unit_prices"][0] == {"unit": "user", "monthly_price": "12.50"}


def test_the_plain_shape_is_exact_decimal_text(bidder):
    stored = proposal(bidder, one_time="0.1", monthly="1234567890.99", annual_increase_pct="2")
    stored.refresh_from_db()
    assert proposal_data(stored) == {
        "id": stored.pk,
        "candidate": bidder.pk,
        "lots": ["it", "security"],
        "one_time": "0.10",
        "monthly": "1234567890.99",
        "unit_prices": [],
        "annual_increase_pct": "2.00",
        "term_months": None,
        "currency": "EUR",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lots": []}, "lots"),
        ({"lots": ["ops"]}, "lots[0]"),
        ({"lots": ["security", "security"]}, "lots[1]"),
        ({"lots": ["all"]}, "lots[0]"),
        ({"one_time": "10.001"}, "one_time"),
        ({"one_time": 0.005}, "one_time"),
        ({"monthly": "-1"}, "monthly"),
        ({"monthly": "1000000000000"}, "monthly"),
        ({"monthly": "ten"}, "monthly"),
        ({"monthly": True}, "monthly"),
        ({"unit_prices": [{"unit": "site", "monthly_price": 1}]}, "unit_prices[0].unit"),
        (
            {
                "unit_prices": [
                    {"unit": "user", "monthly_price": 1},
                    {"unit": "user", "monthly_price": 2},
                ]
            },
            "unit_prices[1].unit",
        ),
        (
            {"unit_prices": [{"unit": "user", "monthly_price": "1.234"}]},
            "unit_prices[0].monthly_price",
        ),
        ({"unit_prices": [{"unit": "user", "monthly_price": -2}]}, "unit_prices[0].monthly_price"),
        ({"unit_prices": [{"unit": "user"}]}, "unit_prices[0].monthly_price"),
        (
            {"unit_prices": [{"unit": "user", "monthly_price": 1, "vat": 2}]},
            "unit_prices[0].vat",
        ),
        ({"unit_prices": [{"unit": "user", "monthly_price": 1}] * 21}, "unit_prices"),
        ({"annual_increase_pct": "100.01"}, "annual_increase_pct"),
        ({"annual_increase_pct": -1}, "annual_increase_pct"),
        ({"annual_increase_pct": "1.005"}, "annual_increase_pct"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 241}, "term_months"),
        ({"currency": "USD"}, "currency"),
        ({"notes": "x" * 5001}, "notes"),
        ({"discount": 5}, "discount"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_every_proposal_rule_is_a_400_naming_the_field(
    admin_client, evaluation, bidder, change, field
):
    response = create(admin_client, evaluation, offer(bidder, **change))
    assert response.status_code == 400, response.content
    assert field in fields_of(response), response.json()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("left_out", ["candidate", "lots", "one_time", "monthly"])
def test_required_fields(admin_client, evaluation, bidder, left_out):
    body = offer(bidder)
    del body[left_out]
    response = create(admin_client, evaluation, body)
    assert response.status_code == 400
    assert fields_of(response) == {left_out}


def test_bounds_that_pass(admin_client, evaluation, bidder):
    body = offer(
        bidder,
        one_time="999999999999.99",
        monthly=0,
        annual_increase_pct=100,
        term_months=240,
        unit_prices=[{"unit": "user", "monthly_price": "0"}],
        notes="x" * 5000,
    )
    response = create(admin_client, evaluation, body)
    assert response.status_code == 201, response.content


def test_a_lot_outside_the_candidates_bid_is_named(admin_client, evaluation):
    security_only = candidate(evaluation, ("mssp", "vciso"))
    response = create(admin_client, evaluation, offer(security_only, lots=["it"]))
    assert response.status_code == 400
    assert fields_of(response) == {"lots[0]"}
    assert "does not bid on lot `it`" in messages_of(response)


def test_without_lots_a_proposal_covers_all(admin_client):
    evaluation = sourcing_evaluation(admin_client.organization, admin_client.membership, lots=[])
    bidder = candidate(evaluation)
    assert bidder.lots == ["all"]
    response = create(admin_client, evaluation, offer(bidder, lots=["all"]))
    assert (response.status_code, response.json()["lots"]) == (201, ["all"])


def test_an_evaluation_without_currency_takes_no_proposal(admin_client):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, currency=""
    )
    bidder = candidate(evaluation)
    for body in (offer(bidder), offer(bidder, currency="EUR")):
        response = create(admin_client, evaluation, body)
        assert response.status_code == 400
        assert fields_of(response) == {"currency"}
        assert "Set the evaluation's currency" in messages_of(response)


def test_a_candidate_of_another_evaluation_is_refused(admin_client, evaluation):
    elsewhere = candidate(sourcing_evaluation(admin_client.organization, admin_client.membership))
    response = create(admin_client, evaluation, offer(elsewhere))
    assert response.status_code == 400
    assert fields_of(response) == {"candidate"}


def test_a_candidate_holds_at_most_twenty_proposals(admin_client, evaluation, bidder):
    for _ in range(MAX_PROPOSALS):
        proposal(bidder)
    response = create(admin_client, evaluation, offer(bidder))
    assert response.status_code == 409
    assert Proposal.objects.filter(candidate=bidder).count() == MAX_PROPOSALS
    other = candidate(evaluation)
    assert create(admin_client, evaluation, offer(other)).status_code == 201


def test_an_idempotency_key_replays_the_creation(admin_client, evaluation, bidder):
    url = f"{url_of(evaluation)}proposals/"
    first = admin_client.post(url, offer(bidder), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = admin_client.post(url, offer(bidder), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Proposal.objects.count() == 1


def test_a_change_needs_if_match_is_audited_and_keeps_the_candidate(
    admin_client, evaluation, bidder
):
    stored = proposal(bidder, lots=["it"])
    url = f"{url_of(evaluation)}proposals/{stored.pk}/"
    assert admin_client.patch(url, {"monthly": "1"}, format="json").status_code == 428
    stale = admin_client.get(url)["ETag"]
    other = candidate(evaluation)
    body = {"monthly": "450.5", "lots": ["it", "security"], "candidate": other.pk}
    response = patch(admin_client, url, body)
    assert response.status_code == 200, response.content
    assert response.json()["monthly"] == "450.50"
    assert response.json()["candidate"] == bidder.pk
    assert response["ETag"] == admin_client.get(url)["ETag"]
    event = AuditEvent.objects.get(evaluation=evaluation, action="proposal.updated")
    assert (event.old_value["monthly"], event.new_value["monthly"]) == ("500.00", "450.50")
    assert event.new_value["lots"] == ["it", "security"]
    late = admin_client.patch(url, {"monthly": "1"}, format="json", HTTP_IF_MATCH=stale)
    assert late.status_code == 412
    assert Proposal.objects.get(pk=stored.pk).monthly == 450.5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lots": ["ops"]}, "lots[0]"),
        ({"unit_prices": [{"unit": "site", "monthly_price": 1}]}, "unit_prices[0].unit"),
        ({"currency": "USD"}, "currency"),
        ({"monthly": "1.999"}, "monthly"),
        ({"candidat": 1}, "candidat"),
    ],
)
def test_a_bad_change_is_a_400_naming_the_field(admin_client, evaluation, bidder, change, field):
    stored = proposal(bidder)
    response = patch(admin_client, f"{url_of(evaluation)}proposals/{stored.pk}/", change)
    assert response.status_code == 400
    assert field in fields_of(response)
    assert Proposal.objects.get(pk=stored.pk).lots == ["it", "security"]


def test_deleting_is_audited(admin_client, evaluation, bidder):
    stored = proposal(bidder)
    data = proposal_data(Proposal.objects.get(pk=stored.pk))
    response = admin_client.delete(f"{url_of(evaluation)}proposals/{stored.pk}/")
    assert response.status_code == 204
    assert not Proposal.objects.exists()
    event = AuditEvent.objects.get(evaluation=evaluation, action="proposal.deleted")
    assert (event.candidate_id, event.old_value) == (bidder.pk, data)


def test_removing_a_candidate_takes_its_proposals_and_says_so(admin_client, evaluation, bidder):
    stored = proposal(bidder)
    response = admin_client.delete(f"{url_of(evaluation)}candidates/{bidder.pk}/")
    assert response.status_code == 204
    assert not Proposal.objects.exists()
    event = AuditEvent.objects.get(evaluation=evaluation, action="proposal.deleted")
    assert event.old_value["id"] == stored.pk


@pytest.mark.parametrize("status", ["scoring", "decided", "cancelled"])
def test_proposals_change_only_in_draft_and_collecting(admin_client, status):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status="collecting"
    )
    bidder = candidate(evaluation)
    stored = proposal(bidder)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    url = f"{url_of(evaluation)}proposals/"
    assert create(admin_client, evaluation, offer(bidder)).status_code == 409
    assert patch(admin_client, f"{url}{stored.pk}/", {"monthly": 1}).status_code == 409
    assert admin_client.delete(f"{url}{stored.pk}/").status_code == 409
    assert Proposal.objects.get().monthly == 500
    assert admin_client.get(f"{url}{stored.pk}/").status_code == 200


def test_proposals_change_while_collecting(admin_client):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status="collecting"
    )
    assert create(admin_client, evaluation, offer(candidate(evaluation))).status_code == 201


def test_the_lead_and_other_admins_write(make_client, admin_client, evaluation, bidder):
    other_admin = make_client(Role.ADMIN, admin_client.organization)
    for client in (admin_client, other_admin):
        assert create(client, evaluation, offer(bidder)).status_code == 201
    stored = Proposal.objects.first()
    assert patch(other_admin, f"{url_of(evaluation)}proposals/{stored.pk}/", {}).status_code == 200


@pytest.mark.parametrize("who", ["evaluator", "viewer", "read-token"])
def test_evaluators_viewers_and_read_tokens_only_read(
    make_client, admin_client, evaluation, bidder, who
):
    organization = admin_client.organization
    client = (
        read_token_client(organization)
        if who == "read-token"
        else make_client({"evaluator": Role.EVALUATOR, "viewer": Role.VIEWER}[who], organization)
    )
    stored = proposal(bidder)
    url = f"{url_of(evaluation)}proposals/"
    assert [p["id"] for p in client.get(url).json()["results"]] == [stored.pk]
    read = client.get(f"{url}{stored.pk}/")
    assert read.status_code == 200
    assert create(client, evaluation, offer(bidder)).status_code == 403
    body = {"monthly": 1}
    assert (
        client.patch(f"{url}{stored.pk}/", body, format="json", HTTP_IF_MATCH=read["ETag"])
    ).status_code == 403
    assert client.delete(f"{url}{stored.pk}/").status_code == 403
    assert Proposal.objects.get().monthly == 500


def test_another_organizations_evaluation_and_proposals_are_not_found(
    make_client, evaluation, bidder
):
    stored = proposal(bidder)
    stranger = make_client(Role.ADMIN)
    url = f"{url_of(evaluation)}proposals/"
    assert stranger.get(url).status_code == 404
    assert create(stranger, evaluation, offer(bidder)).status_code == 404
    assert stranger.get(f"{url}{stored.pk}/").status_code == 404
    mine = sourcing_evaluation(stranger.organization, stranger.membership)
    foreign = f"{url_of(mine)}proposals/{stored.pk}/"
    assert stranger.get(foreign).status_code == 404
    assert stranger.patch(foreign, {}, format="json", HTTP_IF_MATCH="*").status_code == 404
    assert stranger.delete(foreign).status_code == 404
    assert create(stranger, mine, offer(bidder)).status_code == 400
    assert Proposal.objects.count() == 1


def test_the_list_filters_by_candidate(admin_client, evaluation, bidder):
    other = candidate(evaluation)
    mine = proposal(bidder)
    theirs = proposal(other)
    url = f"{url_of(evaluation)}proposals/"
    assert [p["id"] for p in admin_client.get(url).json()["results"]] == [mine.pk, theirs.pk]
    found = admin_client.get(url, {"candidate": other.pk}).json()["results"]
    assert [p["id"] for p in found] == [theirs.pk]
    assert admin_client.get(url, {"candidate": "x"}).status_code == 400


def test_the_list_query_count_does_not_grow_with_the_page(admin_client, evaluation, count_queries):
    for _ in range(6):
        proposal(candidate(evaluation), unit_prices=[{"unit": "user", "monthly_price": "1.00"}])
    url = f"{url_of(evaluation)}proposals/"
    admin_client.get(url, {"page_size": 1})  # warm: the token's last use is written once
    with count_queries() as small:
        assert admin_client.get(url, {"page_size": 1}).status_code == 200
    with count_queries() as large:
        response = admin_client.get(url, {"page_size": 6})
    assert len(response.json()["results"]) == 6
    assert len(small) == len(large)


def test_tco_follows_the_horizon_and_is_null_when_a_unit_is_gone(admin_client, evaluation, bidder):
    created = create(
        admin_client,
        evaluation,
        offer(bidder, unit_prices=[{"unit": "device", "monthly_price": "2.00"}]),
    ).json()
    url = f"/api/v1/evaluations/{evaluation.pk}/proposals/{created['id']}/"
    listed = admin_client.get(f"/api/v1/evaluations/{evaluation.pk}/proposals/").json()
    row = next(r for r in listed["results"] if r["id"] == created["id"])
    assert row["tco"] == created["tco"]
    Evaluation.objects.filter(pk=evaluation.pk).update(horizon_months=12)
    shown = admin_client.get(url).json()
    monthly = Decimal(shown["monthly"]) + 2 * 150
    assert shown["tco"] == str(Decimal(shown["one_time"]) + 12 * monthly)
    Evaluation.objects.filter(pk=evaluation.pk).update(quantities={"user": 100})
    assert admin_client.get(url).json()["tco"] is None
