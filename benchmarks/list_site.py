"""The site the list benchmark's gunicorn serves: the project's URLs plus two
baselines of the same rows (``benchmarks.scorecard_list``).

- ``/bare/scorecards``: the organization's first 100 scorecards in the list's
  order, the same columns the list reads, with ``.values()`` and ``JsonResponse``
  (no authentication, no DRF);
- ``/raw/scorecards``: the same query's SQL, compiled once, run on a cursor and
  encoded with orjson (JSON columns passed through as the text the database sent).

The organization is ``LIST_BENCH_ORGANIZATION`` (an id) from the environment.
"""

import os

import orjson
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

from evaluations.models import Scorecard
from evaluations.selectors import SUMMARY_ROW_FIELDS

PAGE = 100
JSON_COLUMNS = {"failed_knockouts", "red_flags"}


def page_rows():
    organization = int(os.environ["LIST_BENCH_ORGANIZATION"])
    return Scorecard.objects.filter(evaluation__organization_id=organization).order_by(
        "updated_at", "id"
    )[:PAGE]


def bare_scorecards(request):
    return JsonResponse({"results": list(page_rows().values(*SUMMARY_ROW_FIELDS))})


_raw_sql = None


def raw_scorecards(request):
    global _raw_sql
    if _raw_sql is None:
        _raw_sql = page_rows().values_list(*SUMMARY_ROW_FIELDS).query.sql_with_params()
    sql, params = _raw_sql
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    json_at = [i for i, name in enumerate(SUMMARY_ROW_FIELDS) if name in JSON_COLUMNS]
    results = []
    for row in rows:
        item = dict(zip(SUMMARY_ROW_FIELDS, row, strict=True))
        for index in json_at:
            value = row[index]
            if isinstance(value, str):  # the driver hands JSON columns over as text
                item[SUMMARY_ROW_FIELDS[index]] = orjson.Fragment(value)
        results.append(item)
    return HttpResponse(orjson.dumps({"results": results}), content_type="application/json")


urlpatterns = [
    path("bare/scorecards", bare_scorecards),
    path("raw/scorecards", raw_scorecards),
    path("", include("config.urls")),
]
