"""Incremental sync: keyset pages in ``(updated_at, id)`` order, plus ``updated_since``.

A viewset with :class:`SyncMixin` gets ``GET .../sync/`` next to its list (which
keeps its page-number pagination and schema). A sync page holds the items after
the cursor position in ``(updated_at, id)`` order::

    {"results": [...], "next": "<url>" | null, "next_cursor": "<opaque>" | null,
     "has_more": true | false}

Follow ``next`` while ``has_more``; store ``next_cursor`` and pass it back as
``?cursor=`` to get only what changed since. Because the cursor is a position
(the last ``(updated_at, id)`` seen), not an offset, pages never skip or repeat
an item while data changes: a row updated during the sync gets a later
``updated_at`` and comes again at the end (its new version, not a duplicate of
the old one).

Timestamps are set when a row is saved, before its transaction commits, so a
slow transaction could commit a row *behind* a cursor that already moved past
it. Sync pages therefore only show rows at least ``SYNC_SETTLE_SECONDS``
(default 5) old: longer than any write transaction runs. The cursor is
base64url JSON; clients must treat it as opaque.
"""

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.filters import StrictDjangoFilterBackend
from config.pagination import MAX_PAGE_SIZE
from config.schema import AutoSchema

DEFAULT_SETTLE_SECONDS = 5
MAX_CURSOR_LENGTH = 200


def settle_seconds() -> float:
    return float(getattr(settings, "SYNC_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))


def to_utc(value: datetime) -> datetime:
    """In UTC: PostgreSQL refuses offsets beyond +-15:59 that ISO 8601 allows."""
    try:
        return value.astimezone(UTC)
    except OverflowError:  # the first or last representable day, shifted out
        return (datetime.min if value.year == 1 else datetime.max).replace(tzinfo=UTC)


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """``?updated_since=<ISO 8601>``: rows changed at or after that instant."""

    def __init__(self, field_name="updated_at", **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "help_text",
            "Only items changed at or after this instant (ISO 8601), for incremental sync.",
        )
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return super().filter(qs, to_utc(value))


def encode_cursor(timestamp: datetime, pk) -> str:
    raw = json.dumps({"t": to_utc(timestamp).isoformat(), "id": pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    invalid = ValidationError({"cursor": ["Invalid cursor; use a `next_cursor` as given."]})
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        timestamp = datetime.fromisoformat(data["t"])
        pk = data["id"]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if timestamp.tzinfo is None or not isinstance(pk, int) or isinstance(pk, bool):
        raise invalid
    return to_utc(timestamp), pk


class KeysetPagination(BasePagination):
    """Cursor pages over ``(view.sync_timestamp_field, pk)``; see the module docstring."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = MAX_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    timestamp_field = "updated_at"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # isdigit() alone admits "³", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Must be between 1 and {self.max_page_size}."]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        field = getattr(view, "sync_timestamp_field", self.timestamp_field)
        size = self.get_page_size(request)
        raw_cursor = request.query_params.get(self.cursor_query_param)
        cutoff = timezone.now() - timedelta(seconds=settle_seconds())
        queryset = queryset.filter(**{f"{field}__lte": cutoff})
        if raw_cursor is not None:
            timestamp, pk = decode_cursor(raw_cursor)
            queryset = queryset.filter(
                Q(**{f"{field}__gt": timestamp}) | Q(**{field: timestamp, "pk__gt": pk})
            )
        rows = list(queryset.order_by(field, "pk")[: size + 1])
        self.has_more = len(rows) > size
        rows = rows[:size]
        if rows:
            self.next_cursor = encode_cursor(getattr(rows[-1], field), rows[-1].pk)
        else:
            self.next_cursor = raw_cursor
        self.request = request
        return rows

    def get_next_link(self) -> str | None:
        if not self.has_more:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "results": data,
                "next": self.get_next_link(),
                "next_cursor": self.next_cursor,
                "has_more": self.has_more,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next", "next_cursor", "has_more"],
            "properties": {
                "results": schema,
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page; null when `has_more` is false.",
                },
                "next_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "Position after the last item of this page: pass it as "
                    "`cursor` to continue, now or in a later sync. Null only when nothing "
                    "has been seen yet.",
                },
                "has_more": {
                    "type": "boolean",
                    "description": "Whether more items are ready right now.",
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous page's `next_cursor`.",
                "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page (default and maximum {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class SyncSchema(AutoSchema):
    """The sync action is a list with its own page component (``<Item>SyncPage``)."""

    def _is_list_view(self, serializer=None):
        return True

    def get_paginated_name(self, serializer_name):
        return f"{serializer_name}SyncPage"


SYNC_DESCRIPTION = (
    "Incremental sync in stable `(updated_at, id)` order with keyset pages. Start with "
    "`updated_since` (or nothing, for everything), follow `next` while `has_more`, and keep "
    "the last `next_cursor`: pass it as `cursor` next time to get only what changed since. "
    "Nothing is skipped or repeated while data changes; an item changed during the sync "
    "comes again at the end with its new `updated_at` (a new version, not a duplicate). "
    "Items show up once they are a few seconds old (`SYNC_SETTLE_SECONDS`). Deletions are "
    "in `GET /api/v1/deleted`. Other filters of the list apply; keep them the same for one "
    "cursor."
)


class SyncMixin:
    """Adds ``GET <list>/sync/`` (operation ``<prefix>_sync``) to a viewset.

    The action runs the viewset's ``list`` with keyset pagination and only the
    filterset (no search or ordering); ``get_serializer_class`` and
    ``get_queryset`` see ``self.action == "sync"``.
    """

    sync_timestamp_field = "updated_at"

    @extend_schema(summary="Incremental sync (cursor pages)", description=SYNC_DESCRIPTION)
    @action(
        detail=False,
        methods=["get"],
        url_path="sync",
        url_name="sync",
        pagination_class=KeysetPagination,
        filter_backends=[StrictDjangoFilterBackend],
        schema=SyncSchema,
    )
    def sync(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
