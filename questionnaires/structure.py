"""Low-level writers of a version's sections and questions (no checks: see services).

Both run a constant number of queries whatever the size of the questionnaire.
"""

from __future__ import annotations

import copy

from .conversion import QUESTION_FIELDS, SECTION_FIELDS, question_fields, section_fields
from .models import Question, QuestionnaireVersion, Section

_SECTION_UPDATE = ["order", *[f for f in SECTION_FIELDS if f != "code"]]
_QUESTION_UPDATE = ["section", "order", *[f for f in QUESTION_FIELDS if f != "code"]]


def write_structure(version: QuestionnaireVersion, document: dict) -> None:
    """Make the version's rows match the normalised ``document``'s sections.

    Rows are matched by code: a section or question that keeps its code keeps
    its id (even when it moves), new codes are created and missing ones deleted.
    """
    old_sections = {s.code: s for s in Section.objects.filter(version=version)}
    old_questions = {q.code: q for q in Question.objects.filter(version=version)}

    sections: list[Section] = []
    new_sections: list[Section] = []
    kept_sections: list[Section] = []
    for order, section_doc in enumerate(document["sections"]):
        values = section_fields(section_doc, order)
        section = old_sections.pop(values["code"], None)
        if section is None:
            section = Section(version=version, **values)
            new_sections.append(section)
        else:
            for name, value in values.items():
                setattr(section, name, value)
            kept_sections.append(section)
        sections.append(section)
    Section.objects.bulk_create(new_sections)
    Section.objects.bulk_update(kept_sections, _SECTION_UPDATE, batch_size=500)

    kept: list[Question] = []
    created: list[Question] = []
    for section, section_doc in zip(sections, document["sections"], strict=True):
        for order, question_doc in enumerate(section_doc["questions"]):
            values = question_fields(question_doc, order)
            question = old_questions.pop(values["code"], None)
            if question is None:
                created.append(Question(version=version, section=section, **values))
            else:
                for name, value in values.items():
                    setattr(question, name, value)
                question.section = section
                kept.append(question)
    if old_questions:
        Question.objects.filter(pk__in=[q.pk for q in old_questions.values()]).delete()
    Question.objects.bulk_update(kept, _QUESTION_UPDATE, batch_size=500)
    Question.objects.bulk_create(created, batch_size=500)
    if old_sections:
        Section.objects.filter(pk__in=[s.pk for s in old_sections.values()]).delete()


def copy_structure(source: QuestionnaireVersion, target: QuestionnaireVersion) -> None:
    """Copy the sections and questions of ``source`` (structure prefetched) to ``target``."""
    sections = list(source.sections.all())
    copies = [
        Section(version=target, order=s.order, **{f: getattr(s, f) for f in SECTION_FIELDS})
        for s in sections
    ]
    Section.objects.bulk_create(copies)
    questions = [
        Question(
            version=target,
            section=copy,
            order=q.order,
            **{f: _copy(getattr(q, f)) for f in QUESTION_FIELDS},
        )
        for section, copy in zip(sections, copies, strict=True)
        for q in section.questions.all()
    ]
    Question.objects.bulk_create(questions, batch_size=500)


def _copy(value):
    """JSON lists and mappings are copied so the two versions never share a mutable value."""
    return copy.deepcopy(value) if isinstance(value, list | dict) else value
