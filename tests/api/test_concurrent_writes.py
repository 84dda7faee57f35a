"""The same valid write sent several times at once never answers 5xx.

Reuses the valid requests of tests/api/test_cross_org_references.py (one per
writing operation that names another object, so every such route is covered
and a new one must bring a sample). Each goes out from four threads at once,
each thread with its own database connection, against PostgreSQL (where
concurrent transactions really interleave). A race may legitimately refuse a
copy (409, 400 for a duplicate) but must never crash. Upserts (answers,
ratings, overrides) are idempotent, so there every copy must succeed.
"""

import threading

import pytest
from django.db import connections

from accounts.models import Role
from tests.api.test_cross_org_references import REFERENCES, SAMPLES, _send, _url
from tests.seeding import seed_organization
from tests.services import require_postgres

COPIES = 4
# Upserts are idempotent: every copy must succeed, a lost race is retried.
UPSERTS = {"evaluation_answers_create", "evaluation_ratings_create", "evaluation_overrides_create"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", sorted(SAMPLES), ids=":".join)
def test_concurrent_copies_of_a_write_never_crash(make_client, key):
    require_postgres()
    client = make_client(Role.ADMIN)
    context = seed_organization(client.organization, client.membership)
    field, sample = REFERENCES[key], SAMPLES[key]
    if sample.prepare:
        sample.prepare(context)
    url = _url(field, sample, context)
    body = sample.body(context, sample.ref(context))

    barrier = threading.Barrier(COPIES)
    responses = []

    def send():
        try:
            barrier.wait(timeout=30)
            responses.append(_send(client, field, url, body, context))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(response.status_code for response in responses)
    assert len(statuses) == COPIES
    assert all(status < 500 for status in statuses), (key, statuses)
    assert any(200 <= status < 300 for status in statuses), (key, statuses)
    if key[0] in UPSERTS:
        assert all(200 <= status < 300 for status in statuses), (key, statuses)
    for response in responses:
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json"), key
