"""The page that loads the console: signed-in people only, the same page for every
address under /console/, and everything it loads is served by this site."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from accounts.services import bootstrap_organization


@pytest.fixture
def member(db):
    bootstrap_organization(name="Acme", slug="acme", username="lead", password="pw-lead-12345")
    return "lead"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/console/providers/3/show")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/console/providers/3/show"


@pytest.mark.parametrize("path", ["/console/", "/console/providers/create", "/console/x/1/show"])
def test_every_console_address_is_the_app_page(client, member, path):
    client.login(username=member, password="pw-lead-12345")
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-entrypoint="/api/v1/"' in page
    assert 'data-doc-entrypoint="/api/schema/admin/"' in page
    assert 'data-basename="/console"' in page
    assert 'data-username="lead"' in page
    # The token unsafe API requests carry (session authentication checks CSRF).
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert token and response.cookies["csrftoken"].value
    assert '<script type="module" src="/static/console/console.js">' in page


def test_the_page_loads_nothing_from_other_sites(client, member):
    client.login(username=member, password="pw-lead-12345")
    page = client.get("/console/").content.decode()
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)


def test_the_bundle_is_a_static_file_of_the_site():
    bundle = finders.find("console/console.js")
    assert bundle is not None
    text = Path(bundle).read_text(encoding="utf-8")
    # Built in production mode, with no source map to fetch.
    assert "sourceMappingURL" not in text
