"""Where a chapter's exercises and solutions are, and what their checks said.

Shared by ``tools/student.py`` (which removes the solutions), ``tools/grade.py`` (which reads
the result of every exercise check in an executed submission) and their tests.

A chapter's exercises are the cells between the markdown heading ``## Exercises`` and the next
``## `` heading. An exercise starts at a markdown line ``### Exercise N``, ``**Exercise N`` or
``**N · ...``; the code cells after it, up to the next exercise, are its cells. Every check of
``lrlab.checks`` prints one message whose first character says how it went: ``✓`` (right),
``✗`` (wrong) or ``…`` (not attempted yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbtools

PASS, FAIL, NOT_ATTEMPTED, ERROR = "pass", "fail", "not attempted", "error"
RESULTS = (PASS, FAIL, NOT_ATTEMPTED, ERROR)
_MARKS = {"✓": PASS, "✗": FAIL, "…": NOT_ATTEMPTED}

_EXERCISE = re.compile(r"^(?:#{2,4}\s*Exercise\s+(\d+)|\*\*Exercise\s+(\d+)|\*\*(\d+)\s*·)", re.M)
_H2 = re.compile(r"^##\s+(\S.*?)\s*$", re.M)


def _headings(cell) -> list[str]:
    return _H2.findall(nbtools.source(cell)) if cell.get("cell_type") == "markdown" else []


def chapter_number(nb) -> str | None:
    """``"03"`` from the title cell ``# 03 · ...``, or None if the notebook has no chapter title."""
    parts = nbtools.title_cell_parts(nb.cells[0]) if nb.cells else None
    return parts[0] if parts else None


def exercises(nb, section: str = "Exercises") -> dict[int, list[int]]:
    """``{exercise number: [indices of its code cells]}``, in order, from the Exercises section
    (or from the Solutions section with ``section="Solutions"``, whose headings are the same)."""
    found: dict[int, list[int]] = {}
    inside, current = False, None
    for index, cell in enumerate(nb.cells):
        heads = _headings(cell)
        if inside and (any(h != section for h in heads) or nbtools.source(cell).startswith("<!--NAVIGATION-->")):
            break
        if section in heads:
            inside = True
        if not inside:
            continue
        if cell.get("cell_type") == "markdown":
            numbers = [int(next(g for g in m.groups() if g)) for m in _EXERCISE.finditer(nbtools.source(cell))]
            if numbers:
                current = numbers[-1]
                found.setdefault(current, [])
        elif cell.get("cell_type") == "code" and current is not None:
            found[current].append(index)
    return found


def solutions_start(nb) -> tuple[int, int] | None:
    """``(cell index, character offset)`` of the ``## Solutions`` heading, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "markdown":
            continue
        match = re.search(r"^##\s+Solutions\s*$", nbtools.source(cell), re.M)
        if match:
            return index, match.start()
    return None


@dataclass(frozen=True)
class Outcome:
    """What one exercise's cells said: one of :data:`RESULTS`, and a short reason."""

    result: str
    detail: str = ""


def _text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return output.get("data", {}).get("text/plain", "")


def cell_outcome(cell) -> Outcome | None:
    """The outcome of one executed code cell: an error if it raised (or was stopped), else
    the checks it printed (all passed: pass; any wrong: fail; else not attempted), or None
    if it ran no check."""
    marks = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return Outcome(ERROR, f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip())
        for line in _text(output).splitlines():
            line = line.strip().lstrip("'\"")
            if line[:1] in _MARKS:
                marks.append((_MARKS[line[:1]], line))
    if not marks:
        return None
    results = [r for r, _ in marks]
    first_wrong = next((line for r, line in marks if r == FAIL), None)
    if first_wrong is not None:
        return Outcome(FAIL, first_wrong[:200])
    passed = results.count(PASS)
    if passed == len(results):
        return Outcome(PASS)
    return Outcome(NOT_ATTEMPTED, f"{passed} of {len(results)} checks passed" if passed else "")


def exercise_outcomes(nb) -> dict[int, Outcome]:
    """``{exercise number: outcome}`` of an executed notebook. An exercise's outcome is that of
    the last of its cells that ran a check or raised (a learner who re-runs a check in a later
    cell is judged on the latest attempt); with none, it is not attempted."""
    outcomes = {}
    for number, indices in exercises(nb).items():
        last = None
        for index in indices:
            outcome = cell_outcome(nb.cells[index])
            if outcome is not None:
                last = outcome
        outcomes[number] = last or Outcome(NOT_ATTEMPTED, "no check ran")
    return outcomes
