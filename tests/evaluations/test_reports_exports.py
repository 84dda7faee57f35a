"""Report downloads: JSON, CSV, XLSX and HTML, with content types and file names."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from evaluations.reports.xlsx_export import SHEETS
from evaluations.services import reports as report_service
from jobs import services as jobs
from providers.models import Provider
from tests.evaluations.test_reports_api import OPTIONS_SOC, build_comparison, built_report


@pytest.fixture
def report(organization, admin_client, django_capture_on_commit_callbacks):
    evaluation = build_comparison(organization, lead=admin_client.membership)
    return built_report(admin_client, evaluation, django_capture_on_commit_callbacks)


def download(client, report, fmt=None):
    query = f"?format={fmt}" if fmt else ""
    return client.get(f"/api/v1/reports/{report['id']}/download/{query}")


@pytest.mark.django_db
class TestDownloads:
    def test_json_is_the_api_representation(self, report, admin_client):
        response = download(admin_client, report)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        expected = f'attachment; filename="report-{report["id"]}-pick-an-mssp.json"'
        assert response["Content-Disposition"] == expected
        assert json.loads(response.content) == report

    def test_csv_is_the_matrix(self, report, admin_client):
        response = download(admin_client, report, "csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].endswith('.csv"')
        everything = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        rows = [r for r in everything if r["level"] != "award"]
        # Per candidate: overall + 3 sections + 6 questions, in the one lot `all`.
        assert len(rows) == 3 * 10
        assert {r["lot"] for r in everything} == {"all"}
        # Then one award per qualified candidate (Cyra is disqualified), best first.
        awards = [r for r in everything if r["level"] == "award"]
        assert [(r["rank"], r["provider"], r["flags"]) for r in awards] == [
            ("1", "Acme", "best"),
            ("2", "Bolt", ""),
        ]
        assert awards[0]["score"] == next(r["score"] for r in rows if r["level"] == "overall")
        overall = [r for r in rows if r["level"] == "overall"]
        assert [(r["rank"], r["provider"]) for r in overall] == [
            ("1", "Acme"),
            ("2", "Bolt"),
            ("3", "'=Cyra"),  # never a formula in a spreadsheet
        ]
        bolt_soc = next(r for r in rows if r["provider"] == "Bolt" and r["code"] == "SOC-01")
        assert bolt_soc["score"] == "30.0"
        assert bolt_soc["answer"] == "White-labelled"
        assert "red_flag:soc_ownership" in bolt_soc["flags"]
        assert "failed_knockout:SOC-02" in overall[2]["flags"]

    def test_xlsx_has_one_sheet_per_view(self, report, admin_client):
        response = download(admin_client, report, "xlsx")
        assert response.status_code == 200
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert response["Content-Disposition"].endswith('.xlsx"')
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == list(SHEETS)
        ranking = list(workbook["Ranking"].iter_rows(values_only=True))
        assert ranking[0][:2] == ("Rank", "Provider")
        assert [row[1] for row in ranking[1:]] == ["Acme", "Bolt", "=Cyra"]
        cell = workbook["Ranking"]["B4"]
        assert cell.data_type == "s"  # stored as text, not a formula
        sections = list(workbook["Sections"].iter_rows(values_only=True))
        assert sections[0][4:] == ("1. Acme", "2. Bolt", "3. =Cyra")

    def test_html_has_the_three_charts_and_nothing_external(self, report, admin_client):
        response = download(admin_client, report, "html")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert response["Content-Disposition"].endswith('.html"')
        assert "default-src 'none'" in response["Content-Security-Policy"]
        html = response.content.decode()
        for chart in ("chart-ranking", "chart-heatmap", "chart-win-probability"):
            assert f'<svg id="{chart}"' in html
        assert "@media print" in html
        assert "<script" not in html
        assert 'src="http' not in html and "url(http" not in html
        assert "&lt;" not in report["content"]["title"]

    def test_exports_are_reproducible_byte_for_byte(self, report, admin_client):
        for fmt in ("json", "csv", "html"):
            assert download(admin_client, report, fmt).content == (
                download(admin_client, report, fmt).content
            ), fmt

    def test_unknown_format_is_a_400_problem(self, report, admin_client):
        response = download(admin_client, report, "pdf")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["errors"][0]["field"] == "format"

    def test_names_are_escaped_in_html(self, organization, admin_client):
        evaluation = build_comparison(organization, lead=admin_client.membership)
        Provider.objects.filter(organization=organization, name="Bolt").update(
            name="<script>alert(1)</script>"
        )
        job = jobs.create_job(
            organization,
            "report",
            params={"evaluation_id": evaluation.pk, "seed": 1, "trials": 100, "spread": 0.25},
        )
        created = report_service.generate_report(job)
        html = download(admin_client, {"id": created.pk}, "html").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "kind, value, expected",
    [
        ("boolean", True, "Yes"),
        ("boolean", False, "No"),
        ("single_choice", "own", "Own SOC"),
        ("single_choice", "gone", "gone"),  # an option no longer offered
        ("multi_choice", ["own", "white_label", {"odd": 1}], "Own SOC; White-labelled; {'odd': 1}"),
        ("scale", 3, "3/5"),
        ("number", 12.5, "12.5"),
        ("evidence", [4, 9], "Documents: 4, 9"),
        ("text", "x" * 3000, "x" * 2000),
        ("text", None, ""),
    ],
)
def test_answers_read_as_text(kind, value, expected):
    from evaluations.services.report_content import answer_text
    from questionnaires.models import Question

    question = Question(code="Q", kind=kind, options=OPTIONS_SOC, scale_max=5)
    assert answer_text(question, value) == expected
