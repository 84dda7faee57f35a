"""The functional core stays pure: plain data in and out, no Django, no ORM.

Each module below may import only the standard library, the few computing
libraries listed, and other pure modules. Every module of
``evaluations/engine/`` is pure by being there, so a new engine module is
checked without being listed.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PURE_MODULES = {
    "config.schema_summaries",
    "config.text",
    "contracts.commitments",
    "contracts.dates",
    "contracts.finding_rules",
    "contracts.measurement_csv",
    "contracts.reassessment_comparison",
    "contracts.reassessment_rules",
    "contracts.reminder_rules",
    "contracts.portfolio",
    "contracts.sla_rules",
    "needs.assessment",
    "needs.rules",
    "notifications.reminder_rules",
    "providers.catalog",
    "providers.rules",
    "providers.vocabulary",
    "responses.form_values",
    "responses.rules",
    "questionnaires.document",
    "questionnaires.document_rules",
    "questionnaires.document_schema",
    "questionnaires.document_warnings",
    "questionnaires.document_yaml",
    "questionnaires.prefill",
    "questionnaires.prefill_sources",
} | {
    f"evaluations.engine.{path.stem}"
    for path in (ROOT / "evaluations" / "engine").glob("*.py")
    if path.stem != "__init__"
}
# Computing and parsing libraries, none of which reaches a database or the web.
ALLOWED_LIBRARIES = {"numpy", "krippendorff", "yaml", "jsonschema"}
# Packages whose __init__ is empty, so `from needs import rules` imports only needs.rules.
NAMESPACES = {
    "contracts",
    "evaluations",
    "evaluations.engine",
    "needs",
    "providers",
    "questionnaires",
}


def module_path(name: str) -> Path:
    return ROOT.joinpath(*name.split(".")).with_suffix(".py")


def imported_modules(name: str, source: str | None = None) -> list[str]:
    """Every module ``name`` imports, absolute, with ``from pkg import mod`` resolved."""
    tree = ast.parse(module_path(name).read_text() if source is None else source)
    package = name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if base == "__future__":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append(candidate if module_path(candidate).exists() else base)
    return found


def allowed(imported: str) -> bool:
    top = imported.partition(".")[0]
    if top in sys.stdlib_module_names or top in ALLOWED_LIBRARIES:
        return True
    return imported in PURE_MODULES or imported in NAMESPACES


def test_the_engine_package_holds_modules():
    assert {"evaluations.engine.scoring", "evaluations.engine.types"} <= PURE_MODULES


@pytest.mark.parametrize("name", sorted(PURE_MODULES))
def test_pure_module_imports_nothing_impure(name):
    impure = [imported for imported in imported_modules(name) if not allowed(imported)]
    assert not impure, f"{name} imports {impure}: pure modules take plain data only"


@pytest.mark.parametrize("name", sorted(NAMESPACES))
def test_namespace_packages_import_nothing(name):
    init = ROOT.joinpath(*name.split("."), "__init__.py")
    tree = ast.parse(init.read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def test_the_checker_catches_impure_imports():
    source = (
        "from django.db import models\n"
        "from evaluations.models import Scorecard\n"
        "from ..services import scoring\n"
        "from . import types\n"
        "import celery\n"
    )
    found = imported_modules("evaluations.engine.probe", source)
    bad = [imported for imported in found if not allowed(imported)]
    assert bad == ["django.db", "evaluations.models", "evaluations.services.scoring", "celery"]
