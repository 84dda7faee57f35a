"""Versioned questionnaires: the structure docs/scoring.md scores.

A Questionnaire has numbered versions. A draft is edited freely; a published
version is immutable (scorecards pin it); a retired one stays readable but can
no longer be pinned by new evaluations. Built-in questionnaires have no
organization and are readable by everyone, editable by no one.

A version holds its whole document (name, description, label, sections and
questions), so it exports the same bytes for as long as it exists; the
questionnaire's own name and description follow its latest published version.
At most one draft and at most one published version exist per questionnaire
(partial unique constraints). Writes go through ``questionnaires.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Questionnaire(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text="Empty for built-in questionnaires.",
    )
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="uniq_questionnaire_code"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organization__isnull=True),
                name="uniq_builtin_questionnaire_code",
            ),
        ]

    def __str__(self):
        return self.code

    @staticmethod
    def tenant_q(organization):
        return Q(organization=organization) | Q(organization__isnull=True)

    @property
    def is_builtin(self) -> bool:
        return self.organization_id is None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    label = models.CharField(
        max_length=100, blank=True, help_text="The document's free `version_label`."
    )
    name = models.CharField(max_length=200, help_text="The document's `name` in this version.")
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the normalised document; set on publish.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="uniq_version_number"),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(status=VersionStatus.DRAFT),
                name="uniq_draft_per_questionnaire",
            ),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="uniq_published_per_questionnaire",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire.code} v{self.number} ({self.status})"

    @staticmethod
    def tenant_q(organization):
        return Q(questionnaire__organization=organization) | Q(
            questionnaire__organization__isnull=True
        )

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Section(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.FloatField(default=1.0)

    class Meta:
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_section_code"),
        ]

    def __str__(self):
        return self.code


class QuestionKind(models.TextChoices):
    BOOLEAN = "boolean", "Yes / no"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTI_CHOICE = "multi_choice", "Multiple choice"
    NUMBER = "number", "Number"
    SCALE = "scale", "Scale"
    TEXT = "text", "Free text"
    EVIDENCE = "evidence", "Evidence documents"


class Scoring(models.TextChoices):
    AUTO = "auto", "Auto"
    JUDGED = "judged", "Judged"


class Question(models.Model):
    """One question. Options, bands and lists are JSON: they are read and written
    whole with their question and never queried on their own."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=40)
    text = models.TextField()
    help_text = models.TextField(blank=True)
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    weight = models.FloatField(default=1.0)
    scoring = models.CharField(max_length=8, choices=Scoring.choices, default=Scoring.AUTO)
    options = models.JSONField(default=list, blank=True)
    true_score = models.FloatField(default=1.0)
    false_score = models.FloatField(default=0.0)
    bands = models.JSONField(default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(default=5)
    knockout = models.BooleanField(default=False)
    pass_threshold = models.FloatField(default=1.0)
    tags = models.JSONField(default=list, blank=True)
    applies_to = models.JSONField(default=list, blank=True)
    industries = models.JSONField(default=list, blank=True)
    # The document's `prefill` mapping (questionnaires.prefill_sources); null for none.
    prefill = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        ordering = ["version_id", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_question_code"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_judged(self) -> bool:
        return self.scoring == Scoring.JUDGED
