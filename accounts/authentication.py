"""`Authorization: Bearer <token>` against hashed ApiToken rows."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, hash_token

# last_used_at is a hint for humans; writing it on every request would turn
# each read into a write, so it is refreshed at most this often.
LAST_USED_RESOLUTION = timedelta(minutes=1)


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
        try:
            # get(), not first(): the hash is unique, so no ORDER BY to build and run.
            token = ApiToken.objects.select_related("organization", "membership__user").get(
                token_hash=hash_token(raw), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.") from None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        user = token.membership.user if token.membership_id else IntegrationUser(token)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("This user is inactive.")
        return user, token

    def authenticate_header(self, request):
        return self.keyword
