"""Execute the course notebooks top to bottom and store their outputs (``make execute``).

Each notebook runs in a fresh kernel of this environment (the Python running this script,
i.e. ``.venv/bin/python``), with ``notebooks/`` as the working directory and matplotlib's
default inline backend (``MPLBACKEND`` is removed from the kernel's environment). The notebook
is then written back with its outputs and without machine-specific metadata: notebook
metadata is exactly a canonical ``kernelspec`` and ``language_info`` (no versions, no paths),
cells keep only their ``tags``, execution counts are those of the fresh run (1..n), and
consecutive prints of a cell are one stream output (however the kernel flushed them).

First it runs ``tools/nav.py``, so navigation links and the chapter map are current.

A notebook fails when a cell raises or when any output is a stderr stream (a warning, for
instance); the message names the notebook and the cell, and a failed notebook is not written
back (its file stays as it was). The exit status is 1 if any notebook failed.

Usage (from the repository root)::

    .venv/bin/python tools/execute.py                          # every notebooks/*.ipynb
    .venv/bin/python tools/execute.py notebooks/03_x.ipynb     # just these
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from pathlib import Path

from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import kernels  # noqa: E402
import nav  # noqa: E402
import nbtools  # noqa: E402

CELL_TIMEOUT = 300  # seconds per cell

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookFailed(Exception):
    pass


def _cell_label(nb, index: int) -> str:
    """``cell 7 (code cell 4, "first line of the source")`` for messages."""
    cell = nb.cells[index]
    first = nbtools.source(cell).strip().splitlines()[:1]
    snippet = (first[0][:60] + ("…" if len(first[0]) > 60 else "")) if first else ""
    code_no = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return f'cell {index + 1} (code cell {code_no}: "{snippet}")'


def problems(nb) -> list[str]:
    """Error outputs and stderr streams of an executed notebook, one message each."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                trace = _ANSI.sub("", "\n".join(out.get("traceback", []))).strip()
                found.append(f"{_cell_label(nb, i)} raised {out.get('ename')}: {out.get('evalue')}"
                             + ("\n    " + trace.replace("\n", "\n    ") if trace else ""))
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = out.get("text", "").strip()
                found.append(f"{_cell_label(nb, i)} wrote to stderr (a warning?):\n    "
                             + text.replace("\n", "\n    "))
    return found


def execute(path: Path):
    """Run ``path`` in a fresh kernel and return the executed, cleaned notebook.

    Raises :class:`NotebookFailed` naming the cell if a cell errors or writes to stderr.
    """
    nb = nbtools.read(path)
    client = kernels.client(nb, path.parent, CELL_TIMEOUT)
    try:
        client.execute()
    except CellTimeoutError as exc:
        raise NotebookFailed(f"a cell ran longer than {CELL_TIMEOUT} s: {exc}") from None
    except (CellExecutionError, DeadKernelError) as exc:
        raise NotebookFailed(str(exc)) from None
    except Exception as exc:  # the kernel would not start, a message could not be handled...
        raise NotebookFailed(f"{type(exc).__name__}: {exc}") from exc
    found = problems(nb)
    if found:
        raise NotebookFailed("\n  ".join(found))
    stable_widget_ids(nb, path.name)
    # A cell's prints arrive as one stream output or several, depending on when the kernel
    # flushed: merged, the stored outputs do not change from run to run (nbval merges them too).
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    return nbtools.clean_metadata(nb)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stable_widget_ids(nb, name: str) -> None:
    """Replace the random model ids of widget outputs by ids derived from their position.

    The widget state is not stored (it is machine- and run-specific), so the ids point at no
    stored model either way; fixed ids keep ``git diff`` empty when nothing else changed.
    nbval does not compare widget views.
    """
    ids: dict[str, str] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                old = view["model_id"]
                if old not in ids:
                    ids[old] = hashlib.sha256(f"{name}:{len(ids)}".encode()).hexdigest()[:32]
                view["model_id"] = ids[old]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: every notebooks/*.ipynb)")
    args = parser.parse_args(argv)

    # The kernel inherits this environment: let it pick matplotlib's inline backend.
    os.environ.pop("MPLBACKEND", None)

    paths = args.notebooks or nbtools.notebook_paths()
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing:
        print(f"execute.py: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    for directory in sorted({Path(p).resolve().parent for p in paths} or {nbtools.NOTEBOOKS}):
        for path in nav.update(directory):
            print(f"nav.py: updated {path.name}")
    if not paths:
        print("execute.py: no notebooks to execute")
        return 0

    failed = []
    total = time.perf_counter()
    for path in paths:
        path = Path(path).resolve()
        name = os.path.relpath(path)
        start = time.perf_counter()
        try:
            nb = execute(path)
        except NotebookFailed as exc:
            failed.append(name)
            print(f"FAILED  {name} ({time.perf_counter() - start:.1f} s), not written:\n  {exc}",
                  file=sys.stderr, flush=True)
            continue
        wrote = nbtools.write(nb, path)
        print(f"ok      {name} ({time.perf_counter() - start:.1f} s)"
              + ("" if wrote else ", unchanged"), flush=True)
    print(f"{len(paths)} notebook(s) in {time.perf_counter() - total:.1f} s"
          + (f", {len(failed)} failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
