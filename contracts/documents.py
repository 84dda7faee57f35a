"""A contract's documents: checked and stored like a provider's evidence
(``providers.services.documents``), each upload and deletion in the contract's trail."""

from django.db import transaction

from accounts.principal import stored_user
from contracts.audit import Change, record
from contracts.models import Contract, ContractDocument
from providers.services.documents import inspect_or_refuse


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
    inspected = inspect_or_refuse(upload)
    document = ContractDocument(
        contract=contract,
        kind=kind,
        title=title,
        original_filename=inspected.filename,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=stored_user(user),
    )
    document.file.save(inspected.filename, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            record(user, [Change(contract, "contract.document.created", new=_described(document))])
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def delete_document(document: ContractDocument, user) -> None:
    """Delete the row (the file goes once the deletion commits) and record it."""
    record(user, [Change(document.contract, "contract.document.deleted", old=_described(document))])
    document.delete()
