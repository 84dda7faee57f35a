"""Bulk import: JSON and CSV, create/update/unchanged by slug, per-row reports."""

import pytest

from accounts.models import Role, TokenScope
from providers.models import Provider
from providers.services.import_ import MAX_IMPORT_ROWS
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/providers/import/"


def post_json(client, rows, **extra):
    return client.post(URL, {"providers": rows, **extra}, format="json")


def post_csv(client, text, query=""):
    return client.generic("POST", URL + query, text.encode(), content_type="text/csv")


def snapshot(organization):
    return list(
        Provider.objects.filter(organization=organization)
        .order_by("slug")
        .values_list("slug", "name", "soc_model", "service_models", "tags", "updated_at")
    )


class TestJson:
    def test_creates_updates_and_reports_unchanged(self, admin_client, organization):
        existing = ProviderFactory(
            organization=organization, slug="contoso-it", name="Contoso IT", tags=["old"]
        )
        same = ProviderFactory(organization=organization, slug="same", name="Same", tags=[])
        response = post_json(
            admin_client,
            [
                {
                    "name": "Northwind Security",
                    "service_models": ["mssp"],
                    "soc_model": "own",
                    "tags": ["a", "a"],
                },
                {"name": "Contoso IT", "tags": ["new"]},
                {"slug": "same", "name": "Same"},
            ],
        )
        assert response.status_code == 200, response.content
        report = response.json()
        assert report["applied"] is True
        assert report["mode"] == "all_or_nothing"
        assert report["summary"] == {
            "created": 1,
            "updated": 1,
            "unchanged": 1,
            "superseded": 0,
            "invalid": 0,
        }
        created = Provider.objects.get(organization=organization, slug="northwind-security")
        assert [(r["row"], r["slug"], r["action"], r["provider_id"]) for r in report["rows"]] == [
            (1, "northwind-security", "created", created.pk),
            (2, "contoso-it", "updated", existing.pk),
            (3, "same", "unchanged", same.pk),
        ]
        assert created.tags == ["a"]
        assert created.soc_model == "own"
        existing.refresh_from_db()
        assert existing.tags == ["new"]
        assert existing.name == "Contoso IT"  # fields a row leaves out are kept
        old = same.updated_at
        same.refresh_from_db()
        assert same.updated_at == old

    def test_updates_bump_updated_at(self, admin_client, organization):
        provider = ProviderFactory(organization=organization, slug="acme", name="Acme")
        before = provider.updated_at
        post_json(admin_client, [{"slug": "acme", "headquarters": "Akron"}])
        provider.refresh_from_db()
        assert provider.headquarters == "Akron"
        assert provider.updated_at > before

    def test_one_bad_row_changes_nothing(self, admin_client, organization):
        ProviderFactory(organization=organization, slug="keep", name="Keep", tags=["x"])
        before = snapshot(organization)
        response = post_json(
            admin_client,
            [
                {"name": "Fine Co"},
                {"slug": "keep", "tags": ["changed"]},
                {"name": "Broken", "service_models": ["mssp"]},
                {"name": "Also broken", "tags": ["Bad Tag"], "industries": ["space"]},
            ],
        )
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "import_invalid"
        assert body["detail"] == "2 of 4 rows are invalid; nothing was imported."
        report = body["report"]
        assert report["applied"] is False
        assert [row["action"] for row in report["rows"]] == [
            "created",
            "updated",
            "invalid",
            "invalid",
        ]
        assert report["rows"][2]["errors"] == [
            {
                "field": "soc_model",
                "code": "soc_model_required",
                "message": "A provider offering MSSP services must state its SOC model "
                "(own, hybrid, third_party or none).",
            }
        ]
        assert {e["field"] for e in report["rows"][3]["errors"]} == {"tags[0]", "industries[0]"}
        assert {e["field"] for e in body["errors"]} == {
            "providers[2].soc_model",
            "providers[3].tags[0]",
            "providers[3].industries[0]",
        }
        assert snapshot(organization) == before

    def test_nested_records_in_a_row_are_refused_not_dropped(self, admin_client, organization):
        """A row holds a provider's own fields: its offerings, references and SLA terms
        have their own routes, so a row carrying them is invalid, naming each."""
        row = {
            "name": "Nested Co",
            "service_model": ["msp"],
            "capabilities": [{"capability": "msp.help_desk"}],
            "references": [{"client_industry": "legal"}],
            "slas": [{"metric": "uptime", "target_value": 99.9, "unit": "percent"}],
        }
        response = post_json(admin_client, [row])
        assert response.status_code == 400
        errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
        assert errors == {
            (f"providers[0].{name}", "unknown_field")
            for name in ("service_model", "capabilities", "references", "slas")
        }
        assert not Provider.objects.filter(organization=organization).exists()

    def test_best_effort_reports_a_row_with_unknown_fields(self, admin_client, organization):
        response = post_json(
            admin_client,
            [{"name": "Good Co"}, {"name": "Typo Co", "servce_models": ["msp"]}],
            mode="best_effort",
        )
        assert response.status_code == 200
        rows = response.json()["rows"]
        assert [row["action"] for row in rows] == ["created", "invalid"]
        assert rows[1]["errors"][0]["field"] == "servce_models"
        assert list(Provider.objects.values_list("name", flat=True)) == ["Good Co"]

    def test_read_only_fields_of_a_row_are_ignored(self, admin_client, organization):
        """A provider read (list or detail) and imported back keeps its id and dates."""
        provider = ProviderFactory(organization=organization, slug="acme", name="Acme")
        read = admin_client.get(f"/api/v1/providers/{provider.pk}/").json()
        row = {k: v for k, v in read.items() if k not in ("capabilities", "references", "slas")}
        row = {**row, "documents": [], "id": 999, "created_at": "2001-01-01T00:00:00Z"}
        response = post_json(admin_client, [row])
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["providers[0].documents"]
        del row["documents"]
        response = post_json(admin_client, [row])
        assert response.status_code == 200, response.content
        assert response.json()["rows"][0]["action"] == "unchanged"
        provider.refresh_from_db()
        assert provider.pk != 999 and provider.created_at.year != 2001

    def test_an_unknown_top_level_key_is_refused(self, admin_client, organization):
        response = post_json(admin_client, [{"name": "Moded Co"}], moed="best_effort")
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["moed"]
        assert not Provider.objects.exists()

    def test_best_effort_writes_the_valid_rows(self, admin_client, organization):
        response = post_json(
            admin_client,
            [{"name": "Fine Co"}, {"name": "Broken", "soc_model": "hybrid"}],
            mode="best_effort",
        )
        assert response.status_code == 200
        assert response.json()["summary"]["invalid"] == 1
        assert response.json()["applied"] is True
        assert list(Provider.objects.values_list("slug", flat=True)) == ["fine-co"]

    def test_update_rows_are_checked_against_stored_values(self, admin_client, organization):
        ProviderFactory(organization=organization, slug="acme", soc_model=None)
        response = post_json(admin_client, [{"slug": "acme", "service_models": ["mssp"]}])
        assert response.status_code == 400
        assert response.json()["report"]["rows"][0]["errors"][0]["field"] == "soc_model"

    def test_repeated_slugs_apply_the_last_row(self, admin_client, organization):
        response = post_json(
            admin_client,
            [
                {"name": "Acme", "headquarters": "First"},
                {"name": "acme", "headquarters": "Second"},
            ],
        )
        assert response.status_code == 200, response.content
        rows = response.json()["rows"]
        assert [row["action"] for row in rows] == ["superseded", "created"]
        provider = Provider.objects.get(organization=organization)
        assert provider.headquarters == "Second"
        assert rows[0]["provider_id"] == rows[1]["provider_id"] == provider.pk

    def test_names_without_letters_get_a_stable_slug(self, admin_client, organization):
        first = post_json(admin_client, [{"name": "中文"}]).json()["rows"][0]
        again = post_json(admin_client, [{"name": "中文", "notes": "x"}]).json()["rows"][0]
        assert first["slug"] == again["slug"]
        assert (first["action"], again["action"]) == ("created", "updated")

    def test_mode_from_the_query_string(self, admin_client):
        response = admin_client.post(
            URL + "?mode=best_effort", {"providers": [{"name": "A"}]}, format="json"
        )
        assert response.json()["mode"] == "best_effort"

    @pytest.mark.parametrize("query", ["?mode=", "?mode=sometimes", "?mode=%20"])
    def test_a_blank_or_unknown_mode_in_the_query_string_is_400(self, admin_client, query):
        response = admin_client.post(URL + query, {"providers": [{"name": "A"}]}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "mode"
        assert not Provider.objects.exists()

    @pytest.mark.parametrize(
        "body",
        [
            {"providers": []},
            {"providers": "nope"},
            {"providers": ["not an object"]},
            {"providers": [{"name": "A"}], "mode": "sometimes"},
            {},
        ],
    )
    def test_malformed_requests_are_400(self, admin_client, body):
        assert admin_client.post(URL, body, format="json").status_code == 400
        assert not Provider.objects.exists()

    def test_row_limit(self, admin_client):
        rows = [{"name": f"P{i}"} for i in range(MAX_IMPORT_ROWS + 1)]
        response = post_json(admin_client, rows)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "providers"

    def test_body_limit_is_413(self, admin_client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
        response = post_json(admin_client, [{"name": "x" * 100} for _ in range(10)])
        assert response.status_code == 413

    def test_query_count_does_not_grow_with_rows(self, admin_client, organization, count_queries):
        ProviderFactory.create_batch(5, organization=organization)
        post_json(admin_client, [{"name": "warm"}])  # token last_used_at write
        with count_queries() as small:
            post_json(admin_client, [{"name": "one"}])
        rows = [{"name": f"Many {i}"} for i in range(50)]
        rows += [{"slug": p.slug, "notes": "changed"} for p in Provider.objects.all()]
        with count_queries() as large:
            assert post_json(admin_client, rows).status_code == 200
        assert len(large) <= len(small) + 1  # + the bulk update


class TestCsv:
    def test_csv_body(self, admin_client, organization):
        ProviderFactory(
            organization=organization, slug="contoso-it", name="Contoso IT", service_models=[]
        )
        text = (
            "name,service_models,soc_model,third_party_soc_name,industries,tags\n"
            "Northwind Security,mssp;vciso,third_party,Blue SOC,healthcare;legal,a;b\n"
            "Contoso IT,msp,,,,\n"
        )
        response = post_csv(admin_client, text)
        assert response.status_code == 200, response.content
        assert [row["action"] for row in response.json()["rows"]] == ["created", "updated"]
        northwind = Provider.objects.get(slug="northwind-security")
        assert northwind.service_models == ["mssp", "vciso"]
        assert northwind.third_party_soc_name == "Blue SOC"
        assert northwind.industries == ["healthcare", "legal"]
        contoso = Provider.objects.get(slug="contoso-it")
        assert contoso.service_models == ["msp"]
        assert contoso.soc_model is None

    def test_csv_row_errors_name_the_row(self, admin_client):
        text = "name,soc_model,tags\nGood,,\nBad,own,Not A Slug\n"
        response = post_csv(admin_client, text)
        assert response.status_code == 400
        rows = response.json()["report"]["rows"]
        assert rows[1]["row"] == 2
        assert rows[1]["errors"][0]["field"] == "tags[0]"
        assert not Provider.objects.exists()

    def test_csv_mode_in_query(self, admin_client):
        response = post_csv(
            admin_client, "name,soc_model\nGood,\nBad,hybrid\n", "?mode=best_effort"
        )
        assert response.status_code == 200
        assert Provider.objects.count() == 1

    @pytest.mark.parametrize(
        "text", ["", "colour\nred\n", "name,name\na,b\n", 'name\n"open quote\n']
    )
    def test_unusable_csv_is_400(self, admin_client, text):
        assert post_csv(admin_client, text).status_code == 400

    def test_non_utf8_csv_is_400(self, admin_client):
        response = admin_client.generic("POST", URL, b"name\n\xff\xfe", content_type="text/csv")
        assert response.status_code == 400

    def test_csv_too_many_cells(self, admin_client):
        response = post_csv(admin_client, "name\nA,extra\n")
        assert response.status_code == 400
        assert response.json()["report"]["rows"][0]["errors"][0]["code"] == "too_many_cells"

    def test_other_media_types_are_415(self, admin_client):
        response = admin_client.generic("POST", URL, b"<xml/>", content_type="application/xml")
        assert response.status_code == 415


class TestImportRoles:
    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_only_admins_import(self, make_client, organization, role):
        client = make_client(role, organization)
        assert post_json(client, [{"name": "A"}]).status_code == 403
        assert post_csv(client, "name\nA\n").status_code == 403
        assert not Provider.objects.exists()

    def test_read_integration_key_cannot_import(self, integration_client):
        assert post_json(integration_client(TokenScope.READ), [{"name": "A"}]).status_code == 403

    def test_import_stays_in_the_callers_organization(self, admin_client, organization):
        foreign = ProviderFactory(slug="shared", name="Theirs")
        post_json(admin_client, [{"slug": "shared", "name": "Mine"}])
        foreign.refresh_from_db()
        assert foreign.name == "Theirs"
        mine = Provider.objects.get(organization=organization, slug="shared")
        assert mine.name == "Mine"
