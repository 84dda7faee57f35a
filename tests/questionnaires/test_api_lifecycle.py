"""Versions through the API: drafts change, published and retired versions never do."""

import pytest

from questionnaires import services
from questionnaires.models import QuestionnaireVersion
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import (
    LIST,
    assert_problem,
    import_json,
    questionnaire_url,
    version_url,
    versions_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(admin_client):
    """Version 1 published (imported by the admin's organization)."""
    version = services.import_document(admin_client.organization, make_document())
    return services.publish_version(version)


@pytest.fixture
def retired(published):
    services.new_version(published)
    services.publish_version(QuestionnaireVersion.objects.get(number=2))
    published.refresh_from_db()
    return published


def test_create_edit_publish(admin_client):
    response = admin_client.post(
        LIST, {"code": "my-vetting", "name": "My vetting", "version_label": "a"}, format="json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["builtin"] is False and created["published_version"] is None
    draft = created["latest_version"]
    assert (draft["number"], draft["status"], draft["version_label"]) == (1, "draft", "a")

    url = f"{versions_url(created['id'])}{draft['id']}/"
    sections = make_document()["sections"]
    response = admin_client.patch(
        url, {"sections": sections, "description": "Edited."}, format="json"
    )
    assert response.status_code == 200, response.content
    edited = response.json()
    assert edited["description"] == "Edited." and edited["name"] == "My vetting"
    assert [s["code"] for s in edited["sections"]] == ["soc", "rep"]
    assert edited["sections"][0]["questions"][0]["help_text"] == ""  # normalised

    response = admin_client.post(url + "publish/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "published" and len(body["content_hash"]) == 64
    assert body["published_at"]
    summary = admin_client.get(questionnaire_url(created["id"])).json()
    assert summary["published_version"]["id"] == draft["id"]
    assert summary["description"] == "Edited."


def test_create_with_a_taken_code_is_409(admin_client, published):
    response = admin_client.post(LIST, {"code": "acme-vetting", "name": "Again"}, format="json")
    assert_problem(response, 409, "code_taken")


def _routes(version):
    return {
        "edit": ("patch", version_url(version), {"name": "Changed"}),
        "delete": ("delete", version_url(version), None),
        "publish": ("post", version_url(version, "publish"), None),
    }


@pytest.mark.parametrize("route", ["edit", "delete", "publish"])
@pytest.mark.parametrize("state", ["published", "retired"])
def test_published_and_retired_versions_are_immutable(admin_client, request, state, route):
    version = request.getfixturevalue(state)
    before = admin_client.get(version_url(version)).json()
    method, url, data = _routes(version)[route]
    response = getattr(admin_client, method)(url, data, format="json")
    assert_problem(response, 409, f"version_{state}")
    assert admin_client.get(version_url(version)).json() == before


def test_retiring_twice_is_409(admin_client, retired):
    assert_problem(admin_client.post(version_url(retired, "retire")), 409, "version_retired")


def test_retiring_a_draft_is_409(admin_client, published):
    draft = services.new_version(published)
    assert_problem(admin_client.post(version_url(draft, "retire")), 409, "version_draft")


def test_retire(admin_client, published):
    response = admin_client.post(version_url(published, "retire"))
    assert response.status_code == 200
    assert response.json()["status"] == "retired" and response.json()["retired_at"]
    summary = admin_client.get(questionnaire_url(published.questionnaire_id)).json()
    assert summary["published_version"] is None
    assert summary["latest_version"]["status"] == "retired"


@pytest.mark.parametrize("state", ["published", "retired"])
def test_new_version_clones_into_a_draft(admin_client, request, state):
    version = request.getfixturevalue(state)
    source = admin_client.get(version_url(version)).json()
    response = admin_client.post(version_url(version, "new-version"))
    assert response.status_code == 201, response.content
    clone = response.json()
    assert clone["status"] == "draft" and clone["id"] != source["id"]
    assert clone["number"] == max(v.number for v in QuestionnaireVersion.objects.all())
    for field in ("name", "description", "version_label", "sections"):
        assert clone[field] == source[field], field
    assert clone["content_hash"] == ""
    again = admin_client.post(version_url(version, "new-version"))
    assert_problem(again, 409, "draft_exists")


def test_deleting_drafts_and_questionnaires(admin_client, published):
    draft = services.new_version(published)
    assert admin_client.delete(version_url(draft)).status_code == 204
    assert_problem(
        admin_client.delete(questionnaire_url(published.questionnaire_id)),
        409,
        "has_published_versions",
    )
    only = import_json(admin_client, make_document(code="only-one")).json()
    url = f"{versions_url(only['questionnaire'])}{only['id']}/"
    assert_problem(admin_client.delete(url), 409, "only_version")
    assert admin_client.delete(questionnaire_url(only["questionnaire"])).status_code == 204
    assert admin_client.get(questionnaire_url(only["questionnaire"])).status_code == 404


def test_versions_list(admin_client, retired):
    response = admin_client.get(versions_url(retired.questionnaire_id))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["number"], r["status"]) for r in rows] == [(2, "published"), (1, "retired")]
    assert rows[0]["section_count"] == 2 and rows[0]["question_count"] == 5
    filtered = admin_client.get(versions_url(retired.questionnaire_id), {"status": "retired"})
    assert [r["number"] for r in filtered.json()["results"]] == [1]


def test_version_of_another_questionnaire_is_404(admin_client, published):
    other = services.import_document(admin_client.organization, make_document(code="other"))
    url = f"{versions_url(other.questionnaire_id)}{published.pk}/"
    assert_problem(admin_client.get(url), 404)
