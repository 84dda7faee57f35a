"""Reports built before lots and awards get their empty shape: ``lots`` [] (they
had none), ``awards`` null (never computed for them), ``evaluation.packs`` []."""

from django.db import migrations

BATCH = 500


def forwards(apps, schema_editor):
    Report = apps.get_model("evaluations", "Report")
    changed = []
    for report in Report.objects.only("id", "snapshot").iterator(chunk_size=BATCH):
        snapshot = report.snapshot
        if not isinstance(snapshot, dict) or "lots" in snapshot:
            continue
        snapshot["lots"] = []
        snapshot["awards"] = None
        if isinstance(snapshot.get("evaluation"), dict):
            snapshot["evaluation"].setdefault("packs", [])
        changed.append(report)
        if len(changed) == BATCH:
            Report.objects.bulk_update(changed, ["snapshot"])
            changed = []
    Report.objects.bulk_update(changed, ["snapshot"])


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0012_evaluation_packs")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
