"""HTML export: one self-contained, printable page with three inline SVG charts.

No scripts, no external assets (a Content-Security-Policy meta tag forbids
loading any), print CSS for A4 landscape. Everything from the snapshot is
escaped by the Django template; only the charts, which are generated here, are
inserted as markup.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from evaluations.reports import reassessment_section, views
from evaluations.reports.summary import award_points
from providers.vocabulary import label_of

TEMPLATE = "evaluations/report.html"


def _percent(value) -> str:
    return "" if value is None else f"{value:.1%}"


def _factor(value) -> str:
    return "none" if value is None else f"{value:.3f}"


def _question_rows(view: dict) -> list[dict]:
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
        for question in view["questions"]
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


def _section_rows(view: dict) -> list[dict]:
    scores = [{s["section"]: s["score"] for s in c["section_scores"]} for c in view["candidates"]]
    return [{**s, "scores": [row.get(s["code"]) for row in scores]} for s in view["sections"]]


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


def _sensitivity(sensitivity: dict) -> dict:
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


def _views(snapshot: dict) -> list[dict]:
    """The per-lot parts of the page: the whole report without lots, else each lot,
    with its charts (ids suffixed by the lot code)."""
    # matplotlib loads on the first HTML export, not when the URL conf is imported.
    from evaluations.reports.charts import view_charts

    lots = snapshot.get("lots") or []
    out = []
    for code, view in views(snapshot):
        suffix = f"-{code}" if lots else ""
        empty = not view["candidates"]
        out.append(
            {
                "code": code,
                "suffix": suffix,
                "heading": f"Lot {code}: {view['title']}" if lots else None,
                "empty": empty,
                "candidates": view["candidates"],
                "charts": {} if empty else _safe(view_charts(view, suffix)),
                "section_rows": _section_rows(view),
                "question_rows": _question_rows(view),
                "sensitivity": None if empty else _sensitivity(view["sensitivity"]),
            }
        )
    return out


def _awards(snapshot: dict) -> dict | None:
    from evaluations.reports.award_chart import award_chart

    awards = snapshot.get("awards")
    if awards is None:
        return None
    codes = [code for code, _ in views(snapshot)]
    names = {
        c["candidate_id"]: c["provider_name"] for _, v in views(snapshot) for c in v["candidates"]
    }
    rows = [
        {
            **award,
            "place": place,
            "winner_names": [names.get(award["assignments"][code], "") for code in codes],
        }
        for place, award in enumerate(awards["awards"], start=1)
    ]
    return {
        **awards,
        "lot_codes": codes,
        "rows": rows,
        "chart": mark_safe(award_chart(awards)),  # noqa: S308 -- generated here, escaped text
        "tipping": award_points(awards)[1:],
        "not_awardable": [
            {**p, "name": names.get(p["candidate_id"], f"candidate {p['candidate_id']}")}
            for p in awards["not_awardable"]
        ],
    }


def _safe(charts: dict[str, str]) -> dict:
    return {name: mark_safe(svg) for name, svg in charts.items()}  # noqa: S308


def render_html(snapshot: dict, report) -> str:
    evaluation = snapshot["evaluation"]
    page_views = _views(snapshot)
    context = {
        "report": report,
        "s": snapshot,
        "evaluation": evaluation,
        "required_models": [label_of(m) for m in evaluation["required_service_models"]],
        "views": page_views,
        "awards": _awards(snapshot),
        "scorecards": [c for v in page_views for c in v["candidates"]],
        "coverage": _coverage(snapshot),
        "needs": _needs(snapshot),
        "reassessment": reassessment_section.html_context(snapshot),
    }
    return render_to_string(TEMPLATE, context)
