"""Property-based conformance of every operation against the live OpenAPI schema.

Runs in-process (WSGI) as an organization admin, with the organization seeded
with one of everything, so generated ids can hit real objects. Checks: no 5xx,
status codes, content types, headers and bodies match the schema, and
schema-violating requests are refused.

One check is left out here: `positive_data_acceptance` expects every
schema-valid request to succeed, but a schema cannot say which ids exist or
which field combinations the domain rules allow (an MSSP must state its SOC
model), so a random valid-looking body is rightly a 400.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import Role
from config.wsgi import application
from tests.seeding import seed_organization


@pytest.fixture
def api_schema():
    # Like Django's test client: keep the test's connection open across
    # in-process requests, or the test transaction would be closed under us.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def bearer(make_client):
    client = make_client(Role.ADMIN)
    seed_organization(client.organization, client.membership)
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate(
        headers={"Authorization": bearer}, excluded_checks=[positive_data_acceptance]
    )
