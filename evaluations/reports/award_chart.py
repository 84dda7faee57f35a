"""The quality-versus-cost chart of a report's awards (inline SVG, matplotlib).

Each listed award and each efficient award is one point: cost across, quality
up. Efficient awards (the frontier: no other award is at least as good and at
least as cheap, and better in one) are filled green diamonds joined by a line;
the other listed awards are hollow blue circles; listed awards are labelled
with their place (#1 is the best award). Every point is its own SVG group with
an id (``chart-awards-award-<n>``, ``chart-awards-efficient-<n>``) so a reader
or a test can find it. An unpriced evaluation has no cost axis: the chart then
shows the listed awards' quality as bars and says that nothing is priced.
"""

from matplotlib.figure import Figure

from evaluations.reports.charts import BLUE, GREEN, _figure, _label, _svg, _wrap

AWARDS_ID = "chart-awards"
TITLE = "Quality versus cost of the candidate awards"


def _key(award: dict) -> tuple:
    return tuple(sorted(award["assignments"].items()))


def _short(award: dict) -> str:
    return ", ".join(f"{'+'.join(w['lots'])}: {w['name']}" for w in award["winners"])


def _quality_only(awards: dict) -> str:
    listed = awards["awards"]
    fig = _figure(max(len(listed), 1))
    ax = fig.add_subplot()
    if not listed:
        ax.text(0.5, 0.5, "No feasible award.", ha="center", va="center", fontsize=9)
        ax.set_axis_off()
        return _svg(fig, AWARDS_ID, TITLE)
    positions = list(range(len(listed)))
    for place, award in enumerate(listed, start=1):
        (bar,) = ax.barh(place - 1, award["quality"], color=GREEN if place == 1 else BLUE)
        bar.set_gid(f"award-{place}")
        ax.text(award["quality"] + 1, place - 1, f"{award['quality']:.2f}", va="center", fontsize=8)
    labels = [f"#{i + 1} {_label(_short(a))}" for i, a in enumerate(listed)]
    ax.set_yticks(positions, labels=labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("Quality (0-100). No proposal is priced, so there is no cost axis.")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, AWARDS_ID, TITLE)


def award_chart(awards: dict) -> str:
    if not awards["priced"]:
        return _quality_only(awards)
    listed = awards["awards"]
    efficient = awards["efficient"]
    place = {_key(a): i for i, a in enumerate(listed, start=1)}
    frontier = {_key(a) for a in efficient}
    fig = Figure(figsize=(7.5, 4.2), dpi=96, layout="constrained")
    ax = fig.add_subplot()
    if efficient:
        ax.plot(
            [float(a["cost"]) for a in efficient],
            [a["quality"] for a in efficient],
            color=GREEN,
            linewidth=1,
            linestyle="--",
            label="Efficient frontier",
        )
    for index, award in enumerate(efficient, start=1):
        (point,) = ax.plot(
            float(award["cost"]),
            award["quality"],
            marker="D",
            markersize=8,
            color=GREEN,
            linestyle="none",
            label="Efficient award" if index == 1 else None,
        )
        point.set_gid(f"efficient-{index}")
    others = [award for award in listed if _key(award) not in frontier]
    for index, award in enumerate(others):
        (point,) = ax.plot(
            float(award["cost"]),
            award["quality"],
            marker="o",
            markersize=8,
            markerfacecolor="none",
            markeredgecolor=BLUE,
            linestyle="none",
            label="Other listed award" if index == 0 else None,
        )
        point.set_gid(f"award-{place[_key(award)]}")
    for award in listed:
        number = place[_key(award)]
        text = f"#{number}" + (" best" if number == 1 else "")
        ax.annotate(
            text,
            (float(award["cost"]), award["quality"]),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize=8,
            gid=f"label-{number}",
        )
    currency = awards["currency"] or ""
    ax.set_xlabel(_wrap(f"Total cost over the horizon ({currency})".replace(" ()", "")))
    ax.set_ylabel("Quality (0-100)")
    ax.ticklabel_format(axis="x", style="plain", useOffset=False)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, loc="lower right")
    return _svg(fig, AWARDS_ID, TITLE)
