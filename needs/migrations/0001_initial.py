"""The needs assessment moves here from evaluations; its table stays where it is.

State only: the table ``evaluations_needsassessment`` (with its rows and its
index) was created by evaluations 0002 and is kept, under the same name.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("evaluations", "0007_merge_stored_rank_and_blind_rating"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='NeedsAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=200)),
                        ('profile', models.JSONField(help_text='The normalised buyer profile.')),
                        ('result', models.JSONField(help_text='`assess_needs(profile).to_dict()`.')),
                        ('engine_version', models.CharField(max_length=10)),
                        ('rule_set_hash', models.CharField(max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs_assessments', to='accounts.organization')),
                    ],
                    options={
                        'db_table': 'evaluations_needsassessment',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['organization', 'updated_at', 'id'], name='needs_sync_idx')],
                    },
                ),
            ],
        ),
    ]
