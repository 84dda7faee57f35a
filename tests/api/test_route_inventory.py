"""The route walkers see every operation the schema documents.

The tenancy, role, blind-rating and outage tests walk `api_routes()` (the URL
configuration's viewset routes), so an operation documented in the OpenAPI
schema but served by something else would silently escape all of them. This
test compares the two inventories: a new operation must either be a viewset
route (and so be walked) or be listed below with the test that covers it.
"""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.api.routes import api_routes
from tests.seeding import seed_organization

# Documented operations served by plain API views, each covered by its own tests.
NOT_WALKED = {
    # The built-in capability catalog: the same rows for every organization,
    # read-only for everyone (tests/providers/test_catalog.py).
    ("/api/v1/capabilities/", "GET"),
    ("/api/v1/capabilities/{code}/", "GET"),
    # The caller's own organization: no id to guess, so nothing of another
    # organization to reach; roles and scopes in tests/accounts/.
    ("/api/v1/organization/", "GET"),
    ("/api/v1/organization/", "PATCH"),
    # Who the caller is: built from the credentials alone, no id to guess;
    # every kind of caller in tests/accounts/test_me.py.
    ("/api/v1/me/", "GET"),
    # Accepting with a token from an email: anonymous, no organization to cross;
    # tests/accounts/test_api_invitation_accept.py.
    ("/api/v1/invitations/accept/", "POST"),
    # The respondent API: a response link token is the only credential, and it
    # names one contact's request, so there is no id to guess. Member credentials
    # are refused there, link tokens on every buyer route, and a link never reaches
    # another candidate's response: tests/responses/test_api_respondent.py.
    ("/api/v1/respondent/", "GET"),
    ("/api/v1/respondent/questionnaire/", "GET"),
    ("/api/v1/respondent/answers/", "GET"),
    ("/api/v1/respondent/answers/", "PATCH"),
    ("/api/v1/respondent/clarifications/", "POST"),
    ("/api/v1/respondent/documents/", "GET"),
    ("/api/v1/respondent/documents/", "POST"),
    ("/api/v1/respondent/submit/", "POST"),
    # The findings shared with the link's provider, and replies about them: a finding
    # of another provider or organization is a 404 (tests/contracts/test_findings_thread.py).
    ("/api/v1/respondent/findings/", "GET"),
    ("/api/v1/respondent/findings/", "POST"),
}


def _schema_path(pattern: str) -> str:
    pattern = pattern.replace("^", "").replace("$", "")
    pattern = re.sub(r"\(\?P<pk>[^)]*\)", "{id}", pattern)
    return "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)


@pytest.fixture(scope="module")
def documented():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(path, method.upper()) for path, item in schema["paths"].items() for method in item}


def test_every_documented_operation_is_walked(documented):
    walked = {(_schema_path(r.pattern), method) for r in api_routes() for method in r.methods}
    assert documented - walked - NOT_WALKED == set()


def test_every_exception_is_still_documented(documented):
    assert documented >= NOT_WALKED, "remove operations that no longer exist from NOT_WALKED"


def test_walked_methods_the_schema_leaves_out_are_refused(documented, admin_client):
    """`PUT` is mapped by the routers but not offered: it answers 405, never acts."""
    context = seed_organization(admin_client.organization, admin_client.membership)
    for route in api_routes():
        for method in route.methods:
            if (_schema_path(route.pattern), method) in documented:
                continue
            assert method == "PUT", (route.name, method)
            parents = {name: context[name] for name in route.kwargs if name != "pk"}
            url = reverse(route.name, kwargs={**parents, "pk": 1})
            response = admin_client.put(url, data={}, format="json")
            assert response.status_code == 405, (url, response.status_code)
