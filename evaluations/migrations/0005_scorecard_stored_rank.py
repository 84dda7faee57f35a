"""Scorecards store their rank (null when superseded).

The ranks were computed on every read before, so a rank that changed when
another candidate was rescored never moved the row in the sync order, nor did
superseding a version. Filling the column therefore also stamps every scorecard
as changed now: sync clients receive each one once more, with its current
rank and ``is_latest``. The ranking is written out here (competition ranks
over ``(disqualified, overall)``, docs/scoring.md) rather than imported, so this
migration keeps doing what it did whatever later becomes of the application code.
"""

from itertools import groupby

from django.db import migrations, models
from django.utils import timezone

BATCH = 500


def ranks(rows):
    """(pk, rank) for the latest scorecards of one evaluation."""
    ordered = sorted(rows, key=lambda r: (r[2], -r[3], r[0]))
    previous, rank = None, 0
    for position, (pk, _, disqualified, overall) in enumerate(ordered, start=1):
        if (disqualified, overall) != previous:
            previous, rank = (disqualified, overall), position
        yield pk, rank


def fill_ranks(apps, schema_editor):
    Scorecard = apps.get_model("evaluations", "Scorecard")
    latest = (
        Scorecard.objects.filter(is_latest=True)
        .order_by("evaluation_id", "pk")
        .values_list("pk", "evaluation_id", "disqualified", "overall")
    )
    batch = []
    for _, rows in groupby(latest.iterator(chunk_size=BATCH), key=lambda r: r[1]):
        for pk, rank in ranks(list(rows)):
            batch.append(Scorecard(pk=pk, rank=rank))
            if len(batch) == BATCH:
                Scorecard.objects.bulk_update(batch, ["rank"])
                batch = []
    Scorecard.objects.bulk_update(batch, ["rank"])
    Scorecard.objects.update(updated_at=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0004_scorecard_question_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorecard",
            name="rank",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Competition rank among the evaluation's latest scorecards; null "
                "when superseded.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_ranks, migrations.RunPython.noop),
    ]
