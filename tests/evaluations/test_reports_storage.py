"""The report's snapshot is stored exactly as the JSON field would store it.

``reports.encoded_snapshot`` encodes with orjson instead of the standard
library; the stored document (and so everything read from it) must not change.
"""

import json

import pytest
from django.db import connection

from evaluations.models import Report
from evaluations.services.reports import encoded_snapshot
from tests.evaluations.test_reports_api import build_comparison, built_report

AWKWARD = {
    "text": "Zürich — “quoted” \\ back\\slash \t tab \n newline \u2028 € 😀 \x01",
    "floats": [0.1, 1e-07, 1.5e-05, 123456789.123, 1e16, 2.5e300, -0.0, 0.30000000000000004],
    "ints": [0, -1, 2**53, 2**63 - 1],
    "keys": {1: "int key", "2": "text key", False: "bool key", None: "null key"},
    "nested": [{"a": [None, True, False, {}, []]}],
}


def stored(snapshot, encoded: bool, template: Report) -> Report:
    value = encoded_snapshot(snapshot) if encoded else snapshot
    report = Report.objects.create(
        organization_id=template.organization_id,
        evaluation_id=template.evaluation_id,
        seed=template.seed,
        trials=template.trials,
        spread=template.spread,
        snapshot=value,
    )
    return Report.objects.get(pk=report.pk)


def stored_text(report: Report) -> str:
    """The column as the database returns it: jsonb's own text on PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(snapshot AS text) FROM evaluations_report WHERE id = %s", [report.pk]
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_built_report_is_stored_as_the_json_field_stores_it(
    organization, admin_client, django_capture_on_commit_callbacks
):
    evaluation = build_comparison(organization, lead=admin_client.membership)
    built_report(admin_client, evaluation, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    snapshot = report.snapshot
    assert snapshot["questions"] and snapshot["candidates"]
    plain, fast = stored(snapshot, False, report), stored(snapshot, True, report)
    # json.dumps tells 1 from 1.0 and True: equal text means equal values and types.
    assert json.dumps(fast.snapshot) == json.dumps(plain.snapshot) == json.dumps(snapshot)
    if connection.vendor == "postgresql":
        assert stored_text(fast) == stored_text(plain) == stored_text(report)


@pytest.mark.django_db
def test_awkward_values_are_stored_as_the_json_field_stores_them(
    organization, admin_client, django_capture_on_commit_callbacks
):
    evaluation = build_comparison(organization, lead=admin_client.membership)
    built_report(admin_client, evaluation, django_capture_on_commit_callbacks)
    template = Report.objects.get()
    plain, fast = stored(AWKWARD, False, template), stored(AWKWARD, True, template)
    assert json.dumps(fast.snapshot) == json.dumps(plain.snapshot)
    if connection.vendor == "postgresql":
        assert stored_text(fast) == stored_text(plain)
