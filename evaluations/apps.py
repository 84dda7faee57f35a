from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self):
        # Registers the tasks by name in every process, so jobs can send them.
        import evaluations.tasks  # noqa: F401
        from evaluations.services import ranks
        from providers.signals import provider_identity_changed

        # Scorecards show their provider's name and external ids.
        provider_identity_changed.connect(
            ranks.on_provider_identity_changed, dispatch_uid="evaluations.provider_identity"
        )
