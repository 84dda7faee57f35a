"""Vendor responses: a buyer asks a candidate's contacts to answer the questionnaire.

A ResponseRequest belongs to one candidate of one evaluation. Each contact holds
its own link (``responses.links``): only the SHA-256 of the token is stored, as
for API tokens and invitations. Draft answers live here, not in the
evaluation's answers, until the buyer accepts them (``responses.services.review``).
"""

from django.conf import settings
from django.db import models


class RequestStatus(models.TextChoices):
    SENT = "sent", "Sent, not opened for writing yet"
    IN_PROGRESS = "in_progress", "The respondent is drafting"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned with clarification questions"
    ACCEPTED = "accepted", "Every answer accepted"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Not reviewed yet"
    ACCEPTED = "accepted", "Accepted by the buyer"
    RETURNED = "returned", "Returned with a clarification question"


class Side(models.TextChoices):
    BUYER = "buyer", "The buyer"
    RESPONDENT = "respondent", "The respondent"


class ResponseRequest(models.Model):
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.CASCADE, related_name="response_requests"
    )
    candidate = models.ForeignKey(
        "evaluations.Candidate", on_delete=models.CASCADE, related_name="response_requests"
    )
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    due_date = models.DateField()
    message = models.TextField(blank=True)
    # Bumped by every draft change; answers remember the version that last changed
    # them, so a stale write can name exactly the questions changed since.
    draft_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "evaluation__organization"

    class Meta:
        ordering = ["evaluation_id", "-id"]

    def __str__(self):
        return f"response request {self.pk} for candidate {self.candidate_id}"


class ResponseContact(models.Model):
    """A person at the provider, with their own link to the request."""

    request = models.ForeignKey(ResponseRequest, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=1)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "request__evaluation__organization"

    class Meta:
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "email"], name="uniq_response_contact"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>"


class ResponseAnswer(models.Model):
    """The respondent's answer to one question, and the buyer's review of it."""

    request = models.ForeignKey(ResponseRequest, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.PROTECT, related_name="+"
    )
    value = models.JSONField(null=True, blank=True)
    revision = models.PositiveIntegerField(help_text="The draft version that last changed it.")
    updated_by = models.ForeignKey(
        ResponseContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # {source, note, value} when the answer started from the provider record as the
    # request was sent (responses.services.prefill); null otherwise. Never changes.
    prefill = models.JSONField(null=True, blank=True, default=None)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "request__evaluation__organization"

    class Meta:
        ordering = ["request_id", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "question"], name="uniq_response_answer"),
        ]

    def __str__(self):
        return f"response {self.request_id} answer to {self.question_id}"


class ClarificationMessage(models.Model):
    """One message of a question's thread: a buyer's question or a respondent's reply."""

    answer = models.ForeignKey(ResponseAnswer, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=16, choices=Side.choices)
    author_label = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "answer__request__evaluation__organization"

    class Meta:
        ordering = ["answer_id", "created_at", "id"]

    def __str__(self):
        return f"{self.side} message on {self.answer_id}"


class ResponseEvent(models.Model):
    """The audit trail of a request: every respondent and buyer action, with who."""

    request = models.ForeignKey(ResponseRequest, on_delete=models.CASCADE, related_name="events")
    side = models.CharField(max_length=16, choices=Side.choices)
    contact = models.ForeignKey(
        ResponseContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300)
    action = models.CharField(max_length=40)
    question_code = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "request__evaluation__organization"

    class Meta:
        ordering = ["request_id", "-created_at", "-id"]

    def __str__(self):
        return f"{self.action} by {self.actor_label}"


class ResponseDocument(models.Model):
    """Evidence a respondent uploaded: stored as a document of the candidate's provider
    (same checks as the buyer's uploads), citable in this response's answers only."""

    request = models.ForeignKey(ResponseRequest, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField(
        "providers.Document", on_delete=models.CASCADE, related_name="response_upload"
    )
    contact = models.ForeignKey(
        ResponseContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_path = "request__evaluation__organization"

    class Meta:
        ordering = ["request_id", "id"]

    def __str__(self):
        return f"document {self.document_id} of response {self.request_id}"
