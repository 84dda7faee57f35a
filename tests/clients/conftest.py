"""The TypeScript tooling of clients/typescript/, installed from its lockfile, and the
schema as the running service serves it."""

import hashlib
import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import require

CLIENT_DIR = Path(settings.BASE_DIR) / "clients" / "typescript"
# npm ci deletes node_modules and installs again; this stamp, written after it,
# names the lockfile installed, so an unchanged lockfile is not installed twice.
STAMP = CLIENT_DIR / "node_modules" / ".installed-lock-sha256"


def _node_major(node: str) -> int:
    version = subprocess.run(  # noqa: S603 (the node on PATH, a fixed argument)
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(version.strip().lstrip("v").split(".")[0])


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """clients/typescript/ with its node_modules installed; its node executable."""
    node, npm = shutil.which("node"), shutil.which("npm")
    require(bool(node and npm), "node and npm are not installed (Debian: nodejs, npm)")
    require(_node_major(node) >= 20, "api-doc-parser needs node 20 or later")
    lock = hashlib.sha256((CLIENT_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != lock:
        subprocess.run(  # noqa: S603 (npm on PATH, fixed arguments)
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=CLIENT_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
        STAMP.write_text(lock)
    return Path(node)


def run_node(node: Path, *arguments: str, cwd: Path = CLIENT_DIR) -> str:
    """Run a script of clients/typescript/; its output, or a failure with its errors."""
    done = subprocess.run(  # noqa: S603 (our scripts, arguments we build)
        [str(node), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


@pytest.fixture
def schema_url(live_server) -> str:
    return f"{live_server.url}/api/schema/"


def fetch_schema(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (live server)
        return json.load(response)
