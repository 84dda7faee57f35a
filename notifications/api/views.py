"""The caller's notification preferences, and the record of what was sent."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import IsOrganizationMember
from accounts.principal import resolve_principal
from accounts.tenancy import TenantViewSetMixin
from config.filters import refuse_unknown_parameters
from notifications import preferences
from notifications.api.serializers import (
    NotificationDetailSerializer,
    NotificationPreferencesSerializer,
    NotificationSerializer,
)
from notifications.models import Notification

EVERY_MEMBER = set(Role)


class IsMember(BasePermission):
    """Emails go to members: an integration key (no membership) has none to read or set."""

    message = "Notifications belong to members; an integration key has none."

    def has_permission(self, request, view):
        return resolve_principal(request).membership is not None


class NotificationPreferenceViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """Which kinds of email you receive in this organization (every member, for
    themselves). `PATCH` any subset of kinds; `invitation` and `password_reset` are
    transactional and stay on."""

    serializer_class = NotificationPreferencesSerializer
    permission_classes = [IsMember, IsOrganizationMember]
    operation_id_prefix = "notification_preferences"
    write_roles = EVERY_MEMBER
    pagination_class = None
    filter_backends = []

    @extend_schema(summary="Your notification preferences", tags=["notifications"])
    def retrieve(self, request):
        refuse_unknown_parameters(request, ())
        return Response(preferences.preferences_of(self.principal.membership))

    @extend_schema(summary="Switch kinds of email on or off", tags=["notifications"])
    def partial_update(self, request):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(
            preferences.set_preferences(self.principal.membership, payload.validated_data)
        )


class NotificationFilter(django_filters.FilterSet):
    class Meta:
        model = Notification
        fields = ["kind", "status"]


@extend_schema_view(
    list=extend_schema(summary="Emails sent (admins: the organization's; others: yours)"),
    retrieve=extend_schema(summary="One email sent, with its text"),
)
@extend_schema(tags=["notifications"])
class NotificationViewSet(
    TenantViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The record of emails: to whom, what, and whether it went out (`status`,
    `attempts`, `last_error`). Admins see the organization's; everyone else their own."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [IsMember, IsOrganizationMember]
    operation_id_prefix = "notifications"
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "sent_at"]

    def get_queryset(self):
        queryset = super().get_queryset()
        principal = self.principal if not getattr(self, "swagger_fake_view", False) else None
        if principal is not None and principal.role != Role.ADMIN:
            queryset = queryset.filter(recipient=principal.user)
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return NotificationDetailSerializer
        return super().get_serializer_class()
