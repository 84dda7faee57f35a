"""Bulk import of providers: create or update by slug, validate every row, report per row.

Rows are validated with the same serializer (field types, choices, lengths) and
the same rules (``providers.rules``) as ``POST /providers/``; a row that updates a
provider is checked against its stored values (fields the row leaves out are
kept). When several rows address one slug, each is checked on its own and the
last one is applied; the earlier ones are reported as ``superseded``. In
``all_or_nothing`` mode (the default) one invalid row means nothing is written;
in ``best_effort`` mode the valid rows are written and the invalid ones
reported. Reads and writes are bulk: a constant number of queries per import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ErrorDetail, ValidationError

from config.exceptions import Conflict, flatten_errors
from providers.choices import ImportMode
from providers.choices import ImportRowAction as RowAction
from providers.import_format import ImportRow
from providers.models import Provider
from providers.services import external_ids
from providers.services.providers import slug_for_name
from providers.signals import provider_identity_changed

MAX_IMPORT_ROWS = 1000


@dataclass
class RowResult:
    row: int  # 1-based position among the data rows
    slug: str | None
    action: str
    provider_id: int | None = None
    errors: list[dict] = field(default_factory=list)
    provider: Provider | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    external_ids: dict[str, str] | None = None  # the whole map to store, when it changes


@dataclass
class ImportReport:
    mode: str
    applied: bool
    rows: list[RowResult]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in RowAction}

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)


def _error(field_name, code, message) -> dict:
    return {"field": field_name, "code": code, "message": message}


def _row_slug(data) -> str | None:
    if not isinstance(data, dict):
        return None
    slug = data.get("slug")
    if isinstance(slug, str) and slug.strip():
        return slug.strip()
    name = data.get("name")
    if isinstance(name, str) and name.strip():
        return slug_for_name(name)
    return None


def import_providers(
    organization, rows: list[ImportRow], *, mode: str = ImportMode.ALL_OR_NOTHING, context=None
) -> ImportReport:
    from providers.api.serializers import ProviderSerializer
    from providers.api.validation import STATE_CONFLICTS_409

    # Every problem of a row goes into the report (never a 409 for the request).
    context = {k: v for k, v in (context or {}).items() if k != STATE_CONFLICTS_409}

    if not rows:
        raise ValidationError({"providers": [ErrorDetail("There are no rows to import.", "empty")]})
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError(
            {
                "providers": [
                    ErrorDetail(f"At most {MAX_IMPORT_ROWS} rows per import.", "max_length")
                ]
            }
        )
    slugs = [_row_slug(row.data) for row in rows]
    providers = Provider.objects.filter(
        organization=organization, slug__in={slug for slug in slugs if slug}
    )
    if any(isinstance(row.data, dict) and row.data.get("external_ids") for row in rows):
        providers = providers.prefetch_related("external_ids")
    existing = {provider.slug: provider for provider in providers}
    results = []
    for number, (row, slug) in enumerate(zip(rows, slugs, strict=True), start=1):
        result = RowResult(number, slug, RowAction.INVALID, errors=list(row.errors))
        results.append(result)
        if not isinstance(row.data, dict):
            result.errors.append(_error(None, "invalid", "Each row must be a JSON object."))
            continue
        instance = existing.get(slug) if slug else None
        serializer = ProviderSerializer(
            instance=instance, data=row.data, partial=instance is not None, context=context
        )
        if not serializer.is_valid():
            result.errors.extend(flatten_errors(serializer.errors))
        if result.errors:
            continue
        data = {k: v for k, v in serializer.validated_data.items() if k != "slug"}
        ids_changes = data.pop("external_ids", None) or {}
        if instance is None:
            result.action = RowAction.CREATED
            result.provider = Provider(organization=organization, slug=slug, **data)
            result.external_ids = external_ids.merged({}, ids_changes) or None
        else:
            result.provider = instance
            result.provider_id = instance.pk
            result.changes = {k: v for k, v in data.items() if getattr(instance, k) != v}
            current = external_ids.external_ids_of(instance) if ids_changes else {}
            if ids_changes and external_ids.merged(current, ids_changes) != current:
                result.external_ids = external_ids.merged(current, ids_changes)
            changed = result.changes or result.external_ids is not None
            result.action = RowAction.UPDATED if changed else RowAction.UNCHANGED
        try:
            external_ids.check_count(result.external_ids or {})
        except ValidationError as exc:
            result.errors.extend(flatten_errors(exc.detail))
            result.action, result.external_ids = RowAction.INVALID, None

    _supersede_repeats(results)
    _check_external_id_claims(organization, results)
    report = ImportReport(mode=mode, applied=False, rows=results)
    if report.has_errors and mode == ImportMode.ALL_OR_NOTHING:
        return report
    _write(organization, report)
    report.applied = True
    return report


def _supersede_repeats(results: list[RowResult]) -> None:
    """Of several valid rows for one slug, only the last is applied."""
    last_row_of = {r.slug: r.row for r in results if r.action != RowAction.INVALID}
    for result in results:
        if result.action != RowAction.INVALID and last_row_of[result.slug] != result.row:
            result.action = RowAction.SUPERSEDED
            result.errors = []
            result.changes = {}
            result.external_ids = None


def _check_external_id_claims(organization, results: list[RowResult]) -> None:
    """An external id names one provider per system: refuse a row claiming one that
    another row of this import, or another provider, holds (one query)."""
    claims: dict[tuple[str, str], RowResult] = {}
    for result in results:
        if result.action in (RowAction.CREATED, RowAction.UPDATED) and result.external_ids:
            for claim in result.external_ids.items():
                other = claims.setdefault(claim, result)
                if other is not result:
                    result.errors.append(
                        _error(
                            f"external_ids.{claim[0]}",
                            "unique",
                            f"Row {other.row} claims the {claim[0]} id '{claim[1]}' too.",
                        )
                    )
    held = external_ids.holders(organization.pk, claims)
    for claim, holder in held.items():
        result = claims[claim]
        if holder.pk != result.provider_id:
            message = external_ids.conflict_message(*claim, holder)
            result.errors.append(_error(f"external_ids.{claim[0]}", "unique", message))
    for result in results:
        if result.errors and result.action != RowAction.INVALID:
            result.action, result.external_ids = RowAction.INVALID, None


def _write(organization, report: ImportReport) -> None:
    creates = [r.provider for r in report.rows if r.action == RowAction.CREATED]
    updated_rows = [r for r in report.rows if r.action == RowAction.UPDATED]
    now = timezone.now()
    fields = {"updated_at"}
    for row in updated_rows:
        for key, value in row.changes.items():
            setattr(row.provider, key, value)
        fields.update(row.changes)
        row.provider.updated_at = now
    try:
        with transaction.atomic():
            if creates:
                Provider.objects.bulk_create(creates)
            if updated_rows:
                Provider.objects.bulk_update([row.provider for row in updated_rows], sorted(fields))
            ids = {r.slug: r.provider.pk for r in report.rows if r.action == RowAction.CREATED}
            for row in report.rows:
                if row.provider_id is None:
                    row.provider_id = ids.get(row.slug)
            new_ids = {
                r.provider_id: r.external_ids for r in report.rows if r.external_ids is not None
            }
            if new_ids:
                external_ids.replace_all(organization.pk, new_ids)
    except IntegrityError:  # another request took one of these slugs or ids meanwhile
        raise Conflict(
            "Another request created providers with the same slugs or external ids; run the "
            "import again."
        ) from None
    # Scorecards show their provider's name and external ids.
    shown = [
        row.provider_id
        for row in updated_rows
        if "name" in row.changes or row.external_ids is not None
    ]
    if shown:
        provider_identity_changed.send(sender=Provider, provider_ids=shown)
