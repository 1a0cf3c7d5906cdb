"""A JupyterLab server for the browser tests, and the few things the tests do in its pages.

The server runs on 127.0.0.1 on a port the OS picks, with a random token, over a temporary
copy of ``notebooks/``, with every Jupyter directory (config, data, runtime, user settings,
workspaces) and the IPython directory in a temporary directory: a test run never writes into
the working tree nor into the user's ``~/.jupyter`` or ``~/.ipython``. The kernel is the
``python3`` kernelspec of the environment that runs the tests (``.venv``), found through
``sys.prefix``, which Jupyter always searches.

Everything here waits on a condition (a file, an HTTP answer, a selector, a JavaScript
predicate), never for a fixed time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# Server side: no news feed and no update check, so that a run on an offline machine neither
# waits on nor logs failed requests and no toast covers the notebook.
SERVER_CONFIG = {
    "LabApp": {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        # window.jupyterapp: the tests run Run All through the app's own command registry.
        "expose_app_in_browser": True,
    },
}
# Front end (user settings, in the temporary settings directory): no notebook windowing, which
# would leave the cells outside the viewport out of the DOM (every cell must be there to be
# checked and to appear in the screenshot); no empty space after the last cell (the screenshot
# is as tall as the cells); no news.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                   "scrollPastEnd": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


class LabServer:
    """``jupyter lab`` in a subprocess, serving ``workdir/root`` ; use as a context manager.

    ``copy`` names the folders of ``repo`` copied into ``workdir`` first, at the same relative
    paths: the notebooks, and what they read beside them (``../tests/golden/pytorch.json``).
    """

    def __init__(self, repo: Path, workdir: Path, copy=("notebooks",), root="notebooks",
                 start_timeout: float = 90.0):
        self.workdir = workdir
        for folder in copy:
            shutil.copytree(repo / folder, workdir / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        self.root = workdir / root
        self.token = secrets.token_hex(24)
        self.start_timeout = start_timeout
        self.log_path = workdir / "jupyter-lab.log"
        self.proc: subprocess.Popen | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------

    def _environment(self) -> dict:
        dirs = {name: self.workdir / sub for name, sub in [
            ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")]}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        (dirs["JUPYTER_CONFIG_DIR"] / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
        for rel, settings in USER_SETTINGS.items():
            path = dirs["JUPYTERLAB_SETTINGS_DIR"] / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))
        env = {k: v for k, v in os.environ.items()
               # The kernels must use matplotlib's inline backend, as `make test` does; JUPYTER_PATH
               # and friends could point at the user's own directories.
               if k not in {"MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH"}}
        env.update({k: str(v) for k, v in dirs.items()})
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # keeps debugpy's frozen-modules note out of the log
        return env

    def start(self) -> "LabServer":
        args = [sys.executable, "-m", "jupyterlab", "--no-browser",
                "--ServerApp.ip=127.0.0.1", "--ServerApp.port=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")  # Jupyter refuses to run as root without it
        runtime = self.workdir / "runtime"
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(args, cwd=self.workdir, env=self._environment(),
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.proc.returncode} before it answered:\n"
                                   + self.log_tail())
            info = sorted(runtime.glob("jpserver-*.json"))
            if info and not self.url:
                try:
                    port = json.loads(info[0].read_text())["port"]
                    self.url = f"http://127.0.0.1:{port}"
                except (ValueError, KeyError):
                    pass  # written but not complete yet
            if self.url:
                try:
                    if self.api("GET", "status").get("started"):
                        return self
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass  # not listening yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer /api/status within {self.start_timeout:.0f} s:\n"
                                   + self.log_tail())
            time.sleep(0.2)  # polling interval of the condition above

    def stop(self) -> None:
        if self.proc is None:
            return
        asked = False
        if self.proc.poll() is None and self.url:
            try:
                self.api("POST", "shutdown")  # shuts the kernels down, then exits
                asked = True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        try:
            self.proc.wait(timeout=20 if asked else 0.1)
        except subprocess.TimeoutExpired:
            self.proc.terminate()  # SIGTERM: jupyter still shuts its kernels down
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- REST API ----------------------------------------------------------------------

    def api(self, method: str, path: str, timeout: float = 10.0):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            error.close()  # it holds the response: left open, it would end in a ResourceWarning
            raise
        return json.loads(body) if body else None

    def sessions_for(self, name: str) -> list[dict]:
        return [s for s in self.api("GET", "sessions") if s.get("path") == name]

    def delete_sessions(self, name: str) -> None:
        """Delete every kernel session of this notebook (an old kernel keeps its state)."""
        for session in self.sessions_for(name):
            try:
                self.api("DELETE", f"sessions/{session['id']}")
            except urllib.error.HTTPError as error:
                if error.code != 404:  # already gone
                    raise

    def wait_kernel_ready(self, name: str, timeout: float = 60.0) -> dict:
        """Wait until the notebook's kernel is idle with at least one connection.

        The toolbar shows idle before the kernel's websocket works; a Run All sent then is
        silently dropped (TOOLING_NOTES). The server's view of the session is what counts.
        """
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            seen = self.sessions_for(name)
            for s in seen:
                kernel = s.get("kernel") or {}
                if kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
                    return s
            if time.monotonic() > deadline:
                raise TimeoutError(f"the kernel of {name} was not idle and connected within {timeout:.0f} s; "
                                   f"sessions: {seen}")
            time.sleep(0.1)  # polling interval

    def wait_kernel_idle(self, name: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            states = [(s.get("kernel") or {}).get("execution_state") for s in self.sessions_for(name)]
            if states and all(state == "idle" for state in states):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the kernel of {name} was still {states} after {timeout:.0f} s")
            time.sleep(0.1)  # polling interval

    def notebook_url(self, name: str) -> str:
        # ?reset: a fresh workspace, so no tab of an earlier page is reopened beside this one.
        return (f"{self.url}/lab/tree/{urllib.parse.quote(name)}?reset&"
                + urllib.parse.urlencode({"token": self.token}))


# --- in the page --------------------------------------------------------------------------

#: Chromium flags that work on these machines (TOOLING_NOTES): no sandbox (root, containers),
#: no GPU, and no background traffic to Google's services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

#: The one visible notebook panel.
NOTEBOOK = ".jp-NotebookPanel:visible"
#: A rendered lrlab panel: the widget VBox of an output that holds images and sliders.
PANEL = ".jp-OutputArea-output > .jupyter-widgets.widget-vbox:has(img.widget-image):has(.widget-slider)"
#: In a descent panel, the step slider is the one right after the Play widget.
STEP_SLIDER = ".widget-play + .widget-slider"
PARAM_SLIDER = ".widget-slider:not(.widget-play + .widget-slider)"
#: The panel's status line (a Label, a direct child of the panel's VBox).
STATUS = ":scope > .widget-label"

#: Resolves once the page has laid out and painted two more frames.
JS_NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

#: The prompts of the code cells: "[ ]:", "[*]:" or "[n]:".
JS_PROMPTS = """(nb) => [...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.trim())"""

#: What the notebook model says about each code cell: source empty or not, execution count.
JS_CODE_CELLS = """(nb) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = [];
    for (const cell of panel.content.model.cells) {
        if (cell.type !== 'code') continue;
        cells.push({source: cell.sharedModel.getSource(), count: cell.executionCount});
    }
    return cells;
}"""

#: A digest of the pixels each view of a panel shows now: its image (the data layers) with the
#: canvas the page draws the frames on laid over it (null while the image is loading).
JS_IMAGE_DIGESTS = """(panel) => [...panel.querySelectorAll('.lrlab-view')].map(view => {
    const img = view.querySelector('img.widget-image'), frame = view.querySelector('canvas.lrlab-frame');
    if (!img || !img.complete || !img.naturalWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    ctx.drawImage(img, 0, 0);
    if (frame && frame.width) ctx.drawImage(frame, 0, 0, canvas.width, canvas.height);  // at the image's size
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0x811c9dc5;  // FNV-1a
    for (let i = 0; i < data.length; i++) { h ^= data[i]; h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16) + '@' + canvas.width + 'x' + canvas.height;
})"""

#: The srcs of each view's images, joined: what a view shows changed when this does.
JS_VIEW_SRCS = """(panel) => [...panel.querySelectorAll('.lrlab-view')].map(
    view => [...view.querySelectorAll('img.widget-image')].map(e => e.src).join(' '))"""

#: Start recording, in order, every text the step readout and the status line show, and every
#: step the page draws a frame of (the frame canvas's data-step, set by lrlab.frames).
JS_RECORD = """(panel) => {
    const readout = panel.querySelector('.widget-play + .widget-slider .widget-readout');
    const status = panel.querySelector(':scope > .widget-label');
    const frame = panel.querySelector('.lrlab-view canvas.lrlab-frame');
    const rec = {steps: [readout.textContent.trim()], status: [status.textContent], frames: [frame.dataset.step]};
    const note = (list, value) => { if (list[list.length - 1] !== value) list.push(value); };
    const observer = new MutationObserver(() => {
        note(rec.steps, readout.textContent.trim());
        note(rec.status, status.textContent);
        note(rec.frames, frame.dataset.step);
    });
    observer.observe(panel, {subtree: true, childList: true, characterData: true, attributes: true});
    panel.__lrlabRecording = {rec, observer};
}"""

#: Stop recording and return what was seen.
JS_RECORDED = """(panel) => {
    const {rec, observer} = panel.__lrlabRecording;
    observer.disconnect();
    delete panel.__lrlabRecording;
    return rec;
}"""


#: The tallest screenshot taken, in pixels (a longer notebook is cut off at the bottom).
MAX_SHOT = 30000


class NotebookPage:
    """One notebook open in its own browser context, with a fresh kernel, run top to bottom.

    Every console message of type "error" and every uncaught page error is kept in
    ``self.errors``, in order, as text.
    """

    VIEWPORT = {"width": 1280, "height": 900}

    def __init__(self, server: LabServer, browser, name: str):
        self.server, self.name = server, name
        self.context = browser.new_context(viewport=self.VIEWPORT)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.run_error: str | None = None  # set by the caller when opening or Run All failed
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught page error: {error}"))
        self.notebook = self.page.locator(NOTEBOOK)

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.errors.append(f"console error: {message.text} ({where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def open(self, timeout: float = 60.0) -> None:
        """Open the notebook on a fresh kernel; return once the kernel is idle and connected."""
        self.server.delete_sessions(self.name)
        self.page.goto(self.server.notebook_url(self.name), timeout=timeout * 1000)
        self.notebook.locator(".jp-Cell").first.wait_for(timeout=timeout * 1000)
        self.server.wait_kernel_ready(self.name, timeout=timeout)

    def command(self, command_id: str) -> None:
        self.page.evaluate("(id) => window.jupyterapp.commands.execute(id)", command_id)

    def prompts(self) -> list[str]:
        return self.notebook.element_handle().evaluate(JS_PROMPTS)

    def run_all(self, start_timeout: float = 20.0, run_timeout: float = 600.0) -> None:
        """Clear every output, Run All, and wait until no cell is pending and the kernel is idle.

        Outputs are cleared first so that every prompt reads "[ ]:": the run has started once
        one of them changes (a fresh kernel numbers from 1 again, as the stored prompts do).
        Run All is the app's own command, the one the Run menu's "Run All Cells" calls.
        A Run All that did not start is sent once more; it can only be dropped before any cell
        is queued, so it never runs a cell twice. A run stops at the first error, leaving "[ ]:"
        below it; the caller checks that every cell ran.
        """
        self.command("notebook:clear-all-cell-outputs")
        started = """(nb) => [...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                        .some(e => e.textContent.trim() !== '[ ]:')"""
        handle = self.notebook.element_handle()
        for attempt in (1, 2):
            self.command("notebook:run-all-cells")
            try:
                self.page.wait_for_function(started, arg=handle, timeout=start_timeout * 1000)
                break
            except Exception as error:  # playwright's TimeoutError
                if attempt == 2:
                    raise TimeoutError(f"{self.name}: Run All did not start any cell "
                                       f"(prompts: {self.prompts()})") from error
        finished = """(nb) => ![...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                        .some(e => e.textContent.includes('*'))"""
        self.page.wait_for_function(finished, arg=handle, timeout=run_timeout * 1000, polling=250)
        self.server.wait_kernel_idle(self.name)

    def code_cells(self) -> list[dict]:
        return self.page.evaluate(JS_CODE_CELLS)

    def screenshot(self, path: Path) -> None:
        """The whole notebook panel, every cell, as one picture.

        The notebook scrolls inside its panel, so a screenshot shows only what fits: the
        viewport is made tall enough for every cell for the shot (scrollPastEnd is off, so the
        panel needs no more than its cells), then put back.
        """
        outer = self.notebook.locator(".jp-WindowedPanel-outer").element_handle()
        try:
            # A taller panel can lay some outputs out a little taller: resize until all fits.
            for _ in range(5):
                height = outer.evaluate("(e) => e.scrollHeight - e.clientHeight + window.innerHeight")
                if height <= self.page.viewport_size["height"] or self.page.viewport_size["height"] >= MAX_SHOT:
                    break
                self.page.set_viewport_size({"width": self.VIEWPORT["width"], "height": min(int(height), MAX_SHOT)})
                self.page.evaluate(JS_NEXT_FRAMES)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.notebook.screenshot(path=str(path), animations="disabled", timeout=60000)
        finally:
            self.page.set_viewport_size(self.VIEWPORT)

    def close(self) -> None:
        try:
            self.context.close()
        finally:
            self.server.delete_sessions(self.name)  # shuts its kernel down: 2 cores are shared


class Panel:
    """One rendered lrlab panel (schedule or descent) in a notebook page."""

    def __init__(self, notebook: NotebookPage, locator):
        self.nb, self.page, self.root = notebook, notebook.page, locator
        self.handle = locator.element_handle()
        self.play_button = locator.locator(".widget-play button").first
        self.step_slider = locator.locator(STEP_SLIDER)
        self.status = locator.locator(STATUS)

    @property
    def is_descent(self) -> bool:
        return self.root.locator(".widget-play").count() == 1

    def param_sliders(self):
        return self.root.locator(PARAM_SLIDER)

    @staticmethod
    def readout(slider) -> str:
        return slider.locator(".widget-readout").text_content().strip()

    @staticmethod
    def label(slider) -> str:
        return slider.locator(".widget-label").text_content().strip()

    def press(self, slider, key: str, times: int = 1) -> None:
        """Keyboard on the slider's handle, as a learner tabbing to it would do."""
        slider.locator(".noUi-handle").focus()
        for _ in range(times):
            self.page.keyboard.press(key)

    def images(self) -> list[str | None]:
        """A digest of the pixels of each view (None while one is loading)."""
        return self.handle.evaluate(JS_IMAGE_DIGESTS)

    def srcs(self) -> list[str]:
        return self.handle.evaluate(JS_VIEW_SRCS)

    def wait_views_changed(self, before_images, before_srcs, before_status, timeout=30.0) -> None:
        """Wait until every view shows other pixels under another src, and the status changed."""
        self.page.wait_for_function(
            f"""([panel, images, srcs, status]) => {{
                const now = ({JS_IMAGE_DIGESTS})(panel);
                const nowSrcs = ({JS_VIEW_SRCS})(panel);
                return now.every((d, i) => d !== null && d !== images[i] && nowSrcs[i] !== srcs[i])
                    && panel.querySelector('{STATUS}').textContent !== status;
            }}""",
            arg=[self.handle, before_images, before_srcs, before_status], timeout=timeout * 1000)

    def move_a_slider(self, what: str) -> tuple[str, str, str]:
        """Move the first parameter slider three keyboard steps towards the far end of its range;
        its readout, every view (pixels and src) and the status line must all change.

        Returns (parameter, readout before, readout after); raises AssertionError naming ``what``
        and what did not change."""
        slider = self.param_sliders().first
        param, readout = self.label(slider), self.readout(slider)
        images, srcs, status = self.images(), self.srcs(), self.status.text_content()
        assert None not in images, f"{what}: a view had not loaded"
        # noUiSlider's aria values are those of the slider itself: log10 of the value for a log slider.
        low, now, high = (float(slider.locator(".noUi-handle").get_attribute(f"aria-value{a}"))
                          for a in ("min", "now", "max"))
        self.press(slider, "ArrowLeft" if now > (low + high) / 2 else "ArrowRight", 3)
        self.page.wait_for_function("([el, before]) => el.textContent.trim() !== before",
                                    arg=[slider.locator(".widget-readout").element_handle(), readout],
                                    timeout=5000)
        try:
            self.wait_views_changed(images, srcs, status)
        except Exception:  # playwright's TimeoutError: say what did not change
            now_images = self.images()
            unchanged = [i + 1 for i, (a, b) in enumerate(zip(images, now_images)) if a == b]
            raise AssertionError(
                f"{what}: after {param} {readout} -> {self.readout(slider)}, views {unchanged} of "
                f"{len(now_images)} kept their picture; status {status!r} -> {self.status.text_content()!r}"
            ) from None
        return param, readout, self.readout(slider)

    # -- Play ------------------------------------------------------------------------------

    def playing(self) -> bool:
        return "fa-pause" in self.play_button.locator("i").get_attribute("class")

    def step(self) -> int:
        return int(self.readout(self.step_slider))

    def step_max(self) -> int:
        return int(float(self.step_slider.locator(".noUi-handle").get_attribute("aria-valuemax")))

    def wait_playing(self, playing: bool, timeout=10.0) -> None:
        icon = "fa-pause" if playing else "fa-play"
        self.page.wait_for_function(f"(p) => p.querySelector('.widget-play button i').classList.contains('{icon}')",
                                    arg=self.handle, timeout=timeout * 1000)

    def wait_step(self, condition: str, timeout=30.0) -> None:
        """Wait until the step readout, as the number ``step``, satisfies a JS condition."""
        self.page.wait_for_function(
            f"(p) => {{ const step = Number(p.querySelector('{STEP_SLIDER} .widget-readout').textContent); "
            f"return {condition}; }}", arg=self.handle, timeout=timeout * 1000)

    def wait_status(self, condition: str, timeout=30.0) -> None:
        """Wait until the status text (``status``) satisfies a JS condition."""
        self.page.wait_for_function(
            f"(p) => {{ const status = p.querySelector('{STATUS}').textContent; return {condition}; }}",
            arg=self.handle, timeout=timeout * 1000)

    def record(self) -> None:
        """Record every step readout, status text and frame drawn from now on."""
        self.handle.evaluate(JS_RECORD)

    def wait_recorded(self, condition: str, timeout=30.0) -> None:
        """Wait until what is recorded so far (``rec``: steps, status, frames) satisfies a JS condition."""
        self.page.wait_for_function(f"(p) => {{ const rec = p.__lrlabRecording.rec; return {condition}; }}",
                                    arg=self.handle, timeout=timeout * 1000)

    def recorded(self) -> dict:
        return self.handle.evaluate(JS_RECORDED)


# --- Chromium -----------------------------------------------------------------------------

def chromium_environment(home: Path) -> dict:
    """The environment Chromium runs in: its own files (GSettings/dconf cache and the like) under
    ``home``, a temporary directory, never in the user's home."""
    return {**os.environ, "GSETTINGS_BACKEND": "memory", "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data")}


def launch_chromium(playwright, executable: Path, home: Path):
    """Chromium at ``executable``, launched by Playwright with :data:`CHROMIUM_ARGS` and
    :func:`chromium_environment`; raises playwright's ``Error`` when it does not start."""
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS,
                                      env=chromium_environment(home))
