"""The Django admin pages of the provider catalog render."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    make_document,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def objects():
    provider = ProviderFactory(tags=["shortlist"])
    return {
        "provider": provider,
        "capabilityoffering": OfferingFactory(provider=provider),
        "reference": ReferenceFactory(provider=provider),
        "slaterm": SlaTermFactory(provider=provider),
        "document": make_document(provider),
    }


@pytest.mark.parametrize(
    "model", ["provider", "capabilityoffering", "reference", "slaterm", "document", "capability"]
)
def test_changelists_render_with_search_and_filters(staff, objects, model):
    url = reverse(f"admin:providers_{model}_changelist")
    assert staff.get(url).status_code == 200
    assert staff.get(url + "?q=a").status_code == 200


@pytest.mark.parametrize(
    "model", ["provider", "capabilityoffering", "reference", "slaterm", "document"]
)
def test_change_pages_render(staff, objects, model):
    url = reverse(f"admin:providers_{model}_change", args=[objects[model].pk])
    assert staff.get(url).status_code == 200


def test_provider_page_has_the_child_inlines(staff, objects):
    provider = objects["provider"]
    page = staff.get(reverse("admin:providers_provider_change", args=[provider.pk])).content
    for prefix in (b"offerings-TOTAL_FORMS", b"references-TOTAL_FORMS", b"slas-TOTAL_FORMS"):
        assert prefix in page


def test_catalog_and_documents_cannot_be_added_in_the_admin(staff):
    assert staff.get(reverse("admin:providers_capability_add")).status_code == 403
    assert staff.get(reverse("admin:providers_document_add")).status_code == 403
