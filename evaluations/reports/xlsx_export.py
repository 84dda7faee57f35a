"""XLSX export: one worksheet per view of the report (openpyxl).

Sheets, in order: Summary, Ranking, Awards, Sections (candidates side by side),
Questions (scores side by side), Answers (answers side by side), Flags,
Agreement, Sensitivity, Coverage, Needs. With lots, Ranking, Sections,
Questions, Answers, Flags and Sensitivity hold one block per lot under a bold
"Lot <code>" row. Text is always stored as text, never as a formula, whatever it
starts with.
"""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from evaluations.engine.types import round_half_even
from evaluations.reports import reassessment_section
from evaluations.reports.xlsx_awards import awards_sheet

SHEETS = (
    "Summary",
    "Ranking",
    "Awards",
    "Sections",
    "Questions",
    "Answers",
    "Flags",
    "Agreement",
    "Sensitivity",
    "Coverage",
    "Needs",
)
BOLD = Font(bold=True)
MAX_WIDTH = 60


def _append(sheet, values, *, bold=False):
    row = []
    for value in values:
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        row.append(value)
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text, not a formula
        if bold:
            cell.font = BOLD


def _table(sheet, header, rows):
    _append(sheet, header, bold=True)
    for row in rows:
        _append(sheet, row)


def _fit(sheet):
    for index, column in enumerate(sheet.iter_cols(), start=1):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"


def _candidate_headers(snapshot):
    return [f"{c['rank']}. {c['provider_name']}" for c in snapshot["candidates"]]


def _summary(sheet, snapshot, report):
    evaluation = snapshot["evaluation"]
    _table(
        sheet,
        ["Report", snapshot["title"]],
        [
            ["Report id", report.pk],
            ["Evaluation", f"{evaluation['name']} (#{evaluation['id']})"],
            ["Generated at", snapshot["generated_at"]],
            [
                "Questionnaire",
                f"{evaluation['questionnaire_code']} v{evaluation['questionnaire_number']}",
            ],
            [
                "Packs",
                ", ".join(f"{p['code']} v{p['number']}" for p in evaluation.get("packs", []))
                or "none",
            ],
            ["Seed", snapshot["settings"]["seed"]],
            ["Trials", snapshot["settings"]["trials"]],
            ["Spread", snapshot["settings"]["spread"]],
        ],
    )
    _append(sheet, [])
    _append(sheet, ["Summary"], bold=True)
    for point in snapshot["summary_points"]:
        _append(sheet, ["", point])


def _ranking(sheet, snapshot):
    wins = {}
    monte_carlo = snapshot["sensitivity"].get("monte_carlo")
    if monte_carlo:
        wins = {c["candidate_id"]: c["win_probability"] for c in monte_carlo["candidates"]}
    _table(
        sheet,
        [
            "Rank",
            "Provider",
            "Candidate id",
            "Overall",
            "Completeness",
            "Disqualified",
            "Failed knockouts",
            "Red flags",
            "Win probability",
        ],
        [
            [
                c["rank"],
                c["provider_name"],
                c["candidate_id"],
                c["overall"],
                c["completeness"],
                c["disqualified"],
                c["failed_knockouts"],
                [f"{f['tag']} ({f['question']})" for f in c["red_flags"]],
                wins.get(c["candidate_id"]),
            ]
            for c in snapshot["candidates"]
        ],
    )


def _sections(sheet, snapshot):
    scores = [
        {s["section"]: s["score"] for s in c["section_scores"]} for c in snapshot["candidates"]
    ]
    _table(
        sheet,
        ["Section", "Title", "Weight", "Normalised weight", *_candidate_headers(snapshot)],
        [
            [
                s["code"],
                s["title"],
                s["weight"],
                s["normalised_weight"],
                *[row.get(s["code"]) for row in scores],
            ]
            for s in snapshot["sections"]
        ],
    )
    _append(sheet, ["Overall", "", "", 1, *[c["overall"] for c in snapshot["candidates"]]])


def _questions(sheet, snapshot):
    _table(
        sheet,
        ["Question", "Section", "Text", "Effective weight", *_candidate_headers(snapshot)],
        [
            [
                q["code"],
                q["section"],
                q["text"],
                q["effective_weight"],
                *[round_half_even(100 * cell["x"], 2) for cell in q["cells"]],
            ]
            for q in snapshot["questions"]
        ],
    )


def _answers(sheet, snapshot):
    _table(
        sheet,
        ["Question", "Section", "Text", *_candidate_headers(snapshot)],
        [
            [q["code"], q["section"], q["text"], *[cell["answer_text"] for cell in q["cells"]]]
            for q in snapshot["questions"]
        ],
    )


def _flags(sheet, snapshot):
    rows = []
    for c in snapshot["candidates"]:
        rows += [
            [c["provider_name"], "failed knockout", code, ""] for code in c["failed_knockouts"]
        ]
        rows += [[c["provider_name"], "red flag", f["question"], f["tag"]] for f in c["red_flags"]]
        rows += [[c["provider_name"], "disagreement", code, ""] for code in c["disagreements"]]
        rows += [
            [c["provider_name"], "record conflict", f["question"], f"provider record: {f['note']}"]
            for f in c.get("record_conflicts", [])
        ]
    _table(sheet, ["Provider", "Flag", "Question", "Detail"], rows)


def _agreement(sheet, snapshot):
    d = snapshot["disagreement"]
    _table(
        sheet,
        ["Measure", "Value"],
        [
            ["Krippendorff's alpha (interval)", d["alpha"]],
            ["Interpretation", d["interpretation"]],
            ["Evaluators", d["raters"]],
            ["Units (candidate x judged question)", d["units"]],
            ["Pairable units", d["pairable_units"]],
            ["Ratings", d["ratings"]],
            ["Note", d["message"]],
        ],
    )
    _append(sheet, [])
    _table(
        sheet,
        ["Provider", "Question", "Spread"],
        [[f["provider_name"], f["question"], f["spread"]] for f in d["flags"]],
    )


def _sensitivity(sheet, snapshot):
    s = snapshot["sensitivity"]
    _table(
        sheet,
        ["Setting", "Value"],
        [
            ["Seed", s["seed"]],
            ["Trials", s["trials"]],
            ["Spread", s["spread"]],
            ["Sufficient", s["sufficient"]],
            ["Note", s["message"]],
        ],
    )
    monte_carlo = s.get("monte_carlo")
    if monte_carlo:
        _append(sheet, [])
        _append(sheet, ["Robust leader", monte_carlo["robust"]], bold=True)
        _table(
            sheet,
            ["Candidate", "Win probability", "Min rank", "Median rank", "Max rank"],
            [
                [c["name"], c["win_probability"], c["min_rank"], c["median_rank"], c["max_rank"]]
                for c in monte_carlo["candidates"]
            ],
        )
    _append(sheet, [])
    _table(
        sheet,
        ["Section", "Weight", "Increase factor", "New leader", "Decrease factor", "New leader"],
        [
            [
                t["section"],
                t["weight"],
                t["increase_factor"],
                t["increase_leader_name"],
                t["decrease_factor"],
                t["decrease_leader_name"],
            ]
            for t in s["tipping_points"]
        ],
    )


def _coverage(sheet, snapshot):
    c = snapshot["coverage"]
    _table(
        sheet,
        ["Capability", "Name", "Service model", "Status", "Provided by"],
        [
            [
                cap["code"],
                cap["name"],
                cap["service_model"],
                cap["status"],
                "; ".join(
                    p["candidate_name"]
                    + (
                        f" via {p['partner_name'] or 'a partner'}"
                        if p["delivered_by"] == "partner"
                        else ""
                    )
                    for p in cap["providers"]
                ),
            ]
            for cap in c["capabilities"]
        ],
    )
    _append(sheet, [])
    _append(sheet, ["Hand-off defined", c["handoff_defined"]])
    _table(
        sheet,
        ["Finding", "Explanation"],
        [[f["finding_id"], f["explanation"]] for f in c["findings"]],
    )


def _needs(sheet, snapshot):
    needs = snapshot["needs_assessment"]
    if needs is None:
        _append(sheet, ["The evaluation was not built from a needs assessment."])
        return
    _append(sheet, ["Needs assessment", f"{needs['name']} (#{needs['id']})"], bold=True)
    _table(
        sheet,
        ["Service model", "Verdict", "Already engaged", "Reasons"],
        [
            [
                m["service_model"],
                m["verdict"],
                m["already_engaged"],
                "; ".join(r["rule_id"] for r in m["reasons"]),
            ]
            for m in needs["result"]["models"]
        ],
    )
    _append(sheet, [])
    _table(
        sheet,
        ["Warning", "Explanation"],
        [[w["warning_id"], w["explanation"]] for w in needs["result"]["warnings"]],
    )


def _per_lot(builder, snapshot):
    """``builder`` over the report itself without lots, else once per lot."""

    def build(sheet):
        lots = snapshot.get("lots") or []
        if not lots:
            builder(sheet, snapshot)
            return
        for index, lot in enumerate(lots):
            if index:
                _append(sheet, [])
            _append(sheet, [f"Lot {lot['code']}", lot["title"]], bold=True)
            if lot["candidates"]:
                builder(sheet, lot)
            else:
                _append(sheet, ["", "No candidate bids on this lot."])

    return build


def render_xlsx(snapshot: dict, report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    builders = {
        "Summary": lambda sheet: _summary(sheet, snapshot, report),
        "Ranking": _per_lot(_ranking, snapshot),
        "Awards": lambda sheet: awards_sheet(sheet, snapshot, _append, _table),
        "Sections": _per_lot(_sections, snapshot),
        "Questions": _per_lot(_questions, snapshot),
        "Answers": _per_lot(_answers, snapshot),
        "Flags": _per_lot(_flags, snapshot),
        "Agreement": lambda sheet: _agreement(sheet, snapshot),
        "Sensitivity": _per_lot(_sensitivity, snapshot),
        "Coverage": lambda sheet: _coverage(sheet, snapshot),
        "Needs": lambda sheet: _needs(sheet, snapshot),
    }
    for title in SHEETS:
        sheet = workbook.create_sheet(title)
        builders[title](sheet)
        _fit(sheet)
    reassessment = reassessment_section.table_rows(snapshot)
    if reassessment:  # only a reassessment round's report has this sheet
        sheet = workbook.create_sheet("Reassessment")
        _table(sheet, reassessment_section.HEADER, reassessment)
        _fit(sheet)
    workbook.properties.creator = "Provider Scorecards"
    workbook.properties.title = snapshot["title"][:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
