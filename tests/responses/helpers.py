"""Sending a response request through the API and reading each link from its email."""

import re
import threading
from datetime import timedelta

from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from evaluations.models import Evaluation
from notifications.models import Kind, Notification
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory

LINK = re.compile(r"https?://[^/\s]+/respond/(rsp_[A-Za-z0-9_-]+)/")

# Two sections; one question applies to MSSP bids only, one to vCISO bids only.
SECTIONS = [
    {
        "code": "soc",
        "title": "SOC",
        "weight": 3,
        "questions": [
            {
                "code": "SOC-01",
                "kind": "single_choice",
                "text": "Who runs your SOC?",
                "help_text": "Own staff, or a partner under your brand.",
                "weight": 2,
                "options": [
                    {"value": "own", "label": "Our own SOC", "score": 1.0},
                    {"value": "white_label", "label": "A partner's, white-labelled", "score": 0.3},
                ],
                "applies_to": ["mssp"],
            },
            {"code": "SOC-02", "kind": "boolean", "text": "Is it staffed 24/7?"},
        ],
    },
    {
        "code": "rep",
        "title": "Reporting",
        "questions": [
            {"code": "REP-01", "kind": "text", "text": "Describe the monthly report."},
            {"code": "REP-02", "kind": "number", "text": "How many reports a year?"},
            {"code": "GOV-01", "kind": "boolean", "text": "vCISO only", "applies_to": ["vciso"]},
        ],
    },
]
LOTS = [
    {"code": "soc", "title": "Security operations", "service_models": ["mssp"], "weight": 1},
    {"code": "gov", "title": "Governance", "service_models": ["vciso"], "weight": 1},
]
ASKED = ["SOC-01", "SOC-02", "REP-01", "REP-02"]  # of a candidate bidding on `soc` only


def make_sourcing(organization, lead, providers=2):
    """An evaluation with two lots and candidates bidding on `soc` only."""
    # One questionnaire per evaluation: one published version each.
    code = f"respond-{Evaluation.objects.count()}"
    version = make_version(organization, SECTIONS, code=code)
    evaluation = make_evaluation(
        organization,
        version,
        lead=lead,
        providers=[ProviderFactory(organization=organization) for _ in range(providers)],
        lots=LOTS,
        required_service_models=["mssp", "vciso"],
    )
    evaluation.candidates.update(lots=["soc"], bid_source="explicit")
    return evaluation


def requests_url(evaluation) -> str:
    return f"/api/v1/evaluations/{evaluation.pk}/response-requests/"


def send_request(client, evaluation, candidate, contacts=None, **fields):
    body = {
        "candidate": candidate.pk,
        "due_date": str(timezone.localdate() + timedelta(days=14)),
        "message": "Please answer by the due date.",
        "contacts": contacts
        or [{"name": "Dana Vendor", "email": f"dana{candidate.pk}@vendor.example"}],
        **fields,
    }
    response = client.post(requests_url(evaluation), body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


# Every email that carries a contact's link; the newest holds the one that works.
LINK_KINDS = (
    Kind.RESPONSE_REQUEST,
    Kind.RESPONSE_DUE,
    Kind.RESPONSE_OVERDUE,
    Kind.RESPONSE_RETURNED,
    Kind.RESPONSE_MESSAGE,
    Kind.FINDING_MESSAGE,
)


def link_token(email: str) -> str:
    """The token of the newest email carrying ``email``'s link (a return or a buyer's
    message brings a new one and retires the one before)."""
    row = Notification.objects.filter(kind__in=LINK_KINDS, to_email=email).latest("id")
    return LINK.search(row.body_text).group(1)


def respondent_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def use_newest_link(client: APIClient, email: str) -> APIClient:
    """Point a respondent's client at the newest link emailed to ``email``."""
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {link_token(email)}")
    return client


def save(client, answers, etag=None):
    if etag is None:
        etag = client.get("/api/v1/respondent/answers/")["ETag"]
    return client.patch(
        "/api/v1/respondent/answers/", {"answers": answers}, format="json", HTTP_IF_MATCH=etag
    )


# Answers of the candidate bidding on `soc` (SOC-01, SOC-02, REP-01 of ASKED).
SOME_ANSWERS = [
    {"question": "SOC-01", "value": "own"},
    {"question": "SOC-02", "value": True},
    {"question": "REP-01", "value": "A monthly PDF with trends."},
]


def answer_and_submit(client) -> None:
    """The respondent saves SOME_ANSWERS and hands the response to the buyer."""
    assert save(client, SOME_ANSWERS).status_code == 200
    assert client.post("/api/v1/respondent/submit/").status_code == 200


def at_once(calls) -> list:
    """Run each zero-argument call from its own thread and database connection, all
    released together; their results, sorted (a call that raises leaves its result
    out, so the caller's check of the results fails)."""
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)
