"""Queue-to-ready latency: from `POST .../score/` to the Job reading `succeeded`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_load \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.queue_latency [--samples 40]

Seeds a small evaluation (5 candidates on the built-in vetting questionnaire),
starts a real Celery worker against Redis, then `--samples` times: change one
answer (so scoring has work to do), request scoring through the service the API
calls, and poll the Job row every 2 ms until it succeeds. Prints p50 and p95.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL is required: this measures the real queue.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from benchmarks.vetting import vetting_evaluation
    from evaluations.models import Answer
    from evaluations.services import scoring
    from jobs.models import Job

    evaluation, _ = vetting_evaluation("Latency", providers=5, candidates=5)
    version = evaluation.questionnaire_version
    candidate = evaluation.candidates.first()
    question = version.questions.get(code="SOC-01")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies = []
    try:
        for sample in range(args.samples + 1):
            Answer.objects.update_or_create(
                candidate=candidate,
                question=question,
                defaults={"value": "own" if sample % 2 else "hybrid"},
            )
            start = time.perf_counter()
            job = scoring.request_scoring(evaluation, user=None)
            while not Job.objects.filter(pk=job.pk, status="succeeded").exists():
                if time.perf_counter() - start > 60:
                    sys.exit(f"job {job.pk} did not finish within 60 s")
                time.sleep(0.002)
            if sample:  # the first one waits for the worker to come up
                latencies.append(time.perf_counter() - start)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    print(f"{len(latencies)} scoring jobs, 5 candidates, real worker over Redis")
    print(
        f"queue-to-ready p50 {1000 * statistics.median(latencies):.1f} ms, p95 {1000 * p95:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
