"""Failed sign-ins, counted per username and per client address.

After ``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW_SECONDS``
for either key, sign-in is refused until the window ends, whether or not the
username exists (the count does not depend on it) and whether or not the
password would have been right. The rule sits in the authentication backend and
Django's ``user_login_failed`` signal, not in one form, so every way to sign in
with a password obeys it: our pages, ``/admin/`` and the browsable API's login.

Usernames are hashed into the key, so the cache never holds what was typed.
Like the API's rate limits (``config.throttling``), the counters live in the
cache and are a protection, not a function: when the cache is down, sign-in
works unthrottled.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from config.throttling import CACHE_ERRORS

log = logging.getLogger(__name__)


def client_address(request) -> str:
    # DRF's reading of REMOTE_ADDR and X-Forwarded-For under TRUSTED_PROXY_COUNT,
    # the same identity the API's anonymous rate limit uses.
    return BaseThrottle().get_ident(request)


def _keys(username: str, address: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return [f"signin-failures:user:{name}", f"signin-failures:addr:{address}"]


def is_locked_out(username: str, address: str) -> bool:
    try:
        counts = cache.get_many(_keys(username, address))
    except CACHE_ERRORS as exc:
        log.warning("sign-in failures not counted, the cache is unreachable: %s", exc)
        return False
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts.values())


def record_failure(username: str, address: str):
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    try:
        for key in _keys(username, address):
            # add then incr: atomic in Redis and the local cache. The window starts
            # at the first failure and is not extended by later ones.
            cache.add(key, 0, window)
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.add(key, 1, window)
    except CACHE_ERRORS as exc:
        log.warning("sign-in failures not counted, the cache is unreachable: %s", exc)


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, refused while the username or the
    client address is locked out (AUTHENTICATION_BACKENDS)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and is_locked_out(username or "", client_address(request)):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def count_failure(sender, credentials, request=None, **kwargs):
    """``user_login_failed`` receiver (connected in AccountsConfig.ready)."""
    if request is not None:
        record_failure(credentials.get("username") or "", client_address(request))
