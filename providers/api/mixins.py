"""View mixins shared by the provider endpoints."""

from rest_framework.parsers import BaseParser

from config.schema import AutoSchema
from providers.api.validation import STATE_CONFLICTS_409


class ActionParsersMixin:
    """Per-action parser classes (``action_parser_classes``), JSON elsewhere.

    DRF picks parsers while building the request, before ``self.action`` is set,
    so the action is looked up from the method here.
    """

    action_parser_classes: dict[str, list[type[BaseParser]]] = {}

    def initialize_request(self, request, *args, **kwargs):
        action_map = getattr(self, "action_map", None) or {}
        self._parsing_action = action_map.get(request.method.lower())
        return super().initialize_request(request, *args, **kwargs)

    def get_parsers(self):
        action = getattr(self, "action", None) or getattr(self, "_parsing_action", None)
        classes = self.action_parser_classes.get(action)
        if classes is None:
            return super().get_parsers()
        return [parser() for parser in classes]


class ProviderContextMixin:
    """Serializer context of the provider views.

    Rule violations caused by stored values answer 409 (see
    ``serializers.check_rules``). While drf-spectacular introspects the view there
    is no request in the context: the tenant serializers scope their related
    fields to the caller's organization, which needs an authenticated request.
    """

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context[STATE_CONFLICTS_409] = True
        if getattr(self, "swagger_fake_view", False):
            context.pop("request", None)
        return context


class RequiredBodySchema(AutoSchema):
    """Marks the request body of the listed actions as required (drf-spectacular only
    infers that from serializers, not from raw schemas such as a text/csv body)."""

    required_body_actions = ("import_providers",)

    def _get_request_for_media_type(self, serializer, direction="request"):
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if getattr(self.view, "action", None) in self.required_body_actions:
            required = schema is not None
        return schema, required
