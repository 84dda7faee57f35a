"""After the award, end to end: contracts from a decided award, a quarter of SLA
measurements with breaches and their remedies, findings raised and followed up,
and a scheduled reassessment whose comparison shows the regression.

Everything after the award goes through the API, on PostgreSQL, with a real Celery
worker running the background work (scoring, the beat task, the emails) and a real
SMTP server on loopback receiving the provider's link. Only the award itself (an
evaluation scored and decided) is set up from rows; other tests make one over HTTP.
"""

import time
from datetime import date
from decimal import Decimal

import pytest

from contracts.tasks import open_due_reassessments
from evaluations.models import Answer, Evaluation
from questionnaires.models import QuestionnaireVersion, VersionStatus
from tests.evaluations.builders import make_version
from tests.evaluations.sourcing import candidate, proposal, sourcing_evaluation
from tests.mail import mail_to
from tests.providers.factories import SlaTermFactory
from tests.responses.helpers import link_token, respondent_client, save
from tests.services import require_postgres

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

API = "/api/v1"
CONTACT = "pat@acme.example"


def wait_for(read, done, seconds=60):
    """Poll ``read()`` until ``done(value)``: the worker runs on its own thread."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def score(client, evaluation_id):
    """Score through the API and wait for the worker to finish the job."""
    job = client.post(f"{API}/evaluations/{evaluation_id}/score/", format="json")
    assert job.status_code == 202, job.json()
    url = f"{API}/jobs/{job.json()['id']}/"
    finished = wait_for(
        lambda: client.get(url).json(), lambda row: row["status"] in ("succeeded", "failed")
    )
    assert finished["status"] == "succeeded", finished


def patch(client, url, body):
    response = client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.json()
    return response.json()


def a_year_before(today: date) -> date:
    return date(today.year - 1, today.month, min(today.day, 28))


def decided_award(client):
    """Two lots, two winners: Acme wins `security` (300.00 a month), Bolt wins `it`.

    Acme's award answers score S_soc = 1 (SOC-01 own, SOC-02 true) and S_rep = 0.5
    (REP-02 true, REP-01 unrated): overall 100 * (3 * 1 + 1 * 0.5) / 4 = 87.50.
    """
    organization = client.organization
    evaluation = sourcing_evaluation(
        organization, client.membership, status="collecting", horizon_months=24
    )
    acme = candidate(evaluation, ("mssp", "vciso"), lots=["security"])
    bolt = candidate(evaluation, ("msp",), lots=["it"])
    SlaTermFactory(provider=acme.provider, metric="uptime", target_value="99.900", unit="percent")
    proposal(acme, ["security"], one_time="600.00", monthly="300.00", term_months=24)
    proposal(bolt, ["it"], one_time="0.00", monthly="99.99", term_months=12)
    questions = {q.code: q for q in evaluation.questionnaire_version.questions.all()}
    for row in (acme, bolt):
        for code, value in {"SOC-01": "own", "SOC-02": True, "REP-02": True}.items():
            Answer.objects.create(candidate=row, question=questions[code], value=value)
    score(client, evaluation.pk)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status="decided", decision_award={"security": acme.pk, "it": bolt.pk}
    )
    return evaluation, acme, bolt


def test_from_the_award_to_a_reassessment(real_worker, admin_client, smtp_server):
    require_postgres()
    client = admin_client
    evaluation, acme, bolt = decided_award(client)
    today = date.today()
    start = a_year_before(today)

    # Contracts: one per winner, priced from its winning proposal.
    made = client.post(
        f"{API}/contracts/from-award/",
        {"evaluation": evaluation.pk, "start_date": start.isoformat(), "auto_renew": True},
        format="json",
    )
    assert made.status_code == 201, made.json()
    contracts = {row["candidate"]: row for row in made.json()}
    assert set(contracts) == {acme.pk, bolt.pk}
    contract = contracts[acme.pk]
    assert (contract["lots"], contract["monthly_fee"], contract["term_months"]) == (
        ["security"],
        "300.00",
        24,
    )
    base = f"{API}/contracts/{contract['id']}"
    [term] = contract["sla_terms"]
    assert (term["metric"], term["target_value"]) == ("uptime", 99.9)

    # The remedy the contract says: 5% of the monthly fee per miss, at most 12% a
    # month, escalation on breach, termination after 4 misses within 3 months.
    patch(
        client,
        f"{base}/sla-terms/{term['id']}/",
        {
            "credit_percent_per_miss": "5.00",
            "credit_cap_percent": "12.00",
            "escalate_on_breach": True,
            "termination_breaches": 4,
            "termination_window_months": 3,
        },
    )

    # A quarter of measurements: met, then two misses, then three.
    months = [
        date(start.year + (start.month + n - 1) // 12, (start.month + n - 1) % 12 + 1, 1)
        for n in (1, 2, 3)
    ]
    quarter = [
        ("99.950", []),
        ("99.500", [months[1].replace(day=3), months[1].replace(day=17)]),
        ("98.000", [months[2].replace(day=d) for d in (2, 9, 23)]),
    ]
    for period, (value, breaches) in zip(months, quarter, strict=True):
        response = client.post(
            f"{base}/measurements/",
            {
                "sla_term": term["id"],
                "period": period.strftime("%Y-%m"),
                "measured_value": value,
                "breach_dates": [d.isoformat() for d in breaches],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()

    [summary] = client.get(f"{base}/sla-summary/").json()["terms"]
    by_month = [
        (m["misses"], m["credit"], m["escalated"], m["termination_right"])
        for m in summary["months"]
    ]
    # Credits by hand: 300 * min(2 * 5, 12) / 100 = 30.00; 300 * min(3 * 5, 12) / 100
    # = 36.00 (capped). Misses in the 3-month window: 0, 2, 0 + 2 + 3 = 5 >= 4.
    assert [
        (misses, Decimal(str(credit)) if credit is not None else None, esc, right)
        for misses, credit, esc, right in by_month
    ] == [
        (0, Decimal("0"), False, False),
        (2, Decimal("30.00"), True, False),
        (3, Decimal("36.00"), True, True),
    ]
    assert Decimal(str(summary["credit_total"])) == Decimal("66.00")
    assert summary["termination_right_since"] == months[2].strftime("%Y-%m")
    assert (summary["months_breached"], summary["misses"], summary["trend"]) == (2, 5, "worse")

    # Findings: each breached month raised one, on Acme's contract.
    breaches = client.get(
        f"{API}/findings/", {"contract": contract["id"], "source": "sla_breach"}
    ).json()["results"]
    assert sorted(row["period"] for row in breaches) == [
        months[1].strftime("%Y-%m"),
        months[2].strftime("%Y-%m"),
    ]
    assert {row["status"] for row in breaches} == {"open"}
    february, march = sorted(breaches, key=lambda row: row["period"])
    # Both escalated; March reached the termination right: both high.
    assert (february["severity"], march["severity"]) == ("high", "high")
    owner = client.membership.pk
    finding_url = f"{API}/findings/{february['id']}/"
    assert patch(client, finding_url, {"owner": owner, "status": "in_remediation"})["status"] == (
        "in_remediation"
    )
    resolved = patch(client, finding_url, {"status": "resolved"})
    assert resolved["status"] == "resolved" and resolved["closed_at"]
    march_url = f"{API}/findings/{march['id']}/"
    refused = client.patch(
        march_url,
        {"status": "accepted_risk"},
        format="json",
        HTTP_IF_MATCH=client.get(march_url)["ETag"],
    )
    assert refused.status_code == 400, refused.json()
    assert [error["field"] for error in refused.json()["errors"]] == ["rationale"]
    accepted = patch(
        client,
        march_url,
        {"status": "accepted_risk", "rationale": "Credited; the outage was the data centre's."},
    )
    assert accepted["status"] == "accepted_risk"
    # Re-scoring the award raises nothing new: the award's answers pass.
    score(client, evaluation.pk)
    everything = client.get(f"{API}/findings/", {"provider": acme.provider_id}).json()
    assert everything["count"] == 2

    # A scheduled reassessment: every 12 months from the start, due today; the
    # questionnaire has a newer published version, which the round must use.
    first = evaluation.questionnaire_version
    QuestionnaireVersion.objects.filter(pk=first.pk).update(status=VersionStatus.RETIRED)
    newer = make_version(client.organization, code=first.questionnaire.code)
    schedule = client.patch(
        f"{base}/reassessment-schedule/",
        {
            "mode": "interval",
            "interval_months": 12,
            "contacts": [{"name": "Pat", "email": CONTACT}],
        },
        format="json",
    )
    assert schedule.status_code == 200, schedule.json()
    open_due_reassessments.delay()
    rounds = wait_for(
        lambda: client.get(f"{base}/reassessments/").json()["results"], lambda rows: rows
    )
    [round_] = rounds
    assert (round_["scheduled"], round_["status"], round_["previous_evaluation"]) == (
        True,
        "open",
        evaluation.pk,
    )
    round_evaluation = client.get(f"{API}/evaluations/{round_['evaluation']}/").json()
    assert round_evaluation["questionnaire_version"] == newer.pk
    # Beat again (inline, to read what it did): nothing more to open.
    assert open_due_reassessments.apply().get() == {"opened": 0, "skipped": 0}
    assert client.get(f"{base}/reassessments/").json()["count"] == 1

    # The provider answers worse through the emailed link; the buyer accepts.
    mail_to(smtp_server, CONTACT, 1)
    respondent = respondent_client(link_token(CONTACT))
    worse = [
        {"question": "SOC-01", "value": "white_label"},
        {"question": "SOC-02", "value": False},
        {"question": "REP-02", "value": True},
    ]
    assert save(respondent, worse).status_code == 200
    assert respondent.post(f"{API}/respondent/submit/").status_code == 200
    requests_url = f"{API}/evaluations/{round_['evaluation']}/response-requests"
    review = client.post(
        f"{requests_url}/{round_['response_request']}/review/",
        [{"question": item["question"], "decision": "accept"} for item in worse],
        format="json",
    )
    assert review.status_code == 200, review.json()
    assert review.json()["status"] == "accepted"

    # Scored by the worker; the comparison shows the regression. By hand: SOC-01
    # white label (x 0.3, a red flag), SOC-02 false (x 0, the knockout fails):
    # S_soc = (2 * 0.3 + 1 * 0) / 3 = 0.2, S_rep = 0.5: 100 * (0.6 + 0.5) / 4 = 27.50.
    score(client, round_["evaluation"])
    round_url = f"{base}/reassessments/{round_['id']}/"
    assert client.get(round_url).json()["status"] == "scored"
    comparison = client.get(f"{round_url}comparison/")
    assert comparison.status_code == 200, comparison.json()
    [lot] = comparison.json()["lots"]
    assert lot["total"] == {"previous": 87.5, "current": 27.5, "delta": -60.0}
    changes = {q["code"]: (q["change"], q["delta"]) for q in lot["questions"]}
    assert changes["SOC-01"] == ("regressed", -0.7)
    assert changes["SOC-02"] == ("regressed", -1.0)
    assert lot["red_flags_new"] == [{"tag": "soc_ownership", "question": "SOC-01"}]
    assert lot["knockouts_newly_failed"] == ["SOC-02"]

    # The round's failed knockout and red flag are findings on the same contract.
    raised = client.get(
        f"{API}/findings/", {"contract": contract["id"], "source": ["knockout", "red_flag"]}
    ).json()["results"]
    assert sorted((row["source"], row["question_code"]) for row in raised) == [
        ("knockout", "SOC-02"),
        ("red_flag", "SOC-01"),
    ]
    assert {row["severity"] for row in raised} == {"critical", "high"}
    # Bolt, the other winner, has none: its contract is not reassessed.
    assert client.get(f"{API}/findings/", {"provider": bolt.provider_id}).json()["count"] == 0
