"""Organization scoping for querysets, serializers and viewsets.

A model says how it belongs to an organization with ``tenant_path`` (a lookup
such as ``"provider__organization"``), or ``tenant_q(organization)`` for rules
like "own rows plus built-in ones"; a model with an ``organization`` field needs
neither. Models with none of these are global (e.g. the capability catalog).
Every related field on a TenantModelSerializer is scoped the same way, so an id
from another organization is "does not exist", never a leak.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import cached_property
from rest_framework import mixins, serializers, viewsets
from rest_framework.generics import get_object_or_404

from accounts.principal import resolve_principal
from config.idempotency import IdempotencyHooks
from config.serializers import StrictModelSerializer, StrictSerializer


def tenant_lookup(model) -> str | None:
    path = getattr(model, "tenant_path", None)
    if path:
        return path
    try:
        model._meta.get_field("organization")
    except FieldDoesNotExist:
        return None
    return "organization"


def scope_to_organization(queryset, organization):
    model = queryset.model
    if hasattr(model, "tenant_q"):
        return queryset.filter(model.tenant_q(organization))
    lookup = tenant_lookup(model)
    if lookup is None:
        return queryset
    return queryset.filter(**{lookup: organization})


def _scope_field(field, organization):
    if isinstance(field, serializers.ManyRelatedField):
        _scope_field(field.child_relation, organization)
    elif isinstance(field, serializers.RelatedField) and field.queryset is not None:
        field.queryset = scope_to_organization(field.queryset, organization)
    elif isinstance(field, serializers.ListSerializer):
        _scope_serializer(field.child, organization)
    elif isinstance(field, serializers.Serializer):
        _scope_serializer(field, organization)


def _scope_serializer(serializer, organization):
    for field in serializer.fields.values():
        _scope_field(field, organization)


class TenantSerializerMixin:
    """Scopes every writable related field (nested ones too) to the caller's organization."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        view = self.context.get("view")
        if request is not None and not getattr(view, "swagger_fake_view", False):
            organization = resolve_principal(request).organization
            for field in fields.values():
                _scope_field(field, organization)
        return fields


class TenantModelSerializer(TenantSerializerMixin, StrictModelSerializer):
    pass


class TenantViewSetMixin(IdempotencyHooks):
    """Scopes the queryset to the caller's organization and stamps it on creation.

    Creates honour an ``Idempotency-Key`` header (``config.idempotency``); a view
    lists further creating POST actions in ``idempotent_actions``.
    """

    operation_id_prefix: str
    #: Actions that take no body (``extend_schema(request=None)``): a key sent to
    #: one is refused like any unknown field, not silently ignored.
    bodyless_actions: tuple[str, ...] = ()

    @property
    def principal(self):
        return resolve_principal(self.request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in self.bodyless_actions and request.data:
            StrictSerializer(data=request.data).is_valid(raise_exception=True)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return super().get_queryset().none()
        return scope_to_organization(super().get_queryset(), self.principal.organization)

    def perform_create(self, serializer):
        extra = {}
        if tenant_lookup(serializer.Meta.model) == "organization":
            extra["organization"] = self.principal.organization
        serializer.save(**extra)


class TenantModelViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


class TenantReadOnlyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantCreateListRetrieveViewSet(
    TenantViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    pass


class NestedTenantViewSetMixin(TenantViewSetMixin):
    """For routes under a parent, e.g. ``evaluations/{evaluation_pk}/candidates``.

    The parent is looked up within the caller's organization first, so a
    foreign parent id is a 404 before anything else happens.
    """

    parent_model = None
    parent_kwarg: str = ""
    parent_field: str = ""  # lookup from this viewset's model to the parent

    @cached_property
    def parent(self):
        queryset = scope_to_organization(
            self.parent_model.objects.all(), self.principal.organization
        )
        return get_object_or_404(queryset, pk=self.kwargs[self.parent_kwarg])

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Resolve the parent before any body is validated: another
        # organization's parent is a 404 whatever the request contains.
        self.parent  # noqa: B018

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        return super().get_queryset().filter(**{self.parent_field: self.parent})
