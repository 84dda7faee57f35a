"""Contract and SLA breach events, and contracts in the incremental sync."""

import pytest

from integrations import events
from integrations.api.event_schemas import EVENT_SERIALIZERS
from integrations.models import Event, Tombstone
from tests.providers.factories import ProviderFactory, SlaTermFactory

URL = "/api/v1/contracts/"


def payloads(event_type):
    return [event.payload for event in Event.objects.filter(type=event_type).order_by("created_at")]


@pytest.fixture
def contract(admin_client, organization):
    provider = ProviderFactory(organization=organization)
    SlaTermFactory(provider=provider)  # at most 30 minutes
    body = {
        "provider": provider.pk,
        "title": "SOC",
        "currency": "EUR",
        "monthly_fee": "1025.00",
        "start_date": "2026-01-31",
        "term_months": 1,
    }
    return admin_client.post(URL, body, format="json").json()


@pytest.mark.django_db
class TestEvents:
    def test_created_and_updated(self, admin_client, contract):
        [created] = payloads(events.CONTRACT_CREATED)
        assert created["data"]["contract"] == contract["id"]
        assert created["data"]["renewal_date"] == "2026-02-28"
        assert created["data"]["changed"] == []
        url = f"{URL}{contract['id']}/"
        etag = admin_client.get(url)["ETag"]
        admin_client.patch(url, {"term_months": 2}, format="json", HTTP_IF_MATCH=etag)
        [updated] = payloads(events.CONTRACT_UPDATED)
        assert updated["data"]["changed"] == ["notice_deadline", "renewal_date", "term_months"]
        assert updated["data"]["renewal_date"] == "2026-03-31"
        etag = admin_client.get(url)["ETag"]
        admin_client.patch(url, {"term_months": 2}, format="json", HTTP_IF_MATCH=etag)
        assert len(payloads(events.CONTRACT_UPDATED)) == 1  # nothing changed, nothing sent

    def test_a_breach_is_sent_once_per_change_of_its_misses(self, admin_client, contract):
        term = contract["sla_terms"][0]["id"]
        etag_url = f"{URL}{contract['id']}/sla-terms/{term}/"
        etag = admin_client.get(etag_url)["ETag"]
        admin_client.patch(
            etag_url, {"credit_percent_per_miss": "5"}, format="json", HTTP_IF_MATCH=etag
        )
        upload = f"{URL}{contract['id']}/measurements/import/"
        text = f"sla_term,period,measured_value,breach_dates\n{term},2026-01,20,\n"
        text += f"{term},2026-02,45,2026-02-03;2026-02-17\n"
        assert admin_client.post(upload, data=text, content_type="text/csv").status_code == 200
        [breach] = payloads(events.SLA_BREACH)
        assert breach["data"]["period"] == "2026-02"
        assert (breach["data"]["misses"], breach["data"]["credit"]) == (2, "102.50")
        assert breach["data"]["breach_dates"] == ["2026-02-03", "2026-02-17"]
        admin_client.post(upload, data=text, content_type="text/csv")
        assert len(payloads(events.SLA_BREACH)) == 1  # the same months again: silent
        measurement = admin_client.post(
            f"{URL}{contract['id']}/measurements/",
            {"sla_term": term, "period": "2026-03", "measured_value": "31"},
            format="json",
        )
        assert measurement.status_code == 201
        assert [p["data"]["period"] for p in payloads(events.SLA_BREACH)] == [
            "2026-02",
            "2026-03",
        ]

    def test_the_payloads_match_their_documented_schemas(self, admin_client, contract):
        term = contract["sla_terms"][0]["id"]
        url = f"{URL}{contract['id']}/"
        etag = admin_client.get(url)["ETag"]
        admin_client.patch(url, {"notes": "signed"}, format="json", HTTP_IF_MATCH=etag)
        admin_client.post(
            f"{url}measurements/",
            {"sla_term": term, "period": "2026-01", "measured_value": "31"},
            format="json",
        )
        sent = [
            *payloads(events.CONTRACT_CREATED),
            *payloads(events.CONTRACT_UPDATED),
            *payloads(events.SLA_BREACH),
        ]
        assert len(sent) == 3
        for payload in sent:
            serializer = EVENT_SERIALIZERS[payload["type"]](data=payload)
            assert serializer.is_valid(), (payload["type"], serializer.errors)


@pytest.mark.django_db
class TestSync:
    def test_contracts_sync_and_their_deletions(self, admin_client, contract, settings):
        settings.SYNC_SETTLE_SECONDS = 0
        page = admin_client.get(f"{URL}sync/").json()
        assert [row["id"] for row in page["results"]] == [contract["id"]]
        assert admin_client.delete(f"{URL}{contract['id']}/").status_code == 204
        tombstone = Tombstone.objects.get(resource="contracts")
        assert tombstone.object_id == contract["id"]
        deleted = admin_client.get("/api/v1/deleted/", {"resource": "contracts"}).json()
        assert [row["object_id"] for row in deleted["results"]] == [contract["id"]]

    def test_a_changed_sla_term_brings_the_contract_back(self, admin_client, contract, settings):
        settings.SYNC_SETTLE_SECONDS = 0
        first = admin_client.get(f"{URL}sync/").json()
        term = contract["sla_terms"][0]["id"]
        url = f"{URL}{contract['id']}/sla-terms/{term}/"
        etag = admin_client.get(url)["ETag"]
        admin_client.patch(url, {"notes": "renegotiated"}, format="json", HTTP_IF_MATCH=etag)
        again = admin_client.get(f"{URL}sync/", {"cursor": first["next_cursor"]}).json()
        assert [row["id"] for row in again["results"]] == [contract["id"]]
