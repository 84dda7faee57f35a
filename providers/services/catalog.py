"""Sync of the built-in capability catalog (``providers/catalog.py``) into the database."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from providers.catalog import Capability as CatalogEntry
from providers.catalog import load_capability_catalog

_SYNCED_FIELDS = ("name", "description", "service_model", "position")


@dataclass
class CatalogSyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept_in_use: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"capabilities: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.removed:
            text += f", {len(self.removed)} removed from the catalog deleted"
        if self.kept_in_use:
            text += (
                f", {len(self.kept_in_use)} removed from the catalog but still offered, kept: "
                + ", ".join(self.kept_in_use)
            )
        return text


def sync_capability_catalog(
    catalog: Sequence[CatalogEntry] | None = None, *, model=None, using: str = DEFAULT_DB_ALIAS
) -> CatalogSyncResult:
    """Create, update (and retire) capabilities so the table matches the catalog.

    Idempotent, and cheap when nothing changed: one read, then bulk writes only
    for what differs. A code that left the catalog is deleted unless a provider
    still offers it (then it is kept and reported).
    """
    if model is None:
        from providers.models import Capability as model
    entries = load_capability_catalog() if catalog is None else catalog
    result = CatalogSyncResult()
    now = timezone.now()
    existing = {row.code: row for row in model.objects.using(using).all()}
    to_create, to_update = [], []
    for position, entry in enumerate(entries):
        values = {
            "name": entry.name,
            "description": entry.description,
            "service_model": str(entry.service_model),
            "position": position,
        }
        row = existing.get(entry.code)
        if row is None:
            to_create.append(model(code=entry.code, created_at=now, updated_at=now, **values))
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            to_update.append(row)
        else:
            result.unchanged += 1
    stale = sorted(set(existing) - {entry.code for entry in entries})

    with transaction.atomic(using=using):
        if to_create:
            model.objects.using(using).bulk_create(to_create)
        if to_update:
            model.objects.using(using).bulk_update(to_update, [*_SYNCED_FIELDS, "updated_at"])
            # A provider's detail shows its offerings' capability names and models,
            # in catalog order: the providers offering these move in the sync order.
            provider_model = model._meta.apps.get_model("providers", "Provider")
            provider_model.objects.using(using).filter(
                offerings__capability__in=[row.pk for row in to_update]
            ).update(updated_at=now)
        if stale:
            in_use = set(
                model.objects.using(using)
                .filter(code__in=stale, offerings__isnull=False)
                .values_list("code", flat=True)
            )
            result.kept_in_use = sorted(in_use)
            result.removed = [code for code in stale if code not in in_use]
            model.objects.using(using).filter(code__in=result.removed).delete()
    result.created = len(to_create)
    result.updated = len(to_update)
    return result
