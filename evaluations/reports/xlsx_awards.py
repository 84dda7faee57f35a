"""The Awards worksheet of the XLSX export: the best awards, the price-weight
tipping points, the quality-versus-cost frontier and who cannot win."""


def _lot_codes(snapshot: dict) -> list[str]:
    return [lot["code"] for lot in snapshot.get("lots") or []] or ["all"]


def _row(award: dict, codes: list[str]) -> list:
    names = {w["candidate_id"]: w["name"] for w in award["winners"]}
    return [
        *[names[award["assignments"][code]] for code in codes],
        award["quality"],
        award["cost"],
        award["price_score"],
        award["value"],
        award["provider_count"],
        award["flags"],
    ]


def awards_sheet(sheet, snapshot: dict, append, table) -> None:
    awards = snapshot.get("awards")
    if awards is None:
        append(sheet, ["This report was built before awards were part of reports."])
        return
    codes = _lot_codes(snapshot)
    currency = awards["currency"] or "no currency"
    header = [*[f"Lot {code}" for code in codes], "Quality", "Cost", "Price score", "Value"]
    header += ["Providers", "Flags"]
    if not awards["feasible"]:
        table(
            sheet,
            ["No feasible award", "Reason"],
            [[p["lot"] or "", p["reason"]] for p in awards["infeasible"]],
        )
    else:
        table(
            sheet,
            ["Place", *header],
            [[place, *_row(a, codes)] for place, a in enumerate(awards["awards"], start=1)],
        )
    append(sheet, [])
    append(sheet, ["Priced", awards["priced"], "Currency", currency])
    append(sheet, ["Price weight", awards["price_weight"], "Cheapest award", awards["min_cost"]])
    tipping = awards["tipping_points"]
    if tipping:
        append(sheet, [])
        table(
            sheet,
            ["Tipping point", "Price weight", "Exact", *header],
            [
                [
                    label,
                    point["price_weight"],
                    point["price_weight_exact"],
                    *_row(point["award"], codes),
                ]
                for label, point in (
                    ("Raise past", tipping["increase"]),
                    ("Lower past", tipping["decrease"]),
                )
                if point is not None
            ],
        )
    if awards["efficient"]:
        append(sheet, [])
        append(sheet, [f"Efficient awards ({awards['efficient_total']} in all), cheapest first"])
        table(sheet, header, [_row(a, codes) for a in awards["efficient"]])
    if awards["not_awardable"]:
        append(sheet, [])
        table(
            sheet,
            ["Not awardable (candidate id)", "Reason"],
            [[p["candidate_id"], p["reason"]] for p in awards["not_awardable"]],
        )
