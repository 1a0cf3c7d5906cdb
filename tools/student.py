"""Write the student edition of the course (``make student``): every notebook without its solutions.

For a lab where students should not find the worked solutions one scroll below the exercises:
every chapter and the explorer are copied to ``build/student/notebooks/`` (``build/`` is ignored
by git) with the ``## Solutions`` section removed (from its heading to the end of the chapter,
the generated navigation cell excepted) and any cell tagged ``solution`` removed. Everything
else is kept as it is, stored outputs included, so the student notebooks look like the course.
A one-line note says where the solutions went. The recordings the chapters read
(``tests/golden/``) are copied beside them, so that their relative paths still hold.

The checks need no solution: a student notebook runs top to bottom in a fresh kernel and every
exercise reports "not attempted yet" (``tests/test_classroom.py`` runs every one to prove it).

Usage (from the repository root)::

    .venv/bin/python tools/student.py                 # writes build/student/
    .venv/bin/python tools/student.py --out DIR       # writes DIR/notebooks, DIR/tests/golden
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exercises  # noqa: E402
import nbtools  # noqa: E402

DEFAULT_OUT = nbtools.REPO / "build" / "student"
NOTE = ("*Student edition: the worked solutions of this chapter's exercises are not included. "
        "Each exercise's check tells you when you have it right; ask your teacher for the rest.*")


def _is_nav(cell) -> bool:
    return "nav" in cell.get("metadata", {}).get("tags", []) or nbtools.source(cell).startswith("<!--NAVIGATION-->")


def _is_solution(cell) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def student_notebook(nb):
    """A copy of ``nb`` without its Solutions section and solution cells (see the module docstring)."""
    nb = copy.deepcopy(nb)
    start = exercises.solutions_start(nb)
    cells = list(nb.cells)
    if start is not None:
        index, offset = start
        kept = cells[:index]
        head = nbtools.source(cells[index])[:offset].rstrip()
        if head:
            cell = copy.deepcopy(cells[index])
            cell.source = head
            kept.append(cell)
        note = nbformat.v4.new_markdown_cell(NOTE)
        note.id = f"{cells[index].get('id', 'solutions')}-student"[:64]
        kept.append(note)
        kept += [c for c in cells[index + 1:] if _is_nav(c)]
        cells = kept
    nb.cells = [c for c in cells if not _is_solution(c)]
    return nb


def write_edition(out: Path = DEFAULT_OUT, source: Path = nbtools.NOTEBOOKS) -> list[Path]:
    """Write the student edition of every notebook in ``source`` to ``out``; return the notebooks written."""
    out = Path(out)
    target = out / "notebooks"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    written = []
    for path in nbtools.notebook_paths(source):
        nb = student_notebook(nbtools.read(path))
        nbformat.validate(nb)
        destination = target / path.name
        nbtools.write(nb, destination)
        written.append(destination)
    golden = out / "tests" / "golden"
    if golden.exists():
        shutil.rmtree(golden)
    shutil.copytree(nbtools.REPO / "tests" / "golden", golden)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the edition (default: build/student)")
    args = parser.parse_args(argv)
    written = write_edition(args.out)
    print(f"student edition: {len(written)} notebooks in {args.out / 'notebooks'} "
          f"(solutions removed), recordings in {args.out / 'tests' / 'golden'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
