"""Queue-to-ready latency: from `POST .../score/` to the Job reading `succeeded`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_load \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m benchmarks.queue_latency [--samples 40]

Seeds a small evaluation (5 candidates on the built-in vetting questionnaire),
starts a real Celery worker against Redis, then `--samples` times, in turns:

- **queued**: change one answer (so scoring has work to do), request scoring
  through the service the API calls, and poll the Job row every 2 ms until it
  succeeds;
- **inline**: change the answer back and run the same scoring in this process
  (`scoring.score_evaluation`), the floor that any queue adds to.

Prints p50 and p95 of each, the p50 ratio queued / inline (target <= 1.5), and
peak memory: this process's Python allocations during the inline runs
(tracemalloc) and the worker's peak resident size.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5, help="the samples split into rounds")
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL is required: this measures the real queue.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from benchmarks.load import percentile
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
    queued, inline = [], []
    peak = 0
    try:
        for sample in range(args.samples + 1):
            Answer.objects.update_or_create(
                candidate=candidate, question=question, defaults={"value": "own"}
            )
            start = time.perf_counter()
            job = scoring.request_scoring(evaluation, user=None)
            while not Job.objects.filter(pk=job.pk, status="succeeded").exists():
                if time.perf_counter() - start > 60:
                    sys.exit(f"job {job.pk} did not finish within 60 s")
                time.sleep(0.002)
            if sample:  # the first one waits for the worker to come up
                queued.append(time.perf_counter() - start)
            Answer.objects.update_or_create(
                candidate=candidate, question=question, defaults={"value": "hybrid"}
            )
            if sample == args.samples:  # one more, untimed, for its allocations
                tracemalloc.start()
                scoring.score_evaluation(evaluation.pk)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                continue
            start = time.perf_counter()
            scoring.score_evaluation(evaluation.pk)
            if sample:  # the first one warms this process's caches
                inline.append(time.perf_counter() - start)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{len(queued)} scoring jobs each way, 5 candidates, real worker over Redis")
    for name, latencies in (("queued", queued), ("inline", inline)):
        print(
            f"{name}: p50 {1000 * statistics.median(latencies):.1f} ms, "
            f"p95 {1000 * percentile(latencies, 0.95):.1f} ms"
        )
    ratio = statistics.median(queued) / statistics.median(inline)
    size = max(1, len(queued) // args.rounds)
    rounds = [
        statistics.median(queued[i : i + size]) / statistics.median(inline[i : i + size])
        for i in range(0, size * args.rounds, size)
        if queued[i : i + size]
    ]
    print(
        f"p50 ratio queued / inline: {ratio:.2f}; per round of {size}: median "
        f"{statistics.median(rounds):.2f} [{min(rounds):.2f}-{max(rounds):.2f}] (target <= 1.5)"
    )
    print(
        f"peak memory: inline scoring {peak / 1e6:.1f} MB (tracemalloc), "
        f"worker {worker_rss / 1024:.0f} MB RSS"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
