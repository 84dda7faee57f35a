from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Provider catalog"

    def ready(self):
        from providers import signals

        # After every migrate (and after the test runner's flushes) the built-in
        # capability catalog is in the database. The sync is idempotent and costs
        # a couple of queries when nothing changed.
        post_migrate.connect(signals.sync_catalog_after_migrate, sender=self)
        post_delete.connect(
            signals.remove_document_file,
            sender="providers.Document",
            dispatch_uid="providers.remove_document_file",
        )

    def load_builtin_content(self) -> str:
        """Called by ``manage.py load_builtin_content``."""
        from providers.services.catalog import sync_capability_catalog

        return sync_capability_catalog().summary()
