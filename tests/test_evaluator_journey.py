"""A new evaluator goes from an invitation email to a submitted rating sheet.

Everything a person does here goes over HTTP to a live server, and every step
that starts from an email follows the link the email carries, as received by a
real SMTP server on loopback: no shell command, no object made behind the
person's back. Only the buyer's setup (a questionnaire, an evaluation with a
candidate) is made directly, since other tests cover making it through the API.
"""

import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest

from accounts.services import bootstrap_organization
from providers.models import Provider
from tests.evaluations.builders import make_evaluation, make_version
from tests.mail import mail_to

SECTIONS = [
    {
        "code": "delivery",
        "questions": [
            {"code": "REP-01", "kind": "scale", "scoring": "judged", "scale_max": 5},
        ],
    }
]
PASSWORD = "a long passphrase for eve"
LINK = re.compile(r"https?://[^\s\"'<>]+")


def http_only(url: str) -> str:
    """Links from emails are opened only as plain HTTP to the live server."""
    assert urlsplit(url).scheme == "http", url
    return url


class FormInputs(HTMLParser):
    """The named inputs of a page's forms, and the element with id ``new-token``."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.new_token: str | None = None
        self._in_new_token = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")
        self._in_new_token = attrs.get("id") == "new-token"

    def handle_data(self, data):
        if self._in_new_token and data.strip():
            self.new_token = data.strip()
            self._in_new_token = False


class Browser:
    """A person's browser: cookies kept, forms posted with their CSRF token."""

    def __init__(self):
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, url: str) -> tuple[int, str, str]:
        return self._open(Request(http_only(url)))  # noqa: S310 (checked)

    def submit(self, url: str, fields: dict, page: str) -> tuple[int, str, str]:
        inputs = FormInputs()
        inputs.feed(page)
        body = {"csrfmiddlewaretoken": inputs.values["csrfmiddlewaretoken"], **fields}
        request = Request(  # noqa: S310 (checked)
            http_only(url), data=urlencode(body).encode(), headers={"Referer": url}
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except HTTPError as error:
            return error.code, error.geturl(), error.read().decode()


def api(method: str, url: str, token: str, body=None) -> tuple[int, dict]:
    request = Request(  # noqa: S310 (checked)
        http_only(url),
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with build_opener().open(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def links(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    found = [url.rstrip(".,)") for url in LINK.findall(text)]
    # The HTML part carries the same links as the text part.
    in_html = {url.rstrip(".,)") for url in LINK.findall(html.replace("&amp;", "&"))}
    assert set(found) <= in_html, (found, in_html)
    return found


@pytest.mark.django_db(transaction=True)
def test_an_invited_evaluator_submits_a_rating_sheet(live_server, smtp_server, settings):
    settings.SITE_URL = live_server.url
    organization, lead, admin_token = bootstrap_organization(
        name="Clinic Buyers", slug="clinic", username="lead", email="lead@clinic.example"
    )
    provider = Provider.objects.create(organization=organization, name="Harbor Shield")
    evaluation = make_evaluation(
        organization,
        make_version(organization, SECTIONS),
        lead=lead,
        providers=[provider],
        ratings_due=date.today() + timedelta(days=5),
    )
    candidate = evaluation.candidates.get()
    v1 = f"{live_server.url}/api/v1"
    base = f"{v1}/evaluations/{evaluation.pk}"

    # 1. The lead invites Eve; the email carries a link that works once.
    status, invitation = api(
        "POST",
        f"{v1}/invitations/",
        admin_token,
        {"email": "eve@clinic.example", "role": "evaluator"},
    )
    assert status == 201, invitation
    (invite,) = mail_to(smtp_server, "eve@clinic.example", 1)
    assert "Clinic Buyers" in invite["Subject"]
    (accept_url,) = [url for url in links(invite) if "/invitations/accept/" in url]
    assert urlsplit(accept_url).netloc == urlsplit(live_server.url).netloc

    # 2. Eve follows it, chooses a username and a password, and is signed in.
    eve = Browser()
    status, _, page = eve.get(accept_url)
    assert status == 200 and "Clinic Buyers" in page
    status, landed, page = eve.submit(
        accept_url, {"username": "eve", "password1": PASSWORD, "password2": PASSWORD}, page
    )
    # Signed in, she lands on her tokens page.
    assert status == 200 and urlsplit(landed).path == "/accounts/tokens/", (landed, page)
    # Followed again, the link is spent: a clear page, not a second account.
    status, _, spent = Browser().get(accept_url)
    assert status == 410 and "already" in spent.lower()

    # 3. There she makes her own API token.
    tokens_url = landed
    status, _, page = eve.submit(tokens_url, {"name": "laptop", "scope": "read_write"}, page)
    assert status == 200
    created = FormInputs()
    created.feed(page)
    eve_token = created.new_token
    assert eve_token and eve_token.startswith("psc_")
    status, me = api("GET", f"{v1}/me/", eve_token)
    assert status == 200 and me["role"] == "evaluator"
    assert me["organization"]["slug"] == "clinic" and me["user"]["username"] == "eve"

    # 4. The lead makes her an evaluator; the email says what to declare, and where.
    status, assignment = api(
        "POST", f"{base}/evaluators/", admin_token, {"member": me["membership"]}
    )
    assert status == 201, assignment
    _, assigned = mail_to(smtp_server, "eve@clinic.example", 2)
    assert evaluation.name in assigned["Subject"]
    assigned_links = links(assigned)
    (declaration_url,) = [url for url in assigned_links if url.endswith("/declaration/")]
    assert f"{base}/" in assigned_links
    status, shown = api("GET", f"{base}/", eve_token)
    assert status == 200 and shown["ratings_due"] == evaluation.ratings_due.isoformat()
    status, declared = api(
        "POST", declaration_url, eve_token, {"has_conflict": False, "details": ""}
    )
    assert status == 200, declared

    # 5. She sees what is due, rates, and submits her sheet.
    status, due = api("GET", f"{base}/evaluators/{assignment['id']}/", eve_token)
    assert status == 200 and due["may_rate"] is True
    assert (due["days_left"], due["overdue"], due["sheets_outstanding"]) == (5, False, 1)
    rating = [{"candidate": candidate.pk, "question": "REP-01", "score": 4, "comment": "Clear."}]
    status, body = api("POST", f"{base}/ratings/", eve_token, rating)
    assert status in (200, 201), body
    status, submitted = api(
        "POST", f"{base}/ratings/submit/", eve_token, {"candidate": candidate.pk}
    )
    assert status in (200, 201), submitted
    status, sheets = api("GET", f"{base}/ratings/sheets/", eve_token)
    assert status == 200, sheets
    assert [(s["candidate"], s["evaluator"]) for s in sheets] == [(candidate.pk, assignment["id"])]
    status, due = api("GET", f"{base}/evaluators/{assignment['id']}/", eve_token)
    assert (due["sheets_submitted"], due["sheets_outstanding"]) == (1, 0)

    # 6. The lead is told, and the submitted rating is what counts.
    (notice,) = [
        m for m in mail_to(smtp_server, "lead@clinic.example", 1) if "submitted" in m["Subject"]
    ]
    assert "eve" in notice.get_body(preferencelist=("plain",)).get_content()
    status, ratings = api("GET", f"{base}/ratings/?candidate={candidate.pk}", admin_token)
    assert status == 200
    assert [(r["question"], r["score"]) for r in ratings["results"]] == [("REP-01", 4)]
