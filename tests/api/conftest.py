import socket

import pytest

from accounts.models import Role
from integrations import ssrf
from tests.seeding import seed_organization


@pytest.fixture
def seeded(make_client, monkeypatch):
    """An admin client and the context of its organization, seeded with one of everything."""
    # Webhook URLs are checked to resolve to public addresses; this has no DNS.
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
    monkeypatch.setattr(ssrf, "getaddrinfo", lambda *args, **kwargs: public)
    client = make_client(Role.ADMIN)
    return client, seed_organization(client.organization, client.membership)
