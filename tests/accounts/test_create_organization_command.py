from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership, Organization


def run(**extra) -> str:
    out = StringIO()
    call_command(
        "create_organization",
        "--name",
        "Acme",
        "--slug",
        "acme",
        "--admin",
        "ada",
        "--quiet",
        stdout=out,
        **extra,
    )
    return out.getvalue().strip()


@pytest.mark.django_db
def test_command_is_idempotent_and_leaves_one_valid_token():
    first = run()
    second = run()
    assert first != second
    assert Organization.objects.filter(slug="acme").count() == 1
    membership = Membership.objects.get(organization__slug="acme", user__username="ada")
    assert membership.role == "admin"
    assert ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {first}")
    assert client.get("/api/v1/organization").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert client.get("/api/v1/organization").json()["slug"] == "acme"


@pytest.mark.django_db
def test_keep_existing_token_leaves_an_exported_token_valid():
    exported = run()
    out = StringIO()
    call_command(
        "create_organization",
        *("--name", "Acme", "--slug", "acme", "--admin", "ada", "--keep-existing-token"),
        stdout=out,
    )
    assert "still valid and was kept" in out.getvalue()
    assert exported not in out.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {exported}")
    assert client.get("/api/v1/organization").json()["slug"] == "acme"
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_keep_existing_token_issues_one_when_none_is_valid():
    raw = run(keep_existing_token=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/organization").json()["slug"] == "acme"
