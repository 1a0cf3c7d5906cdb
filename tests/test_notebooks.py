"""What every committed notebook must be, checked on the stored files (no kernel needed).

nbval (in the same ``make test`` run) re-executes each notebook and compares its outputs;
these tests check what nbval cannot see: that the stored outputs come from one clean, fresh
run, that nothing about the machine that ran it leaked into the file, that the generated
navigation is current, that links resolve, and that every chapter has the course's shape.

To fix most failures: ``make execute NB=notebooks/NN_name.ipynb`` (which also runs
``tools/nav.py``). The chapter shape is described in ``notebooks/AUTHORING.md``.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import sys
import tokenize
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import nav  # noqa: E402
import nbtools  # noqa: E402

NOTEBOOKS = nbtools.NOTEBOOKS
ALL = [p.name for p in nbtools.notebook_paths(NOTEBOOKS)]
CHAPTERS = [p.name for p in nbtools.chapter_paths(NOTEBOOKS)]
CHAPTERS_AFTER_START = [name for name in CHAPTERS if name != nbtools.START_HERE]

REQUIRED_HEADINGS = ("Learning objectives", "Exercises", "Solutions", "Takeaways",
                     "Further reading")
# Paths that only exist on the machine that ran the notebook.
MACHINE_PATHS = re.compile(r"/root/|/home/|/tmp/|/Users/|/private/var/|[A-Za-z]:\\\\?Users\\\\?"
                           + "|" + re.escape(str(REPO)))


@functools.lru_cache(maxsize=None)
def load(name: str):
    return nbtools.read(NOTEBOOKS / name)


@functools.lru_cache(maxsize=1)
def stale_navigation() -> dict[str, str]:
    return nav.check(NOTEBOOKS)


def code_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def where(i: int, cell) -> str:
    first = nbtools.source(cell).strip().splitlines()[:1]
    return f"cell {i + 1} ({first[0][:50]!r})" if first else f"cell {i + 1}"


def output_texts(output):
    """Every text an output shows (streams, text-like MIME types, errors); never images."""
    if output.get("output_type") == "stream":
        yield "stream", output.get("text", "")
    elif output.get("output_type") == "error":
        yield "error", "\n".join([output.get("evalue", "")] + output.get("traceback", []))
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or mime.endswith("json"):
            yield mime, value if isinstance(value, str) else str(value)


# --- executed: one fresh run, top to bottom, clean -------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_executed_top_to_bottom_in_one_fresh_run(name):
    """Code cells with source carry execution counts 1, 2, ..., n in order; none is unexecuted."""
    nb = load(name)
    counts = [(i, c, c.execution_count) for i, c in code_cells(nb) if c.source.strip()]
    unexecuted = [where(i, c) for i, c, n in counts if n is None]
    assert not unexecuted, f"{name}: never executed: {unexecuted} (run make execute NB=...)"
    assert [n for _, _, n in counts] == list(range(1, len(counts) + 1)), (
        f"{name}: execution counts {[n for _, _, n in counts]} are not 1..{len(counts)}: "
        "the stored outputs do not come from one fresh run top to bottom")
    for i, c in code_cells(nb):
        if not c.source.strip():
            assert c.execution_count is None and not c.outputs, f"{name}: empty {where(i, c)} has output"


@pytest.mark.parametrize("name", ALL)
def test_no_errors_and_no_warnings_stored(name):
    """No error output; no stderr stream (that is where warnings go)."""
    nb = load(name)
    bad = []
    for i, cell in code_cells(nb):
        for out in cell.outputs:
            if out.output_type == "error":
                bad.append(f"{where(i, cell)} raised {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                bad.append(f"{where(i, cell)} wrote to stderr: {out.text.strip()[:300]}")
    assert not bad, f"{name}:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("name", ALL)
def test_a_cells_prints_are_stored_as_one_stream(name):
    """Split streams depend on when the kernel flushed: stored that way, a re-run changes the file."""
    nb = load(name)
    split = [where(i, cell) for i, cell in code_cells(nb)
             if any(a.output_type == b.output_type == "stream" and a.name == b.name
                    for a, b in zip(cell.outputs, cell.outputs[1:]))]
    assert not split, f"{name}: consecutive stream outputs in {split} (make execute merges them)"


@pytest.mark.parametrize("name", ALL)
def test_no_figure_or_artist_reprs_in_outputs(name):
    """No ``<matplotlib.… at 0x…>`` repr and no bare ``<Figure size …>`` text.

    A cell ending in ``ax.plot(...)`` stores ``[<matplotlib.lines.Line2D at 0x…>]`` (a new
    address every run; a trailing ``;`` does not help under nbval): end it with ``plt.show()``.
    The inline backend's own ``<Figure size …>`` text beside a figure's PNG is fine (it is
    stable); alone, it is a figure printed instead of drawn.
    """
    nb = load(name)
    bad = []
    for i, cell in code_cells(nb):
        for out in cell.outputs:
            has_image = any(k.startswith("image/") for k in out.get("data", {}))
            for mime, text in output_texts(out):
                if "<matplotlib." in text or ("<Figure size" in text and not has_image):
                    bad.append(f"{where(i, cell)} [{mime}]: {text.strip()[:120]}")
    assert not bad, f"{name}: figure/artist reprs stored:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("name", ALL)
def test_no_trailing_semicolon_to_hide_a_value(name):
    """nbval runs cells without history, where IPython's trailing ``;`` hides nothing: a cell
    ending in ``ax.plot(...);`` stores no output but shows a Line2D repr under nbval.
    End figure cells with ``plt.show()``; to discard a value, assign it: ``_ = ...``."""
    nb = load(name)
    bad = [where(i, c) for i, c in code_cells(nb) if _ends_in_hidden_expression(c.source)]
    assert not bad, f"{name}: cells ending in an expression followed by ';': {bad}"


def _ends_in_hidden_expression(src: str) -> bool:
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(src)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False  # a syntax error is reported by the execution tests
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    skip = (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in skip]
    return bool(tokens) and tokens[-1].type == tokenize.OP and tokens[-1].string == ";"


# --- clean: nothing about the machine that ran it ----------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_no_machine_specific_metadata(name):
    """Notebook metadata is exactly the canonical kernelspec and language_info; cells keep only tags."""
    nb = load(name)
    problems = []
    if dict(nb.metadata) != nbtools.CANONICAL_METADATA:
        problems.append(f"notebook metadata {dict(nb.metadata)} is not the canonical "
                        f"{nbtools.CANONICAL_METADATA} (versions, paths or widget state leaked)")
    allowed = set(nbtools.CELL_METADATA_KEYS)
    problems += [f"{where(i, c)} has cell metadata {sorted(set(c.metadata) - allowed)}"
                 for i, c in enumerate(nb.cells) if set(c.metadata) - allowed]
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", ALL)
def test_no_absolute_paths_in_outputs(name):
    nb = load(name)
    bad = []
    for i, cell in code_cells(nb):
        for out in cell.outputs:
            for mime, text in output_texts(out):
                m = MACHINE_PATHS.search(text)
                if m:
                    bad.append(f"{where(i, cell)} [{mime}]: ...{text[max(0, m.start() - 40):m.end() + 40]}...")
    assert not bad, f"{name}: machine-specific paths in outputs:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("name", ALL)
def test_stored_exactly_as_the_tools_write_it(name):
    """nbformat's JSON, indent 1, trailing newline: the same bytes make execute would write."""
    path = NOTEBOOKS / name
    assert path.read_text(encoding="utf-8") == nbtools.dumps(load(name)), (
        f"{name} is not stored in the tools' format (run make execute NB=notebooks/{name})")


# --- navigation and links ----------------------------------------------------------------------

@pytest.mark.parametrize("name", CHAPTERS)
def test_navigation_and_chapter_map_are_current(name):
    """The nav cells (second and last) and 00's chapter map are what tools/nav.py generates."""
    stale = stale_navigation()
    assert name not in stale, f"{name}: {stale[name]} (run: python tools/nav.py, or make nav)"


LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|href=[\"']([^\"']+)[\"']")


@pytest.mark.parametrize("name", ALL)
def test_relative_links_point_to_existing_files(name):
    """Every relative link in markdown (other notebooks, files of the repository) resolves."""
    nb = load(name)
    broken = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for m in LINK.finditer(nbtools.source(cell)):
            target = m.group(1) or m.group(2)
            if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # http:, mailto:, attachment:, an anchor in this notebook
            file = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if not (NOTEBOOKS / file).exists():
                broken.append(f"{where(i, cell)}: {target}")
    assert not broken, f"{name}: links to missing files:\n  " + "\n  ".join(broken)


# --- the shape of a chapter --------------------------------------------------------------------

@pytest.mark.parametrize("name", CHAPTERS_AFTER_START)
def test_chapter_starts_with_its_title_cell(name):
    """First cell: ``# NN · Title`` (NN = the file's number), then ``**The question:** ...``."""
    nb = load(name)
    parts = nbtools.title_cell_parts(nb.cells[0] if nb.cells else None)
    assert parts is not None, (
        f"{name}: the first cell must be markdown starting '# {name[:2]} · Title' with a line "
        "'**The question:** ...'")
    assert parts[0] == name[:2], f"{name}: title number {parts[0]} is not the file's {name[:2]}"


@pytest.mark.parametrize("name", CHAPTERS_AFTER_START)
def test_chapter_has_the_course_sections(name):
    nb = load(name)
    headings = [line.lstrip("#").strip().lower()
                for cell in nb.cells if cell.cell_type == "markdown"
                for line in nbtools.source(cell).splitlines() if re.match(r"#{1,6}\s", line)]
    missing = [h for h in REQUIRED_HEADINGS if not any(h.lower() in found for found in headings)]
    assert not missing, f"{name}: no heading for {missing}"
