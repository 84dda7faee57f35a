"""Inspection of uploaded evidence files, independent of Django's request machinery.

A file is accepted when its name has an allowed extension, its bytes are of the
kind that extension promises (decided from the content: magic numbers via
puremagic, the zip directory for Office files, a UTF-8 check for text, a parse
for JSON), it is not empty and not larger than the limit. One streaming pass
computes the size, the SHA-256 and the text check, so nothing is held in memory.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

import puremagic

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 8 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# extension -> (content kind the bytes must be, content type stored and served)
ALLOWED_EXTENSIONS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".txt": ("text", "text/plain"),
    ".csv": ("text", "text/csv"),
    ".json": ("json", "application/json"),
    ".docx": ("docx", DOCX),
    ".xlsx": ("xlsx", XLSX),
}
ALLOWED_CONTENT_TYPES = tuple(sorted({ct for _, ct in ALLOWED_EXTENSIONS.values()}))

_KIND_NAMES = {
    "pdf": "a PDF document",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "text": "plain text",
    "json": "JSON",
    "docx": "a Word (.docx) document",
    "xlsx": "an Excel (.xlsx) workbook",
    "zip": "a zip archive",
    "binary": "unrecognised binary data",
}
_MAGIC_KINDS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg"}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()]+")
MAX_FILENAME_LENGTH = 200


class UploadRejected(Exception):
    """The upload is refused; ``status`` is 400, 413 or 415."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class InspectedFile:
    filename: str  # sanitised original name
    extension: str
    content_type: str
    size: int
    sha256: str


def sanitize_filename(raw: str) -> str:
    """A display-safe file name: no directories, no control or exotic characters."""
    name = unicodedata.normalize("NFKC", raw or "").replace("\\", "/")
    name = PurePosixPath(name).name
    name = _CONTROL_CHARS.sub("", name)
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix.lower()
    if len(suffix) > 10:
        stem, suffix = name, ""
    stem = stem[: MAX_FILENAME_LENGTH - len(suffix) - 1] or "document"
    return f"{stem}.{suffix}" if suffix else stem


def extension_of(filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return suffix


def inspect_upload(stream: BinaryIO, filename: str, *, max_bytes: int) -> InspectedFile:
    """Check an upload and describe it, or raise :class:`UploadRejected`.

    ``stream`` must be seekable (Django's uploaded files are); it is left at 0.
    """
    safe_name = sanitize_filename(filename)
    extension = extension_of(safe_name)
    if extension not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(sorted(ALLOWED_EXTENSIONS))
        raise UploadRejected(
            415,
            "unsupported_file_type",
            f"Files named '*{extension or '(no extension)'}' are not accepted; allowed: {allowed}.",
        )
    expected_kind, content_type = ALLOWED_EXTENSIONS[extension]

    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    size = 0
    head = b""
    is_text = True
    stream.seek(0)
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise UploadRejected(
                413, "file_too_large", f"The file is larger than {max_bytes} bytes."
            )
        digest.update(chunk)
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        if is_text:
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                is_text = False
            else:
                is_text = not _CONTROL_CHARS.search(text)
    if size == 0:
        raise UploadRejected(400, "empty_file", "The file is empty.")
    if is_text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_text = False

    kind = _content_kind(stream, head, is_text, expected_kind)
    stream.seek(0)
    if kind != expected_kind:
        raise UploadRejected(
            415,
            "content_mismatch",
            f"The file is named '*{extension}' but its content is {_KIND_NAMES[kind]}, "
            f"not {_KIND_NAMES[expected_kind]}.",
        )
    return InspectedFile(safe_name, extension, content_type, size, digest.hexdigest())


def _content_kind(stream: BinaryIO, head: bytes, is_text: bool, expected_kind: str) -> str:
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    for match in matches:
        if match.byte_match.startswith(b"PK\x03\x04") and match.offset == 0:
            return _office_kind(stream)
    for match in matches:
        kind = _MAGIC_KINDS.get(match.mime_type)
        if kind and match.offset == 0:
            return kind
    if not is_text:
        return "binary"
    if expected_kind == "json":
        return "json" if _parses_as_json(stream) else "text"
    return "text"


def _office_kind(stream: BinaryIO) -> str:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "binary"
    if "[Content_Types].xml" not in names:
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _parses_as_json(stream: BinaryIO) -> bool:
    stream.seek(0)
    try:
        json.load(codecs.getreader("utf-8-sig")(stream))
    except (ValueError, RecursionError):
        return False
    return True
