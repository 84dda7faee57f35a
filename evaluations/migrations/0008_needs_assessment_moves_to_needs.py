"""The needs assessment now lives in the needs app (needs 0001); state only.

The foreign key from an evaluation keeps pointing at the same table, so the
database does not change.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0007_merge_stored_rank_and_blind_rating"),
        ("needs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="evaluation",
                    name="needs_assessment",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="evaluations",
                        to="needs.needsassessment",
                    ),
                ),
                migrations.DeleteModel(name="NeedsAssessment"),
            ],
        ),
    ]
