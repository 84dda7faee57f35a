from django.contrib import admin

from providers.models import (
    Capability,
    CapabilityOffering,
    Document,
    Provider,
    Reference,
    SlaTerm,
)
from providers.signals import provider_identity_changed


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    """The catalog is loaded from providers/content/capabilities.yaml: read-only here."""

    list_display = ["code", "name", "service_model", "position", "updated_at"]
    list_filter = ["service_model"]
    search_fields = ["code", "name", "description"]
    readonly_fields = ["code", "name", "description", "service_model", "position"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfferingInline(admin.TabularInline):
    model = CapabilityOffering
    extra = 0
    autocomplete_fields = ["capability"]


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 0


class SlaTermInline(admin.TabularInline):
    model = SlaTerm
    extra = 0


class DocumentInline(admin.TabularInline):
    """Documents are uploaded through the API, which checks and hashes them."""

    model = Document
    extra = 0
    fields = ["kind", "title", "original_filename", "content_type", "size", "sha256"]
    readonly_fields = ["original_filename", "content_type", "size", "sha256"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organization", "soc_model", "delivery", "updated_at"]
    list_filter = ["soc_model", "delivery", "employee_band", "organization"]
    search_fields = ["name", "slug", "headquarters", "third_party_soc_name"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["organization"]
    inlines = [OfferingInline, ReferenceInline, SlaTermInline, DocumentInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Scorecards show the provider's name: a rename here must reach
            # syncing clients as it does through the API.
            provider_identity_changed.send(sender=Provider, provider_ids=[obj.pk])


@admin.register(CapabilityOffering)
class CapabilityOfferingAdmin(admin.ModelAdmin):
    list_display = ["provider", "capability", "delivered_by", "partner_name"]
    list_filter = ["delivered_by", "capability__service_model"]
    search_fields = ["provider__name", "capability__code", "partner_name"]
    list_select_related = ["provider", "capability"]
    autocomplete_fields = ["provider", "capability"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["provider", "client_industry", "client_size", "contactable", "verified"]
    list_filter = ["client_industry", "contactable", "verified"]
    search_fields = ["provider__name", "contact_name", "contact_email"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]


@admin.register(SlaTerm)
class SlaTermAdmin(admin.ModelAdmin):
    list_display = ["provider", "metric", "target_value", "unit", "remedy_type"]
    list_filter = ["metric", "unit", "remedy_type"]
    search_fields = ["provider__name", "remedy_details"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "kind", "content_type", "size", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "original_filename", "sha256", "provider__name"]
    list_select_related = ["provider"]
    readonly_fields = [
        "provider",
        "file",
        "original_filename",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False
