"""HTML export: one self-contained, printable page with three inline SVG charts.

No scripts, no external assets (a Content-Security-Policy meta tag forbids
loading any), print CSS for A4 landscape. Everything from the snapshot is
escaped by the Django template; only the charts, which are generated here, are
inserted as markup.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from providers.vocabulary import label_of

TEMPLATE = "evaluations/report.html"


def _percent(value) -> str:
    return "" if value is None else f"{value:.1%}"


def _factor(value) -> str:
    return "none" if value is None else f"{value:.3f}"


def _question_rows(snapshot: dict) -> list[dict]:
    return [
        {
            **question,
            "cells": [
                {
                    **cell,
                    "score": round(100 * cell["x"], 2),
                    "flags": _cell_flags(cell),
                }
                for cell in question["cells"]
            ],
        }
        for question in snapshot["questions"]
    ]


def _cell_flags(cell: dict) -> list[str]:
    flags = []
    if cell["failed_knockout"]:
        flags.append("knockout failed")
    flags += [f"red flag: {tag.replace('_', ' ')}" for tag in cell["red_flags"]]
    if not cell["answered"]:
        flags.append("unanswered")
    if cell["disagreement"]:
        flags.append("disagreement")
    if cell["overridden"]:
        flags.append("overridden")
    return flags


def _section_rows(snapshot: dict) -> list[dict]:
    scores = [
        {s["section"]: s["score"] for s in c["section_scores"]} for c in snapshot["candidates"]
    ]
    return [{**s, "scores": [row.get(s["code"]) for row in scores]} for s in snapshot["sections"]]


def _coverage(snapshot: dict) -> dict:
    coverage = snapshot["coverage"]
    rows = []
    for capability in coverage["capabilities"]:
        providers = [
            p["candidate_name"]
            + (
                f" (via {p['partner_name'] or 'a partner'})"
                if p["delivered_by"] == "partner"
                else ""
            )
            for p in capability["providers"]
        ]
        rows.append({**capability, "provided_by": "; ".join(providers) or "nobody"})
    return {
        **coverage,
        "rows": rows,
        "model_labels": [label_of(m) for m in coverage["required_models"]],
    }


def _sensitivity(snapshot: dict) -> dict:
    sensitivity = snapshot["sensitivity"]
    monte_carlo = sensitivity.get("monte_carlo")
    return {
        **sensitivity,
        "outcomes": [
            {**c, "win": _percent(c["win_probability"])}
            for c in (monte_carlo["candidates"] if monte_carlo else [])
        ],
        "leader_win": _percent(monte_carlo["leader_win_probability"]) if monte_carlo else "",
        "points": [
            {
                **t,
                "increase": _factor(t["increase_factor"]),
                "decrease": _factor(t["decrease_factor"]),
            }
            for t in sensitivity["tipping_points"]
        ],
    }


def _needs(snapshot: dict) -> dict | None:
    needs = snapshot["needs_assessment"]
    if needs is None:
        return None
    return {
        **needs,
        "models": [
            {
                **m,
                "label": label_of(m["service_model"]),
                "verdict_label": m["verdict"].replace("_", " "),
            }
            for m in needs["result"]["models"]
        ],
    }


def render_html(snapshot: dict, report) -> str:
    # matplotlib loads on the first HTML export, not when the URL conf is imported.
    from evaluations.reports.charts import all_charts

    charts = {name: mark_safe(svg) for name, svg in all_charts(snapshot).items()}  # noqa: S308
    evaluation = snapshot["evaluation"]
    context = {
        "report": report,
        "s": snapshot,
        "evaluation": evaluation,
        "required_models": [label_of(m) for m in evaluation["required_service_models"]],
        "charts": charts,
        "section_rows": _section_rows(snapshot),
        "question_rows": _question_rows(snapshot),
        "sensitivity": _sensitivity(snapshot),
        "coverage": _coverage(snapshot),
        "needs": _needs(snapshot),
    }
    return render_to_string(TEMPLATE, context)
