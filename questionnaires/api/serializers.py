"""Response shapes of the questionnaire API (requests are documents: see documents.py)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.serializers import StrictModelSerializer, StrictSerializer
from questionnaires import selectors
from questionnaires.api.documents import SectionDocumentSerializer
from questionnaires.document_warnings import document_warnings
from questionnaires.models import Questionnaire, QuestionnaireVersion, VersionStatus

STATUS_HELP = (
    "`draft` (editable), `published` (immutable; the one new evaluations pin) or `retired` "
    "(immutable; kept for the evaluations that pinned it)."
)


class VersionStatusField(serializers.ChoiceField):
    """A version's status, documented once as the `VersionStatusEnum` component."""

    def __init__(self, **kwargs):
        super().__init__(choices=VersionStatus.choices, read_only=True, **kwargs)


class VersionStatusFieldExtension(OpenApiSerializerFieldExtension):
    """Names the enum itself: `status` is a common field name (jobs, evaluations)."""

    target_class = VersionStatusField

    def get_name(self):
        return "VersionStatusEnum"

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": list(VersionStatus.values), "description": STATUS_HELP}


class VersionSummarySerializer(StrictModelSerializer):
    version_label = serializers.CharField(source="label", read_only=True)
    status = VersionStatusField()

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "number", "version_label", "status", "published_at", "retired_at"]
        read_only_fields = fields


class QuestionnaireSerializer(StrictModelSerializer):
    builtin = serializers.BooleanField(
        source="is_builtin",
        read_only=True,
        help_text="True for the built-in questionnaires every organization can read and "
        "nobody can edit.",
    )
    latest_version = serializers.SerializerMethodField(
        help_text="The highest-numbered version, whatever its status (null if none)."
    )
    published_version = serializers.SerializerMethodField(
        help_text="The current published version, the one new evaluations pin (null if none)."
    )

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "code",
            "name",
            "description",
            "builtin",
            "latest_version",
            "published_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "code": {"help_text": "Stable identifier, unique within the organization."},
            "name": {"help_text": "Name of the published version (of the draft until then)."},
        }

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_latest_version(self, obj):
        version = selectors.latest_version(obj)
        return VersionSummarySerializer(version).data if version else None

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_published_version(self, obj):
        version = selectors.published_version(obj)
        return VersionSummarySerializer(version).data if version else None


class VersionSerializer(StrictModelSerializer):
    """A version without its content (lists)."""

    questionnaire_code = serializers.CharField(source="questionnaire.code", read_only=True)
    builtin = serializers.BooleanField(source="questionnaire.is_builtin", read_only=True)
    version_label = serializers.CharField(
        source="label", read_only=True, help_text="The document's free `version_label`."
    )
    status = VersionStatusField()
    section_count = serializers.IntegerField(read_only=True)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = [
            "id",
            "questionnaire",
            "questionnaire_code",
            "builtin",
            "number",
            "name",
            "version_label",
            "status",
            "content_hash",
            "section_count",
            "question_count",
            "created_at",
            "updated_at",
            "published_at",
            "retired_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "content_hash": {
                "help_text": "SHA-256 of the canonical JSON of the normalised document; set "
                "on publish, empty for drafts."
            },
        }


class DocumentWarningSerializer(StrictSerializer):
    """Something the document allows but probably did not mean; never refused."""

    field = serializers.CharField(help_text="Path in the document, as in `errors`.")
    code = serializers.CharField(help_text="E.g. `knockout_unreachable`.")
    message = serializers.CharField()


class VersionDetailSerializer(VersionSerializer):
    """A version with its whole content: `sections` in the document format."""

    description = serializers.CharField(read_only=True)
    sections = serializers.SerializerMethodField(
        help_text="Sections in order with their questions, exactly as in the document "
        "format (and as a draft edit takes them)."
    )
    warnings = serializers.SerializerMethodField(
        help_text="What the content allows but probably did not mean (docs/"
        "questionnaire-format.md, Warnings), e.g. a knockout only a lead override can "
        "pass. Shown after an import, an edit or a publish that succeeded, and on every read."
    )

    class Meta(VersionSerializer.Meta):
        fields = [
            "id",
            "questionnaire",
            "questionnaire_code",
            "builtin",
            "number",
            "name",
            "description",
            "version_label",
            "status",
            "content_hash",
            "created_at",
            "updated_at",
            "published_at",
            "retired_at",
            "sections",
            "warnings",
        ]
        read_only_fields = fields

    def _document(self, obj) -> dict:
        # Built once for both fields: a large version has hundreds of questions.
        if getattr(self, "_document_of", (None,))[0] is not obj:
            self._document_of = (obj, selectors.version_document(obj))
        return self._document_of[1]

    @extend_schema_field(SectionDocumentSerializer(many=True))
    def get_sections(self, obj) -> list:
        return self._document(obj)["sections"]

    @extend_schema_field(DocumentWarningSerializer(many=True))
    def get_warnings(self, obj) -> list:
        return [
            {"field": w.path, "code": w.code, "message": w.message}
            for w in document_warnings(self._document(obj))
        ]
