"""``Idempotency-Key`` on POSTs that create: retries replay the first response.

Add :class:`IdempotentCreateMixin` to a viewset; it honours the header on the
actions in ``idempotent_actions`` (default ``("create",)``) and documents it
(plus the 422 it can cause) in the OpenAPI schema of exactly those operations.
``TenantViewSetMixin`` may derive from :class:`IdempotencyHooks` to apply it to
every tenant viewset's create; explicit uses of the mixin stay valid.

- Keys are scoped to the organization, the caller (token or user) and the
  route (method + path): the same key elsewhere is a different key.
- The first request with a key claims it, runs, and a successful (2xx) response
  is stored: status, body and the ``Location``/``ETag`` headers.
- Same key, same request (method, path, query and body; JSON compared after
  parsing, so whitespace and key order do not matter; forms and uploads by
  their fields and their files' names, types and contents, hashed in chunks, so
  every upload size the endpoint accepts works with a key): the stored response is
  replayed, with ``Idempotent-Replayed: true``, and nothing runs again.
- Same key, different request: **422** ``idempotency_key_reused``.
- Same key while the first request is still running: **409**
  ``idempotency_key_in_flight``; retry later.
- A response that is not a success is not stored: the key is released, and a
  retry (corrected or not) runs again. A claim left behind by a crashed worker
  lapses after ``LOCK_SECONDS``.
- Keys live at least 24 hours (``TTL``); the beat task
  ``integrations.tasks.maintenance`` deletes expired ones.
"""

import contextlib
import hashlib
import json
import re
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.models import ApiToken
from accounts.principal import resolve_principal
from config.conditional import document_action
from config.exceptions import Conflict

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
LOCK_SECONDS = 120
MAX_KEY_LENGTH = 255
KEY_PATTERN = re.compile(r"\A[\x21-\x7e]{1,255}\Z")
STORED_HEADERS = ("Location", "ETag")
REPLAYED_HEADER = "Idempotent-Replayed"

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER,
    description="A unique value per intended creation (e.g. a UUID). Retrying with the same "
    "key and body replays the first successful response instead of creating again; the "
    "same key with a different body is a 422, and while the first request runs a 409. "
    "Kept for 24 hours, per organization, caller and route.",
)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with a different request; use a new key."
    default_code = "idempotency_key_reused"


class KeyInFlight(Conflict):
    default_detail = "A request with this Idempotency-Key is still being processed; retry shortly."
    default_code = "idempotency_key_in_flight"


class _Replay(Exception):
    def __init__(self, response):
        self.response = response


def _principal_key(request) -> str:
    if isinstance(getattr(request, "auth", None), ApiToken):
        return f"token:{request.auth.pk}"
    return f"user:{request.user.pk}"


FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _form_digest(request) -> bytes:
    """A digest of a parsed form: every field's values and every file's name, type and
    content. Files are hashed chunk by chunk from where the parser put them, so an
    upload of any size the endpoint accepts is fingerprinted without being held in
    memory (``request.body`` would refuse anything past DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    digest = hashlib.sha256()
    data = request.data
    for name in sorted(data):
        for value in data.getlist(name):
            digest.update(name.encode("utf-8", "surrogatepass") + b"\0")
            if isinstance(value, UploadedFile):
                header = f"file\0{value.name}\0{value.content_type}\0{value.size}\0"
                digest.update(header.encode("utf-8", "surrogatepass"))
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(b"field\0" + str(value).encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
    return digest.hexdigest().encode()


def fingerprint(request) -> str:
    """SHA-256 of what makes two requests "the same"."""
    django_request = request._request
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    # Other bodies are small: the body limit middleware bounds them to
    # DATA_UPLOAD_MAX_MEMORY_SIZE, as request.body does.
    body = _form_digest(request) if media_type in FORM_MEDIA_TYPES else django_request.body
    if media_type.endswith("json") and body:
        with contextlib.suppress(ValueError):  # not JSON after all: compared byte for byte
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for part in (request.method, request.path, django_request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(media_type.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _replay(record) -> Response:
    headers = {**record.response_headers, REPLAYED_HEADER: "true"}
    return Response(record.response_body, status=record.response_status, headers=headers)


def claim(request, key: str):
    """The claimed IdempotencyKey row; raises _Replay, KeyReused or KeyInFlight."""
    from integrations.models import IdempotencyKey, IdempotencyState

    principal = resolve_principal(request)
    scope = {
        "organization": principal.organization,
        "principal": _principal_key(request),
        "method": request.method,
        "path": request.path[:500],
        "key": key,
    }
    digest = fingerprint(request)
    now = timezone.now()
    fresh = {
        "fingerprint": digest,
        "state": IdempotencyState.IN_FLIGHT,
        "locked_until": now + timedelta(seconds=LOCK_SECONDS),
        "response_status": None,
        "response_body": None,
        "response_headers": {},
        "created_at": now,
        "expires_at": now + TTL,
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(**scope, **fresh)
        except IntegrityError:
            pass
        record = IdempotencyKey.objects.select_for_update().get(**scope)
        taken_over = record.expires_at <= now or (
            record.state == IdempotencyState.IN_FLIGHT
            and record.fingerprint == digest
            and record.locked_until
            and record.locked_until <= now
        )
        if not taken_over:
            if record.fingerprint != digest:
                raise KeyReused()
            if record.state == IdempotencyState.COMPLETED:
                raise _Replay(_replay(record))
            raise KeyInFlight()
        for field, value in fresh.items():
            setattr(record, field, value)
        record.save()
        return record


def complete(record, response) -> None:
    from integrations.models import IdempotencyState

    record.state = IdempotencyState.COMPLETED
    record.locked_until = None
    record.response_status = response.status_code
    record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
    record.response_headers = {h: response[h] for h in STORED_HEADERS if h in response}
    record.save(
        update_fields=[
            "state",
            "locked_until",
            "response_status",
            "response_body",
            "response_headers",
        ]
    )


def release(record) -> None:
    type(record).objects.filter(pk=record.pk, state="in_flight").delete()


class IdempotencyHooks:
    """The view hooks. Use :class:`IdempotentCreateMixin` in views; a shared base
    class (``TenantViewSetMixin``) may derive from this one, so that views listing
    the mixin explicitly still have one consistent MRO and run the hooks once."""

    idempotent_actions: tuple[str, ...] = ("create",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.idempotent_actions:
            document_action(
                cls,
                name,
                "idempotency",
                parameters=[IDEMPOTENCY_KEY_PARAMETER],
                problems=[
                    ("422", "The Idempotency-Key was already used with a different request."),
                ],
            )

    def initial(self, request, *args, **kwargs):
        self._idempotency_record = None
        super().initial(request, *args, **kwargs)
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or self.action not in self.idempotent_actions:
            return
        if not KEY_PATTERN.match(key):
            raise ValidationError(
                {HEADER: [f"1 to {MAX_KEY_LENGTH} visible ASCII characters, e.g. a UUID."]}
            )
        self._idempotency_record = claim(request, key)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency_record", None)
        if record is not None:
            self._idempotency_record = None
            if 200 <= response.status_code < 300 and isinstance(response, Response):
                complete(record, response)
            else:
                release(record)
        return response


class IdempotentCreateMixin(IdempotencyHooks):
    """Honour ``Idempotency-Key`` on the view's ``idempotent_actions`` (default: create)."""
