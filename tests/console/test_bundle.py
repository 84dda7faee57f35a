"""The committed console bundle is what its lockfile builds: rebuilt from the
sources into a temporary folder, it must be byte-for-byte the committed one.

Needs Node and npm (and the npm registry for `npm ci`): skipped locally without
them, failing in CI (CI=true), where .ci/run installs them. Marked slow, since it
downloads and builds for about a minute.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.services import require

CONSOLE = Path(__file__).resolve().parents[2] / "console"
SOURCES = ("package.json", "package-lock.json", "vite.config.js", "src")


@pytest.mark.slow
def test_the_committed_bundle_is_rebuilt_from_the_lockfile(tmp_path):
    require(
        bool(shutil.which("node") and shutil.which("npm")),
        "node and npm are needed to rebuild the console (Node 20)",
    )
    work = tmp_path / "console"
    work.mkdir()
    for name in SOURCES:
        source = CONSOLE / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        else:
            shutil.copy2(source, work / name)
    out = tmp_path / "built"
    env = {**os.environ, "CONSOLE_OUT_DIR": str(out)}
    for command in (["npm", "ci", "--no-audit", "--no-fund"], ["npm", "run", "build"]):
        # Fixed arguments: npm from PATH on our own sources.
        result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)  # noqa: S603
        assert result.returncode == 0, result.stdout + result.stderr

    committed = CONSOLE / "static" / "console"
    names = sorted(path.relative_to(committed) for path in committed.rglob("*") if path.is_file())
    built = sorted(path.relative_to(out) for path in out.rglob("*") if path.is_file())
    assert built == names, "the build makes other files than are committed: run `make console`"
    for name in names:
        assert (out / name).read_bytes() == (committed / name).read_bytes(), (
            f"console/static/console/{name} differs from a rebuild: run `make console` and commit"
        )
