"""The live fuzzer (`.ci/fuzz-live`) as a test of the suite.

Schemathesis runs every phase against gunicorn in production mode, so the
whole stack between the socket and the database is exercised, not only the
WSGI app. Running it from pytest puts its verdict into the one summary that
`make test` (and so CI) ends with. It gets a database of its own, never the
developer's: a fresh PostgreSQL database beside the test database when
DATABASE_URL points at PostgreSQL, a temporary SQLite file otherwise. Tasks run
inside the server (no REDIS_URL), so the scoring and report jobs the fuzzer
triggers execute too.

Marked `slow` (about four minutes): a developer's `make test` leaves it out
unless asked (`make test SLOW=1`); CI (`CI=true`) always runs it.
"""

import os
import socket
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
FUZZ_SCRIPT = REPO / ".ci" / "fuzz-live"
# The script's own budget is --max-time; this only stops a hung server.
HARD_TIMEOUT_SECONDS = 900


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _scratch_database(tmp_path):
    """A database URL nobody else uses, removed afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"
        return
    parts = urlsplit(url)
    name = f"scorecards_fuzz_{uuid.uuid4().hex[:12]}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_live_server_survives_the_fuzzer(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        # The server must run the production settings, with tasks in-process.
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env["FUZZ_PORT"] = str(_free_port())
    with _scratch_database(tmp_path) as database_url:
        env["DATABASE_URL"] = database_url
        run = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            [str(FUZZ_SCRIPT)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=HARD_TIMEOUT_SECONDS,
            check=False,
        )
    output = run.stdout + run.stderr
    (tmp_path / "fuzz.log").write_text(output)
    summary = "\n".join(output.splitlines()[-200:])
    assert run.returncode == 0, f"the fuzzer found failures (exit {run.returncode}):\n{summary}"
    assert "generated" in output, f"the fuzzer ran no case:\n{summary}"
