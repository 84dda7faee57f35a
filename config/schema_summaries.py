"""Default operation summaries, for the operations that do not state their own.

Redoc's menu and generated clients show an operation's summary; without one they
show its id. An ``extend_schema(summary=...)`` always wins; otherwise the summary
is built from the action and the resource's names (``List candidates of an
evaluation``), or the first sentence of the action's docstring for other actions.
Plain data in and out: the schema class gathers the names.
"""

from dataclasses import dataclass

_TEMPLATES = {
    "list": "List {plural}",
    "create": "Create {a} {singular}",
    "retrieve": "Get {a} {singular}",
    "update": "Replace {a} {singular}",
    "partial_update": "Update {a} {singular}",
    "destroy": "Delete {a} {singular}",
}
# Plain API views (no viewset action): the HTTP method says what happens.
_METHOD_VERBS = {"GET": "Get", "POST": "Submit", "PATCH": "Update", "DELETE": "Delete"}
MAX_LENGTH = 80


@dataclass(frozen=True)
class Names:
    singular: str  # "sla term"
    plural: str  # "sla terms"
    parent: str = ""  # "provider" for routes nested under one


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def first_sentence(doc: str) -> str:
    line = doc.strip().split("\n\n")[0].replace("\n", " ")
    sentence = line.split(". ")[0].split(": ")[0].rstrip(".").strip()
    return sentence if 0 < len(sentence) <= MAX_LENGTH else ""


def summary(action: str | None, method: str, names: Names | None, view_name: str, doc: str) -> str:
    """The summary of one operation; never empty."""
    if action in _TEMPLATES and names is not None:
        text = _TEMPLATES[action].format(a=article(names.singular), **vars(names))
        if names.parent and action in ("list", "create"):
            preposition = "of" if action == "list" else "in"
            text += f" {preposition} {article(names.parent)} {names.parent}"
        return text
    if action:
        return first_sentence(doc) or action.replace("_", " ").capitalize()
    return f"{_METHOD_VERBS.get(method, method.title())} {view_name.lower()}"
