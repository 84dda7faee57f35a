"""The built-in capability catalog, read from ``content/capabilities.yaml``.

Pure Python (no Django): the needs and coverage engines use it directly, and a
Django service syncs it into the capabilities table by ``code``. The file is
validated on load; anything malformed raises :class:`CatalogError` naming the
entry and field, so a bad edit fails loudly in tests rather than at run time.

File format::

    version: 1
    capabilities:
      - code: msp.help_desk          # "<service model>.<slug>", unique, stable
        service_model: msp           # a ServiceModel value
        name: Help desk and user support
        description: Plain-language account of the function.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from providers.vocabulary import ServiceModel

CATALOG_PATH = Path(__file__).resolve().parent / "content" / "capabilities.yaml"
SUPPORTED_VERSIONS = frozenset({1})

_FIELDS = ("code", "service_model", "name", "description")
_CODE_RE = re.compile(r"^(?P<model>[a-z]+)\.[a-z][a-z0-9_]*$")
_MAX_CODE = 64
_MAX_NAME = 120
_MAX_DESCRIPTION = 1000


class CatalogError(ValueError):
    """The capability catalog file is malformed."""


@dataclass(frozen=True, slots=True)
class Capability:
    """One function a provider of ``service_model`` is expected to deliver."""

    code: str
    name: str
    description: str
    service_model: ServiceModel

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "service_model": self.service_model.value,
        }


def load_capability_catalog(path: str | Path | None = None) -> tuple[Capability, ...]:
    """Load and validate the catalog; the default file is read once and cached.

    Entries come back in file order (grouped by service model).
    """
    if path is None:
        return _load_default()
    return _load(Path(path))


@cache
def _load_default() -> tuple[Capability, ...]:
    return _load(CATALOG_PATH)


def _load(path: Path) -> tuple[Capability, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"cannot read capability catalog {path}: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"capability catalog {path} is not valid YAML: {exc}") from exc
    return parse_capability_catalog(data)


def parse_capability_catalog(data: Any) -> tuple[Capability, ...]:
    """Validate already-parsed catalog data (the YAML document as Python objects)."""
    if not isinstance(data, Mapping):
        raise CatalogError("catalog must be a mapping with 'version' and 'capabilities'")
    unknown = sorted(set(data) - {"version", "capabilities"})
    if unknown:
        raise CatalogError(f"catalog has unknown top-level keys: {', '.join(map(str, unknown))}")
    version = data.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise CatalogError(f"catalog version must be one of {sorted(SUPPORTED_VERSIONS)}")
    entries = data.get("capabilities")
    if not isinstance(entries, list) or not entries:
        raise CatalogError("'capabilities' must be a non-empty list")

    result: list[Capability] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        capability = _parse_entry(index, entry)
        if capability.code in seen:
            raise CatalogError(f"capabilities[{index}]: duplicate code {capability.code!r}")
        seen.add(capability.code)
        result.append(capability)
    return tuple(result)


def _parse_entry(index: int, entry: Any) -> Capability:
    where = f"capabilities[{index}]"
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: each entry must be a mapping")
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise CatalogError(f"{where}: unknown fields {', '.join(map(str, unknown))}")
    values: dict[str, str] = {}
    for field in _FIELDS:
        value = entry.get(field)
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{where}: '{field}' must be a non-empty string")
        values[field] = " ".join(value.split())  # fold YAML line breaks and stray spaces

    code = values["code"]
    where = f"{where} ({code})"
    try:
        model = ServiceModel(values["service_model"])
    except ValueError:
        allowed = ", ".join(m.value for m in ServiceModel)
        raise CatalogError(f"{where}: service_model must be one of {allowed}") from None
    match = _CODE_RE.match(code)
    if match is None or len(code) > _MAX_CODE:
        raise CatalogError(f"{where}: code must look like '<model>.<lower_snake_slug>'")
    if match.group("model") != model.value:
        raise CatalogError(f"{where}: code prefix must be the service model {model.value!r}")
    if len(values["name"]) > _MAX_NAME:
        raise CatalogError(f"{where}: name is longer than {_MAX_NAME} characters")
    if len(values["description"]) > _MAX_DESCRIPTION:
        raise CatalogError(f"{where}: description is longer than {_MAX_DESCRIPTION} characters")
    return Capability(
        code=code, name=values["name"], description=values["description"], service_model=model
    )


def capabilities_by_model(
    catalog: Iterable[Capability],
) -> dict[ServiceModel, tuple[Capability, ...]]:
    """Group a catalog by service model, in ``ServiceModel`` order (every model present)."""
    grouped: dict[ServiceModel, list[Capability]] = {model: [] for model in ServiceModel}
    for capability in catalog:
        grouped[ServiceModel(capability.service_model)].append(capability)
    return {model: tuple(items) for model, items in grouped.items()}
