"""Submitted evaluator work is never destroyed: deleting a member or an evaluator
assignment no longer cascades to the evaluator's submitted sheets (RESTRICT).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("evaluations", "0005_drop_draft_rating_audit_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluatorassignment",
            name="membership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="evaluator_assignments",
                to="accounts.membership",
            ),
        ),
        migrations.AlterField(
            model_name="ratingsheet",
            name="evaluator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="sheets",
                to="evaluations.evaluatorassignment",
            ),
        ),
    ]
