from django.contrib import admin

from evaluations.models import (
    Answer,
    AuditEvent,
    Candidate,
    Evaluation,
    EvaluatorAssignment,
    Override,
    Rating,
    RatingSheet,
    Report,
    Scorecard,
)


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    raw_id_fields = ["provider"]


class EvaluatorInline(admin.TabularInline):
    model = EvaluatorAssignment
    extra = 0
    raw_id_fields = ["membership"]
    readonly_fields = ["declared_at", "conflict_overridden_at"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "questionnaire_version", "lead", "updated_at"]
    list_filter = ["status", "aggregation", "industry", "organization"]
    search_fields = ["name", "description"]
    raw_id_fields = ["questionnaire_version", "lead", "decision_candidate", "created_by"]
    inlines = [CandidateInline, EvaluatorInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["candidate", "question", "updated_at"]
    list_filter = ["candidate__evaluation"]
    search_fields = ["question__code"]
    raw_id_fields = ["candidate", "question", "updated_by"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Submitted ratings only, read-only: a draft is its author's until submitted,
    for operators too, and a rating changes only through its author's sheet."""

    list_display = ["candidate", "question", "evaluator", "score", "updated_at"]
    list_filter = ["candidate__evaluation"]
    search_fields = ["question__code", "comment"]
    raw_id_fields = ["candidate", "question", "evaluator"]

    def get_queryset(self, request):
        return super().get_queryset(request).submitted()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RatingSheet)
class RatingSheetAdmin(admin.ModelAdmin):
    list_display = ["candidate", "evaluator", "submitted_at"]
    raw_id_fields = ["candidate", "evaluator"]


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    list_display = ["candidate", "question", "score", "set_by", "updated_at"]
    search_fields = ["question__code", "rationale"]
    raw_id_fields = ["candidate", "question", "set_by"]


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Scorecards are computed, immutable records: inspect only."""

    list_display = [
        "candidate",
        "evaluation",
        "version",
        "is_latest",
        "overall",
        "completeness",
        "disqualified",
        "created_at",
    ]
    list_filter = ["is_latest", "disqualified", "evaluation__organization"]
    search_fields = ["candidate__provider__name", "input_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "evaluation", "action", "actor_label", "question_code"]
    list_filter = ["action", "evaluation__organization"]
    search_fields = ["actor_label", "question_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["id", "evaluation", "seed", "trials", "spread", "created_at"]
    list_filter = ["evaluation__organization"]
    raw_id_fields = ["evaluation", "job"]
    readonly_fields = ["snapshot"]
