"""Whatever a webhook receiver answers, the attempt is recorded and the delivery
moves on: NUL bytes (which PostgreSQL text cannot hold), binary, invalid UTF-8,
huge or malformed answers. A real loopback server sends the raw bytes."""

import contextlib
import socket
import threading

import pytest

from integrations import delivery, events
from integrations.models import Delivery, DeliveryStatus, Event
from tests.integrations.test_delivery import make_webhook
from tests.services import require_postgres

OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"


def answer(head: bytes, body: bytes) -> bytes:
    return head + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


ANSWERS = {
    "nul_in_body": answer(OK_HEAD, b"accepted\x00but odd"),
    "nul_in_header": answer(b"HTTP/1.1 500 Oops\r\nX-Debug: a\x00b\r\n", b"no"),
    "nul_in_status_line": b"HTTP/1.1 2\x0000 OK\r\n\r\n",
    "nul_in_reason": answer(b"HTTP/1.1 503 Bu\x00sy\r\n", b""),
    "nul_in_location": answer(b"HTTP/1.1 302 Found\r\nLocation: /x\x00y\r\n", b""),
    "binary_garbage": b"\x00\xff\xfe\x01garbage\r\n\r\n",
    "invalid_utf8": answer(OK_HEAD, b"\xff\xfe\xc3(\xed\xa0\x80 \x00"),
    "huge_body": answer(OK_HEAD, b"\x00" * (4 * 1024 * 1024)),
    "huge_header": b"HTTP/1.1 200 OK\r\nX-Big: " + b"\x00" * 200_000 + b"\r\n\r\n",
    "bad_chunk_size": OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\x00\r\nabc\r\n0\r\n\r\n",
    "closed_without_answer": b"",
}
SUCCEEDS = {"nul_in_body", "invalid_utf8", "huge_body"}


class RawServer:
    """Accepts connections on 127.0.0.1, reads the request, answers ``raw`` bytes."""

    def __init__(self):
        self.raw = b""
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                received = b""
                while b"\r\n\r\n" not in received:
                    received += connection.recv(65536)
                head, _, body = received.partition(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                while len(body) < length:
                    body += connection.recv(65536)
                with contextlib.suppress(OSError):  # the client read enough and left
                    connection.sendall(self.raw)

    def close(self):
        self.listener.close()


@pytest.fixture
def raw_server(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    server = RawServer()
    yield server
    server.close()


def attempt_once(organization, raw_server, raw: bytes) -> Delivery:
    raw_server.raw = raw
    webhook = make_webhook(organization, f"http://127.0.0.1:{raw_server.port}/hook")
    event = events.emit(organization, events.REPORT_COMPLETED, {"report": 1})
    pending = Delivery.objects.get(webhook=webhook, event=Event.objects.get(pk=event.pk))
    delivery.attempt(pending.pk)
    return Delivery.objects.get(pk=pending.pk)


def assert_recorded(sent: Delivery, name: str):
    [attempt] = sent.attempts.all()
    assert sent.attempt_count == 1
    assert attempt.succeeded == (name in SUCCEEDS)
    assert sent.status == (DeliveryStatus.SUCCEEDED if name in SUCCEEDS else DeliveryStatus.PENDING)
    assert sent.locked_until is None  # not left for the sweeper to send again and again
    for text in (attempt.response_excerpt, attempt.error, sent.last_error):
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogate either
    assert len(attempt.response_excerpt) <= 2048 and len(attempt.error) <= 500
    if name not in SUCCEEDS:
        assert attempt.error


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ANSWERS))
def test_every_answer_is_recorded_as_an_attempt(organization, raw_server, name):
    assert_recorded(attempt_once(organization, raw_server, ANSWERS[name]), name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["nul_in_body", "nul_in_status_line", "binary_garbage"])
def test_nul_answers_are_recorded_on_postgresql(organization, raw_server, name):
    require_postgres()  # SQLite stores NUL; PostgreSQL refuses it in text
    assert_recorded(attempt_once(organization, raw_server, ANSWERS[name]), name)
