"""The questions a request asks: the evaluation's pinned set, restricted to those
applicable in the lots the candidate bids on (``responses.rules.applicable_codes``)."""

from dataclasses import dataclass

from evaluations.services.packs import pinned_questions
from evaluations.services.scoring import evaluation_spec, lot_inputs, questionnaire_spec
from questionnaires.models import Question, Section
from responses.models import ResponseRequest
from responses.rules import applicable_codes


@dataclass(frozen=True)
class AskedSection:
    section: Section
    questions: list[Question]


def asked_questions(request: ResponseRequest) -> list[AskedSection]:
    """Sections in questionnaire order (base version, then packs) with their asked
    questions; sections with none left out. A constant number of queries."""
    evaluation = request.evaluation
    lots = [(lot.code, lot.service_models) for lot in lot_inputs(evaluation)]
    codes = applicable_codes(
        questionnaire_spec(evaluation), evaluation_spec(evaluation), lots, request.candidate.lots
    )
    questions = (
        pinned_questions(evaluation)
        .filter(code__in=codes)
        .select_related("section")
        .order_by("section__order", "order")
    )
    pack_order = {evaluation.questionnaire_version_id: -1}
    pack_order.update(
        {
            pk: index
            for index, pk in enumerate(
                evaluation.pack_links.order_by("position").values_list("version_id", flat=True)
            )
        }
    )
    grouped: dict[int, AskedSection] = {}
    for question in questions:
        entry = grouped.setdefault(question.section_id, AskedSection(question.section, []))
        entry.questions.append(question)
    return sorted(
        grouped.values(),
        key=lambda entry: (pack_order.get(entry.section.version_id, 0), entry.section.order),
    )


def asked_by_code(request: ResponseRequest) -> dict[str, Question]:
    return {q.code: q for entry in asked_questions(request) for q in entry.questions}
