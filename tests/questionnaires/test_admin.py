"""The Django admin: drafts editable, published versions and built-ins read-only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from questionnaires import services
from questionnaires.models import Question, Questionnaire, QuestionnaireVersion, VersionStatus
from tests.questionnaires.documents import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    user = get_user_model().objects.create_superuser("operator", "op@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def versions(organization):
    published = services.publish_version(services.import_document(organization, make_document()))
    draft = services.new_version(published)
    return published, draft


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_pages_render(operator, versions, builtins):
    for model in (Questionnaire, QuestionnaireVersion, Question):
        meta = model._meta
        response = operator.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert response.status_code == 200, model
    for obj in (*versions, versions[0].questionnaire, Question.objects.first()):
        assert operator.get(change_url(obj)).status_code == 200


def test_a_draft_is_editable_and_a_published_version_is_not(operator, versions):
    published, draft = versions
    editable = operator.get(change_url(draft)).content.decode()
    assert 'name="name"' in editable and 'name="questions-0-text"' in editable
    frozen = operator.get(change_url(published)).content.decode()
    assert 'name="name"' not in frozen and 'name="questions-0-text"' not in frozen
    response = operator.post(change_url(published), {"name": "Changed"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name == "Acme vetting"


def test_builtins_are_read_only(operator, builtins):
    version = QuestionnaireVersion.objects.get(questionnaire__code="pack-legal")
    page = operator.get(change_url(version.questionnaire)).content.decode()
    assert 'name="_save"' not in page
    assert 'name="_save"' not in operator.get(change_url(version)).content.decode()


def test_publish_action_validates(operator, versions):
    _, draft = versions
    url = reverse("admin:questionnaires_questionnaireversion_changelist")
    response = operator.post(
        url, {"action": "publish_drafts", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    empty = services.create_questionnaire(
        draft.questionnaire.organization, {"code": "e", "name": "E"}
    )
    version = empty.versions.get()
    response = operator.post(
        url, {"action": "publish_drafts", "_selected_action": [version.pk]}, follow=True
    )
    assert "nothing_scored" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
