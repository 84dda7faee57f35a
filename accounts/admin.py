from django.contrib import admin

from accounts.models import ApiToken, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
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
