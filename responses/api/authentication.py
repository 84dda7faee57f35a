"""The respondent API's only credential: ``Authorization: Bearer rsp_<token>``.

Respondent views use this class alone, so a member's API token or session is
never a respondent; buyer views never use it, so a link token is never a member
(the buyer API looks a Bearer value up among API tokens only: a 401).
"""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from accounts.authentication import bearer_credential
from config.throttling import AtomicWindowMixin
from responses import links
from responses.models import ResponseContact

MESSAGES = {
    "invalid": "This is not a valid response link (mistyped, or replaced by a newer one).",
    "revoked": "This response link was revoked by the buyer; ask them for a new one.",
    "expired": "This response link has expired; ask the buyer for a new one.",
}


class Respondent(AnonymousUser):
    """The request user behind a link: a provider's contact, never a member."""

    def __init__(self, contact: ResponseContact):
        super().__init__()
        self.contact = contact
        self.username = f"respondent:{contact.email}"

    @property
    def is_authenticated(self):
        return True


class RespondentLinkAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        raw = bearer_credential(
            request, usage="Authorization: Bearer rsp_<token>", invalid=MESSAGES["invalid"]
        )
        if raw is None:
            return None
        if not raw.startswith(links.PREFIX):
            raise exceptions.AuthenticationFailed(
                "The respondent API takes a response link token (rsp_...), not an API token."
            )
        try:
            contact = links.find_contact(raw)
        except links.LinkUnusable as unusable:
            raise exceptions.AuthenticationFailed(
                MESSAGES[unusable.reason], code=f"link_{unusable.reason}"
            ) from None
        return Respondent(contact), contact

    def authenticate_header(self, request):
        return self.keyword


class IsRespondent(BasePermission):
    message = "Open this with your response link: Authorization: Bearer rsp_<token>."

    def has_permission(self, request, view):
        return isinstance(getattr(request, "auth", None), ResponseContact)


class RespondentLinkThrottle(AtomicWindowMixin, SimpleRateThrottle):
    """Requests per link (``THROTTLE_RESPONDENT_LINK``), whoever holds it, API and pages
    counted together: the API authenticates the contact (``request.auth``), the pages
    set ``request.respondent_contact``."""

    scope = "respondent_link"

    def get_cache_key(self, request, view):
        contact = getattr(request, "auth", None)
        if not isinstance(contact, ResponseContact):
            contact = getattr(request, "respondent_contact", None)
        if not isinstance(contact, ResponseContact):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"contact{contact.pk}"}


class RespondentLinkScheme(OpenApiAuthenticationExtension):
    target_class = "responses.api.authentication.RespondentLinkAuthentication"
    name = "respondentLink"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The token of a response link, as emailed to a provider's "
            "contact: `Authorization: Bearer rsp_<token>`.",
        }
