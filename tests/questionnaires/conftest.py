import pytest

from questionnaires.services import load_builtin_questionnaires


@pytest.fixture
def builtins(db):
    """The built-in questionnaires, loaded as `manage.py load_builtin_content` does."""
    load_builtin_questionnaires()
