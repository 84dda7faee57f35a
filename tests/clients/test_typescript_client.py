"""A TypeScript client generated from the served schema (openapi-typescript, used with
openapi-fetch) type-checks in strict mode: the README's example requests
(clients/typescript/requests.ts), and a reader of every property of every response
type, generated here from the schema (tests/clients/readers.py)."""

import copy
import json
import re
import shutil
import subprocess

from tests.api.test_schema_invariants import OPTIONAL_IN_RESPONSES
from tests.clients.conftest import CLIENT_DIR, fetch_schema, run_node
from tests.clients.readers import reader_source, response_components

# Made optional in a copy of the schema, this property must fail the reader.
BROKEN = ("Job", "status")
ERROR = re.compile(r"^(?P<file>[\w.-]+)\((?P<line>\d+),\d+\): error TS\d+", re.MULTILINE)


def _project(tmp_path, node, schema):
    """A TypeScript project of the committed requests, the types of ``schema`` and of a
    copy where BROKEN is optional, and a reader of each."""
    broken = copy.deepcopy(schema)
    component, prop = BROKEN
    broken["components"]["schemas"][component]["required"].remove(prop)
    for name, document in (("schema", schema), ("broken", broken)):
        (tmp_path / f"{name}.json").write_text(json.dumps(document))
        generator = str(CLIENT_DIR / "generate-types.mjs")
        run_node(node, generator, f"{name}.json", f"{name}.d.ts", cwd=tmp_path)
    (tmp_path / "reader.ts").write_text(reader_source(schema, OPTIONAL_IN_RESPONSES))
    broken_reader = reader_source(schema, OPTIONAL_IN_RESPONSES, module="./broken")
    (tmp_path / "broken-reader.ts").write_text(broken_reader)
    for name in ("tsconfig.json", "requests.ts"):
        shutil.copy(CLIENT_DIR / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(CLIENT_DIR / "node_modules")
    return broken_reader.splitlines()


def test_requests_and_every_response_property_type_check(node_tools, live_server, tmp_path):
    schema = fetch_schema(f"{live_server.url}/api/schema/")
    read = response_components(schema)
    assert len(read) >= 100 and BROKEN[0] in read
    broken_lines = _project(tmp_path, node_tools, schema)
    checked = subprocess.run(  # noqa: S603 (node and the pinned tsc, fixed arguments)
        [str(node_tools), str(CLIENT_DIR / "node_modules/typescript/bin/tsc"), "-p", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    errors = [(m["file"], int(m["line"])) for m in ERROR.finditer(checked.stdout)]
    # The requests, the real reader and the generated types check; the only errors are
    # the broken reader's reads of the property made optional.
    assert errors, checked.stdout[-3000:]
    assert {file for file, _ in errors} == {"broken-reader.ts"}, checked.stdout[-3000:]
    component, prop = BROKEN
    for _, line in errors:
        source = broken_lines[line - 1]
        assert f"Required<Schemas[{json.dumps(component)}]>[{json.dumps(prop)}]" in source


def test_the_reader_reads_every_property_of_a_response_type():
    """The reader generator itself: nested and listed components are read, request
    bodies are not, and the properties allowed to be absent are read as optional."""
    schema = {
        "paths": {
            "/things/": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Thing"},
                                    }
                                }
                            }
                        },
                        "400": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            }
                        },
                    },
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ThingRequest"}
                            }
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "properties": {
                        "id": {"type": "integer"},
                        "part": {"allOf": [{"$ref": "#/components/schemas/Part"}]},
                    }
                },
                "Part": {"properties": {"size": {"type": "integer"}, "note": {}}},
                "Problem": {"properties": {"detail": {"type": "string"}}},
                "ThingRequest": {"properties": {"id": {"type": "integer"}}},
            }
        },
    }
    assert response_components(schema) == ["Part", "Thing"]
    source = reader_source(schema, {"Part": {"note"}})
    assert 'const p0: Required<Schemas["Thing"]>["id"] = value["id"];' in source
    assert 'const p1: Required<Schemas["Thing"]>["part"] = value["part"];' in source
    assert 'const p0: Required<Schemas["Part"]>["size"] = value["size"];' in source
    assert 'const p1: Schemas["Part"]["note"] | undefined = value["note"];' in source
    assert "ThingRequest" not in source
