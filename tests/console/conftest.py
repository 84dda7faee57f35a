from tests.browser import desktop_browser  # noqa: F401 -- a fixture
