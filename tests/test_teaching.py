"""The teacher's guide (docs/teaching.md) matches the course as it is.

It has a section per notebook (every chapter of ``notebooks/`` and the explorer), headed by the
notebook's own title and linking to it; every exercise it names exists in that chapter, and each
chapter's section names every exercise of the chapter; the lesson plans name exercises only as
``NN (Ex a, Ex b)`` with exercises that exist; the explorer scenarios it names are the real ones;
every relative link in it resolves; and every phrase it quotes as what a check says is said by
``lrlab/checks.py``, the corpus of typical mistakes (``tests/test_checks_mistakes.py``) or the
chapter's own cells.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import exercises  # noqa: E402
import nbtools  # noqa: E402

GUIDE = REPO / "docs" / "teaching.md"
EXERCISE = re.compile(r"\bEx (\d+)\b")
PLAN_GROUP = re.compile(r"\b(\d\d) \(([^)]*)\)")
LINK = re.compile(r"\]\(([^)\s]+)\)")


@cache
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def sections(text: str, level: int) -> dict[str, str]:
    """``{heading: body}`` of the headings of exactly ``level`` ``#`` (a body ends at the next
    heading of that level or higher)."""
    found, heading, lines = {}, None, []
    for line in text.splitlines():
        match = re.match(r"^(#+) (.*)$", line)
        if match and len(match.group(1)) <= level:
            if heading is not None:
                found[heading] = "\n".join(lines)
            heading = match.group(2).strip() if len(match.group(1)) == level else None
            lines = []
        elif heading is not None:
            lines.append(line)
    if heading is not None:
        found[heading] = "\n".join(lines)
    return found


def title(path: Path) -> str:
    """The notebook's title: the first line of its title cell, without the ``#``."""
    first = nbtools.source(nbtools.read(path).cells[0]).splitlines()[0]
    assert first.startswith("# "), (path.name, first)
    return first[2:].strip()


NOTEBOOKS = nbtools.notebook_paths()


def chapter_sections() -> dict[str, str]:
    return sections(sections(guide(), 2)["The chapters"], 3)


def test_the_course_has_chapters_and_the_explorer():
    names = [p.name for p in NOTEBOOKS]
    assert nbtools.EXPLORER in names and nbtools.START_HERE in names and len(names) >= 18


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_its_section_with_every_exercise(path):
    found = chapter_sections()
    heading = title(path)
    assert heading in found, f"docs/teaching.md has no '### {heading}' under '## The chapters'"
    body = found[heading]
    assert f"../notebooks/{path.name}" in body, f"the section '{heading}' does not link to {path.name}"
    expected = set(exercises.exercises(nbtools.read(path)))
    named = {int(n) for n in EXERCISE.findall(body)}
    assert named <= expected, f"{path.name}: the guide names Ex {sorted(named - expected)}, the chapter has {sorted(expected)}"
    assert named == expected, f"{path.name}: the guide never names Ex {sorted(expected - named)}"
    for part in ("Lab time:",):
        assert part in body, (heading, part)
    if expected:  # a chapter with exercises: its questions come with answers
        assert body.count("*Answer:*") >= 2, heading


def test_every_section_is_a_notebook():
    titles = {title(p) for p in NOTEBOOKS}
    extra = set(chapter_sections()) - titles
    assert not extra, f"sections of docs/teaching.md for no notebook: {sorted(extra)}"


def course_exercises() -> dict[str, set[int]]:
    found = {}
    for path in nbtools.chapter_paths():
        found[path.name[:2]] = set(exercises.exercises(nbtools.read(path)))
    return found


def test_the_lesson_plans_name_existing_exercises_of_named_chapters():
    plans = sections(guide(), 2)["Lesson plans"]
    course = course_exercises()
    groups = PLAN_GROUP.findall(plans)
    assert len(groups) >= 12, "the plans name their exercises as 'NN (Ex a, Ex b)'"
    for chapter, inside in groups:
        assert chapter in course, f"the plans name chapter {chapter}, which does not exist"
        named = {int(n) for n in EXERCISE.findall(inside)}
        assert named, f"'{chapter} ({inside})' names no exercise"
        assert named <= course[chapter], f"chapter {chapter} has no Ex {sorted(named - course[chapter])}"
    outside = PLAN_GROUP.sub("", plans)
    assert not EXERCISE.search(outside), f"an exercise named without its chapter: {EXERCISE.search(outside).group(0)}"
    for plan in ("A 6-lab course", "A 12-lab course"):
        table = sections(plans, 3)[plan]
        rows = [line for line in table.splitlines() if re.match(r"^\| \d+ \|", line)]
        assert len(rows) == int(plan.split()[1].split("-")[0]), plan


def test_no_exercise_is_named_outside_a_chapter_or_a_plan():
    text = guide()
    for name in ("The chapters", "Lesson plans"):
        text = text.replace(sections(text, 2)[name], "")
    assert not EXERCISE.search(text), EXERCISE.search(text).group(0)


def test_the_explorer_scenarios_named_are_the_real_ones():
    from lrlab.explorer import explorer, schedule_names

    real = set(explorer().scenarios)
    text = guide()
    for label in real:
        assert f"*{label}*" in text, f"the guide never names the scenario {label!r}"
    body = chapter_sections()[title(nbtools.NOTEBOOKS / nbtools.EXPLORER)]
    listed = re.search(r"\*\*Scenarios:\*\*(.*?)(?=\n- \*\*)", body, re.S).group(1)
    assert set(re.findall(r"\*([^*]+)\*", listed)) == real
    # Whatever a "Project:" line or a plan's project column puts in italics is a scenario button,
    # and a schedule it sets run A or B to is one of the explorer's.
    projects = [line for line in re.findall(r"\*\*Project:\*\*(.*?)(?=\n- \*\*|\n#|\Z)", text, re.S)]
    for table in ("A 6-lab course", "A 12-lab course"):
        for line in sections(sections(text, 2)["Lesson plans"], 3)[table].splitlines():
            cells = line.split("|")
            if len(cells) > 4 and re.match(r"^ \d+ $", cells[1]):
                projects.append(cells[4])
    assert len(projects) >= (len(NOTEBOOKS) - 1) + 6 + 12  # every section but the explorer's, every lab
    for line in projects:
        for italic in re.findall(r"(?<!\*)\*([^*\n]+)\*(?!\*)", line):
            assert italic in real, f"{italic!r} is not a scenario of the explorer"
        for name in re.findall(r"\b(?:A|B)(?:'s schedule)? (?:on|to) `([a-z_0-9]+)`", line):
            assert name in schedule_names(), f"the explorer has no schedule {name!r}"


def test_every_relative_link_resolves():
    links = LINK.findall(guide())
    assert links
    for target in links:
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = (GUIDE.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"docs/teaching.md links to {target}, which does not exist"
        assert REPO in path.parents, f"{target} leaves the repository"


def test_the_readme_links_the_guide():
    assert "(docs/teaching.md)" in (REPO / "README.md").read_text(encoding="utf-8")


def _joined(text: str) -> str:
    """``text`` with Python's implicit string concatenation across lines undone and whitespace
    collapsed, so that a message split over two source lines reads as one phrase."""
    return re.sub(r"\s+", " ", re.sub(r"\"\s*\n\s*f?\"", "", text))


def test_every_quoted_check_wording_exists():
    """What the guide quotes in double quotes under "Mistakes the checks catch" is a check's wording:
    a phrase of lrlab/checks.py, of the corpus of typical mistakes, or of the chapter's own cells
    (its check calls and hints, its section titles)."""
    checks = _joined((REPO / "lrlab" / "checks.py").read_text(encoding="utf-8")
                     + (REPO / "tests" / "test_checks_mistakes.py").read_text(encoding="utf-8"))
    quoted = 0
    for path in nbtools.chapter_paths():
        body = chapter_sections()[title(path)]
        found = re.search(r"\*\*Mistakes the checks catch:?\*\*(.*?)(?=\n- \*\*|\Z)", body, re.S)
        if found is None:
            continue
        chapter = _joined("\n".join(nbtools.source(cell) for cell in nbtools.read(path).cells))
        for phrase in re.findall(r'"([^"]+)"', re.sub(r"\s+", " ", found.group(1))):
            quoted += 1
            assert phrase in checks or phrase in chapter, (
                f"docs/teaching.md quotes {phrase!r} for {path.name}, which no check, corpus case or cell of the chapter says")
    assert quoted >= 30
