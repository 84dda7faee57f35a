"""One HTTP POST to a webhook target, pinned to a vetted address.

Standard library only (``http.client``): it never follows redirects, and the
connection goes to the address ``ssrf.pin`` vetted while Host, SNI and the
certificate check use the URL's host name. Connect and read timeouts are
separate; only the first ``EXCERPT_BYTES`` of the response are read.

Whatever the receiver sends (binary, invalid UTF-8, NUL in the body, the status
line or a header, a malformed or endless answer) is a result, never an
exception, and its excerpt and error are text the database can store: invalid
UTF-8, NUL and lone surrogates become U+FFFD (``config.text.storable``).
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from config.text import storable
from integrations import ssrf

EXCERPT_BYTES = 2048
USER_AGENT = "provider-scorecards-webhooks/1"


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None
    duration_ms: int
    response_excerpt: str
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300 and not self.error


def _tls_context() -> ssl.SSLContext:
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi ships with the lock file
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: ssrf.Target, connect_timeout: float, read_timeout: float):
        super().__init__(target.host, target.port, timeout=read_timeout)
        self._address = target.address
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout

    def _open_socket(self):
        sock = socket.create_connection((self._address, self.port), timeout=self._connect_timeout)
        sock.settimeout(self._read_timeout)
        return sock

    def connect(self):
        self.sock = self._open_socket()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        sock = self._open_socket()
        # server_hostname drives both SNI and the certificate's host name check.
        self.sock = _tls_context().wrap_socket(sock, server_hostname=self.host)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    connect_timeout: float,
    read_timeout: float,
) -> AttemptResult:
    """POST ``body``; never raises for network or target problems (they are results)."""
    started = time.monotonic()

    def result(status=None, excerpt="", error=""):
        duration = int((time.monotonic() - started) * 1000)
        return AttemptResult(status, duration, storable(excerpt), storable(error[:500]))

    try:
        target = ssrf.pin(url)
    except ssrf.UnsafeTarget as exc:
        return result(error=f"Refused: {exc}")
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, connect_timeout, read_timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        raw = response.read(EXCERPT_BYTES)
        excerpt = raw.decode("utf-8", errors="replace")
        error = ""
        if 300 <= response.status < 400:
            location = response.getheader("Location", "")
            error = f"Redirect to {location[:200]!r} not followed; configure the final URL."
        elif not 200 <= response.status < 300:
            error = f"The receiver answered HTTP {response.status}."
        return result(response.status, excerpt, error)
    except TimeoutError:
        return result(error="Timed out.")
    except ssl.SSLError as exc:
        return result(error=f"TLS error: {exc}")
    except (OSError, http.client.HTTPException) as exc:
        return result(error=f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
