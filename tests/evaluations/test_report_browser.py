"""The printable HTML report in a real browser (headless Chromium).

Checks that the page loads with no console message at all (it has no scripts,
so any message is a blocked resource, a CSP violation or a parse problem), that
the three charts are in the rendered DOM as SVG, and that a screenshot shows
something. Locally the test is skipped when Chromium is missing; in CI
(``CI=true``, where ``.ci/run`` installs it from apt first) its absence fails
the run.
"""

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from matplotlib.image import imread

from needs import services as needs
from tests.browser import CHROMIUM
from tests.evaluations.seed_reports import PROFILE
from tests.evaluations.test_reports_api import build_comparison, request_report
from tests.services import require

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
CONSOLE = re.compile(r"CONSOLE[^\]]*\] (.*)")
CHART_IDS = ("chart-ranking", "chart-heatmap", "chart-win-probability")


@pytest.fixture(scope="session")
def chromium():
    require(
        Path(CHROMIUM).exists(),
        f"{CHROMIUM} is missing; install it with `apt-get update && apt-get install -y chromium`",
    )
    return CHROMIUM


def run_chromium(binary: str, workdir: Path, page: Path, *extra: str):
    profile = workdir / f"profile-{uuid.uuid4().hex}"
    try:
        result = subprocess.run(  # noqa: S603 (fixed binary, our own arguments)
            [binary, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def console_messages(stderr: str) -> list[str]:
    return CONSOLE.findall(stderr)


@pytest.fixture
def html_report(organization, admin_client, django_capture_on_commit_callbacks, tmp_path):
    assessment = needs.create_assessment(
        organization=organization, user=None, name="Clinic", profile=PROFILE
    )
    evaluation = build_comparison(
        organization, lead=admin_client.membership, needs_assessment=assessment
    )
    response = request_report(
        admin_client, evaluation, {"seed": 3}, capture=django_capture_on_commit_callbacks
    )
    job = admin_client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    report_id = job["result"]["report"]
    download = admin_client.get(f"/api/v1/reports/{report_id}/download/?format=html")
    assert download.status_code == 200
    page = tmp_path / "report.html"
    page.write_bytes(download.content)
    return page


@pytest.mark.django_db
def test_console_detection_works_on_this_browser(chromium, tmp_path):
    """A canary: a page that breaks its CSP must show up, or the real check proves nothing."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'\"></head><body>"
        '<img src="https://example.invalid/x.png"></body></html>'
    )
    result = run_chromium(chromium, tmp_path, page, "--dump-dom")
    assert console_messages(result.stderr), result.stderr[-2000:]


@pytest.mark.django_db
def test_html_report_renders_cleanly_with_its_charts(chromium, html_report, tmp_path):
    dom = run_chromium(chromium, tmp_path, html_report, "--dump-dom")
    assert console_messages(dom.stderr) == []
    for chart in CHART_IDS:
        match = re.search(rf'<svg id="{chart}"[^>]*>(.*?)</svg>', dom.stdout, re.DOTALL)
        assert match, f"{chart} is not in the rendered page"
        assert match.group(1).count("<path") >= 5, f"{chart} draws nothing"
    assert "Acme ranks first" in dom.stdout
    assert re.search(
        r'<section id="needs">\s*<h2>Needs assessment</h2>\s*<p><strong>Clinic', dom.stdout
    )

    screenshot = tmp_path / "report.png"
    shot = run_chromium(
        chromium, tmp_path, html_report, f"--screenshot={screenshot}", "--window-size=1400,4200"
    )
    assert console_messages(shot.stderr) == []
    pixels = imread(screenshot)
    assert pixels.shape[:2] == (4200, 1400)
    assert pixels[..., :3].std() > 0.05, "the screenshot is blank"
    print(f"screenshot: {screenshot}")
