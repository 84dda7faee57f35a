"""Scorecard explanations: per-question results as columns, in a PostgreSQL json column.

``details["questions"]`` (a list of one dict per question) becomes
``details["question_columns"]`` (one list per field), and back when reversed.
The conversion is written out here rather than imported, so this migration
keeps doing what it did whatever later becomes of the application code.
"""

from django.db import migrations

import evaluations.models.results

FIELDS = (
    "code",
    "section",
    "x",
    "effective_weight",
    "contribution",
    "answered",
    "rating_count",
    "spread",
    "disagreement",
    "overridden",
    "knockout",
    "failed_knockout",
)
BATCH = 200


def to_columns(details: dict) -> dict:
    questions = details.pop("questions")
    details["question_columns"] = {name: [q[name] for q in questions] for name in FIELDS}
    return details


def to_rows(details: dict) -> dict:
    columns = details.pop("question_columns")
    details["questions"] = [
        dict(zip(FIELDS, row, strict=True))
        for row in zip(*(columns[name] for name in FIELDS), strict=True)
    ]
    return details


def convert(apps, convert_details, old_key: str):
    Scorecard = apps.get_model("evaluations", "Scorecard")
    batch = []
    for card in Scorecard.objects.only("pk", "details").iterator(chunk_size=BATCH):
        if old_key in card.details:
            card.details = convert_details(card.details)
            batch.append(card)
        if len(batch) == BATCH:
            Scorecard.objects.bulk_update(batch, ["details"])
            batch = []
    Scorecard.objects.bulk_update(batch, ["details"])


def forwards(apps, schema_editor):
    convert(apps, to_columns, "questions")


def backwards(apps, schema_editor):
    convert(apps, to_rows, "question_columns")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_scorecard_flag_columns"),
    ]

    operations = [
        # Runs while the column is jsonb in both directions: before the type
        # changes, and (reversed) after it has changed back.
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="scorecard",
            name="details",
            field=evaluations.models.results.ExplanationField(
                help_text="The full explanation: sections, questions (as columns, see "
                "evaluations.engine.scorecard_details), flags."
            ),
        ),
    ]
