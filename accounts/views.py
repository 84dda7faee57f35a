"""Server-rendered pages for people: joining by invitation, choosing an organization,
and one's own API tokens. Signing in, out and resetting a password are Django's
views with our templates and forms (accounts/urls.py).

Each view validates, calls one service and renders; the rules live in
accounts.invitations and accounts.services.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import APIException

from accounts import invitations
from accounts.forms import JoinForm, TokenForm
from accounts.models import ApiToken, InvitationStatus, Membership
from accounts.principal import SESSION_ORGANIZATION_KEY, resolve_principal
from accounts.services import issue_token

# Why a link cannot be used, for the page that says so: (HTTP status, title, text).
UNUSABLE = {
    "invalid": (
        404,
        "This invitation link does not work",
        "The link may be incomplete or mistyped, or a newer invitation email replaced it. "
        "Use the link of the latest email, or ask whoever invited you to send it again.",
    ),
    InvitationStatus.EXPIRED: (
        410,
        "This invitation has expired",
        "Ask whoever invited you to send it again: the new email has a fresh link.",
    ),
    InvitationStatus.REVOKED: (
        410,
        "This invitation was withdrawn",
        "It can no longer be used. Ask the organization's admins if you should still join.",
    ),
    InvitationStatus.ACCEPTED: (
        410,
        "This invitation was already used",
        "Each invitation link works once. If you accepted it, sign in.",
    ),
    "other_account": (
        403,
        "This invitation is for another address",
        "Sign out, then open the link again and sign in with the invited address.",
    ),
    "member": (
        409,
        "You are already a member",
        "Your account already belongs to this organization: sign in to use it.",
    ),
}


def _message(request, status: int, title: str, text: str, **context):
    return render(
        request, "accounts/message.html", {"title": title, "text": text, **context}, status=status
    )


def _unusable(request, error: invitations.InvitationUnusable):
    status, title, text = UNUSABLE[error.reason]
    return _message(request, status, title, text)


def _joined(request, membership: Membership):
    request.session[SESSION_ORGANIZATION_KEY] = membership.organization.slug
    messages.success(request, f"You joined {membership.organization.name}.")
    return redirect("account-tokens")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """The link of an invitation email. A new address sets a username and password
    here; the owner of an existing account signs in first, then joins."""
    try:
        invitation = invitations.find(token)
    except invitations.InvitationUnusable as error:
        return _unusable(request, error)
    context = {"invitation": invitation, "organization": invitation.organization}
    user = request.user
    if user.is_authenticated:
        if invitations.normalize_email(user.email) != invitation.email:
            return _message(
                request,
                403,
                "This invitation is for another address",
                f"It was sent to {invitation.email}, and you are signed in as "
                f"{user.get_username()}. Sign out, then open the link again.",
                show_sign_out=True,
            )
        if request.method == "POST":
            try:
                membership = invitations.accept_as_existing_user(token, user=user)
            except invitations.InvitationUnusable as error:
                return _unusable(request, error)
            return _joined(request, membership)
        return render(request, "accounts/invitation_join.html", context)
    if invitations.existing_account(invitation) is not None:
        return render(request, "accounts/invitation_sign_in.html", context)
    form = JoinForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        initial={"username": invitation.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = invitations.accept_as_new_user(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except invitations.UsernameTaken:
            form.add_error("username", "This username is taken; choose another one.")
        except invitations.AccountExists:  # created since the page was shown
            return render(request, "accounts/invitation_sign_in.html", context)
        except invitations.InvitationUnusable as error:
            return _unusable(request, error)
        else:
            login(request, membership.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return _joined(request, membership)
    return render(request, "accounts/invitation_new_account.html", {**context, "form": form})


def _membership(request) -> Membership | None:
    try:
        return resolve_principal(request).membership
    except APIException:  # signed in, but a member of no organization
        return None


def _tokens_page(request, membership, form, created=None, status=200):
    tokens = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True)
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    context = {
        "membership": membership,
        "memberships": memberships.order_by("organization__name"),
        "tokens": tokens,
        "form": form,
        "created": created,
    }
    return render(request, "accounts/tokens.html", context, status=status)


def _no_organization(request):
    return _message(
        request,
        403,
        "You are not a member of any organization",
        "Ask an organization's admins for an invitation.",
        show_sign_out=True,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Your personal API tokens in the chosen organization: create (the secret is
    shown on this answer only) and list them."""
    membership = _membership(request)
    if membership is None:
        return _no_organization(request)
    if request.method == "GET":
        return _tokens_page(request, membership, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, membership, form, status=400)
    token, raw = issue_token(
        membership.organization,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        membership=membership,
        created_by=request.user,
    )
    return _tokens_page(request, membership, TokenForm(), created={"token": token, "raw": raw})


@login_required
@require_POST
def revoke_token(request, pk: int):
    membership = _membership(request)
    if membership is None:
        return _no_organization(request)
    token = ApiToken.objects.filter(pk=pk, membership=membership, revoked_at__isnull=True).first()
    if token is None:
        return _message(request, 404, "No such token", "It may have been revoked already.")
    token.revoke()
    messages.success(request, f"Token {token.name} ({token.prefix}…) was revoked.")
    return redirect("account-tokens")


@login_required
@require_POST
def choose_organization(request):
    """Keep the organization this browser acts for in the session (the API's session
    requests use it too, unless they send X-Organization)."""
    slug = request.POST.get("organization", "")
    membership = (
        Membership.objects.filter(user=request.user, organization__slug=slug)
        .select_related("organization")
        .first()
    )
    if membership is None:
        return _message(request, 404, "No such organization", "You are not a member of it.")
    request.session[SESSION_ORGANIZATION_KEY] = membership.organization.slug
    return redirect("account-tokens")
