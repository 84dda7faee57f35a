"""SLA performance over the API: a quarter of measurements, a CSV, the summary
with its remedies checked against hand-computed values."""

import pytest

from accounts.models import Role
from contracts.models import SlaMeasurement
from tests.providers.factories import ProviderFactory, SlaTermFactory

URL = "/api/v1/contracts/"


def patch(client, url, data):
    return client.patch(url, data, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])


@pytest.fixture
def contract(admin_client, organization):
    provider = ProviderFactory(organization=organization)
    SlaTermFactory(provider=provider)  # incident response at most 30 minutes
    SlaTermFactory(provider=provider, metric="uptime", target_value="99.9", unit="percent")
    body = {
        "provider": provider.pk,
        "title": "SOC",
        "currency": "EUR",
        "monthly_fee": "1025.00",
        "start_date": "2026-01-01",
        "term_months": 12,
    }
    data = admin_client.post(URL, body, format="json").json()
    response_time, uptime = (term["id"] for term in data["sla_terms"])
    base = f"{URL}{data['id']}/sla-terms/"
    assert (
        patch(
            admin_client,
            f"{base}{response_time}/",
            {
                "credit_percent_per_miss": "5.00",
                "credit_cap_percent": "12.50",
                "escalate_on_breach": True,
                "termination_breaches": 3,
                "termination_window_months": 2,
            },
        ).status_code
        == 200
    )
    assert (
        patch(admin_client, f"{base}{uptime}/", {"credit_percent_per_miss": "10"}).status_code
        == 200
    )
    return data["id"], response_time, uptime


def measure(client, contract_id, **body):
    return client.post(f"{URL}{contract_id}/measurements/", body, format="json")


@pytest.mark.django_db
class TestMeasurements:
    def test_breaches_are_derived_from_the_target(self, admin_client, contract):
        contract_id, response_time, uptime = contract
        missed = measure(
            admin_client,
            contract_id,
            sla_term=response_time,
            period="2026-02",
            measured_value="45",
            breach_dates=["2026-02-03", "2026-02-17"],
        )
        assert missed.status_code == 201, missed.json()
        assert (missed.json()["met"], missed.json()["misses"]) == (False, 2)
        met = measure(
            admin_client, contract_id, sla_term=uptime, period="2026-02", measured_value="99.9"
        )
        assert (met.json()["met"], met.json()["misses"]) == (True, 0)

    def test_inconsistent_measurements_are_refused(self, admin_client, contract):
        contract_id, response_time, _ = contract
        cases = [
            ({"breach_dates": ["2026-03-01"], "measured_value": "45"}, "breach_dates"),
            ({"breach_dates": ["2026-02-01"], "measured_value": "20"}, "breach_dates"),
            ({"period": "2026-2"}, "period"),
            ({"measured_value": "-1"}, "measured_value"),
            ({"surprise": True}, "surprise"),
        ]
        for fields, field in cases:
            body = {"sla_term": response_time, "period": "2026-02", "measured_value": "1", **fields}
            response = measure(admin_client, contract_id, **body)
            assert response.status_code == 400, fields
            assert field in {e["field"] for e in response.json()["errors"]}, fields
        assert not SlaMeasurement.objects.exists()

    def test_a_month_is_measured_once(self, admin_client, contract):
        contract_id, response_time, _ = contract
        body = {"sla_term": response_time, "period": "2026-02", "measured_value": "1"}
        assert measure(admin_client, contract_id, **body).status_code == 201
        assert measure(admin_client, contract_id, **body).status_code == 409

    def test_another_contracts_term_is_refused(self, admin_client, contract, organization):
        _, response_time, _ = contract
        other = admin_client.post(
            URL,
            {
                "provider": ProviderFactory(organization=organization).pk,
                "title": "Other",
                "start_date": "2026-01-01",
                "term_months": 1,
            },
            format="json",
        ).json()
        body = {"sla_term": response_time, "period": "2026-02", "measured_value": "1"}
        response = measure(admin_client, other["id"], **body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "sla_term"

    def test_other_organizations_and_viewers(
        self, admin_client, viewer_client, make_client, contract
    ):
        contract_id, response_time, _ = contract
        body = {"sla_term": response_time, "period": "2026-02", "measured_value": "1"}
        assert measure(viewer_client, contract_id, **body).status_code == 403
        stranger = make_client(Role.ADMIN)
        assert measure(stranger, contract_id, **body).status_code == 404
        assert stranger.get(f"{URL}{contract_id}/sla-summary/").status_code == 404
        assert viewer_client.get(f"{URL}{contract_id}/sla-summary/").status_code == 200


CSV = (
    "sla_term,period,measured_value,breach_dates\n"
    "{rt},2026-01,25,\n"
    "{rt},2026-02,45,2026-02-03;2026-02-17\n"
    "{rt},2026-03,31,\n"
    "{up},2026-01,99.95,\n"
    "{up},2026-02,99.899,2026-02-11\n"
    "{up},2026-03,99.9,\n"
)


def upload(client, contract_id, text):
    return client.post(
        f"{URL}{contract_id}/measurements/import/", data=text, content_type="text/csv"
    )


@pytest.mark.django_db
class TestQuarter:
    def test_a_quarter_imported_and_its_remedies(self, admin_client, contract):
        contract_id, rt, up = contract
        response = upload(admin_client, contract_id, CSV.format(rt=rt, up=up))
        assert response.status_code == 200, response.json()
        assert response.json() == {"imported": 6}
        summary = admin_client.get(f"{URL}{contract_id}/sla-summary/").json()
        response_time, uptime = summary["terms"]
        # Response time, fee 1025.00, 5% a miss capped at 12.5%: January met (0.00),
        # February 2 misses = 10% = 102.50, March 1 miss = 5% = 51.25; 153.75 in all.
        assert [m["credit"] for m in response_time["months"]] == ["0.00", "102.50", "51.25"]
        assert response_time["credit_total"] == "153.75"
        assert (response_time["months_breached"], response_time["misses"]) == (2, 3)
        assert [m["escalated"] for m in response_time["months"]] == [False, True, True]
        # Three misses within February and March: the termination right from March.
        assert response_time["termination_right_since"] == "2026-03"
        assert response_time["trend"] == "better"  # 45 -> 31 minutes
        assert response_time["direction"] == "at_most"
        # Uptime at least 99.9%, 10% a miss, no cap: February misses once (99.899).
        assert [m["credit"] for m in uptime["months"]] == ["0.00", "102.50", "0.00"]
        assert uptime["credit_total"] == "102.50"
        assert uptime["termination_right_since"] is None
        assert uptime["direction"] == "at_least"

    def test_a_bad_row_writes_nothing_and_names_line_and_column(self, admin_client, contract):
        contract_id, rt, up = contract
        text = CSV.format(rt=rt, up=up).replace("2026-03,31,", "2026-03,31,2026-04-01")
        text += f"{up},2026-04,abc,\n999999,2026-04,1,\n"
        response = upload(admin_client, contract_id, text)
        assert response.status_code == 400
        fields = {error["field"] for error in response.json()["errors"]}
        assert fields == {"line 4.breach_dates", "line 8.measured_value", "line 9.sla_term"}
        assert not SlaMeasurement.objects.exists()

    def test_a_month_measured_again_is_replaced(self, admin_client, contract):
        contract_id, rt, up = contract
        assert upload(admin_client, contract_id, CSV.format(rt=rt, up=up)).status_code == 200
        again = f"sla_term,period,measured_value\n{rt},2026-02,20\n"
        assert upload(admin_client, contract_id, again).json() == {"imported": 1}
        row = SlaMeasurement.objects.get(term_id=rt, period="2026-02-01")
        assert (str(row.measured_value), row.breach_dates) == ("20.000", [])
        assert SlaMeasurement.objects.count() == 6

    def test_a_month_twice_in_one_file_is_refused(self, admin_client, contract):
        contract_id, rt, _ = contract
        text = f"sla_term,period,measured_value\n{rt},2026-02,20\n{rt},2026-02,21\n"
        response = upload(admin_client, contract_id, text)
        assert response.status_code == 400
        assert "line 2" in response.json()["errors"][0]["message"]

    def test_the_summary_reads_a_constant_number_of_queries(
        self, admin_client, contract, count_queries
    ):
        contract_id, rt, up = contract
        url = f"{URL}{contract_id}/sla-summary/"
        admin_client.get(url)  # warm: the token's last use is written once
        with count_queries() as empty:
            admin_client.get(url)
        upload(admin_client, contract_id, CSV.format(rt=rt, up=up))
        with count_queries() as quarter:
            admin_client.get(url)
        assert len(quarter) == len(empty) <= 8
