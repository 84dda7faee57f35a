"""The schema as API Platform Admin reads it: ``/api/schema/admin/`` (docs/console.md).

API Platform Admin builds its screens with ``@api-platform/api-doc-parser``, which
reads an OpenAPI document its own way. Three of its readings cannot be met by the
main document (``/api/schema/``) without making that one wrong for validators and
typed clients, so the admin gets its own rendering of the same operations:

- It takes a resource's list and create operations from the path ``/<collection>``
  relative to the first server, and its address from ``<server>/<collection>``: here
  the server is the API base (``/api/v1``) and paths are relative to it, without the
  trailing slash (the API answers both forms, docs/integrating.md).
- It reads a field's choices only from the property's own ``enum``. A multi-value
  field (a list of enum items) carries them on ``items``; beside the list, where
  the parser looks, ``enum`` would make every list invalid for a JSON Schema
  validator, so only this document has it.
- It takes a form field's ``required`` from the schema of the item's read, where
  (as in every response) it means "always in the answer"; forms need "must be
  sent", the create request's list. Typed clients need the former, so the read's
  component gets the create request's ``required`` here only.

It also types the nested objects the parser would otherwise show as text: a
property that is only an ``allOf`` of an object component gets ``type: object``.
"""

import re

from drf_spectacular.settings import spectacular_settings

REF = "#/components/schemas/"
# The parser's own rule for an item route: one path parameter, last.
ITEM_PATH = re.compile(r"^(?P<collection>[^{}]+)/\{[^{}]+\}$")


def _component(components: dict, node: dict | None) -> tuple[str | None, dict]:
    ref = (node or {}).get("$ref", "")
    if not ref.startswith(REF):
        return None, node or {}
    name = ref.removeprefix(REF)
    return name, components.get(name, {})


def _json_schema(content: dict | None) -> dict | None:
    return (content or {}).get("application/json", {}).get("schema")


def relative_paths(result: dict, base: str) -> None:
    """Paths relative to the API base, without their trailing slash."""
    paths = {}
    for path, item in result["paths"].items():
        relative = path.removeprefix(base).rstrip("/") or "/"
        if not path.startswith(f"{base}/") or relative in paths:
            raise ValueError(f"{path} has no distinct address relative to {base}")
        paths[relative] = item
    result["paths"] = paths


def _array_enums(schema: dict, components: dict) -> None:
    for prop in (schema.get("properties") or {}).values():
        if prop.get("type") != "array" or "enum" in prop:
            continue
        _, items = _component(components, prop.get("items"))
        values = items.get("enum")
        if values:
            prop["enum"] = [value for value in values if value is not None]


def _typed_objects(schema: dict, components: dict) -> None:
    for prop in (schema.get("properties") or {}).values():
        parts = prop.get("allOf") or []
        if "type" in prop or len(parts) != 1:
            continue
        _, target = _component(components, parts[0])
        if target.get("type") == "object" or "properties" in target:
            prop["type"] = "object"


def _form_required(result: dict, components: dict) -> None:
    """The read's component of each item route requires what its create requires."""
    for path, item in result["paths"].items():
        match = ITEM_PATH.match(path)
        if match is None or "get" not in item:
            continue
        shown, _ = _component(
            components, _json_schema(item["get"]["responses"]["200"].get("content"))
        )
        if shown is None:
            continue
        create = result["paths"].get(match["collection"], {}).get("post", {})
        _, sent = _component(components, _json_schema(create.get("requestBody", {}).get("content")))
        required = sent.get("required", [])
        if required:
            components[shown]["required"] = list(required)
        else:
            components[shown].pop("required", None)


# What config.schema_views.AdminSchemaView marks its requests with.
PROFILE = "api-platform-admin"


def for_api_platform_admin(result, generator, request, public):
    """The last hook: the admin's rendering, for requests of ``/api/schema/admin/``
    only (settings are global, so the hook runs for every schema and picks)."""
    if getattr(request, "schema_profile", None) != PROFILE:
        return result
    base = spectacular_settings.SCHEMA_PATH_PREFIX
    relative_paths(result, base)
    for server in result.get("servers", []):
        server["url"] = f"{server['url'].rstrip('/')}{base}"
    components = result.get("components", {}).get("schemas", {})
    for schema in components.values():
        _array_enums(schema, components)
        _typed_objects(schema, components)
    _form_required(result, components)
    return result
