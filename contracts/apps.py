from django.apps import AppConfig
from django.db.models.signals import post_delete


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self):
        # Registers the findings' tasks by name in every process.
        import contracts.tasks  # noqa: F401
        from contracts import finding_sync
        from evaluations.signals import scoring_persisted
        from providers.signals import remove_document_file

        # Findings follow the scorecards of the candidates under contract.
        scoring_persisted.connect(
            finding_sync.on_scoring_persisted, dispatch_uid="contracts.findings_at_scoring"
        )
        # However a document row goes (API, admin, its contract's or organization's
        # deletion), its file follows once the deletion commits.
        post_delete.connect(
            remove_document_file,
            sender="contracts.ContractDocument",
            dispatch_uid="contracts.remove_contract_document_file",
        )
