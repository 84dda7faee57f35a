"""Requests per link: the API and the pages count together, per contact."""

import pytest
from django.core.cache import cache

from responses.api.authentication import RespondentLinkThrottle
from tests.responses.helpers import link_token, make_sourcing, respondent_client, send_request


@pytest.fixture
def limited(admin_client, monkeypatch):
    monkeypatch.setattr(RespondentLinkThrottle, "THROTTLE_RATES", {"respondent_link": "3/minute"})
    cache.clear()
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    contacts = [
        {"name": "Ann", "email": "ann@vendor.example"},
        {"name": "Bo", "email": "bo@vendor.example"},
    ]
    send_request(admin_client, evaluation, evaluation.candidates.first(), contacts=contacts)
    yield link_token("ann@vendor.example"), link_token("bo@vendor.example")
    cache.clear()


def test_a_link_past_its_limit_is_a_429_on_the_api_and_the_pages(limited, client):
    ann, bo = limited
    api = respondent_client(ann)
    assert api.get("/api/v1/respondent/").status_code == 200
    assert client.get(f"/respond/{ann}/").status_code == 200
    assert api.get("/api/v1/respondent/answers/").status_code == 200
    refused = api.get("/api/v1/respondent/")
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    page = client.get(f"/respond/{ann}/")
    assert page.status_code == 429 and page.has_header("Retry-After")
    assert "nothing you saved is lost" in page.content.decode()
    # Another contact's link has its own count.
    assert respondent_client(bo).get("/api/v1/respondent/").status_code == 200
