"""Inserting new scorecards: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

A scorecard row carries its whole explanation (tens of kilobytes), and an
INSERT of fifty of them spends much of its time building and parsing one huge
statement. ``COPY`` streams the same values instead: each column's value is
what ``bulk_create`` would send (``pre_save`` then ``get_db_prep_save`` of the
field), and the ids come from the table's own sequence, read in one query.
"""

from django.db import connection

from evaluations.models import Scorecard


def insert_scorecards(cards: list[Scorecard]) -> list[Scorecard]:
    """Insert ``cards`` (unsaved) and return them with their ids, in order."""
    if connection.vendor != "postgresql" or not cards:
        return Scorecard.objects.bulk_create(cards)
    table = Scorecard._meta.db_table
    fields = Scorecard._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(cards)],
        )
        for card, (pk,) in zip(cards, cursor.fetchall(), strict=True):
            card.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for card in cards:
                copy.write_row(
                    [
                        field.get_db_prep_save(field.pre_save(card, True), connection)
                        for field in fields
                    ]
                )
    for card in cards:
        card._state.adding, card._state.db = False, connection.alias
    return cards
