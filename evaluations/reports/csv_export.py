"""CSV export: the report's matrix in long form, one row per candidate and item.

Columns: ``rank, candidate_id, provider, disqualified, level, section, code,
title, weight, score, contribution, answered, answer, flags``.

- ``level`` is ``overall``, ``section`` or ``question``; rows come per candidate
  in ranking order: overall first, then each section followed by its questions.
- ``weight``: 1 for overall, the normalised section weight, or the question's
  effective weight; ``score`` is 0-100 throughout (a question's ``100 * x``);
  ``contribution`` is the question's points towards the overall score.
- ``flags`` (``; ``-separated): ``disqualified``, ``failed_knockout:<code>``,
  ``red_flag:<tag>``, ``unanswered``, ``disagreement``, ``overridden``.

Text that a spreadsheet would treat as a formula is prefixed with ``'``.
"""

import csv
import io

from evaluations.engine.types import round_half_even
from evaluations.reports import safe_cell

COLUMNS = (
    "rank",
    "candidate_id",
    "provider",
    "disqualified",
    "level",
    "section",
    "code",
    "title",
    "weight",
    "score",
    "contribution",
    "answered",
    "answer",
    "flags",
)


def _question_flags(cell: dict) -> list[str]:
    flags = []
    if cell["failed_knockout"]:
        flags.append("failed_knockout")
    flags += [f"red_flag:{tag}" for tag in cell["red_flags"]]
    if not cell["answered"]:
        flags.append("unanswered")
    if cell["disagreement"]:
        flags.append("disagreement")
    if cell["overridden"]:
        flags.append("overridden")
    return flags


def matrix_rows(snapshot: dict):
    """The rows of the matrix as tuples in ``COLUMNS`` order."""
    sections = snapshot["sections"]
    questions = snapshot["questions"]
    for position, candidate in enumerate(snapshot["candidates"]):
        head = (
            candidate["rank"],
            candidate["candidate_id"],
            candidate["provider_name"],
            candidate["disqualified"],
        )
        overall_flags = (["disqualified"] if candidate["disqualified"] else []) + [
            f"failed_knockout:{code}" for code in candidate["failed_knockouts"]
        ]
        yield (
            *head,
            "overall",
            "",
            "",
            "Overall",
            1,
            candidate["overall"],
            candidate["overall"],
            "",
            "",
            "; ".join(overall_flags),
        )
        scores = {s["section"]: s["score"] for s in candidate["section_scores"]}
        for section in sections:
            yield (
                *head,
                "section",
                section["code"],
                section["code"],
                section["title"],
                section["normalised_weight"],
                scores.get(section["code"], 0.0),
                "",
                "",
                "",
                "",
            )
            for question in questions:
                if question["section"] != section["code"]:
                    continue
                cell = question["cells"][position]
                yield (
                    *head,
                    "question",
                    section["code"],
                    question["code"],
                    question["text"],
                    question["effective_weight"],
                    round_half_even(100 * cell["x"], 2),
                    cell["contribution"],
                    cell["answered"],
                    cell["answer_text"],
                    "; ".join(_question_flags(cell)),
                )


def render_csv(snapshot: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in matrix_rows(snapshot):
        writer.writerow([safe_cell(value) for value in row])
    # A BOM so spreadsheet programs read UTF-8 (provider names are often not ASCII).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
