"""Filters of the questionnaire list. Content filters look at each questionnaire's
latest version; JSON-list filters work the same on SQLite and PostgreSQL
(``selectors.json_list_contains``)."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from providers.vocabulary import Industry, ServiceModel
from questionnaires import selectors
from questionnaires.api.documents import NO_NUL_PATTERN
from questionnaires.models import VersionStatus


class StrictBooleanField(forms.Field):
    """Only ``true`` or ``false``: anything else is a 400, not silently ignored."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


def text_filter(help_text: str, **kwargs) -> filters.CharFilter:
    """Free text; the schema says it has no NUL character (those are refused: 400)."""
    field = filters.CharFilter(help_text=help_text, **kwargs)
    schema = {"type": "string", "pattern": NO_NUL_PATTERN, "description": help_text}
    set_override(field, "field", schema)
    return field


def _choices(enum) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]


class QuestionnaireFilter(filters.FilterSet):
    builtin = StrictBooleanFilter(
        method="filter_builtin",
        help_text="true: only built-in questionnaires; false: only your organization's.",
    )
    code = text_filter("Exact questionnaire code.", field_name="code")
    tag = text_filter(
        "Questionnaires whose latest version has a question with this tag (e.g. `soc_ownership`).",
        method="filter_tag",
    )
    service_model = filters.ChoiceFilter(
        choices=_choices(ServiceModel),
        method="filter_service_model",
        help_text="Questionnaires whose latest version has a question aimed at this service "
        "model (listed in its `applies_to`).",
    )
    industry = filters.ChoiceFilter(
        choices=_choices(Industry),
        method="filter_industry",
        help_text="Questionnaires whose latest version has a question for this industry "
        "(listed in its `industries`).",
    )
    status = filters.ChoiceFilter(
        choices=VersionStatus.choices,
        field_name="latest_status",
        help_text="Status of the latest version.",
    )

    def filter_builtin(self, queryset, name, value):
        return queryset.filter(organization__isnull=value)

    def filter_tag(self, queryset, name, value):
        return selectors.with_latest_question(queryset, selectors.json_list_contains("tags", value))

    def filter_service_model(self, queryset, name, value):
        return selectors.with_latest_question(
            queryset, selectors.json_list_contains("applies_to", value)
        )

    def filter_industry(self, queryset, name, value):
        return selectors.with_latest_question(
            queryset, selectors.json_list_contains("industries", value)
        )


class VersionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=VersionStatus.choices)
