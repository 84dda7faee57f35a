"""From nothing to a comparison report, through the public API only.

    API=http://127.0.0.1:8000/api/v1 TOKEN=<the token make run printed> \
        python3 docs/examples/walkthrough.py

Standard library only, so it runs with any Python 3.11. It starts by inviting
the team (the invitees get an email with a link to set their password, see
docs/people.md), then creates three
candidate providers for a 120-person healthcare clinic that needs an MSSP and a
vCISO, answers every question of the built-in vetting questionnaire for each of
them, rates the judged questions as the lead evaluator, scores, and downloads
the comparison report. The three providers are made to differ the way real
bids do, so the report has something to say:

- Harbor Shield runs its own 24/7 SOC and answers everything well;
- Northwind Security resells a white-labelled SOC and shows no sample report,
  so it scores lower and carries red flags, but stays qualified;
- Quickfix IT has no written SLA: SLA-01 is a knockout, so it is
  disqualified, and its scorecard says exactly which knockout failed.

Every step prints what it did; the last lines are the ranking.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import date, timedelta

API = os.environ.get("API", "http://127.0.0.1:8000/api/v1").rstrip("/")
TOKEN = os.environ.get("TOKEN", "")


def call(method: str, path: str, body=None, *, raw: bool = False):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 (the API address the user gave)
        API + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            payload = response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"{method} {path} -> {error.code}: {error.read().decode(errors='replace')}")
    return payload if raw else json.loads(payload or b"null")


def invite(email: str, role: str):
    """Invite one person; an address already invited or already a member is said, not fatal."""
    request = urllib.request.Request(  # noqa: S310 (the API address the user gave)
        API + "/invitations/",
        data=json.dumps({"email": email, "role": role}).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            invitation = json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code != 409:
            sys.exit(f"POST /invitations/ -> {error.code}: {error.read().decode(errors='replace')}")
        print(f"{email}: {json.loads(error.read())['detail']}")
        return
    print(f"invited {email} as {role}, link valid until {invitation['expires_at'][:16]} UTC")


def wait_for(job: dict) -> dict:
    """Poll a background job until it ends (scoring and reports run in Celery)."""
    for _ in range(600):
        job = call("GET", f"/jobs/{job['id']}/")
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.2)
    if job["status"] != "succeeded":
        sys.exit(f"job {job['id']} {job['status']}: {job['error']}")
    return job


PROVIDERS = {
    "strong": {
        "name": "Harbor Shield",
        "service_models": ["mssp", "vciso"],
        "soc_model": "own",
        "delivery": "co_managed",
        "industries": ["healthcare"],
        "frameworks": ["hipaa", "soc2"],
    },
    "resold_soc": {
        "name": "Northwind Security",
        "service_models": ["mssp", "vciso"],
        "soc_model": "third_party",
        "third_party_soc_name": "Blue Harbor SOC",
        "delivery": "co_managed",
        "industries": ["healthcare"],
        "frameworks": ["hipaa"],
    },
    "no_sla": {
        "name": "Quickfix IT",
        "service_models": ["msp", "mssp"],
        "soc_model": "hybrid",
        "third_party_soc_name": "NightWatch MDR",
        "delivery": "fully_managed",
        "industries": ["healthcare", "retail"],
        "frameworks": ["hipaa"],
    },
}

# Deliberate answers where a provider differs from "best option everywhere".
DEVIATIONS = {
    "strong": {},
    "resold_soc": {"SOC-01": "third_party", "REP-01": "none", "ROL-01": "verbal"},
    "no_sla": {"SLA-01": False, "SLA-02": "case_by_case", "REP-01": "described"},
}
# What each provider offers from the capability catalog, and who delivers it.
OFFERS = {
    "strong": {"models": ("mssp", "vciso"), "partner": None, "skip": ()},
    "resold_soc": {
        "models": ("mssp", "vciso"),
        "partner": ("mssp", "Blue Harbor SOC"),  # the white-labelled SOC does the MSSP work
        "skip": ("vciso.insurance_audit_readiness",),
    },
    "no_sla": {"models": ("msp",), "partner": None, "skip": ()},
}
# Evaluator ratings (0..scale_max) of the judged questions, per provider.
RATING = {"strong": 5, "resold_soc": 3, "no_sla": 2}


def best_answer(question: dict):
    """The highest-scoring answer a question's kind allows."""
    kind = question["kind"]
    if kind == "boolean":
        return question.get("true_score", 1) >= question.get("false_score", 0)
    if kind == "single_choice":
        return max(question["options"], key=lambda option: option["score"])["value"]
    if kind == "multi_choice":
        return [option["value"] for option in question["options"] if option["score"] > 0]
    if kind == "number":
        # The first band whose max holds the value scores; aim at the best band
        # (an open-ended band has no max: go past every bounded one).
        band = max(question["bands"], key=lambda band: band["score"])
        if band.get("max") is not None:
            return band["max"]
        return 1 + max((b["max"] for b in question["bands"] if b.get("max") is not None), default=0)
    if kind == "scale":
        return question.get("scale_max", 5)
    return None  # text and evidence are judged by evaluators, not answered here


def main():
    if not TOKEN:
        sys.exit("Set TOKEN to an admin's API token (make run prints one).")

    # 0. Invite your team: an evaluator who rates, a viewer who reads. Each gets an
    #    email whose link sets their password and signs them in; their own
    #    tokens are made on /accounts/tokens/ (with make run the email is
    #    printed in the server's console; with docker compose, it is in Mailpit).
    me = call("GET", "/me/")
    print(f"signed in as {me['user']['username']} ({me['role']}) in {me['organization']['name']}")
    invite("priya@clinic.example", "evaluator")
    invite("sam@clinic.example", "viewer")

    # 1. Which kinds of provider does the buyer need?
    assessment = call(
        "POST",
        "/needs-assessments/",
        {
            "name": "Clinic 2026 review",
            "profile": {
                "industry": "healthcare",
                "employee_count": 120,
                "regulated_data": True,
                "frameworks": ["hipaa"],
                "internal_it_staff": True,
            },
        },
    )
    print(f"needs assessment {assessment['id']}: {json.dumps(assessment.get('result', {}))[:200]}")

    # 2. The built-in vetting questionnaire, published version.
    builtin = call("GET", "/questionnaires/?builtin=true&search=vetting")["results"][0]
    versions = call("GET", f"/questionnaires/{builtin['id']}/versions/?status=published")
    version = versions["results"][0]
    document = call(
        "GET", f"/questionnaires/{builtin['id']}/versions/{version['id']}/export/?format=json"
    )
    questions = [q for section in document["sections"] for q in section["questions"]]
    print(f"questionnaire '{builtin['name']}' version {version['id']}: {len(questions)} questions")

    # 3. The evaluation: pinned version, the buyer's profile, the service models needed.
    evaluation = call(
        "POST",
        "/evaluations/",
        {
            "name": "Security providers 2026",
            "questionnaire_version": version["id"],
            "needs_assessment": assessment["id"],
            "industry": "healthcare",
            "employee_count": 120,
            "required_service_models": ["mssp", "vciso"],
            "frameworks": ["hipaa"],
            # Evaluators are reminded by email before ratings fall due.
            "ratings_due": (date.today() + timedelta(days=14)).isoformat(),
            "decision_due": (date.today() + timedelta(days=21)).isoformat(),
        },
    )
    base = f"/evaluations/{evaluation['id']}"
    print(
        f"evaluation {evaluation['id']}: needs {evaluation['required_service_models']}, "
        f"ratings due {evaluation['ratings_due']}, decision due {evaluation['decision_due']}"
    )

    # 4. Providers, what they offer, and each as a candidate.
    catalog = call("GET", "/capabilities/?page_size=100")["results"]
    candidates = {}
    for key, fields in PROVIDERS.items():
        provider = call("POST", "/providers/", fields)
        offer = OFFERS[key]
        for capability in catalog:
            if capability["service_model"] not in offer["models"]:
                continue
            if capability["code"] in offer["skip"]:
                continue
            partner = offer["partner"]
            by_partner = partner is not None and capability["service_model"] == partner[0]
            call(
                "POST",
                f"/providers/{provider['id']}/capabilities/",
                {"capability": capability["code"], "delivered_by": "self"}
                if not by_partner
                else {
                    "capability": capability["code"],
                    "delivered_by": "partner",
                    "partner_name": partner[1],
                },
            )
        candidate = call("POST", f"{base}/candidates/", {"provider": provider["id"]})
        candidates[key] = candidate["id"]
        print(f"candidate {candidate['id']}: {provider['name']}")
    call("POST", f"{base}/status/", {"status": "collecting"})

    # 5. Their answers, every auto-scored question, in one bulk upsert each.
    for key, candidate in candidates.items():
        items = []
        for question in questions:
            value = DEVIATIONS[key].get(question["code"], best_answer(question))
            if value is not None:
                items.append({"candidate": candidate, "question": question["code"], "value": value})
        counts = call("POST", f"{base}/answers/", items)
        print(f"answers for candidate {candidate}: {counts}")

    # 6. The lead rates the judged questions (text, evidence) after declaring
    #    no conflict of interest, then submits one sheet per candidate. An
    #    invited evaluator, once signed up, is assigned the same way and gets an
    #    email saying what to declare.
    evaluator = call("POST", f"{base}/evaluators/", {"member": me["membership"]})
    call("POST", f"{base}/evaluators/{evaluator['id']}/declaration/", {"has_conflict": False})
    judged = [
        q for q in questions if q["kind"] in ("text", "evidence") or q.get("scoring") == "judged"
    ]
    for key, candidate in candidates.items():
        ratings = [
            {"candidate": candidate, "question": q["code"], "score": RATING[key], "comment": ""}
            for q in judged
        ]
        call("POST", f"{base}/ratings/", ratings)
        call("POST", f"{base}/ratings/submit/", {"candidate": candidate})
    print(f"rated {len(judged)} judged questions per candidate and submitted the sheets")

    # 7. Score in the background, then read the ranked scorecards.
    wait_for(call("POST", f"{base}/score/"))
    scorecards = call("GET", f"{base}/scorecards/")

    # 8. A comparison report with sensitivity, downloaded as a printable page.
    report = wait_for(call("POST", f"{base}/reports/", {"seed": 2026}))
    report_id = report["result"]["report"]
    html = call("GET", f"/reports/{report_id}/download/?format=html", raw=True)
    with open("comparison-report.html", "wb") as out:
        out.write(html)
    print(f"report {report_id} saved to comparison-report.html ({len(html)} bytes)")
    for point in call("GET", f"/reports/{report_id}/")["content"]["summary_points"]:
        print(f"  - {point}")

    print("\nranking:")
    for card in sorted(scorecards, key=lambda card: card["rank"]):
        why = ""
        if card["disqualified"]:
            why = f"  disqualified by knockout {', '.join(card['failed_knockouts'])}"
        flags = ", ".join(flag["tag"] for flag in card["red_flags"])
        print(
            f"  {card['rank']}. {card['provider_name']}: {card['overall']} "
            f"(completeness {card['completeness']}){why}"
            + (f"  red flags: {flags}" if flags else "")
        )


if __name__ == "__main__":
    main()
