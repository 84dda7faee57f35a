"""A second `make run` must not break the first one (busy port, exported token)."""

import shutil
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


class _Healthy(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    def log_message(self, *args):
        pass


def _make_run(port: int) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed arguments)
        ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_second_make_run_leaves_the_running_service_alone():
    server = HTTPServer(("127.0.0.1", 0), _Healthy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = _make_run(server.server_address[1])
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "already runs" in result.stdout
    # Nothing was set up again: no migration, no new or revoked token.
    assert "create_organization" not in result.stdout


def test_make_run_on_a_port_taken_by_another_program_says_so():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        result = _make_run(other.getsockname()[1])
    assert result.returncode != 0
    assert "taken by another program" in result.stdout
