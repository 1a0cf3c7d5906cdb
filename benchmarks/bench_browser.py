"""How responsive the panels are where the learner sees them: in Chromium, against a real JupyterLab.

    python benchmarks/bench_browser.py [--presses N] [--play-seconds S] [--json PATH]

``bench_widgets.py`` times the kernel alone. This benchmark times what a learner waits for: it
starts the JupyterLab of the browser tests (``tests/browser/labdriver.py``: ``LabServer`` over a
temporary copy of notebooks/, Chromium launched by ``launch_chromium``), writes a small notebook
of its own into that copy (a descent panel: warmup + cosine with momentum on Rosenbrock, 200
steps, sliders lr and warmup, as in ``bench_widgets.py``; and ``lrlab.explorer.explorer()`` with
its defaults), runs it, and measures with the page's own clock (``performance.now()``):

- key press -> pixels: the first parameter slider's handle is focused and ArrowRight and
  ArrowLeft are pressed in turn (N presses per panel, 40 by default), each after the previous
  one was drawn and 150 ms of quiet. A press counts from its keydown event (``event.timeStamp``)
  until the animation frame after the last of the kernel's answer is drawn: the status line
  changed, every image (the views' data layers) loaded its new src, and the page drew the new
  marks on the frame canvas over them (``lrlab.frames``). Median and 95th percentile.
- Play: the Play button is clicked and the animation runs for S seconds (5 by default, less if
  the run ends first), then is paused and the kernel allowed to catch up. Every step readout and
  status text the page shows, and every frame the page draws on the frame canvas (its
  ``data-draws`` count and ``data-step``), is logged in order; a frame is shown at the animation
  frame after its draw. Drawn frames per second = (frames shown - 1) / (time from the first to
  the last); the lag of the picture behind the readout = for each step r the readout shows, the
  time until a frame of step r or later is shown, median and max. Kernel messages per frame:
  comm messages on the kernel's websocket, counted by Playwright, sent by the page and received
  from the kernel, over the drawn frames.
- the floor (normal mode only): the same key presses on a plain IntSlider whose kernel callback
  only writes the value into a Label, until the animation frame after the label changed. No
  lrlab answer can come sooner: it is what the page -> server -> kernel -> page round trip
  costs on this machine, measured in the same run.
- the same in projector mode when ``lrlab.widgets.projector`` exists: a second notebook calls
  ``lrlab.widgets.projector(True)`` before it builds the panels. Without it those rows are
  skipped with a message.

The kernel, the server, Chromium and this script share the machine: the header line gives the
load average before and after, since other load moves every figure. To time another copy of
the package than the installed one, put it first on PYTHONPATH (the kernel inherits it).

Targets (issue 14): key press p50 <= 50 ms and p95 <= 100 ms; Play >= 20 drawn frames per second
with the picture lagging the readout by <= 60 ms (median), in projector mode as well. Every row
says PASS or MISS; a miss does not fail: the exit status is 0 once everything was measured,
1 when something could not be measured, and 0 with a one-line message when Chromium, Playwright
or JupyterLab is missing (another Chromium: LRLAB_CHROMIUM=/path/to/chromium).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from labdriver import PANEL, LabServer, NotebookPage, Panel, launch_chromium  # noqa: E402

CHROMIUM = Path(os.environ.get("LRLAB_CHROMIUM") or "/usr/bin/chromium")
PRESS_P50, PRESS_P95, PLAY_FPS, PLAY_LAG = 50.0, 100.0, 20.0, 60.0
#: Quiet time after a press was drawn, so that each press meets an idle kernel.
SETTLE_MS = 150

CELLS = [
    "import lrlab\nimport lrlab.explorer\nimport lrlab.widgets\nfrom lrlab.widgets import Param",
    "def build(lr, warmup):\n"
    "    return lrlab.linear_warmup(lrlab.cosine(lr, total_steps=200 - warmup), warmup)\n\n"
    "lrlab.widgets.descent_panel(\n"
    "    lrlab.rosenbrock(), build,\n"
    "    {\"lr\": Param(1e-4, 1e-2, value=1e-3, log=True), \"warmup\": Param(1, 50, value=10, integer=True)},\n"
    "    steps=200, method=\"momentum\")",
    "lrlab.explorer.explorer()",
    # The floor: a slider whose kernel callback only writes its value into a label (no lrlab).
    "import ipywidgets as W\n"
    "floor_slider, floor_label = W.IntSlider(0, 0, 100), W.Label(\"0\")\n"
    "floor_label.add_class(\"bench-floor\")\n"
    "floor_slider.observe(lambda change: setattr(floor_label, \"value\", str(change[\"new\"])), names=\"value\")\n"
    "W.VBox([floor_slider, floor_label])",
]

#: Log, in order, every image src, step readout and status text of a panel, every frame the page
#: draws on the canvas over the images (lrlab.frames: its data-draws count and data-step), each
#: image's or frame's next animation frame ("paint"), and every keydown's time stamp.
JS_INSTRUMENT = """(panel) => {
    const imgs = [...panel.querySelectorAll('img.widget-image')];
    const canvas = panel.querySelector('canvas.lrlab-frame');
    const readout = panel.querySelector('.widget-play + .widget-slider .widget-readout');
    const status = panel.querySelector(':scope > .widget-label');
    const log = {keys: [], events: [], nimg: imgs.length};
    const last = {step: readout.textContent.trim(), status: status.textContent, draws: canvas.dataset.draws,
                  srcs: imgs.map(i => i.getAttribute('src'))};
    new MutationObserver(records => {
        const t = performance.now();
        for (const r of records) {
            const i = imgs.indexOf(r.target);
            if (i >= 0) {
                const s = r.target.getAttribute('src');
                if (s !== last.srcs[i]) { last.srcs[i] = s; log.events.push(['src', t, i, s]); }
            } else if (r.target === canvas) {
                if (canvas.dataset.draws !== last.draws) {
                    last.draws = canvas.dataset.draws;
                    const draw = ['draw', t, Number(canvas.dataset.step), Number(last.draws), null];
                    log.events.push(draw);
                    requestAnimationFrame(() => { draw[4] = performance.now(); });
                }
            } else if (status.contains(r.target) && status.textContent !== last.status) {
                last.status = status.textContent; log.events.push(['status', t, last.status]);
            } else if (readout.contains(r.target) && readout.textContent.trim() !== last.step) {
                last.step = readout.textContent.trim(); log.events.push(['step', t, last.step]);
            }
        }
    }).observe(panel, {subtree: true, childList: true, characterData: true, attributes: true,
                       attributeFilter: ['src', 'data-draws']});
    imgs.forEach((img, i) => img.addEventListener('load', () => {
        const s = img.getAttribute('src');
        requestAnimationFrame(() => log.events.push(['paint', performance.now(), i, s]));
    }));
    window.addEventListener('keydown', e => log.keys.push(e.timeStamp), true);
    panel.__lrlabBench = log;
}"""

#: After a key press: null until the kernel's answer is drawn, then the ms from keydown to pixels.
#: The answer is the status line, then the data layers (every image a new src), then the new
#: marks, which the page draws at once on its canvas: done at the animation frame after the last.
JS_PRESS_DONE = """([panel, e0]) => {
    const log = panel.__lrlabBench, evs = log.events.slice(e0);
    const latest = new Map();
    for (const e of evs) if (e[0] === 'src') latest.set(e[2], e[3]);
    const statusChanged = evs.some(e => e[0] === 'status');
    const draws = evs.filter(e => e[0] === 'draw');
    if (latest.size < log.nimg || !statusChanged || !draws.length || draws[draws.length - 1][4] === null) return null;
    let shown = draws[draws.length - 1][4];
    for (const [i, s] of latest) {
        const p = evs.find(e => e[0] === 'paint' && e[2] === i && e[3] === s);
        if (!p) return null;
        shown = Math.max(shown, p[1]);
    }
    return shown - log.keys[log.keys.length - 1];
}"""

#: True once Play has stopped and the kernel has caught up (the status names the step the readout shows).
JS_CAUGHT_UP = """(panel) => {
    const step = panel.querySelector('.widget-play + .widget-slider .widget-readout').textContent.trim();
    const m = panel.querySelector(':scope > .widget-label').textContent.match(/step (\\d+) of/);
    return m !== null && m[1] === step && !panel.querySelector('.widget-play button i').classList.contains('fa-pause');
}"""


def notebook_json(projector: bool) -> str:
    # The projector switch goes after the imports, before any panel is built.
    cells = [CELLS[0]] + (["lrlab.widgets.projector(True)"] if projector else []) + CELLS[1:]
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"bench-{i}", "metadata": {},
                   "outputs": [], "source": source} for i, source in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}, indent=1)


def kernel_msg_type(payload) -> str | None:
    """msg_type of a kernel websocket frame: JSON text, or JupyterLab's binary v1 protocol
    (uint64 count n, n uint64 offsets, then channel, header, parent_header, ... parts)."""
    try:
        if isinstance(payload, str):
            return json.loads(payload)["header"]["msg_type"]
        n = int.from_bytes(payload[:8], "little")
        offsets = [int.from_bytes(payload[8 + 8 * i:16 + 8 * i], "little") for i in range(n)]
        return json.loads(payload[offsets[1]:offsets[2]])["msg_type"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


class CommCounter:
    """Comm messages on the page's kernel websockets, counted while ``on``."""

    def __init__(self, page):
        self.on, self.sent, self.received = False, 0, 0
        page.on("websocket", self._socket)

    def _socket(self, ws):
        if "/api/kernels/" in ws.url:
            ws.on("framesent", lambda payload: self._count("sent", payload))
            ws.on("framereceived", lambda payload: self._count("received", payload))

    def _count(self, direction, payload):
        if self.on and kernel_msg_type(payload) == "comm_msg":
            setattr(self, direction, getattr(self, direction) + 1)

    def start(self):
        self.on, self.sent, self.received = True, 0, 0


#: Log the floor label's paints (the animation frame after each change) and every keydown.
JS_FLOOR = """(root) => {
    const label = root.querySelector('.bench-floor'), log = {keys: [], shown: []};
    new MutationObserver(() => requestAnimationFrame(() => log.shown.push(performance.now())))
        .observe(label, {subtree: true, childList: true, characterData: true});
    window.addEventListener('keydown', e => log.keys.push(e.timeStamp), true);
    root.__lrlabFloor = log;
}"""


def measure_floor(nb: NotebookPage, presses: int) -> list[float]:
    """ms from a key press on a plain IntSlider to its value shown by a Label the kernel sets."""
    root = nb.notebook.locator(".jp-OutputArea-output .widget-vbox:has(.bench-floor)").first
    root.evaluate(JS_FLOOR)
    root.locator(".noUi-handle").focus()
    latencies = []
    for i in range(presses):
        n0 = root.evaluate("(r) => r.__lrlabFloor.shown.length")
        nb.page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        nb.page.wait_for_function("([r, n]) => r.__lrlabFloor.shown.length > n", arg=[root.element_handle(), n0],
                                  timeout=20000, polling=10)
        latencies.append(root.evaluate("(r) => { const l = r.__lrlabFloor; "
                                       "return l.shown[l.shown.length - 1] - l.keys[l.keys.length - 1]; }"))
        nb.page.wait_for_timeout(SETTLE_MS)
    return latencies


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def measure_presses(nb: NotebookPage, panel: Panel, presses: int) -> tuple[str, list[float]]:
    """(the slider's label, the ms from each key press to its pixels)."""
    slider = panel.param_sliders().first
    slider.locator(".noUi-handle").focus()
    latencies = []
    for i in range(presses):
        e0 = panel.handle.evaluate("(p) => p.__lrlabBench.events.length")
        nb.page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        done = nb.page.wait_for_function(JS_PRESS_DONE, arg=[panel.handle, e0], timeout=20000, polling=10)
        latencies.append(float(done.json_value()))
        nb.page.wait_for_timeout(SETTLE_MS)
    return panel.label(slider), latencies


def play_frames(events) -> tuple[list, list]:
    """(readout steps [(t, step)], frames shown [(t, step)]) from a Play's event log: a frame is a
    draw of the frame canvas, shown at the animation frame after it."""
    steps = [(e[1], int(e[2])) for e in events if e[0] == "step"]
    frames = [(e[4], e[2]) for e in events if e[0] == "draw" and e[4] is not None]
    return steps, frames


def measure_play(nb: NotebookPage, panel: Panel, comms: CommCounter, seconds: float) -> dict:
    e0 = panel.handle.evaluate("(p) => p.__lrlabBench.events.length")
    comms.start()
    panel.play_button.click()
    panel.wait_playing(True)
    try:
        panel.wait_playing(False, timeout=seconds)  # the run ended first
    except Exception:  # playwright's TimeoutError: still playing after the time given
        panel.play_button.click()
    nb.page.wait_for_function(JS_CAUGHT_UP, arg=panel.handle, timeout=30000)
    nb.page.wait_for_timeout(SETTLE_MS)
    comms.on = False
    events = panel.handle.evaluate("(p, e0) => p.__lrlabBench.events.slice(e0)", e0)
    steps, frames = play_frames(events)
    frames.sort()
    if len(frames) < 2 or not steps:
        raise RuntimeError(f"Play: {len(steps)} readout steps and {len(frames)} frames seen; nothing to measure")
    lags, own = [], 0
    for t, step in steps:
        later = [ft for ft, fs in frames if fs >= step and ft >= t]
        if later:
            lags.append(later[0] - t)
        own += any(fs == step for _, fs in frames)
    return {"fps": (len(frames) - 1) / ((frames[-1][0] - frames[0][0]) / 1000), "frames": len(frames),
            "readout_steps": len(steps), "steps_drawn": own, "lag_median": statistics.median(lags),
            "lag_max": max(lags), "sent_per_frame": comms.sent / len(frames),
            "received_per_frame": comms.received / len(frames)}


def bench_notebook(lab, browser, mode: str, presses: int, seconds: float) -> list[dict]:
    name = f"bench_browser_{mode}.ipynb"
    (lab.root / name).write_text(notebook_json(mode == "projector"), encoding="utf-8")
    nb = NotebookPage(lab, browser, name)
    comms = CommCounter(nb.page)
    rows = []
    try:
        nb.open()
        nb.run_all()
        errors = nb.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        if errors.count() or nb.errors:
            raise RuntimeError(f"{name} did not run clean: {errors.all_text_contents() + nb.errors}")
        panels = nb.notebook.locator(PANEL)
        panels.nth(1).locator("img.widget-image").first.wait_for(timeout=60000)
        nb.page.wait_for_function(f"""() => {{ const p = [...document.querySelectorAll('{PANEL}')];
            return p.length === 2 && p.every(x => [...x.querySelectorAll('img.widget-image')]
                                                   .every(i => i.complete && i.naturalWidth)); }}""", timeout=60000)
        for index, label in enumerate(("descent panel", "explorer")):
            panel = Panel(nb, panels.nth(index))
            panel.handle.evaluate(JS_INSTRUMENT)
            slider, ms = measure_presses(nb, panel, presses)
            rows.append({"measurement": "key press -> pixels", "panel": label, "mode": mode, "slider": slider,
                         "n": len(ms),
                         "median_ms": statistics.median(ms), "p95_ms": percentile(ms, 95), "max_ms": max(ms)})
            rows.append({"measurement": "Play", "panel": label, "mode": mode, "seconds": seconds,
                         **measure_play(nb, panel, comms, seconds)})
        if mode == "normal":
            ms = measure_floor(nb, presses)
            rows.append({"measurement": "floor", "panel": "IntSlider -> Label", "mode": mode, "n": len(ms),
                         "median_ms": statistics.median(ms), "p95_ms": percentile(ms, 95), "max_ms": max(ms)})
    finally:
        nb.close()
    return rows


def table(rows) -> str:
    lines = [f"{'measurement':32s} {'panel':30s} {'median':>8s} {'p95/max':>8s}  {'target':22s} result"]

    def line(what, panel, a, b, target, ok):
        lines.append(f"{what:32s} {panel:30s} {a:>8s} {b:>8s}  {target:22s} {'PASS' if ok else 'MISS'}")

    for r in rows:
        panel = r["panel"] + (" (projector)" if r["mode"] == "projector" else "")
        if r["measurement"] == "floor":
            lines.append(f"{'floor: key press -> kernel -> label':32s} {r['panel']:30s} {r['median_ms']:>8.1f} "
                         f"{r['p95_ms']:>8.1f}  (no lrlab: what any kernel answer costs here)")
        elif r["measurement"] == "key press -> pixels":
            line(f"key press -> pixels (ms, n={r['n']})", f"{panel}, {r['slider']}", f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}",
                 f"p50 <= {PRESS_P50:g}, p95 <= {PRESS_P95:g}",
                 r["median_ms"] <= PRESS_P50 and r["p95_ms"] <= PRESS_P95)
        else:
            line("Play: drawn frames per second", panel, f"{r['fps']:.1f}", "", f">= {PLAY_FPS:g}",
                 r["fps"] >= PLAY_FPS)
            line("Play: picture lags readout (ms)", panel, f"{r['lag_median']:.1f}", f"{r['lag_max']:.1f}",
                 f"median <= {PLAY_LAG:g}", r["lag_median"] <= PLAY_LAG)
            lines.append(f"    {r['frames']} frames drawn for {r['readout_steps']} readout steps "
                         f"({r['steps_drawn']} of them drawn exactly); comm messages per frame: "
                         f"{r['sent_per_frame']:.2f} sent by the page, {r['received_per_frame']:.2f} from the kernel")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=40, help="key presses per panel (default 40)")
    parser.add_argument("--play-seconds", type=float, default=5.0, help="seconds of Play per panel (default 5)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.presses < 2:
        parser.error(f"--presses must be at least 2, got {args.presses}")
    if not 0.5 <= args.play_seconds <= 60:
        parser.error(f"--play-seconds must be between 0.5 and 60, got {args.play_seconds}")
    for module in ("playwright", "jupyterlab"):
        if importlib.util.find_spec(module) is None:
            print(f"bench_browser: skipped, the {module} Python package is not installed (pip install -e '.[test]')")
            return 0
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        print(f"bench_browser: skipped, no Chromium at {CHROMIUM} (apt-get install chromium, or LRLAB_CHROMIUM=path)")
        return 0

    import lrlab.widgets
    from playwright.sync_api import Error, sync_playwright

    modes = ["normal"] + (["projector"] if hasattr(lrlab.widgets, "projector") else [])
    rows = []
    started, load = time.monotonic(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lrlab-bench-browser-") as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        (work / "chromium-home").mkdir()
        try:
            browser = launch_chromium(playwright, CHROMIUM, work / "chromium-home")
        except Error as error:
            print(f"bench_browser: could not start {CHROMIUM}: {str(error).strip().splitlines()[0]}")
            return 1
        try:
            with LabServer(REPO, work / "lab", copy=("notebooks", "tests/golden")) as lab:
                for mode in modes:
                    try:
                        rows += bench_notebook(lab, browser, mode, args.presses, args.play_seconds)
                    except Exception as error:  # playwright's errors, ours: could not measure
                        print(f"bench_browser: could not measure ({mode}): {type(error).__name__}: {error}\n"
                              f"server log:\n{lab.log_tail(15)}")
                        return 1
        finally:
            browser.close()
    print(f"browser benchmark: JupyterLab + Chromium, {args.presses} key presses and {args.play_seconds:g} s "
          f"of Play per panel ({time.monotonic() - started:.0f} s); lrlab from {Path(lrlab.__file__).parent}; "
          f"load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores")
    print(table(rows))
    if "projector" not in modes:
        print("projector rows skipped: lrlab.widgets.projector does not exist yet")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "projector": "projector" in modes, "load_before": load[0],
                                         "load_after": os.getloadavg()[0]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
