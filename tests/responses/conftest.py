"""Fixtures of the responses tests: the headless browser of the respondent pages."""

from tests.browser import phone_browser  # noqa: F401 -- a fixture
