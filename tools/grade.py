"""Grade a folder of submitted notebooks (``make grade SUBMISSIONS=dir``).

Every ``.ipynb`` under the folder is run top to bottom in a fresh kernel of this environment,
with a time limit per notebook, and the result of every exercise check is collected into
``grades.csv`` in the folder: one row per submission and exercise,

    submission,chapter,exercise,result,detail

where ``result`` is ``pass``, ``fail``, ``not attempted`` or ``error`` and ``detail`` says why
(the check's message on a failure, the exception or the reason on an error). Then a summary
per exercise is printed: how many of the class passed, and what went wrong most.

An exercise's result is that of the last of its cells that ran a check or raised, so a student
who re-runs a check in a new cell is judged on the latest attempt. The exercises expected for a
chapter are those of the course's own notebook (``notebooks/NN_*.ipynb``); a submission is
matched to its chapter by its title cell (``# NN · ...``). A broken submission never stops the
run: invalid JSON, a notebook of no chapter, a file named for one chapter holding another
(``03_x.ipynb`` with chapter 05 inside, or any chapter other than ``--chapter``), a cell that
raises, an endless loop (stopped at the time limit), a kernel that dies: each gives ``error``
rows with the reason. The exit status is 0 unless the command itself was misused (2).

**Grading runs the students' code** with your permissions: isolate it (see the README).

Usage (from the repository root)::

    .venv/bin/python tools/grade.py SUBMISSIONS_DIR [--chapter 03] [--time-limit 300]
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exercises  # noqa: E402
import kernels  # noqa: E402
import nbtools  # noqa: E402

TIME_LIMIT = 300  # seconds per notebook: the slowest chapter runs in well under a minute
FIELDS = ("submission", "chapter", "exercise", "result", "detail")


def course_exercises(directory: Path = nbtools.NOTEBOOKS) -> dict[str, list[int]]:
    """``{chapter: [exercise numbers]}`` of the course's own notebooks."""
    found = {}
    for path in nbtools.chapter_paths(directory):
        nb = nbtools.read(path)
        numbers = list(exercises.exercises(nb))
        if numbers:
            found[exercises.chapter_number(nb) or path.name[:2]] = numbers
    return found


def _file_chapter(path: Path) -> str | None:
    match = re.match(r"(\d\d)_", path.name)
    return match.group(1) if match else None


def run_notebook(nb, time_limit: float) -> str | None:
    """Execute ``nb`` in place in a fresh kernel, in a scratch copy of the course's layout
    (so that ``../tests/golden`` resolves), within ``time_limit`` seconds in all. A cell that
    raises keeps its error output and the run goes on. Returns why the run stopped early
    (the time limit, a dead kernel, a kernel that would not start), or None."""
    with tempfile.TemporaryDirectory(prefix="lrlab-grade-") as scratch:
        cwd = Path(scratch) / "notebooks"
        cwd.mkdir()
        shutil.copytree(nbtools.REPO / "tests" / "golden", Path(scratch) / "tests" / "golden")
        client = kernels.client(nb, cwd, time_limit)
        client.interrupt_on_timeout = False
        deadline = time.monotonic() + time_limit
        try:
            with client.setup_kernel(stderr=subprocess.DEVNULL):  # a dying kernel's traceback is not the teacher's business
                for index, cell in enumerate(nb.cells):
                    if cell.get("cell_type") != "code":
                        continue
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return f"stopped at the time limit of {time_limit:g} s (endless loop?) before cell {index + 1}"
                    client.timeout = max(1, int(left))
                    try:
                        client.execute_cell(cell, index)
                    except CellTimeoutError:
                        cell.outputs.append(nbformat.v4.new_output(
                            "error", ename="TimeLimit", evalue=f"stopped at the time limit of {time_limit:g} s",
                            traceback=[]))
                        return f"stopped at the time limit of {time_limit:g} s in cell {index + 1} (endless loop?)"
                    except DeadKernelError:
                        cell.outputs.append(nbformat.v4.new_output(
                            "error", ename="DeadKernel", evalue="the kernel died", traceback=[]))
                        return f"the kernel died in cell {index + 1}"
        except Exception as exc:  # the kernel would not start, or a message could not be handled
            return f"the notebook could not be run: {type(exc).__name__}: {exc}"[:300]
    return None


def grade_file(path: Path, expected: dict[str, list[int]], chapter: str | None, time_limit: float) -> list[dict]:
    """The rows of one submission (see the module docstring)."""
    named = _file_chapter(path)

    def rows(chap, result, detail, numbers=None):
        numbers = numbers if numbers is not None else expected.get(chap or "", [])
        if not numbers:
            return [dict(chapter=chap or "?", exercise="-", result=result, detail=detail)]
        return [dict(chapter=chap, exercise=n, result=result, detail=detail) for n in numbers]

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # not JSON, not a notebook
        text = " ".join(str(exc).split())[:200]
        return rows(chapter or named, exercises.ERROR, f"not a readable notebook: {type(exc).__name__}: {text}")
    found = exercises.chapter_number(nb)
    if found is None or found not in expected:
        return rows(chapter or named, exercises.ERROR, "not a chapter of the course with exercises "
                    "(its first cell is not the title cell '# NN · ...' of a chapter)")
    if chapter is not None and found != chapter:
        return rows(chapter, exercises.ERROR, f"this is chapter {found}'s notebook, not chapter {chapter}'s")
    if named is not None and named != found:
        return rows(named, exercises.ERROR, f"the file is named for chapter {named} but holds chapter {found}")

    stopped = run_notebook(nb, time_limit)
    outcomes = exercises.exercise_outcomes(nb)
    result = []
    for number in expected[found]:
        outcome = outcomes.get(number)
        if outcome is None:
            outcome = exercises.Outcome(exercises.NOT_ATTEMPTED, "exercise not found in the submission")
        elif stopped and outcome.result == exercises.NOT_ATTEMPTED and outcome.detail == "no check ran":
            outcome = exercises.Outcome(exercises.ERROR, stopped)
        result.append(dict(chapter=found, exercise=number, result=outcome.result, detail=outcome.detail))
    return result


def grade(folder: Path, chapter: str | None = None, time_limit: float = TIME_LIMIT,
          out=sys.stdout) -> list[dict]:
    """Grade every notebook under ``folder``, write ``folder/grades.csv`` and print a summary."""
    folder = Path(folder)
    expected = course_exercises()
    paths = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    table = []
    for path in paths:
        name = path.relative_to(folder).as_posix()
        start = time.perf_counter()
        rows = grade_file(path, expected, chapter, time_limit)
        for row in rows:
            table.append(dict(submission=name, **row))
        counts = Counter(r["result"] for r in rows)
        print(f"graded {name} ({time.perf_counter() - start:.1f} s): "
              + ", ".join(f"{counts[r]} {r}" for r in exercises.RESULTS if counts[r]), file=out, flush=True)
    with open(folder / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(table)
    print(summary(table), file=out)
    return table


def summary(table: list[dict]) -> str:
    """Per exercise: how many submissions passed, and the most common reason of the rest."""
    groups = defaultdict(list)
    for row in table:
        if row["exercise"] != "-":
            groups[(row["chapter"], row["exercise"])].append(row)
    lines = [f"{len({r['submission'] for r in table})} submission(s); per exercise, passed / submitted:"]
    for (chap, number), rows in sorted(groups.items(), key=lambda kv: (kv[0][0], int(kv[0][1]))):
        counts = Counter(r["result"] for r in rows)
        rest = ", ".join(f"{counts[r]} {r}" for r in exercises.RESULTS[1:] if counts[r])
        reasons = Counter(r["detail"].split("\n")[0][:80] for r in rows if r["result"] == exercises.FAIL and r["detail"])
        common = f"; most common failure: {reasons.most_common(1)[0][0]}" if reasons else ""
        lines.append(f"  chapter {chap} exercise {number}: {counts[exercises.PASS]}/{len(rows)} passed"
                     + (f" ({rest})" if rest else "") + common)
    broken = sorted({r["submission"] for r in table if r["exercise"] == "-"})
    if broken:
        lines.append(f"  not graded (see grades.csv): {', '.join(broken)}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="the folder holding the submitted .ipynb files")
    parser.add_argument("--chapter", help="the chapter that was assigned, e.g. 03: other chapters are errors")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT,
                        help=f"seconds per notebook (default {TIME_LIMIT})")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"SUBMISSIONS must be a folder, got {str(args.submissions)!r}")
    if args.chapter is not None and not re.fullmatch(r"\d\d", args.chapter):
        parser.error(f"--chapter must be two digits such as 03, got {args.chapter!r}")
    if args.chapter is not None and args.chapter not in course_exercises():
        parser.error(f"--chapter {args.chapter} is not a chapter with exercises")
    if not args.time_limit > 0:
        parser.error(f"--time-limit must be positive, got {args.time_limit!r}")
    os.environ.pop("MPLBACKEND", None)  # the kernels draw with matplotlib's inline backend, as in the course
    grade(args.submissions, args.chapter, args.time_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
