"""Scoring benchmark: the full scoring task against its fair I/O floor, at 1x, 4x, 10x.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_bench \\
        .venv/bin/python -m benchmarks.scoring [--scales 1,4,10 --runs 5]

Builds, in a fresh test database (PostgreSQL only: the floor writes with COPY),
one evaluation per scale: 50 candidates x 300 questions (half judged) x 5
evaluators at 1x, and 5 x scale evaluators (so scale times the ratings) at the
others, and gathers the tables' statistics. Then, for each scale and run, in
the same process and in turn:
- the scoring task (load, engine, hash, store): each run changes a section
  weight, so every candidate gets a new scorecard version (the worst case);
- the fair I/O floors (``benchmarks.scoring_floor``): read every input row the
  task reads, once, and COPY the exact bytes the task just stored; the rows
  floor fetches every rating, the grouped floor fetches them grouped by
  PostgreSQL as the task does;
- the task again with nothing changed (it must find that out and stop).
Prints, per scale, the medians and the median and spread (min-max) of the
per-run ratios task / floor (each) and unchanged / task, the task's queries, and its
peak memory: Python allocations traced by tracemalloc (not the database
driver's C buffers) in one more, untimed run, since tracing slows allocation.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc

import django


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()


def build(candidates: int, questions: int, evaluators: int, label: str = "bench"):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Organization
    from evaluations.models import (
        Answer,
        Candidate,
        Evaluation,
        EvaluatorAssignment,
        Rating,
        RatingSheet,
    )
    from providers.models import Provider
    from questionnaires.models import Question, Questionnaire, QuestionnaireVersion, Section

    organization = Organization.objects.create(name=label, slug=label)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{label}{i}") for i in range(evaluators + 1)
    )
    members = Membership.objects.bulk_create(
        Membership(organization=organization, user=u, role="admin") for u in users
    )
    questionnaire = Questionnaire.objects.create(organization=organization, code=label, name=label)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status="published"
    )
    section_count = 20
    sections = Section.objects.bulk_create(
        Section(version=version, order=i, code=f"s{i}", title=f"Section {i}", weight=1 + i % 3)
        for i in range(section_count)
    )
    rows = []
    for i in range(questions):
        judged = i % 2 == 1
        rows.append(
            Question(
                version=version,
                section=sections[i % section_count],
                order=i,
                code=f"Q-{i}",
                text=f"Question {i}",
                kind="scale" if judged else "single_choice",
                scoring="judged" if judged else "auto",
                weight=1 + i % 4,
                options=[]
                if judged
                else [
                    {"value": "a", "label": "A", "score": 1.0},
                    {"value": "b", "label": "B", "score": 0.4},
                ],
            )
        )
    questions_rows = Question.objects.bulk_create(rows)
    evaluation = Evaluation.objects.create(
        organization=organization,
        name="Bench",
        questionnaire_version=version,
        lead=members[0],
        status="collecting",
    )
    providers = Provider.objects.bulk_create(
        Provider(organization=organization, name=f"Provider {i:03}", slug=f"p{i}")
        for i in range(candidates)
    )
    candidate_rows = Candidate.objects.bulk_create(
        Candidate(evaluation=evaluation, provider=p) for p in providers
    )
    assignments = EvaluatorAssignment.objects.bulk_create(
        EvaluatorAssignment(evaluation=evaluation, membership=m, conflict_status="none")
        for m in members[1:]
    )
    Answer.objects.bulk_create(
        (
            Answer(candidate=c, question=q, value="a" if (c.pk + q.pk) % 3 else "b")
            for c in candidate_rows
            for q in questions_rows
            if q.scoring == "auto"
        ),
        batch_size=5000,
    )
    Rating.objects.bulk_create(
        (
            Rating(candidate=c, question=q, evaluator=e, score=(c.pk + q.pk + e.pk) % 6)
            for c in candidate_rows
            for q in questions_rows
            if q.scoring == "judged"
            for e in assignments
        ),
        batch_size=5000,
    )
    # Submitted sheets: only submitted ratings are scored.
    RatingSheet.objects.bulk_create(
        RatingSheet(candidate=c, evaluator=e) for c in candidate_rows for e in assignments
    )
    return evaluation


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def measure(evaluation, runs: int) -> dict:
    """Alternate task, floor and unchanged rescoring ``runs`` times (after a warm-up)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks import scoring_floor as floor
    from evaluations.services import scoring

    task_times, unchanged_times, queries_seen = [], [], set()
    floor_times = {"rows": [], "grouped": []}
    for run in range(runs + 1):
        # A new section weight each run changes every candidate's inputs, so
        # each run does the whole work: load, score and store N new versions.
        evaluation.section_weights = {"s0": 2 + run}
        evaluation.save(update_fields=["section_weights"])
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = scoring.score_evaluation(evaluation.pk)
        task = time.perf_counter() - start
        assert len(result["created"]) == evaluation.candidates.count()
        output = floor.written_bytes(result["created"])
        floors = {}
        for name in floor_times:
            start = time.perf_counter()
            floor.run_floor(
                evaluation.pk,
                evaluation.questionnaire_version_id,
                output,
                grouped=name == "grouped",
            )
            floors[name] = time.perf_counter() - start
            floor.empty_floor_table()
        start = time.perf_counter()
        again = scoring.score_evaluation(evaluation.pk)
        unchanged = time.perf_counter() - start
        assert not again["created"] and len(again["unchanged"]) == len(result["created"])
        if run:  # the first run warms caches
            task_times.append(task)
            for name, value in floors.items():
                floor_times[name].append(value)
            unchanged_times.append(unchanged)
            queries_seen.add(len(queries))
    evaluation.section_weights = {"s0": 1}
    evaluation.save(update_fields=["section_weights"])
    tracemalloc.start()
    scoring.score_evaluation(evaluation.pk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "task": task_times,
        "floor": floor_times,
        "unchanged": unchanged_times,
        "queries": sorted(queries_seen),
        "peak": peak,
    }


def report(scale: int, evaluators: int, m: dict) -> None:
    task, unchanged = m["task"], m["unchanged"]
    ms = 1000
    floors = ", ".join(
        f"{name} floor {statistics.median(values) * ms:.1f} ms"
        for name, values in m["floor"].items()
    )
    print(f"{scale}x ({evaluators} evaluators):")
    print(f"  task {statistics.median(task) * ms:.1f} ms, {floors},")
    print(f"  unchanged {statistics.median(unchanged) * ms:.1f} ms (medians of {len(task)})")
    for name, values in m["floor"].items():
        ratios = [t / f for t, f in zip(task, values, strict=True)]
        print(f"  task / {name} floor: {_spread(ratios)}")
    print(f"  unchanged / task: {_spread([u / t for u, t in zip(unchanged, task, strict=True)])}")
    print(f"  queries per task run: {m['queries']}; peak memory {m['peak'] / 2**20:.1f} MB")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--evaluators", type=int, default=5, help="at 1x")
    parser.add_argument("--scales", default="1,4,10")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection
    from django.test.utils import setup_test_environment

    from benchmarks import scoring_floor

    if connection.vendor != "postgresql":
        parser.error("the floor writes with COPY: set DATABASE_URL to a PostgreSQL database")
    scales = [int(s) for s in args.scales.split(",")]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        scoring_floor.create_floor_table()
        print(
            f"{args.candidates} candidates x {args.questions} questions (half judged);"
            f" {args.runs} runs per scale"
        )
        peaks = {}
        for scale in scales:
            evaluators = args.evaluators * scale
            evaluation = build(args.candidates, args.questions, evaluators, label=f"bench{scale}")
            with connection.cursor() as cursor:
                # Fresh statistics, as autovacuum would soon gather: without
                # them the planner misjudges the bulk-loaded tables.
                cursor.execute("ANALYZE")
            measured = measure(evaluation, args.runs)
            peaks[scale] = measured["peak"]
            report(scale, evaluators, measured)
        if len(peaks) > 1:
            low, high = min(peaks), max(peaks)
            print(f"peak memory {high}x / {low}x: {peaks[high] / peaks[low]:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
