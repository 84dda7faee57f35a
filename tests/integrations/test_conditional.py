"""Conditional requests on evaluations: ETag/If-None-Match (304), If-Match (412/428),
and compare-and-set under concurrent writers (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from config.conditional import etag_for, if_match, none_match
from evaluations.api.views import EvaluationViewSet
from evaluations.models import Evaluation
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory
from tests.services import require_postgres


@pytest.fixture
def evaluation(admin_client, organization):
    version = make_version(organization)
    return make_evaluation(organization, version, lead=admin_client.membership, status="draft")


def url_of(evaluation):
    return f"/api/v1/evaluations/{evaluation.pk}/"


def test_reads_carry_a_strong_etag_and_304_when_unchanged(admin_client, evaluation):
    first = admin_client.get(url_of(evaluation))
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert etag == etag_for(first.json())
    assert admin_client.get(url_of(evaluation))["ETag"] == etag  # stable
    cached = admin_client.get(url_of(evaluation), HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304 and cached.content == b"" and cached["ETag"] == etag
    weak = admin_client.get(url_of(evaluation), HTTP_IF_NONE_MATCH=f'"x", W/{etag}')
    assert weak.status_code == 304
    assert admin_client.get(url_of(evaluation), HTTP_IF_NONE_MATCH="*").status_code == 304
    other = admin_client.get(url_of(evaluation), HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200 and other["ETag"] == etag


def test_a_change_changes_the_etag(admin_client, evaluation):
    before = admin_client.get(url_of(evaluation))["ETag"]
    Evaluation.objects.filter(pk=evaluation.pk).update(name="renamed")
    after = admin_client.get(url_of(evaluation), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


def test_patch_requires_if_match(admin_client, evaluation):
    response = admin_client.patch(url_of(evaluation), {"name": "x"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert Evaluation.objects.get(pk=evaluation.pk).name != "x"


def test_patch_with_the_current_etag_succeeds_and_returns_the_new_one(admin_client, evaluation):
    etag = admin_client.get(url_of(evaluation))["ETag"]
    response = admin_client.patch(
        url_of(evaluation), {"name": "renamed"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    new_etag = response["ETag"]
    assert new_etag != etag
    assert admin_client.get(url_of(evaluation))["ETag"] == new_etag
    stale = admin_client.patch(
        url_of(evaluation), {"name": "lost update"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert Evaluation.objects.get(pk=evaluation.pk).name == "renamed"


@pytest.mark.parametrize("header", ['"nope"', "W/{etag}", "garbage"])
def test_non_matching_if_match_is_412(admin_client, evaluation, header):
    etag = admin_client.get(url_of(evaluation))["ETag"]
    response = admin_client.patch(
        url_of(evaluation),
        {"name": "x"},
        format="json",
        HTTP_IF_MATCH=header.format(etag=etag),
    )
    assert response.status_code == 412


def test_if_match_star_and_lists(admin_client, evaluation):
    etag = admin_client.get(url_of(evaluation))["ETag"]
    star = admin_client.patch(url_of(evaluation), {"name": "a"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200
    listed = admin_client.patch(
        url_of(evaluation), {"name": "b"}, format="json", HTTP_IF_MATCH=f'"old", {star["ETag"]}'
    )
    assert listed.status_code == 200
    assert etag != listed["ETag"]


def test_404_comes_before_the_precondition(admin_client, make_client, evaluation):
    outsider = make_client()
    assert outsider.patch(url_of(evaluation), {"name": "x"}, format="json").status_code == 404
    assert admin_client.patch("/api/v1/evaluations/999999/", {}, format="json").status_code == 404


def test_a_body_that_does_not_parse_is_400_before_the_precondition(
    admin_client, evaluation, organization
):
    candidate = evaluation.candidates.create(provider=ProviderFactory(organization=organization))
    for url in (url_of(evaluation), f"{url_of(evaluation)}candidates/{candidate.pk}/"):
        response = admin_client.generic(
            "PATCH", url, b"\xff{", content_type="application/json", HTTP_IF_MATCH='"stale"'
        )
        assert response.status_code == 400, (url, response.content)
        assert response.json()["code"] == "parse_error"
        # A well-formed body with the stale tag is still refused as stale.
        response = admin_client.patch(url, {}, format="json", HTTP_IF_MATCH='"stale"')
        assert response.status_code == 412, url


def test_a_refused_write_changes_nothing(admin_client, evaluation):
    etag = admin_client.get(url_of(evaluation))["ETag"]
    response = admin_client.patch(
        url_of(evaluation), {"employee_count": -5}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert admin_client.get(url_of(evaluation))["ETag"] == etag


def test_delete_honours_if_match_when_sent(admin_client, evaluation, organization):
    etag = admin_client.get(url_of(evaluation))["ETag"]
    Evaluation.objects.filter(pk=evaluation.pk).update(name="changed meanwhile")
    assert admin_client.delete(url_of(evaluation), HTTP_IF_MATCH=etag).status_code == 412
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()
    fresh = admin_client.get(url_of(evaluation))["ETag"]
    assert admin_client.delete(url_of(evaluation), HTTP_IF_MATCH=fresh).status_code == 204
    other = make_evaluation(organization, evaluation.questionnaire_version, status="draft")
    assert admin_client.delete(url_of(other)).status_code == 204  # optional on DELETE


def test_comparison_rules():
    assert if_match('"a", "b"', '"b"')
    assert not if_match('W/"b"', '"b"')  # strong comparison
    assert none_match('W/"b"', '"b"')  # weak comparison
    assert not none_match('"a"', '"b"')


def test_the_schema_documents_the_headers(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    item = schema["paths"]["/api/v1/evaluations/{id}/"]
    patch = {p["name"]: p for p in item["patch"]["parameters"]}
    assert patch["If-Match"]["required"] is True
    assert {"412", "428"} <= set(item["patch"]["responses"])
    assert "ETag" in item["patch"]["responses"]["200"]["headers"]
    get = {p["name"] for p in item["get"]["parameters"]}
    assert "If-None-Match" in get and "304" in item["get"]["responses"]
    delete = {p["name"]: p for p in item["delete"]["parameters"]}
    assert delete["If-Match"].get("required", False) is False


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_writers_with_the_same_etag_exactly_one_wins(
    make_client, organization, monkeypatch
):
    require_postgres()
    original = EvaluationViewSet.perform_update

    def slow_update(self, serializer):
        time.sleep(0.5)  # widen the window between the check and the write
        return original(self, serializer)

    monkeypatch.setattr(EvaluationViewSet, "perform_update", slow_update)
    client = make_client(organization=organization)
    version = make_version(organization)
    evaluation = make_evaluation(organization, version, lead=client.membership, status="draft")
    etag = client.get(url_of(evaluation))["ETag"]
    token = client._credentials["HTTP_AUTHORIZATION"]
    barrier = threading.Barrier(2)
    results = {}

    def write(name):
        writer = APIClient()
        writer.credentials(HTTP_AUTHORIZATION=token)
        barrier.wait()
        try:
            response = writer.patch(
                url_of(evaluation), {"name": name}, format="json", HTTP_IF_MATCH=etag
            )
            results[name] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == [200, 412], results
    winner = next(name for name, code in results.items() if code == 200)
    assert Evaluation.objects.get(pk=evaluation.pk).name == winner


@pytest.mark.django_db
def test_an_empty_if_match_counts_as_absent(admin_client):
    created = admin_client.post("/api/v1/providers/", {"name": "Empty Tag"}, format="json")
    url = f"/api/v1/providers/{created.json()['id']}/"
    response = admin_client.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH="")
    assert response.status_code == 200  # providers honour If-Match but do not require it


def test_an_empty_if_match_on_a_required_update_is_428(admin_client, evaluation):
    response = admin_client.patch(
        url_of(evaluation), {"name": "x"}, format="json", HTTP_IF_MATCH=""
    )
    assert response.status_code == 428
