"""Providers' ids in connected systems: merged on write, unique per organization and
system (409 naming the holder), validated, filterable, imported and listed."""

import pytest

from providers.models import Provider, ProviderExternalId
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/providers/"


def create(client, name="Acme", **extra):
    response = client.post(URL, {"name": name, "service_models": ["msp"], **extra}, format="json")
    return response


def patch(client, provider_id, external_ids):
    return client.patch(f"{URL}{provider_id}/", {"external_ids": external_ids}, format="json")


def test_created_with_ids_and_shown_in_detail_list_and_sync(admin_client, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    response = create(admin_client, external_ids={"hubspot": "123", "sf": "0015g00000A"})
    assert response.status_code == 201, response.content
    assert response.json()["external_ids"] == {"hubspot": "123", "sf": "0015g00000A"}
    pk = response.json()["id"]
    assert admin_client.get(f"{URL}{pk}/").json()["external_ids"] == {
        "hubspot": "123",
        "sf": "0015g00000A",
    }
    for route in (URL, f"{URL}sync/"):
        [row] = admin_client.get(route).json()["results"]
        assert row["external_ids"] == {"hubspot": "123", "sf": "0015g00000A"}, route


def test_a_patch_merges_and_null_removes(admin_client, settings):
    settings.SYNC_SETTLE_SECONDS = 0
    provider = create(admin_client, external_ids={"hubspot": "123", "sf": "A1"}).json()
    response = patch(admin_client, provider["id"], {"sf": None, "pipedrive": "77"})
    assert response.status_code == 200, response.content
    assert response.json()["external_ids"] == {"hubspot": "123", "pipedrive": "77"}
    assert response.json()["updated_at"] > provider["updated_at"]  # syncs as a change
    other = admin_client.patch(f"{URL}{provider['id']}/", {"notes": "n"}, format="json")
    assert other.json()["external_ids"] == {"hubspot": "123", "pipedrive": "77"}


def test_another_providers_id_is_a_409_naming_it(admin_client, organization):
    holder = create(admin_client, "Holder", external_ids={"hubspot": "123"}).json()
    response = create(admin_client, "Second", external_ids={"hubspot": "123"})
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["field"] == "external_ids.hubspot" and error["code"] == "unique"
    assert f"Provider {holder['id']} ('Holder')" in error["message"]
    second = create(admin_client, "Second").json()
    assert patch(admin_client, second["id"], {"hubspot": "123"}).status_code == 409
    assert ProviderExternalId.objects.filter(provider_id=second["id"]).count() == 0
    # The same id in another system, or of the holder itself again, is fine.
    assert patch(admin_client, second["id"], {"sf": "123"}).status_code == 200
    assert patch(admin_client, holder["id"], {"hubspot": "123"}).status_code == 200


def test_ids_are_per_organization(admin_client, make_client, other_organization):
    assert create(admin_client, external_ids={"hubspot": "123"}).status_code == 201
    outsider = make_client(organization=other_organization)
    assert create(outsider, external_ids={"hubspot": "123"}).status_code == 201
    assert outsider.get(URL, {"external_id": "hubspot:123"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("external_ids", "field"),
    [
        ({"HubSpot": "1"}, "external_ids.HubSpot"),
        ({"hub spot": "1"}, "external_ids.hub spot"),
        ({"x" * 33: "1"}, "external_ids." + "x" * 33),
        ({"hubspot": 123}, "external_ids.hubspot"),
        ({"hubspot": ""}, "external_ids.hubspot"),
        ({"hubspot": " 12"}, "external_ids.hubspot"),
        ({"hubspot": "1" * 201}, "external_ids.hubspot"),
        ({"hubspot": "12\u200b3"}, "external_ids.hubspot"),
        ({"hubspot": "12\x003"}, "external_ids.hubspot"),
        ({f"s{i}": "1" for i in range(21)}, "external_ids"),
        (["hubspot", "123"], "external_ids"),
    ],
)
def test_invalid_ids_are_a_400_naming_the_field(admin_client, external_ids, field):
    response = create(admin_client, external_ids=external_ids)
    assert response.status_code == 400, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_more_than_twenty_systems_after_merging_is_a_400(admin_client):
    provider = create(admin_client, external_ids={f"s{i}": "1" for i in range(20)}).json()
    response = patch(admin_client, provider["id"], {"one-more": "1"})
    assert response.status_code == 400
    assert ProviderExternalId.objects.count() == 20


def test_filter_by_system_and_id(admin_client, organization):
    wanted = create(admin_client, "Wanted", external_ids={"hubspot": "12:3", "sf": "9"}).json()
    create(admin_client, "Other", external_ids={"hubspot": "9", "sf": "12:3"})
    ProviderFactory(organization=organization)
    ids = [
        p["id"] for p in admin_client.get(URL, {"external_id": "hubspot:12:3"}).json()["results"]
    ]
    assert ids == [wanted["id"]]
    assert admin_client.get(URL, {"external_id": "hubspot:nope"}).json()["results"] == []
    for bad in ("hubspot", "HubSpot:1", ":1", "hubspot:"):
        assert admin_client.get(URL, {"external_id": bad}).status_code == 400, bad


class TestImport:
    IMPORT = f"{URL}import/"

    def test_rows_carry_ids_and_updates_merge(self, admin_client, organization):
        existing = create(admin_client, "Contoso", slug="contoso", external_ids={"sf": "1"})
        response = admin_client.post(
            self.IMPORT,
            {
                "providers": [
                    {"name": "Fabrikam", "external_ids": {"hubspot": "55"}},
                    {"slug": "contoso", "external_ids": {"hubspot": "56", "sf": None}},
                ]
            },
            format="json",
        )
        assert response.status_code == 200, response.content
        assert [row["action"] for row in response.json()["rows"]] == ["created", "updated"]
        listed = {p["name"]: p["external_ids"] for p in admin_client.get(URL).json()["results"]}
        assert listed == {"Fabrikam": {"hubspot": "55"}, "Contoso": {"hubspot": "56"}}
        assert existing.status_code == 201

    def test_ids_unchanged_is_unchanged(self, admin_client):
        create(admin_client, "Contoso", slug="contoso", external_ids={"sf": "1"})
        response = admin_client.post(
            self.IMPORT,
            {"providers": [{"slug": "contoso", "external_ids": {"sf": "1"}}]},
            format="json",
        )
        assert [row["action"] for row in response.json()["rows"]] == ["unchanged"]

    def test_claims_of_taken_ids_are_row_errors(self, admin_client):
        holder = create(admin_client, "Holder", external_ids={"hubspot": "1"}).json()
        response = admin_client.post(
            self.IMPORT,
            {
                "providers": [
                    {"name": "Taker", "external_ids": {"hubspot": "1"}},
                    {"name": "Twin A", "external_ids": {"sf": "7"}},
                    {"name": "Twin B", "external_ids": {"sf": "7"}},
                ]
            },
            format="json",
        )
        assert response.status_code == 400
        rows = response.json()["report"]["rows"]
        assert [row["action"] for row in rows] == ["invalid", "created", "invalid"]
        assert f"Provider {holder['id']} ('Holder')" in rows[0]["errors"][0]["message"]
        assert rows[2]["errors"][0]["field"] == "external_ids.sf"
        assert ProviderExternalId.objects.count() == 1

    def test_best_effort_writes_no_ids_of_invalid_rows(self, admin_client):
        create(admin_client, "Holder", external_ids={"hubspot": "1"})
        response = admin_client.post(
            self.IMPORT,
            {
                "mode": "best_effort",
                "providers": [
                    {"name": "Taker", "external_ids": {"hubspot": "1"}},
                    {"name": "Fine", "external_ids": {"hubspot": "2"}},
                ],
            },
            format="json",
        )
        assert response.status_code == 200, response.content
        assert sorted(ProviderExternalId.objects.values_list("external_id", flat=True)) == [
            "1",
            "2",
        ]

    def test_queries_do_not_grow_with_rows(self, admin_client, organization, count_queries):
        ProviderFactory.create_batch(5, organization=organization)

        def post(rows):
            return admin_client.post(self.IMPORT, {"providers": rows}, format="json")

        post([{"name": "warm", "external_ids": {"hubspot": "w"}}])
        with count_queries() as small:
            post([{"name": "one", "external_ids": {"hubspot": "1"}}])
        rows = [{"name": f"Many {i}", "external_ids": {"hubspot": f"m{i}"}} for i in range(30)]
        rows += [
            {"slug": p.slug, "external_ids": {"sf": p.slug}}
            for p in Provider.objects.filter(organization=organization)[:5]
        ]
        with count_queries() as large:
            assert post(rows).status_code == 200
        # + the bulk update, the updated providers' ids and their scorecards' stamps
        assert len(large) <= len(small) + 3

    def test_csv_column_of_system_id_pairs(self, admin_client):
        text = "name,external_ids\nFabrikam,hubspot:55;sf:a:b\nNorthwind,\nBroken,hubspot\n"
        response = admin_client.generic(
            "POST", f"{self.IMPORT}?mode=best_effort", text.encode(), content_type="text/csv"
        )
        assert response.status_code == 200, response.content
        rows = response.json()["rows"]
        assert [row["action"] for row in rows] == ["created", "created", "invalid"]
        assert rows[2]["errors"][0]["field"] == "external_ids"
        listed = {p["name"]: p["external_ids"] for p in admin_client.get(URL).json()["results"]}
        assert listed == {"Fabrikam": {"hubspot": "55", "sf": "a:b"}, "Northwind": {}}
