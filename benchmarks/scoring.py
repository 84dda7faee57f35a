"""Scoring benchmark: the full scoring task against the single-SQL floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scorecards_bench \\
        .venv/bin/python -m benchmarks.scoring [--candidates 50 --questions 300 --evaluators 5]

Builds an evaluation of N candidates x Q questions (half judged) x E evaluators
in a fresh test database, then times, in the same run and alternating:
- the scoring task (load, engine, hash, store): each run changes a section
  weight, so every candidate gets a new scorecard version (the worst case);
- one hand-written SQL query that reads the same stored rows and sums them per
  candidate and section (the floor: reading and adding up, nothing else).
Prints both medians, their ratio, the number of queries the task ran, and the
task's peak memory: Python allocations traced by tracemalloc (not the database
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


FLOOR_SQL = """
WITH rating_means AS (
    SELECT r.candidate_id, r.question_id, AVG(r.score) AS mean_score
    FROM evaluations_rating r
    JOIN evaluations_candidate c ON c.id = r.candidate_id
    WHERE c.evaluation_id = %(evaluation)s
    GROUP BY r.candidate_id, r.question_id
), per_question AS (
    SELECT a.candidate_id, a.question_id, 1.0 AS x
    FROM evaluations_answer a
    JOIN evaluations_candidate c ON c.id = a.candidate_id
    WHERE c.evaluation_id = %(evaluation)s
    UNION ALL
    SELECT rm.candidate_id, rm.question_id, rm.mean_score / q.scale_max AS x
    FROM rating_means rm JOIN questionnaires_question q ON q.id = rm.question_id
)
SELECT pq.candidate_id, s.code, SUM(q.weight * pq.x) / SUM(q.weight)
FROM per_question pq
JOIN questionnaires_question q ON q.id = pq.question_id
JOIN questionnaires_section s ON s.id = q.section_id
GROUP BY pq.candidate_id, s.code
"""


def build(candidates: int, questions: int, evaluators: int):
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

    organization = Organization.objects.create(name="Bench", slug="bench")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{i}") for i in range(evaluators + 1)
    )
    members = Membership.objects.bulk_create(
        Membership(organization=organization, user=u, role="admin") for u in users
    )
    questionnaire = Questionnaire.objects.create(
        organization=organization, code="bench", name="Bench"
    )
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--evaluators", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from evaluations.services import scoring

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        evaluation = build(args.candidates, args.questions, args.evaluators)
        task_times, floor_times, query_counts = [], [], []
        for run in range(args.runs + 1):
            # A new section weight each run changes every candidate's inputs, so
            # each run does the whole work: load, score and store N new versions.
            evaluation.section_weights = {"s0": 1 + run}
            evaluation.save(update_fields=["section_weights"])
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                scoring.score_evaluation(evaluation.pk)
            task = time.perf_counter() - start
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, {"evaluation": evaluation.pk})
                cursor.fetchall()
            floor = time.perf_counter() - start
            if run:  # the first run warms caches
                task_times.append(task)
                floor_times.append(floor)
                query_counts.append(len(queries))
        evaluation.section_weights = {"s0": args.runs + 2}
        evaluation.save(update_fields=["section_weights"])
        tracemalloc.start()
        scoring.score_evaluation(evaluation.pk)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        task_median = statistics.median(task_times)
        floor_median = statistics.median(floor_times)
        print(
            f"database: {connection.vendor}; {args.candidates} candidates x "
            f"{args.questions} questions (half judged) x {args.evaluators} evaluators"
        )
        print(f"scoring task: median {task_median * 1000:.1f} ms over {args.runs} runs")
        print(f"SQL floor:    median {floor_median * 1000:.1f} ms")
        print(f"ratio task/floor: {task_median / floor_median:.2f}")
        print(f"queries per task run: {sorted(set(query_counts))}")
        print(f"peak memory of the task: {peak / 2**20:.1f} MB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
