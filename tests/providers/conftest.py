import pytest
from rest_framework.test import APIClient

from accounts.models import TokenScope
from accounts.services import issue_token


@pytest.fixture
def integration_client(organization):
    """``integration_client(scope)`` -> an APIClient with an organization integration key."""

    def build(scope: str = TokenScope.READ) -> APIClient:
        _, raw = issue_token(organization, name=f"crm-{scope}", scope=scope)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        client.organization = organization
        return client

    return build
