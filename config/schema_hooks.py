"""drf-spectacular postprocessing hooks: what generic OpenAPI consumers need besides
the operations (docs/integrating.md, "Generic OpenAPI tools")."""

from django.conf import settings


def servers(result, generator, request, public):
    """``servers``: where the API answers. Served, the schema names the origin it
    was fetched from (behind a TLS proxy, ``https`` when the proxy says so); written
    by ``manage.py spectacular``, the configured ``SITE_URL``."""
    url = request.build_absolute_uri("/").rstrip("/") if request is not None else settings.SITE_URL
    result["servers"] = [{"url": url, "description": "This service"}]
    return result


# drf-spectacular's component for the null of nullable choices.
NULL_ENUM = "NullEnum"


def _enum_values(schema, components) -> list | None:
    """The values of a property that is only references to enum components (a wrapped
    ``allOf`` or a nullable ``oneOf``), else None."""
    wrapped = schema.get("allOf") or schema.get("oneOf")
    if not wrapped or any(set(part) != {"$ref"} for part in wrapped):
        return None
    targets = [components.get(part["$ref"].rsplit("/", 1)[-1], {}) for part in wrapped]
    if not all("enum" in target for target in targets):
        return None
    values = []
    for target in targets:
        values += [value for value in target["enum"] if value not in values]
    return values


def _expose(schema, components) -> None:
    if not isinstance(schema, dict):
        return
    values = _enum_values(schema, components)
    if values is not None and schema.get("nullable") and "allOf" in schema:
        # OAS 3.0: `nullable` does not reach into an `allOf` (3.0.3 clarifies it), so
        # clients read such a property as never null; null is one of its values instead.
        components.setdefault(NULL_ENUM, {"enum": [None]})
        schema["oneOf"] = [*schema.pop("allOf"), {"$ref": f"#/components/schemas/{NULL_ENUM}"}]
        values = [*values, None]
    if values is not None:
        # The named enum stays (typed clients keep their enum types); the values are
        # repeated beside it, where tools that stop at a wrapped reference (and would
        # render a free-text input) look first.
        schema["enum"] = values
        types = {type(value) for value in values if value is not None}
        schema["type"] = "integer" if types == {int} else "string"
        if None in values:
            schema["nullable"] = True
    for child in (schema.get("properties") or {}).values():
        _expose(child, components)
    _expose(schema.get("items"), components)
    if isinstance(schema.get("additionalProperties"), dict):
        _expose(schema["additionalProperties"], components)


def visible_enums(result, generator, request, public):
    """Every property whose values are an enum carries ``enum`` itself."""
    components = result.get("components", {}).get("schemas", {})
    for component in components.values():
        _expose(component, components)
    return result
