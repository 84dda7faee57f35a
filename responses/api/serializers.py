"""Serializers of the buyer's and the respondent's APIs.

The respondent's never carry scoring information (weights, option scores,
knockouts, tags, guidance for evaluators), other candidates, ratings or notes.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.serializers import StrictModelSerializer, StrictSerializer
from evaluations.engine.answer_values import MAX_TEXT_LENGTH
from providers.api.fields import EnumChoiceField
from providers.models import Document
from responses.models import ClarificationMessage, ResponseContact, ResponseEvent, ResponseRequest
from responses.services import requests, respondent, review

# ------------------------------------------------------------------ buyer


class ContactInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)


class ContactSerializer(StrictModelSerializer):
    link_status = serializers.SerializerMethodField()

    class Meta:
        model = ResponseContact
        fields = [
            "id",
            "name",
            "email",
            "link_status",
            "expires_at",
            "revoked_at",
            "last_sent_at",
            "send_count",
            "last_used_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["active", "revoked", "expired"]))
    def get_link_status(self, contact) -> str:
        if contact.revoked_at is not None:
            return "revoked"
        now = self.context["now"]
        return "expired" if contact.expires_at <= now else "active"


class ResponseRequestSerializer(StrictModelSerializer):
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = ResponseRequest
        fields = [
            "id",
            "candidate",
            "status",
            "due_date",
            "message",
            "draft_version",
            "contacts",
            "submitted_at",
            "accepted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ResponseRequestCreateSerializer(StrictSerializer):
    candidate = serializers.IntegerField(min_value=1, help_text="A candidate of this evaluation.")
    due_date = serializers.DateField()
    message = serializers.CharField(
        max_length=requests.MAX_MESSAGE_LENGTH, allow_blank=True, required=False, default=""
    )
    contacts = ContactInputSerializer(many=True, min_length=1, max_length=requests.MAX_CONTACTS)

    def validate_due_date(self, value):
        problem = requests.due_date_error(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_contacts(self, value):
        emails = [entry["email"].strip().lower() for entry in value]
        if len(set(emails)) != len(emails):
            raise serializers.ValidationError("Each contact's address may appear once.")
        return value


class ContactChoiceSerializer(StrictSerializer):
    contact = serializers.IntegerField(min_value=1, help_text="A contact of this request.")


class ReviewItemSerializer(StrictSerializer):
    question = serializers.CharField(max_length=40)
    decision = serializers.ChoiceField(choices=[review.ACCEPT, review.RETURN])
    message = serializers.CharField(
        max_length=respondent.MAX_MESSAGE_LENGTH,
        required=False,
        help_text="The clarification question; required to return.",
    )


class BuyerMessageSerializer(StrictSerializer):
    question = serializers.CharField(max_length=40, help_text="A question of this response.")
    message = serializers.CharField(
        max_length=respondent.MAX_MESSAGE_LENGTH,
        help_text="Shown to the respondent in the question's thread, signed with your "
        "organization's name.",
    )


class ResponseEventSerializer(StrictModelSerializer):
    class Meta:
        model = ResponseEvent
        fields = ["id", "side", "actor_label", "action", "question_code", "detail", "created_at"]
        read_only_fields = fields


# ------------------------------------------------------------------ both sides


class MessageSerializer(StrictModelSerializer):
    class Meta:
        model = ClarificationMessage
        fields = ["side", "author_label", "body", "created_at"]
        read_only_fields = fields


class PrefillSerializer(StrictSerializer):
    """Where the answer started: the provider record's value as the request was sent."""

    source = serializers.CharField(
        read_only=True, help_text="The question's prefill source, e.g. `provider.soc_model`."
    )
    note = serializers.CharField(
        read_only=True, help_text='What the record says, e.g. "SOC model own".'
    )
    value = serializers.JSONField(read_only=True, help_text="The prefilled answer.")
    kept = serializers.BooleanField(
        read_only=True,
        help_text="The answer is still the prefilled value: accepting it records the "
        "audit source `prefill` (otherwise `respondent`).",
    )


class AnswerStateSerializer(StrictSerializer):
    """One asked question's answer in the response, its review and its thread."""

    question = serializers.CharField(read_only=True)
    value = serializers.JSONField(read_only=True, allow_null=True)
    revision = serializers.IntegerField(
        read_only=True, help_text="The draft version that last changed it; 0: never answered."
    )
    review = serializers.CharField(read_only=True)
    updated_by = serializers.CharField(read_only=True, allow_null=True)
    prefill = PrefillSerializer(
        read_only=True, allow_null=True, help_text="Null when the answer was not prefilled."
    )
    messages = MessageSerializer(many=True, read_only=True)


class ResponseAnswersSerializer(StrictSerializer):
    status = serializers.CharField(read_only=True)
    draft_version = serializers.IntegerField(read_only=True)
    answers = AnswerStateSerializer(many=True, read_only=True)


# ------------------------------------------------------------------ respondent


class OptionSerializer(StrictSerializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class AskedQuestionSerializer(StrictSerializer):
    code = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    options = OptionSerializer(many=True, read_only=True)
    scale_max = serializers.IntegerField(read_only=True)


class AskedSectionSerializer(StrictSerializer):
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    questions = AskedQuestionSerializer(many=True, read_only=True)


class AskedQuestionnaireSerializer(StrictSerializer):
    sections = AskedSectionSerializer(many=True, read_only=True)


class RespondentRequestSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    buyer = serializers.CharField(read_only=True, help_text="The organization asking.")
    provider = serializers.CharField(read_only=True, help_text="The provider answering.")
    contact = ContactInputSerializer(read_only=True)
    status = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    message = serializers.CharField(read_only=True)
    draft_version = serializers.IntegerField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)


class DraftItemSerializer(StrictSerializer):
    question = serializers.CharField(max_length=40)
    value = serializers.JSONField(
        allow_null=True, help_text="As the question's kind requires; null clears the answer."
    )

    # What a read shows next to each answer: sent back, it is ignored.
    revision = serializers.IntegerField(read_only=True)
    review = serializers.CharField(read_only=True)
    updated_by = serializers.CharField(read_only=True, allow_null=True)
    prefill = PrefillSerializer(
        read_only=True,
        allow_null=True,
        help_text="Prefilled from the provider record: save the value as it is to confirm "
        "it, or change it. Null when not prefilled.",
    )
    messages = MessageSerializer(many=True, read_only=True)

    def validate_value(self, value):
        # The JSON of one answer is bounded like an answer's text (the body limit
        # bounds the request, not each item).
        if isinstance(value, str | list) and len(value) > MAX_TEXT_LENGTH:
            raise serializers.ValidationError(f"At most {MAX_TEXT_LENGTH} characters or items.")
        return value


class DraftSerializer(StrictSerializer):
    status = serializers.CharField(read_only=True)
    draft_version = serializers.IntegerField(read_only=True)
    answers = DraftItemSerializer(many=True, max_length=respondent.MAX_ITEMS)


class EvidenceUploadSerializer(StrictSerializer):
    kind = EnumChoiceField("DocumentKindEnum")
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(
        help_text="PDF, PNG, JPEG, text, CSV, JSON, DOCX or XLSX, checked by content; at "
        "most MAX_UPLOAD_BYTES (20 MiB by default)."
    )


class EvidenceSerializer(StrictModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceListSerializer(StrictSerializer):
    documents = EvidenceSerializer(many=True, read_only=True)


class ReplySerializer(StrictSerializer):
    question = serializers.CharField(max_length=40)
    message = serializers.CharField(max_length=respondent.MAX_MESSAGE_LENGTH)
