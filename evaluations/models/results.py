"""Computed scorecards and the audit trail."""

import json
from functools import cached_property

from django.conf import settings
from django.db import models

from evaluations.engine.scorecard_details import question_rows


class ValuesInsertJSONField(models.JSONField):
    """A JSONField that PostgreSQL bulk inserts as plain VALUES.

    Django's UNNEST strategy for bulk_create quotes every value into an array
    literal first, which for large JSON documents (a scorecard explains every
    question) costs more than the insert itself. Defining a placeholder opts
    the field out of that strategy.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class EncodedJSON(str):
    """A document already encoded as compact JSON text (as ``ExplanationField``
    encodes it): the field writes it as it is, instead of encoding it again."""


class ExplanationField(ValuesInsertJSONField):
    """A JSON document written once and read whole: PostgreSQL ``json``, compact text.

    ``jsonb`` converts a document into its binary form on every write, which
    pays off only for querying inside it; nothing queries inside a scorecard's
    explanation, and ``json`` (which checks the syntax and keeps the text) is
    cheaper to write and to read back. Other databases keep their JSON type.
    """

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if isinstance(value, EncodedJSON):
            return str(value)
        if not prepared:
            value = self.get_prep_value(value)
        return json.dumps(value, cls=self.encoder, separators=(",", ":"))

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            return super().from_db_value(value, expression, connection)
        return value  # psycopg has already parsed PostgreSQL json


class Scorecard(models.Model):
    """One versioned scorecard of a candidate in one lot: its numbers never change.

    ``input_hash`` covers everything that affects this candidate's numbers
    (questionnaire version and packs, settings, answers, ratings, overrides, engine
    version). Rescoring with the same hash as the latest version creates
    nothing. ``is_latest`` and ``rank`` depend on later versions and on the
    other candidates: they are stored and rewritten (moving ``updated_at``, so
    cursor sync delivers the row again) by ``evaluations.services.ranks``.
    """

    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="scorecards"
    )
    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="scorecards"
    )
    lot = models.CharField(
        max_length=40,
        default="all",
        help_text="Code of the lot this scorecard is for; `all` in an evaluation without lots.",
    )
    version = models.PositiveIntegerField()
    is_latest = models.BooleanField(default=True)
    rank = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Competition rank among the evaluation's latest scorecards; null when "
        "superseded.",
    )
    input_hash = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=10)
    questionnaire_version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion", on_delete=models.PROTECT, related_name="+"
    )
    pack_versions = models.JSONField(
        default=list,
        blank=True,
        help_text="Ids of the pack versions scored after the base version, in order; "
        "empty without packs.",
    )
    aggregation = models.CharField(max_length=8)
    effective_section_weights = models.JSONField()
    overall = models.FloatField(help_text="0-100, rounded to 2 decimals.")
    completeness = models.FloatField()
    disqualified = models.BooleanField()
    # Copies of two small parts of `details`, so lists never load the full
    # explanation (every question of every candidate).
    failed_knockouts = models.JSONField(default=list)
    red_flags = models.JSONField(default=list)
    details = ExplanationField(
        help_text="The full explanation: sections, questions (as columns, see "
        "evaluations.engine.scorecard_details), flags."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    tenant_path = "evaluation__organization"

    class Meta:
        ordering = ["evaluation_id", "candidate_id", "lot", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "lot", "version"], name="uniq_lot_scorecard_version"
            ),
            models.UniqueConstraint(
                fields=["candidate", "lot"],
                condition=models.Q(is_latest=True),
                name="one_latest_lot_scorecard",
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"])]

    def __str__(self):
        return f"scorecard v{self.version} of candidate {self.candidate_id}"

    @cached_property
    def question_results(self) -> list[dict]:
        """The per-question results stored in ``details``, one dict per question."""
        return question_rows(self.details)


class ChangeSource(models.TextChoices):
    BUYER = "buyer", "Entered by the buyer"
    RESPONDENT = "respondent", "A vendor's response, accepted by the buyer"
    PREFILL = "prefill", "The provider record's value, confirmed by the vendor or the buyer"


class AuditEvent(models.Model):
    """Who changed what that moves a score, when, from which value to which."""

    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(
        max_length=160, blank=True, help_text="Who acted, kept when the user is deleted."
    )
    action = models.CharField(max_length=40, db_index=True)
    # Where the change came from: the buyer's own input, or a vendor's response
    # the buyer accepted (responses.services.review).
    source = models.CharField(
        max_length=16, choices=ChangeSource.choices, default=ChangeSource.BUYER
    )
    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question_code = models.CharField(max_length=40, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    tenant_path = "evaluation__organization"

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.action} by {self.actor_label} at {self.created_at}"
