from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "organization",
        "kind",
        "status",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "organization"]
    search_fields = ["id", "error"]
    readonly_fields = [f.name for f in Job._meta.fields]
