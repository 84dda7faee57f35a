"""Evidence a respondent uploads: the provider documents' own checks, bounded per request.

The file becomes a document of the candidate's provider through
``providers.services.documents.create_document`` (size, type by content,
extension agreement, SHA-256), and is linked to the request, so the
respondent's evidence answers can cite it, and only it.
"""

from django.db import transaction

from providers.models import Document
from providers.services.documents import create_document
from responses.models import ResponseDocument
from responses.services import events
from responses.services.events import Event
from responses.services.respondent import ResponseClosed, locked_request, transition

MAX_DOCUMENTS = 20


@transaction.atomic
def upload_evidence(contact, *, kind: str, title: str, upload) -> Document:
    """Store ``upload`` as evidence of the contact's response. 409 once the response
    is submitted or holds ``MAX_DOCUMENTS``; the upload checks' 400, 413 and 415."""
    request = locked_request(contact)
    status = transition(request, "save")
    if request.documents.count() >= MAX_DOCUMENTS:
        raise ResponseClosed(f"A response holds at most {MAX_DOCUMENTS} documents.")
    document = create_document(
        request.candidate.provider, kind=kind, title=title, upload=upload, uploaded_by=None
    )
    ResponseDocument.objects.create(request=request, document=document, contact=contact)
    if request.status != status:
        request.status = status
        request.save(update_fields=["status", "updated_at"])
    events.record(
        request,
        events.respondent(contact),
        [
            Event(
                "evidence.uploaded",
                detail={
                    "document": document.pk,
                    "filename": document.original_filename,
                    "sha256": document.sha256,
                },
            )
        ],
    )
    return document


def uploaded_documents(request) -> list[Document]:
    """The request's uploads, oldest first (one query)."""
    return list(Document.objects.filter(response_upload__request=request).order_by("id"))
