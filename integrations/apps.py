from django.apps import AppConfig
from django.db.models.signals import post_delete


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations: webhooks, sync, idempotency"

    def ready(self):
        # Registers the tasks by name in every process (events send them by name).
        import integrations.tasks  # noqa: F401
        from integrations import tombstones

        for label in tombstones.TRACKED:
            post_delete.connect(
                tombstones.record_deletion,
                sender=label,
                dispatch_uid=f"integrations.tombstone.{label}",
            )
