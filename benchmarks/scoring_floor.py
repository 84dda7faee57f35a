"""The fair I/O floor of the scoring task (``benchmarks.scoring``), on PostgreSQL.

The floor does the task's unavoidable database work and nothing else, in one
transaction as the task does: it reads every input row the task reads, once
(the evaluation, its packs, the questions and sections of the pinned versions,
the candidates with their providers' names, every answer, every submitted
rating as one row per rating, every override and the latest scorecards), and
writes the exact bytes the task stored (its new scorecard rows, explanations
included, taken from the table with ``COPY ... TO``) with ``COPY ... FROM`` into
a table shaped like the scorecard table, with the same indexes and constraints.

Two floors differ only in how the ratings travel. The rows floor fetches one
row per submitted rating; the grouped floor lets PostgreSQL group them into one
sorted array per rated question, as the task does (with 50 evaluators the
rows floor moves 375,000 rows, the grouped one 7,500): the lower of the two is
the physical limit the task is held to.
"""

from django.db import connection, transaction

FLOOR_TABLE = "bench_floor_scorecard"

READS = (
    "SELECT * FROM evaluations_evaluation WHERE id = %(evaluation)s FOR UPDATE",
    "SELECT version_id FROM evaluations_evaluationpack WHERE evaluation_id = %(evaluation)s"
    " ORDER BY position",
    "SELECT q.* FROM questionnaires_question q WHERE q.version_id = %(version)s"
    " OR q.version_id IN (SELECT version_id FROM evaluations_evaluationpack"
    " WHERE evaluation_id = %(evaluation)s)",
    "SELECT s.* FROM questionnaires_section s WHERE s.version_id = %(version)s"
    " OR s.version_id IN (SELECT version_id FROM evaluations_evaluationpack"
    " WHERE evaluation_id = %(evaluation)s)",
    "SELECT c.id, p.name, c.lots FROM evaluations_candidate c"
    " JOIN providers_provider p ON p.id = c.provider_id WHERE c.evaluation_id = %(evaluation)s",
    # By the candidates' ids, read just before (as the task reads them).
    "SELECT a.candidate_id, a.question_id, a.value::text FROM evaluations_answer a"
    " WHERE a.candidate_id = ANY(%(candidates)s)",
    "SELECT r.candidate_id, r.question_id, r.score FROM evaluations_rating r"
    " WHERE r.candidate_id = ANY(%(candidates)s) AND EXISTS (SELECT 1 FROM"
    " evaluations_ratingsheet s WHERE s.candidate_id = r.candidate_id"
    " AND s.evaluator_id = r.evaluator_id)",
    "SELECT o.candidate_id, o.question_id, o.score FROM evaluations_override o"
    " WHERE o.candidate_id = ANY(%(candidates)s)",
    "SELECT candidate_id, lot, id, version, input_hash, disqualified, overall, rank"
    " FROM evaluations_scorecard WHERE evaluation_id = %(evaluation)s AND is_latest",
)


RATINGS_GROUPED = (
    "SELECT r.candidate_id, r.question_id, ARRAY_AGG(r.score ORDER BY r.score)"
    " FROM evaluations_rating r WHERE r.candidate_id = ANY(%(candidates)s) AND EXISTS"
    " (SELECT 1 FROM evaluations_ratingsheet s WHERE s.candidate_id = r.candidate_id"
    " AND s.evaluator_id = r.evaluator_id) GROUP BY r.candidate_id, r.question_id"
)
CANDIDATES, RATINGS = 4, 6  # positions in READS
READS_GROUPED = (*READS[:RATINGS], RATINGS_GROUPED, *READS[RATINGS + 1 :])


def create_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (LIKE evaluations_scorecard"
            " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)"
        )


def written_bytes(scorecard_ids: list[int]) -> bytes:
    """The stored rows of these scorecards, in COPY's text format."""
    out = bytearray()
    query = "COPY (SELECT * FROM evaluations_scorecard WHERE id = ANY(%s) ORDER BY id) TO STDOUT"
    with connection.cursor() as cursor, cursor.cursor.copy(query, (list(scorecard_ids),)) as copy:
        for block in copy:
            out += block
    return bytes(out)


def run_floor(evaluation_id: int, version_id: int, output: bytes, *, grouped: bool) -> int:
    """Read the task's inputs and COPY its output; returns the rows fetched."""
    params = {"evaluation": evaluation_id, "version": version_id}
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for position, sql in enumerate(READS_GROUPED if grouped else READS):
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
            rows += len(fetched)
            if position == CANDIDATES:
                params["candidates"] = [row[0] for row in fetched]
        with cursor.cursor.copy(f"COPY {FLOOR_TABLE} FROM STDIN") as copy:
            copy.write(output)
    return rows


def empty_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {FLOOR_TABLE}")
