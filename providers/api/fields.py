"""Serializer fields of the providers API: the shared vocabularies and text rules.

``EnumChoiceField`` is a ``config.fields.NamedChoiceField`` over the vocabularies
in :data:`ENUMS`: every use of a choice set points at one named component, so a
generated client gets exactly one type per vocabulary. Other apps may use it for
the shared vocabulary too (same name, same values: one component).
"""

from django.core.validators import RegexValidator
from rest_framework import serializers

from config.fields import NamedChoiceField
from config.text import BLANK_CLASS, WHITESPACE_CLASS, is_blank
from providers.choices import (
    DELIVERY_CHOICES,
    FRAMEWORK_CHOICES,
    INDUSTRY_CHOICES,
    SERVICE_MODEL_CHOICES,
    SOC_MODEL_CHOICES,
    DeliveredBy,
    DocumentKind,
    EmployeeBand,
    ImportMode,
    ImportRowAction,
    RemedyType,
    SlaMetric,
    SlaUnit,
)

ENUMS: dict[str, list[tuple[str, str]]] = {
    "ServiceModelEnum": SERVICE_MODEL_CHOICES,
    "SocModelEnum": SOC_MODEL_CHOICES,
    "DeliveryEnum": DELIVERY_CHOICES,
    "IndustryEnum": INDUSTRY_CHOICES,
    "FrameworkEnum": FRAMEWORK_CHOICES,
    "EmployeeBandEnum": list(EmployeeBand.choices),
    "DeliveredByEnum": list(DeliveredBy.choices),
    "SlaMetricEnum": list(SlaMetric.choices),
    "SlaUnitEnum": list(SlaUnit.choices),
    "RemedyTypeEnum": list(RemedyType.choices),
    "DocumentKindEnum": list(DocumentKind.choices),
    "ImportModeEnum": list(ImportMode.choices),
    "ImportRowActionEnum": list(ImportRowAction.choices),
}


# Text patterns, stated in the OpenAPI schema too. "Blank" is config.text's one
# definition: whitespace and invisible format characters (U+200B, U+FEFF, ...);
# NUL is always refused. (A blankable field's schema is ``oneOf: [pattern,
# maxLength 0]``, so the pattern itself must not match the empty string.)
_VISIBLE = rf"[^\x00{BLANK_CLASS}]"
# \A and \Z anchor exactly in Python; drf-spectacular writes them as ^ and $.
NO_NUL_PATTERN = r"\A[^\x00]+\Z"
NOT_BLANK_PATTERN = rf"\A[^\x00]*{_VISIBLE}[^\x00]*\Z"
BLANK_PATTERN = rf"\A[{BLANK_CLASS}]*\Z"
WEBSITE_PATTERN = rf"\Ahttps?://[^\x00{WHITESPACE_CLASS}/?#]+[^\x00{WHITESPACE_CLASS}]*\Z"


def ecma(pattern: str) -> str:
    """A Python pattern of this module as JSON Schema writes it."""
    return pattern.replace(r"\A", "^").replace(r"\Z", "$")


def pattern_field(pattern: str, max_length: int, **kwargs) -> serializers.CharField:
    """Text that must match ``pattern`` exactly as sent (no trimming)."""
    return serializers.CharField(
        max_length=max_length,
        trim_whitespace=False,
        validators=[RegexValidator(pattern, message="This value does not match the pattern.")],
        **kwargs,
    )


class TextField(serializers.CharField):
    """Text whose blank values are stored as "".

    "Blank" is config.text's definition, invisible format characters included:
    the rules that say a field must be empty (a partner's name for self-delivery)
    accept such a value as empty, so the row must hold it as empty too, or the
    database's own constraint refuses what validation let through.
    """

    def run_validation(self, data=serializers.empty):
        # After the validators: they judge the text as sent (NUL is refused).
        value = super().run_validation(data)
        return "" if isinstance(value, str) and is_blank(value) else value


def text_field(max_length: int, *, blank: bool = True, **kwargs) -> serializers.CharField:
    """A text field; ``blank=False`` requires a visible character."""
    pattern = NO_NUL_PATTERN if blank else NOT_BLANK_PATTERN
    kwargs.setdefault("required", not blank)
    return TextField(
        max_length=max_length,
        allow_blank=blank,
        validators=[RegexValidator(pattern, message=_TEXT_MESSAGE)],
        **kwargs,
    )


_TEXT_MESSAGE = "Enter visible text without NUL characters."


class EnumChoiceField(NamedChoiceField):
    """A choice field documented as the ``enum_name`` component of :data:`ENUMS`."""

    def __init__(self, enum_name: str, **kwargs):
        super().__init__(enum_name, ENUMS[enum_name], **kwargs)


def enum_list(enum_name: str, *, max_length: int | None = None, **kwargs):
    """A JSON array of values of one enum (duplicates are dropped by the validators)."""
    return serializers.ListField(
        child=EnumChoiceField(enum_name), max_length=max_length, required=False, **kwargs
    )


NO_NUL = RegexValidator(NO_NUL_PATTERN, message="NUL characters are not allowed.")


class NullAsBlankMixin:
    """Accepts null as "no value" for a text field stored as an empty string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class OptionalTextField(NullAsBlankMixin, serializers.CharField):
    pass


class OptionalEmailField(NullAsBlankMixin, serializers.EmailField):
    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)  # "  " is not an address
        super().__init__(**kwargs)
