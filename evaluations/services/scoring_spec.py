"""The engine's view of an evaluation's question set, built once per content.

Building the spec (hundreds of validated ``QuestionSpec``) costs more than
reading its rows, and the rows of a pinned version do not change (published
versions are immutable). The cache does not rely on that: a spec is kept by a
digest of every column it was built from, ids included, so any change to a
question or section simply misses the cache, and nothing needs invalidating.
"""

import dataclasses
import hashlib
import json

from django.db.models import TextField
from django.db.models.functions import Cast

from evaluations.engine.composition import compose
from evaluations.engine.scoring import QuestionnaireSpec, QuestionSpec, SectionSpec
from questionnaires.models import Question, Section

# A question's columns are named as the engine's QuestionSpec fields.
SPEC_FIELDS = tuple(field.name for field in dataclasses.fields(QuestionSpec))
QUESTION_COLUMNS = ("pk", "section_id", *SPEC_FIELDS)
# Read as their JSON text, decoded only to build a spec: decoding 1,500 small
# documents costs more than reading them.
JSON_COLUMNS = frozenset({"options", "bands", "tags", "applies_to", "industries"})
# Specs by the digest of their rows; emptied when full, to bound memory.
_SPECS: dict[bytes, tuple[QuestionnaireSpec, dict[int, str]]] = {}
_MAX_SPECS = 32


def questionnaire_and_codes(version_ids: list[int]) -> tuple[QuestionnaireSpec, dict[int, str]]:
    """The engine's view of the question set of these versions (base first, then packs)
    and its question codes by id, in two queries. Building the spec's 300 validated
    questions costs more than reading them, so a spec is built once per content."""
    question_rows = tuple(
        Question.objects.filter(version_id__in=version_ids)
        .order_by("section_id", "order")
        .values_list(*(Cast(c, TextField()) if c in JSON_COLUMNS else c for c in QUESTION_COLUMNS))
    )
    section_rows = tuple(
        Section.objects.filter(version_id__in=version_ids)
        .order_by("order")
        .values_list("pk", "version_id", "code", "title", "weight")
    )
    key = hashlib.sha256(repr((version_ids, question_rows, section_rows)).encode()).digest()
    built = _SPECS.get(key)
    if built is None:
        if len(_SPECS) >= _MAX_SPECS:
            _SPECS.clear()
        built = _SPECS[key] = _build_questionnaire(version_ids, question_rows, section_rows)
    return built


def _build_questionnaire(version_ids, question_rows, section_rows):
    questions_by_section: dict[int, list[QuestionSpec]] = {}
    codes: dict[int, str] = {}
    for row in question_rows:
        q = {
            c: json.loads(value) if c in JSON_COLUMNS else value
            for c, value in zip(QUESTION_COLUMNS, row, strict=True)
        }
        codes[q["pk"]] = q["code"]
        q["options"] = [(o["value"], o["score"]) for o in q["options"]]
        q["bands"] = [(b.get("max"), b["score"]) for b in q["bands"]]
        questions_by_section.setdefault(q["section_id"], []).append(
            QuestionSpec(**{name: q[name] for name in SPEC_FIELDS})
        )
    sections: dict[int, list[SectionSpec]] = {pk: [] for pk in version_ids}
    for pk, version_id, code, title, weight in section_rows:
        sections[version_id].append(
            SectionSpec(
                code=code,
                title=title,
                weight=weight,
                questions=tuple(questions_by_section.get(pk, ())),
            )
        )
    parts = [QuestionnaireSpec(sections=tuple(sections[pk])) for pk in version_ids]
    return compose(parts), codes
