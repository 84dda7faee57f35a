"""Redis unreachable (cache and broker at once): no API request answers 5xx.

Walks every viewset route under /api/v1/ (GET on lists, details and actions,
POST with an empty body on every route that takes one), so routes added later
are covered, then checks representative writes: a create, a conditional
update, an idempotent retry, and queued work answering 202 with the job pending.

Two outages: nothing listens on Redis's port (runs everywhere), and a private
redis-server that answered and then stopped, leaving dead pooled connections
(needs redis-server: skipped locally without it, a failure in CI).
"""

import uuid

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import token_cache
from accounts.models import Role
from config import throttling
from jobs.models import Job, JobStatus
from providers.models import Provider
from tests.api.routes import api_routes
from tests.private_redis import free_port, running_private_redis, use_broker
from tests.seeding import seed_organization

ROUTES = api_routes()


def _items(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def _url(route, context, ids_by_basename) -> str:
    kwargs = {name: context[name] for name in route.kwargs if name != "pk"}
    if "pk" in route.kwargs:
        kwargs["pk"] = ids_by_basename[route.basename]
    return reverse(route.name, kwargs=kwargs)


def _first_ids(client, context) -> dict:
    """The id of the first object of every list, read while Redis still answers."""
    ids = {}
    for route in (r for r in ROUTES if r.is_list):
        kwargs = {name: context[name] for name in route.kwargs}
        response = client.get(reverse(route.name, kwargs=kwargs))
        assert response.status_code == 200, (route.name, response.content[:300])
        ids[route.basename] = _items(response)[0]["id"]
    return ids


@pytest.fixture
def seeded(make_client):
    client = make_client(Role.ADMIN)
    context = seed_organization(client.organization, client.membership)
    ids = _first_ids(client, context)
    return client, context, ids


@pytest.fixture
def point_redis_at(monkeypatch):
    """``point_redis_at(url)``: this process's cache and broker use Redis at ``url``."""
    from config.celery import app

    monkeypatch.setattr(throttling, "_cache_down_until", 0.0)
    # Both come back as they were: a later test finds the caches in use.
    monkeypatch.setattr(token_cache, "_down_until", 0.0)
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    overrides = []

    def point(url):
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        overrides.append(override_settings(CACHES={"default": cache}))
        overrides[-1].enable()
        use_broker(url, eager=False)

    yield point
    app.pool.force_close_all()
    use_broker(*previous)
    for override in overrides:
        override.disable()


@pytest.fixture(params=["nothing-listening", "server-stopped"])
def redis_down(request, seeded, point_redis_at, tmp_path):
    client = seeded[0]
    if request.param == "nothing-listening":
        point_redis_at(f"redis://127.0.0.1:{free_port()}/0")
        yield
        return
    with running_private_redis(tmp_path) as server:
        point_redis_at(server.url)
        # Warm both connection pools, so the outage leaves them holding dead sockets.
        assert client.get("/api/v1/jobs/").status_code == 200
        assert client.post("/api/v1/jobs/ping/").status_code == 202
        server.stop()
        yield


def test_every_route_answers_without_5xx_while_redis_is_down(transactional_db, seeded, redis_down):
    client, context, ids = seeded
    failures = []

    def check(method, route, url, **kwargs):
        response = getattr(client, method)(url, **kwargs)
        if response.status_code >= 500:
            failures.append((method.upper(), route.name, response.status_code))

    for route in (r for r in ROUTES if "GET" in r.methods):
        check("get", route, _url(route, context, ids))
    for route in (r for r in ROUTES if "POST" in r.methods):
        check("post", route, _url(route, context, ids), data={}, format="json")
    assert failures == []


def test_writes_and_queued_work_succeed_while_redis_is_down(transactional_db, seeded, redis_down):
    client, context, _ = seeded
    evaluation_url = f"/api/v1/evaluations/{context['evaluation_pk']}/"

    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    created = client.post("/api/v1/providers/", {"name": "Outage Ltd"}, format="json", **key)
    assert created.status_code == 201, created.content
    again = client.post("/api/v1/providers/", {"name": "Outage Ltd"}, format="json", **key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == created.json()["id"]
    assert Provider.objects.filter(name="Outage Ltd").count() == 1

    etag = client.get(evaluation_url)["ETag"]
    updated = client.patch(
        evaluation_url, {"description": "during the outage"}, format="json", HTTP_IF_MATCH=etag
    )
    assert updated.status_code == 200, updated.content

    scoring = client.post(f"{evaluation_url}score/")
    assert scoring.status_code == 202, scoring.content
    job = Job.objects.get(pk=scoring.json()["id"])
    assert job.status == JobStatus.PENDING
    assert job.error.startswith("Not queued yet: the task queue was unreachable")

    webhook_test = client.post(f"/api/v1/webhooks/{context['webhook_pk']}/test/")
    assert webhook_test.status_code < 500, webhook_test.content

    integration = client.post(
        "/api/v1/api-tokens/", {"name": "crm", "integration": True}, format="json"
    )
    assert integration.status_code == 201, integration.content
    crm = APIClient()
    crm.credentials(HTTP_AUTHORIZATION=f"Bearer {integration.json()['token']}")
    assert crm.get("/api/v1/scorecards/").status_code == 200
