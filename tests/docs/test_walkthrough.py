"""The README's worked example (docs/examples/walkthrough.py) runs, and ends where it says.

It is run as a user runs it: a separate process speaking HTTP to a live
server, with an admin token, on the built-in content.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Invitation
from accounts.services import bootstrap_organization

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "walkthrough.py"


@pytest.mark.django_db(transaction=True)
def test_walkthrough_reaches_an_explained_comparison_report(live_server, tmp_path):
    call_command("load_builtin_content", verbosity=0)
    _, _, token = bootstrap_organization(name="Demo", slug="demo", username="admin")
    run = subprocess.run(  # noqa: S603 (our interpreter and our script)
        [sys.executable, str(SCRIPT)],
        cwd=tmp_path,
        env={**os.environ, "API": f"{live_server.url}/api/v1", "TOKEN": token},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # It starts by inviting the team: one pending invitation each, emailed.
    assert "invited priya@clinic.example as evaluator" in run.stdout
    invited = Invitation.objects.filter(organization__slug="demo")
    assert sorted(invited.values_list("email", "role")) == [
        ("priya@clinic.example", "evaluator"),
        ("sam@clinic.example", "viewer"),
    ]
    invitees = {"priya@clinic.example", "sam@clinic.example"}
    assert invitees <= {address for m in mail.outbox for address in m.to}
    ranking = run.stdout.split("ranking:\n", 1)[1].splitlines()
    assert ranking[0].startswith("  1. Harbor Shield: 100.0 (completeness 1.0)")
    assert ranking[1].startswith("  2. Northwind Security:")
    assert "red flags: soc_ownership, sample_report, handoff" in ranking[1]
    # Scored higher than Northwind, yet last: the knockout says why.
    assert ranking[2].startswith("  3. Quickfix IT:")
    assert "disqualified by knockout SLA-01" in ranking[2]
    assert "stays first in 100% of them, so the lead is robust" in run.stdout
    html = (tmp_path / "comparison-report.html").read_text()
    assert "Harbor Shield" in html and "Quickfix IT" in html
