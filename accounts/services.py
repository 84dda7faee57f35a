"""Writes for organizations, members and tokens."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import ApiToken, Membership, Organization, Role, TokenScope
from config.exceptions import Conflict
from evaluations.services import evaluators


def issue_token(
    organization: Organization,
    *,
    name: str,
    scope: str = TokenScope.READ_WRITE,
    membership: Membership | None = None,
    created_by=None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored."""
    raw, prefix, digest = ApiToken.generate()
    token = ApiToken.objects.create(
        organization=organization,
        membership=membership,
        name=name,
        scope=scope,
        prefix=prefix,
        token_hash=digest,
        created_by=created_by,
    )
    return token, raw


@transaction.atomic
def bootstrap_organization(
    *,
    name: str,
    slug: str,
    username: str,
    email: str = "",
    password: str | None = None,
    superuser: bool = False,
    token_name: str = "bootstrap",  # noqa: S107 (a label)
) -> tuple[Organization, Membership, str]:
    """Ensure an organization with an admin exists and give that admin a fresh token.

    Re-running is safe: existing rows are reused and the previous token of the
    same name is revoked, so exactly one such token stays valid.
    """
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    if superuser:
        # The Django admin spans every organization: only operators get it.
        user.is_staff = user.is_superuser = True
    user.save()
    membership, _ = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": Role.ADMIN}
    )
    if membership.role != Role.ADMIN:
        membership.role = Role.ADMIN
        membership.save(update_fields=["role", "updated_at"])
    ApiToken.objects.filter(membership=membership, name=token_name, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _, raw = issue_token(organization, name=token_name, membership=membership, created_by=user)
    return organization, membership, raw


@transaction.atomic
def add_member(organization: Organization, *, username: str, email: str, role: str) -> Membership:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise Conflict("This user is already a member of the organization.")
    return Membership.objects.create(organization=organization, user=user, role=role)


def _ensure_admin_remains(membership: Membership):
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError({"role": ["An organization must keep at least one admin."]})


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_admin_remains(membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, user):
    if membership.role == Role.ADMIN:
        _ensure_admin_remains(membership)
    # Their evaluator assignments go first, audited, or the deletion is refused
    # when one holds work on record (submitted ratings, a declared conflict).
    evaluators.release_member(membership, user=user)
    membership.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    membership.delete()
