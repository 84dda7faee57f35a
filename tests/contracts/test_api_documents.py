"""A contract's documents: upload checks, download headers, deletion, the trail."""

import hashlib
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from contracts import services
from contracts.models import ContractDocument, ContractEvent
from tests.providers.factories import PDF_BYTES, ProviderFactory
from tests.providers.test_rules import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(organization, admin_client):
    provider = ProviderFactory(organization=organization)
    return services.create_contract(
        organization,
        admin_client.membership.user,
        {"provider": provider, "title": "SOC", "start_date": date(2026, 1, 1), "term_months": 12},
    )


def url(contract, pk=None, suffix=""):
    base = f"/api/v1/contracts/{contract.pk}/documents/"
    return f"{base}{pk}/{suffix}" if pk else base


def upload(client, contract, name="signed.pdf", content=PDF_BYTES, **fields):
    data = {
        "kind": "signed_contract",
        "title": "Signed contract",
        **fields,
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }
    return client.post(url(contract), data, format="multipart")


def actions(contract):
    return list(
        ContractEvent.objects.filter(contract_ref=contract.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )


class TestUpload:
    def test_stored_under_a_random_name_with_its_hash_and_audited(self, admin_client, contract):
        response = upload(
            admin_client, contract, name="DPA 2026.pdf", kind="data_processing_agreement"
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["kind"] == "data_processing_agreement"
        assert body["contract"] == contract.pk
        assert body["content_type"] == "application/pdf"
        assert body["size"] == len(PDF_BYTES)
        assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
        assert body["original_filename"] == "DPA 2026.pdf"
        assert body["download_url"].endswith(url(contract, body["id"], "download/"))
        document = ContractDocument.objects.get(pk=body["id"])
        assert document.file.name.startswith("contract-documents/")
        assert "DPA" not in document.file.name
        with default_storage.open(document.file.name, "rb") as stored:
            assert stored.read() == PDF_BYTES
        event = ContractEvent.objects.get(action="contract.document.created")
        assert event.contract_id == contract.pk
        assert event.actor_id == admin_client.membership.user.pk
        assert event.new_value["sha256"] == body["sha256"]
        assert event.new_value["id"] == body["id"]

    def test_content_not_matching_the_extension_is_415(self, admin_client, contract):
        response = upload(admin_client, contract, name="signed.pdf", content=PNG)
        assert response.status_code == 415
        assert response.json()["errors"][0]["field"] == "file"
        assert not ContractDocument.objects.exists()
        assert "contract.document.created" not in actions(contract)

    def test_empty_file_is_400(self, admin_client, contract):
        response = upload(admin_client, contract, content=b"")
        assert response.status_code == 400
        assert not ContractDocument.objects.exists()

    def test_file_over_the_limit_is_413(self, admin_client, contract, settings):
        settings.MAX_UPLOAD_BYTES = len(PDF_BYTES) - 1
        assert upload(admin_client, contract).status_code == 413
        assert not ContractDocument.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "field"),
        [({"kind": "invoice"}, "kind"), ({"title": ""}, "title"), ({"title": "x" * 201}, "title")],
    )
    def test_invalid_fields_are_400_naming_them(self, admin_client, contract, fields, field):
        response = upload(admin_client, contract, **fields)
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_unknown_field_is_400(self, admin_client, contract):
        response = upload(admin_client, contract, uploaded_by="1")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "uploaded_by"

    def test_json_upload_is_415(self, admin_client, contract):
        response = admin_client.post(url(contract), {"kind": "other"}, format="json")
        assert response.status_code == 415

    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_only_admins_upload(self, make_client, organization, contract, role):
        assert upload(make_client(role, organization), contract).status_code == 403
        assert not ContractDocument.objects.exists()

    def test_documents_cannot_be_changed(self, admin_client, contract):
        document_id = upload(admin_client, contract).json()["id"]
        response = admin_client.patch(url(contract, document_id), {"title": "x"}, format="json")
        assert response.status_code == 405


class TestReadAndDownload:
    def test_list_filters_by_kind_and_the_flat_collection_by_contract(self, admin_client, contract):
        signed = upload(admin_client, contract).json()["id"]
        sow = upload(admin_client, contract, kind="statement_of_work").json()["id"]
        listed = admin_client.get(url(contract)).json()["results"]
        assert [item["id"] for item in listed] == [sow, signed]  # newest first
        only = admin_client.get(url(contract), {"kind": "statement_of_work"}).json()["results"]
        assert [item["id"] for item in only] == [sow]
        flat = admin_client.get("/api/v1/contract-documents/", {"contract": contract.pk})
        assert sorted(item["id"] for item in flat.json()["results"]) == sorted([signed, sow])

    def test_download_is_an_attachment_that_is_never_sniffed_or_cached(
        self, admin_client, viewer_client, contract
    ):
        document_id = upload(admin_client, contract, name="sow.pdf").json()["id"]
        response = viewer_client.get(
            url(contract, document_id, "download/"), HTTP_ACCEPT="text/html"
        )
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="sow.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"

    def test_another_organization_gets_404(self, admin_client, make_client, contract):
        document_id = upload(admin_client, contract).json()["id"]
        stranger = make_client(Role.ADMIN)
        assert stranger.get(url(contract, document_id, "download/")).status_code == 404
        assert stranger.get(f"/api/v1/contract-documents/{document_id}/").status_code == 404
        assert stranger.delete(url(contract, document_id)).status_code == 404
        assert ContractDocument.objects.filter(pk=document_id).exists()

    def test_a_missing_file_is_404(self, admin_client, contract):
        document_id = upload(admin_client, contract).json()["id"]
        default_storage.delete(ContractDocument.objects.get(pk=document_id).file.name)
        assert admin_client.get(url(contract, document_id, "download/")).status_code == 404

    def test_the_list_runs_a_constant_number_of_queries(
        self, admin_client, contract, count_queries
    ):
        upload(admin_client, contract)
        with count_queries() as one:
            admin_client.get(url(contract))
        for _ in range(4):
            upload(admin_client, contract)
        with count_queries() as many:
            admin_client.get(url(contract))
        assert len(many) == len(one)


class TestDelete:
    def test_removes_the_file_after_commit_and_stays_in_the_trail(
        self, admin_client, contract, django_capture_on_commit_callbacks
    ):
        document_id = upload(admin_client, contract).json()["id"]
        document = ContractDocument.objects.get(pk=document_id)
        with django_capture_on_commit_callbacks(execute=True):
            assert admin_client.delete(url(contract, document_id)).status_code == 204
        assert not default_storage.exists(document.file.name)
        assert actions(contract)[-2:] == ["contract.document.created", "contract.document.deleted"]
        deleted = ContractEvent.objects.get(action="contract.document.deleted")
        assert deleted.old_value["title"] == "Signed contract"

    def test_deleting_the_contract_removes_its_files(
        self, admin_client, contract, django_capture_on_commit_callbacks
    ):
        name = ContractDocument.objects.get(
            pk=upload(admin_client, contract).json()["id"]
        ).file.name
        with django_capture_on_commit_callbacks(execute=True):
            assert admin_client.delete(f"/api/v1/contracts/{contract.pk}/").status_code == 204
        assert not default_storage.exists(name)

    def test_viewer_cannot_delete(self, admin_client, viewer_client, contract):
        document_id = upload(admin_client, contract).json()["id"]
        assert viewer_client.delete(url(contract, document_id)).status_code == 403
        assert ContractDocument.objects.filter(pk=document_id).exists()
