"""HTTPS to a pinned address: SNI and the certificate check use the URL's host name
while the connection goes to the vetted address."""

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import sender


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    directory = tmp_path_factory.mktemp("tls")
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=receiver.test",
            "-addext",
            "subjectAltName=DNS:receiver.test",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.fixture
def tls_server(certificate):
    key, cert = certificate
    seen = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen["host"] = self.headers["Host"]
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def sni(sock, server_name, _context):
        seen["sni"] = server_name

    context.sni_callback = sni
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def trust(monkeypatch, certificate, settings, fake_dns):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the server is on loopback
    context = ssl.create_default_context(cafile=str(certificate[1]))
    monkeypatch.setattr(sender, "_tls_context", lambda: context)
    fake_dns["receiver.test"] = ["127.0.0.1"]
    fake_dns["impostor.test"] = ["127.0.0.1"]
    return fake_dns


def test_sni_and_certificate_use_the_host_name(tls_server, trust):
    port, seen = tls_server
    result = sender.post(
        f"https://receiver.test:{port}/hook", b"{}", {}, connect_timeout=2, read_timeout=2
    )
    assert result.succeeded, result
    assert result.status_code == 204
    assert seen == {"sni": "receiver.test", "host": f"receiver.test:{port}"}


def test_a_certificate_for_another_name_is_refused(tls_server, trust):
    port, _ = tls_server
    result = sender.post(
        f"https://impostor.test:{port}/hook", b"{}", {}, connect_timeout=2, read_timeout=2
    )
    assert result.status_code is None
    assert "TLS" in result.error or "certificate" in result.error.lower()
