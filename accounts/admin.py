from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from rest_framework.exceptions import ValidationError

from accounts import services
from accounts.models import ApiToken, Invitation, Membership, Organization


class GuardedUserChangeForm(UserChangeForm):
    """Operators deactivate users here: never the last active admin of an organization."""

    def clean_is_active(self):
        is_active = self.cleaned_data["is_active"]
        if self.instance.pk and self.instance.is_active and not is_active:
            # The admin's change view is one transaction, so the organization locks
            # taken here hold until the deactivation is saved.
            try:
                services.ensure_admins_remain_without(self.instance)
            except ValidationError:
                raise forms.ValidationError(
                    "This user is the last active admin of an organization: "
                    "make another member admin first."
                ) from None
        return is_active


class GuardedUserAdmin(UserAdmin):
    form = GuardedUserChangeForm


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), GuardedUserAdmin)


class ReadOnlyMembershipMixin:
    """Memberships are shown, never edited, here: who joins, which role they hold
    and who leaves are decided by the API's services (the last-admin rule under
    a lock, leads handed over, submitted evaluation work kept). Operators recover
    an organization with `manage.py create_organization`, which goes through
    them too."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyMembershipMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyMembershipMixin, admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__email", "organization__name"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "organization",
        "membership",
        "scope",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "organization"]
    search_fields = ["name", "prefix"]
    # Tokens are issued through the API or the create_organization command,
    # which show the secret once; the admin only inspects and revokes.
    readonly_fields = ["token_hash", "prefix", "last_used_at", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMembershipMixin, admin.ModelAdmin):
    """Shown, never edited: invitations are made, resent and revoked through the API,
    which sends the link (the row holds only its hash, so nothing here could)."""

    list_display = ["email", "organization", "role", "status", "expires_at", "send_count"]
    list_filter = ["role", "organization"]
    search_fields = ["email", "organization__name"]
    exclude = ["token_hash"]
