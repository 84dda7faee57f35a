"""A stored document's file as a download, for every API that serves one."""

from django.http import FileResponse
from rest_framework.exceptions import NotFound


def attachment(document) -> FileResponse:
    """The file as an attachment with its stored name and content type. Browsers may
    not sniff another type from it (``nosniff``), and nothing on the way may keep a
    copy of an organization's evidence (``private, no-store``)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise NotFound("The file of this document is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
