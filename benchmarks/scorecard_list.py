"""API list of 100 scorecards vs a bare Django view returning the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_bench \\
        .venv/bin/python -m benchmarks.scorecard_list [--requests 200]

Both run in this process through the same WSGI handler and middleware, with
DEBUG off as in production: the API (`GET /api/v1/scorecards/?page_size=100`,
authenticated, paginated, filtered, serialised, ranked) and a bare view that
returns the same 100 rows with `.values()` and `JsonResponse` (no auth, no
DRF). They take turns in batches of 10 requests, so load from other processes
weighs on both alike. Prints requests per second of each, their ratio, and the
queries per request of each.
"""

import argparse
import os
import sys
import time

import django
from django.http import JsonResponse
from django.urls import include, path

BARE_FIELDS = (
    "id",
    "evaluation_id",
    "candidate_id",
    "version",
    "is_latest",
    "overall",
    "completeness",
    "disqualified",
    "created_at",
    "updated_at",
)


def bare_scorecards(request):
    from evaluations.models import Scorecard

    rows = list(Scorecard.objects.order_by("updated_at", "id").values(*BARE_FIELDS)[:100])
    return JsonResponse({"results": rows})


def install_urls():
    """This module becomes the URL conf: the project's URLs plus the bare view."""
    global urlpatterns
    urlpatterns = [path("bare/scorecards", bare_scorecards), path("", include("config.urls"))]


def build(count: int) -> str:
    from accounts.models import Organization
    from accounts.services import bootstrap_organization
    from evaluations.services import scoring
    from tests.evaluations.builders import make_evaluation, make_version
    from tests.providers.factories import ProviderFactory

    _, membership, token = bootstrap_organization(
        name="Bench", slug="bench-list", username="bench-admin"
    )
    organization = Organization.objects.get(slug="bench-list")
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization) for _ in range(count)]
    evaluation = make_evaluation(organization, version, lead=membership, providers=providers)
    scoring.score_evaluation(evaluation.pk)
    return token


def count_queries(client, url, **headers) -> int:
    from django.db import connection

    assert client.get(url, **headers).status_code == 200  # warm (the token's last use)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        client.get(url, **headers)
    return len(queries)


def measure(client, targets, requests, batch=10):
    """Requests per second of each ``(url, headers)`` target. The targets take
    turns in small batches, so a load change on this shared machine hits both
    alike and their ratio stays meaningful."""
    rounds = max(1, requests // batch)
    elapsed = [0.0] * len(targets)
    for _ in range(rounds):
        for index, (url, headers) in enumerate(targets):
            start = time.perf_counter()
            for _ in range(batch):
                client.get(url, **headers)
            elapsed[index] += time.perf_counter() - start
    return [rounds * batch / seconds for seconds in elapsed]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment(debug=False)
    install_urls()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"]):
            token = build(100)
            client = Client()
            auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            api = ("/api/v1/scorecards/?page_size=100", auth)
            bare = ("/bare/scorecards", {})
            api_queries = count_queries(client, api[0], **api[1])
            bare_queries = count_queries(client, bare[0], **bare[1])
            api_rps, bare_rps = measure(client, [api, bare], args.requests)
        print(f"database: {connection.vendor}; {args.requests} requests each, 100 rows")
        print(f"API list:  {api_rps:8.1f} req/s, {api_queries} queries per request")
        print(f"bare view: {bare_rps:8.1f} req/s, {bare_queries} queries per request")
        print(f"throughput ratio API/bare: {api_rps / bare_rps:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
