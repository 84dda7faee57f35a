"""Writes for organizations, members and tokens."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from rest_framework.exceptions import NotFound, ValidationError

from accounts import token_cache
from accounts.models import ApiToken, Membership, Organization, Role, TokenScope
from config.exceptions import Conflict
from evaluations.models import EvaluationStatus
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
    keep_existing_token: bool = False,
) -> tuple[Organization, Membership, str | None]:
    """Ensure an organization with an admin exists and give that admin a fresh token.

    Re-running is safe: existing rows are reused and the previous token of the
    same name is revoked, so exactly one such token stays valid. With
    ``keep_existing_token`` a still-valid token of that name is left alone and
    no new one is issued (the raw token is then None): a second ``make run``
    must not revoke the token a developer has already exported.
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
    valid_tokens = ApiToken.objects.filter(
        membership=membership, name=token_name, revoked_at__isnull=True
    )
    if keep_existing_token and valid_tokens.exists():
        return organization, membership, None
    token_cache.revoke_tokens(valid_tokens)
    _, raw = issue_token(organization, name=token_name, membership=membership, created_by=user)
    return organization, membership, raw


@transaction.atomic
def add_member(organization: Organization, *, username: str, email: str, role: str) -> Membership:
    """Create a new user account as a member. An existing account is never attached:
    it may belong to another organization, whose people are not ours to enrol or read
    (joining with the person's consent is for invitations)."""
    user_model = get_user_model()
    if Membership.objects.filter(organization=organization, user__username=username).exists():
        raise Conflict("This user is already a member of the organization.")
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(username=username, email=email)
    except IntegrityError:
        # Says no more than that the name is taken: not whose it is, nor their email.
        raise Conflict("This username is taken; choose another one.") from None
    return Membership.objects.create(organization=organization, user=user, role=role)


def _locked(membership: Membership) -> Membership:
    """The membership re-read under a lock on its organization's row.

    Every change to who is an admin takes this lock first, so two admins demoting
    or removing each other run one after the other, and the second sees the first's
    outcome instead of a stale count of admins.
    """
    Organization.objects.select_for_update().get(pk=membership.organization_id)
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise NotFound("This member was removed meanwhile.")
    return locked


def _ensure_admin_remains(membership: Membership):
    # A deactivated user cannot sign in: their admin role does not keep anyone in charge.
    others = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.ADMIN, user__is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError({"role": ["An organization must keep at least one active admin."]})


class LeadsEvaluations(Conflict):
    default_code = "leads_evaluations"


# A decided or cancelled evaluation is history: its lead may stop being an admin.
FINISHED_STATUSES = (EvaluationStatus.DECIDED, EvaluationStatus.CANCELLED)


def ensure_leads_nothing(membership: Membership, *, doing: str, open_only: bool = False):
    """A 409 naming (id and name) each evaluation the member leads.

    Removal counts every evaluation (the lead is a protected foreign key, and a
    finished evaluation still names who led it); a demotion only the open ones,
    since only an admin may lead work in progress.
    """
    led = membership.led_evaluations.order_by("id")
    if open_only:
        led = led.exclude(status__in=FINISHED_STATUSES)
    led = list(led.values_list("id", "name"))
    if led:
        names = ", ".join(f"{pk} ({name})" for pk, name in led)
        raise LeadsEvaluations(
            f"This member leads evaluations {names}: hand each one over to another "
            f"admin (PATCH its lead) before {doing}."
        )


def ensure_admins_remain_without(user):
    """Refuse to deactivate the last active admin of any organization.

    Locks every organization the user administers (in id order, so two such calls
    cannot deadlock), so call it inside the transaction that deactivates the user:
    a concurrent demotion or removal there waits for that transaction to end.
    """
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).order_by("organization_id")
    organizations = admin_of.values_list("organization_id", flat=True)
    list(Organization.objects.select_for_update().filter(pk__in=list(organizations)).order_by("pk"))
    for membership in admin_of:
        _ensure_admin_remains(membership)


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    membership = _locked(membership)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_admin_remains(membership)
        ensure_leads_nothing(membership, doing="demoting them", open_only=True)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, user):
    membership = _locked(membership)
    if membership.role == Role.ADMIN:
        _ensure_admin_remains(membership)
    ensure_leads_nothing(membership, doing="removing them")
    # Their evaluator assignments go first, audited, or the deletion is refused
    # when one holds work on record (submitted ratings, a declared conflict).
    evaluators.release_member(membership, user=user)
    token_cache.revoke_tokens(membership.api_tokens.all())
    membership.delete()
