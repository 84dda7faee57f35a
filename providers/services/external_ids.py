"""Providers' ids in connected systems (CRMs): ``{"hubspot": "123"}``.

Changes are merge patches (RFC 7396 style): each system given gets that id,
``null`` removes the system's id, systems left out keep theirs. An id names one
provider of the organization per system; claiming one another provider holds is
a 409 naming that provider. The callers save the provider (moving its
``updated_at``); ``signals.provider_identity_changed`` moves its scorecards'
(which show the ids).
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from rest_framework.exceptions import ErrorDetail, ValidationError

from config.exceptions import Conflict
from providers import rules
from providers.models import Provider, ProviderExternalId
from providers.signals import provider_identity_changed


def external_ids_of(provider: Provider) -> dict[str, str]:
    """System -> id, from the prefetched ``external_ids`` when there are any."""
    return {row.system: row.external_id for row in provider.external_ids.all()}


def merged(current: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
    result = {**current, **{k: v for k, v in changes.items() if v is not None}}
    for system, value in changes.items():
        if value is None:
            result.pop(system, None)
    return dict(sorted(result.items()))


def check_count(ids: dict[str, str]) -> None:
    """The merged map stays within the limit (the request alone may not show it)."""
    if len(ids) > rules.MAX_EXTERNAL_IDS:
        message = f"At most {rules.MAX_EXTERNAL_IDS} systems."
        raise ValidationError({"external_ids": [ErrorDetail(message, "max_length")]})


def holders(organization_id: int, claims: Iterable[tuple[str, str]]) -> dict[tuple, Provider]:
    """Which provider of the organization holds each claimed (system, id), in one query."""
    claims = set(claims)
    if not claims:
        return {}
    rows = ProviderExternalId.objects.filter(
        organization_id=organization_id,
        system__in={system for system, _ in claims},
        external_id__in={value for _, value in claims},
    ).select_related("provider")
    return {
        (row.system, row.external_id): row.provider
        for row in rows
        if (row.system, row.external_id) in claims
    }


def conflict_message(system: str, value: str, holder: Provider) -> str:
    return (
        f"Provider {holder.pk} ('{holder.name}') of this organization already has the "
        f"{system} id '{value}'."
    )


def _conflict(system: str, value: str, holder: Provider) -> Conflict:
    message = conflict_message(system, value, holder)
    return Conflict({f"external_ids.{system}": [ErrorDetail(message, code="unique")]})


def replace_all(organization_id: int, ids_by_provider: dict[int, dict[str, str]]) -> None:
    """Store these providers' whole maps (two queries, whatever their number)."""
    ProviderExternalId.objects.filter(provider_id__in=ids_by_provider).delete()
    ProviderExternalId.objects.bulk_create(
        ProviderExternalId(
            organization_id=organization_id, provider_id=pk, system=system, external_id=value
        )
        for pk, ids in ids_by_provider.items()
        for system, value in ids.items()
    )


@transaction.atomic
def apply_changes(provider: Provider, changes: dict[str, str | None]) -> bool:
    """Merge ``changes`` into the provider's ids; returns whether any changed."""
    if not changes:
        return False
    current = external_ids_of(provider)
    result = merged(current, changes)
    if result == current:
        return False
    check_count(result)
    claimed = {(s, v) for s, v in result.items() if current.get(s) != v}
    for (system, value), holder in holders(provider.organization_id, claimed).items():
        if holder.pk != provider.pk:
            raise _conflict(system, value, holder)
    try:
        with transaction.atomic():
            replace_all(provider.organization_id, {provider.pk: result})
    except IntegrityError:  # a concurrent request claimed one of these ids
        raise Conflict(
            "Another request claimed one of these external ids meanwhile; read and retry."
        ) from None
    provider_identity_changed.send(sender=Provider, provider_ids=[provider.pk])
    return True
