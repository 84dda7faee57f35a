"""Writes for providers and their children (offerings, references, SLA terms).

A change to a child also bumps its provider's ``updated_at``, so integrations
that sync providers on ``(updated_at, id)`` see it; a new name or new external
ids also move the provider's scorecards (``signals.provider_identity_changed``).
"""

import hashlib
import re
from itertools import count

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from rest_framework.exceptions import ErrorDetail

from config.exceptions import Conflict
from providers.models import CapabilityOffering, Provider
from providers.services import external_ids as external_id_service
from providers.signals import provider_identity_changed

SLUG_MAX_LENGTH = 80


def slug_from_name(name: str) -> str:
    """The slug a name gives, in the shape of ``rules.SLUG_PATTERN`` (lowercase ASCII
    letters and digits in hyphen-separated runs); empty when the name has none."""
    slug = re.sub(r"[-_]+", "-", slugify(name or ""))
    return slug[: SLUG_MAX_LENGTH - 6].strip("-")


def slug_for_name(name: str) -> str:
    """The slug a provider gets from its name; a name without ASCII letters or digits
    gets a stable one derived from its hash (the same name, the same slug)."""
    slug = slug_from_name(name)
    if slug:
        return slug
    digest = hashlib.sha256((name or "").strip().encode()).hexdigest()
    return f"provider-{digest[:10]}"


def unique_slug(organization, name: str) -> str:
    """A slug from ``name`` that no provider of the organization uses yet."""
    base = slug_for_name(name)
    taken = set(
        Provider.objects.filter(organization=organization, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in count(2) if f"{base}-{n}" not in taken)


def _slug_conflict(slug: str) -> Conflict:
    return Conflict(
        {
            "slug": [
                ErrorDetail(
                    f"Another provider of this organization already uses the slug '{slug}'.",
                    code="unique",
                )
            ]
        }
    )


def touch_provider(provider_id) -> None:
    Provider.objects.filter(pk=provider_id).update(updated_at=timezone.now())


@transaction.atomic
def create_provider(organization, **data) -> Provider:
    """Create a provider; the slug comes from the name when not given (made unique)."""
    external_ids = data.pop("external_ids", None) or {}
    slug = data.pop("slug", "") or ""
    if not slug:
        slug = unique_slug(organization, data["name"])
    elif Provider.objects.filter(organization=organization, slug=slug).exists():
        raise _slug_conflict(slug)
    provider = Provider(organization=organization, slug=slug, **data)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:  # a concurrent request took the slug
        raise _slug_conflict(slug) from None
    external_id_service.apply_changes(provider, external_ids)
    return provider


@transaction.atomic
def update_provider(provider: Provider, **data) -> Provider:
    external_ids = data.pop("external_ids", None) or {}
    renamed = "name" in data and data["name"] != provider.name
    slug = data.get("slug")
    if (
        slug
        and slug != provider.slug
        and Provider.objects.filter(organization_id=provider.organization_id, slug=slug).exists()
    ):
        raise _slug_conflict(slug)
    for key, value in data.items():
        setattr(provider, key, value)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        raise _slug_conflict(slug) from None
    if not external_id_service.apply_changes(provider, external_ids) and renamed:
        provider_identity_changed.send(sender=Provider, provider_ids=[provider.pk])
    return provider


def delete_provider(provider: Provider) -> None:
    """Delete a provider with its children; document files go after the commit.

    A provider that other records still point at (e.g. an evaluation candidate)
    stays: 409.
    """
    try:
        with transaction.atomic():
            provider.delete()
    except ProtectedError:
        raise Conflict(
            "This provider is used elsewhere (for example as an evaluation candidate); "
            "remove it there first."
        ) from None


# --- children ---


def _offering_conflict(offering_capability) -> Conflict:
    return Conflict(
        {
            "capability": [
                ErrorDetail(
                    f"This provider already has an offering for '{offering_capability.code}'; "
                    "update that one instead.",
                    code="unique",
                )
            ]
        }
    )


@transaction.atomic
def create_child(model, provider: Provider, **data):
    """Create an offering, reference or SLA term of ``provider``."""
    if model is CapabilityOffering:
        capability = data["capability"]
        if CapabilityOffering.objects.filter(provider=provider, capability=capability).exists():
            raise _offering_conflict(capability)
    instance = model.objects.create(provider=provider, **data)
    touch_provider(provider.pk)
    return instance


@transaction.atomic
def update_child(instance, **data):
    if isinstance(instance, CapabilityOffering) and "capability" in data:
        capability = data["capability"]
        clash = (
            CapabilityOffering.objects.filter(
                provider_id=instance.provider_id, capability=capability
            )
            .exclude(pk=instance.pk)
            .exists()
        )
        if clash:
            raise _offering_conflict(capability)
    for key, value in data.items():
        setattr(instance, key, value)
    instance.save()
    touch_provider(instance.provider_id)
    return instance


@transaction.atomic
def delete_child(instance) -> None:
    provider_id = instance.provider_id
    instance.delete()
    touch_provider(provider_id)
