"""The portfolio's rules (contracts.portfolio), on plain data with hand-computed values."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from contracts import portfolio
from contracts.sla_rules import Month, Remedy

TODAY = date(2026, 4, 10)
RESPONSE = portfolio.TermFacts(
    metric="incident_response_time",
    target=Decimal("30"),
    unit="minutes",
    # The worked example of docs/contracts.md: 5% per miss capped at 12.5%,
    # escalation, termination after 3 misses within 2 months.
    remedy=Remedy(Decimal("5"), Decimal("12.5"), True, 3, 2),
    months=(
        Month(date(2026, 1, 1), Decimal("25")),
        Month(date(2026, 2, 1), Decimal("45"), (date(2026, 2, 3), date(2026, 2, 17))),
        Month(date(2026, 3, 1), Decimal("31")),
    ),
)


def uptime(*values, start=1) -> portfolio.TermFacts:
    return portfolio.TermFacts(
        metric="uptime",
        target=Decimal("99.9"),
        unit="percent",
        remedy=Remedy(),
        months=tuple(
            Month(date(2026, start + i, 1), Decimal(value)) for i, value in enumerate(values)
        ),
    )


def contract(pk=1, terms=(), renewal=date(2027, 1, 1), notice=date(2026, 10, 1), **fields):
    values = {
        "id": pk,
        "title": f"Contract {pk}",
        "lots": ({"code": "all", "title": "all"},),
        "currency": "EUR",
        "one_time_fee": None,
        "monthly_fee": Decimal("1025.00"),
        "renewal_date": renewal,
        "notice_deadline": notice,
        "auto_renew": True,
        "terms": tuple(terms),
        **fields,
    }
    return portfolio.ContractFacts(**values)


@pytest.mark.parametrize(
    ("days", "status"),
    [(-1, "passed"), (0, "near"), (30, "near"), (31, "open")],
)
def test_notice_status_by_days_left(days, status):
    assert portfolio.notice_status(TODAY + timedelta(days=days), TODAY) == status


def test_the_worked_example_reaches_the_termination_right_with_its_credits():
    sla = portfolio.contract_sla(contract(terms=[RESPONSE]))
    assert sla == {
        "status": "termination_right",
        "last_period": date(2026, 3, 1),
        "breached_last_period": ["incident_response_time"],
        "misses": 3,
        "credit_total": Decimal("153.75"),  # 102.50 + 51.25; January's 0.00 adds nothing
        "escalations": 2,
        "termination_right_since": date(2026, 3, 1),
    }


def test_a_miss_in_the_last_month_is_breached_and_without_a_credit_rule_owes_none():
    sla = portfolio.contract_sla(contract(terms=[uptime("99.95", "99.5")]))
    assert (sla["status"], sla["misses"], sla["credit_total"]) == ("breached", 1, None)
    assert sla["breached_last_period"] == ["uptime"]


def test_the_last_measured_month_decides_met():
    sla = portfolio.contract_sla(contract(terms=[uptime("99.5", "99.95")]))
    assert (sla["status"], sla["misses"], sla["breached_last_period"]) == ("met", 1, [])


def test_a_term_not_measured_in_the_last_month_does_not_breach_it():
    # Uptime measured January to March (met in March), the response time only in
    # February (missed): the contract's last month is March.
    response = portfolio.TermFacts(
        metric="incident_response_time",
        target=Decimal("30"),
        unit="minutes",
        remedy=Remedy(),
        months=(Month(date(2026, 2, 1), Decimal("45")),),
    )
    sla = portfolio.contract_sla(contract(terms=[uptime("99.95", "99.95", "99.95"), response]))
    assert (sla["status"], sla["last_period"]) == ("met", date(2026, 3, 1))


def test_without_measurements_nothing_is_measured():
    sla = portfolio.contract_sla(contract(terms=[uptime()]))
    assert (sla["status"], sla["last_period"], sla["misses"]) == ("not_measured", None, 0)


def test_committed_prices_add_up_per_currency():
    contracts = (
        contract(1, one_time_fee=Decimal("1600.00"), monthly_fee=Decimal("1025.00")),
        contract(2, one_time_fee=None, monthly_fee=Decimal("500.50")),
        contract(3, currency="USD", monthly_fee=None),
    )
    assert portfolio.committed(contracts) == [
        {"currency": "EUR", "one_time": Decimal("1600.00"), "monthly": Decimal("1525.50")},
        {"currency": "USD", "one_time": None, "monthly": None},
    ]


def test_the_provider_entry_names_the_next_renewal_and_the_worst_sla_status():
    ended = contract(1, renewal=date(2026, 3, 1), notice=date(2026, 2, 1))
    soon = contract(2, terms=[uptime("99.5")], renewal=date(2026, 5, 1), notice=date(2026, 4, 1))
    later = contract(3, terms=[uptime("99.95")], renewal=date(2027, 5, 1), notice=date(2027, 2, 1))
    entry = portfolio.provider_entry(
        portfolio.ProviderFacts(
            id=7,
            name="Acme",
            service_models=("mssp",),
            capabilities=("mssp.edr",),
            contracts=(later, soon, ended),
            open_findings={"high": 2, "low": 1},
        ),
        TODAY,
    )
    assert [c["id"] for c in entry["contracts"]] == [1, 2, 3]  # by renewal date
    assert entry["next_renewal"] == {
        "contract": 2,
        "renewal_date": date(2026, 5, 1),
        "renewal_days_left": 21,
        "notice_deadline": date(2026, 4, 1),
        "notice_days_left": -9,
        "notice_status": "passed",
    }
    assert entry["contracts"][2]["notice_status"] == "open"
    assert entry["sla_status"] == "breached"
    assert entry["open_findings"] == {"low": 1, "medium": 0, "high": 2, "critical": 0, "total": 3}
    assert entry["committed"] == [
        {"currency": "EUR", "one_time": None, "monthly": Decimal("3075.00")}
    ]


def test_no_next_renewal_once_every_term_has_ended():
    ended = contract(1, renewal=date(2026, 4, 9), notice=date(2026, 3, 1))
    entry = portfolio.provider_entry(portfolio.ProviderFacts(7, "Acme", (), (), (ended,)), TODAY)
    assert entry["next_renewal"] is None
    assert entry["sla_status"] == "not_measured"
    assert entry["open_findings"]["total"] == 0


def test_lots_take_their_titles_from_the_evaluation():
    lots = [{"code": "it", "title": "IT operations"}, {"code": "security", "title": ""}]
    assert portfolio.lots_of(["security", "it"], lots) == (
        {"code": "security", "title": "security"},
        {"code": "it", "title": "IT operations"},
    )
    assert portfolio.lots_of(["all"], []) == ({"code": "all", "title": "all"},)
