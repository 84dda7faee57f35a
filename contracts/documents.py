"""A contract's documents: checked and stored like a provider's evidence
(``providers.services.documents``), each upload and deletion in the contract's trail."""

from django.db import transaction

from contracts.audit import Change, record
from contracts.models import Contract, ContractDocument
from providers.services.documents import store_document


def _described(document: ContractDocument) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "original_filename": document.original_filename,
        "size": document.size,
        "sha256": document.sha256,
    }


def create_document(contract: Contract, user, *, kind: str, title: str, upload):
    """Check ``upload`` (400 empty, 413 too large, 415 type), store it under a random
    name and record it; the stored file is removed again when the row cannot be."""
    document = ContractDocument(contract=contract, kind=kind, title=title)

    def recorded():
        record(user, [Change(contract, "contract.document.created", new=_described(document))])

    return store_document(document, upload, user, after_save=recorded)


@transaction.atomic
def delete_document(document: ContractDocument, user) -> None:
    """Delete the row (the file goes once the deletion commits) and record it."""
    record(user, [Change(document.contract, "contract.document.deleted", old=_described(document))])
    document.delete()
