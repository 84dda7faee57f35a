"""Blind rating: drafts were audited as ``rating.set`` events, which showed the
evaluator and the score to admins before the sheet was submitted. Events of
ratings whose sheet is still unsubmitted are deleted; sheets are audited from
now on at submission (``rating.submitted``).
"""

from django.db import migrations

BATCH = 500


def drop_draft_rating_events(apps, schema_editor):
    AuditEvent = apps.get_model("evaluations", "AuditEvent")
    RatingSheet = apps.get_model("evaluations", "RatingSheet")
    submitted = set(RatingSheet.objects.values_list("candidate_id", "evaluator_id"))
    drafts = []
    for pk, candidate_id, old, new in AuditEvent.objects.filter(action="rating.set").values_list(
        "pk", "candidate_id", "old_value", "new_value"
    ):
        evaluator = (new or old or {}).get("evaluator")
        if (candidate_id, evaluator) not in submitted:
            drafts.append(pk)
    for start in range(0, len(drafts), BATCH):
        AuditEvent.objects.filter(pk__in=drafts[start : start + BATCH]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_scorecard_question_columns"),
    ]

    operations = [
        migrations.RunPython(drop_draft_rating_events, migrations.RunPython.noop),
    ]
