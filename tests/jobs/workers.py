"""Real `celery worker` processes against the test database (PostgreSQL), for
the tests that break a worker, the broker or the database under a running job."""

import os
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url(application_name: str = "") -> str:
    """The test database; ``application_name`` tags the worker's connections."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"{url}?application_name={application_name}" if application_name else url


def start_worker(name: str, *, env=None, log: Path | None = None, beat: Path | None = None):
    """A solo worker; ``beat`` embeds the scheduler with its state file there."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["--loglevel=WARNING", "-n", f"{name}@%h", "--without-gossip", "--without-mingle"]
    if beat is not None:
        command += ["--beat", "--schedule", str(beat)]
    with log.open("ab") if log is not None else nullcontext(subprocess.DEVNULL) as output:
        return subprocess.Popen(  # noqa: S603 (our own interpreter and app)
            command,
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "DJANGO_SETTINGS_MODULE": "config.settings.base",
                **(env or {}),
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop(*workers):
    for worker in workers:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)


def wait_for(predicate, seconds: float, interval: float = 0.005) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def tail(log: Path, lines: int = 40) -> str:
    """The end of a worker's log, for an assertion message."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""
