"""The classroom app (make app): the explorer served by Voila, opened in a real browser.

``tools/app.py`` builds the command that ``make app`` runs; these tests run the same command
on a free port of 127.0.0.1, with a token and a short culling timeout, over a temporary copy
of notebooks/. They check what a teacher projecting it relies on:

- the page shows the explorer's text and its live dashboard, and no code;
- moving a slider with the keyboard changes its readout, every view and the status line;
- no browser console error and no "Error displaying widget";
- once the page is closed, its idle kernel is culled (shut down), so a lab session of page
  loads does not pile up kernels.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, unavailable
from labdriver import PANEL, Panel

sys.path.insert(0, str(REPO / "tools"))
import app  # noqa: E402  (tools/app.py: the command line of make app)

ARTIFACTS = REPO / "test-artifacts" / "browser"
#: The only outside resource Voila's page asks for (Font Awesome's stylesheet).
VOILA_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@"
#: Culling in the test: a closed page's kernel goes after 2 s idle, checked every second.
CULL_IDLE_TIMEOUT, CULL_INTERVAL = 2, 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernel_processes(parent: int) -> list[int]:
    """The ipykernel processes started by the process ``parent`` (read from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:  # the process ended while we looked
            continue
        if int(fields.get("PPid", "0").strip()) == parent and b"ipykernel" in cmdline:
            found.append(int(status.parent.name))
    return found


class VoilaApp:
    """``tools/app.py``'s Voila command in a subprocess, over a temporary copy of notebooks/."""

    def __init__(self, workdir: Path):
        shutil.copytree(REPO / "notebooks", workdir / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        self.workdir, self.token, self.port = workdir, secrets.token_hex(24), free_port()
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self.log_path = workdir / "voila.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> "VoilaApp":
        args = app.voila_args(self.workdir / "notebooks" / "explorer.ipynb", self.port, open_browser=False,
                              token=self.token, cull_idle_timeout=CULL_IDLE_TIMEOUT, cull_interval=CULL_INTERVAL)
        dirs = {name: self.workdir / sub for name, sub in [
            ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")]}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if k not in {"MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH"}}
        env.update({k: str(v) for k, v in dirs.items()})
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(args, cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"voila exited with code {self.proc.returncode}:\n{self.log_tail()}")
            try:
                # The tree page answers as soon as the server listens, without starting a kernel.
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/voila/static/voila.js", timeout=5):
                    return self
            except urllib.error.HTTPError:
                return self  # it answers: listening
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"voila did not answer within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.2)  # polling interval of the condition above

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: the server shuts its kernels down
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@pytest.fixture(scope="module")
def voila_app(browser_support, tmp_path_factory):
    if importlib.util.find_spec("voila") is None:
        unavailable("the voila Python package is not installed (make test installs it)")
    server = VoilaApp(tmp_path_factory.mktemp("voila"))
    try:
        yield server.start()
    finally:
        server.stop()


class AppPage:
    """The app's page in its own browser context; console errors kept as text in ``errors``."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"console error: {m.text} ({(m.location or {}).get('url', '?')})"))
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught page error: {error}"))


def test_the_app_serves_the_explorer_live_without_code_and_culls_idle_kernels(browser, voila_app):
    shown = AppPage(browser)
    page = shown.page
    try:
        page.goto(voila_app.url, timeout=90_000)
        panel_root = page.locator(PANEL).first
        panel_root.wait_for(timeout=120_000)  # Voila runs the notebook, then renders its widgets
        page.wait_for_function(
            "(p) => [...p.querySelectorAll('img.widget-image')].every(i => i.complete && i.naturalWidth)",
            arg=panel_root.element_handle(), timeout=60_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "app.png"), full_page=True)

        body = page.locator("body").inner_text()
        assert "Error displaying widget" not in body
        # Voila keeps empty input areas in the page; no line of the notebook's code may show.
        notebook = json.loads((REPO / "notebooks" / "explorer.ipynb").read_text(encoding="utf-8"))
        code_lines = [line.strip() for cell in notebook["cells"] if cell["cell_type"] == "code"
                      for line in "".join(cell["source"]).splitlines() if len(line.strip()) > 8]
        assert code_lines, "explorer.ipynb has no code?"
        shown_code = [line for line in code_lines if line in body]
        assert not shown_code, f"code is shown on the page: {shown_code[:3]}"
        assert page.locator(".jp-RenderedMarkdown h1").count() >= 1, "the explorer's title is missing"

        # Voila loaded the frames' front end (anywidget): the page drew the last step's frame,
        # and draws another step's when the step slider moves.
        frame = panel_root.locator("canvas.lrlab-frame")
        page.wait_for_function("(c) => Number(c.dataset.draws) >= 1 && c.dataset.step !== ''",
                               arg=frame.element_handle(), timeout=30_000)
        panel = Panel(shown, panel_root)
        last = panel.step()
        assert frame.get_attribute("data-step") == str(last)
        panel.press(panel.step_slider, "Home")
        page.wait_for_function("(c) => c.dataset.step === '0'", arg=frame.element_handle(), timeout=10_000)
        panel.press(panel.step_slider, "End")
        panel.move_a_slider("app")
        # Voila's lab template links Font Awesome's CSS from a CDN (hard-coded in its index.html.j2);
        # offline, as on a lab machine without internet, that one load fails. It is not ours to fix.
        errors = [e for e in shown.errors if not (VOILA_CDN in e and "Failed to load resource" in e)]
        assert not errors, "browser console:\n" + "\n".join(errors)
        if Path("/proc/self/status").is_file():
            assert kernel_processes(voila_app.proc.pid), "no kernel runs the page"
    finally:
        shown.context.close()

    # The page is closed: its kernel is idle and disconnected, so the culler shuts it down.
    if not Path("/proc/self/status").is_file():
        return  # kernels are counted from /proc (Linux); elsewhere the culling is not checked
    deadline = time.monotonic() + 60
    while kernel_processes(voila_app.proc.pid):
        if time.monotonic() > deadline:
            pytest.fail(f"the closed page's kernel was not culled within 60 s:\n{voila_app.log_tail()}")
        time.sleep(0.5)  # polling interval of the condition above
