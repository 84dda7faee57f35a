"""django-filter integration with strict input: bad filter values are a 400."""

from django import forms
from django_filters import BooleanFilter, CharFilter, NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """Like DjangoFilterBackend, but ``?status=`` (present and empty) is invalid
    for typed filters (choices, numbers, booleans, dates).

    django-filter ignores empty values, which would make a typo'd integration
    silently receive everything instead of an error. Free-text filters keep
    accepting an empty string, as their schema allows.
    """

    def filter_queryset(self, request, queryset, view):
        # With none of its parameters in the query, a filterset filters nothing;
        # building and validating its form anyway cost as much as serialising a
        # page of 100 scorecards.
        filterset_class = self.get_filterset_class(view, queryset)
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


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(NumberFilter):
    """Filter by a related object's id: a bounded integer; an unknown id finds nothing."""

    field_class = IdField
