import django.db.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('questionnaires', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='questionnaireversion',
            name='name',
            field=models.CharField(default='', help_text="The document's `name` in this version.", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='questionnaireversion',
            name='description',
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name='questionnaireversion',
            name='label',
            field=models.CharField(blank=True, help_text="The document's free `version_label`.", max_length=100),
        ),
        migrations.AddConstraint(
            model_name='questionnaireversion',
            constraint=models.UniqueConstraint(condition=django.db.models.Q(('status', 'draft')), fields=('questionnaire',), name='uniq_draft_per_questionnaire'),
        ),
        migrations.AddConstraint(
            model_name='questionnaireversion',
            constraint=models.UniqueConstraint(condition=django.db.models.Q(('status', 'published')), fields=('questionnaire',), name='uniq_published_per_questionnaire'),
        ),
    ]
