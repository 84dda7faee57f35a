"""Comparison report against scoring the same evaluation, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_bench \\
        .venv/bin/python -m benchmarks.report [--runs 5 --candidates 50]

Builds, in a fresh test database, the scoring benchmark's evaluation
(``benchmarks.scoring.build``: 50 candidates x 300 questions in 20 sections,
half judged, 5 evaluators, 37,500 submitted ratings). Then, per run, in turn:

- **scoring**: a new section weight, so every candidate gets a new scorecard
  version, then ``scoring.score_evaluation`` (load, engine, store);
- **the report**: the report task on those scorecards
  (``reports.generate_report``: its check that nothing changed since scoring,
  the snapshot with 1,000 sensitivity trials, agreement over every rating, the
  matrices, awards, coverage; and storing it).

- **the report's I/O floor**: in one transaction, the rows the report reads,
  read once (the latest scorecards with their explanations, every answer, every
  submitted rating), then the exact document the report just stored (its
  ``snapshot::text``) written as ``jsonb`` into a table of its own.

Prints the median and range of the per-run ratios report / scoring (target
<= 1.5) and report / floor, the queries of one snapshot with 50 candidates and with 10 (equal:
no query per candidate), and the peak memory (tracemalloc) of each in one more,
untimed run.
"""

import argparse
import statistics
import sys
import time
import tracemalloc

from benchmarks.scoring import build, setup_django


def report_job(evaluation, seed: int):
    from jobs import services as jobs

    params = {"evaluation_id": evaluation.pk, "seed": seed, "trials": 1000, "spread": 0.25}
    return jobs.create_job(evaluation.organization, "report", params=params)


def report_floor(evaluation, report) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot::text FROM evaluations_report WHERE id = %s", [report.pk])
        (document,) = cursor.fetchone()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, candidate_id, lot, disqualified, details FROM evaluations_scorecard "
            "WHERE evaluation_id = %s AND is_latest",
            [evaluation.pk],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT a.candidate_id, a.question_id, a.value FROM evaluations_answer a "
            "JOIN evaluations_candidate c ON c.id = a.candidate_id WHERE c.evaluation_id = %s",
            [evaluation.pk],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT r.candidate_id, r.question_id, r.evaluator_id, r.score "
            "FROM evaluations_rating r "
            "JOIN evaluations_candidate c ON c.id = r.candidate_id "
            "JOIN evaluations_ratingsheet s ON s.candidate_id = r.candidate_id "
            "AND s.evaluator_id = r.evaluator_id "
            "WHERE c.evaluation_id = %s",
            [evaluation.pk],
        )
        cursor.fetchall()
        cursor.execute("INSERT INTO bench_report_floor (doc) VALUES (%s::jsonb)", [document])
    return time.perf_counter() - start


def one_run(evaluation, run: int) -> tuple[float, float, float]:
    from evaluations.services import reports, scoring

    evaluation.section_weights = {"s0": 2 + run}
    evaluation.save(update_fields=["section_weights"])
    start = time.perf_counter()
    result = scoring.score_evaluation(evaluation.pk)
    scored = time.perf_counter() - start
    assert len(result["created"]) == evaluation.candidates.count()
    job = report_job(evaluation, run)
    start = time.perf_counter()
    report = reports.generate_report(job)
    reported = time.perf_counter() - start
    assert len(report.snapshot["candidates"]) == len(result["created"])
    return scored, reported, report_floor(evaluation, report)


def snapshot_queries(evaluation) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from evaluations.services.report_content import build_snapshot

    with CaptureQueriesContext(connection) as queries:
        build_snapshot(evaluation, seed=1, trials=100, spread=0.25, generated_at=timezone.now())
    return len(queries)


def peak(function) -> int:
    tracemalloc.start()
    function()
    value = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--evaluators", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection
    from django.test.utils import setup_test_environment

    from evaluations.models import Evaluation
    from evaluations.services import reports, scoring

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        evaluation = build(args.candidates, args.questions, args.evaluators, label="report")
        small = build(10, args.questions, args.evaluators, label="report10")
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_report_floor (id serial PRIMARY KEY, doc jsonb)")
            cursor.execute("ANALYZE")  # as autovacuum would after the bulk load
        runs = [one_run(evaluation, run) for run in range(args.runs + 1)][1:]  # a warm-up
        scoring.score_evaluation(small.pk)
        counts = {
            size: snapshot_queries(Evaluation.objects.get(pk=card.pk))
            for size, card in ((args.candidates, evaluation), (10, small))
        }
        evaluation.section_weights = {"s0": 1}
        evaluation.save(update_fields=["section_weights"])
        score_peak = peak(lambda: scoring.score_evaluation(evaluation.pk))
        report_peak = peak(lambda: reports.generate_report(report_job(evaluation, 0)))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    scored = [s for s, _, _ in runs]
    reported = [r for _, r, _ in runs]
    floors = [f for _, _, f in runs]
    ratios = [r / s for s, r, _ in runs]
    to_floor = [r / f for _, r, f in runs]
    print(
        f"database: {connection.vendor}; {args.candidates} candidates x {args.questions} "
        f"questions (20 sections, half judged) x {args.evaluators} evaluators; {args.runs} runs"
    )
    print(f"scoring: median {1000 * statistics.median(scored):.1f} ms")
    print(f"report:  median {1000 * statistics.median(reported):.1f} ms")
    print(f"report floor: median {1000 * statistics.median(floors):.1f} ms")
    print(
        f"report / scoring: {statistics.median(ratios):.2f} "
        f"[{min(ratios):.2f}-{max(ratios):.2f}] (target <= 1.5)"
    )
    print(
        f"report / floor: {statistics.median(to_floor):.2f} "
        f"[{min(to_floor):.2f}-{max(to_floor):.2f}]"
    )
    print(
        "floor / scoring: "
        + f"{statistics.median([f / s for s, _, f in runs]):.2f} (the floor alone, against 1.5)"
    )
    print(
        "snapshot queries: "
        + ", ".join(f"{count} with {size} candidates" for size, count in counts.items())
    )
    print(f"peak memory: scoring {score_peak / 1e6:.1f} MB, report {report_peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
