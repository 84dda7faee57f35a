"""django-filter integration with strict input: bad filter values are a 400."""

from django_filters import CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """Like DjangoFilterBackend, but ``?status=`` (present and empty) is invalid
    for typed filters (choices, numbers, booleans, dates).

    django-filter ignores empty values, which would make a typo'd integration
    silently receive everything instead of an error. Free-text filters keep
    accepting an empty string, as their schema allows.
    """

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
        return filterset
