"""The respondent's pages: the emailed link, a form per question, no JavaScript."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from responses.models import ResponseAnswer, ResponseContact
from tests.responses.helpers import (
    ASKED,
    link_token,
    make_sourcing,
    requests_url,
    respondent_client,
    save,
    send_request,
)


@pytest.fixture
def page(admin_client):
    evaluation = make_sourcing(admin_client.organization, admin_client.membership)
    candidate = evaluation.candidates.first()
    contacts = [
        {"name": "Ann", "email": "ann@vendor.example"},
        {"name": "Bo", "email": "bo@vendor.example"},
    ]
    created = send_request(admin_client, evaluation, candidate, contacts=contacts)
    token = link_token("ann@vendor.example")
    base = f"{requests_url(evaluation)}{created['id']}"
    return f"/respond/{token}/", token, base


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _stored() -> dict:
    return {a.question.code: a.value for a in ResponseAnswer.objects.select_related("question")}


def test_the_link_opens_the_questionnaire_with_labelled_forms(client, page):
    url, _, _ = page
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # The token never goes to another site; our own forms still get their Origin
    # (under no-referrer a browser posts them as Origin: null, and CSRF refuses).
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="viewport"' in html
    for code in ASKED:
        assert f'id="q-{code}"' in html
    assert "GOV-01" not in html  # not asked of this bid
    assert '<label class="question" for="v-REP-01">' in html and 'id="v-REP-01"' in html
    assert "<legend>SOC-01. Who runs your SOC?</legend>" in html
    assert "Own staff, or a partner under your brand." in html
    assert "<script" not in html
    # Nothing of the scoring: no option scores, weights or knockouts.
    main = html[html.index("<main>") :].lower()
    assert "0.3" not in main and "weight" not in main and "knockout" not in main


@pytest.mark.parametrize(
    ("change", "status"),
    [("tampered", 404), ("revoked", 410), ("expired", 410)],
)
def test_unusable_links_get_a_clear_page(client, page, change, status):
    url, token, _ = page
    if change == "tampered":
        url = f"/respond/{token[:-2]}xx/"
    elif change == "revoked":
        ResponseContact.objects.filter(email="ann@vendor.example").update(revoked_at=timezone.now())
    else:
        ResponseContact.objects.filter(email="ann@vendor.example").update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    for response in (client.get(url), client.post(f"{url}save/", {"question": "SOC-02"})):
        assert response.status_code == status
        assert "This link cannot be used" in response.content.decode()
    assert client.get("/respond/" + "x" * 500 + "/").status_code == 404


def test_save_reload_nothing_lost_then_submit(client, page):
    url, _, _ = page
    version = _version(client.get(url).content.decode())
    posts = [
        {"question": "SOC-01", "value": "own"},
        {"question": "SOC-02", "value": "yes"},
        {"question": "REP-01", "value": "Monthly <b>report</b>"},
        {"question": "REP-02", "value": "12"},
    ]
    for post in posts:
        response = client.post(f"{url}save/", {**post, "version": version})
        assert response.status_code == 302, response.content[:500]
        assert response["Location"] == f"{url}#q-{post['question']}"
        version = _version(client.get(url).content.decode())
    assert _stored() == {
        "SOC-01": "own",
        "SOC-02": True,
        "REP-01": "Monthly <b>report</b>",
        "REP-02": 12,
    }
    html = client.get(url).content.decode()
    assert 'value="own" checked' in html and 'value="yes" checked' in html
    assert "Monthly &lt;b&gt;report&lt;/b&gt;</textarea>" in html
    assert 'value="12"' in html
    submitted = client.post(f"{url}submit/", follow=True)
    assert "Submitted. The buyer will review your answers." in submitted.content.decode()
    assert "Submitted for review" in submitted.content.decode()
    assert "Save answer to" not in submitted.content.decode()


def test_a_conflicting_save_says_so_and_keeps_what_was_typed(client, page):
    url, _, _ = page
    stale = _version(client.get(url).content.decode())
    bo = respondent_client(link_token("bo@vendor.example"))
    assert save(bo, [{"question": "REP-01", "value": "Bo's words"}]).status_code == 200
    response = client.post(
        f"{url}save/", {"question": "REP-01", "value": "Ann's words", "version": stale}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this answer" in html
    assert "Ann&#x27;s words</textarea>" in html  # what Ann typed, still in the form
    assert "Bo&#x27;s words" in html  # what is saved now
    assert _stored() == {"REP-01": "Bo's words"}
    # Saving again from the fresh form replaces it, deliberately.
    again = client.post(
        f"{url}save/", {"question": "REP-01", "value": "Ann's words", "version": _version(html)}
    )
    assert again.status_code == 302
    assert _stored() == {"REP-01": "Ann's words"}


@pytest.mark.parametrize(
    ("post", "status", "message"),
    [
        ({"question": "REP-02", "value": "twelve", "version": "0"}, 400, "Enter a number"),
        ({"question": "SOC-01", "value": "nope", "version": "0"}, 400, "Expected one of"),
        ({"question": "GOV-01", "value": "yes", "version": "0"}, 400, "out of date"),
        ({"question": "SOC-02", "value": "yes", "version": "x"}, 400, "out of date"),
        ({"question": "SOC-02", "value": "yes"}, 400, "out of date"),
    ],
)
def test_bad_posts_are_clear_pages(client, page, post, status, message):
    url, _, _ = page
    response = client.post(f"{url}save/", post)
    assert response.status_code == status
    assert message in response.content.decode()
    assert _stored() == {}


def test_clarifications_on_the_page(client, page, admin_client):
    url, _, base = page
    version = _version(client.get(url).content.decode())
    client.post(f"{url}save/", {"question": "REP-01", "value": "text", "version": version})
    client.post(f"{url}submit/")
    admin_client.post(
        f"{base}/review/",
        [{"question": "REP-01", "decision": "return", "message": "Which tool makes it?"}],
        format="json",
    )
    # The return's email brought a new link: the one before is unknown now.
    assert client.get(url).status_code == 404
    url = f"/respond/{link_token('ann@vendor.example')}/"
    html = client.get(url).content.decode()
    assert "Which tool makes it?" in html
    assert 'for="r-REP-01"' in html
    assert 'id="v-SOC-01"' not in html and "Save answer to SOC-02" not in html
    refused = client.post(f"{url}submit/")
    assert refused.status_code == 409
    assert "REP-01" in refused.content.decode()
    empty = client.post(f"{url}reply/", {"question": "REP-01", "message": "  "})
    assert empty.status_code == 400
    sent = client.post(f"{url}reply/", {"question": "REP-01", "message": "Our PSA tool."})
    assert sent.status_code == 302
    assert client.post(f"{url}submit/").status_code == 302
    answers = admin_client.get(f"{base}/answers/").json()["answers"]
    thread = next(a for a in answers if a["question"] == "REP-01")["messages"]
    assert [m["body"] for m in thread] == ["Which tool makes it?", "Our PSA tool."]


def test_forms_need_the_csrf_token(page):
    url, _, _ = page
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    post = {"question": "SOC-02", "value": "yes", "version": _version(html)}
    assert browser.post(f"{url}save/", post).status_code == 403
    assert browser.post(f"{url}save/", {**post, "csrfmiddlewaretoken": token}).status_code == 302
    assert _stored() == {"SOC-02": True}
