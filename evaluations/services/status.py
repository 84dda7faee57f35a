"""The one check of what an evaluation's status allows, shared by every service."""

from config.exceptions import Conflict


def require_status(evaluation, allowed: set, what: str) -> None:
    """409 naming the status unless ``evaluation`` is in one of ``allowed``."""
    if evaluation.status not in allowed:
        names = ", ".join(sorted(allowed))
        raise Conflict(
            f"{what} is not possible while the evaluation is {evaluation.status} "
            f"(allowed in: {names})."
        )
