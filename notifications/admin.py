"""Operators' view of sent notifications (read-only: a send is a record) and preferences."""

from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "status", "attempts", "organization"]
    list_filter = ["kind", "status"]
    search_fields = ["to_email", "subject", "dedupe_key"]
    list_select_related = ["organization"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["membership", "kind", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["membership__user", "membership__organization"]
    raw_id_fields = ["membership"]
