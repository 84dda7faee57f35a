"""Retrying writes that lost a race to a concurrent insert of the same row.

An upsert reads which rows exist, then inserts the missing ones. Two identical
requests at once both see "missing", and the second insert hits the unique
constraint. Run again, it sees the row and updates it instead, which is what the
caller asked for: idempotent writes should succeed, not answer 409.
"""

import functools

from django.db import IntegrityError, transaction

from config.exceptions import is_unique_violation

ATTEMPTS = 2


def retry_on_unique_race(write):
    """Run ``write`` in its own transaction (or savepoint), once more after a
    unique-constraint race. Other integrity errors, and a second race, propagate
    (the problem handler answers a race with 409)."""

    @functools.wraps(write)
    def run(*args, **kwargs):
        for _ in range(ATTEMPTS - 1):
            try:
                with transaction.atomic():
                    return write(*args, **kwargs)
            except IntegrityError as exc:
                if not is_unique_violation(exc):
                    raise
        with transaction.atomic():
            return write(*args, **kwargs)

    return run
