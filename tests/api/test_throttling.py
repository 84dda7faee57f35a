"""Rate limits: a bucket per integration key and per person, client addresses that
a header cannot fake, an atomic counter, and no 5xx when the cache is down."""

import logging
import socket
import threading
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient, APIRequestFactory

from accounts import token_cache
from accounts.authentication import IntegrationUser
from accounts.models import ApiToken, Role
from config import throttling
from tests.factories import token_for
from tests.services import require_redis


@pytest.fixture
def limit(monkeypatch):
    """``limit(anon=..., user=...)``: low rates for one test, on a clean cache."""
    monkeypatch.setattr(throttling, "_cache_down_until", 0.0)
    # Both come back as they were: a later test finds the caches in use.
    monkeypatch.setattr(token_cache, "_down_until", 0.0)

    def set_rates(anon="100000/minute", user="100000/minute"):
        cache.clear()
        rates = {"anon": anon, "user": user}
        monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(throttling.CallerRateThrottle, "THROTTLE_RATES", rates)

    yield set_rates
    cache.clear()


def integration_client(admin_client) -> APIClient:
    response = admin_client.post(
        "/api/v1/api-tokens/", {"name": f"crm-{uuid.uuid4()}", "integration": True}
    )
    assert response.status_code == 201, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def statuses(client, count, path="/api/v1/jobs/", **extra):
    return [client.get(path, **extra).status_code for _ in range(count)]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TestBuckets:
    def test_integration_keys_of_different_organizations_do_not_share_a_bucket(
        self, make_client, limit
    ):
        first = integration_client(make_client(Role.ADMIN))
        second = integration_client(make_client(Role.ADMIN))
        limit(user="2/minute")
        assert statuses(first, 3) == [200, 200, 429]
        assert statuses(second, 2) == [200, 200]

    def test_each_integration_key_of_an_organization_has_its_own_bucket(self, admin_client, limit):
        first, second = integration_client(admin_client), integration_client(admin_client)
        limit(user="2/minute")
        assert statuses(first, 3) == [200, 200, 429]
        assert statuses(second, 2) == [200, 200]

    def test_a_persons_tokens_share_the_persons_bucket(self, admin_client, limit):
        other_token = APIClient()
        other_token.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(admin_client.membership)}")
        limit(user="2/minute")
        assert statuses(admin_client, 2) == [200, 200]
        assert statuses(other_token, 1) == [429]

    def test_people_do_not_share_a_bucket(self, admin_client, viewer_client, limit):
        limit(user="1/minute")
        assert statuses(admin_client, 2) == [200, 429]
        assert statuses(viewer_client, 1) == [200]

    def test_retry_after_is_the_rest_of_the_window(self, admin_client, limit):
        limit(user="1/hour")
        admin_client.get("/api/v1/jobs/")
        response = admin_client.get("/api/v1/jobs/")
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 3600


class TestClientAddress:
    def test_x_forwarded_for_does_not_change_the_anonymous_bucket(self, db, limit):
        limit(anon="2/minute")
        client = APIClient()
        codes = [
            client.get("/api/docs/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
            for n in range(3)
        ]
        assert codes == [200, 200, 429]

    def test_with_a_trusted_proxy_the_address_it_appended_is_the_client(self, db, limit):
        request = APIRequestFactory().get(
            "/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9", REMOTE_ADDR="10.0.0.2"
        )
        with override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1}):
            assert throttling.AnonRateThrottle().get_ident(request) == "203.0.113.9"
        assert throttling.AnonRateThrottle().get_ident(request) == "10.0.0.2"


def integration_request(pk: int):
    token = ApiToken(pk=pk, membership=None)
    request = APIRequestFactory().get("/api/v1/jobs/")
    request.user, request.auth = IntegrationUser(token), token
    return request


def test_concurrent_requests_never_exceed_the_limit_on_redis(limit, monkeypatch):
    require_redis()
    limit(user="10/hour")
    # A fixed instant in the middle of a window: every request counts in the same one.
    monkeypatch.setattr(throttling.CallerRateThrottle, "timer", lambda self: 1_800_000_000.0)
    request = integration_request(pk=10**9 + uuid.uuid4().int % 10**6)
    barrier = threading.Barrier(40)
    allowed = []

    def fire():
        throttle = throttling.CallerRateThrottle()
        barrier.wait()
        allowed.append(throttle.allow_request(request, None))

    threads = [threading.Thread(target=fire) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(allowed) == 40
    assert allowed.count(True) == 10


class TestCacheOutage:
    @pytest.fixture
    def unreachable_cache(self, limit):
        limit(user="1/minute", anon="1/minute")
        location = f"redis://127.0.0.1:{closed_port()}/0"
        backend = "django.core.cache.backends.redis.RedisCache"
        with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": location}}):
            yield

    def test_requests_pass_and_a_warning_is_logged(
        self, admin_client, unreachable_cache, caplog, monkeypatch
    ):
        with caplog.at_level(logging.WARNING, logger="config.throttling"):
            assert statuses(admin_client, 1) == [200]
        assert "rate limits not enforced, the cache is unreachable" in caplog.text
        # Later requests skip the cache for a while instead of waiting on it again.
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="config.throttling"):
            assert statuses(admin_client, 2) == [200, 200]
        assert caplog.text == ""
        monkeypatch.setattr(throttling, "_cache_down_until", 0.0)
        assert statuses(integration_client(admin_client), 2) == [200, 200]

    def test_anonymous_requests_pass(self, db, unreachable_cache):
        assert statuses(APIClient(), 2, path="/api/docs/") == [200, 200]


class TestRedisRoundTrips:
    def test_a_throttled_request_costs_one_round_trip(self, limit, monkeypatch):
        """The window's counter is created and incremented in one pipeline, with its
        expiry; the count goes on from there."""
        require_redis()
        import redis

        limit(user="3/hour")
        trips = []
        for cls, name in ((redis.Redis, "execute_command"), (redis.client.Pipeline, "execute")):
            original = getattr(cls, name)

            def counted(self, *args, _original=original, _name=name, **kwargs):
                if _name == "execute" or not isinstance(self, redis.client.Pipeline):
                    trips.append(_name)
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(cls, name, counted)
        throttle = throttling.CallerRateThrottle()
        request = integration_request(pk=10**9 + uuid.uuid4().int % 10**6)
        assert [throttle.allow_request(request, None) for _ in range(4)] == [
            True,
            True,
            True,
            False,
        ]
        assert trips == ["execute"] * 4
        key = cache.make_and_validate_key(
            f"{throttle.get_cache_key(request, None)}:{int(throttle.now // 3600)}"
        )
        client = cache._cache.get_client(key)
        assert int(client.get(key)) == 4
        assert 3600 < client.ttl(key) <= 3600 + throttling.EXPIRY_SLACK_SECONDS
