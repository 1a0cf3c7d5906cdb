"""Every notebook, run in JupyterLab in a real browser (Chromium, driven by Playwright).

nbval (in the same ``make test`` run) re-executes the notebooks in a kernel alone; it never
renders a widget. These tests do what a learner does: open each notebook in JupyterLab on a
fresh kernel, Run All, look at the result, then drag every panel's slider and press Play.

- ``test_runs_clean_in_jupyterlab``: every code cell ran (no "[ ]:", no "[*]:"), no error or
  stderr output, every widget rendered (no "Error displaying widget"), no browser console
  error. A screenshot of the whole notebook goes to test-artifacts/browser/<notebook>.png.
- ``test_panel_responds_in_jupyterlab``, once per lrlab panel: a parameter slider moved with
  the keyboard changes its readout, every view's picture and the status line; for a descent
  panel, Play restarts from step 0, the step readout advances frame by frame while the
  page draws each frame (lrlab.frames), and the animation stops at the last step.
- ``test_the_page_draws_the_frame_the_kernel_would_draw``: the explorer's frame as the page
  draws it matches the kernel's still picture of the same step.

The server, the browser and the skip-or-fail rule are in conftest.py; how the pages are
driven is in labdriver.py. Setup: README, "For maintainers".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from labdriver import PANEL, Panel

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Descent panels with at most this many steps are played from step 0 to the end (about 40 ms
#: a frame here: 4 s); longer ones are played for a few frames from 0, paused, moved TAIL steps
#: before the end with the keyboard, and played to the end from there.
FULL_PLAY_STEPS = 100
FEW_FRAMES = 8
TAIL = 20


def stored_widgets(path: Path) -> list[str]:
    """The text/plain of every widget output stored in a notebook, in order.

    An lrlab panel stores ``<DescentPanel: lr, ...>`` or ``<SchedulePanel: ...>`` beside
    the widget view (``_Panel._repr_mimebundle_``); other widgets store their own repr.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                text = data.get("text/plain", "")
                found.append("".join(text) if isinstance(text, list) else text)
    return found


NAMES = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
WIDGETS = {name: stored_widgets(REPO / "notebooks" / name) for name in NAMES}
PANELS = {name: [w for w in widgets if re.match(r"<((Descent|Schedule)Panel|Explorer): ", w)]
          for name, widgets in WIDGETS.items()}
PANEL_CASES = [pytest.param(name, i, id=f"{Path(name).stem}-{i + 1}-{text[1:].split(':')[0]}")
               for name, texts in PANELS.items() for i, text in enumerate(texts)]


def wait_widgets_rendered(notebook, timeout: float = 60.0) -> None:
    """Wait until every stored widget output has rendered again (or failed to) after Run All."""
    expected = len(WIDGETS[notebook.name])
    try:
        notebook.page.wait_for_function(
            """([nb, expected]) => {
                const outputs = [...nb.querySelectorAll('.jp-OutputArea-output')];
                const views = outputs.filter(o => o.querySelector(':scope > .jupyter-widgets'));
                const failed = outputs.filter(o => o.textContent.includes('Error displaying widget'));
                const loading = [...nb.querySelectorAll('img.widget-image')].some(i => !i.complete || !i.naturalWidth);
                return failed.length > 0 || (views.length >= expected && !loading);
            }""",
            arg=[notebook.notebook.element_handle(), expected], timeout=timeout * 1000)
    except Exception:  # playwright's TimeoutError: the assertions of the caller say what is missing
        pass


def first_lines(texts, lines=12) -> str:
    return "\n---\n".join("\n".join(t.strip().splitlines()[:lines]) for t in texts)


@pytest.mark.parametrize("name", NAMES)
def test_runs_clean_in_jupyterlab(notebooks, name):
    """Run All on a fresh kernel: every cell runs, nothing fails, every widget renders."""
    notebook = notebooks.get(name)
    wait_widgets_rendered(notebook)
    notebook.screenshot(ARTIFACTS / f"{Path(name).stem}.png")  # first: also kept when a check fails
    nb = notebook.notebook
    problems = [f"Run All did not complete: {notebook.run_error}"] if notebook.run_error else []

    not_run = [f"code cell {i + 1}: {c['source'].strip().splitlines()[0][:60]!r}"
               for i, c in enumerate(notebook.code_cells()) if c["source"].strip() and c["count"] is None]
    if not_run:
        problems.append(f"{len(not_run)} code cells never ran (Run All stops at an error): {not_run[:5]}")
    pending = [p for p in notebook.prompts() if "*" in p]
    if pending:
        problems.append(f"{len(pending)} cells still pending after the kernel went idle")

    stderr = nb.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
    if stderr:  # errors (tracebacks) and warnings alike are rendered as stderr
        problems.append(f"{len(stderr)} error or stderr outputs:\n{first_lines(stderr)}")

    text = nb.inner_text()
    if "Error displaying widget" in text:
        problems.append("a widget failed to render: " + first_lines(
            [line for line in text.splitlines() if "Error displaying widget" in line], 3))
    views = nb.locator(".jp-OutputArea-output:has(> .jupyter-widgets)").count()
    if views != len(WIDGETS[notebook.name]):
        problems.append(f"{views} widgets rendered, the stored notebook has {len(WIDGETS[notebook.name])}")
    panels = nb.locator(PANEL).count()
    if panels != len(PANELS[notebook.name]):
        problems.append(f"{panels} lrlab panels rendered, the stored notebook has {len(PANELS[notebook.name])}")

    if notebook.errors:
        problems.append("browser console:\n" + "\n".join(notebook.errors))
    assert not problems, f"{notebook.name} in JupyterLab:\n- " + "\n- ".join(problems)


def played_steps(recording) -> list[int]:
    """The step readouts seen while playing (the first entry is where it stood before)."""
    return [int(s) for s in recording["steps"][1:]]


def status_steps(recording) -> set[int]:
    """The steps the status line (written by the kernel) showed while playing."""
    return {int(m.group(1)) for s in recording["status"][1:] if (m := re.match(r"step (\d+) of", s))}


def assert_advances(steps: list[int], start: int, end: int | None, what: str) -> None:
    assert steps, f"{what}: the step readout never moved"
    assert steps[0] == start, f"{what}: started at step {steps[0]}, expected {start}: {steps[:10]}"
    assert all(b > a for a, b in zip(steps, steps[1:])), f"{what}: the step readout went back: {steps}"
    if end is not None:
        assert steps[-1] == end, f"{what}: stopped at step {steps[-1]}, expected {end}"
        # The readout is the front end's own: it shows every frame of the Play widget.
        assert len(steps) >= (end - start) // 2, f"{what}: only {len(steps)} frames shown: {steps}"


@pytest.mark.parametrize(("name", "index"), PANEL_CASES)
def test_panel_responds_in_jupyterlab(notebooks, name, index):
    """Drag a parameter slider (keyboard): readout, views and status change. Play animates to the end."""
    notebook = notebooks.get(name)
    if notebook.run_error:
        pytest.fail(f"{name}: Run All did not complete (see test_runs_clean_in_jupyterlab): {notebook.run_error}",
                    pytrace=False)
    wait_widgets_rendered(notebook)
    panels = notebook.notebook.locator(PANEL)
    assert panels.count() == len(PANELS[name]), "the panels did not all render (see test_runs_clean_in_jupyterlab)"
    panel = Panel(notebook, panels.nth(index))
    kind = PANELS[name][index]
    assert panel.is_descent == kind.startswith(("<DescentPanel", "<Explorer")), f"{kind}: Play widget {'missing' if panel.is_descent else 'unexpected'}"
    console_before = len(notebook.errors)
    panel.root.scroll_into_view_if_needed()

    # -- a parameter slider, moved with the keyboard -------------------------------------------
    panel.move_a_slider(kind)

    if panel.is_descent:
        # -- Play ------------------------------------------------------------------------------
        T = panel.step_max()
        assert panel.step() == T, f"{kind}: the step slider should start at the end ({T}), not {panel.step()}"
        assert re.match(rf"step \d+ of {T} ", panel.status.text_content()), panel.status.text_content()
        frame_timeout = T * 0.06 * 5 + 30  # 60 ms a frame, with room for a slow machine (it is about 40)

        panel.record()
        panel.play_button.click()  # at the last step, Play restarts from step 0
        if T <= FULL_PLAY_STEPS:
            panel.wait_step(f"step < {T}")
            panel.wait_step(f"step === {T}", timeout=frame_timeout)
            panel.wait_playing(False)
            first = panel.recorded()
            assert_advances(played_steps(first), 0, T, f"{kind}: Play from 0")
        else:
            # a few frames, and the kernel has drawn some of them
            panel.wait_step(f"step >= {FEW_FRAMES}", timeout=frame_timeout)
            panel.wait_recorded("rec.status.length >= 4 && rec.frames.length >= 3", timeout=frame_timeout)
            panel.play_button.click()  # pause
            panel.wait_playing(False)
            first = panel.recorded()
            steps = played_steps(first)
            assert_advances(steps, 0, None, f"{kind}: Play from 0")
            assert FEW_FRAMES <= steps[-1] < T, f"{kind}: pause did not stop the animation: {steps}"
            # to TAIL steps before the end with the keyboard, then play to the end
            panel.press(panel.step_slider, "End")
            panel.wait_step(f"step === {T}")
            panel.press(panel.step_slider, "ArrowLeft", TAIL)
            panel.wait_step(f"step === {T - TAIL}")
            panel.record()
            panel.play_button.click()
            panel.wait_step(f"step === {T}", timeout=frame_timeout)
            panel.wait_playing(False)
            assert_advances(played_steps(panel.recorded()), T - TAIL + 1, T, f"{kind}: Play from {T - TAIL}")
        assert not panel.playing() and panel.step() == T, f"{kind}: Play did not stop at the end"

        # The page drew the frames (lrlab.frames): one for each step the readout showed, the
        # last one the step where Play stopped. The kernel followed with the status line.
        drawn = [int(s) for s in first["frames"][1:] if s]
        assert drawn == played_steps(first), f"{kind}: frames drawn {drawn[:20]}, readout {played_steps(first)[:20]}"
        seen = status_steps(first)
        assert len(seen) >= 3, f"{kind}: the status line showed only the steps {sorted(seen)} while playing from 0"
        assert panel.handle.evaluate("(p) => p.querySelector('canvas.lrlab-frame').dataset.step") == str(T)
        panel.wait_status(
            f"""(() => {{ const m = status.match(/^step (\\d+) of (\\d+)/), d = status.match(/diverged at step (\\d+)/);
                return m && +m[2] === {T} && (+m[1] === {T} || (d && +m[1] === +d[1])); }})()""")
    notebook.server.wait_kernel_idle(name)
    assert notebook.errors[console_before:] == [], "browser console:\n" + "\n".join(notebook.errors[console_before:])


#: Ask the notebook's kernel for an expression's repr, through JupyterLab's own connection to it
#: (the same one the widgets use, so the request runs after every widget message sent before it).
JS_KERNEL_EXPRESSION = """async (expression) => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const reply = await kernel.requestExecute(
        {code: '', silent: true, store_history: false, user_expressions: {value: expression}}).done;
    const result = reply.content.user_expressions.value;
    return result.status === 'ok' ? result.data['text/plain'] : 'error: ' + result.ename + ': ' + result.evalue;
}"""
#: Every live lrlab panel's parameter values, as the kernel holds them.
PANEL_VALUES = "[p.values for p in __import__('gc').get_objects() if isinstance(p, __import__('lrlab.widgets').widgets._Panel)]"

PRESET_NAMES = [name for name in NAMES if "presets=" in (REPO / "notebooks" / name).read_text(encoding="utf-8")]


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_presets_reach_the_kernel_exactly(notebooks, name):
    """Each preset button sets its exact values in the kernel, not values rounded to a slider step.

    A button's tooltip is ``set {values}`` with the preset's values in full precision; after the
    click, some panel in the kernel must hold exactly those values. (A slider that writes its
    step-rounded value back to the kernel, as ipywidgets' continuous sliders did at first render,
    turns 2/(L+mu) = 1.8181... into 1.82.)
    """
    notebook = notebooks.get(name)
    if notebook.run_error:
        pytest.fail(f"{name}: Run All did not complete (see test_runs_clean_in_jupyterlab): {notebook.run_error}",
                    pytrace=False)
    wait_widgets_rendered(notebook)
    buttons = notebook.notebook.locator(f"{PANEL} .widget-button")
    assert buttons.count() > 0, f"{name}: the notebook defines presets but no preset button rendered"
    checked = []
    for i in range(buttons.count()):
        button = buttons.nth(i)
        tooltip = button.get_attribute("title") or ""
        assert tooltip.startswith("set {"), f"{name}: button {button.inner_text()!r} has tooltip {tooltip!r}"
        preset = eval(tooltip[len("set "):], {"__builtins__": {}, "np": np})  # noqa: S307 (our own repr)
        button.scroll_into_view_if_needed()
        button.click()
        text = notebook.page.evaluate(JS_KERNEL_EXPRESSION, PANEL_VALUES)
        assert not text.startswith("error"), f"{name}: {text}"
        values = eval(text, {"__builtins__": {}, "np": np})  # noqa: S307 (dicts of numbers)
        assert any(all(v.get(k) == x and type(v.get(k)) in (int, float) for k, x in preset.items()) for v in values), (
            f"{name}: after {button.inner_text()!r} ({preset}), the kernel's panels hold {values}")
        checked.append(button.inner_text())
    notebook.server.wait_kernel_idle(name)
    assert len(checked) == buttons.count()


#: The picture a view strip shows on the page (its image with the frame canvas over it), as a PNG data URL.
JS_PAGE_PICTURE = """(panel) => {
    const view = panel.querySelector('.lrlab-view');
    const img = view.querySelector('img.widget-image'), frame = view.querySelector('canvas.lrlab-frame');
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    ctx.drawImage(frame, 0, 0, canvas.width, canvas.height);  // at the image's size
    return canvas.toDataURL('image/png');
}"""
#: The kernel's still picture of the explorer's views at step k (its markers put back afterwards), base64.
KERNEL_PICTURE = ("(lambda ex: (ex.views.show_frame({k}), __import__('base64').b64encode(ex.snapshot()).decode(), "
                  "ex.views.show_frame(ex.frame))[1])([e for e in __import__('gc').get_objects() "
                  "if isinstance(e, __import__('lrlab.explorer').explorer.Explorer)][-1])")


def picture(b64: str) -> np.ndarray:
    import base64
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"), dtype=int)


def test_the_page_draws_the_frame_the_kernel_would_draw(notebooks):
    """The frame the page draws itself (lrlab.frames, from the marks) is the kernel's still picture
    of the same step: every marker in the same place, in the same colour, to within antialiasing."""
    name = "explorer.ipynb"
    notebook = notebooks.get(name)
    if notebook.run_error:
        pytest.fail(f"{name}: Run All did not complete (see test_runs_clean_in_jupyterlab): {notebook.run_error}",
                    pytrace=False)
    wait_widgets_rendered(notebook)
    panel = Panel(notebook, notebook.notebook.locator(PANEL).first)
    panel.root.scroll_into_view_if_needed()
    k = 12
    panel.press(panel.step_slider, "Home")
    panel.press(panel.step_slider, "ArrowRight", k)
    panel.wait_step(f"step === {k}")
    panel.wait_status(f"status.startsWith('step {k} of')")
    notebook.server.wait_kernel_idle(name)
    page = picture(panel.handle.evaluate(JS_PAGE_PICTURE).split(",", 1)[1])

    def far(step: int) -> int:
        """How many pixels differ strongly (by more than 100 in a channel) from the kernel's picture of step."""
        text = notebook.page.evaluate(JS_KERNEL_EXPRESSION, KERNEL_PICTURE.format(k=step))
        assert not text.startswith("error"), text
        kernel = picture(eval(text, {"__builtins__": {}}))  # noqa: S307 (a str repr)
        assert kernel.shape == page.shape, f"page {page.shape}, kernel {kernel.shape}"
        if step == k:  # kept for a look when the check fails
            from PIL import Image

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            Image.fromarray(np.hstack([page, kernel]).astype(np.uint8)).save(ARTIFACTS / "frame_page_kernel.png")
        return int((np.abs(kernel - page).max(axis=-1) > 100).sum())

    same, next_step = far(k), far(k + 1)
    # A marker one step off moves by a few pixels: the check sees it (it can fail).
    assert next_step > 40, f"the kernel's pictures of steps {k} and {k + 1} differ in only {next_step} pixels"
    assert same <= 12, f"the page's frame of step {k} differs from the kernel's in {same} pixels ({next_step} one step on)"
