"""Rate limits: one atomic counter per caller and window, open when the cache is down.

DRF's ``SimpleRateThrottle`` reads a request history, then writes it back:
concurrent requests all read the same history and all pass. Here each request
increments a counter in the cache (``add`` then ``incr``, both atomic in Redis
and in the in-process cache), and the request is allowed when its own count is
within the limit, so of N simultaneous requests exactly ``limit`` pass. With
Redis both go in one pipeline, one round trip (``SET NX EX`` then ``INCR``),
where the cache API's ``add`` and ``incr`` take three (``incr`` checks that
the key exists first).
Windows are fixed (``duration`` seconds from the epoch), so a client may spend
one window's limit at its end and the next one's right after; ``Retry-After``
is the time left in the current window.

Buckets (README, "Retries and idempotency"):

- anonymous requests: the client address, taking ``TRUSTED_PROXY_COUNT``
  (DRF ``NUM_PROXIES``) proxies into account, so a made-up ``X-Forwarded-For``
  is never the identity;
- integration keys: one bucket per key;
- people (personal tokens and sessions): one bucket per user, so minting more
  tokens does not raise a person's limit.

A rate limit is a protection, not a function the API needs: when the cache
cannot be reached the request is allowed and a warning logged, and the cache is
not tried again for ``RETRY_CACHE_AFTER`` seconds so that an unreachable host
does not add a connect timeout to every request.
"""

import logging
import time

from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework import throttling

from accounts.models import ApiToken

log = logging.getLogger(__name__)

RETRY_CACHE_AFTER = 5.0
# A window's counter outlives the window by this much, so it cannot expire
# between the add and the incr of a request that started at the window's end.
EXPIRY_SLACK_SECONDS = 60

# Monotonic time before which the cache is assumed down (per process).
_cache_down_until = 0.0


# What Django's Redis cache raises when Redis is down, refuses or times out.
CACHE_ERRORS = (RedisError, OSError)


class AtomicWindowMixin:
    """An atomic fixed-window counter for a ``SimpleRateThrottle`` subclass."""

    def allow_request(self, request, view):
        global _cache_down_until
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        if time.monotonic() < _cache_down_until:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        self.now = now
        try:
            count = self._increment(f"{key}:{window}")
        except CACHE_ERRORS as exc:
            _cache_down_until = time.monotonic() + RETRY_CACHE_AFTER
            log.warning("rate limits not enforced, the cache is unreachable: %s", exc)
            return True
        return count <= self.num_requests

    def _increment(self, key: str) -> int:
        # DRF's throttles hold django.core.cache.cache, a proxy for the default cache.
        backend = caches["default"] if self.cache is default_cache else self.cache
        if isinstance(backend, RedisCache):
            return self._increment_in_redis(backend, key)
        self.cache.add(key, 0, self.duration + EXPIRY_SLACK_SECONDS)
        try:
            return self.cache.incr(key)
        except ValueError:  # evicted since the add: this request opens the window again
            self.cache.add(key, 1, self.duration + EXPIRY_SLACK_SECONDS)
            return 1

    def _increment_in_redis(self, backend: RedisCache, key: str) -> int:
        """``add`` and ``incr`` in one round trip. The counter is created with its
        expiry, and INCR can never meet an expired key: a window's key outlives the
        window by ``EXPIRY_SLACK_SECONDS``. Django's cache API has no pipeline, so
        its client is reached through the backend (same key and value encoding:
        integers are stored as they are)."""
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.set(full_key, 0, ex=self.duration + EXPIRY_SLACK_SECONDS, nx=True)
        pipeline.incr(full_key)
        return pipeline.execute()[1]

    def wait(self):
        return max(1.0, self.window_ends_at - self.now)


class AnonRateThrottle(AtomicWindowMixin, throttling.AnonRateThrottle):
    """Unauthenticated requests, per client address (``get_ident``, NUM_PROXIES)."""


class CallerRateThrottle(AtomicWindowMixin, throttling.UserRateThrottle):
    """Authenticated requests: per integration key, or per user for people."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None  # AnonRateThrottle's
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken) and token.is_integration_key:
            ident = f"key{token.pk}"
        else:
            ident = f"user{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
