from django.contrib import admin

from needs.models import NeedsAssessment


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name"]
    readonly_fields = ["profile", "result", "engine_version", "rule_set_hash"]
