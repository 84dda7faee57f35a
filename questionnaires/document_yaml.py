"""The YAML reader of questionnaire documents: safe, fast and bounded while parsing.

Pure module (no Django). ``parse_yaml`` reads text with libyaml's C parser
when PyYAML was built with it (PyYAML's pure-Python scanner takes tens of
seconds on a 2 MB document) and composes the node tree in Python, so the
limits apply while nodes are created, not after: the value budget and the
depth are checked per node, and aliases are refused at the first one (they
allow exponential blow-up and have no use in a questionnaire).
Nothing beyond the budget is ever built, so a hostile document costs at most
about the budget in time and memory.

Besides, only true/false are booleans (``no``, ``on`` stay strings), dates stay
strings, mapping keys must be strings and duplicate keys are refused.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode
from yaml.resolver import Resolver

__all__ = ["YamlLimitExceeded", "parse_yaml"]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"

try:  # libyaml's parser; the pure-Python one gives the same events, slowly
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class YamlLimitExceeded(ValueError):
    """A limit was reached while parsing; ``code`` is ``too_large`` or ``too_deep``."""

    def __init__(self, code: str, message: str, mark):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = mark.line + 1 if mark else None
        self.column = mark.column + 1 if mark else None


class _BoundedComposer(Composer):
    """PyYAML's composer, counting values and depth as it builds each node.

    Listed before the parser so its Python ``compose_node`` replaces the C
    parser's own composer; it reads the parser's events one by one.
    """

    max_values = 0
    max_depth = 0

    def __init__(self):
        super().__init__()
        self._values = 0
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed", event.start_mark
            )
        is_key = isinstance(parent, MappingNode) and index is None
        if not is_key:
            self._values += 1
            if self._values > self.max_values:
                raise YamlLimitExceeded(
                    "too_large",
                    f"the document has more than {self.max_values} values",
                    event.start_mark,
                )
        nests = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if nests and self._depth >= self.max_depth:
            raise YamlLimitExceeded(
                "too_deep", f"the document nests deeper than {self.max_depth}", event.start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(SafeConstructor):
    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
            seen: set[str] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                    raise ConstructorError(
                        None, None, "mapping keys must be strings", key_node.start_mark
                    )
                if key_node.value in seen:
                    raise ConstructorError(
                        None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


class _Resolver(Resolver):
    pass


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Loader(_BoundedComposer, _Parser, _Constructor, _Resolver):
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _BoundedComposer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def parse_yaml(text: str, *, max_values: int, max_depth: int) -> Any:
    """The single YAML document in ``text`` as Python values.

    Raises ``yaml.YAMLError`` when the text is not valid YAML (or uses aliases,
    duplicate or non-string keys, unknown tags) and
    :class:`YamlLimitExceeded` at the first value beyond ``max_values`` or the
    first collection nested deeper than ``max_depth``.
    """
    loader = _Loader(text)
    loader.max_values = max_values
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
