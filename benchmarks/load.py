"""Load test: a realistic mix against gunicorn on loopback, bounded in time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_load \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.load [--seconds 30 --clients 8 --workers 3]

Migrates the database, seeds an organization (20 providers, an evaluation of
10 candidates on the built-in vetting questionnaire, scored), starts gunicorn
on 127.0.0.1 and a Celery worker when REDIS_URL is set, then runs `--clients`
threads for `--seconds`: list providers (40%), read scorecards (40%), post
answers (15%), trigger scoring (5%). Prints throughput, p50/p95/p99 latency per
kind and overall, and the error rate (any 5xx or connection error). Targets:
zero errors; p95 under 200 ms for reads. Sends traffic to loopback only.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIX = [("list_providers", 40), ("read_scorecards", 40), ("post_answers", 15), ("score", 5)]


def seed() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from benchmarks.vetting import vetting_evaluation
    from evaluations.services import scoring

    evaluation, token = vetting_evaluation("Load", providers=20, candidates=10)
    scoring.score_evaluation(evaluation.pk)
    candidates = list(evaluation.candidates.values_list("pk", flat=True))
    return {"token": token, "evaluation": evaluation.pk, "candidates": candidates}


def request(port, method, path, token, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    try:
        connection.request(
            method, path, body=json.dumps(body) if body is not None else None, headers=headers
        )
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - start


def client_loop(port, ctx, deadline, results, lock, seed_value):
    rng = random.Random(seed_value)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    evaluation = ctx["evaluation"]
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        if kind == "list_providers":
            outcome = request(port, "GET", "/api/v1/providers/?page_size=25", ctx["token"])
        elif kind == "read_scorecards":
            outcome = request(
                port, "GET", f"/api/v1/evaluations/{evaluation}/scorecards/", ctx["token"]
            )
        elif kind == "post_answers":
            items = [
                {
                    "candidate": rng.choice(ctx["candidates"]),
                    "question": "SOC-01",
                    "value": rng.choice(["own", "hybrid"]),
                }
            ]
            outcome = request(
                port, "POST", f"/api/v1/evaluations/{evaluation}/answers/", ctx["token"], items
            )
        else:
            outcome = request(
                port, "POST", f"/api/v1/evaluations/{evaluation}/score/", ctx["token"]
            )
        with lock:
            results.append((kind, *outcome))


def gunicorn_command(port: int, workers: int) -> list[str]:
    """gunicorn serving the project on loopback (its settings from the environment)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    ctx = seed()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "THROTTLE_USER": "1000000/minute",
    }
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and app)
            gunicorn_command(args.port, args.workers), cwd=ROOT, env=env
        )
    ]
    if os.environ.get("REDIS_URL"):
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
            )
        )
    try:
        for _ in range(100):
            if request(args.port, "GET", "/healthz", "")[0] == 200:
                break
            time.sleep(0.1)
        results, lock = [], threading.Lock()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(args.port, ctx, deadline, results, lock, i))
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    errors = [r for r in results if r[1] == 0 or r[1] >= 500]
    print(
        f"{len(results)} requests in {elapsed:.1f} s: {len(results) / elapsed:.1f} req/s, "
        f"{args.clients} clients, {args.workers} gunicorn workers, "
        f"worker: {'celery/redis' if os.environ.get('REDIS_URL') else 'eager'}"
    )
    print(f"errors (5xx or connection): {len(errors)} ({100 * len(errors) / len(results):.2f}%)")
    for kind in [k for k, _ in MIX] + ["all reads", "all"]:
        if kind == "all":
            times = [r[2] for r in results]
        elif kind == "all reads":
            times = [r[2] for r in results if r[0] in ("list_providers", "read_scorecards")]
        else:
            times = [r[2] for r in results if r[0] == kind]
        if times:
            print(
                f"{kind:16} n={len(times):6}  p50 {1000 * statistics.median(times):7.1f} ms"
                f"  p95 {1000 * percentile(times, 0.95):7.1f} ms"
                f"  p99 {1000 * percentile(times, 0.99):7.1f} ms"
            )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
