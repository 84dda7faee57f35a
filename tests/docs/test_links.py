"""Every relative link in README.md and docs/**/*.md leads somewhere.

A link `[text](path#anchor)` must name a file or folder that exists, relative to
the page it is on, and its anchor must match a heading of the target page under
GitHub's slug rules. Links with a scheme (`https:`, `mailto:`) are not checked.
"""

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?!`)(.*?)(?<!`)\1(?!`)")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]"  # [text], one level of nested brackets allowed
    r"\(\s*<?([^()\s<>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    lines, fence = [], None
    for line in text.splitlines():
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * len(opening.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        lines.append(line)
    return lines


def heading_text(raw: str) -> str:
    """The text GitHub renders for a heading's source: no links, tags or emphasis
    outside code spans; a code span's content as it is."""
    parts = []
    for index, part in enumerate(CODE_SPAN.split(raw)):
        kind = index % 3  # re.split with two groups: text, fence, code content
        if kind == 0:
            part = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", part)  # a link keeps its text
            part = re.sub(r"<[^>]+>", "", part)  # inline HTML
            part = re.sub(r"(?<!\w)_+([^_]+?)_+(?!\w)", r"\1", part)  # _emphasis_, not snake_case
            parts.append(part)
        elif kind == 2:
            parts.append(part)
    return "".join(parts)


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case; letters, digits, `_`, `-` and spaces
    kept, everything else dropped; each space becomes a hyphen."""
    kept = "".join(
        char
        for char in text.lower()
        if char in " -"
        or unicodedata.category(char)[0] in "LMN"
        or unicodedata.category(char) == "Pc"
    )
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a page, with GitHub's -1, -2, ... suffixes for repeats."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(text):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(heading_text(match.group(2)))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def link_targets(text: str) -> list[str]:
    """Link targets in the prose, including links whose text wraps onto the next line."""
    prose = CODE_SPAN.sub("", "\n".join(prose_lines(text)))  # `[a](b)` in code is no link
    inline = [match.group(1) for match in INLINE_LINK.finditer(prose)]
    return inline + [match.group(1) for match in REFERENCE_DEFINITION.finditer(prose)]


def broken_links(page: Path) -> list[str]:
    """`target: reason` for every relative link of `page` that leads nowhere."""
    problems = []
    for target in link_targets(page.read_text(encoding="utf-8")):
        if not target or SCHEME.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not destination.exists():
            problems.append(f"{target}: no such file")
        elif (
            anchor
            and destination.suffix == ".md"
            and unquote(anchor).lower() not in anchors(destination.read_text(encoding="utf-8"))
        ):
            problems.append(f"{target}: no heading with anchor #{anchor}")
    return problems


@pytest.mark.parametrize("page", pages(), ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    assert broken_links(page) == []


def test_the_pages_include_the_readme_and_the_scoring_rules():
    names = {str(page.relative_to(ROOT)) for page in pages()}
    assert {"README.md", "docs/scoring.md", "docs/evaluations.md"} <= names


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Implementation choices (v1 engine)", "implementation-choices-v1-engine"),
        ("3. Coverage gaps", "3-coverage-gaps"),
        (
            "Ratings: independent, blind until submitted",
            "ratings-independent-blind-until-submitted",
        ),
        ("`handoff_risk` and the *hand-off*", "handoff_risk-and-the-hand-off"),
        ("Links to [the rules](scoring.md)", "links-to-the-rules"),
        ("Prix à  payer", "prix-à--payer"),
        ("`_private_` names", "_private_-names"),
    ],
)
def test_slugs_follow_githubs_rules(heading, expected):
    assert slug(heading_text(heading)) == expected


def test_repeated_headings_get_numbered_anchors_and_code_blocks_hold_none():
    text = "# Notes\n## Notes\n```\n# Not a heading\n```\n### Notes ###\n"
    assert anchors(text) == {"notes", "notes-1", "notes-2"}


def test_a_missing_file_and_a_missing_anchor_are_reported(tmp_path):
    (tmp_path / "target.md").write_text("# Title\n\n## Some part\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](target.md#some-part) [self](#here) [web](https://example.com/x.md)\n"
        "# Here\n"
        "[gone](missing.md) [bad anchor](target.md#other-part) `[code](nowhere.md)` [text\n"
        "on two lines](wrapped.md)\n"
        "```\n[fenced](nowhere.md)\n```\n"
        "[ref]: also-missing.md\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        "target.md#other-part: no heading with anchor #other-part",
        "wrapped.md: no such file",
        "also-missing.md: no such file",
    ]
