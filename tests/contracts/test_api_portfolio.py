"""The portfolio over the API: entries, filters, isolation and a constant number of
queries whatever the number of providers and contracts."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from contracts import performance, services
from contracts.models import Finding
from tests.providers.factories import OfferingFactory, ProviderFactory, SlaTermFactory

URL = "/api/v1/portfolio/"
TODAY = date(2026, 4, 10)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def make_contract(organization, user, provider, start, months=12, notice=30, **fields):
    data = {
        "provider": provider,
        "title": f"{provider.name} {start}",
        "currency": "EUR",
        "monthly_fee": Decimal("1025.00"),
        "start_date": start,
        "term_months": months,
        "notice_period_days": notice,
        **fields,
    }
    return services.create_contract(organization, user, data)


def measure(contract, period, value, breach_dates=()):
    performance.save_measurement(
        contract.sla_terms.get(),
        {"period": period, "measured_value": Decimal(value), "breach_dates": list(breach_dates)},
    )


def finding(provider, severity, status="open", contract=None):
    return Finding.objects.create(
        organization=provider.organization,
        provider=provider,
        contract=contract,
        source="manual",
        title=f"{severity} {status}",
        severity=severity,
        status=status,
        rationale="Accepted for the year." if status == "accepted_risk" else "",
    )


@pytest.fixture
def portfolio(admin_client, organization):
    user = admin_client.membership.user
    acme = ProviderFactory(organization=organization, name="Acme", service_models=["mssp"])
    SlaTermFactory(provider=acme)  # at most 30 minutes
    OfferingFactory(provider=acme)
    # Renews 2026-05-01, notice by 2026-04-01 (passed); February missed twice.
    soc = make_contract(organization, user, acme, date(2025, 5, 1), one_time_fee=Decimal("1600.00"))
    term = soc.sla_terms.get()
    term.credit_percent_per_miss = Decimal("5")
    term.save()
    measure(soc, date(2026, 1, 1), "25")
    measure(soc, date(2026, 2, 1), "45", [date(2026, 2, 3), date(2026, 2, 17)])
    # The breach raised a finding of its own (contracts.finding_rules): the counts below are of
    # the findings made here.
    Finding.objects.filter(provider=acme).delete()
    finding(acme, "high", contract=soc)
    finding(acme, "high", status="in_remediation")
    finding(acme, "critical", status="resolved")
    finding(acme, "low", status="accepted_risk")
    bolt = ProviderFactory(organization=organization, name="Bolt")
    SlaTermFactory(provider=bolt, metric="uptime", target_value="99.900", unit="percent")
    # Renews 2027-01-01, notice by 2026-10-03; March met.
    ops = make_contract(organization, user, bolt, date(2026, 1, 1), notice=90)
    measure(ops, date(2026, 3, 1), "99.95")
    ProviderFactory(organization=organization, name="Uncontracted")
    return {"acme": acme, "bolt": bolt, "soc": soc, "ops": ops}


def results(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def test_every_provider_under_contract_next_renewal_first(viewer_client, portfolio):
    entries = results(viewer_client)
    assert [entry["name"] for entry in entries] == ["Acme", "Bolt"]
    acme, bolt = entries
    assert acme["id"] == portfolio["acme"].pk
    assert acme["service_models"] == ["mssp"]
    assert len(acme["capabilities"]) == 1
    assert acme["next_renewal"] == {
        "contract": portfolio["soc"].pk,
        "renewal_date": "2026-05-01",
        "renewal_days_left": 21,
        "notice_deadline": "2026-04-01",
        "notice_days_left": -9,
        "notice_status": "passed",
    }
    [soc] = acme["contracts"]
    assert soc["lots"] == []
    assert soc["sla"] == {
        "status": "breached",
        "last_period": "2026-02",
        "breached_last_period": ["incident_response_time"],
        "misses": 2,
        "credit_total": "102.50",  # 1025.00 x 2 x 5% (January's 0.00 adds nothing)
        "escalations": 0,
        "termination_right_since": None,
    }
    assert acme["committed"] == [{"currency": "EUR", "one_time": "1600.00", "monthly": "1025.00"}]
    assert acme["sla_status"] == "breached"
    # Open and in remediation count; resolved and accepted risks do not.
    assert acme["open_findings"] == {"low": 0, "medium": 0, "high": 2, "critical": 0, "total": 2}
    assert bolt["sla_status"] == "met"
    assert bolt["next_renewal"]["notice_status"] == "open"
    assert bolt["open_findings"]["total"] == 0


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"renewing_within": 21}, ["Acme"]),
        ({"renewing_within": 20}, []),
        ({"renewing_within": 266}, ["Acme", "Bolt"]),
        ({"has_open_findings": "true"}, ["Acme"]),
        ({"has_open_findings": "false"}, ["Bolt"]),
        ({"sla_breached": "true"}, ["Acme"]),
        ({"sla_breached": "false"}, ["Bolt"]),
        ({"sla_breached": "false", "has_open_findings": "true"}, []),
    ],
)
def test_filters(admin_client, portfolio, params, names):
    assert [entry["name"] for entry in results(admin_client, **params)] == names


def test_providers_without_a_renewal_ahead_come_last(admin_client, organization, portfolio):
    ended = ProviderFactory(organization=organization, name="Aardvark")
    make_contract(organization, admin_client.membership.user, ended, date(2025, 1, 1))
    entries = results(admin_client)
    assert [entry["name"] for entry in entries] == ["Acme", "Bolt", "Aardvark"]
    assert entries[-1]["next_renewal"] is None
    assert entries[-1]["contracts"][0]["notice_status"] == "passed"


def test_the_id_filter_names_providers(admin_client, portfolio):
    entries = results(admin_client, id=portfolio["bolt"].pk)
    assert [entry["name"] for entry in entries] == ["Bolt"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"renewing_within": -1}, "renewing_within"),
        ({"renewing_within": 3651}, "renewing_within"),
        ({"sla_breached": "maybe"}, "sla_breached"),
        ({"has_open_findings": ""}, "has_open_findings"),
        ({"severity": "high"}, "severity"),
    ],
)
def test_bad_parameters_are_400_naming_them(admin_client, portfolio, params, field):
    response = admin_client.get(URL, params)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_another_organization_sees_none_of_it(make_client, portfolio):
    assert results(make_client(Role.ADMIN)) == []


def test_the_page_size_is_bounded(admin_client, portfolio):
    assert admin_client.get(URL, {"page_size": 1000}).status_code == 400
    page = admin_client.get(URL, {"page_size": 1}).json()
    assert (page["count"], len(page["results"])) == (2, 1)


def test_a_constant_number_of_queries_whatever_the_number_of_providers(
    admin_client, organization, portfolio, count_queries
):
    def queries(**params):
        with count_queries() as captured:
            assert admin_client.get(URL, params).status_code == 200
        return len(captured)

    queries()  # the first request of a client reads its credentials' caches once
    few = queries()
    few_breached = queries(sla_breached="true")
    user = admin_client.membership.user
    for index in range(6):
        provider = ProviderFactory(organization=organization, name=f"More {index}")
        SlaTermFactory(provider=provider)
        OfferingFactory(provider=provider)
        for start in (date(2025, 6, 1), date(2026, 2, 1)):
            contract = make_contract(organization, user, provider, start)
            measure(contract, date(2026, 3, 1), "45")
        finding(provider, "medium")
    assert len(results(admin_client, page_size=100)) == 8
    assert queries(page_size=100) == few
    assert queries(sla_breached="true", page_size=100) == few_breached
