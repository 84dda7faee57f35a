"""The "reassessment comparison" section of a reassessment round's report.

Present only in the report of an evaluation that is a contract's reassessment
round (``snapshot["reassessment"]``, built by ``contracts.reassessment_reads``
when the report is built); every format shows the same rows from it: per lot,
the total, each section and each question, previous and current figure, the
exact delta and the change, then the red flags and knockouts that changed.
"""

HEADER = ("Lot", "Level", "Code", "Previous", "Current", "Delta", "Change")


def _signed(value) -> str:
    return "" if value is None else f"{value:+g}"


def table_rows(snapshot: dict) -> list[tuple]:
    """``HEADER`` rows: total, sections, questions, then flag and knockout changes."""
    comparison = snapshot.get("reassessment")
    if not comparison:
        return []
    rows = []
    for lot in comparison["lots"]:
        code = lot["lot"]
        total = lot["total"]
        rows.append(
            (code, "total", "overall", total["previous"], total["current"], total["delta"], "")
        )
        for section in lot["sections"]:
            rows.append(
                (
                    code,
                    "section",
                    section["code"],
                    section["previous"],
                    section["current"],
                    section["delta"],
                    "",
                )
            )
        for question in lot["questions"]:
            rows.append(
                (
                    code,
                    "question",
                    question["code"],
                    question["previous_x"],
                    question["current_x"],
                    question["delta"],
                    question["change"],
                )
            )
        for flag in lot["red_flags_new"]:
            rows.append((code, "red_flag", flag["question"], "", flag["tag"], None, "new"))
        for flag in lot["red_flags_cleared"]:
            rows.append((code, "red_flag", flag["question"], flag["tag"], "", None, "cleared"))
        for knockout in lot["knockouts_newly_failed"]:
            rows.append((code, "knockout", knockout, "passed", "failed", None, "newly_failed"))
        for knockout in lot["knockouts_cleared"]:
            rows.append((code, "knockout", knockout, "failed", "passed", None, "cleared"))
    return rows


def csv_rows(snapshot: dict):
    """The section as CSV rows of the report's 15 columns (level ``reassessment``):
    ``section`` holds the row's level, ``code`` its code, ``score`` the current
    figure, ``answer`` previous and delta, ``flags`` the change."""
    for lot, level, code, previous, current, change_delta, change in table_rows(snapshot):
        answer = f"previous {previous}" + (
            "" if change_delta is None else f"; delta {_signed(change_delta)}"
        )
        blank = ("", "", "", "")
        yield (lot, *blank, "reassessment", level, code, "", "", current, "", "", answer, change)


def html_context(snapshot: dict) -> dict | None:
    comparison = snapshot.get("reassessment")
    if not comparison:
        return None
    return {
        "previous_evaluation": comparison["previous_evaluation"],
        "round": comparison["round"],
        "header": HEADER,
        "rows": [(*row[:5], _signed(row[5]), row[6]) for row in table_rows(snapshot)],
    }
