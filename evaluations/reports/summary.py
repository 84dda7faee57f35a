"""The plain-language summary of a comparison report. Pure: snapshot in, sentences out.

One sentence (or two) per topic, in a fixed order: who leads and by how much,
disqualifications, how robust the lead is, red flags, coverage, agreement
between evaluators, and the needs assessment the evaluation was built from.
"""

from providers.vocabulary import label_of


def _names(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _leader(candidates: list[dict]) -> list[str]:
    qualified = [c for c in candidates if not c["disqualified"]]
    if len(candidates) == 1:
        c = candidates[0]
        state = " but is disqualified" if c["disqualified"] else ""
        return [f"{c['provider_name']} is the only candidate and scores {c['overall']:.2f}{state}."]
    if not qualified:
        return ["Every candidate failed at least one knockout question, so none qualifies."]
    top = [c for c in qualified if c["rank"] == qualified[0]["rank"]]
    if len(top) > 1:
        names = _names(c["provider_name"] for c in top)
        return [f"{names} share first place with {top[0]['overall']:.2f} out of 100."]
    leader = top[0]
    others = [c for c in qualified if c is not leader]
    if not others:
        return [
            f"{leader['provider_name']} is the only qualified candidate, "
            f"with {leader['overall']:.2f} out of 100."
        ]
    second = others[0]
    margin = leader["overall"] - second["overall"]
    return [
        f"{leader['provider_name']} ranks first with {leader['overall']:.2f} out of 100, "
        f"{_points(margin)} points ahead of {second['provider_name']}."
    ]


def _disqualified(candidates: list[dict]) -> list[str]:
    out = [c for c in candidates if c["disqualified"]]
    if not out:
        return []
    parts = [f"{c['provider_name']} ({', '.join(c['failed_knockouts'])})" for c in out]
    verb = "fails" if len(out) == 1 else "fail"
    return [
        f"{_names(parts)} {verb} knockout questions and {'is' if len(out) == 1 else 'are'} "
        "ranked last whatever the score."
    ]


def _sensitivity(sensitivity: dict) -> list[str]:
    if not sensitivity["sufficient"]:
        return [sensitivity["message"]]
    mc = sensitivity["monte_carlo"]
    share = round(mc["leader_win_probability"] * 100, 1)
    spread = round(sensitivity["spread"] * 100)
    verdict = "so the lead is robust" if mc["robust"] else "so the lead is not robust (below 80%)"
    out = [
        f"With every section weight varied at random by up to {spread}% in "
        f"{sensitivity['trials']} trials, {mc['leader_name']} stays first in {share:g}% "
        f"of them, {verdict}."
    ]
    nearest = None
    for point in sensitivity["tipping_points"]:
        for factor, name in (
            (point["increase_factor"], point["increase_leader_name"]),
            (point["decrease_factor"], point["decrease_leader_name"]),
        ):
            if factor is None:
                continue
            distance = abs(factor - 1)
            if nearest is None or distance < nearest[0]:
                nearest = (distance, point["section"], factor, name)
    if nearest is None:
        out.append("No change to a single section's weight would change the leader.")
    else:
        _, section, factor, name = nearest
        out.append(
            f"The nearest tipping point: multiplying the weight of section '{section}' by "
            f"{factor:.2f} would put {name} in the lead."
        )
    return out


def _distinct(candidates: list[dict]) -> list[dict]:
    """One entry per candidate, its red flags over every lot it bids on."""
    merged: dict[int, dict] = {}
    for c in candidates:
        entry = merged.setdefault(c["candidate_id"], {**c, "red_flags": []})
        entry["red_flags"] += [f for f in c["red_flags"] if f not in entry["red_flags"]]
    return list(merged.values())


def _flags(candidates: list[dict]) -> list[str]:
    flagged = [c for c in candidates if c["red_flags"]]
    if not flagged:
        return ["No red flags were raised on the vetting questions."]
    parts = []
    for c in flagged:
        tags = sorted({f["tag"].replace("_", " ") for f in c["red_flags"]})
        parts.append(f"{c['provider_name']} ({', '.join(tags)})")
    return [f"Red flags: {'; '.join(parts)}."]


def coverage_points(coverage: dict) -> list[str]:
    if not coverage["required_models"]:
        return ["The evaluation names no required service models, so coverage was not checked."]
    summary = coverage["summary"]
    models = _names(label_of(m) for m in coverage["required_models"])
    if summary["gap"]:
        gaps = summary["gap"]
        out = [
            f"{_count(len(gaps), 'capability', 'capabilities')} that {models} call for "
            f"{'is' if len(gaps) == 1 else 'are'} offered by no qualified candidate: "
            f"{', '.join(gaps)}."
        ]
    elif coverage.get("lots") and not coverage["complete"]:
        # Every capability is offered by someone qualified, but a lot goes to one firm.
        short = [lot["lot"] for lot in coverage["lots"] if not lot["sole_cover"]]
        out = [
            f"Every capability that {models} call for is offered, but no award covers them "
            f"all: in {_count(len(short), 'lot', 'lots')} ({', '.join(short)}) no qualified "
            "candidate offers every capability on its own."
        ]
    elif coverage.get("lots"):
        out = [f"An award can cover every capability that {models} call for."]
    else:
        out = [f"Together the candidates cover every capability that {models} call for."]
    partner_only = summary["partner_only"]
    if partner_only:
        out.append(
            f"{_count(len(partner_only), 'capability is', 'capabilities are')} available only "
            f"through partners: {', '.join(partner_only)}."
        )
    if coverage["handoff_risk"]:
        out.append(
            "vCISO and MSSP work would come from different firms with no documented hand-off "
            "between them."
        )
    return out


def _agreement(disagreement: dict) -> list[str]:
    if disagreement["alpha"] is None:
        return [disagreement["message"]]
    text = (
        f"Evaluators' ratings agree at Krippendorff's alpha {disagreement['alpha']:.2f} "
        f"({disagreement['interpretation']})"
    )
    flags = len(disagreement["flags"])
    if flags:
        text += (
            f"; {_count(flags, 'rated answer shows', 'rated answers show')} strong disagreement "
            "worth a discussion"
        )
    return [text + "."]


def _needs(needs: dict | None) -> list[str]:
    if needs is None:
        return []
    verdicts: dict[str, list[str]] = {}
    for model in needs["result"]["models"]:
        verdicts.setdefault(model["verdict"], []).append(label_of(model["service_model"]))
    parts = [
        f"{verdict.replace('_', ' ')}: {', '.join(models)}"
        for verdict in ("required", "recommended")
        if (models := verdicts.get(verdict))
    ]
    name = f" '{needs['name']}'" if needs["name"] else ""
    detail = f" ({'; '.join(parts)})" if parts else ""
    return [f"The evaluation was built from needs assessment{name}{detail}."]


def _lot_points(lot: dict) -> list[str]:
    """Who leads the lot, who is out, and how robust the lead is: the v1 sentences,
    each prefixed by the lot."""
    prefix = f"Lot {lot['code']} ({lot['title']}): "
    candidates = lot["candidates"]
    if not candidates:
        return [prefix + "no candidate bids on this lot, so it cannot be awarded."]
    points = [*_leader(candidates), *_disqualified(candidates)]
    if lot["sensitivity"] is not None:
        points += _sensitivity(lot["sensitivity"])[:1]
    return [prefix + point for point in points]


def _award_text(award: dict, priced: bool, currency: str) -> str:
    parts = [f"{', '.join(w['lots'])} to {w['name']}" for w in award["winners"]]
    text = f"{_names(parts)}, quality {award['quality']:.2f}"
    if priced:
        text += f", total cost {award['cost']} {currency}, value {award['value']:.2f}"
    return text


def award_points(awards: dict) -> list[str]:
    if not awards["feasible"]:
        reasons = "; ".join(
            (f"lot {p['lot']}: " if p["lot"] else "") + p["reason"].rstrip(".")
            for p in awards["infeasible"]
        )
        return [f"No award is feasible: {reasons}."]
    priced, currency = awards["priced"], awards.get("currency") or ""
    best = awards["awards"][0]
    out = [
        f"The best award gives {_award_text(best, priced, currency)} "
        f"({_count(best['provider_count'], 'provider', 'providers')})."
    ]
    if "handoff_risk" in best["flags"]:
        out.append(
            "In that award the vCISO and MSSP lots go to different firms without a documented "
            "hand-off between them (handoff_risk)."
        )
    if not priced:
        out.append("No proposal is priced, so awards are compared on quality alone.")
        return out
    tipping = awards["tipping_points"]
    for key, direction in (("increase", "Raising"), ("decrease", "Lowering")):
        point = tipping[key]
        if point is not None:
            out.append(
                f"{direction} the price weight past {point['price_weight']:.4f} would make "
                f"another award best: {_award_text(point['award'], priced, currency)}."
            )
    if tipping["increase"] is None and tipping["decrease"] is None:
        out.append("No other price weight would change the best award.")
    return out


def summary_points(snapshot: dict) -> list[str]:
    candidates = snapshot["candidates"]
    lots = snapshot.get("lots") or []
    awards = snapshot.get("awards")
    if lots:
        head = [point for lot in lots for point in _lot_points(lot)]
        for lot in lots:
            candidates = candidates + lot["candidates"]
    else:
        head = [
            *_leader(candidates),
            *_disqualified(candidates),
            *_sensitivity(snapshot["sensitivity"]),
        ]
    if awards is not None and (lots or awards["priced"]):
        head += award_points(awards)
    return [
        *head,
        *_flags(_distinct(candidates)),
        *coverage_points(snapshot["coverage"]),
        *_agreement(snapshot["disagreement"]),
        *_needs(snapshot["needs_assessment"]),
    ]
