"""The classroom kit: the student edition (tools/student.py) and grading (tools/grade.py).

The student edition of every notebook is run top to bottom in a fresh kernel: no error, and
every exercise reports "not attempted yet", which also proves that no check needs a solution
cell. Grading is run on a class folder that holds a solved, a wrong, an untouched and broken
submissions (invalid JSON, a cell that raises, an endless loop, a kernel that dies, a notebook
of another chapter, a notebook of no chapter).
"""

from __future__ import annotations

import copy
import csv
import io
import re
import sys
from pathlib import Path

import nbformat
import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"
sys.path.insert(0, str(TOOLS))
import exercises  # noqa: E402
import grade  # noqa: E402
import nbtools  # noqa: E402
import student  # noqa: E402

CHAPTERS = [p for p in nbtools.chapter_paths() if exercises.exercises(nbtools.read(p))]
GRADED_CHAPTER = "06"  # a short chapter: the solved and wrong submissions run it in full


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    student.write_edition(out)
    return out / "notebooks"


def _course(chapter: str):
    return nbtools.read(next(nbtools.NOTEBOOKS.glob(f"{chapter}_*.ipynb")))


def test_every_chapter_has_exercises_and_a_solution_for_each():
    assert len(CHAPTERS) >= 15
    for path in CHAPTERS:
        nb = nbtools.read(path)
        assert set(exercises.exercises(nb)) == set(exercises.exercises(nb, "Solutions")), path.name


def test_student_edition_keeps_everything_but_the_solutions(edition):
    for path in nbtools.notebook_paths():
        course, mine = nbtools.read(path), nbtools.read(edition / path.name)
        text = "\n".join(nbtools.source(c) for c in mine.cells)
        assert not re.search(r"^##\s+Solutions", text, re.M), path.name
        assert exercises.exercises(mine) == exercises.exercises(course), path.name
        kept = {c.id: c for c in mine.cells}
        start = exercises.solutions_start(course)
        for index, cell in enumerate(course.cells):
            if start is None or index < start[0]:
                assert kept[cell.id] == cell, f"{path.name} cell {index} changed"
        nav = [nbtools.source(c) for c in course.cells if "nav" in c.metadata.get("tags", [])]
        assert nav == [nbtools.source(c) for c in mine.cells if "nav" in c.metadata.get("tags", [])]
        if start is not None:
            assert student.NOTE in text


@pytest.mark.parametrize("path", nbtools.notebook_paths(), ids=lambda p: p.name[:2] if p.name[0].isdigit() else p.stem)
def test_student_notebook_runs_and_reports_not_attempted(edition, path):
    nb = nbtools.read(edition / path.name)
    assert grade.run_notebook(nb, time_limit=600) is None
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"cell {index}: {out.get('ename')}: {out.get('evalue')}"
            assert out.get("name") != "stderr", f"cell {index} wrote to stderr: {out.get('text')}"
    outcomes = exercises.exercise_outcomes(nb)
    assert {n: o.result for n, o in outcomes.items()} == {n: exercises.NOT_ATTEMPTED for n in outcomes}


# --------------------------------------------------------------------------- a class to grade


def _solved(chapter: str):
    """The student edition with every solution's code pasted after its exercise, as a student would."""
    course = _course(chapter)
    nb = student.student_notebook(course)
    solutions = exercises.exercises(course, "Solutions")
    places = exercises.exercises(nb)
    for number in sorted(places, reverse=True):
        at = places[number][-1] + 1
        for offset, index in enumerate(solutions[number]):
            cell = copy.deepcopy(course.cells[index])
            cell.id = f"solved-{number}-{offset}"
            nb.cells.insert(at + offset, cell)
    return nb


def _with_cell(nb, exercise: int, source: str):
    nb = copy.deepcopy(nb)
    at = exercises.exercises(nb)[exercise][0]
    cell = nbformat.v4.new_code_cell(source)
    cell.id = f"inserted-{exercise}"
    nb.cells.insert(at, cell)
    return nb


def _tiny(chapter: str, cells: dict[int, str]):
    """A short submission: the chapter's title and exercise headings, with the given code per exercise."""
    course = _course(chapter)
    nb = nbformat.v4.new_notebook()
    nb.cells = [copy.deepcopy(course.cells[0]), nbformat.v4.new_markdown_cell("## Exercises")]
    for number in exercises.exercises(course):
        nb.cells.append(nbformat.v4.new_markdown_cell(f"**Exercise {number}.**"))
        nb.cells.append(nbformat.v4.new_code_cell(cells.get(number, "pass")))
    for i, cell in enumerate(nb.cells):
        cell.id = f"tiny-{i}"
    return nb


def _write(nb, path: Path):
    path.write_text(nbtools.dumps(nb), encoding="utf-8")


def _rows(folder: Path) -> dict[tuple[str, str], tuple[str, str]]:
    with open(folder / "grades.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(grade.FIELDS)
        return {(r["submission"], r["exercise"]): (r["result"], r["detail"]) for r in reader}


def test_grading_a_class(tmp_path):
    chapter = GRADED_CHAPTER
    numbers = exercises.exercises(_course(chapter))
    first = min(numbers)
    solved = _solved(chapter)
    _write(solved, tmp_path / "alice.ipynb")
    # Wrong: a check fed a wrong value after the right solution: the latest attempt counts.
    wrong = copy.deepcopy(solved)
    last_cell = exercises.exercises(wrong)[first][-1]
    wrong.cells[last_cell].source += "\n\nfrom lrlab.checks import check_value\ncheck_value(1.0, 2.0, name='x')"
    _write(wrong, tmp_path / "bob.ipynb")
    _write(student.student_notebook(_course(chapter)), tmp_path / "carol.ipynb")  # untouched
    _write(_with_cell(solved, first, "raise RuntimeError('oops')"), tmp_path / "dave.ipynb")
    (tmp_path / "erin.ipynb").write_text("{ this is not json", encoding="utf-8")
    _write(_course("07"), tmp_path / f"{chapter}_frank.ipynb")  # another chapter under this one's name
    not_a_chapter = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# my notes")])
    not_a_chapter.cells[0].id = "notes"
    _write(not_a_chapter, tmp_path / "grace.ipynb")
    out = io.StringIO()
    grade.grade(tmp_path, time_limit=600, out=out)
    rows = _rows(tmp_path)
    for n in numbers:
        assert rows[("alice.ipynb", str(n))][0] == "pass", rows[("alice.ipynb", str(n))]
        assert rows[("carol.ipynb", str(n))][0] == "not attempted"
        assert rows[(f"{chapter}_frank.ipynb", str(n))] == (
            "error", f"the file is named for chapter {chapter} but holds chapter 07")
    assert rows[("bob.ipynb", str(first))] == ("fail", "✗ x = 1, expected 2")
    assert all(rows[("bob.ipynb", str(n))][0] == "pass" for n in numbers if n != first)
    # The raising cell comes before the solution: the latest attempt (the solution) counts.
    assert rows[("dave.ipynb", str(first))][0] == "pass"
    assert rows[("erin.ipynb", "-")][0] == "error"
    assert "not a readable notebook" in rows[("erin.ipynb", "-")][1]
    assert rows[("grace.ipynb", "-")][0] == "error"
    summary = out.getvalue()
    assert f"chapter {chapter} exercise {first}: 2/5 passed" in summary, summary


def test_grading_stops_endless_loops_and_survives_dead_kernels(tmp_path):
    chapter = GRADED_CHAPTER
    numbers = sorted(exercises.exercises(_course(chapter)))
    _write(_tiny(chapter, {numbers[0]: "raise ValueError('bad')", numbers[1]: "while True:\n    pass"}),
           tmp_path / "loops.ipynb")
    _write(_tiny(chapter, {numbers[0]: "import os\nos._exit(1)"}), tmp_path / "dies.ipynb")
    grade.grade(tmp_path, time_limit=8, out=io.StringIO())
    rows = _rows(tmp_path)
    assert rows[("loops.ipynb", str(numbers[0]))] == ("error", "ValueError: bad")
    assert rows[("loops.ipynb", str(numbers[1]))][0] == "error"
    assert "time limit" in rows[("loops.ipynb", str(numbers[1]))][1]
    assert "time limit" in rows[("loops.ipynb", str(numbers[2]))][1]
    assert rows[("dies.ipynb", str(numbers[0]))][0] == "error"
    assert all("kernel died" in rows[("dies.ipynb", str(n))][1] for n in numbers[1:])


def test_grade_command_line_misuse_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        grade.main([str(tmp_path / "missing")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        grade.main([str(tmp_path), "--chapter", "3"])
    assert exc.value.code == 2
    assert "--chapter must be two digits" in capsys.readouterr().err
