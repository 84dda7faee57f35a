"""The reported 500s on bad input, each a 400 that stores nothing: on the default
database and on PostgreSQL, where NUL and lone surrogates fail differently
(``text`` and ``jsonb`` refuse NUL; SQLite stores it)."""

import json

import pytest

from evaluations.models import Answer, Override
from providers.models import Provider
from questionnaires.models import Questionnaire
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory
from tests.services import require_postgres

TEXT_QUESTION = [{"code": "t", "weight": 1, "questions": [{"code": "T-01", "kind": "text"}]}]


@pytest.fixture
def evaluation(admin_client):
    organization = admin_client.organization
    version = make_version(organization, sections=TEXT_QUESTION, code="texts")
    provider = ProviderFactory(organization=organization)
    return make_evaluation(
        organization, version, lead=admin_client.membership, providers=[provider]
    )


def answer(client, evaluation, value):
    candidate = evaluation.candidates.get()
    body = [{"candidate": candidate.pk, "question": "T-01", "value": value}]
    url = f"/api/v1/evaluations/{evaluation.pk}/answers/"
    return client.post(url, data=json.dumps(body), content_type="application/json")


def case_text_answer_with_nul(client, evaluation):
    return answer(client, evaluation, "We\x00do"), "[0].value"


def case_text_answer_with_surrogate(client, evaluation):
    return answer(client, evaluation, "We \udc00do"), "[0].value"


def case_enum_with_surrogate(client, evaluation):
    body = json.dumps({"name": "Acme", "service_models": ["mssp\ud83d"]})
    response = client.post("/api/v1/providers/", data=body, content_type="application/json")
    return response, "service_models[0]"


def case_questionnaire_name_with_surrogate(client, evaluation):
    body = json.dumps({"code": "acme", "name": "Acme \ud800"})
    response = client.post("/api/v1/questionnaires/", data=body, content_type="application/json")
    return response, "name"


def case_yaml_weight_of_4000_digits(client, evaluation):
    text = (
        "format: provider-scorecards/questionnaire\nformat_version: 1\ncode: huge\n"
        "name: Huge\nsections:\n- code: s\n  title: S\n  weight: " + "9" * 4000 + "\n"
        "  questions:\n  - {code: Q-01, text: Q?, kind: boolean}\n"
    )
    response = client.post(
        "/api/v1/questionnaires/import/", data=text, content_type="application/yaml"
    )
    return response, "sections[0].weight"


def case_zero_width_rationale(client, evaluation):
    body = {
        "candidate": evaluation.candidates.get().pk,
        "question": "T-01",
        "score": 0.5,
        "rationale": "\u200b\ufeff",
    }
    response = client.post(f"/api/v1/evaluations/{evaluation.pk}/overrides/", body, format="json")
    return response, "rationale"


def case_csv_import_with_nul(client, evaluation):
    response = client.post(
        "/api/v1/providers/import/", data="name\nAcme\x00 Ltd\n", content_type="text/csv"
    )
    return response, None


CASES = [value for name, value in globals().items() if name.startswith("case_")]


def assert_refused(client, evaluation, case):
    before = (
        Answer.objects.count(),
        Override.objects.count(),
        Provider.objects.count(),
        Questionnaire.objects.count(),
    )
    response, field = case(client, evaluation)
    assert response.status_code == 400, (response.status_code, response.content[:300])
    problem = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    if field is not None:
        assert field in {error["field"] for error in problem["errors"]}, problem
    after = (
        Answer.objects.count(),
        Override.objects.count(),
        Provider.objects.count(),
        Questionnaire.objects.count(),
    )
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("case_"))
def test_bad_input_is_a_400_storing_nothing(admin_client, evaluation, case):
    assert_refused(admin_client, evaluation, case)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.removeprefix("case_"))
def test_bad_input_is_a_400_on_postgresql(admin_client, evaluation, case):
    require_postgres()
    assert_refused(admin_client, evaluation, case)


@pytest.mark.django_db
def test_text_with_visible_characters_is_still_accepted(admin_client, evaluation):
    assert answer(admin_client, evaluation, "We do \u200bit").status_code in (200, 201)
    body = {
        "candidate": evaluation.candidates.get().pk,
        "question": "T-01",
        "score": 0.5,
        "rationale": "\u200bChecked\ufeff",
    }
    url = f"/api/v1/evaluations/{evaluation.pk}/overrides/"
    assert admin_client.post(url, body, format="json").status_code in (200, 201)
