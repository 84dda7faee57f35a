"""The write services: import, drafts, publish, clone, retire, delete; rows <-> document."""

import pytest

from config.exceptions import Conflict
from questionnaires import selectors, services
from questionnaires.conversion import content_hash
from questionnaires.document import normalise_document
from questionnaires.models import Question, Questionnaire, QuestionnaireVersion, VersionStatus
from tests.questionnaires.documents import make_document

pytestmark = pytest.mark.django_db


def document_of(version):
    return selectors.version_document(selectors.version_with_structure(version.pk))


def test_import_stores_the_normalised_document(organization):
    document = make_document()
    version = services.import_document(organization, document)
    assert version.status == VersionStatus.DRAFT and version.number == 1
    assert document_of(version) == normalise_document(document)
    assert version.questionnaire.organization == organization
    assert version.content_hash == ""


def test_import_of_an_existing_code_adds_a_draft_version(organization):
    first = services.import_document(organization, make_document())
    services.publish_version(first)
    second = services.import_document(organization, make_document(name="Renamed"))
    assert second.questionnaire_id == first.questionnaire_id
    assert second.number == 2 and second.status == VersionStatus.DRAFT
    # The questionnaire keeps the published name until the new draft is published.
    assert Questionnaire.objects.get(pk=first.questionnaire_id).name == "Acme vetting"
    services.publish_version(second)
    assert Questionnaire.objects.get(pk=first.questionnaire_id).name == "Renamed"


def test_import_refuses_a_second_draft(organization):
    services.import_document(organization, make_document())
    with pytest.raises(Conflict) as exc:
        services.import_document(organization, make_document())
    assert exc.value.get_codes() == "draft_exists"


def test_importing_a_builtin_code_creates_an_own_questionnaire(organization, builtins):
    builtin = Questionnaire.objects.get(code="provider-vetting", organization=None)
    version = services.import_document(organization, make_document(code="provider-vetting"))
    assert version.questionnaire.organization == organization
    assert version.questionnaire_id != builtin.pk
    assert builtin.versions.count() == 1


def test_invalid_document_reports_every_problem(organization):
    document = make_document()
    document["sections"][0]["questions"][0]["options"] = []
    document["sections"][1]["code"] = "soc"
    with pytest.raises(services.DocumentInvalid) as exc:
        services.import_document(organization, document)
    assert {(p.path, p.code) for p in exc.value.problems} == {
        ("sections[0].questions[0].options", "options_required"),
        ("sections[1].code", "duplicate_code"),
    }
    assert not Questionnaire.objects.exists()


def test_nul_characters_are_refused_before_the_database(organization):
    document = make_document()
    document["sections"][0]["title"] = "SOC\x00"
    with pytest.raises(services.DocumentInvalid) as exc:
        services.import_document(organization, document)
    assert [(p.path, p.code) for p in exc.value.problems] == [
        ("sections[0].title", "invalid_character")
    ]


def test_publish_freezes_and_retires_the_previous_version(organization):
    first = services.import_document(organization, make_document())
    services.publish_version(first)
    first.refresh_from_db()
    assert first.status == VersionStatus.PUBLISHED and first.published_at
    assert first.content_hash == content_hash(normalise_document(make_document()))
    second = services.new_version(first)
    services.publish_version(second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert first.retired_at is not None
    # Same content, same hash: the hash is of the content, not of the row.
    assert second.content_hash == first.content_hash


def test_publish_checks_the_publish_rules(organization):
    document = make_document()
    document["sections"][1]["questions"] = []
    version = services.import_document(organization, document)  # fine for a draft
    with pytest.raises(services.DocumentInvalid) as exc:
        services.publish_version(version)
    assert [(p.path, p.code) for p in exc.value.problems] == [
        ("sections[1].questions", "empty_section")
    ]
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_new_version_clones_exactly(organization):
    first = services.import_document(organization, make_document())
    services.publish_version(first)
    clone = services.new_version(first)
    assert clone.number == 2 and clone.status == VersionStatus.DRAFT
    assert document_of(clone) == document_of(first)
    assert set(Question.objects.filter(version=clone).values_list("id", flat=True)).isdisjoint(
        Question.objects.filter(version=first).values_list("id", flat=True)
    )
    with pytest.raises(Conflict):
        services.new_version(first)


def test_edit_keeps_question_ids_by_code_and_moves_questions(organization):
    version = services.import_document(organization, make_document())
    ids = dict(Question.objects.filter(version=version).values_list("code", "id"))
    document = make_document()
    moved = document["sections"][0]["questions"].pop(1)  # SOC-02 -> second section
    document["sections"][1]["questions"].insert(0, moved)
    del document["sections"][1]["questions"][-1]  # REP-03 removed
    document["sections"][1]["questions"].append(
        {"code": "REP-04", "text": "New?", "kind": "boolean"}
    )
    services.update_draft(version, {"sections": document["sections"], "name": "Edited"})
    assert document_of(version) == normalise_document({**document, "name": "Edited"})
    after = dict(Question.objects.filter(version=version).values_list("code", "id"))
    assert after["SOC-02"] == ids["SOC-02"] and after["REP-01"] == ids["REP-01"]
    assert "REP-03" not in after and "REP-04" in after
    assert Question.objects.get(code="SOC-02", version=version).section.code == "rep"


def test_edit_rejects_read_only_and_unknown_fields(organization):
    version = services.import_document(organization, make_document())
    with pytest.raises(services.DocumentInvalid) as exc:
        services.update_draft(version, {"code": "other", "colour": "red", "name": ""})
    assert {(p.path, p.code) for p in exc.value.problems} == {
        ("code", "read_only"),
        ("colour", "unknown_field"),
        ("name", "invalid_length"),
    }


@pytest.mark.parametrize(
    "write",
    [
        lambda v: services.update_draft(v, {"name": "x"}),
        services.publish_version,
        services.delete_version,
    ],
    ids=["edit", "publish", "delete"],
)
def test_published_and_retired_versions_never_change(organization, write):
    first = services.import_document(organization, make_document())
    services.publish_version(first)
    second = services.new_version(first)
    services.publish_version(second)  # first is now retired
    for version in (first, second):
        before = document_of(version)
        with pytest.raises(Conflict):
            write(version)
        assert document_of(version) == before


def test_retire(organization):
    version = services.import_document(organization, make_document())
    with pytest.raises(Conflict):
        services.retire_version(version)  # a draft
    services.publish_version(version)
    services.retire_version(version)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    with pytest.raises(Conflict):
        services.retire_version(version)


def test_delete_rules(organization):
    first = services.import_document(organization, make_document())
    with pytest.raises(Conflict):
        services.delete_version(first)  # the only version
    services.publish_version(first)
    draft = services.new_version(first)
    services.delete_version(draft)
    assert not QuestionnaireVersion.objects.filter(pk=draft.pk).exists()
    with pytest.raises(Conflict):
        services.delete_questionnaire(first.questionnaire)  # has a published version
    never_published = services.import_document(organization, make_document(code="other"))
    services.delete_questionnaire(never_published.questionnaire)
    assert not Questionnaire.objects.filter(code="other").exists()


def test_create_questionnaire_starts_an_empty_draft(organization):
    questionnaire = services.create_questionnaire(
        organization, {"code": "new-one", "name": "New one"}
    )
    version = questionnaire.versions.get()
    assert version.status == VersionStatus.DRAFT
    assert document_of(version)["sections"] == []
    with pytest.raises(Conflict):
        services.create_questionnaire(organization, {"code": "new-one", "name": "Again"})
    with pytest.raises(services.DocumentInvalid) as exc:
        services.create_questionnaire(organization, {"code": "Bad Code", "sections": []})
    assert {(p.path, p.code) for p in exc.value.problems} == {
        ("code", "invalid_format"),
        ("name", "missing"),
        ("sections", "unknown_field"),
    }


def test_selector_loads_a_version_in_three_queries(organization, django_assert_num_queries):
    version = services.import_document(organization, make_document())
    with django_assert_num_queries(3):
        loaded = selectors.version_with_structure(version.pk)
        document = selectors.version_document(loaded)
    assert document == normalise_document(make_document())
