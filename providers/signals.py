"""Signal receivers, connected in ``ProvidersConfig.ready``."""

from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal


def sync_catalog_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Keep the built-in capability catalog in the database after every migrate."""
    from providers.services.catalog import sync_capability_catalog

    try:
        model = apps.get_model("providers", "Capability") if apps else None
    except LookupError:  # migrated back past the table's creation
        return
    sync_capability_catalog(model=model, using=using)


def remove_document_file(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    """Delete a document's file once the deletion of its row is committed.

    Runs for every way a row goes (API, admin, cascades from its provider or
    organization); a rolled-back deletion keeps its file.
    """
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    transaction.on_commit(lambda: storage.delete(name), using=using)


# Sent with ``provider_ids`` when what other records show of providers changes
# (their name or external ids); evaluations moves those providers' scorecards in
# the sync order. A signal, so the catalog does not depend on evaluations.
provider_identity_changed = Signal()
