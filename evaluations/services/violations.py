"""Turning the pure engine's rule violations into the API's 400."""

from collections.abc import Iterable

from rest_framework.exceptions import ErrorDetail, ValidationError

from evaluations.engine.lots import Violation


def raise_violations(violations: Iterable[Violation]) -> None:
    """A 400 listing every violation at its path (``lots[1].service_models``), if any."""
    detail: dict[str, list] = {}
    for violation in violations:
        detail.setdefault(violation.path, []).append(ErrorDetail(violation.message, "invalid"))
    if detail:
        raise ValidationError(detail)
