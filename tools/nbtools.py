"""Reading and writing the course notebooks, shared by ``tools/nav.py`` and ``tools/execute.py``.

One way to write a notebook, so that ``git diff`` shows only what really changed: nbformat's
own serialisation (JSON, indent 1, keys sorted, non-ASCII kept as is) plus a trailing newline,
which is also what JupyterLab writes. One definition of "no machine-specific metadata", used
by the tools when they write and by ``tests/test_notebooks.py`` when it checks.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"

#: Chapter notebooks: ``NN_snake_case.ipynb`` (00 is "Start here").
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"
START_HERE = "00_start_here.ipynb"
EXPLORER = "explorer.ipynb"

#: The whole notebook-level metadata a committed notebook carries: which kernel, which
#: language. No Python version, no paths, no widget state, nothing that depends on who ran it.
CANONICAL_METADATA = {
    "kernelspec": {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    },
    "language_info": {"name": "python"},
}

#: The only cell-metadata key kept: tags (``nav``, ``nbval-ignore-output``, ...).
CELL_METADATA_KEYS = ("tags",)


def chapter_paths(directory: Path = NOTEBOOKS) -> list[Path]:
    """The chapter notebooks ``NN_*.ipynb`` in ``directory``, in chapter order."""
    return sorted(Path(directory).glob(CHAPTER_GLOB))


def notebook_paths(directory: Path = NOTEBOOKS) -> list[Path]:
    """Every notebook in ``directory`` (chapters first, then the others such as the explorer)."""
    chapters = chapter_paths(directory)
    others = sorted(p for p in Path(directory).glob("*.ipynb") if p not in chapters)
    return chapters + others


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4, as stored (no conversion of its minor version)."""
    return nbformat.read(str(path), as_version=4)


def dumps(nb: nbformat.NotebookNode) -> str:
    """The exact text a notebook is stored as: nbformat's JSON (indent 1) and a final newline."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def write(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write ``nb`` to ``path`` if its text differs from what is there; return whether it wrote."""
    path = Path(path)
    text = dumps(nb)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    path.write_text(text, encoding="utf-8")
    return True


def source(cell) -> str:
    """A cell's source as one string (stored JSON may hold it as a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def clean_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip machine-specific metadata in place and return ``nb``.

    Notebook metadata becomes exactly :data:`CANONICAL_METADATA`; each cell keeps only its
    (non-empty) ``tags``: no ``execution`` timestamps, ``collapsed``, ``scrolled``, ``trusted``.
    """
    nb.metadata = nbformat.from_dict(copy.deepcopy(CANONICAL_METADATA))
    for cell in nb.cells:
        kept = {k: cell.metadata[k] for k in CELL_METADATA_KEYS if cell.metadata.get(k)}
        cell.metadata = nbformat.from_dict(kept)
    return nb


def title_cell_parts(cell) -> tuple[str, str, str] | None:
    """``(number, title, question)`` from a chapter's title cell, or None if it is not one.

    The title cell is a markdown cell whose first line is ``# NN · Title`` and which has a
    line ``**The question:** ...``.
    """
    if cell is None or cell.get("cell_type") != "markdown":
        return None
    lines = source(cell).splitlines()
    if not lines:
        return None
    head = re.fullmatch(r"#\s+(\d\d)\s+·\s+(\S.*?)\s*", lines[0])
    question = next(
        (m.group(1) for m in (re.fullmatch(r"\*\*The question:\*\*\s*(\S.*?)\s*", ln.strip())
                              for ln in lines[1:]) if m),
        None,
    )
    if head is None or question is None:
        return None
    return head.group(1), head.group(2), question
