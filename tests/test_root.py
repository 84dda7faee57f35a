import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/api/v1/"])
def test_root_links_the_docs_the_schema_and_every_collection(url):
    response = Client().get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["links"]["docs"] == "http://testserver/api/docs/"
    assert body["links"]["schema"] == "http://testserver/api/schema/"
    assert body["links"]["admin"] == "http://testserver/admin/"
    assert body["links"]["console"] == "http://testserver/console/"
    collections = body["collections"]
    assert collections["providers"] == "http://testserver/api/v1/providers/"
    assert {"evaluations", "scorecards", "questionnaires", "webhooks"} <= set(collections)
    # Every listed collection exists: an anonymous caller is asked to sign in, never a 404.
    for link in collections.values():
        assert Client().get(link).status_code == 401, link


@pytest.mark.django_db
def test_root_is_read_only():
    assert Client().post("/api/v1/").status_code == 405
