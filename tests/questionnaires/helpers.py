"""URLs and calls shared by the questionnaire API tests."""

import json

PROBLEM = "application/problem+json"
LIST = "/api/v1/questionnaires/"
IMPORT = "/api/v1/questionnaires/import/"


def questionnaire_url(pk: int) -> str:
    return f"{LIST}{pk}/"


def versions_url(questionnaire_pk: int) -> str:
    return f"{LIST}{questionnaire_pk}/versions/"


def version_url(version, suffix: str = "") -> str:
    base = f"{versions_url(version.questionnaire_id)}{version.pk}/"
    return f"{base}{suffix}/" if suffix else base


def import_json(client, document):
    return client.post(IMPORT, data=json.dumps(document), content_type="application/json")


def errors_of(response) -> set[tuple[str | None, str]]:
    assert response.status_code == 400, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body
