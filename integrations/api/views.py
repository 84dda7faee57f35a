"""Webhooks (subscriptions, secret rotation, test pings), their deliveries, and the
`deleted` feed of tombstones for sync clients."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.tenancy import NestedTenantViewSetMixin, TenantModelViewSet, TenantViewSetMixin
from config.conditional import ConditionalMixin
from config.filters import IdListFilter, StrictDjangoFilterBackend, refuse_unknown_parameters
from config.idempotency import IdempotentCreateMixin
from config.sync import KeysetPagination, UpdatedSinceFilter
from integrations import delivery, events, services
from integrations.api import serializers as s
from integrations.api.event_schemas import EVENT_SERIALIZERS, EXAMPLE_DATA
from integrations.models import Delivery, DeliveryStatus, SyncResource, Tombstone, Webhook

ADMINS = {Role.ADMIN}


class WebhookFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Webhook
        fields = ["status", "active"]


@extend_schema_view(
    list=extend_schema(summary="List webhooks (admins)"),
    retrieve=extend_schema(summary="Get a webhook (admins)"),
    create=extend_schema(
        summary="Create a webhook (admins)",
        description="Subscribes a URL to event types. The answer holds the signing secret, "
        "shown only this once (and on `rotate-secret`). Deliveries are signed per Standard "
        "Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see "
        "`GET /webhooks/event-types` for the payloads.",
        responses={201: s.WebhookWithSecretSerializer},
    ),
    partial_update=extend_schema(summary="Change a webhook (admins)"),
    destroy=extend_schema(summary="Delete a webhook and its delivery log (admins)"),
)
class WebhookViewSet(ConditionalMixin, IdempotentCreateMixin, TenantModelViewSet):
    """Webhooks: signed POSTs to your URL when scorecards, reports or evaluations change."""

    queryset = Webhook.objects.all()
    serializer_class = s.WebhookSerializer
    operation_id_prefix = "webhooks"
    write_roles = ADMINS
    action_roles = {"list": ADMINS, "retrieve": ADMINS}
    idempotent_actions = ("create", "test")
    bodyless_actions = ("rotate_secret", "test")
    if_match_required_actions = ()
    filterset_class = WebhookFilter
    ordering_fields = ["created_at", "updated_at"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = services.create_webhook(
            self.principal.organization,
            user=self.principal.user,
            data=dict(serializer.validated_data),
        )
        body = s.WebhookWithSecretSerializer(webhook, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.update_webhook(
            serializer.instance, dict(serializer.validated_data)
        )

    @extend_schema(
        summary="Issue a new signing secret (admins)",
        description="The answer holds the new secret, shown only now. For "
        "`WEBHOOK_SECRET_GRACE_SECONDS` (default 24 hours) deliveries carry a second "
        "signature made with the old secret, so receivers can switch without losing events.",
        request=None,
        responses={200: s.WebhookWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret", url_name="rotate-secret")
    def rotate_secret(self, request, pk=None):
        webhook = services.rotate_secret(self.get_object())
        return Response(
            s.WebhookWithSecretSerializer(webhook, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Send a test ping (admins)",
        description="Queues a signed `webhook.test` event to this webhook only; follow the "
        "returned delivery in `GET /webhooks/{id}/deliveries/{delivery id}`. 409 when the "
        "webhook is inactive.",
        request=None,
        responses={202: s.DeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        sent = delivery.send_test(self.get_object())
        return Response(s.DeliverySerializer(sent).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The event types and their payloads",
        description="Every event type with an example payload. A delivery's body is one "
        "`WebhookEvent`: `{type, version, id, created_at, data}`, where `type` selects the "
        "shape of `data`.",
        responses={200: s.EventTypeSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="event-types",
        url_name="event-types",
        pagination_class=None,
        filter_backends=[],
    )
    def event_types(self, request):
        refuse_unknown_parameters(request, ())
        rows = [
            {
                "type": event_type,
                "version": events.PAYLOAD_VERSION,
                "description": events.EVENT_TYPES.get(event_type, events.TEST_DESCRIPTION),
                "subscribable": event_type in events.EVENT_TYPES,
                "example": {
                    "type": event_type,
                    "version": events.PAYLOAD_VERSION,
                    "id": "2c5f0a9e-8f8e-4c1b-9a0b-6c1d2e3f4a5b",
                    "created_at": "2025-03-14T09:30:00Z",
                    "data": EXAMPLE_DATA[event_type],
                },
            }
            for event_type in EVENT_SERIALIZERS
        ]
        return Response(s.EventTypeSerializer(rows, many=True).data)


class DeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event_type = django_filters.CharFilter(field_name="event__type", max_length=64)

    class Meta:
        model = Delivery
        fields = ["status", "event_type"]


@extend_schema_view(
    list=extend_schema(
        summary="A webhook's deliveries, newest first (admins)",
        description="Each delivery with its payload and every attempt: status code, "
        "duration, response excerpt and error.",
    ),
    retrieve=extend_schema(summary="One delivery with its attempts (admins)"),
)
class DeliveryViewSet(
    IdempotentCreateMixin,
    NestedTenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The delivery log of a webhook."""

    queryset = Delivery.objects.select_related("event").prefetch_related("attempts")
    serializer_class = s.DeliverySerializer
    operation_id_prefix = "webhook_deliveries"
    parent_model = Webhook
    parent_kwarg = "webhook_pk"
    parent_field = "webhook"
    write_roles = ADMINS
    action_roles = {"list": ADMINS, "retrieve": ADMINS}
    idempotent_actions = ("redeliver",)
    bodyless_actions = ("redeliver",)
    filterset_class = DeliveryFilter
    ordering_fields = ["created_at", "updated_at"]

    @extend_schema(
        summary="Deliver the event again (admins)",
        description="A new delivery of the same event (same `webhook-id`, so receivers can "
        "deduplicate) with a fresh set of attempts. 409 when the webhook is inactive.",
        request=None,
        responses={202: s.DeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def redeliver(self, request, webhook_pk=None, pk=None):
        fresh = delivery.redeliver(self.get_object())
        fresh = self.get_queryset().get(pk=fresh.pk)
        return Response(s.DeliverySerializer(fresh).data, status=status.HTTP_202_ACCEPTED)


class TombstoneFilter(django_filters.FilterSet):
    resource = django_filters.ChoiceFilter(choices=SyncResource.choices)
    since = UpdatedSinceFilter(
        field_name="deleted_at", help_text="Only deletions at or after this instant (ISO 8601)."
    )

    class Meta:
        model = Tombstone
        fields = ["resource", "since"]


@extend_schema_view(
    list=extend_schema(
        summary="Deleted items, for sync",
        description="Tombstones of deleted providers, evaluations, scorecards and reports in "
        "`(deleted_at, id)` order, in cursor pages like the `sync` routes: follow `next` "
        "while `has_more` and keep `next_cursor` for the next run. Kept "
        "`SYNC_TOMBSTONE_RETENTION_DAYS` (default 90): a client away longer resyncs fully.",
    )
)
class TombstoneViewSet(TenantViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """What was deleted, so sync clients can delete it too."""

    queryset = Tombstone.objects.all()
    serializer_class = s.TombstoneSerializer
    operation_id_prefix = "deleted"
    pagination_class = KeysetPagination
    sync_timestamp_field = "deleted_at"
    filter_backends = [StrictDjangoFilterBackend, IdListFilter]
    filterset_class = TombstoneFilter
