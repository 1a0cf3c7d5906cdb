"""Fixtures of the browser tests: a JupyterLab server, Chromium, and one notebook page each.

They need the ``playwright`` Python package (in the ``test`` extra) and a Chromium that runs
here: Debian's ``chromium`` package at /usr/bin/chromium, or another one named by the
``LRLAB_CHROMIUM`` environment variable. Playwright's own browser download (``playwright
install``) is never used. Without them every browser test is skipped, with the reason in the
summary at the end of the run; when ``CI`` is set, they fail instead, so CI cannot pass
without having run them.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from labdriver import LabServer, NotebookPage, launch_chromium

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("LRLAB_CHROMIUM") or "/usr/bin/chromium")
INSTALL_HINT = ("install Debian's chromium (apt-get install chromium) and run make test again; "
                "another Chromium: LRLAB_CHROMIUM=/path/to/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str):
    if in_ci():
        pytest.fail(f"browser tests cannot run, and CI={os.environ['CI']} is set, where they must: {reason}",
                    pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser_support():
    """Skip (or, in CI, fail) when Playwright or Chromium is missing; checked before anything starts."""
    for module in ("playwright", "jupyterlab"):
        if importlib.util.find_spec(module) is None:
            unavailable(f"the {module} Python package is not installed (make test installs it; "
                        "by hand: pip install -c constraints.txt -e '.[test]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"{CHROMIUM} not found — {INSTALL_HINT}")


@pytest.fixture(scope="session")
def browser(browser_support, tmp_path_factory):
    from playwright.sync_api import Error, sync_playwright

    # Chromium's own files (its GSettings/dconf cache and the like) go to a temporary home too.
    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright, CHROMIUM, home)
        except Error as error:
            unavailable(f"{CHROMIUM} did not start ({str(error).strip().splitlines()[0]}) — {INSTALL_HINT}")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab(browser_support, tmp_path_factory):
    """JupyterLab over a temporary copy of notebooks/ (and tests/golden/, which they read)."""
    with LabServer(REPO, tmp_path_factory.mktemp("jupyterlab"), copy=("notebooks", "tests/golden")) as server:
        yield server


class OpenNotebooks:
    """The notebook under test, opened on a fresh kernel and run top to bottom, once.

    One notebook is open at a time: asking for another closes the current page and shuts its
    kernel down (two cores are shared with the server and the browser). The tests are ordered
    by notebook (``pytest_collection_modifyitems`` below), so each notebook is run once, then
    its panels are tried on the same page. A run that failed is not retried for every test of
    the notebook: the error is kept on the page (``run_error``) for each test to report.
    """

    def __init__(self, lab, browser):
        self.lab, self.browser, self.current = lab, browser, None

    def get(self, name: str) -> NotebookPage:
        if self.current is not None and self.current.name == name:
            return self.current
        self.close()
        self.current = page = NotebookPage(self.lab, self.browser, name)
        try:
            page.open()
            page.run_all()
        except Exception as error:  # playwright's or our TimeoutError, an HTTP error
            page.run_error = f"{type(error).__name__}: {error}\nserver log:\n{self.lab.log_tail(15)}"
        return page

    def close(self) -> None:
        if self.current is not None:
            page, self.current = self.current, None
            page.close()


@pytest.fixture(scope="session")
def notebooks(browser, lab):
    opened = OpenNotebooks(lab, browser)
    try:
        yield opened
    finally:
        opened.close()


def pytest_collection_modifyitems(items):
    """Order this folder's tests by notebook (their ``name`` parameter), keeping their places.

    The sort is stable: for each notebook, the Run All test (defined first) comes before its
    panel tests. Called for every item of the session: only this folder's are moved.
    """
    here = Path(__file__).parent
    positions = [i for i, item in enumerate(items)
                 if Path(item.path).parent == here and "name" in getattr(getattr(item, "callspec", None), "params", {})]
    ordered = sorted((items[i] for i in positions), key=lambda item: item.callspec.params["name"])
    for i, item in zip(positions, ordered):
        items[i] = item
