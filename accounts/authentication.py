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


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Expected 'Authorization: Bearer <token>'.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
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
