"""An evaluation's lots and pricing settings over the API: every rule a 400 naming the
field, the If-Match and status rules of scoring settings, bids that follow lot changes."""

import pytest

from accounts.models import Role
from evaluations.models import AuditEvent, Candidate, Evaluation
from tests.evaluations.builders import make_version
from tests.evaluations.sourcing import (
    LOTS,
    REQUIRED,
    candidate,
    fields_of,
    messages_of,
    patch,
    proposal,
    sourcing_evaluation,
    url_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(admin_client):
    return sourcing_evaluation(admin_client.organization, admin_client.membership)


def lot(code, models, **extra):
    return {"code": code, "title": code.title(), "service_models": models, "weight": 1, **extra}


def test_lots_are_set_on_creation_and_shown(admin_client):
    version = make_version(admin_client.organization)
    body = {
        "name": "Split the services",
        "questionnaire_version": version.pk,
        "required_service_models": REQUIRED,
        "lots": LOTS,
    }
    response = admin_client.post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 201, response.content
    shown = response.json()
    assert shown["lots"] == LOTS
    assert (shown["currency"], shown["horizon_months"], shown["quantities"]) == ("", 36, {})
    assert shown["price_weight"] == "0.0000"
    assert Evaluation.objects.get(pk=shown["id"]).lots == LOTS


def test_creation_refuses_lots_that_break_the_rules(admin_client):
    version = make_version(admin_client.organization)
    body = {"name": "X", "questionnaire_version": version.pk, "lots": LOTS}
    response = admin_client.post("/api/v1/evaluations/", body, format="json")
    assert response.status_code == 400
    assert fields_of(response) == {"lots[0].service_models", "lots[1].service_models"}
    assert not Evaluation.objects.exists()


def test_changing_lots_is_audited(admin_client, evaluation):
    new = [lot("ops", ["msp", "mssp"]), lot("advice", ["vciso"], weight=2.5)]
    response = patch(admin_client, url_of(evaluation), {"lots": new})
    assert response.status_code == 200, response.content
    assert response.json()["lots"] == [{**new[0], "weight": 1.0}, new[1]]
    event = AuditEvent.objects.get(evaluation=evaluation, action="evaluation.lots")
    assert (event.old_value, event.new_value) == (LOTS, response.json()["lots"])


@pytest.mark.parametrize(
    ("lots", "field", "words"),
    [
        ([lot("IT", ["msp"]), lot("sec", ["mssp", "vciso"])], "lots[0].code", "lower-case"),
        ([lot("all", ["msp"]), lot("sec", ["mssp", "vciso"])], "lots[0].code", "reserved"),
        ([lot("it", ["msp"]), lot("it", ["mssp", "vciso"])], "lots[1].code", "twice"),
        ([lot("it", ["msp"], title=" "), lot("sec", ["mssp", "vciso"])], "lots[0].title", ""),
        (
            [lot("it", ["msp"], title="x" * 201), lot("sec", ["mssp", "vciso"])],
            "lots[0].title",
            "200",
        ),
        ([lot("it", []), lot("sec", ["msp", "mssp", "vciso"])], "lots[0].service_models", ""),
        (
            [lot("it", ["msp", "noc"]), lot("sec", ["mssp", "vciso"])],
            "lots[0].service_models",
            "noc",
        ),
        (
            [lot("it", ["msp", "msp"]), lot("s", ["mssp", "vciso"])],
            "lots[0].service_models",
            "twice",
        ),
        ([lot("it", ["msp"], weight=0), lot("sec", ["mssp", "vciso"])], "lots[0].weight", ""),
        ([lot("it", ["msp"], weight=1001), lot("sec", ["mssp", "vciso"])], "lots[0].weight", ""),
        (
            [lot("it", ["msp", "mssp"]), lot("sec", ["mssp", "vciso"])],
            "lots[1].service_models",
            "`sec` holds `mssp`",
        ),
        (
            [lot("it", ["msp"]), lot("sec", ["mssp", "vciso"]), lot("cio", ["vcio"])],
            "lots[2].service_models",
            "`cio` holds `vcio`",
        ),
        ([lot("it", ["msp"]), lot("sec", ["mssp"])], "lots", "No lot holds `vciso`"),
        ([lot("it", ["msp"], colour="red"), lot("sec", ["mssp", "vciso"])], "lots[0].colour", ""),
        ([lot("it", ["msp"])] * 11, "lots", ""),
        ([{"code": "it", "title": "IT", "service_models": ["msp"]}], "lots[0].weight", ""),
    ],
    ids=[
        "code-case",
        "code-all",
        "code-twice",
        "title-blank",
        "title-long",
        "models-empty",
        "model-unknown",
        "model-twice",
        "weight-0",
        "weight-1001",
        "overlap",
        "not-required",
        "uncovered",
        "unknown-key",
        "too-many",
        "weight-missing",
    ],
)
def test_every_lot_rule_is_a_400_naming_the_field(admin_client, evaluation, lots, field, words):
    response = patch(admin_client, url_of(evaluation), {"lots": lots})
    assert response.status_code == 400, response.content
    assert field in fields_of(response), response.json()
    assert words in messages_of(response)
    evaluation.refresh_from_db()
    assert evaluation.lots == LOTS


def test_changing_the_required_models_checks_the_lots_again(admin_client, evaluation):
    response = patch(admin_client, url_of(evaluation), {"required_service_models": ["msp", "mssp"]})
    assert response.status_code == 400
    assert fields_of(response) == {"lots[1].service_models"}
    assert "`vciso`" in messages_of(response)
    both = {"required_service_models": ["msp", "mssp"], "lots": [lot("all-in", ["msp", "mssp"])]}
    assert patch(admin_client, url_of(evaluation), both).status_code == 200


def test_no_lots_is_v1_and_the_required_models_then_change_freely(admin_client, evaluation):
    assert patch(admin_client, url_of(evaluation), {"lots": []}).status_code == 200
    response = patch(admin_client, url_of(evaluation), {"required_service_models": ["vcio"]})
    assert response.status_code == 200
    assert response.json()["lots"] == []


def test_lots_need_if_match_like_the_other_settings(admin_client, evaluation):
    url = url_of(evaluation)
    stale = admin_client.get(url)["ETag"]
    missing = admin_client.patch(url, {"lots": []}, format="json")
    assert missing.status_code == 428
    assert patch(admin_client, url, {"horizon_months": 24}).status_code == 200
    response = admin_client.patch(url, {"lots": []}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    evaluation.refresh_from_db()
    assert evaluation.lots == LOTS


@pytest.mark.parametrize("status", ["scoring", "decided", "cancelled"])
@pytest.mark.parametrize(
    "body",
    [{"lots": []}, {"currency": "USD"}, {"horizon_months": 12}, {"quantities": {}}],
    ids=["lots", "currency", "horizon", "quantities"],
)
def test_sourcing_settings_change_only_in_draft_and_collecting(admin_client, status, body):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status=status
    )
    response = patch(admin_client, url_of(evaluation), body)
    assert response.status_code == 409, response.content
    assert Evaluation.objects.get(pk=evaluation.pk).lots == LOTS


def test_collecting_allows_the_sourcing_settings(admin_client):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status="collecting"
    )
    body = {"lots": [], "currency": "USD", "horizon_months": 60, "quantities": {"site": 3}}
    response = patch(admin_client, url_of(evaluation), body)
    assert response.status_code == 200, response.content


def test_the_price_weight_may_change_while_scoring_but_not_once_decided(admin_client):
    evaluation = sourcing_evaluation(
        admin_client.organization, admin_client.membership, status="scoring"
    )
    response = patch(admin_client, url_of(evaluation), {"price_weight": "0.3"})
    assert response.status_code == 200, response.content
    assert response.json()["price_weight"] == "0.3000"
    event = AuditEvent.objects.get(evaluation=evaluation, action="evaluation.price_weight")
    assert (event.old_value, event.new_value) == ("0.0000", "0.3000")
    Evaluation.objects.filter(pk=evaluation.pk).update(status="decided")
    assert patch(admin_client, url_of(evaluation), {"price_weight": 0.1}).status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "eur"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "E1R"}, "currency"),
        ({"horizon_months": 0}, "horizon_months"),
        ({"horizon_months": 121}, "horizon_months"),
        ({"horizon_months": 12.5}, "horizon_months"),
        ({"quantities": {"User": 1}}, "quantities"),
        ({"quantities": {"x" * 41: 1}}, "quantities"),
        ({"quantities": {f"u{i}": 1 for i in range(21)}}, "quantities"),
        ({"quantities": {"user": -1}}, "quantities.user"),
        ({"quantities": {"user": 10**9 + 1}}, "quantities.user"),
        ({"quantities": {"user": 1.5}}, "quantities.user"),
        ({"quantities": ["user"]}, "quantities"),
        ({"price_weight": 1}, "price_weight"),
        ({"price_weight": "-0.1"}, "price_weight"),
        ({"price_weight": "0.12345"}, "price_weight"),
        ({"price_weight": True}, "price_weight"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_bad_pricing_settings_are_a_400_naming_the_field(admin_client, evaluation, body, field):
    response = patch(admin_client, url_of(evaluation), body)
    assert response.status_code == 400, response.content
    assert field in fields_of(response), response.json()


def test_pricing_settings_are_stored_and_audited(admin_client, evaluation):
    body = {
        "currency": "USD",
        "horizon_months": 120,
        "quantities": {"user": 10**9, "site": 0},
        "price_weight": 0.9999,
    }
    response = patch(admin_client, url_of(evaluation), body)
    assert response.status_code == 200, response.content
    shown = response.json()
    assert (shown["currency"], shown["horizon_months"], shown["quantities"]) == (
        "USD",
        120,
        {"user": 10**9, "site": 0},
    )
    assert shown["price_weight"] == "0.9999"
    actions = set(AuditEvent.objects.filter(evaluation=evaluation).values_list("action", flat=True))
    assert {
        "evaluation.currency",
        "evaluation.horizon_months",
        "evaluation.quantities",
        "evaluation.price_weight",
    } <= actions
    assert patch(admin_client, url_of(evaluation), {"currency": ""}).status_code == 200


def test_the_currency_is_fixed_while_proposals_exist(admin_client, evaluation):
    offer = proposal(candidate(evaluation))
    response = patch(admin_client, url_of(evaluation), {"currency": "USD"})
    assert response.status_code == 409
    assert "proposals" in response.json()["detail"]
    assert patch(admin_client, url_of(evaluation), {"currency": "EUR"}).status_code == 200
    offer.delete()
    assert patch(admin_client, url_of(evaluation), {"currency": "USD"}).status_code == 200


def test_a_unit_a_proposal_prices_stays_in_the_quantities(admin_client, evaluation):
    offer = proposal(
        candidate(evaluation), unit_prices=[{"unit": "device", "monthly_price": "4.00"}]
    )
    response = patch(admin_client, url_of(evaluation), {"quantities": {"user": 100}})
    assert response.status_code == 400
    assert fields_of(response) == {"quantities"}
    assert f"Proposal {offer.pk}" in messages_of(response)
    body = {"quantities": {"device": 90}}
    assert patch(admin_client, url_of(evaluation), body).status_code == 200


def test_derived_bids_follow_a_lot_change_and_are_audited(admin_client, evaluation):
    everything = candidate(evaluation)
    security = candidate(evaluation, ("mssp", "vciso"))
    assert (everything.lots, security.lots) == (["it", "security"], ["security"])
    new = [lot("ops", ["msp", "mssp"]), lot("advice", ["vciso"])]
    assert patch(admin_client, url_of(evaluation), {"lots": new}).status_code == 200
    everything.refresh_from_db()
    security.refresh_from_db()
    assert (everything.lots, security.lots) == (["ops", "advice"], ["advice"])
    events = AuditEvent.objects.filter(evaluation=evaluation, action="candidate.lots")
    assert {(e.candidate_id, str(e.old_value), e.new_value["source"]) for e in events} == {
        (everything.pk, "['it', 'security']", "default"),
        (security.pk, "['security']", "default"),
    }


def test_an_explicit_bid_on_a_removed_lot_refuses_the_change(admin_client, evaluation):
    named = candidate(evaluation, ("msp",), lots=["security"], source="explicit")
    kept = candidate(evaluation, ("msp",), lots=["it"], source="explicit")
    new = [lot("it", ["msp"]), lot("advice", ["mssp", "vciso"])]
    response = patch(admin_client, url_of(evaluation), {"lots": new})
    assert response.status_code == 400
    assert fields_of(response) == {"lots"}
    message = messages_of(response)
    assert f"Candidate {named.pk}" in message and "`security`" in message
    assert f"Candidate {kept.pk}" not in message
    named.refresh_from_db()
    assert named.lots == ["security"]
    assert Evaluation.objects.get(pk=evaluation.pk).lots == LOTS


def test_explicit_bids_stay_as_named_when_their_lots_remain(admin_client, evaluation):
    named = candidate(evaluation, ("msp",), lots=["security"], source="explicit")
    new = [lot("security", ["mssp", "vciso"]), lot("it", ["msp"])]
    assert patch(admin_client, url_of(evaluation), {"lots": new}).status_code == 200
    named.refresh_from_db()
    assert (named.lots, named.bid_source) == (["security"], "explicit")


def test_a_derived_bid_left_empty_refuses_the_change(admin_client, evaluation):
    msp_only = candidate(evaluation, ("msp",))
    new = [lot("mixed", ["msp", "mssp"]), lot("advice", ["vciso"])]
    response = patch(admin_client, url_of(evaluation), {"lots": new})
    assert response.status_code == 400
    assert f"Candidate {msp_only.pk}" in messages_of(response)
    assert "no lot" in messages_of(response)


def test_a_proposal_on_a_removed_lot_refuses_the_change(admin_client, evaluation):
    offer = proposal(candidate(evaluation), lots=["security"])
    new = [lot("it", ["msp"]), lot("sec", ["mssp", "vciso"])]
    response = patch(admin_client, url_of(evaluation), {"lots": new})
    assert response.status_code == 400
    assert f"Proposal {offer.pk}" in messages_of(response)
    assert "`security`" in messages_of(response)


def test_going_back_to_no_lots_puts_everyone_on_all(admin_client, evaluation):
    named = candidate(evaluation, ("msp",), lots=["security"], source="explicit")
    derived = candidate(evaluation)
    assert patch(admin_client, url_of(evaluation), {"lots": []}).status_code == 200
    rows = Candidate.objects.filter(pk__in=[named.pk, derived.pk])
    assert {(c.lots[0], c.bid_source) for c in rows} == {("all", "default")}
    assert len(rows) == 2


def test_no_lots_with_a_proposal_on_a_lot_is_refused(admin_client, evaluation):
    offer = proposal(candidate(evaluation), lots=["it"])
    response = patch(admin_client, url_of(evaluation), {"lots": []})
    assert response.status_code == 400
    assert f"Proposal {offer.pk}" in messages_of(response)


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
def test_only_admins_change_lots(make_client, admin_client, evaluation, role):
    client = make_client(role, admin_client.organization)
    assert patch(client, url_of(evaluation), {"lots": []}).status_code == 403
    assert Evaluation.objects.get(pk=evaluation.pk).lots == LOTS


def test_another_organizations_evaluation_is_not_found(make_client, evaluation):
    stranger = make_client(Role.ADMIN)
    url = url_of(evaluation)
    assert stranger.get(url).status_code == 404
    response = stranger.patch(url, {"lots": []}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 404
