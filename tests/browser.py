"""Headless Chromium through Selenium, with Debian's browser and driver only.

Both executables are named explicitly, so Selenium Manager (which would look up
and download a browser or a driver) has nothing to do: the fixture makes any
call to it fail the test, and sets ``SE_OFFLINE`` besides. Locally the tests
are skipped when ``chromium`` or ``chromium-driver`` is missing; in CI
(``CI=true``, where ``.ci/run`` installs both) their absence fails the run.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.services import require

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# A phone's screen: the pages must fit it without sideways scrolling.
PHONE = {"width": 390, "height": 844, "pixelRatio": 3.0}
# A laptop's window, in CSS pixels (width,height).
DESKTOP = "1280,800"
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # the tests may run as root, which Chromium's sandbox refuses
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WAIT_SECONDS = 20


@contextmanager
def _chromium(tmp_path, monkeypatch, *, phone: bool):
    """Debian's Chromium and driver, with a user-data directory of its own: as a
    phone, or in a desktop-sized window."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    require(
        not missing,
        f"{' and '.join(missing)} missing: install Debian's packages with "
        "`apt-get install chromium chromium-driver`",
    )
    monkeypatch.setenv("SE_OFFLINE", "true")

    def refuse(*args, **kwargs):
        raise AssertionError("Selenium Manager was called: it could download a browser")

    monkeypatch.setattr(SeleniumManager, "binary_paths", refuse)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    if phone:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    else:
        options.add_argument(f"--window-size={DESKTOP}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def phone_browser(tmp_path, monkeypatch):
    """A Chromium emulating a phone."""
    with _chromium(tmp_path, monkeypatch, phone=True) as driver:
        yield driver


@pytest.fixture
def desktop_browser(tmp_path, monkeypatch):
    """A Chromium with a desktop-sized window (the admin console's screen)."""
    with _chromium(tmp_path, monkeypatch, phone=False) as driver:
        yield driver


def click_and_load(driver, element) -> None:
    """Click a form's button and wait until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, WAIT_SECONDS).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


# Every form control a person uses, and whether assistive technology can name it:
# a <label> (for= or around it), or a fieldset's legend for a group. aria-describedby
# must point at elements that exist.
UNLABELLED_CONTROLS = """
const problems = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const name = el.id || el.name + '=' + el.value;
  if (!el.labels || el.labels.length === 0) problems.push('no label: ' + name);
  for (const ref of (el.getAttribute('aria-describedby') || '').split(/\\s+/)) {
    if (ref && !document.getElementById(ref)) problems.push('describedby ' + ref + ': ' + name);
  }
}
for (const group of document.querySelectorAll('fieldset')) {
  const legend = group.querySelector('legend');
  if (!legend || !legend.textContent.trim()) problems.push('fieldset without legend');
  for (const ref of (group.getAttribute('aria-describedby') || '').split(/\\s+/)) {
    if (ref && !document.getElementById(ref)) problems.push('describedby ' + ref);
  }
}
// An error shown with a form must be read out with the form's controls.
for (const alert of document.querySelectorAll('div:has(> form) > [role=alert]')) {
  const form = alert.parentElement.querySelector('form');
  for (const el of form.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const group = el.closest('fieldset');
    const refs = ((el.getAttribute('aria-describedby') || '') + ' ' +
                  (group ? group.getAttribute('aria-describedby') || '' : '')).split(/\\s+/);
    if (!refs.includes(alert.id)) problems.push('error not tied to ' + (el.id || el.name));
  }
}
for (const button of document.querySelectorAll('button')) {
  if (!button.textContent.trim()) problems.push('button without text');
}
return problems;
"""


def accessibility_problems(driver) -> list[str]:
    """What stops the page being usable on a phone or with a screen reader."""
    problems = list(driver.execute_script(UNLABELLED_CONTROLS))
    if not driver.execute_script("return document.documentElement.lang"):
        problems.append("the page names no language")
    width = driver.execute_script("return window.innerWidth")
    if width != PHONE["width"]:
        # Without a viewport meta a phone lays the page out 980 pixels wide.
        problems.append(f"laid out {width} pixels wide on a {PHONE['width']}-pixel phone")
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"scrolls sideways by {overflow} pixels")
    return problems
