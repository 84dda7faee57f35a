"""django-filter integration with strict input: bad filter values are a 400, and so
is a query parameter a list does not document (a typo'd filter would otherwise
silently return everything)."""

from django import forms
from django.db import models
from django_filters import BooleanFilter, CharFilter, NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import get_view_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings

from config.pagination import MAX_PAGE_SIZE
from config.serializers import printable_key

# Query parameters of pagination classes (page numbers and cursors).
_PAGINATION_PARAMETERS = ("page_query_param", "page_size_query_param", "cursor_query_param")


class SearchFilter(filters.SearchFilter):
    """DRF's, but ``search`` is documented (and accepted) only where the view has
    ``search_fields``: elsewhere it would be a parameter that changes nothing."""

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)


def list_parameters(view, filterset_class) -> set[str]:
    """The query parameters a list takes: its filters, ``search`` and ``ordering``
    where their backends apply, and its pagination's."""
    names = set()
    if filterset_class is not None:
        names.update(filterset_class.base_filters)
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, IdListFilter):
            names.add(backend.param)
        if issubclass(backend, filters.SearchFilter) and getattr(view, "search_fields", None):
            names.add(backend.search_param)
        if issubclass(backend, filters.OrderingFilter):
            names.add(backend.ordering_param)
    paginator = getattr(view, "paginator", None)
    names.update(
        name
        for name in (getattr(paginator, attribute, None) for attribute in _PAGINATION_PARAMETERS)
        if name
    )
    return names


def refuse_unknown_parameters(request, known) -> None:
    """A 400 naming every query parameter that is neither in ``known`` nor DRF's
    ``format``; for lists without filter backends and actions with parameters of
    their own."""
    known = {*known, api_settings.URL_FORMAT_OVERRIDE}
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        error = ErrorDetail("Unknown query parameter.", code="unknown_parameter")
        raise ValidationError({printable_key(name): [error] for name in unknown})


def _is_list(view, queryset) -> bool:
    """Whether ``queryset`` is the list the view answers with, rather than the lookup of
    the object of an object route (whose actions may take parameters of their own,
    like an export's ``format``). A list under an object (an evaluation's audit
    trail) is of another model than the route's own."""
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    if lookup not in getattr(view, "kwargs", {}):
        return True
    own = getattr(view, "queryset", None)
    return own is not None and queryset.model is not own.model


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """Like DjangoFilterBackend, but ``?status=`` (present and empty) is invalid
    for typed filters (choices, numbers, booleans, dates).

    django-filter ignores empty values, which would make a typo'd integration
    silently receive everything instead of an error. Free-text filters keep
    accepting an empty string, as their schema allows.
    """

    def get_filterset_class(self, view, queryset=None):
        # An action listing another model (an evaluation's audit trail) declares
        # that model's filterset; the lookup of its own object is not filtered.
        filterset_class = getattr(view, "filterset_class", None)
        model = getattr(getattr(filterset_class, "_meta", None), "model", None)
        if model is not None and queryset is not None and not issubclass(queryset.model, model):
            return None
        return super().get_filterset_class(view, queryset)

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if request.method == "GET" and _is_list(view, queryset):
            refuse_unknown_parameters(request, list_parameters(view, filterset_class))
        # With none of its parameters in the query, a filterset filters nothing;
        # building and validating its form anyway cost as much as serialising a
        # page of 100 scorecards.
        if filterset_class is not None and all(
            f.field.widget.value_omitted_from_data(request.query_params, {}, name)
            for name, f in filterset_class.base_filters.items()
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [
                name
                for name, field in filterset.filters.items()
                if not isinstance(field, CharFilter)
                and name in request.query_params
                and request.query_params.get(name) == ""
            ]
            if empty:
                raise ValidationError({name: ["May not be empty."] for name in empty})
            # django-filter reads anything but true/false as "no filter".
            not_boolean = [
                name
                for name, field in filterset.filters.items()
                if isinstance(field, BooleanFilter)
                and name in request.query_params
                and any(v not in ("true", "false") for v in request.query_params.getlist(name))
            ]
            if not_boolean:
                raise ValidationError({name: ["Must be true or false."] for name in not_boolean})
        return filterset


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)  # a database bigint
        super().__init__(*args, **kwargs)


ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


@extend_schema_field(ID_SCHEMA)
class IdFilter(NumberFilter):
    """Filter by a related object's id: a bounded integer; an unknown id finds nothing."""

    field_class = IdField


class IdListFilter(filters.BaseFilterBackend):
    """``?id=3&id=7``: only the listed objects, on every list (generic admin UIs fetch
    the objects a page references this way). Repeated, never comma-separated; ids are
    bounded integers (UUIDs for models keyed by one) and at most a page's worth may
    be asked for at once."""

    param = "id"
    max_values = MAX_PAGE_SIZE

    @staticmethod
    def _keyed_by_uuid(model) -> bool:
        return model is not None and isinstance(model._meta.pk, models.UUIDField)

    def filter_queryset(self, request, queryset, view):
        if request.method != "GET" or self.param not in request.query_params:
            return queryset
        if not _is_list(view, queryset):
            return queryset
        values = request.query_params.getlist(self.param)
        if len(values) > self.max_values:
            raise ValidationError({self.param: [f"At most {self.max_values} ids."]})
        field = forms.UUIDField() if self._keyed_by_uuid(queryset.model) else IdField()
        try:
            ids = {field.clean(value) for value in values}
        except forms.ValidationError as error:
            raise ValidationError({self.param: error.messages}) from None
        return queryset.filter(pk__in=ids)

    def get_schema_operation_parameters(self, view):
        model = get_view_model(view, emit_warnings=False)
        item = {"type": "string", "format": "uuid"} if self._keyed_by_uuid(model) else ID_SCHEMA
        return [
            {
                "name": self.param,
                "in": "query",
                "required": False,
                "description": "Only these objects: repeat the parameter for each id "
                f"(`?id=3&id=7`, at most {self.max_values}).",
                "schema": {"type": "array", "items": item, "maxItems": self.max_values},
                "style": "form",
                "explode": True,
            }
        ]
