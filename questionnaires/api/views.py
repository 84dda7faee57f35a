"""Questionnaires and their versions. Thin: resolve, check permission, call one service.

Reads are open to every member (built-ins plus the organization's own);
writes need an admin (or a read_write integration key). Built-in
questionnaires are readable by everyone and editable by nobody: 403. Only a
draft changes; any edit of a published or retired version is a 409.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.tenancy import TenantViewSetMixin, scope_to_organization
from config.conditional import ConditionalMixin
from config.idempotency import IdempotentCreateMixin
from questionnaires import selectors, services
from questionnaires.api import documents as docs
from questionnaires.api import formats
from questionnaires.api.filters import QuestionnaireFilter, VersionFilter
from questionnaires.api.serializers import (
    QuestionnaireSerializer,
    VersionDetailSerializer,
    VersionSerializer,
)
from questionnaires.conversion import SEMANTIC_CODES
from questionnaires.document import dump_document
from questionnaires.models import Questionnaire, QuestionnaireVersion

BUILTIN_READ_ONLY = (
    "Built-in questionnaires are read-only. Import a copy (same document, your own "
    "organization) to change one."
)
EXAMPLE = OpenApiExample("A small questionnaire", value=docs.EXAMPLE_DOCUMENT)
# Rules JSON Schema cannot express: schema-valid input can still get a 400 with these.
SEMANTIC = {"x-semantic-error-codes": list(SEMANTIC_CODES)}


def _ensure_editable(questionnaire: Questionnaire) -> None:
    if questionnaire.is_builtin:
        raise PermissionDenied(BUILTIN_READ_ONLY)


@extend_schema_view(
    list=extend_schema(
        summary="List questionnaires",
        description="The built-in questionnaires and your organization's own, each with "
        "its latest and its published version.",
    ),
    retrieve=extend_schema(summary="Get a questionnaire"),
    create=extend_schema(
        summary="Create a questionnaire",
        description="A new questionnaire of your organization with an empty draft as "
        "version 1; fill it with a draft edit, or import a whole document instead. "
        "409 when your organization already has a questionnaire with this code.",
        request=docs.QuestionnaireCreateSerializer,
        responses={201: QuestionnaireSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a questionnaire",
        description="Only a questionnaire that was never published (409 otherwise: retire "
        "its published version instead). Built-ins: 403.",
    ),
)
class QuestionnaireViewSet(
    IdempotentCreateMixin,
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Questionnaires: the built-in ones (every organization reads them) and your own."""

    queryset = Questionnaire.objects.all()
    serializer_class = QuestionnaireSerializer
    operation_id_prefix = "questionnaires"
    lookup_value_regex = "[0-9]+"
    idempotent_actions = ("create", "import_document")
    parser_classes = [formats.DocumentJSONParser]
    filterset_class = QuestionnaireFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "created_at", "updated_at", "id"]
    ordering = ["code", "id"]

    @property
    def extra_error_codes(self):
        return (409,) if self.action == "destroy" else ()

    def get_queryset(self):
        return scope_to_organization(
            selectors.questionnaire_queryset(), self.principal.organization
        )

    def create(self, request, *args, **kwargs):
        questionnaire = services.create_questionnaire(
            self.principal.organization, request.data, user=self.principal.user
        )
        instance = self.get_queryset().get(pk=questionnaire.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        _ensure_editable(instance)
        services.delete_questionnaire(instance)

    @extend_schema(
        summary="Import a questionnaire document",
        description="Creates a draft from a document in the questionnaire format, sent as "
        "JSON (`application/json`) or YAML (`application/yaml` or `text/yaml`), at most "
        "2 MB. A new code creates a questionnaire of your organization; the code of one "
        "of yours adds a new draft version to it (409 if it already has a draft); the code "
        "of a built-in creates your own copy under that code. Every problem of the "
        "document is reported at once, with its path, in `errors`.",
        request={
            "application/json": docs.DocumentSerializer,
            "application/yaml": docs.DocumentSerializer,
            "text/yaml": docs.DocumentSerializer,
        },
        responses={201: VersionDetailSerializer},
        examples=[EXAMPLE],
        extensions=SEMANTIC,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=formats.DOCUMENT_PARSERS,
    )
    def import_document(self, request):
        version = services.import_document(
            self.principal.organization, request.data, user=self.principal.user
        )
        loaded = selectors.version_with_structure(version.pk)
        return Response(
            VersionDetailSerializer(loaded, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


_QUESTIONNAIRE_PK = OpenApiParameter(
    "questionnaire_pk",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The questionnaire's id.",
)


@extend_schema(parameters=[_QUESTIONNAIRE_PK])
@extend_schema_view(
    list=extend_schema(summary="List a questionnaire's versions", description="Newest first."),
    retrieve=extend_schema(
        summary="Get a version with its content",
        description="The version with its sections and questions in the document format.",
    ),
    partial_update=extend_schema(
        summary="Edit a draft",
        description="Replaces the given document fields of a draft: `name`, `description`, "
        "`version_label` and `sections` (the whole tree: sections and questions are matched "
        "by code, so unchanged codes keep their place in evaluations). The result is "
        "validated as a document and every problem reported at once with its path, e.g. "
        "`sections[2].questions[4].options`. 409 for published and retired versions; 403 "
        "for built-ins.",
        request=docs.DraftChangesSerializer,
        responses={200: VersionDetailSerializer},
        extensions=SEMANTIC,
    ),
    destroy=extend_schema(
        summary="Delete a draft",
        description="Discards a draft. 409 for published and retired versions, and for a "
        "questionnaire's only version (delete the questionnaire instead).",
    ),
)
class QuestionnaireVersionViewSet(
    ConditionalMixin,
    IdempotentCreateMixin,
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of a questionnaire: drafts are edited, published versions are immutable."""

    queryset = QuestionnaireVersion.objects.all()
    serializer_class = VersionSerializer
    operation_id_prefix = "questionnaire_versions"
    lookup_value_regex = "[0-9]+"
    idempotent_actions = ("new_version",)
    bodyless_actions = ("publish", "new_version", "retire")
    # If-Match is honoured (412) but not yet required: make it ("partial_update",)
    # once the tests send it, for 428 on a PATCH without it.
    if_match_required_actions = ()
    parser_classes = [formats.DocumentJSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = VersionFilter
    search_fields = ["name", "label"]
    ordering_fields = ["number", "created_at", "published_at"]
    ordering = ["-number"]

    @property
    def extra_error_codes(self):
        return (409,) if self.action == "destroy" else ()

    def get_questionnaire(self) -> Questionnaire:
        if not hasattr(self, "_questionnaire"):
            visible = scope_to_organization(
                Questionnaire.objects.all(), self.principal.organization
            )
            self._questionnaire = get_object_or_404(visible, pk=self.kwargs["questionnaire_pk"])
        return self._questionnaire

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.get_questionnaire()  # 404 for a questionnaire the caller cannot see

    def get_queryset(self):
        queryset = QuestionnaireVersion.objects.filter(
            questionnaire_id=self.kwargs.get("questionnaire_pk")
        )
        if self.action == "list":
            return selectors.version_list_queryset(queryset)
        if self.action in ("retrieve", "export"):
            return selectors.versions_with_structure(queryset)
        return queryset.select_related("questionnaire")

    def get_serializer_class(self):
        if self.action == "list":
            return VersionSerializer
        return VersionDetailSerializer

    def _editable_version(self) -> QuestionnaireVersion:
        version = self.get_object()
        _ensure_editable(version.questionnaire)
        return version

    def _detail(self, version, status_code=status.HTTP_200_OK) -> Response:
        loaded = selectors.version_with_structure(version.pk)
        serializer = VersionDetailSerializer(loaded, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    def partial_update(self, request, *args, **kwargs):
        ignored = docs.DraftChangesSerializer.read_back_fields
        changes = {key: value for key, value in request.data.items() if key not in ignored}
        version = services.update_draft(self._editable_version(), changes)
        return self._detail(version)

    def destroy(self, request, *args, **kwargs):
        services.delete_version(self._editable_version())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Publish a draft",
        description="Validates the draft for publication (every problem at once, with its "
        "path), freezes it (`content_hash`, `published_at`) and retires the previously "
        "published version. 409 unless the version is a draft.",
        request=None,
        responses={200: VersionDetailSerializer},
        extensions=SEMANTIC,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        return self._detail(services.publish_version(self._editable_version()))

    @extend_schema(
        summary="Start a new draft from this version",
        description="Clones this version's content exactly into a new draft (the next "
        "number). 409 if the questionnaire already has a draft.",
        request=None,
        responses={201: VersionDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="new-version", url_name="new-version")
    def new_version(self, request, *args, **kwargs):
        clone = services.new_version(self._editable_version(), user=self.principal.user)
        return self._detail(clone, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Retire a published version",
        description="It stays readable (and pinned where it is) but is no longer current. "
        "409 unless the version is published.",
        request=None,
        responses={200: VersionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, *args, **kwargs):
        return self._detail(services.retire_version(self._editable_version()))

    @extend_schema(
        summary="Export a version as a document",
        description="The version in the questionnaire document format, as JSON or YAML "
        "(`?format=`, else the Accept header; JSON by default), served as an attachment "
        "named `<code>-v<number>.<format>`. Importing it gives the same document back.",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                OpenApiParameter.QUERY,
                enum=["json", "yaml"],
                default="json",
                description="`json` or `yaml`.",
            ),
            OpenApiParameter(
                "Content-Disposition",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                description='`attachment; filename="<code>-v<number>.<format>"`',
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(docs.DocumentSerializer, examples=[EXAMPLE]),
            (200, "application/yaml"): OpenApiResponse(docs.DocumentSerializer),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[formats.DocumentJSONRenderer, formats.DocumentYAMLRenderer],
        content_negotiation_class=formats.ExportNegotiation,
    )
    def export(self, request, *args, **kwargs):
        version = self.get_object()
        fmt = request.accepted_renderer.format
        text = dump_document(selectors.version_document(version), fmt)
        filename = f"{version.questionnaire.code}-v{version.number}.{fmt}"
        return Response(text, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
