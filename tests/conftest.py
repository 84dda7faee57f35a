import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, token_for
from tests.mail import SmtpServer


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def other_organization(db):
    return OrganizationFactory()


@pytest.fixture
def make_client(db):
    """``make_client(role, organization)`` -> an APIClient sending a member's Bearer token."""

    def build(role: str = Role.ADMIN, organization=None) -> APIClient:
        organization = organization or OrganizationFactory()
        membership = MembershipFactory(role=role, organization=organization)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(membership)}")
        client.membership = membership
        client.organization = membership.organization
        return client

    return build


@pytest.fixture
def admin_client(make_client, organization):
    return make_client(Role.ADMIN, organization)


@pytest.fixture
def evaluator_client(make_client, organization):
    return make_client(Role.EVALUATOR, organization)


@pytest.fixture
def viewer_client(make_client, organization):
    return make_client(Role.VIEWER, organization)


@pytest.fixture
def count_queries():
    """``with count_queries() as ctx: ...; len(ctx)`` — queries run inside the block."""

    def context():
        return CaptureQueriesContext(connection)

    return context


@pytest.fixture
def real_worker(transactional_db):
    """A real Celery worker thread consuming from the configured broker.

    Against Redis when REDIS_URL is set (CI), the in-memory transport otherwise.
    Tasks go through serialisation, the broker and acks exactly as in production.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd); Django's SMTP backend points at it.

    ``smtp_server.messages`` holds what it received (parsed ``EmailMessage`` with
    ``envelope_to``); ``refuse_next(n)`` makes the next n messages fail with a
    temporary error; addresses in ``unknown_addresses`` are refused for good;
    ``stop()`` / ``start()`` close and reopen the port.
    """
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


def pytest_report_header(config):
    return (
        f"database: {os.environ.get('DATABASE_URL', 'sqlite (default)')}; "
        f"broker: {os.environ.get('REDIS_URL', 'memory / eager (default)')}"
    )
