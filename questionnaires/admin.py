"""Django admin for operators. Drafts of organizations' questionnaires are editable;
published and retired versions and everything built in are read-only, as in the API.
Versions are created by import and new-version (API), not here."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from rest_framework.exceptions import APIException, ValidationError

from questionnaires import selectors, services
from questionnaires.document import validate_document
from questionnaires.models import (
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    VersionStatus,
)


def _editable(version) -> bool:
    return version is not None and version.is_editable and not version.questionnaire.is_builtin


class BuiltinFilter(admin.SimpleListFilter):
    title = "built in"
    parameter_name = "builtin"

    def lookups(self, request, model_admin):
        return [("yes", "Built in"), ("no", "Organization's own")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(organization__isnull=self.value() == "yes")
        return queryset


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ["number", "status", "name", "label", "published_at", "retired_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organization", "is_builtin", "updated_at"]
    list_filter = [BuiltinFilter]
    search_fields = ["code", "name", "organization__name"]
    list_select_related = ["organization"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [VersionInline]

    @admin.display(boolean=True, description="built in")
    def is_builtin(self, obj):
        return obj.is_builtin

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # The code identifies it for import; name and description follow the versions.
            return ["organization", "code", "name", "description", *self.readonly_fields]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_builtin)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (
            obj.is_builtin or obj.versions.exclude(status=VersionStatus.DRAFT).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)


class _StructureInline:
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


class SectionInline(_StructureInline, admin.TabularInline):
    model = Section
    fields = ["order", "code", "title", "description", "weight"]
    ordering = ["order"]


class QuestionInline(_StructureInline, admin.StackedInline):
    model = Question
    fk_name = "version"
    ordering = ["section__order", "order"]
    fields = [
        ("section", "order", "code", "kind", "scoring", "weight"),
        "text",
        ("help_text", "guidance"),
        ("options", "bands"),
        ("true_score", "false_score", "scale_max"),
        ("knockout", "pass_threshold"),
        ("tags", "applies_to", "industries"),
        "prefill",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("section")
        if field is not None and obj is not None:
            field.queryset = Section.objects.filter(version=obj).order_by("order")
        return formset


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "status", "name", "published_at", "export_link"]
    list_filter = ["status"]
    search_fields = ["questionnaire__code", "name", "label"]
    list_select_related = ["questionnaire"]
    fields = [
        "questionnaire",
        "number",
        "status",
        "name",
        "description",
        "label",
        "content_hash",
        "created_by",
        "created_at",
        "updated_at",
        "published_at",
        "retired_at",
    ]
    readonly_fields = [f for f in fields if f not in ("name", "description", "label")]
    inlines = [SectionInline, QuestionInline]
    actions = ["publish_drafts"]

    @admin.display(description="export")
    def export_link(self, obj):
        url = reverse(
            "questionnaire-version-export",
            kwargs={"questionnaire_pk": obj.questionnaire_id, "pk": obj.pk},
        )
        return format_html('<a href="{}?format=yaml">YAML</a>', url)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _editable(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or _editable(obj))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        version = selectors.version_with_structure(form.instance.pk)
        problems = validate_document(selectors.version_document(version))
        for problem in problems:
            self.message_user(request, f"Problem: {problem}", messages.WARNING)

    @admin.action(description="Publish selected drafts (validated first)")
    def publish_drafts(self, request, queryset):
        for version in queryset.select_related("questionnaire"):
            if not _editable(version):
                self.message_user(request, f"{version}: not an editable draft", messages.ERROR)
                continue
            try:
                services.publish_version(version)
            except ValidationError as exc:
                problems = "; ".join(str(p) for p in getattr(exc, "problems", [exc.detail]))
                self.message_user(request, f"{version}: {problems}", messages.ERROR)
            except APIException as exc:
                self.message_user(request, f"{version}: {exc.detail}", messages.ERROR)
            else:
                done = f"{version.questionnaire.code} v{version.number} published"
                self.message_user(request, done)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Browse questions across versions (edit them in their draft version)."""

    list_display = ["code", "version", "section", "kind", "weight", "knockout"]
    list_filter = ["kind", "scoring", "knockout", "version__status"]
    search_fields = ["code", "text", "version__questionnaire__code"]
    list_select_related = ["version__questionnaire", "section"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
