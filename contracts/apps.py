from django.apps import AppConfig
from django.db.models.signals import post_delete


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self):
        from providers.signals import remove_document_file

        # However a document row goes (API, admin, its contract's or organization's
        # deletion), its file follows once the deletion commits.
        post_delete.connect(
            remove_document_file,
            sender="contracts.ContractDocument",
            dispatch_uid="contracts.remove_contract_document_file",
        )
