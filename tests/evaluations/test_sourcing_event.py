"""A four-lot sourcing event run through the API, start to finish.

Lots ops (MSP), soc (MSSP), gov (vCISO) and roadmap (vCIO); five firms bid with
the v2 default or named lots, price single lots and bundles, answer, are rated
blind by an evaluator, are scored per lot, and the lead decides an award. The
expected best award is found here by brute force over every assignment, from
the API's own scorecards and proposals, independently of the award engine.
"""

from fractions import Fraction
from itertools import product

import pytest

from accounts.models import Role
from tests.evaluations.builders import make_version

QUESTIONNAIRE = [
    {
        "code": "ops",
        "questions": [
            {"code": "OPS-01", "kind": "boolean", "applies_to": ["msp"]},
            {"code": "OPS-02", "kind": "boolean", "applies_to": ["msp"]},
        ],
    },
    {
        "code": "soc",
        "questions": [
            {"code": "SOC-KO", "kind": "boolean", "knockout": True, "applies_to": ["mssp"]},
            {"code": "SOC-01", "kind": "boolean", "applies_to": ["mssp"]},
        ],
    },
    {
        "code": "gov",
        "questions": [
            {"code": "GOV-01", "kind": "boolean", "applies_to": ["vciso"]},
            {
                "code": "GOV-R",
                "kind": "scale",
                "scoring": "judged",
                "scale_max": 5,
                "applies_to": ["vciso"],
            },
        ],
    },
    {"code": "road", "questions": [{"code": "RD-01", "kind": "boolean", "applies_to": ["vcio"]}]},
]
LOTS = [
    {"code": "ops", "title": "Operations", "service_models": ["msp"], "weight": 2},
    {"code": "soc", "title": "Security operations", "service_models": ["mssp"], "weight": 3},
    {"code": "gov", "title": "Governance", "service_models": ["vciso"], "weight": 2},
    {"code": "roadmap", "title": "Roadmap", "service_models": ["vcio"], "weight": 1},
]
HORIZON = 24
USERS = 100
PRICE_WEIGHT = Fraction(3, 10)

# name: (service models, named bid or None for the default, answers, GOV-R rating)
FIRMS = {
    "Atlas IT": (["msp", "vcio"], None, {"OPS-01": True, "OPS-02": True, "RD-01": True}, None),
    "Harbor Shield": (
        ["mssp", "vciso"],
        None,
        {"SOC-KO": True, "SOC-01": True, "GOV-01": True},
        4,
    ),
    # Cheapest SOC, but fails the knockout: disqualified in soc only.
    "Sentinel": (["mssp"], None, {"SOC-KO": False, "SOC-01": True}, None),
    # A vCISO firm: never judged on SOC questions, so never knocked out by them.
    "Counsel": (["vciso"], None, {"GOV-01": True}, 5),
    # Sells everything, bids on two lots only.
    "Beacon": (
        ["msp", "mssp", "vciso", "vcio"],
        ["ops", "soc"],
        {"OPS-01": True, "OPS-02": False, "SOC-KO": True, "SOC-01": False},
        None,
    ),
}
# name: [(lots, one_time, monthly, per-user monthly or None, annual increase %)]
PROPOSALS = {
    "Atlas IT": [
        (["ops"], "500.00", "1000.00", "12.50", "0"),
        (["roadmap"], "0", "900.00", None, "0"),
    ],
    "Harbor Shield": [
        (["soc", "gov"], "2000.00", "5200.00", None, "5"),
        (["soc"], "1000.00", "4000.00", None, "0"),
        (["gov"], "0", "1800.00", None, "0"),
    ],
    "Sentinel": [(["soc"], "0", "2500.00", None, "0")],
    "Counsel": [(["gov"], "0", "2100.00", None, "3")],
    "Beacon": [(["ops", "soc"], "0", "6900.00", "8.00", "0")],
}


def tco(one_time, monthly, per_user, increase) -> Fraction:
    """Month by month, as a buyer would add up the invoices."""
    base = Fraction(monthly) + (Fraction(per_user) * USERS if per_user else 0)
    total = Fraction(one_time)
    for month in range(HORIZON):
        total += base * (1 + Fraction(increase) / 100) ** (month // 12)
    return total


def cheapest_cover(offers, lots: frozenset) -> Fraction | None:
    """Cheapest set of pairwise disjoint proposals covering exactly ``lots``."""
    best = None
    for mask in range(1, 2 ** len(offers)):
        chosen = [offers[i] for i in range(len(offers)) if mask >> i & 1]
        covered = [lot for offer in chosen for lot in offer[0]]
        if len(covered) == len(set(covered)) and set(covered) == lots:
            cost = sum(offer[1] for offer in chosen)
            best = cost if best is None else min(best, cost)
    return best


def brute_force_best(bidders, overall, offers):
    """Every feasible award with exact Q, C, P, V; the best one by v2's order."""
    weights = {lot["code"]: Fraction(lot["weight"]) for lot in LOTS}
    rows = []
    for winners in product(*(bidders[lot["code"]] for lot in LOTS)):
        award = dict(zip(weights, winners, strict=True))
        won = {}
        for lot, name in award.items():
            won.setdefault(name, set()).add(lot)
        costs = [cheapest_cover(offers[name], frozenset(lots)) for name, lots in won.items()]
        if None in costs:
            continue
        quality = sum(weights[lot] * overall[name, lot] for lot, name in award.items())
        rows.append((award, quality / sum(weights.values()), sum(costs), len(won)))
    floor = min(cost for _, _, cost, _ in rows)
    scored = []
    for award, quality, cost, providers in rows:
        value = (1 - PRICE_WEIGHT) * quality + 100 * PRICE_WEIGHT * floor / cost
        winners = tuple(award[lot["code"]] for lot in LOTS)
        scored.append(((-value, providers, cost, winners), award, quality, cost))
    scored.sort(key=lambda row: row[0])
    return scored


@pytest.fixture
def event(make_client, organization):
    clients = {
        role: make_client(role, organization) for role in (Role.ADMIN, Role.EVALUATOR, Role.VIEWER)
    }
    version = make_version(organization, QUESTIONNAIRE, code="four-lots")
    return clients, version


def run_event(clients, version, django_capture_on_commit_callbacks):
    admin, evaluator = clients[Role.ADMIN], clients[Role.EVALUATOR]

    def ok(response, status=(200, 201, 202)):
        assert response.status_code in status, (response.status_code, response.content[:2000])
        return response.json()

    evaluation = ok(
        admin.post(
            "/api/v1/evaluations/",
            {
                "name": "Four-lot sourcing 2027",
                "questionnaire_version": version.pk,
                "required_service_models": ["msp", "mssp", "vciso", "vcio"],
                "lots": LOTS,
                "currency": "EUR",
                "horizon_months": HORIZON,
                "quantities": {"user": USERS},
                "price_weight": str(PRICE_WEIGHT.numerator / PRICE_WEIGHT.denominator),
            },
            format="json",
        )
    )
    base = f"/api/v1/evaluations/{evaluation['id']}"
    ids, bids = {}, {}
    for name, (models, named, _, _) in FIRMS.items():
        provider = ok(
            admin.post(
                "/api/v1/providers/",
                {
                    "name": name,
                    "service_models": models,
                    **({"soc_model": "own"} if "mssp" in models else {}),
                },
                format="json",
            )
        )
        body = {"provider": provider["id"], **({"lots": named} if named else {})}
        candidate = ok(admin.post(f"{base}/candidates/", body, format="json"))
        ids[name], bids[name] = candidate["id"], candidate["lots"]
    for name, offers in PROPOSALS.items():
        for lots, one_time, monthly, per_user, increase in offers:
            body = {
                "candidate": ids[name],
                "lots": lots,
                "one_time": one_time,
                "monthly": monthly,
                "unit_prices": [{"unit": "user", "monthly_price": per_user}] if per_user else [],
                "annual_increase_pct": increase,
                "currency": "EUR",
            }
            ok(admin.post(f"{base}/proposals/", body, format="json"))
    ok(admin.post(f"{base}/status/", {"status": "collecting"}, format="json"))
    for name, (_, _, answers, _) in FIRMS.items():
        items = [{"candidate": ids[name], "question": q, "value": v} for q, v in answers.items()]
        ok(admin.post(f"{base}/answers/", items, format="json"))

    member = evaluator.membership.pk
    assignment = ok(admin.post(f"{base}/evaluators/", {"member": member}, format="json"))
    declaration = {"has_conflict": False, "details": ""}
    ok(
        evaluator.post(
            f"{base}/evaluators/{assignment['id']}/declaration/", declaration, format="json"
        )
    )
    for name, (_, _, _, rating) in FIRMS.items():
        if rating is None:
            continue
        item = [{"candidate": ids[name], "question": "GOV-R", "score": rating, "comment": ""}]
        ok(evaluator.post(f"{base}/ratings/", item, format="json"))
        ok(evaluator.post(f"{base}/ratings/submit/", {"candidate": ids[name]}, format="json"))

    with django_capture_on_commit_callbacks(execute=True):
        ok(admin.post(f"{base}/score/", {}, format="json"))
    ok(admin.post(f"{base}/status/", {"status": "scoring"}, format="json"))
    return base, ids, bids


@pytest.mark.django_db
def test_a_four_lot_sourcing_event_through_the_api(event, django_capture_on_commit_callbacks):
    clients, version = event
    admin = clients[Role.ADMIN]
    base, ids, bids = run_event(clients, version, django_capture_on_commit_callbacks)
    names = {pk: name for name, pk in ids.items()}

    # Bids: the v2 default (every lot whose models the firm offers) or as named.
    assert bids == {
        "Atlas IT": ["ops", "roadmap"],
        "Harbor Shield": ["soc", "gov"],
        "Sentinel": ["soc"],
        "Counsel": ["gov"],
        "Beacon": ["ops", "soc"],
    }

    # One scorecard per candidate and bid lot, each over its lot's questions.
    cards = admin.get(f"{base}/scorecards/").json()
    by_key = {(names[c["candidate"]], c["lot"]): c for c in cards}
    assert set(by_key) == {(name, lot) for name, lots in bids.items() for lot in lots}
    assert by_key["Sentinel", "soc"]["disqualified"] is True
    assert by_key["Counsel", "gov"]["disqualified"] is False  # no SOC knockout in gov
    assert by_key["Harbor Shield", "gov"]["disqualified"] is False
    for (_, lot), card in by_key.items():
        detail = admin.get(f"/api/v1/scorecards/{card['id']}/").json()
        sections = {s["code"] for s in detail["sections"]}
        assert (
            sections == {"ops": {"ops"}, "soc": {"soc"}, "gov": {"gov"}, "roadmap": {"road"}}[lot]
        )
    # GOV-R: x = rating / 5, so Counsel's 5 beats Harbor's 4 in governance.
    assert by_key["Counsel", "gov"]["overall"] == 100.0
    assert by_key["Harbor Shield", "gov"]["overall"] == 90.0
    assert by_key["Beacon", "ops"]["overall"] == 50.0
    # Ranks per lot, disqualified last.
    assert by_key["Harbor Shield", "soc"]["rank"] == 1
    assert by_key["Sentinel", "soc"]["rank"] == 3
    assert by_key["Counsel", "gov"]["rank"] == 1 and by_key["Harbor Shield", "gov"]["rank"] == 2

    # Coverage counts only qualified bids: Sentinel's SOC does not count.
    coverage = admin.get(f"{base}/coverage/").json()
    assert {"candidate_id": ids["Sentinel"], "lot": "soc", "reason": "disqualified"} in coverage[
        "not_counted"
    ]
    assert ids["Sentinel"] not in coverage["candidate_ids"]

    # The best award, found independently.
    bidders = {
        lot["code"]: [
            n
            for n, lots in bids.items()
            if lot["code"] in lots and not by_key[n, lot["code"]]["disqualified"]
        ]
        for lot in LOTS
    }
    overall = {key: Fraction(str(card["overall"])) for key, card in by_key.items()}
    offers = {
        name: [(lots, tco(*prices)) for lots, *prices in rows] for name, rows in PROPOSALS.items()
    }
    ranked = brute_force_best(bidders, overall, offers)
    _, best, _, _ = ranked[0]
    # The bundle wins both soc and gov for Harbor Shield although Counsel rates
    # higher in governance alone: the price weight makes the difference.
    assert best == {
        "ops": "Atlas IT",
        "soc": "Harbor Shield",
        "gov": "Harbor Shield",
        "roadmap": "Atlas IT",
    }

    # Deciding for the disqualified Sentinel without a rationale is refused.
    sentinel = {**{lot: ids[n] for lot, n in best.items()}, "soc": ids["Sentinel"]}
    refused = admin.post(
        f"{base}/decide/",
        {"award": [{"lot": lot, "candidate": pk} for lot, pk in sentinel.items()]},
        format="json",
    )
    assert refused.status_code == 400 and "rationale" in str(refused.json()), refused.json()

    # An award other than the best needs a rationale too; the best one does not.
    second = ranked[1][1]
    assert second != best
    award = [{"lot": lot, "candidate": ids[n]} for lot, n in second.items()]
    assert admin.post(f"{base}/decide/", {"award": award}, format="json").status_code == 400
    award = [{"lot": lot, "candidate": ids[n]} for lot, n in best.items()]
    decided = admin.post(f"{base}/decide/", {"award": award}, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["decision"]["award"] == award

    # The flat CRM feed names the lot and the decision per lot.
    flat = admin.get("/api/v1/scorecards/flat/").json()["results"]
    rows = {(names[r["candidate"]], r["lot"]): r for r in flat if r["is_latest"]}
    assert set(rows) == set(by_key)
    for (name, lot), row in rows.items():
        assert row["decision"] == ("awarded" if best[lot] == name else "not_awarded"), (name, lot)


@pytest.mark.django_db
def test_roles_and_other_organizations(event, make_client, django_capture_on_commit_callbacks):
    clients, version = event
    base, ids, _ = run_event(clients, version, django_capture_on_commit_callbacks)
    viewer, evaluator = clients[Role.VIEWER], clients[Role.EVALUATOR]
    award = [{"lot": lot["code"], "candidate": ids["Beacon"]} for lot in LOTS]
    proposal = {"candidate": ids["Counsel"], "lots": ["gov"], "one_time": "0", "monthly": "1"}
    # Everyone in the organization reads; only admins change the event.
    for client in (viewer, evaluator):
        assert client.get(f"{base}/scorecards/").status_code == 200
        assert client.get(f"{base}/proposals/").status_code == 200
        assert client.get(f"{base}/coverage/").status_code == 200
        assert client.post(f"{base}/proposals/", proposal, format="json").status_code == 403
        assert client.post(f"{base}/decide/", {"award": award}, format="json").status_code == 403
        assert client.post(f"{base}/score/", {}, format="json").status_code == 403
    # Viewers never rate.
    rating = [{"candidate": ids["Counsel"], "question": "GOV-R", "score": 1, "comment": ""}]
    assert viewer.post(f"{base}/ratings/", rating, format="json").status_code == 403
    # Another organization's admin sees none of it.
    stranger = make_client(Role.ADMIN)
    for path in ("/", "/scorecards/", "/proposals/", "/coverage/", "/candidates/"):
        assert stranger.get(f"{base}{path}").status_code == 404, path
    assert stranger.post(f"{base}/decide/", {"award": award}, format="json").status_code == 404
    assert stranger.post(f"{base}/proposals/", proposal, format="json").status_code == 404
