"""CSV export: the report's matrix in long form, one row per candidate and item.

Columns: ``lot, rank, candidate_id, provider, disqualified, level, section, code,
title, weight, score, contribution, answered, answer, flags``.

- ``lot`` is the lot's code (``all`` without lots); the matrix comes lot by lot.
- ``level`` is ``overall``, ``section`` or ``question``; rows come per candidate
  in ranking order (in its lot): overall first, then each section followed by
  its questions.
- ``award`` rows follow the matrix, one per listed award and lot, best award
  first: ``rank`` is the award's place, ``candidate_id``/``provider`` the lot's
  winner, ``code``/``title`` the lot, ``weight`` the lot's weight, ``score`` the
  winner's overall there, ``answer`` the award's Q, C, P and V, and ``flags``
  ``best`` and ``handoff_risk``.
- ``weight``: 1 for overall, the normalised section weight, or the question's
  effective weight; ``score`` is 0-100 throughout (a question's ``100 * x``);
  ``contribution`` is the question's points towards the overall score.
- ``flags`` (``; ``-separated): ``disqualified``, ``failed_knockout:<code>``,
  ``record_conflict:<code>`` (on the overall row), ``red_flag:<tag>``,
  ``unanswered``, ``disagreement``, ``overridden``.

- ``reassessment`` rows close the report of a contract's reassessment round
  (``evaluations.reports.reassessment_section``): the comparison with the
  previous round, total, sections, questions, flags and knockouts.

Text that a spreadsheet would treat as a formula is prefixed with ``'``.
"""

import csv
import io

from evaluations.engine.types import round_half_even
from evaluations.reports import reassessment_section, safe_cell, views

COLUMNS = (
    "lot",
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
    """The rows of the matrix, lot by lot, then the awards, in ``COLUMNS`` order."""
    for lot, view in views(snapshot):
        yield from _view_rows(lot, view)
    yield from _award_rows(snapshot)
    yield from reassessment_section.csv_rows(snapshot)


def _award_rows(snapshot: dict):
    awards = snapshot.get("awards")
    if not awards:
        return
    lots = {lot["code"]: lot for lot in snapshot.get("lots") or []}
    order = [code for code, _ in views(snapshot)]  # the evaluation's lot order
    cards = {
        (lot, c["candidate_id"]): c for lot, view in views(snapshot) for c in view["candidates"]
    }
    for place, award in enumerate(awards["awards"], start=1):
        names = {w["candidate_id"]: w["name"] for w in award["winners"]}
        figures = f"Q {award['quality']:.2f}; V {award['value']:.2f}"
        if award["cost"] is not None:
            figures += f"; C {award['cost']} {awards['currency']}; P {award['price_score']}"
        flags = "; ".join((["best"] if place == 1 else []) + award["flags"])
        for code in order:
            winner = award["assignments"][code]
            lot = lots.get(code, {"title": "All services", "weight": 1})
            card = cards.get((code, winner), {"overall": "", "disqualified": ""})
            yield (
                code,
                place,
                winner,
                names[winner],
                card["disqualified"],
                "award",
                "",
                code,
                lot["title"],
                lot["weight"],
                card["overall"],
                "",
                "",
                figures,
                flags,
            )


def _view_rows(lot: str, view: dict):
    sections = view["sections"]
    questions = view["questions"]
    for position, candidate in enumerate(view["candidates"]):
        head = (
            lot,
            candidate["rank"],
            candidate["candidate_id"],
            candidate["provider_name"],
            candidate["disqualified"],
        )
        overall_flags = (
            (["disqualified"] if candidate["disqualified"] else [])
            + [f"failed_knockout:{code}" for code in candidate["failed_knockouts"]]
            + [f"record_conflict:{c['question']}" for c in candidate.get("record_conflicts", [])]
        )
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
