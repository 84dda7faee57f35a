"""Server-side charts of a report as inline SVG (matplotlib, Agg, no pyplot state).

Text is drawn as glyph paths from matplotlib's bundled DejaVu fonts, so the SVG
needs no font or any other external asset. Output is deterministic for a given
snapshot (fixed hash salt, no date metadata). Each chart's root ``<svg>`` gets
an ``id`` (``chart-ranking``, ``chart-heatmap``, ``chart-win-probability``).
"""

import io
import re
import textwrap

import matplotlib
from matplotlib.figure import Figure

matplotlib.use("Agg")
# Fixed ids (no per-process random salt) so one snapshot always renders the same bytes;
# set once here rather than per call, because rc_context would mutate global state
# under concurrent requests. Text stays glyph paths (the default), needing no fonts.
matplotlib.rcParams["svg.hashsalt"] = "provider-scorecards"
matplotlib.rcParams["svg.fonttype"] = "path"

RANKING_ID = "chart-ranking"
HEATMAP_ID = "chart-heatmap"
WIN_PROBABILITY_ID = "chart-win-probability"
CHART_IDS = (RANKING_ID, HEATMAP_ID, WIN_PROBABILITY_ID)

BLUE = "#2f6db5"
GREY = "#9aa3ad"
GREEN = "#2e8b57"
MAX_LABEL = 32
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def _label(text: str) -> str:
    """Plain text for matplotlib: no mathtext, bounded length."""
    text = " ".join(str(text).split())
    if len(text) > MAX_LABEL:
        text = text[: MAX_LABEL - 1] + "\u2026"
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text.replace("$", r"\$"), width)) or " "


def _svg(fig: Figure, chart_id: str, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :])
    # Unique ids per chart: glyph and clip-path ids would otherwise repeat across charts.
    text = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{chart_id}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", text)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace(
        "<svg ",
        f'<svg id="{chart_id}" class="chart" role="img" aria-label="{escaped}" ',
        1,
    )


def _figure(rows: int) -> Figure:
    return Figure(figsize=(7.5, max(1.6, 0.45 * rows + 0.9)), dpi=96, layout="constrained")


def ranking_chart(candidates: list[dict], chart_id: str = RANKING_ID) -> str:
    """Overall score per candidate, in ranking order; disqualified bars grey and hatched."""
    fig = _figure(len(candidates))
    ax = fig.add_subplot()
    labels = [f"{c['rank']}. {_label(c['provider_name'])}" for c in candidates]
    positions = list(range(len(candidates)))
    bars = ax.barh(
        positions,
        [c["overall"] for c in candidates],
        color=[GREY if c["disqualified"] else BLUE for c in candidates],
        hatch=None,
    )
    for bar, candidate in zip(bars, candidates, strict=True):
        if candidate["disqualified"]:
            bar.set_hatch("//")
        note = " (disqualified)" if candidate["disqualified"] else ""
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{candidate['overall']:.2f}{note}",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(positions, labels=labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("Overall score (0-100)")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, chart_id, "Overall ranking")


def heatmap_chart(sections: list[dict], candidates: list[dict], chart_id: str = HEATMAP_ID) -> str:
    """Section scores (0-100): candidates in rows, sections in columns."""
    fig = Figure(
        figsize=(max(5.0, 0.9 * len(sections) + 3), max(1.6, 0.45 * len(candidates) + 1.4)),
        dpi=96,
        layout="constrained",
    )
    ax = fig.add_subplot()
    codes = [s["code"] for s in sections]
    grid = [
        [{e["section"]: e["score"] for e in c["section_scores"]}.get(code, 0.0) for code in codes]
        for c in candidates
    ]
    image = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    for row, values in enumerate(grid):
        for column, value in enumerate(values):
            ax.text(column, row, f"{value:.0f}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(codes)), labels=[_label(code) for code in codes], fontsize=8)
    ax.set_yticks(
        range(len(candidates)),
        labels=[_label(c["provider_name"]) for c in candidates],
        fontsize=8,
    )
    ax.tick_params(axis="x", labelrotation=30)
    fig.colorbar(image, ax=ax, label="Section score", shrink=0.8)
    return _svg(fig, chart_id, "Section scores by candidate")


def win_probability_chart(sensitivity: dict, chart_id: str = WIN_PROBABILITY_ID) -> str:
    """Monte Carlo win probability per qualified candidate, with the 0.8 robustness line."""
    monte_carlo = sensitivity.get("monte_carlo")
    outcomes = monte_carlo["candidates"] if monte_carlo else []
    fig = _figure(max(len(outcomes), 1))
    ax = fig.add_subplot()
    if not outcomes:
        message = sensitivity.get("message") or "No sensitivity analysis."
        ax.text(0.5, 0.5, _wrap(message), ha="center", va="center", fontsize=9)
        ax.set_axis_off()
        return _svg(fig, chart_id, "Win probability")
    positions = list(range(len(outcomes)))
    values = [o["win_probability"] for o in outcomes]
    ax.barh(positions, values, color=[GREEN if i == 0 else BLUE for i in positions])
    for position, value in zip(positions, values, strict=True):
        ax.text(value + 0.01, position, f"{value:.1%}", va="center", fontsize=8)
    ax.axvline(0.8, color="#444", linestyle="--", linewidth=1)
    ax.text(0.8, -0.6, " robust at 80%", fontsize=7, color="#444")
    ax.set_yticks(positions, labels=[_label(o["name"]) for o in outcomes], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.set_xlabel(f"Share of {monte_carlo['trials']} trials won")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, chart_id, "Win probability")


def view_charts(view: dict, suffix: str = "") -> dict[str, str]:
    """The three charts of one view (the report without lots, or one lot); ``suffix``
    keeps ids unique when a page holds several views."""
    return {
        "ranking": ranking_chart(view["candidates"], RANKING_ID + suffix),
        "heatmap": heatmap_chart(view["sections"], view["candidates"], HEATMAP_ID + suffix),
        "win_probability": win_probability_chart(view["sensitivity"], WIN_PROBABILITY_ID + suffix),
    }
