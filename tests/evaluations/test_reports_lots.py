"""Comparison reports of a sourcing event: lot by lot, with the awards.

The four-lot event of test_sourcing_event runs through the API; the report's
figures are checked against the scorecards and an independent brute force.
"""

import csv
import io
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from evaluations.models import Answer, Report
from evaluations.services.report_content import build_snapshot
from tests.evaluations.sourcing import candidate, proposal, sourcing_evaluation
from tests.evaluations.test_sourcing_event import (
    LOTS,
    PROPOSALS,
    brute_force_best,
    event,  # noqa: F401 -- a fixture
    run_event,
    tco,
)


@pytest.fixture
def lot_report(event, django_capture_on_commit_callbacks):  # noqa: F811
    clients, version = event
    admin = clients[Role.ADMIN]
    base, ids, bids = run_event(clients, version, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        job = admin.post(f"{base}/reports/", {"seed": 7, "trials": 200}, format="json").json()
    report_id = admin.get(f"/api/v1/jobs/{job['id']}/").json()["result"]["report"]
    body = admin.get(f"/api/v1/reports/{report_id}/").json()
    return admin, body, ids, bids


def money(value: Fraction) -> str:
    return str(round(Decimal(value.numerator) / Decimal(value.denominator), 2))


def download(client, report, fmt):
    response = client.get(f"/api/v1/reports/{report['id']}/download/", {"format": fmt})
    assert response.status_code == 200, response.content[:500]
    return response


def expected_awards(content, bids):
    """Every feasible award ranked by brute force from the report's own lot blocks."""
    overall, bidders = {}, {}
    for lot in content["lots"]:
        for c in lot["candidates"]:
            overall[c["provider_name"], lot["code"]] = Fraction(str(c["overall"]))
            if not c["disqualified"]:
                bidders.setdefault(lot["code"], []).append(c["provider_name"])
    offers = {name: [(lots, tco(*p)) for lots, *p in rows] for name, rows in PROPOSALS.items()}
    return brute_force_best(bidders, overall, offers)


@pytest.mark.django_db
class TestLotReport:
    def test_lots_carry_ranking_matrices_and_sensitivity(self, lot_report):
        _, report, _, bids = lot_report
        content = report["content"]
        assert [lot["code"] for lot in content["lots"]] == [lot["code"] for lot in LOTS]
        assert content["candidates"] == [] and content["sensitivity"] is None
        soc = next(lot for lot in content["lots"] if lot["code"] == "soc")
        assert [(c["provider_name"], c["rank"], c["disqualified"]) for c in soc["candidates"]] == [
            ("Harbor Shield", 1, False),
            ("Beacon", 2, False),
            ("Sentinel", 3, True),
        ]
        assert {q["code"] for q in soc["questions"]} == {"SOC-KO", "SOC-01"}
        assert [s["code"] for s in soc["sections"]] == ["soc"]
        gov = next(lot for lot in content["lots"] if lot["code"] == "gov")
        assert gov["sensitivity"]["leader_name"] == "Counsel"
        assert gov["sensitivity"]["monte_carlo"]["trials"] == 200
        for lot in content["lots"]:
            names = {c["provider_name"] for c in lot["candidates"]}
            assert names == {n for n, lots in bids.items() if lot["code"] in lots}

    def test_awards_match_a_brute_force(self, lot_report):
        _, report, ids, bids = lot_report
        content = report["content"]
        awards = content["awards"]
        ranked = expected_awards(content, bids)
        assert awards["priced"] is True and awards["currency"] == "EUR"
        assert len(awards["awards"]) == len(ranked) == 4
        for listed, (key, award, quality, cost) in zip(awards["awards"], ranked, strict=True):
            assert listed["assignments"] == {lot: ids[name] for lot, name in award.items()}
            assert listed["quality"] == float(round(quality, 2))
            assert listed["cost"] == money(cost)
            assert listed["value"] == round(float(-key[0]), 2)
        assert awards["min_cost"] == money(min(c for *_, c in ranked))
        # The frontier: the best award and the all-best-quality one; the others cost more
        # for less quality.
        assert [a["assignments"] for a in awards["efficient"]] == [
            awards["awards"][0]["assignments"],
            awards["awards"][1]["assignments"],
        ]
        assert any("The best award gives" in point for point in content["summary_points"])
        assert any(
            point.startswith("Lot soc (Security operations): ")
            for point in content["summary_points"]
        )

    def test_csv_has_the_lot_column_and_award_rows(self, lot_report):
        admin, report, _, _ = lot_report
        rows = list(
            csv.DictReader(io.StringIO(download(admin, report, "csv").content.decode("utf-8-sig")))
        )
        matrix = [r for r in rows if r["level"] != "award"]
        assert {r["lot"] for r in matrix} == {"ops", "soc", "gov", "roadmap"}
        sentinel = next(
            r for r in matrix if r["provider"] == "Sentinel" and r["level"] == "overall"
        )
        assert sentinel["lot"] == "soc" and "failed_knockout:SOC-KO" in sentinel["flags"]
        awards = [r for r in rows if r["level"] == "award"]
        assert len(awards) == 4 * 4  # four awards, one row per lot each
        best = [r for r in awards if r["rank"] == "1"]
        assert [(r["code"], r["provider"]) for r in best] == [
            ("ops", "Atlas IT"),
            ("soc", "Harbor Shield"),
            ("gov", "Harbor Shield"),
            ("roadmap", "Atlas IT"),
        ]
        assert all("best" in r["flags"] for r in best)
        assert best[0]["answer"].startswith("Q 97.50; V ")

    def test_xlsx_has_an_awards_sheet_and_lot_blocks(self, lot_report):
        admin, report, _, _ = lot_report
        workbook = load_workbook(io.BytesIO(download(admin, report, "xlsx").content))
        awards = list(workbook["Awards"].iter_rows(values_only=True))
        assert awards[0][:5] == ("Place", "Lot ops", "Lot soc", "Lot gov", "Lot roadmap")
        assert awards[1][:5] == (1, "Atlas IT", "Harbor Shield", "Harbor Shield", "Atlas IT")
        assert any(row[0] == "Tipping point" for row in awards)
        ranking = [row for row in workbook["Ranking"].iter_rows(values_only=True)]
        assert [row[0] for row in ranking if str(row[0]).startswith("Lot ")] == [
            "Lot ops",
            "Lot soc",
            "Lot gov",
            "Lot roadmap",
        ]

    def test_html_has_the_awards_chart_with_the_frontier_marked(self, lot_report):
        admin, report, _, _ = lot_report
        html = download(admin, report, "html").content.decode()
        assert '<section id="awards">' in html
        chart = html[html.index('<svg id="chart-awards"') :]
        chart = chart[: chart.index("</svg>")]
        marks = re.findall(r'<g id="chart-awards-(award|efficient)-(\d+)"', chart)
        # Four awards listed, two of them efficient: one mark each.
        assert sorted(marks) == [
            ("award", "3"),
            ("award", "4"),
            ("efficient", "1"),
            ("efficient", "2"),
        ]
        assert 'aria-label="Quality versus cost of the candidate awards"' in html
        for code in ("ops", "soc", "gov", "roadmap"):
            assert f'<svg id="chart-ranking-{code}"' in html
            assert f'id="lot-{code}"' in html
        assert "<script" not in html and 'src="http' not in html

    def test_the_report_round_trips_through_its_serializer(self, lot_report):
        from evaluations.api.serializers_reports import ReportContentSerializer

        _, report, _, _ = lot_report
        stored = Report.objects.get(pk=report["id"]).snapshot
        assert ReportContentSerializer(stored).data["awards"] == stored["awards"]
        assert ReportContentSerializer(stored).data["lots"][1]["code"] == "soc"


def _priced_event(organization, lead, bidders: int):
    from evaluations.services import scoring

    evaluation = sourcing_evaluation(organization, lead, status="collecting")
    knockout = evaluation.questionnaire_version.questions.get(code="SOC-02")
    for _ in range(bidders):
        row = candidate(evaluation)
        proposal(row)
        Answer.objects.create(candidate=row, question=knockout, value=True)
    scoring.score_evaluation(evaluation.pk)
    return evaluation


@pytest.mark.django_db
def test_report_queries_do_not_grow_with_candidates(organization, count_queries):
    from django.utils import timezone

    from tests.factories import MembershipFactory

    lead = MembershipFactory(organization=organization, role=Role.ADMIN)
    counts = []
    for bidders in (2, 6):
        evaluation = _priced_event(organization, lead, bidders)
        with count_queries() as queries:
            snapshot = build_snapshot(
                evaluation, seed=1, trials=100, spread=0.25, generated_at=timezone.now()
            )
        assert sum(len(lot["candidates"]) for lot in snapshot["lots"]) == 2 * bidders
        assert snapshot["awards"]["feasible"]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
