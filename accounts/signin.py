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


def _increment(key: str, window: int) -> int:
    # add then incr: atomic in Redis and the local cache. The window starts at the
    # first count and is not extended by later ones.
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, window)
        return 1


def record_failure(username: str, address: str):
    try:
        for key in _keys(username, address):
            _increment(key, settings.LOGIN_FAILURE_WINDOW_SECONDS)
    except CACHE_ERRORS as exc:
        log.warning("sign-in failures not counted, the cache is unreachable: %s", exc)


def may_send_reset_email(email: str) -> bool:
    """At most ``PASSWORD_RESET_EMAILS_PER_HOUR`` reset emails to one address, so the
    public reset form cannot be used to flood someone's mailbox. The page answers
    the same either way."""
    name = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    try:
        count = _increment(f"password-reset-emails:{name}", 3600)
    except CACHE_ERRORS as exc:
        log.warning("reset emails not counted, the cache is unreachable: %s", exc)
        return True
    return count <= settings.PASSWORD_RESET_EMAILS_PER_HOUR


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
