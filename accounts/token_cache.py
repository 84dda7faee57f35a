"""Bearer tokens kept in Django's cache (Redis in production), keyed by their hash.

A request with a cached token reads no row: the cached ``ApiToken`` carries its
organization, membership and user, exactly what ``select_related`` loads.
Nothing may act on a stale entry, so every write that changes what a token can
do replaces the entries it concerns with a tombstone, at once and again after
the transaction commits. A tombstone sends the lookup to the database, and
entries are only ever added where there is none (``cache.add``), so a request
that read the old rows while the change was being made cannot leave them
cached over the tombstone. The writes:

- the token itself saved (revoked, rescoped, renamed) or deleted;
- its membership saved (role) or deleted (the member removed);
- its user saved (deactivated) or deleted;
- its organization saved or deleted.

Bulk revocations go through ``revoke_tokens``, which forgets what it revokes,
since ``QuerySet.update`` sends no signal. A cache that cannot be reached is
skipped (the row is read, as without a cache); so that an entry cannot outlive
an invalidation that failed because the cache was unreachable for longer than
a bound, entries (and tombstones) expire after ``ENTRY_SECONDS``.
"""

import copy
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.utils import timezone

from accounts.models import ApiToken, Membership, Organization
from config.throttling import CACHE_ERRORS, RETRY_CACHE_AFTER

log = logging.getLogger(__name__)

ENTRY_SECONDS = 600
KEY = "apitoken:%s"
# What a changed token's key holds until it expires: "read the row".
TOMBSTONE = "changed"

# Monotonic time before which this process reads token rows without the cache,
# after it failed (like the rate limits: no connect timeout on every request).
_down_until = 0.0


def _unreachable(exc: Exception, doing: str) -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_CACHE_AFTER
    log.warning("token cache unreachable, %s: %s", doing, exc)


def lookup(token_hash: str) -> ApiToken | None:
    """The valid token with this hash, from the cache or else from the database.

    Only with ``settings.TOKEN_CACHE``: a cache each process keeps for itself
    (no REDIS_URL) would not see the others' invalidations.
    """
    key, entry = KEY % token_hash, None
    reachable = settings.TOKEN_CACHE and time.monotonic() >= _down_until
    if reachable:
        try:
            entry = cache.get(key)
        except CACHE_ERRORS as exc:
            _unreachable(exc, "reading the token row")
            reachable = False
    if isinstance(entry, ApiToken):
        return entry
    try:
        # get(), not first(): the hash is unique, so no ORDER BY to build and run.
        token = ApiToken.objects.select_related("organization", "membership__user").get(
            token_hash=token_hash, revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if reachable and entry is None:  # a tombstone stays until it expires
        try:
            cache.add(key, _without_secrets(token), ENTRY_SECONDS)
        except CACHE_ERRORS as exc:
            _unreachable(exc, "token not cached")
    return token


def _without_secrets(token: ApiToken) -> ApiToken:
    """A copy to cache without the user's password hash: a Bearer request never
    checks a password, and the cache need not hold what the database guards."""
    cached = copy.deepcopy(token)
    if cached.membership is not None:
        cached.membership.user.password = ""
    return cached


def forget(hashes) -> None:
    """Tombstone these tokens now and once the current transaction commits."""
    entries = dict.fromkeys((KEY % token_hash for token_hash in hashes), TOMBSTONE)
    if not entries:
        return
    _bury(entries)
    transaction.on_commit(lambda: _bury(entries))


def _bury(entries: dict[str, str]) -> None:
    # Always tried, even while reads skip the cache: a missed tombstone is the
    # one thing that could leave a stale entry behind.
    try:
        cache.set_many(entries, ENTRY_SECONDS)
    except CACHE_ERRORS as exc:
        log.error("token cache unreachable, %d entries left to expire: %s", len(entries), exc)


def revoke_tokens(tokens) -> int:
    """Revoke every valid token of the queryset ``tokens``, and forget them."""
    valid = tokens.filter(revoked_at__isnull=True)
    hashes = list(valid.values_list("token_hash", flat=True))
    count = valid.update(revoked_at=timezone.now())
    forget(hashes)
    return count


def _forget_token(sender, instance, created=False, **kwargs):
    if not created:  # a new token has no entry yet: it may be cached at its first use
        forget([instance.token_hash])


def _forget_membership(sender, instance, created=False, **kwargs):
    if created:  # nothing can have a token yet
        return
    forget(ApiToken.objects.filter(membership_id=instance.pk).values_list("token_hash", flat=True))


def _forget_user(sender, instance, created=False, **kwargs):
    if created:  # nothing can have a token yet
        return
    forget(
        ApiToken.objects.filter(membership__user_id=instance.pk).values_list(
            "token_hash", flat=True
        )
    )


def _forget_organization(sender, instance, created=False, **kwargs):
    if created:  # nothing can have a token yet
        return
    forget(
        ApiToken.objects.filter(organization_id=instance.pk).values_list("token_hash", flat=True)
    )


def connect() -> None:
    """Wire the invalidations (``AccountsConfig.ready``). Deletions are seen before
    they happen, while the tokens they cascade to can still be found."""
    for model, receiver in (
        (ApiToken, _forget_token),
        (Membership, _forget_membership),
        (get_user_model(), _forget_user),
        (Organization, _forget_organization),
    ):
        uid = f"accounts.token_cache.{receiver.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        pre_delete.connect(receiver, sender=model, dispatch_uid=uid + ".delete")
