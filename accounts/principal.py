"""Who is calling, on behalf of which organization, with which role.

Every API request resolves to one Principal. Integration keys act for the
organization: a ``read`` key reads like a viewer; a ``read_write`` key may also
write wherever a view allows integration writes. A personal token acts with its
member's role, and a ``read`` personal token only reads (with that role).
"""

from dataclasses import dataclass

from django.db import models
from rest_framework.exceptions import NotAuthenticated, PermissionDenied

from accounts.models import ApiToken, Membership, Organization, Role, TokenScope

ORGANIZATION_HEADER = "HTTP_X_ORGANIZATION"
# Where the sign-in pages keep the organization a person chose (accounts.views).
SESSION_ORGANIZATION_KEY = "organization_slug"


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "A member's personal API token"
    INTEGRATION = "integration", "An organization-level integration key"
    SESSION = "session", "A signed-in browser session"


@dataclass(frozen=True)
class Principal:
    organization: Organization
    role: str
    membership: Membership | None = None
    token: ApiToken | None = None

    @property
    def is_integration(self) -> bool:
        return self.token is not None and self.token.membership_id is None

    @property
    def read_only(self) -> bool:
        """A read-scoped token: safe methods only, whatever the role."""
        return self.token is not None and self.token.scope == TokenScope.READ

    @property
    def user(self):
        return self.membership.user if self.membership else None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def token_kind(self) -> str:
        if self.token is None:
            return TokenKind.SESSION
        return TokenKind.INTEGRATION if self.is_integration else TokenKind.PERSONAL


def principal_for_token(token: ApiToken) -> Principal:
    if token.membership_id is not None:
        return Principal(token.organization, token.membership.role, token.membership, token)
    role = Role.ADMIN if token.scope == TokenScope.READ_WRITE else Role.VIEWER
    return Principal(token.organization, role, None, token)


def resolve_principal(request) -> Principal:
    """The caller's principal, computed once per request."""
    django_request = getattr(request, "_request", request)
    cached = getattr(django_request, "_scorecards_principal", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        principal = principal_for_token(auth)
    else:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise NotAuthenticated()
        memberships = Membership.objects.select_related("organization").filter(user=user)
        slug = django_request.META.get(ORGANIZATION_HEADER)
        if slug:
            membership = memberships.filter(organization__slug=slug).first()
        else:
            # The choice made on the sign-in pages (accounts.views), when it still
            # names one of the user's organizations; else the oldest membership.
            chosen = getattr(django_request, "session", {}).get(SESSION_ORGANIZATION_KEY)
            membership = chosen and memberships.filter(organization__slug=chosen).first()
            membership = membership or memberships.order_by("id").first()
        if membership is None:
            raise PermissionDenied("You are not a member of any organization.")
        principal = Principal(membership.organization, membership.role, membership)
    django_request._scorecards_principal = principal
    return principal


def stored_user(user):
    """The user to record as an actor or author: None for an integration key or an
    anonymous caller, which are not rows a foreign key can point at."""
    return user if getattr(user, "pk", None) else None
