import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import ssrf


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    """The production guard, short timeouts and few attempts."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 1.0
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    return settings


@pytest.fixture
def fake_dns(monkeypatch):
    """``fake_dns["host"] = ["1.2.3.4"]`` (or a callable returning a list): what
    the host resolves to. Unknown names do not resolve. ``fake_dns.calls`` lists
    every lookup."""

    class Resolver(dict):
        calls: list

    table = Resolver()
    table.calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        table.calls.append(host)
        answer = table.get(host)
        if callable(answer):
            answer = answer()
        if not answer:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in answer
        ]

    monkeypatch.setattr(ssrf, "getaddrinfo", getaddrinfo)
    return table


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


class LocalServer:
    """An HTTP server on 127.0.0.1 that records requests and answers ``reply``."""

    def __init__(self):
        self.received: list[Received] = []
        self.reply = Reply()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                reply = server.reply
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook", host="127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()


@pytest.fixture
def make_local_server():
    servers = []

    def build():
        servers.append(LocalServer())
        return servers[-1]

    yield build
    for server in servers:
        server.close()
