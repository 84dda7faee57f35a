"""The console in a real browser (headless Chromium) against a live server, the
way a person uses it: sign in on the login page, create a provider through the
generated form (an enum, a multi-value field, a field error from the API), then
the workflow pages: declare and rate on the blind rating sheet, score and compare,
build a report and download it, and find the contracted provider in the portfolio.

With ``CONSOLE_SCREENSHOTS=<folder>`` the main pages are saved there as PNG
(docs/console/ holds the ones docs/console.md shows).
"""

import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from accounts.services import bootstrap_organization
from contracts import performance, services
from contracts.models import Finding
from evaluations.models import RatingSheet, Scorecard
from providers.models import Provider, SlaTerm
from tests.browser import WAIT_SECONDS
from tests.evaluations.builders import assign, make_evaluation, make_version

PASSWORD = "console lead passphrase"
SECTIONS = [
    {
        "code": "delivery",
        "questions": [
            {
                "code": "REP-01",
                "kind": "scale",
                "scoring": "judged",
                "scale_max": 5,
                "text": "How clear is their monthly report?",
            }
        ],
    }
]
BAD_WEBSITE = "not a web address"


def wait_for(driver, css: str, timeout: int = WAIT_SECONDS):
    return WebDriverWait(driver, timeout).until(
        expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
    )


def wait_for_text(driver, css: str, text: str, timeout: int = WAIT_SECONDS) -> None:
    WebDriverWait(driver, timeout).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
    )


def screenshot(driver, name: str) -> None:
    folder = os.environ.get("CONSOLE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def choose(driver, field: str, *values: str) -> None:
    """Pick options of a generated select (MUI: a combobox beside a hidden input)."""
    driver.find_element(
        By.XPATH, f"//input[@name='{field}']/preceding-sibling::div[@role='combobox']"
    ).click()
    for value in values:
        wait_for(driver, f"li[role=option][data-value='{value}']").click()
    if len(values) > 1 or driver.find_elements(By.CSS_SELECTOR, "li[role=option]"):
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, WAIT_SECONDS).until_not(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "li[role=option]"))
    )


def submit_form(driver) -> None:
    button = driver.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


@pytest.mark.django_db(transaction=True)
def test_a_lead_works_through_the_console(live_server, desktop_browser, settings):
    driver = desktop_browser
    settings.SITE_URL = live_server.url
    organization, lead, token = bootstrap_organization(
        name="Clinic Buyers", slug="clinic", username="lead", password=PASSWORD
    )
    providers = [
        Provider.objects.create(organization=organization, name=name, slug=slug)
        for name, slug in (("Harbor Shield", "harbor-shield"), ("Northwind Secure", "northwind"))
    ]
    evaluation = make_evaluation(
        organization,
        make_version(organization, SECTIONS),
        lead=lead,
        providers=providers,
        ratings_due=date.today() + timedelta(days=5),
    )
    assign(evaluation, lead, declared=False)

    # Signing in: the console sends a stranger to the login page and back.
    driver.get(f"{live_server.url}/console/")
    assert "/accounts/login/" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys("lead")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait_for_text(driver, "ul.evaluations", evaluation.name)
    assert driver.current_url == f"{live_server.url}/console/"
    screenshot(driver, "dashboard")

    # A provider from the generated form: a bad website comes back as the API's
    # message on that input, and nothing is created.
    driver.get(f"{live_server.url}/console/providers/create")
    wait_for(driver, "input[name=name]").send_keys("Acme IT")
    driver.find_element(By.NAME, "website").send_keys(BAD_WEBSITE)
    choose(driver, "employee_band", "11-50")
    choose(driver, "service_models", "msp", "mssp")
    choose(driver, "soc_model", "own")
    submit_form(driver)
    expected = httpx.post(
        f"{live_server.url}/api/v1/providers/",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "Acme IT", "website": BAD_WEBSITE},
    ).json()
    (message,) = [item["message"] for item in expected["errors"] if item["field"] == "website"]
    wait_for_text(driver, ".MuiFormHelperText-root.Mui-error", message)
    website = driver.find_element(By.NAME, "website")
    assert website.get_attribute("aria-invalid") == "true"
    assert not Provider.objects.filter(name="Acme IT").exists()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", website)
    screenshot(driver, "provider-field-error")

    website.send_keys(Keys.CONTROL, "a")
    website.send_keys("https://acme.example")
    submit_form(driver)
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: "/create" not in d.current_url)
    created = Provider.objects.get(organization=organization, name="Acme IT")
    assert created.employee_band == "11-50"
    assert sorted(created.service_models) == ["msp", "mssp"]
    assert created.soc_model == "own"
    assert created.website == "https://acme.example"

    # The blind rating sheet: the declaration first, then a sheet per candidate.
    driver.get(f"{live_server.url}/console/evaluations/{evaluation.pk}/rate")
    wait_for(driver, "form.declaration")
    assert not driver.find_elements(By.CSS_SELECTOR, "form.sheet")
    screenshot(driver, "declaration")
    driver.find_element(By.CSS_SELECTOR, "form.declaration button[type=submit]").click()
    wait_for(driver, "form.sheet")
    screenshot(driver, "rating-sheet")
    for score, candidate in zip((5, 2), evaluation.candidates.order_by("id"), strict=True):
        sheet = f"form.sheet[data-candidate='{candidate.pk}']"
        driver.find_element(By.CSS_SELECTOR, f"{sheet} input[name=score-REP-01]").send_keys(
            str(score)
        )
        driver.find_element(By.XPATH, f"//*[@data-candidate='{candidate.pk}']//button[2]").click()
        WebDriverWait(driver, WAIT_SECONDS).until_not(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, sheet))
        )
    assert RatingSheet.objects.filter(candidate__evaluation=evaluation).count() == 2

    # The comparison: scoring runs as a job the page follows, then ranks the lot.
    driver.get(f"{live_server.url}/console/evaluations/{evaluation.pk}/compare")
    wait_for_text(driver, "h2", evaluation.name)
    driver.find_element(By.XPATH, "//button[text()='Score now']").click()
    wait_for(driver, ".job[data-status=succeeded]")
    wait_for(driver, "table.ranking tbody tr")
    latest = Scorecard.objects.filter(evaluation=evaluation, is_latest=True)
    ranked = [card.candidate.provider.name for card in latest.order_by("rank")]
    rows = driver.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr td:nth-child(2)")
    assert [row.text for row in rows] == ranked == ["Harbor Shield", "Northwind Secure"]

    # A report, built in the background, downloaded with the session.
    driver.find_element(By.XPATH, "//button[text()='Build a report']").click()
    link = wait_for(driver, "ul.reports a[href$='format=html']")
    screenshot(driver, "comparison")
    download = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(async (r) => done([r.status,"
        " r.headers.get('Content-Type'), await r.text()]));",
        link.get_attribute("href"),
    )
    status, content_type, body = download
    assert status == 200 and content_type.startswith("text/html")
    assert "Harbor Shield" in body and "Northwind Secure" in body

    # The portfolio: the contracted provider with its notice deadline passed, its
    # breached SLA and its open finding, linking to the contract.
    SlaTerm.objects.create(
        provider=providers[0],
        metric="incident_response_time",
        target_value=30,
        unit="minutes",
        remedy_type="service_credit",
        remedy_details="5% of the monthly fee per miss.",
    )
    contract = services.create_contract(
        organization,
        lead.user,
        {
            "provider": providers[0],
            "title": "Managed detection",
            "currency": "EUR",
            "monthly_fee": Decimal("1025.00"),
            "start_date": date.today() - timedelta(days=300),
            "term_months": 12,
            "notice_period_days": 90,
        },
    )
    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    performance.save_measurement(
        contract.sla_terms.get(), {"period": last_month, "measured_value": Decimal("45")}
    )
    Finding.objects.create(
        organization=organization,
        provider=providers[0],
        contract=contract,
        source="manual",
        title="No tested restore",
        severity="high",
    )
    driver.get(f"{live_server.url}/console/")
    wait_for(driver, "a.portfolio-link").click()
    wait_for_text(driver, "table.portfolio tbody", "Harbor Shield")
    [row] = driver.find_elements(By.CSS_SELECTOR, "table.portfolio tr.provider")
    assert "notice-passed" in row.get_attribute("class").split()
    assert "passed" in row.find_element(By.CSS_SELECTOR, "td.notice").text
    assert row.find_element(By.CSS_SELECTOR, "td.sla").text == "breached"
    # The hand-made finding (the breach raises one of its own).
    assert "1 high" in row.find_element(By.CSS_SELECTOR, "td.findings").text
    screenshot(driver, "portfolio")
    row.find_element(By.LINK_TEXT, "Managed detection").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.current_url.endswith(f"/console/contracts/{contract.pk}/show")
    )
