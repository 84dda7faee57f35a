"""Form strings to answer values and back, for the respondent pages (pure)."""

import pytest

from responses.form_values import FormValueError, form_strings, form_value


@pytest.mark.parametrize(
    ("kind", "posted", "value"),
    [
        ("boolean", ["yes"], True),
        ("boolean", ["no"], False),
        ("boolean", [""], None),
        ("single_choice", ["own"], "own"),
        ("multi_choice", ["a", "b"], ["a", "b"]),
        ("multi_choice", [], None),
        ("number", ["12"], 12),
        ("number", ["12.5"], 12.5),
        ("number", [" 3 "], 3),
        ("scale", ["4"], 4),
        ("text", ["  keep my spacing "], "  keep my spacing "),
        ("text", ["   "], None),
        # Browsers send a textarea's line breaks as CRLF; the API's text has LF.
        ("text", ["one\r\ntwo\r\n"], "one\ntwo\n"),
        ("evidence", ["3, 5,8"], [3, 5, 8]),
    ],
)
def test_posted_strings_make_values(kind, posted, value):
    assert form_value(kind, posted) == value


@pytest.mark.parametrize(
    ("kind", "posted"),
    [
        ("boolean", ["maybe"]),
        ("number", ["twelve"]),
        ("number", ["NaN"]),
        ("number", ["Infinity"]),
        ("scale", ["-1"]),
        ("scale", ["2.5"]),
        ("evidence", ["3, x"]),
    ],
)
def test_strings_of_the_wrong_kind_are_refused(kind, posted):
    with pytest.raises(FormValueError):
        form_value(kind, posted)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("boolean", True),
        ("boolean", False),
        ("multi_choice", ["a", "c"]),
        ("number", 12.5),
        ("scale", 3),
        ("text", "words"),
        ("evidence", [1, 2]),
    ],
)
def test_strings_round_trip(kind, value):
    assert form_value(kind, form_strings(kind, value)) == value
    assert form_strings(kind, None) == []
