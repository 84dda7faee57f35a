"""Candidates' bids over the API: the v2 default, named lots, changes and who may make them."""

import pytest

from accounts.models import Role
from evaluations.models import AuditEvent, Candidate
from tests.evaluations.sourcing import (
    candidate,
    fields_of,
    messages_of,
    patch,
    proposal,
    provider,
    read_token_client,
    sourcing_evaluation,
    url_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(admin_client):
    return sourcing_evaluation(admin_client.organization, admin_client.membership)


def add(client, evaluation, provider_row, **body):
    return client.post(
        f"{url_of(evaluation)}candidates/", {"provider": provider_row.pk, **body}, format="json"
    )


@pytest.mark.parametrize(
    ("offered", "bid"),
    [
        (("msp", "mssp", "vciso"), ["it", "security"]),
        (("mssp", "vciso", "vcio"), ["security"]),
        (("msp",), ["it"]),
    ],
)
def test_the_default_bid_is_every_lot_the_provider_fully_offers(
    admin_client, evaluation, offered, bid
):
    response = add(admin_client, evaluation, provider(admin_client.organization, *offered))
    assert response.status_code == 201, response.content
    assert (response.json()["lots"], response.json()["bid_source"]) == (bid, "default")
    assert Candidate.objects.get(pk=response.json()["id"]).lots == bid
    event = AuditEvent.objects.get(evaluation=evaluation, action="candidate.added")
    assert event.new_value["lots"] == bid


@pytest.mark.parametrize("body", [{}, {"lots": None}], ids=["left-out", "null"])
def test_a_provider_fully_offering_no_lot_must_name_its_lots(admin_client, evaluation, body):
    mssp_only = provider(admin_client.organization, "mssp", name="Half SOC")
    response = add(admin_client, evaluation, mssp_only, **body)
    assert response.status_code == 400
    assert fields_of(response) == {"lots"}
    assert "name the lots" in messages_of(response) and "Half SOC" in messages_of(response)
    named = add(admin_client, evaluation, mssp_only, lots=["security"])
    assert named.status_code == 201, named.content
    assert (named.json()["lots"], named.json()["bid_source"]) == (["security"], "explicit")


def test_an_explicit_bid_may_name_any_lot_in_lot_order(admin_client, evaluation):
    msp_only = provider(admin_client.organization, "msp")
    response = add(admin_client, evaluation, msp_only, lots=["security", "it"])
    assert response.status_code == 201
    assert response.json()["lots"] == ["it", "security"]


@pytest.mark.parametrize(
    ("lots", "field"),
    [([], "lots"), (["ops"], "lots[0]"), (["it", "it"], "lots[1]"), (["all"], "lots[0]")],
)
def test_a_bad_explicit_bid_is_a_400_naming_it(admin_client, evaluation, lots, field):
    response = add(admin_client, evaluation, provider(admin_client.organization, "msp"), lots=lots)
    assert response.status_code == 400
    assert fields_of(response) == {field}
    assert not evaluation.candidates.exists()


def test_without_lots_every_candidate_bids_on_all(admin_client):
    evaluation = sourcing_evaluation(admin_client.organization, admin_client.membership, lots=[])
    nothing = provider(admin_client.organization)
    response = add(admin_client, evaluation, nothing)
    assert (response.status_code, response.json()["lots"]) == (201, ["all"])
    listed = admin_client.get(f"{url_of(evaluation)}candidates/").json()["results"]
    assert [c["lots"] for c in listed] == [["all"]]
    other = add(admin_client, evaluation, provider(admin_client.organization), lots=["all"])
    assert (other.json()["lots"], other.json()["bid_source"]) == (["all"], "default")
    refused = add(admin_client, evaluation, provider(admin_client.organization), lots=["it"])
    assert refused.status_code == 400 and fields_of(refused) == {"lots[0]"}


def test_a_bid_changes_with_if_match_and_is_audited(admin_client, evaluation):
    row = candidate(evaluation)
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    assert admin_client.patch(url, {"lots": ["it"]}, format="json").status_code == 428
    stale = admin_client.get(url)["ETag"]
    response = patch(admin_client, url, {"lots": ["it"]})
    assert response.status_code == 200, response.content
    assert (response.json()["lots"], response.json()["bid_source"]) == (["it"], "explicit")
    assert response["ETag"] == admin_client.get(url)["ETag"]
    event = AuditEvent.objects.get(evaluation=evaluation, action="candidate.lots")
    assert (event.candidate_id, event.old_value, event.new_value) == (
        row.pk,
        ["it", "security"],
        {"lots": ["it"], "source": "explicit"},
    )
    late = admin_client.patch(url, {"lots": ["security"]}, format="json", HTTP_IF_MATCH=stale)
    assert late.status_code == 412


def test_the_same_bid_sent_back_changes_nothing(admin_client, evaluation):
    row = candidate(evaluation)
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    response = patch(admin_client, url, {"lots": ["security", "it"]})
    assert (response.status_code, response.json()["bid_source"]) == (200, "default")
    assert not AuditEvent.objects.filter(action="candidate.lots").exists()


def test_null_derives_the_bid_again(admin_client, evaluation):
    row = candidate(evaluation, lots=["it"], source="explicit")
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    response = patch(admin_client, url, {"lots": None})
    assert response.status_code == 200
    assert (response.json()["lots"], response.json()["bid_source"]) == (
        ["it", "security"],
        "default",
    )


def test_null_makes_an_equal_named_bid_derived_again(admin_client, evaluation):
    row = candidate(evaluation, lots=["it", "security"], source="explicit")
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    response = patch(admin_client, url, {"lots": None})
    assert (response.json()["lots"], response.json()["bid_source"]) == (
        ["it", "security"],
        "default",
    )
    event = AuditEvent.objects.get(action="candidate.lots")
    assert event.new_value == {"lots": ["it", "security"], "source": "default"}


def test_the_provider_of_a_candidate_is_not_changed_by_a_patch(admin_client, evaluation):
    row = candidate(evaluation)
    other = provider(admin_client.organization, "msp")
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    response = patch(admin_client, url, {"provider": other.pk, "lots": ["it"]})
    assert response.status_code == 200
    assert Candidate.objects.get(pk=row.pk).provider_id == row.provider_id


@pytest.mark.parametrize(
    ("lots", "field"), [([], "lots"), (["ops"], "lots[0]"), (["it", "it"], "lots[1]")]
)
def test_a_bad_bid_change_is_a_400_naming_it(admin_client, evaluation, lots, field):
    row = candidate(evaluation)
    response = patch(admin_client, f"{url_of(evaluation)}candidates/{row.pk}/", {"lots": lots})
    assert response.status_code == 400
    assert fields_of(response) == {field}
    assert Candidate.objects.get(pk=row.pk).lots == ["it", "security"]


def test_a_lot_a_proposal_covers_stays_in_the_bid(admin_client, evaluation):
    row = candidate(evaluation)
    offer = proposal(row, lots=["it", "security"])
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    response = patch(admin_client, url, {"lots": ["it"]})
    assert response.status_code == 400
    assert fields_of(response) == {"lots"}
    assert f"Proposal {offer.pk}" in messages_of(response)
    assert "`security`" in messages_of(response)
    assert Candidate.objects.get(pk=row.pk).lots == ["it", "security"]


@pytest.mark.parametrize("status", ["scoring", "decided", "cancelled"])
def test_bids_change_only_in_draft_and_collecting(admin_client, status):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status=status
    )
    row = candidate(evaluation)
    response = patch(admin_client, f"{url_of(evaluation)}candidates/{row.pk}/", {"lots": ["it"]})
    assert response.status_code == 409
    assert Candidate.objects.get(pk=row.pk).lots == ["it", "security"]


def test_bids_change_while_collecting(admin_client):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status="collecting"
    )
    row = candidate(evaluation)
    response = patch(admin_client, f"{url_of(evaluation)}candidates/{row.pk}/", {"lots": ["it"]})
    assert response.status_code == 200


def test_the_lead_and_other_admins_change_bids(make_client, admin_client, evaluation):
    row = candidate(evaluation)
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    assert patch(admin_client, url, {"lots": ["it"]}).status_code == 200  # the lead
    other_admin = make_client(Role.ADMIN, admin_client.organization)
    assert patch(other_admin, url, {"lots": ["security"]}).status_code == 200


@pytest.mark.parametrize("who", ["evaluator", "viewer", "read-token"])
def test_evaluators_viewers_and_read_tokens_read_bids_but_do_not_change_them(
    make_client, admin_client, evaluation, who
):
    organization = admin_client.organization
    client = (
        read_token_client(organization)
        if who == "read-token"
        else make_client({"evaluator": Role.EVALUATOR, "viewer": Role.VIEWER}[who], organization)
    )
    row = candidate(evaluation)
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    read = client.get(url)
    assert (read.status_code, read.json()["lots"]) == (200, ["it", "security"])
    response = client.patch(url, {"lots": ["it"]}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 403
    created = add(client, evaluation, provider(organization, "msp"))
    assert created.status_code == 403
    assert Candidate.objects.get(pk=row.pk).lots == ["it", "security"]


def test_another_organizations_candidate_is_not_found(make_client, evaluation):
    row = candidate(evaluation)
    stranger = make_client(Role.ADMIN)
    url = f"{url_of(evaluation)}candidates/{row.pk}/"
    assert stranger.get(url).status_code == 404
    response = stranger.patch(url, {"lots": ["it"]}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 404
    mine = sourcing_evaluation(stranger.organization, stranger.membership)
    foreign = f"{url_of(mine)}candidates/{row.pk}/"
    assert (
        stranger.patch(foreign, {"lots": ["it"]}, format="json", HTTP_IF_MATCH="*").status_code
        == 404
    )
