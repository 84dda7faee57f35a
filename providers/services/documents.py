"""Evidence documents: checked, hashed and stored through Django's default storage."""

from django.conf import settings
from django.db import transaction
from rest_framework.exceptions import APIException, ErrorDetail, ValidationError

from accounts.principal import stored_user
from config.exceptions import RequestTooLarge
from providers.models import Document, Provider
from providers.services.providers import touch_provider
from providers.uploads import UploadRejected, inspect_upload


class UnsupportedFile(APIException):
    status_code = 415
    default_detail = "This kind of file is not accepted."
    default_code = "unsupported_media_type"


_EXCEPTIONS = {400: ValidationError, 413: RequestTooLarge, 415: UnsupportedFile}


def _api_error(rejection: UploadRejected) -> APIException:
    detail = {"file": [ErrorDetail(rejection.message, code=rejection.code)]}
    return _EXCEPTIONS[rejection.status](detail)


def inspect_or_refuse(upload):
    """Check ``upload`` (size, type by content, extension agreement) and describe it
    (``providers.uploads.InspectedFile``). Raises 400 (empty), 413 (too large) or 415
    (type) API errors, naming the field ``file``."""
    if upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
        raise _api_error(
            UploadRejected(
                413,
                "file_too_large",
                f"The file is larger than {settings.MAX_UPLOAD_BYTES} bytes.",
            )
        )
    try:
        return inspect_upload(upload, upload.name or "", max_bytes=settings.MAX_UPLOAD_BYTES)
    except UploadRejected as rejection:
        raise _api_error(rejection) from None


def store_document(document, upload, user, *, after_save):
    """Check ``upload`` (``inspect_or_refuse``), store it as the file of ``document``
    (an unsaved row of any document model) and save the row, then ``after_save()`` in
    the same transaction. The stored file is removed again when the row cannot be."""
    inspected = inspect_or_refuse(upload)
    document.original_filename = inspected.filename
    document.content_type = inspected.content_type
    document.size = inspected.size
    document.sha256 = inspected.sha256
    document.uploaded_by = stored_user(user)
    document.file.save(inspected.filename, upload, save=False)
    try:
        with transaction.atomic():
            document.save()
            after_save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def create_document(provider: Provider, *, kind: str, title: str, upload, uploaded_by=None):
    """Check ``upload``, store it and record it."""
    document = Document(provider=provider, kind=kind, title=title)
    return store_document(
        document, upload, uploaded_by, after_save=lambda: touch_provider(provider.pk)
    )


@transaction.atomic
def update_document(document: Document, **data) -> Document:
    """Change a document's title or kind; the file itself is immutable."""
    for key, value in data.items():
        setattr(document, key, value)
    document.save()
    touch_provider(document.provider_id)
    return document


@transaction.atomic
def delete_document(document: Document) -> None:
    """Delete the row; the file is removed once the transaction commits (signal)."""
    provider_id = document.provider_id
    document.delete()
    touch_provider(provider_id)
