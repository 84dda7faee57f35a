"""A real SMTP server on loopback for the mail tests (aiosmtpd, no network)."""

import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, server: "SmtpServer"):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if address in self.server.unknown_addresses:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        return self.server.receive(envelope.content, list(envelope.rcpt_tos))


class SmtpServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.port = free_port(host)
        self.messages: list[EmailMessage] = []
        self.refused = 0
        # Addresses refused for good (5xx at RCPT), as for a mailbox that does not exist.
        self.unknown_addresses: set[str] = set()
        self._refuse = 0
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def receive(self, content: bytes, recipients: list[str]) -> str:
        with self._lock:
            if self._refuse:
                self._refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            message = message_from_bytes(content, policy=policy.default)
            message.envelope_to = recipients
            self.messages.append(message)
        return "250 OK"

    def refuse_next(self, count: int):
        with self._lock:
            self._refuse = count

    def start(self):
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def mail_to(server: SmtpServer, address: str, count: int) -> list[EmailMessage]:
    """The messages ``address`` received, once there are ``count`` of them: delivery
    runs after the sender's commit, on another thread, so it is waited for."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        received = [m for m in server.messages if address in m.envelope_to]
        if len(received) >= count:
            return received
        time.sleep(0.05)
    subjects = [(m["To"], m["Subject"]) for m in server.messages]
    raise AssertionError(f"{address} got fewer than {count} messages: {subjects}")
