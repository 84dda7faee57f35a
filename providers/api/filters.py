"""Filters of the provider list. JSON-list filters work on SQLite and PostgreSQL alike."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter, search_smart_split

from config.filters import SearchFilter
from config.sync import UpdatedSinceFilter
from providers import selectors
from providers.api.external_ids import ExternalIdFilter
from providers.api.fields import ecma
from providers.catalog import load_capability_catalog
from providers.choices import (
    DELIVERY_CHOICES,
    FRAMEWORK_CHOICES,
    INDUSTRY_CHOICES,
    SERVICE_MODEL_CHOICES,
    SOC_MODEL_CHOICES,
)
from providers.models import Capability, CapabilityOffering, Provider, Reference
from providers.rules import MAX_TAG_LENGTH, TAG_PATTERN

# The built-in catalog is fixed per release, so its codes are a closed enum.
CAPABILITY_CHOICES = [(entry.code, entry.name) for entry in load_capability_catalog()]


class NulSafeSearchFilter(SearchFilter):
    """Ignores NUL characters in ``search`` (DRF would answer 400 to a value the
    schema allows; no stored text contains one anyway)."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        return search_smart_split(value.replace("\x00", ""))


@extend_schema_field({"type": "string", "pattern": ecma(TAG_PATTERN), "maxLength": MAX_TAG_LENGTH})
class TagFilter(django_filters.Filter):
    """A slug-valued filter. Not a CharFilter, so ``?tag=`` is a 400 like every typed
    filter (see ``config.filters.StrictDjangoFilterBackend``)."""

    field_class = forms.CharField


class StableOrderingFilter(OrderingFilter):
    """Appends ``id`` to any ordering, so pages never shuffle rows with equal keys
    (sync clients page through ``ordering=updated_at``)."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("id")
        return ordering


class ProviderFilter(django_filters.FilterSet):
    service_model = django_filters.ChoiceFilter(
        choices=SERVICE_MODEL_CHOICES,
        method="filter_json_list",
        help_text="Providers offering this service model.",
    )
    soc_model = django_filters.ChoiceFilter(choices=SOC_MODEL_CHOICES)
    delivery = django_filters.ChoiceFilter(choices=DELIVERY_CHOICES)
    industry = django_filters.ChoiceFilter(
        choices=INDUSTRY_CHOICES,
        method="filter_json_list",
        help_text="Providers serving this industry.",
    )
    framework = django_filters.ChoiceFilter(
        choices=FRAMEWORK_CHOICES,
        method="filter_json_list",
        help_text="Providers supporting this compliance framework.",
    )
    capability = django_filters.ChoiceFilter(
        choices=CAPABILITY_CHOICES,
        method="filter_capability",
        help_text="Providers offering the capability with this code (e.g. `mssp.edr`), "
        "themselves or through a partner.",
    )
    tag = TagFilter(
        method="filter_json_list",
        max_length=MAX_TAG_LENGTH,
        validators=[RegexValidator(TAG_PATTERN, message="Tags are lowercase slugs.")],
        help_text="Providers carrying this tag (a lowercase slug).",
    )
    external_id = ExternalIdFilter()
    updated_since = UpdatedSinceFilter(
        help_text="Only providers changed at or after this instant (ISO 8601), for sync; "
        "combine with `ordering=updated_at`.",
    )

    class Meta:
        model = Provider
        fields = ["soc_model", "delivery"]

    _LIST_FIELDS = {
        "service_model": "service_models",
        "industry": "industries",
        "framework": "frameworks",
        "tag": "tags",
    }

    def filter_json_list(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**selectors.json_list_contains(self._LIST_FIELDS[name], value))

    def filter_capability(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.offering_exists(value))


class CapabilityFilter(django_filters.FilterSet):
    service_model = django_filters.ChoiceFilter(choices=SERVICE_MODEL_CHOICES)

    class Meta:
        model = Capability
        fields = ["service_model"]


class OfferingFilter(django_filters.FilterSet):
    service_model = django_filters.ChoiceFilter(
        field_name="capability__service_model",
        choices=SERVICE_MODEL_CHOICES,
        help_text="Offerings of capabilities of this service model.",
    )

    class Meta:
        model = CapabilityOffering
        fields = ["delivered_by", "service_model"]


class ReferenceFilter(django_filters.FilterSet):
    framework = django_filters.ChoiceFilter(
        choices=FRAMEWORK_CHOICES,
        method="filter_framework",
        help_text="References whose client works under this compliance framework.",
    )

    class Meta:
        model = Reference
        fields = ["client_industry", "contactable", "verified", "framework"]

    def filter_framework(self, queryset, name, value):
        return queryset.filter(**selectors.json_list_contains("frameworks", value))
