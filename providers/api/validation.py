"""Turning ``providers.rules`` violations into API errors."""

from rest_framework import serializers
from rest_framework.settings import api_settings

from config.exceptions import Conflict

# Serializer context key: answer rule violations caused by stored values with 409.
STATE_CONFLICTS_409 = "rule_conflicts_with_stored_state_are_409"


def _error_dict(violations) -> dict:
    errors = {}
    for violation in violations:
        key = violation.field or api_settings.NON_FIELD_ERRORS_KEY
        errors.setdefault(key, []).append(
            serializers.ErrorDetail(violation.message, code=violation.code)
        )
    return errors


def check_rules(serializer, attrs: dict, violations) -> None:
    """Raise for rule violations: 400 when the request itself breaks a rule; 409
    (in views that ask for it) when it breaks one only together with stored values
    it did not send, e.g. a PATCH of ``third_party_soc_name`` on a provider whose
    stored SOC model is ``own``."""
    if not violations:
        return
    stored_conflict = (
        serializer.instance is not None
        and serializer.context.get(STATE_CONFLICTS_409)
        and all(not set(v.involves) <= set(attrs) for v in violations)
    )
    if stored_conflict:
        raise Conflict(_error_dict(violations))
    raise serializers.ValidationError(_error_dict(violations))


def merged(serializer, attrs: dict, fields) -> dict:
    """The object's state after this write: stored values overlaid with ``attrs``."""
    instance = serializer.instance
    return {
        name: attrs[name] if name in attrs else getattr(instance, name, None) for name in fields
    }
