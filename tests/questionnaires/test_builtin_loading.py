"""Built-in questionnaires: loaded from content/*.yaml, idempotently, never mutated."""

import shutil
from io import StringIO

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command

from questionnaires import selectors
from questionnaires.builtin import CONTENT_DIR, BuiltinContentError
from questionnaires.conversion import content_hash
from questionnaires.document import load_document, normalise_document, validate_document
from questionnaires.models import Question, Questionnaire, QuestionnaireVersion, VersionStatus
from questionnaires.services import load_builtin_questionnaires

pytestmark = pytest.mark.django_db

FILES = sorted(CONTENT_DIR.glob("*.yaml"))


def file_document(path):
    return normalise_document(load_document(path.read_text(encoding="utf-8"), "yaml"))


def counts():
    return (
        Questionnaire.objects.count(),
        QuestionnaireVersion.objects.count(),
        Question.objects.count(),
    )


def test_loads_every_file_published_and_exactly():
    summary = load_builtin_questionnaires()
    assert sorted(summary.created) == sorted(p.stem for p in FILES)
    assert Questionnaire.objects.filter(organization__isnull=True).count() == len(FILES)
    for path in FILES:
        version = QuestionnaireVersion.objects.get(
            questionnaire__code=path.stem, questionnaire__organization=None
        )
        assert version.status == VersionStatus.PUBLISHED and version.published_at
        document = selectors.version_document(selectors.version_with_structure(version.pk))
        assert document == file_document(path)
        assert validate_document(document, for_publish=True) == []
        assert version.content_hash == content_hash(document)
        assert version.questionnaire.name == document["name"]


def test_loading_twice_creates_no_duplicates():
    load_builtin_questionnaires()
    before = counts()
    summary = load_builtin_questionnaires()
    assert counts() == before
    assert summary.created == [] and summary.updated == []
    assert len(summary.unchanged) == len(FILES)


def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_retired(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    load_builtin_questionnaires(content)
    old = QuestionnaireVersion.objects.get(questionnaire__code="pack-legal")
    old_document = selectors.version_document(selectors.version_with_structure(old.pk))

    path = content / "pack-legal.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"][0]["questions"][0]["weight"] = 7
    data["version_label"] = "changed"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    summary = load_builtin_questionnaires(content)
    assert summary.updated == ["pack-legal"]
    assert len(summary.unchanged) == len(FILES) - 1
    versions = list(
        QuestionnaireVersion.objects.filter(questionnaire__code="pack-legal").order_by("number")
    )
    assert [(v.number, v.status) for v in versions] == [
        (1, VersionStatus.RETIRED),
        (2, VersionStatus.PUBLISHED),
    ]
    # The old version is untouched; the new one has the new content.
    assert selectors.version_document(selectors.version_with_structure(old.pk)) == old_document
    new = selectors.version_document(selectors.version_with_structure(versions[1].pk))
    assert new == file_document(path)
    assert new["sections"][0]["questions"][0]["weight"] == 7
    assert versions[1].content_hash != versions[0].content_hash
    # And once more: nothing to do.
    assert load_builtin_questionnaires(content).updated == []


def test_an_invalid_file_loads_nothing(tmp_path):
    shutil.copy(CONTENT_DIR / "pack-legal.yaml", tmp_path / "pack-legal.yaml")
    (tmp_path / "zz-broken.yaml").write_text(
        "format: provider-scorecards/questionnaire\nformat_version: 1\ncode: zz-broken\n"
        "name: Broken\nsections: []\n",
        encoding="utf-8",
    )
    with pytest.raises(BuiltinContentError, match="nothing_scored"):
        load_builtin_questionnaires(tmp_path)
    assert not Questionnaire.objects.exists()


def test_app_config_and_command():
    summary = apps.get_app_config("questionnaires").load_builtin_content()
    assert summary.startswith(f"{len(FILES)} built-in questionnaires: {len(FILES)} created")
    out = StringIO()
    call_command("load_builtin_content", stdout=out)
    assert f"questionnaires: {len(FILES)} built-in questionnaires: 0 created" in out.getvalue()
