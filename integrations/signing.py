"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

Each request carries ``webhook-id`` (the event id: the same on every retry and
redelivery, so receivers can deduplicate), ``webhook-timestamp`` (Unix seconds of
this attempt) and ``webhook-signature``: ``v1,<base64 HMAC-SHA256>`` of
``"{id}.{timestamp}.{body}"`` keyed with the base64-decoded part of the
``whsec_...`` secret. While a rotated-out secret is still in its grace period
the header carries both signatures, space-separated; a receiver accepts the
request when any ``v1`` signature verifies with the secret it holds.
"""

import base64
import secrets
from datetime import UTC, datetime

from standardwebhooks import Webhook as StandardWebhook
from standardwebhooks import WebhookVerificationError

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format marker, not a secret)
SECRET_BYTES = 32

__all__ = [
    "SECRET_PREFIX",
    "WebhookVerificationError",
    "generate_secret",
    "signature_headers",
    "verify",
]


def generate_secret() -> str:
    """A new signing secret: ``whsec_`` followed by 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def sign(secret: str, msg_id: str, timestamp: datetime, body: str) -> str:
    """``v1,<signature>`` of one message with one secret."""
    return StandardWebhook(secret).sign(msg_id=msg_id, timestamp=_utc(timestamp), data=body)


def signature_headers(
    secrets_in_use: list[str], msg_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every secret in use."""
    timestamp = _utc(timestamp)
    signatures = " ".join(sign(secret, msg_id, timestamp, body) for secret in secrets_in_use)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
    }


def verify(secret: str, body: str | bytes, headers: dict[str, str]):
    """What a receiver does: the parsed payload, or WebhookVerificationError.

    Also refuses timestamps more than five minutes off (replayed requests).
    """
    return StandardWebhook(secret).verify(body, headers)


def _utc(moment: datetime) -> datetime:
    # standardwebhooks reads the datetime's fields as UTC, whatever its tzinfo says.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
