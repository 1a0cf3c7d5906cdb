"""Generate the navigation links and the chapter map of the course notebooks.

Never edit these cells by hand: they are rewritten from the chapters' title cells.

What the authors write
    Each chapter ``notebooks/NN_snake_case.ipynb`` starts with a markdown title cell::

        # 03 · Constant and step decay
        **The question:** when to drop the lr, and what each drop buys.

    ``00_start_here.ipynb`` holds one markdown cell whose source starts with
    ``<!--CHAPTER-MAP-->`` where the chapter map belongs (it may hold nothing else).

What this script writes
    * In every chapter, a navigation cell (markdown, tag ``nav``, source starting with
      ``<!--NAVIGATION-->``) as the second cell and as the last cell::

          < [02 · Landscapes ...](02_....ipynb) | [Contents](00_start_here.ipynb#chapter-map) | [04 · ...](04_....ipynb) >

      (no previous link in the first chapter). The explorer, ``explorer.ipynb``, comes after
      the last chapter: it gets the same two cells (its previous link is the last chapter), and
      the last chapter's next link points to it.
    * In ``00_start_here.ipynb``, the ``<!--CHAPTER-MAP-->`` cell: a ``## Chapter map``
      heading (anchor ``chapter-map``) and a table of every chapter with its question, plus
      the explorer if ``explorer.ipynb`` exists. Without such a cell no map is written.

Usage (from the repository root)::

    python tools/nav.py           # rewrite the notebooks whose nav cells or map are stale
    python tools/nav.py --check   # exit 1 and list them, without writing

Only the navigation and map cells change; outputs, execution counts and every other cell are
left exactly as they are. A notebook is written only if one of those cells changed.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbtools  # noqa: E402

NAV_SENTINEL = "<!--NAVIGATION-->"
MAP_SENTINEL = "<!--CHAPTER-MAP-->"
NAV_TAG = "nav"
MAP_ANCHOR = "chapter-map"
#: Used when explorer.ipynb has no ``**The question:**`` line of its own.
EXPLORER_QUESTION = "every schedule, problem and view in one dashboard"


@dataclass(frozen=True)
class Chapter:
    path: Path
    number: str
    title: str
    question: str
    has_title_cell: bool

    @property
    def label(self) -> str:
        return f"{self.number} · {self.title}" if self.number.isdigit() else self.title


def _first_cell(nb):
    return nb.cells[0] if nb.cells else None


def read_chapter(path: Path, nb=None) -> Chapter:
    """Title and question of a chapter, from its title cell (a stand-in if it has none yet)."""
    nb = nbtools.read(path) if nb is None else nb
    parts = nbtools.title_cell_parts(_first_cell(nb))
    if parts is None:
        # An unfinished chapter still gets links; tests/test_notebooks.py flags the title cell.
        number = path.name[:2]
        words = path.stem[3:].replace("_", " ")
        return Chapter(path, number, words[:1].upper() + words[1:], "", False)
    number, title, question = parts
    return Chapter(path, number, title, question, True)


def _escape_cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").strip()


def nav_source(chapters: list[Chapter], index: int, directory: Path) -> str:
    """The markdown of the navigation cell of ``chapters[index]``."""
    parts = []
    if index > 0:
        prev = chapters[index - 1]
        parts.append(f"[{prev.label}]({prev.path.name})")
    if (directory / nbtools.START_HERE).exists():
        parts.append(f"[Contents]({nbtools.START_HERE}#{MAP_ANCHOR})")
    if index + 1 < len(chapters):
        nxt = chapters[index + 1]
        parts.append(f"[{nxt.label}]({nxt.path.name})")
    return f"{NAV_SENTINEL}\n< " + " | ".join(parts) + " >"


def map_source(chapters: list[Chapter], directory: Path) -> str:
    """The markdown of the chapter-map cell of 00_start_here.ipynb."""
    lines = [
        MAP_SENTINEL,
        f'<a id="{MAP_ANCHOR}"></a>',
        "",
        "## Chapter map",
        "",
        "| # | chapter | the question it answers |",
        "|---|---|---|",
    ]
    for ch in chapters:
        if ch.path.name in (nbtools.START_HERE, nbtools.EXPLORER):
            continue
        lines.append(f"| {ch.number} | [{_escape_cell(ch.title)}]({ch.path.name}) "
                     f"| {_escape_cell(_sentence(ch.question))} |")
    explorer = directory / nbtools.EXPLORER
    if explorer.exists():
        title, question = _explorer_parts(nbtools.read(explorer))
        lines.append(f"| — | [{_escape_cell(title)}]({explorer.name}) | {_escape_cell(question)} |")
    return "\n".join(lines)


def _sentence(text: str) -> str:
    """The question as the map shows it: starting with a capital letter."""
    return text[:1].upper() + text[1:]


def _explorer_parts(nb) -> tuple[str, str]:
    """The explorer's title (its first ``#`` heading) and question, with stand-ins."""
    title, question = "Explorer", EXPLORER_QUESTION
    cell = _first_cell(nb)
    if cell is not None and cell.get("cell_type") == "markdown":
        for line in nbtools.source(cell).splitlines():
            line = line.strip()
            if line.startswith("# ") and title == "Explorer":
                title = line[2:].strip() or title
            elif line.startswith("**The question:**"):
                question = line[len("**The question:**"):].strip() or question
    return title, question


def _is_nav(cell) -> bool:
    return cell.get("cell_type") == "markdown" and nbtools.source(cell).startswith(NAV_SENTINEL)


def _nav_cell(nb, text: str, old, fallback_id: str):
    """A navigation cell with ``text``, keeping the id of the cell it replaces."""
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [NAV_TAG]})
    if (nb.nbformat, nb.nbformat_minor) >= (4, 5):
        cell["id"] = old["id"] if old is not None and "id" in old else fallback_id
    else:
        cell.pop("id", None)
    return cell


def with_nav(nb, text: str):
    """A copy of ``nb`` whose only navigation cells are ``text`` as second and last cell."""
    nb = nbformat.from_dict(nb)  # a deep copy
    old_navs = [c for c in nb.cells if _is_nav(c)]
    body = [c for c in nb.cells if not _is_nav(c)]
    top = _nav_cell(nb, text, old_navs[0] if old_navs else None, "nav-top")
    bottom = _nav_cell(nb, text, old_navs[-1] if len(old_navs) > 1 else None, "nav-bottom")
    if top.get("id") is not None and top.get("id") == bottom.get("id"):
        bottom["id"] = "nav-bottom" if top["id"] != "nav-bottom" else "nav-top"
    nb.cells = body[:1] + [top] + body[1:] + [bottom]
    return nb


def with_map(nb, text: str):
    """A copy of ``nb`` whose ``<!--CHAPTER-MAP-->`` cells hold ``text`` (none: unchanged)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown" and nbtools.source(cell).startswith(MAP_SENTINEL):
            cell.source = text
    return nb


def plan(directory: Path = nbtools.NOTEBOOKS):
    """``[(chapter, current notebook, notebook as nav.py would write it)]`` for every chapter."""
    directory = Path(directory)
    paths = nbtools.chapter_paths(directory)
    notebooks = {p: nbtools.read(p) for p in paths}
    chapters = [read_chapter(p, notebooks[p]) for p in paths]
    explorer = directory / nbtools.EXPLORER
    if explorer.exists():
        notebooks[explorer] = nbtools.read(explorer)
        title, question = _explorer_parts(notebooks[explorer])
        chapters.append(Chapter(explorer, "—", title, question, True))
    result = []
    for i, ch in enumerate(chapters):
        nb = notebooks[ch.path]
        new = with_nav(nb, nav_source(chapters, i, directory))
        if ch.path.name == nbtools.START_HERE:
            new = with_map(new, map_source(chapters, directory))
        result.append((ch, nb, new))
    return result


def check(directory: Path = nbtools.NOTEBOOKS) -> dict[str, str]:
    """``{notebook name: what is stale}`` for every notebook nav.py would rewrite."""
    stale = {}
    for ch, old, new in plan(directory):
        if old != new:
            stale[ch.path.name] = _describe(old, new)
    return stale


def _describe(old, new) -> str:
    old_navs = [nbtools.source(c) for c in old.cells if _is_nav(c)]
    new_navs = [nbtools.source(c) for c in new.cells if _is_nav(c)]
    n = len(new.cells)
    positions_ok = (len(old.cells) == n and old.cells[1:2] and _is_nav(old.cells[1])
                    and _is_nav(old.cells[-1]) and len(old_navs) == 2)
    if old_navs != new_navs:
        what = ["navigation links differ" if old_navs else "navigation cells missing"]
    elif not positions_ok:
        what = ["navigation cells are not the second and last cells"]
    else:
        what = []
    old_map = [nbtools.source(c) for c in old.cells if nbtools.source(c).startswith(MAP_SENTINEL)]
    new_map = [nbtools.source(c) for c in new.cells if nbtools.source(c).startswith(MAP_SENTINEL)]
    if old_map != new_map:
        what.append("chapter map differs")
    return "; ".join(what) or "navigation cells differ (tags or metadata)"


def update(directory: Path = nbtools.NOTEBOOKS) -> list[Path]:
    """Rewrite every notebook whose navigation or map is stale; return the ones written.

    Prints a warning (stderr) for each chapter without a title cell.
    """
    written = []
    for ch, old, new in plan(directory):
        if not ch.has_title_cell:
            print(f"nav.py: warning: {ch.path.name} has no title cell ('# {ch.number} · Title', "
                  "then '**The question:** ...'); its links use the file name", file=sys.stderr)
        if old != new and nbtools.write(new, ch.path):
            written.append(ch.path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report stale notebooks (exit 1 if any), write nothing")
    parser.add_argument("--dir", type=Path, default=nbtools.NOTEBOOKS,
                        help="the notebooks directory (default: notebooks/ of the repository)")
    args = parser.parse_args(argv)

    if args.check:
        stale = check(args.dir)
        for name, what in stale.items():
            print(f"{name}: {what} (run: python tools/nav.py)")
        return 1 if stale else 0
    for path in update(args.dir):
        print(f"nav.py: updated {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
