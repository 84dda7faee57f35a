"""A provider's contact answers in a real browser (headless Chromium, as a phone),
from the link in the email a real SMTP server received; the buyer reviews over the
API against the same live server, and the scorecard scores the accepted answers.

The respondent's side is only what a person does in the pages: open the link,
fill every kind of form, upload a PDF, save, reload, submit, answer the
clarification, change the returned answer, submit again.
"""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accounts.services import bootstrap_organization
from providers.models import Provider
from tests.browser import accessibility_problems, click_and_load
from tests.evaluations.builders import make_evaluation, make_version
from tests.mail import mail_to

CONTACT = "dana@harbor.example"
LINK = re.compile(r"https?://[^\s\"'<>]+/respond/rsp_[A-Za-z0-9_-]+/")
SECTIONS = [
    {
        "code": "soc",
        "title": "Security operations",
        "weight": 3,
        "questions": [
            {
                "code": "SOC-01",
                "kind": "single_choice",
                "text": "Who runs the SOC that watches our systems?",
                "help_text": "Your own analysts, or a partner's under your brand.",
                "weight": 2,
                "options": [
                    {"value": "own", "label": "Our own SOC", "score": 1.0},
                    {"value": "white_label", "label": "A partner's, white-labelled", "score": 0.3},
                ],
            },
            {"code": "SOC-02", "kind": "boolean", "text": "Is it staffed 24/7?"},
            {
                "code": "SOC-03",
                "kind": "multi_choice",
                "text": "Which of these do you run yourselves?",
                "options": [
                    {"value": "edr", "label": "EDR", "score": 0.4},
                    {"value": "siem", "label": "SIEM", "score": 0.4},
                    {"value": "ir", "label": "Incident response", "score": 0.4},
                ],
            },
            {"code": "SOC-04", "kind": "scale", "text": "How mature is your triage?"},
        ],
    },
    {
        "code": "rep",
        "title": "Reporting",
        "questions": [
            {"code": "REP-01", "kind": "text", "text": "Describe your monthly report."},
            {
                "code": "REP-02",
                "kind": "number",
                "text": "How many reports do we get a year?",
                "bands": [{"max": 4, "score": 0.2}, {"max": 11, "score": 0.6}, {"score": 1.0}],
            },
            {"code": "REP-03", "kind": "evidence", "text": "Attach a sample monthly report."},
        ],
    },
]
ANSWER_TEXT = "A PDF each month:\nincidents, patch status and open risks."


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` on it, cross-reference table and all."""
    stream = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class Buyer:
    """The buyer's integration: the API over HTTP with its token."""

    def __init__(self, base_url: str, token: str):
        self.http = httpx.Client(
            base_url=f"{base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}
        )

    def call(self, method: str, path: str, body=None, expect: int = 200) -> dict:
        response = self.http.request(method, path, json=body, timeout=30)
        assert response.status_code == expect, (method, path, response.text[:2000])
        return response.json()


def emailed_link(smtp_server, live_server, nth: int = 1) -> str:
    """The link in the ``nth`` email the contact received (each replaces the last)."""
    received = mail_to(smtp_server, CONTACT, nth)
    assert len(received) == nth, [m["Subject"] for m in received]
    message = received[-1]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    (link,) = LINK.findall(text)
    assert link in html, "the HTML part links elsewhere than the text part"
    assert urlsplit(link).netloc == urlsplit(live_server.url).netloc
    return link


def question(driver, code: str):
    return driver.find_element(By.ID, f"q-{code}")


def save(driver, code: str) -> None:
    block = question(driver, code)
    click_and_load(driver, block.find_element(By.CSS_SELECTOR, "form[action$='/save/'] button"))
    assert f"Saved your answer to {code}." in status_messages(driver)


def status_messages(driver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "[role=status]"))


def choose(driver, code: str, *values: str) -> None:
    for value in values:
        question(driver, code).find_element(By.CSS_SELECTOR, f"input[value='{value}']").click()


def type_into(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def checked(driver, code: str) -> set[str]:
    boxes = question(driver, code).find_elements(By.CSS_SELECTOR, "input[name=value]")
    return {box.get_attribute("value") for box in boxes if box.is_selected()}


def fill_everything(driver, document_id: int) -> None:
    choose(driver, "SOC-01", "white_label")
    save(driver, "SOC-01")
    choose(driver, "SOC-02", "yes")
    save(driver, "SOC-02")
    choose(driver, "SOC-03", "edr", "siem")
    save(driver, "SOC-03")
    Select(driver.find_element(By.ID, "v-SOC-04")).select_by_value("4")
    save(driver, "SOC-04")
    type_into(driver, "v-REP-01", ANSWER_TEXT)
    save(driver, "REP-01")
    type_into(driver, "v-REP-02", "12")
    save(driver, "REP-02")
    type_into(driver, "v-REP-03", str(document_id))
    save(driver, "REP-03")


def assert_everything_kept(driver, document_id: int) -> None:
    assert checked(driver, "SOC-01") == {"white_label"}
    assert checked(driver, "SOC-02") == {"yes"}
    assert checked(driver, "SOC-03") == {"edr", "siem"}
    assert Select(driver.find_element(By.ID, "v-SOC-04")).first_selected_option.text == "4 of 5"
    textarea = driver.find_element(By.ID, "v-REP-01")
    assert textarea.get_attribute("value").replace("\r\n", "\n") == ANSWER_TEXT
    assert driver.find_element(By.ID, "v-REP-02").get_attribute("value") == "12"
    assert driver.find_element(By.ID, "v-REP-03").get_attribute("value") == str(document_id)
    evidence = driver.find_element(By.ID, "evidence").text
    assert f"Document {document_id}: Sample monthly report (monthly-report.pdf" in evidence


@pytest.mark.django_db(transaction=True)
def test_a_contact_answers_in_the_browser_and_the_accepted_answers_are_scored(
    live_server, smtp_server, settings, phone_browser, tmp_path
):
    driver = phone_browser
    settings.SITE_URL = live_server.url
    organization, lead, token = bootstrap_organization(
        name="Clinic Buyers", slug="clinic", username="lead", email="lead@clinic.example"
    )
    provider = Provider.objects.create(organization=organization, name="Harbor Shield")
    evaluation = make_evaluation(
        organization, make_version(organization, SECTIONS), lead=lead, providers=[provider]
    )
    candidate = evaluation.candidates.get()
    buyer = Buyer(live_server.url, token)
    requests_path = f"/evaluations/{evaluation.pk}/response-requests/"
    sent = buyer.call(
        "POST",
        requests_path,
        {
            "candidate": candidate.pk,
            "due_date": (date.today() + timedelta(days=10)).isoformat(),
            "message": "Please answer by the due date.",
            "contacts": [{"name": "Dana Reyes", "email": CONTACT}],
        },
        expect=201,
    )
    link = emailed_link(smtp_server, live_server)

    # 1. The link opens the questionnaire, usable on a phone and by a screen reader.
    driver.get(link)
    assert driver.find_element(By.TAG_NAME, "h1").text == (
        "Clinic Buyers asks Harbor Shield to respond"
    )
    assert accessibility_problems(driver) == []
    soc01 = question(driver, "SOC-01")
    assert "Your own analysts, or a partner's" in soc01.text

    # 2. Evidence first: the PDF's document number is what the evidence answer cites.
    pdf = tmp_path / "monthly-report.pdf"
    pdf.write_bytes(tiny_pdf("Harbor Shield monthly report"))
    type_into(driver, "upload-title", "Sample monthly report")
    Select(driver.find_element(By.ID, "upload-kind")).select_by_value("sample_monthly_report")
    driver.find_element(By.ID, "upload-file").send_keys(str(pdf))
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "#evidence button"))
    uploaded = re.search(
        r"Uploaded monthly-report\.pdf as document (\d+)\.", status_messages(driver)
    )
    assert uploaded, status_messages(driver)
    document_id = int(uploaded.group(1))

    # 3. Every kind of form, saved one by one; a reload from the email loses nothing.
    fill_everything(driver, document_id)
    driver.get(link)
    assert_everything_kept(driver, document_id)
    answers_path = f"{requests_path}{sent['id']}/answers/"
    stored = {a["question"]: a["value"] for a in buyer.call("GET", answers_path)["answers"]}
    assert stored == {
        "SOC-01": "white_label",
        "SOC-02": True,
        "SOC-03": ["edr", "siem"],
        "SOC-04": 4,
        "REP-01": ANSWER_TEXT,
        "REP-02": 12,
        "REP-03": [document_id],
    }

    # A value the question cannot take: the page says why, next to the field, keeps
    # what was typed, and the saved answer stays as it was.
    type_into(driver, "v-REP-03", "the March report")
    click_and_load(driver, question(driver, "REP-03").find_element(By.CSS_SELECTOR, "form button"))
    error = driver.find_element(By.ID, "e-REP-03")
    assert error.get_attribute("role") == "alert" and "document numbers" in error.text
    assert driver.find_element(By.ID, "v-REP-03").get_attribute("value") == "the March report"
    assert accessibility_problems(driver) == []
    driver.get(link)
    assert driver.find_element(By.ID, "v-REP-03").get_attribute("value") == str(document_id)

    # 4. Submit: the page says it is with the buyer, and offers no form any more.
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/submit/'] button"))
    assert "Submitted for review" in driver.find_element(By.CSS_SELECTOR, "p.status").text
    assert driver.find_elements(By.CSS_SELECTOR, "form[action$='/save/']") == []

    # 5. The buyer returns SOC-01 with a clarification question.
    review_path = f"{requests_path}{sent['id']}/review/"
    clarification = "A partner's SOC? Whose, and since when?"
    returned = buyer.call(
        "POST",
        review_path,
        [{"question": "SOC-01", "decision": "return", "message": clarification}],
    )
    assert returned["status"] == "returned"

    # 6. The return is emailed with a new link; from it the respondent sees the
    # question in its thread, answers it, changes the answer (only the returned
    # question has a form), and submits again.
    link = emailed_link(smtp_server, live_server, nth=2)
    driver.get(link)
    thread = question(driver, "SOC-01").find_element(By.CSS_SELECTOR, ".thread")
    assert "Clinic Buyers, " in thread.text and clarification in thread.text
    assert [
        f.find_element(By.XPATH, "..").get_attribute("id")
        for f in driver.find_elements(By.CSS_SELECTOR, "form[action$='/save/']")
    ] == ["q-SOC-01"]
    assert accessibility_problems(driver) == []
    type_into(driver, "r-SOC-01", "Our mistake: the SOC is ours, in Leeds, since 2019.")
    click_and_load(
        driver,
        question(driver, "SOC-01").find_element(By.CSS_SELECTOR, "form[action$='/reply/'] button"),
    )
    assert "Sent your answer to the clarification of SOC-01." in status_messages(driver)
    choose(driver, "SOC-01", "own")
    save(driver, "SOC-01")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/submit/'] button"))
    assert "Submitted for review" in driver.find_element(By.CSS_SELECTOR, "p.status").text

    # 7. The buyer accepts every answer; the page says so.
    accepted = buyer.call(
        "POST",
        review_path,
        [{"question": code, "decision": "accept"} for code in stored],
    )
    assert accepted["status"] == "accepted"
    sides = [
        m["side"] for a in accepted["answers"] if a["question"] == "SOC-01" for m in a["messages"]
    ]
    assert sides == ["buyer", "respondent"]
    driver.get(link)
    assert (
        "The buyer accepted every answer." in driver.find_element(By.CSS_SELECTOR, "p.status").text
    )

    # 8. Scoring uses the accepted answers: SOC-01 as changed after the clarification.
    job = buyer.call("POST", f"/evaluations/{evaluation.pk}/score/", expect=202)
    assert buyer.call("GET", f"/jobs/{job['id']}/")["status"] == "succeeded"
    (card,) = buyer.call("GET", f"/evaluations/{evaluation.pk}/scorecards/")
    detail = buyer.call("GET", f"/scorecards/{card['id']}/")
    scores = {q["code"]: (q["answered"], q["x"]) for q in detail["questions"]}
    assert scores == {
        "SOC-01": (True, 1.0),  # "own", not the first "white_label" (0.3)
        "SOC-02": (True, 1.0),
        "SOC-03": (True, 0.8),  # two options of 0.4
        "SOC-04": (True, 0.8),  # 4 of 5
        "REP-01": (False, 0.0),  # text and evidence are judged: no rating yet
        "REP-02": (True, 1.0),  # 12 a year: past the last band with a maximum
        "REP-03": (False, 0.0),
    }
    answers = buyer.call("GET", f"/evaluations/{evaluation.pk}/answers/?candidate={candidate.pk}")
    assert {a["question"]: a["value"] for a in answers["results"]}["SOC-01"] == "own"
