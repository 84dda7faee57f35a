"""Contracts over the API: by hand and from a decided award, dates, filters, trail."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Membership, Role
from contracts.models import Contract, ContractEvent
from evaluations.models import Evaluation
from tests.evaluations.sourcing import candidate, proposal, sourcing_evaluation
from tests.providers.factories import ProviderFactory, SlaTermFactory

URL = "/api/v1/contracts/"


def body(provider, **fields):
    return {
        "provider": provider.pk,
        "title": "Managed SOC",
        "currency": "EUR",
        "monthly_fee": "1200.50",
        "start_date": "2026-01-31",
        "term_months": 1,
        "notice_period_days": 10,
        **fields,
    }


def patch(client, url, data):
    return client.patch(url, data, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])


@pytest.fixture
def provider(organization):
    row = ProviderFactory(organization=organization)
    SlaTermFactory(provider=row, metric="uptime", target_value="99.900", unit="percent")
    return row


@pytest.mark.django_db
class TestByHand:
    def test_create_computes_dates_and_copies_the_provider_slas(self, admin_client, provider):
        response = admin_client.post(URL, body(provider), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        # 31 January + 1 month is clamped to 28 February 2026; notice 10 days before.
        assert data["renewal_date"] == "2026-02-28"
        assert data["notice_deadline"] == "2026-02-18"
        assert data["monthly_fee"] == "1200.50"
        [term] = data["sla_terms"]
        assert (term["metric"], term["target_value"], term["unit"]) == ("uptime", 99.9, "percent")
        assert term["source_sla"] == provider.slas.get().pk
        event = ContractEvent.objects.get(contract_id=data["id"])
        assert event.action == "contract.created"
        assert event.new_value["renewal_date"] == "2026-02-28"

    def test_patch_needs_if_match_moves_the_dates_and_is_audited(self, admin_client, provider):
        created = admin_client.post(URL, body(provider), format="json").json()
        url = f"{URL}{created['id']}/"
        assert admin_client.patch(url, {"term_months": 2}, format="json").status_code == 428
        stale = admin_client.patch(url, {"term_months": 2}, format="json", HTTP_IF_MATCH='"x"')
        assert stale.status_code == 412
        response = patch(admin_client, url, {"term_months": 2})
        assert response.status_code == 200, response.json()
        assert response.json()["renewal_date"] == "2026-03-31"
        assert response.json()["notice_deadline"] == "2026-03-21"
        event = ContractEvent.objects.filter(contract_id=created["id"]).first()
        assert event.action == "contract.updated"
        assert event.old_value == {
            "term_months": 1,
            "renewal_date": "2026-02-28",
            "notice_deadline": "2026-02-18",
        }
        assert event.new_value["term_months"] == 2
        trail = admin_client.get(f"{url}audit/").json()["results"]
        assert [row["action"] for row in trail] == ["contract.updated", "contract.created"]

    def test_the_provider_is_fixed_once_created(self, admin_client, provider, organization):
        created = admin_client.post(URL, body(provider), format="json").json()
        other = ProviderFactory(organization=organization)
        response = patch(admin_client, f"{URL}{created['id']}/", {"provider": other.pk})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "provider"

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"term_months": 0}, "term_months"),
            ({"term_months": 241}, "term_months"),
            ({"notice_period_days": 731}, "notice_period_days"),
            ({"start_date": "1999-12-31"}, "start_date"),
            ({"monthly_fee": "-1.00"}, "monthly_fee"),
            ({"monthly_fee": "1.005"}, "monthly_fee"),
            ({"currency": "eur"}, "currency"),
            ({"currency": ""}, "currency"),
            ({"surprise": 1}, "surprise"),
        ],
    )
    def test_bad_input_names_the_field(self, admin_client, provider, fields, field):
        response = admin_client.post(URL, body(provider, **fields), format="json")
        assert response.status_code == 400
        assert field in {error["field"] for error in response.json()["errors"]}
        assert not Contract.objects.exists()

    def test_computed_and_award_fields_are_ignored(self, admin_client, provider):
        sneaky = {"renewal_date": "2030-01-01", "lots": ["x"], "proposal_ids": [1]}
        response = admin_client.post(URL, body(provider, **sneaky), format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert (data["renewal_date"], data["lots"], data["proposal_ids"]) == ("2026-02-28", [], [])

    def test_another_organizations_provider_and_contract_are_not_found(
        self, admin_client, provider, make_client
    ):
        stranger = make_client(Role.ADMIN)
        foreign = ProviderFactory(organization=stranger.organization)
        refused = admin_client.post(URL, body(foreign), format="json")
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["field"] == "provider"
        created = admin_client.post(URL, body(provider), format="json").json()
        assert stranger.get(f"{URL}{created['id']}/").status_code == 404
        assert stranger.get(f"{URL}{created['id']}/sla-terms/").status_code == 404

    def test_members_read_admins_write(self, admin_client, viewer_client, provider):
        assert viewer_client.post(URL, body(provider), format="json").status_code == 403
        created = admin_client.post(URL, body(provider), format="json").json()
        assert viewer_client.get(f"{URL}{created['id']}/").status_code == 200
        assert viewer_client.delete(f"{URL}{created['id']}/").status_code == 403

    def test_delete_keeps_the_trail(self, admin_client, provider):
        created = admin_client.post(URL, body(provider), format="json").json()
        assert admin_client.delete(f"{URL}{created['id']}/").status_code == 204
        actions = ContractEvent.objects.filter(contract_ref=created["id"]).values_list(
            "action", flat=True
        )
        assert set(actions) == {"contract.created", "contract.deleted"}


@pytest.mark.django_db
class TestSlaTerms:
    def test_edit_the_copied_term_without_touching_the_provider(self, admin_client, provider):
        created = admin_client.post(URL, body(provider), format="json").json()
        url = f"{URL}{created['id']}/sla-terms/{created['sla_terms'][0]['id']}/"
        response = patch(admin_client, url, {"target_value": 99.5})
        assert response.status_code == 200, response.json()
        assert response.json()["target_value"] == 99.5
        assert provider.slas.get().target_value == Decimal("99.900")
        event = ContractEvent.objects.filter(contract_id=created["id"]).first()
        assert event.action == "contract.sla_term.updated"
        assert (event.old_value["target_value"], event.new_value["target_value"]) == (
            "99.900",
            "99.500",
        )

    def test_the_provider_sla_rules_hold(self, admin_client, provider):
        created = admin_client.post(URL, body(provider), format="json").json()
        response = admin_client.post(
            f"{URL}{created['id']}/sla-terms/",
            {"metric": "uptime", "target_value": 101, "unit": "percent", "remedy_type": "none"},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "target_value"


TODAY = date(2026, 6, 15)


@pytest.mark.django_db
class TestFilters:
    @pytest.fixture
    def contracts(self, admin_client, provider, monkeypatch):
        monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)

        def make(start, months, notice):
            data = body(provider, start_date=start, term_months=months, notice_period_days=notice)
            return admin_client.post(URL, data, format="json").json()["id"]

        return {
            # renews 2026-07-01; notice by 2026-06-01, passed
            "a": make("2026-01-01", 6, 30),
            # renews 2026-07-15; notice by 2026-07-05, still open
            "b": make("2025-07-15", 12, 10),
            # renewed 2026-01-01 already; notice by 2025-12-02, passed
            "c": make("2025-01-01", 12, 30),
        }

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"renewing_within": 16}, ["a"]),
            ({"renewing_within": 30}, ["a", "b"]),
            ({"renewing_within": 0}, []),
            ({"notice_deadline_passed": "true"}, ["c", "a"]),
            ({"notice_deadline_passed": "false"}, ["b"]),
            ({"renewing_within": 30, "notice_deadline_passed": "true"}, ["a"]),
        ],
    )
    def test_filters(self, admin_client, contracts, query, expected):
        response = admin_client.get(URL, query)
        assert response.status_code == 200, response.json()
        assert [row["id"] for row in response.json()["results"]] == [contracts[k] for k in expected]

    @pytest.mark.parametrize(
        "query",
        [
            {"renewing_within": -1},
            {"renewing_within": 3651},
            {"renewing_within": "x"},
            {"notice_deadline_passed": "maybe"},
            {"renewing": 3},
        ],
    )
    def test_bad_filters_are_refused(self, admin_client, contracts, query):
        response = admin_client.get(URL, query)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == next(iter(query))

    def test_id_filter(self, admin_client, contracts):
        response = admin_client.get(URL, {"id": [contracts["b"], contracts["c"]]})
        assert [row["id"] for row in response.json()["results"]] == [contracts["c"], contracts["b"]]

    def test_list_queries_do_not_grow_with_the_page(
        self, admin_client, contracts, provider, count_queries
    ):
        admin_client.get(URL)  # warm: the token's last use is written once
        with count_queries() as one:
            admin_client.get(URL, {"id": contracts["a"]})
        for _ in range(5):
            admin_client.post(URL, body(provider), format="json")
        with count_queries() as eight:
            rows = admin_client.get(URL).json()["results"]
        assert len(rows) == 8 and all(row["sla_terms"] for row in rows)
        assert len(eight) == len(one) <= 5


@pytest.fixture
def decided(admin_client, organization):
    """Two winners over three lots: Acme wins `it` and `security` with two separate
    proposals, Bolt wins `ops`, priced with unit prices."""
    lead = Membership.objects.get(organization=organization, role="admin")
    lots = [
        {"code": "it", "title": "IT", "service_models": ["msp"], "weight": 1.0},
        {"code": "ops", "title": "Ops", "service_models": ["msp"], "weight": 1.0},
        {"code": "security", "title": "Security", "service_models": ["mssp"], "weight": 1.0},
    ]
    evaluation = sourcing_evaluation(
        organization, lead, lots=lots, horizon_months=36, quantities={"user": 100}
    )
    acme = candidate(evaluation, ("msp", "mssp"), lots=["it", "ops", "security"])
    bolt = candidate(evaluation, ("msp",), lots=["ops"])
    SlaTermFactory(provider=acme.provider)
    SlaTermFactory(provider=acme.provider, metric="uptime", target_value=99, unit="percent")
    SlaTermFactory(provider=bolt.provider, metric="uptime", target_value=99, unit="percent")
    first = proposal(acme, ["it"], one_time="1000.00", monthly="500.00", term_months=24)
    second = proposal(
        acme,
        ["security"],
        one_time="600.00",
        monthly="300.00",
        unit_prices=[{"unit": "user", "monthly_price": "2.25"}],
    )
    proposal(acme, ["it", "security"], one_time="2000.00", monthly="1050.00")
    proposal(acme, ["ops"], one_time="1.00", monthly="1.00")
    third = proposal(bolt, ["ops"], one_time="0.00", monthly="99.99")
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status="decided",
        decision_award={"it": acme.pk, "ops": bolt.pk, "security": acme.pk},
    )
    evaluation.refresh_from_db()
    return evaluation, acme, bolt, (first.pk, second.pk, third.pk)


@pytest.mark.django_db
class TestFromAward:
    def test_one_contract_per_winner_priced_from_its_winning_proposals(self, admin_client, decided):
        evaluation, acme, bolt, (first, second, third) = decided
        request = {"evaluation": evaluation.pk, "start_date": "2026-03-01"}
        response = admin_client.post(f"{URL}from-award/", request, format="json")
        assert response.status_code == 201, response.json()
        by_candidate = {row["candidate"]: row for row in response.json()}
        mine = by_candidate[acme.pk]
        assert mine["lots"] == ["it", "security"]
        assert mine["proposal_ids"] == [first, second]
        # One-time 1000 + 600; monthly 500 + 300 + 100 users * 2.25.
        assert (mine["one_time_fee"], mine["monthly_fee"], mine["currency"]) == (
            "1600.00",
            "1025.00",
            "EUR",
        )
        assert mine["term_months"] == 24  # the longest term of its winning proposals
        assert mine["renewal_date"] == "2028-03-01"
        assert sorted(term["metric"] for term in mine["sla_terms"]) == [
            "incident_response_time",
            "uptime",
        ]
        theirs = by_candidate[bolt.pk]
        assert (theirs["lots"], theirs["proposal_ids"]) == (["ops"], [third])
        assert (theirs["one_time_fee"], theirs["monthly_fee"]) == ("0.00", "99.99")
        assert theirs["term_months"] == 36  # no proposal term: the evaluation's horizon
        assert theirs["provider"] == bolt.provider_id
        again = admin_client.post(f"{URL}from-award/", request, format="json")
        assert again.status_code == 409
        assert Contract.objects.count() == 2

    def test_the_requested_term_wins(self, admin_client, decided):
        evaluation = decided[0]
        request = {
            "evaluation": evaluation.pk,
            "start_date": "2026-03-01",
            "term_months": 12,
            "auto_renew": True,
            "notice_period_days": 60,
        }
        rows = admin_client.post(f"{URL}from-award/", request, format="json").json()
        assert {
            (row["term_months"], row["auto_renew"], row["notice_deadline"]) for row in rows
        } == {(12, True, "2026-12-31")}

    def test_an_undecided_evaluation_is_a_conflict(self, admin_client, decided):
        evaluation = decided[0]
        Evaluation.objects.filter(pk=evaluation.pk).update(status="scoring")
        request = {"evaluation": evaluation.pk, "start_date": "2026-03-01"}
        response = admin_client.post(f"{URL}from-award/", request, format="json")
        assert response.status_code == 409
        assert not Contract.objects.exists()

    def test_another_organizations_evaluation_is_refused(self, decided, make_client):
        stranger = make_client(Role.ADMIN)
        request = {"evaluation": decided[0].pk, "start_date": "2026-03-01"}
        response = stranger.post(f"{URL}from-award/", request, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "evaluation"
        assert not Contract.objects.exists()

    def test_viewers_cannot(self, viewer_client, decided):
        request = {"evaluation": decided[0].pk, "start_date": "2026-03-01"}
        assert viewer_client.post(f"{URL}from-award/", request, format="json").status_code == 403
