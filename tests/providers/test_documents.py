"""Evidence documents: upload checks, hashing, storage, download and deletion."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, TokenScope
from providers.models import Document
from tests.providers.factories import PDF_BYTES, ProviderFactory, make_document
from tests.providers.test_rules import JPEG, PNG, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(organization):
    return ProviderFactory(organization=organization)


def documents_url(provider, pk=None, suffix=""):
    base = f"/api/v1/providers/{provider.pk}/documents/"
    return f"{base}{pk}/{suffix}" if pk else base


def upload(client, provider, name="report.pdf", content=PDF_BYTES, **fields):
    data = {
        "kind": "sample_monthly_report",
        "title": "Sample monthly report",
        **fields,
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }
    return client.post(documents_url(provider), data, format="multipart")


class TestUpload:
    @pytest.mark.parametrize(
        ("name", "content", "content_type"),
        [
            ("report.pdf", PDF_BYTES, "application/pdf"),
            ("screenshot.png", PNG, "image/png"),
            ("photo.jpg", JPEG, "image/jpeg"),
            ("notes.txt", b"Monthly summary\n", "text/plain"),
            ("tickets.csv", b"id,opened\n1,2026-01-01\n", "text/csv"),
            ("export.json", b'{"alerts": 3}', "application/json"),
            (
                "policy.docx",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ],
    )
    def test_allowed_types_are_stored_with_their_hash(
        self, admin_client, provider, name, content, content_type
    ):
        response = upload(admin_client, provider, name=name, content=content)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["content_type"] == content_type
        assert body["size"] == len(content)
        assert body["sha256"] == hashlib.sha256(content).hexdigest()
        assert body["original_filename"] == name
        document = Document.objects.get(pk=body["id"])
        with default_storage.open(document.file.name, "rb") as stored:
            assert stored.read() == content
        assert name not in document.file.name  # stored under a random name

    def test_filename_is_sanitised(self, admin_client, provider):
        response = upload(admin_client, provider, name="../../Q1 <final>.pdf")
        assert response.json()["original_filename"] == "Q1 _final_.pdf"

    @pytest.mark.parametrize(
        ("name", "content", "code"),
        [
            ("report.pdf", PNG, "content_mismatch"),  # says pdf, is a PNG
            ("report.pdf", b"plain words pretending", "content_mismatch"),
            ("image.png", PDF_BYTES, "content_mismatch"),
            ("notes.txt", b"\x00\x01\x02binary", "content_mismatch"),
            ("data.json", b"{broken", "content_mismatch"),
            ("macro.docm", docx_bytes(), "unsupported_file_type"),
            ("run.exe", b"MZ\x90\x00\x03", "unsupported_file_type"),
        ],
    )
    def test_wrong_types_are_415(self, admin_client, provider, name, content, code):
        response = upload(admin_client, provider, name=name, content=content)
        assert response.status_code == 415, response.content
        assert response.json()["errors"][0] == {
            "field": "file",
            "code": code,
            "message": response.json()["errors"][0]["message"],
        }
        assert not Document.objects.exists()

    def test_empty_file_is_400(self, admin_client, provider):
        response = upload(admin_client, provider, name="empty.pdf", content=b"")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "file"

    def test_file_over_the_limit_is_413(self, admin_client, provider, settings):
        settings.MAX_UPLOAD_BYTES = 100
        response = upload(admin_client, provider, name="notes.txt", content=b"x" * 101)
        assert response.status_code == 413
        assert response.json()["errors"][0]["code"] == "file_too_large"
        assert not Document.objects.exists()

    def test_body_over_the_limit_is_413_before_parsing(self, admin_client, provider, settings):
        settings.MAX_UPLOAD_BYTES = 10
        response = upload(admin_client, provider, name="notes.txt", content=b"x" * 70_000)
        assert response.status_code == 413
        assert response.json()["code"] == "request_too_large"

    @pytest.mark.parametrize(
        ("fields", "field"),
        [({"kind": "selfie"}, "kind"), ({"title": "  "}, "title")],
    )
    def test_invalid_fields_are_400(self, admin_client, provider, fields, field):
        response = upload(admin_client, provider, **fields)
        assert response.status_code == 400
        assert field in {e["field"] for e in response.json()["errors"]}

    def test_missing_file_is_400(self, admin_client, provider):
        response = admin_client.post(
            documents_url(provider), {"kind": "other", "title": "x"}, format="multipart"
        )
        assert response.status_code == 400

    def test_json_upload_is_415(self, admin_client, provider):
        response = admin_client.post(
            documents_url(provider), {"kind": "other", "title": "x"}, format="json"
        )
        assert response.status_code == 415

    @pytest.mark.parametrize("role", [Role.EVALUATOR, Role.VIEWER])
    def test_only_admins_upload(self, make_client, organization, provider, role):
        assert upload(make_client(role, organization), provider).status_code == 403

    def test_read_integration_key_cannot_upload(self, integration_client, provider):
        assert upload(integration_client(TokenScope.READ), provider).status_code == 403


class TestDownload:
    def test_download_streams_the_file_as_an_attachment(self, viewer_client, provider):
        document = make_document(provider, name="Monthly report.pdf")
        response = viewer_client.get(documents_url(provider, document.pk, "download/"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"] == 'attachment; filename="Monthly report.pdf"'
        assert response["Content-Length"] == str(len(PDF_BYTES))

    def test_download_ignores_the_accept_header(self, viewer_client, provider):
        document = make_document(provider)
        response = viewer_client.get(
            documents_url(provider, document.pk, "download/"), HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 200

    def test_another_organization_gets_404(self, make_client, provider):
        document = make_document(provider)
        stranger = make_client(Role.ADMIN)
        response = stranger.get(documents_url(provider, document.pk, "download/"))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        own = ProviderFactory(organization=stranger.organization)
        response = stranger.get(documents_url(own, document.pk, "download/"))
        assert response.status_code == 404  # right organization, wrong parent

    def test_missing_file_is_404(self, admin_client, provider):
        document = make_document(provider)
        default_storage.delete(document.file.name)
        response = admin_client.get(documents_url(provider, document.pk, "download/"))
        assert response.status_code == 404


class TestChangeAndDelete:
    def test_title_and_kind_can_change(self, admin_client, provider):
        document = make_document(provider)
        response = admin_client.patch(
            documents_url(provider, document.pk),
            {"title": "SOC 2 Type II", "kind": "soc2_report"},
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["kind"] == "soc2_report"
        assert response.json()["sha256"] == document.sha256

    def test_delete_removes_the_file_after_commit(
        self, admin_client, provider, django_capture_on_commit_callbacks
    ):
        document = make_document(provider)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = admin_client.delete(documents_url(provider, document.pk))
        assert response.status_code == 204
        assert callbacks  # the file went only once the deletion was committed
        assert not default_storage.exists(document.file.name)
        assert not Document.objects.filter(pk=document.pk).exists()

    def test_viewer_cannot_delete(self, viewer_client, provider):
        document = make_document(provider)
        assert viewer_client.delete(documents_url(provider, document.pk)).status_code == 403
        assert default_storage.exists(document.file.name)
