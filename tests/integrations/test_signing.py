"""Standard Webhooks signatures: the published test vector, an independent
computation, verification, and signing with two secrets during a rotation."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook as StandardWebhook

from integrations import signing

# The vector of the Standard Webhooks reference libraries (test_sign_function).
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = datetime.fromtimestamp(1614265330, tz=UTC)
VECTOR_BODY = '{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def independent_signature(secret: str, msg_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def test_published_test_vector():
    assert signing.sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == (
        VECTOR_SIGNATURE
    )
    assert independent_signature(VECTOR_SECRET, VECTOR_ID, 1614265330, VECTOR_BODY) == (
        VECTOR_SIGNATURE
    )


def test_headers_carry_id_unix_timestamp_and_signature():
    headers = signing.signature_headers([VECTOR_SECRET], VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)
    assert headers == {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": "1614265330",
        "webhook-signature": VECTOR_SIGNATURE,
    }


def test_a_timestamp_in_another_zone_signs_the_same_instant():
    elsewhere = VECTOR_TIMESTAMP.astimezone(datetime.now().astimezone().tzinfo)
    shifted = VECTOR_TIMESTAMP.astimezone(UTC).replace(tzinfo=None)
    assert signing.sign(VECTOR_SECRET, VECTOR_ID, elsewhere, VECTOR_BODY) == VECTOR_SIGNATURE
    assert signing.sign(VECTOR_SECRET, VECTOR_ID, shifted, VECTOR_BODY) == VECTOR_SIGNATURE


def test_known_answer_with_a_generated_secret():
    secret = signing.generate_secret()
    now = datetime.now(UTC)
    body = json.dumps({"type": "webhook.test", "data": {"n": 1}}, separators=(",", ":"))
    headers = signing.signature_headers([secret], "evt_1", now, body)
    assert headers["webhook-signature"] == independent_signature(
        secret, "evt_1", int(now.timestamp()), body
    )


def test_generated_secrets_are_whsec_base64_of_32_random_bytes():
    secret = signing.generate_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != signing.generate_secret()


def test_receivers_verify_with_the_reference_library():
    secret = signing.generate_secret()
    body = '{"type":"scorecard.completed","version":1}'
    headers = signing.signature_headers([secret], "evt_2", datetime.now(UTC), body)
    assert StandardWebhook(secret).verify(body, headers) == json.loads(body)
    assert signing.verify(secret, body.encode(), headers)["version"] == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, headers: (body.replace("1", "2"), headers),
        lambda body, headers: (body, {**headers, "webhook-id": "evt_other"}),
        lambda body, headers: (
            body,
            {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)},
        ),
    ],
    ids=["body", "id", "timestamp"],
)
def test_tampering_breaks_the_signature(tamper):
    secret = signing.generate_secret()
    body = '{"version":1}'
    headers = signing.signature_headers([secret], "evt_3", datetime.now(UTC), body)
    body, headers = tamper(body, headers)
    with pytest.raises(signing.WebhookVerificationError):
        signing.verify(secret, body, headers)


def test_stale_timestamps_are_refused_by_receivers():
    secret = signing.generate_secret()
    old = datetime.now(UTC) - timedelta(minutes=10)
    headers = signing.signature_headers([secret], "evt_4", old, "{}")
    with pytest.raises(signing.WebhookVerificationError):
        signing.verify(secret, "{}", headers)


def test_during_a_rotation_both_secrets_verify():
    new, old = signing.generate_secret(), signing.generate_secret()
    headers = signing.signature_headers([new, old], "evt_5", datetime.now(UTC), "{}")
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert signing.verify(new, "{}", headers) == {}
    assert signing.verify(old, "{}", headers) == {}
    with pytest.raises(signing.WebhookVerificationError):
        signing.verify(signing.generate_secret(), "{}", headers)
