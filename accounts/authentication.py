"""`Authorization: Bearer <token>` against hashed ApiToken rows."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts import token_cache
from accounts.models import ApiToken, hash_token

# last_used_at is a hint for humans; writing it on every request would turn
# each read into a write, so it is refreshed at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# When this process last wrote each token's last_used_at (by hash): a cached
# token keeps the value it was cached with, which says nothing of later writes.
# Bounded: forgetting only costs one early write per token.
_last_written: dict[str, object] = {}
MAX_REMEMBERED = 10_000


class IntegrationUser(AnonymousUser):
    """The request user behind an organization-level integration key."""

    def __init__(self, token: ApiToken):
        super().__init__()
        self.token = token
        self.username = f"integration:{token.prefix}"

    is_active = True

    @property
    def is_authenticated(self):
        return True

    def __str__(self):
        return self.username


def bearer_credential(request, *, usage: str, invalid: str) -> str | None:
    """The credential of an `Authorization: Bearer ...` header; None without one.

    A malformed header is refused with ``usage`` (the expected form) or ``invalid``
    (not ASCII), the same way for every Bearer scheme of the service.
    """
    header = authentication.get_authorization_header(request).split()
    if not header or header[0].lower() != b"bearer":
        return None
    if len(header) != 2:
        raise exceptions.AuthenticationFailed(f"Expected '{usage}'.")
    try:
        return header[1].decode("ascii")
    except UnicodeDecodeError:
        raise exceptions.AuthenticationFailed(invalid) from None


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        raw = bearer_credential(
            request, usage="Authorization: Bearer <token>", invalid="Invalid token."
        )
        if raw is None:
            return None
        digest = hash_token(raw)
        token = token_cache.lookup(digest)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        last = max(filter(None, (token.last_used_at, _last_written.get(digest))), default=None)
        if last is None or now - last > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            if len(_last_written) >= MAX_REMEMBERED:
                _last_written.clear()
            _last_written[digest] = last = now
        token.last_used_at = last
        user = token.membership.user if token.membership_id else IntegrationUser(token)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("This user is inactive.")
        return user, token

    def authenticate_header(self, request):
        return self.keyword
