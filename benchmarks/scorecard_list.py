"""The organization-wide list of 100 scorecards under gunicorn, against a bare
view and raw SQL of the same rows served by the same gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_bench \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.scorecard_list [--runs 5 --requests 200]

Migrates the database, seeds an organization with one evaluation of 100
candidates (scored), then starts a real gunicorn on 127.0.0.1 (one sync worker,
production settings: DEBUG off, Redis for the rate limits and the token cache
when REDIS_URL is set) serving ``benchmarks.list_site``:

- **API**: ``GET /api/v1/scorecards/?page_size=100`` with a Bearer token
  (authenticated, throttled, paginated, filtered, ranked, record conflicts);
- **bare**: the same 100 rows with ``.values()`` and ``JsonResponse``;
- **raw**: the same SQL on a cursor, encoded with orjson.

One client, a new connection per request (gunicorn's sync worker closes each),
the three taking turns in batches of 10 so load from other processes weighs on
all alike. Each run gives throughput ratios API / bare and API / raw; prints
their median and range over ``--runs``, the queries per request of each
(counted in this process through the same handler) and peak memory (gunicorn's
peak resident size). ``--profile N`` then profiles N API requests in this
process (cProfile, same handler and settings) and prints where their time goes.
"""

import argparse
import cProfile
import http.client
import json
import os
import pstats
import resource
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.load import gunicorn_command

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "api": "/api/v1/scorecards/?page_size=100",
    "bare": "/bare/scorecards",
    "raw": "/raw/scorecards",
}


def production_environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.list_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(40),
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "THROTTLE_USER": "1000000/minute",
    }


def seed(count: int) -> tuple[int, str]:
    """An organization with one scored evaluation of ``count`` candidates."""
    from django.core.management import call_command

    from accounts.services import bootstrap_organization
    from evaluations.services import scoring
    from tests.evaluations.builders import make_evaluation, make_version
    from tests.providers.factories import ProviderFactory

    call_command("migrate", verbosity=0)
    stamp = f"list-{int(time.time())}"
    organization, membership, token = bootstrap_organization(
        name="List", slug=stamp, username=stamp
    )
    version = make_version(organization, code=stamp)
    providers = [ProviderFactory(organization=organization) for _ in range(count)]
    evaluation = make_evaluation(organization, version, lead=membership, providers=providers)
    scoring.score_evaluation(evaluation.pk)
    return organization.pk, token


def count_queries(path: str, token: str) -> tuple[int, int]:
    """Queries of one warm request through the same handler, and its result count."""
    from django.db import connection
    from django.test import Client

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "127.0.0.1"}
    client.get(path, **headers)  # warm: the token's first use (cache, last_used_at)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(queries), len(json.loads(response.content)["results"])


def profile(path: str, token: str, requests: int, top: int = 30) -> None:
    """Where the API's time goes, in this process: cProfile over ``requests``."""
    from django.test import Client

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "127.0.0.1"}
    client.get(path, **headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path, **headers)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


def get(port: int, path: str, token: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def measure(port: int, token: str, requests: int, batch: int = 10) -> dict[str, float]:
    """Requests per second of each target, taking turns in batches."""
    elapsed = dict.fromkeys(TARGETS, 0.0)
    rounds = max(1, requests // batch)
    for _ in range(rounds):
        for name, path in TARGETS.items():
            start = time.perf_counter()
            for _ in range(batch):
                assert get(port, path, token) == 200
            elapsed[name] += time.perf_counter() - start
    return {name: rounds * batch / seconds for name, seconds in elapsed.items()}


def spread(values) -> str:
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="per target and run")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--profile", type=int, default=0, help="API requests to profile")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    env = production_environment()
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    organization, token = seed(100)
    env["LIST_BENCH_ORGANIZATION"] = os.environ["LIST_BENCH_ORGANIZATION"] = str(organization)
    queries = {name: count_queries(path, token) for name, path in TARGETS.items()}
    connection.close()
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and app)
        gunicorn_command(args.port, 1), cwd=ROOT, env=env
    )
    runs = []
    try:
        for _ in range(100):
            try:
                if get(args.port, "/healthz", "") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        measure(args.port, token, 20)  # warm-up: imports, connections, the token cache
        runs = [measure(args.port, token, args.requests) for _ in range(args.runs)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"database: {connection.vendor}; cache: {'redis' if env.get('REDIS_URL') else 'local'}; "
        f"{args.runs} runs of {args.requests} requests per target, 100 rows each"
    )
    for name in TARGETS:
        rates = [run[name] for run in runs]
        count, results = queries[name]
        print(
            f"{name:5} {statistics.median(rates):8.1f} req/s (median; {min(rates):.1f}-"
            f"{max(rates):.1f}), {count} queries per request, {results} results"
        )
    print(f"API / bare: {spread([run['api'] / run['bare'] for run in runs])} (target >= 0.7)")
    print(f"API / raw:  {spread([run['api'] / run['raw'] for run in runs])}")
    print(f"peak memory: gunicorn {peak:.0f} MB resident")
    if args.profile:
        profile(TARGETS["api"], token, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
