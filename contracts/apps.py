from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self):
        # Registers the findings' tasks by name in every process.
        import contracts.tasks  # noqa: F401
        from contracts import finding_sync
        from evaluations.signals import scoring_persisted

        # Findings follow the scorecards of the candidates under contract.
        scoring_persisted.connect(
            finding_sync.on_scoring_persisted, dispatch_uid="contracts.findings_at_scoring"
        )
