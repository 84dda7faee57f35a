"""Writes of the provider catalog (HackSoft-style services). Views call these."""

from providers.services.catalog import CatalogSyncResult, sync_capability_catalog
from providers.services.documents import create_document, delete_document, update_document
from providers.services.import_ import ImportMode, ImportReport, RowAction, import_providers
from providers.services.providers import (
    create_child,
    create_provider,
    delete_child,
    delete_provider,
    slug_for_name,
    slug_from_name,
    touch_provider,
    unique_slug,
    update_child,
    update_provider,
)

__all__ = [
    "CatalogSyncResult",
    "ImportMode",
    "ImportReport",
    "RowAction",
    "create_child",
    "create_document",
    "create_provider",
    "delete_child",
    "delete_document",
    "delete_provider",
    "import_providers",
    "slug_for_name",
    "slug_from_name",
    "sync_capability_catalog",
    "touch_provider",
    "unique_slug",
    "update_child",
    "update_document",
    "update_provider",
]
