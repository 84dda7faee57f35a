"""A draft evaluation started from a needs assessment: POST needs-assessments/{id}/evaluations/."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from evaluations.models import AuditEvent, Evaluation, EvaluationPack
from questionnaires.models import QuestionnaireVersion
from questionnaires.services import load_builtin_questionnaires
from tests.evaluations.builders import make_version
from tests.evaluations.sourcing import fields_of, messages_of, patch, read_token_client, url_of
from tests.needs.test_api_needs_assessments import CLINIC, URL
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db

# The clinic needs all four models (mssp and vciso required, msp and vcio
# recommended) and is recommended the vetting questionnaire, the healthcare pack
# and the vCIO pack (tests/needs/test_api_needs_assessments.py).
CLINIC_LOTS = [
    {
        "code": "msp",
        "title": "Managed IT operations (MSP)",
        "service_models": ["msp"],
        "weight": 1.0,
    },
    {
        "code": "mssp",
        "title": "Managed security operations (MSSP)",
        "service_models": ["mssp"],
        "weight": 1.0,
    },
    {
        "code": "vciso",
        "title": "Security leadership (vCISO)",
        "service_models": ["vciso"],
        "weight": 1.0,
    },
    {"code": "vcio", "title": "IT leadership (vCIO)", "service_models": ["vcio"], "weight": 1.0},
]


@pytest.fixture
def builtins(db):
    load_builtin_questionnaires()
    published = QuestionnaireVersion.objects.filter(
        questionnaire__organization__isnull=True, status="published"
    )
    return {
        version.questionnaire.code: version for version in published.select_related("questionnaire")
    }


@pytest.fixture
def assessment(admin_client):
    response = admin_client.post(URL, {"name": "Clinic", "profile": CLINIC}, format="json")
    assert response.status_code == 201
    return response.json()


def start(client, assessment, body=None):
    return client.post(
        f"{URL}{assessment['id']}/evaluations/",
        {"name": "Clinic providers", **(body or {})},
        format="json",
    )


def test_a_draft_with_a_lot_per_model_the_vetting_base_and_the_recommended_packs(
    admin_client, assessment, builtins
):
    response = start(admin_client, assessment, {"description": "Year one."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["description"], body["status"]) == (
        "Clinic providers",
        "Year one.",
        "draft",
    )
    assert body["needs_assessment"] == assessment["id"]
    assert (body["industry"], body["employee_count"], body["frameworks"]) == (
        "healthcare",
        40,
        ["hipaa"],
    )
    assert body["required_service_models"] == ["msp", "mssp", "vciso", "vcio"]
    assert body["lots"] == CLINIC_LOTS
    assert body["questionnaire_version"] == builtins["provider-vetting"].pk
    assert body["packs"] == [builtins["pack-healthcare"].pk, builtins["pack-vcio"].pk]
    assert body["lead"] == admin_client.membership.pk
    evaluation = Evaluation.objects.get(pk=body["id"])
    assert evaluation.created_by == admin_client.membership.user
    assert AuditEvent.objects.filter(evaluation=evaluation, action="evaluation.created").exists()
    assert admin_client.get(url_of(evaluation)).json() == body


def test_the_body_may_name_the_base_and_the_packs(admin_client, organization, assessment, builtins):
    base = make_version(organization, code="own-vetting")
    body = {"questionnaire_version": base.pk, "packs": [builtins["pack-vcio"].pk]}
    response = start(admin_client, assessment, body)
    assert response.status_code == 201, response.content
    assert (response.json()["questionnaire_version"], response.json()["packs"]) == (
        base.pk,
        [builtins["pack-vcio"].pk],
    )
    none = start(admin_client, assessment, {"questionnaire_version": base.pk, "packs": []})
    assert none.status_code == 201
    assert none.json()["packs"] == []


def test_a_base_that_is_a_recommended_pack_is_not_pinned_twice(admin_client, assessment, builtins):
    body = {"questionnaire_version": builtins["pack-healthcare"].pk}
    response = start(admin_client, assessment, body)
    assert response.status_code == 201, response.content
    assert response.json()["packs"] == [builtins["pack-vcio"].pk]


def test_a_clash_with_a_recommended_pack_names_both_versions(
    admin_client, organization, assessment, builtins
):
    base = make_version(
        organization,
        [{"code": "strategy", "questions": [{"code": "S-1", "kind": "boolean"}]}],
        code="roadmap",
    )
    response = start(admin_client, assessment, {"questionnaire_version": base.pk})
    assert response.status_code == 400
    assert fields_of(response) == {"packs"}
    number = builtins["pack-vcio"].number
    assert f"Section code `strategy` is in both roadmap v1 and pack-vcio v{number}" in (
        messages_of(response)
    )
    assert not Evaluation.objects.exists()


def test_without_built_in_content_the_defaults_are_a_400(admin_client, organization, assessment):
    response = start(admin_client, assessment)
    assert response.status_code == 400
    assert fields_of(response) == {"questionnaire_version"}
    assert "provider-vetting" in messages_of(response)
    base = make_version(organization)
    response = start(admin_client, assessment, {"questionnaire_version": base.pk})
    assert response.status_code == 400
    assert fields_of(response) == {"packs"}
    assert "`pack-healthcare`, `pack-vcio`" in messages_of(response)
    assert (
        start(admin_client, assessment, {"questionnaire_version": base.pk, "packs": []}).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lots": []}, "lots"),
        ({"required_service_models": ["msp"]}, "required_service_models"),
        ({"integrattion": True}, "integrattion"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"packs": "pack-vcio"}, "packs"),
        ({"packs": [0]}, "packs[0]"),
        ({"questionnaire_version": "provider-vetting"}, "questionnaire_version"),
    ],
)
def test_the_body_is_strict(admin_client, assessment, builtins, body, field):
    response = start(admin_client, assessment, body)
    assert response.status_code == 400, response.content
    assert field in fields_of(response)
    assert not Evaluation.objects.exists()


def test_an_unpublished_base_is_refused(admin_client, organization, assessment):
    draft = make_version(organization, code="draft-base", status="draft")
    response = start(admin_client, assessment, {"questionnaire_version": draft.pk, "packs": []})
    assert response.status_code == 400
    assert fields_of(response) == {"questionnaire_version"}


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
def test_only_admins_start_an_evaluation(make_client, organization, assessment, builtins, role):
    client = make_client(role, organization)
    assert start(client, assessment).status_code == 403
    assert start(read_token_client(organization), assessment).status_code == 403
    assert not Evaluation.objects.exists()


def test_an_integration_key_names_the_lead(admin_client, organization, assessment, builtins):
    _, raw = issue_token(organization, name="crm", scope=TokenScope.READ_WRITE)
    integration = APIClient()
    integration.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = start(integration, assessment)
    assert response.status_code == 400
    assert fields_of(response) == {"lead"}
    response = start(integration, assessment, {"lead": admin_client.membership.pk})
    assert response.status_code == 201, response.content
    assert response.json()["lead"] == admin_client.membership.pk


def test_the_lead_must_be_an_admin(make_client, admin_client, organization, assessment, builtins):
    evaluator = make_client(Role.EVALUATOR, organization)
    response = start(admin_client, assessment, {"lead": evaluator.membership.pk})
    assert response.status_code == 400
    assert fields_of(response) == {"lead"}


def test_another_organizations_assessment_is_not_found(make_client, assessment, builtins):
    stranger = make_client(Role.ADMIN)
    response = start(stranger, assessment)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Evaluation.objects.exists()


def test_an_idempotency_key_replays_the_first_evaluation(admin_client, assessment, builtins):
    url = f"{URL}{assessment['id']}/evaluations/"
    body = {"name": "Once"}
    first = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="from-needs-1")
    again = admin_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="from-needs-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Evaluation.objects.count() == 1


def test_lots_and_packs_stay_editable_before_collecting(
    admin_client, organization, assessment, builtins
):
    evaluation = Evaluation.objects.get(pk=start(admin_client, assessment).json()["id"])
    url = url_of(evaluation)
    lots = [
        {"code": "it", "title": "IT", "service_models": ["msp", "vcio"], "weight": 1},
        {"code": "security", "title": "Security", "service_models": ["mssp", "vciso"], "weight": 2},
    ]
    response = patch(admin_client, url, {"lots": lots, "packs": [builtins["pack-vcio"].pk]})
    assert response.status_code == 200, response.content
    assert [lot["code"] for lot in response.json()["lots"]] == ["it", "security"]
    pinned = EvaluationPack.objects.filter(evaluation=evaluation).values_list(
        "version_id", flat=True
    )
    assert list(pinned) == [builtins["pack-vcio"].pk]
    provider = ProviderFactory(organization=organization, service_models=["msp", "vcio"])
    candidate = admin_client.post(f"{url}candidates/", {"provider": provider.pk}, format="json")
    assert candidate.json()["lots"] == ["it"]
    assert (
        admin_client.post(f"{url}status/", {"status": "collecting"}, format="json").status_code
        == 200
    )
    assert patch(admin_client, url, {"packs": []}).status_code == 409
    assert patch(admin_client, url, {"lots": lots[::-1]}).status_code == 200
