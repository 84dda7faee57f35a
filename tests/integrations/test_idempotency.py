"""Idempotency-Key on creating POSTs: replay, 422 on a different body, 409 while in
flight, scoping, expiry and cleanup."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from config import idempotency
from evaluations.models import Evaluation
from integrations import maintenance
from integrations.models import IdempotencyKey, IdempotencyState, Webhook
from providers.models import Document
from tests.evaluations.builders import make_version
from tests.providers.factories import PDF_BYTES, ProviderFactory

URL = "/api/v1/webhooks/"
BODY = {"url": "https://hooks.example.com/in", "events": ["report.completed"]}


@pytest.fixture(autouse=True)
def dns(fake_dns):
    fake_dns["hooks.example.com"] = ["93.184.215.14"]


def post(client, body=BODY, key="key-1", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **headers, **extra)


def test_a_retry_replays_the_first_response_without_creating_again(admin_client):
    first = post(admin_client)
    assert first.status_code == 201
    again = post(admin_client)
    assert again.status_code == 201
    assert again.json() == first.json()  # the same secret too: it is the same webhook
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Webhook.objects.count() == 1


def test_json_is_compared_after_parsing(admin_client):
    first = post(admin_client)
    reordered = admin_client.post(
        URL,
        '{"events": ["report.completed"],   "url": "https://hooks.example.com/in"}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )
    assert reordered.status_code == 201 and reordered.json()["id"] == first.json()["id"]


def test_the_same_key_with_a_different_body_is_422(admin_client):
    post(admin_client)
    response = post(admin_client, {**BODY, "description": "other"})
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Webhook.objects.count() == 1


def test_a_key_in_flight_is_409_until_its_claim_lapses(admin_client):
    first = post(admin_client, key="busy")
    # Make it look as if that first request were still running.
    Webhook.objects.all().delete()
    IdempotencyKey.objects.filter(key="busy").update(
        state=IdempotencyState.IN_FLIGHT,
        locked_until=timezone.now() + timedelta(seconds=60),
        response_body=None,
        response_status=None,
    )
    busy = post(admin_client, key="busy")
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_key_in_flight"
    assert post(admin_client, {**BODY, "description": "x"}, key="busy").status_code == 422
    assert Webhook.objects.count() == 0
    # A crashed request's claim lapses: the retry runs.
    IdempotencyKey.objects.filter(key="busy").update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    retried = post(admin_client, key="busy")
    assert retried.status_code == 201 and retried.json()["id"] != first.json()["id"]
    assert Webhook.objects.count() == 1
    assert post(admin_client, key="busy").json() == retried.json()


def test_failures_are_not_stored_so_a_corrected_retry_runs(admin_client):
    bad = post(admin_client, {"url": "not a url", "events": []}, key="fix-me")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.filter(key="fix-me").exists()
    good = post(admin_client, key="fix-me")
    assert good.status_code == 201
    assert post(admin_client, key="fix-me").json() == good.json()


def test_keys_are_scoped_per_organization_and_caller(admin_client, make_client, organization):
    post(admin_client)
    colleague = make_client(organization=organization)
    assert post(colleague).status_code == 201  # another caller: another key space
    outsider = make_client()
    assert post(outsider).status_code == 201
    assert Webhook.objects.count() == 3


def test_without_a_key_nothing_is_stored(admin_client):
    assert post(admin_client, key=None).status_code == 201
    assert post(admin_client, key=None).status_code == 201
    assert Webhook.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "caf\u00e9"])
def test_malformed_keys_are_a_400(admin_client, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key.encode().decode("latin-1")}
    response = admin_client.post(URL, BODY, format="json", **headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_keys_expire_after_at_least_24_hours_and_are_cleaned_up(admin_client):
    first = post(admin_client)
    record = IdempotencyKey.objects.get()
    assert record.expires_at - record.created_at >= timedelta(hours=24)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    # an expired key is a new key: the request runs again
    again = post(admin_client)
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert maintenance.run()["idempotency_keys"] == 1
    assert not IdempotencyKey.objects.exists()


def test_the_cleanup_runs_from_the_beat_schedule():
    entries = {e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "integrations.tasks.maintenance" in entries
    from integrations import tasks

    assert tasks.run_maintenance.name == "integrations.tasks.maintenance"


def test_evaluation_creation_and_scoring_honour_keys(admin_client, organization):
    version = make_version(organization)
    body = {"name": "Pick", "questionnaire_version": version.pk}
    first = admin_client.post(
        "/api/v1/evaluations/", body, format="json", HTTP_IDEMPOTENCY_KEY="eval-1"
    )
    again = admin_client.post(
        "/api/v1/evaluations/", body, format="json", HTTP_IDEMPOTENCY_KEY="eval-1"
    )
    assert first.status_code == again.status_code == 201
    assert Evaluation.objects.count() == 1


def test_the_schema_declares_the_header_on_idempotent_operations(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()

    def names(path, method):
        operation = schema["paths"][path][method]
        return {p["name"] for p in operation.get("parameters", [])}, operation["responses"]

    for path in (
        "/api/v1/webhooks/",
        "/api/v1/evaluations/",
        "/api/v1/evaluations/{id}/score/",
        "/api/v1/webhooks/{id}/test/",
        "/api/v1/webhooks/{webhook_pk}/deliveries/{id}/redeliver/",
    ):
        parameters, responses = names(path, "post")
        assert idempotency.HEADER in parameters, path
        assert "422" in responses, path
    parameters, _ = names("/api/v1/webhooks/{id}/rotate-secret/", "post")
    assert idempotency.HEADER not in parameters


class TestUploads:
    """Keys work for every upload size the endpoint accepts (MAX_UPLOAD_BYTES, 20 MiB),
    not only below the 2 MiB JSON body limit."""

    @staticmethod
    def upload(client, provider, content, key=None, title="Sample report"):
        data = {
            "kind": "sample_monthly_report",
            "title": title,
            "file": SimpleUploadedFile("report.pdf", content, content_type="application/pdf"),
        }
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        url = f"/api/v1/providers/{provider.pk}/documents/"
        return client.post(url, data, format="multipart", **headers)

    @pytest.mark.parametrize("mebibytes", [5, 19])
    def test_a_large_upload_with_a_key_is_created_once_and_replayed(
        self, admin_client, organization, mebibytes
    ):
        provider = ProviderFactory(organization=organization)
        content = PDF_BYTES + b"\n%" + b"x" * (mebibytes * 1024 * 1024)
        without_key = self.upload(admin_client, provider, content)
        assert without_key.status_code == 201, without_key.content[:300]
        first = self.upload(admin_client, provider, content, key=f"upload-{mebibytes}")
        assert first.status_code == 201, first.content[:300]
        again = self.upload(admin_client, provider, content, key=f"upload-{mebibytes}")
        assert again.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        assert Document.objects.filter(provider=provider).count() == 2

    def test_the_same_key_with_another_file_of_the_same_name_is_422(
        self, admin_client, organization
    ):
        provider = ProviderFactory(organization=organization)
        content = PDF_BYTES + b"\n%" + b"x" * (3 * 1024 * 1024)
        assert self.upload(admin_client, provider, content, key="k").status_code == 201
        changed = content[:-1] + b"y"
        assert self.upload(admin_client, provider, changed, key="k").status_code == 422
        other_title = self.upload(admin_client, provider, content, key="k", title="Other")
        assert other_title.status_code == 422
        assert Document.objects.filter(provider=provider).count() == 1
