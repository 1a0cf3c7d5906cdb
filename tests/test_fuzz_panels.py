"""Fuzz every panel of every notebook, as the notebooks build them, and the explorer.

The panels are read from the notebooks themselves: each code cell that calls ``descent_panel``,
``schedule_panel`` or ``explorer(`` is executed after the earlier cells it depends on (found by
the names it reads, cell by cell, backwards), with matplotlib's Agg backend and the panel
constructors wrapped so that every panel the cell builds is collected. Nothing is copied from a
notebook by hand. Then every control of every panel is moved to the ends of its range and
through seeded random combinations, with Play frames in between, and after each move:

- nothing raised and nothing warned (pytest turns warnings into errors);
- the status line describes the values the sliders show: for a valid combination, the run
  shown is the one a fresh ``lrlab.descend`` gives with those values (the schedule's repr for a
  schedule panel); for an invalid one, the status says why and no run is shown.
"""

from __future__ import annotations

import ast
import json
import math
import os
import pathlib
import time

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import lrlab  # noqa: E402
from lrlab import controls  # noqa: E402
from lrlab import explorer as explorer_module  # noqa: E402
from lrlab import widgets  # noqa: E402
from lrlab.plateau import ReduceOnPlateau  # noqa: E402
from lrlab.schedules import as_schedule  # noqa: E402

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
PANEL_CALL = ("descent_panel(", "schedule_panel(", "explorer(")
#: Seeded random combinations tried per panel (each one moves every slider at once).
COMBINATIONS = 3


# --------------------------------------------------------------------------- reading the panels


def _code_cells(path):
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _names(source) -> tuple[set, set]:
    """(names the cell defines at top level, names it reads) — a cell that does not parse defines nothing."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    defined, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    return defined, read


def _needed(cells, index) -> list[int]:
    """The indices of the earlier cells that define what cell ``index`` reads, recursively, in order.

    If this misses a cell the panel needs, building the panel raises NameError: the test fails loudly.
    """
    info = [_names(c) for c in cells]
    # A name a cell both defines and reads is taken as its own (``fig, ax = plt.subplots()`` then ``ax.plot``).
    free = [read - defined for defined, read in info]
    needed, todo, done = set(), {(name, index) for name in free[index]}, set()
    while todo:
        name, before = item = todo.pop()
        done.add(item)
        for i in range(before - 1, -1, -1):  # the latest definition before the cell that reads it
            if name in info[i][0]:
                if i not in needed:
                    needed.add(i)
                    todo |= {(n, i) for n in free[i]} - done
                break
    return sorted(needed)


def _panel_cells():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = _code_cells(path)
        for i, source in enumerate(cells):
            if any(call in source for call in PANEL_CALL):
                yield path.name, cells, i


PANEL_CELLS = [(name, i) for name, _, i in _panel_cells()]
PANEL_NOTEBOOKS = sorted({name for name, _ in PANEL_CELLS})


def _build(notebook, indices):
    """Execute the panel cells ``indices`` and the cells they depend on, in order; return the panels built."""
    cells = _code_cells(NOTEBOOKS / notebook)
    run = sorted(set(indices).union(*(_needed(cells, i) for i in indices)))
    built = []
    originals = (widgets.descent_panel, widgets.schedule_panel, explorer_module.explorer)

    def collect(fn):
        def wrapper(*args, **kwargs):
            panel = fn(*args, **kwargs)
            built.append(panel)
            return panel
        return wrapper

    widgets.descent_panel, widgets.schedule_panel, explorer_module.explorer = (collect(f) for f in originals)
    cwd = os.getcwd()
    try:
        os.chdir(NOTEBOOKS)
        namespace = {"__name__": "__main__"}
        with matplotlib.rc_context({"figure.max_open_warning": 0}):
            for i in run:
                exec(compile(cells[i], f"{notebook}[{i}]", "exec"), namespace)  # noqa: S102 - the course's own code
    finally:
        os.chdir(cwd)
        widgets.descent_panel, widgets.schedule_panel, explorer_module.explorer = originals
        plt.close("all")  # the figures the notebook's cells drew
    return built


# --------------------------------------------------------------------------- what a panel must show


def _fresh_schedule(panel):
    schedule = panel.build(**panel.values)
    return schedule if isinstance(schedule, ReduceOnPlateau) else as_schedule(schedule)


def _check_descent_panel(panel):
    try:
        schedule = _fresh_schedule(panel)
        fresh = lrlab.descend(panel.surface, schedule, start=panel.start, steps=panel.steps, method=panel.method,
                              seed=panel.seed, **panel.descend_kwargs)
    except (TypeError, ValueError) as error:
        assert panel.run is None, f"an invalid combination {panel.values} still shows a run"
        assert panel.status.value == f"step {panel.frame} of {panel.steps} · not a valid schedule: {error}"
        return
    assert panel.run is not None, f"{panel.values} is valid but the panel shows no run: {panel.status.value}"
    np.testing.assert_array_equal(panel.run.points, fresh.points)
    np.testing.assert_array_equal(panel.run.lrs, fresh.lrs)
    k = min(panel.frame, fresh.stopped_at)
    assert panel.status.value.startswith(f"step {k} of {panel.steps} · loss {fresh.losses[k]:.2g} · ")


def _check_schedule_panel(panel):
    try:
        schedule = as_schedule(panel.build(**panel.values))
    except (TypeError, ValueError) as error:
        assert panel.schedule is None and panel.status.value == f"not a valid schedule: {error}"
        assert np.isnan(panel.line.get_ydata()).all()
        return
    assert panel.status.value.startswith(f"{schedule!r}   ·   ")
    np.testing.assert_array_equal(panel.line.get_ydata(), schedule(panel.t))


def _check_explorer(ex):
    parts = [f"step {ex.frame} of {ex.steps}"]
    for side in (ex.A, ex.B):
        if not side.active:
            assert side.run is None
            continue
        ks = side.knobs()
        try:
            schedule = ks.spec.build(ks.ctx, **ks.values)
            schedule = schedule if isinstance(schedule, ReduceOnPlateau) else as_schedule(schedule)
            fresh = lrlab.descend(ex.surface, schedule, steps=ex.steps, method=side.method,
                                  momentum=explorer_module.MOMENTUM)
        except (TypeError, ValueError) as error:
            assert side.run is None and side.error == str(error)
            parts.append(f"{side.key}: not a valid schedule: {error}")
            continue
        assert side.run is not None
        np.testing.assert_allclose(side.run.points, fresh.points, rtol=1e-12, atol=0)
        parts.append(side.state(ex.frame))
    assert ex.status.value == " · ".join(parts)


def _slider_values(slider, rng):
    """The ends of a slider's range and a random value inside it, as the slider holds them."""
    if hasattr(slider, "options"):
        values = [v if not isinstance(v, tuple) else v[1] for v in slider.options]
        return [values[0], values[-1], values[int(rng.integers(len(values)))]]
    if isinstance(slider, type(slider)) and slider.__class__.__name__ == "FloatLogSlider":
        lo, hi = slider.min, slider.max
        return [10.0**lo, 10.0**hi, 10.0 ** float(rng.uniform(lo, hi))]
    if slider.__class__.__name__ == "IntSlider":
        return [slider.min, slider.max, int(rng.integers(slider.min, slider.max + 1))]
    return [slider.min, slider.max, float(rng.uniform(slider.min, slider.max))]


def _play(panel, check, rng):
    steps = panel.steps
    for frame in (int(rng.integers(0, steps + 1)), steps):
        panel.step_slider.value = frame
        check(panel)


def _fuzz_panel(panel, rng):
    if isinstance(panel, widgets.DescentPanel):
        check = _check_descent_panel
    elif isinstance(panel, widgets.SchedulePanel):
        check = _check_schedule_panel
    else:
        return _fuzz_explorer(panel, rng)
    check(panel)
    names = list(panel.sliders)
    for name in names:  # each control alone, to both ends of its range (a random value inside below)
        slider = panel.sliders[name]
        for value in _slider_values(slider, rng)[:2]:
            slider.value = value
            check(panel)
    for _ in range(COMBINATIONS):  # every control at once, at random
        panel.set(**{name: _slider_values(panel.sliders[name], rng)[int(rng.integers(3))] for name in names})
        check(panel)
        if isinstance(panel, widgets.DescentPanel):
            _play(panel, check, rng)
    for button in panel.preset_buttons:
        button.click()
        check(panel)
    if isinstance(panel, widgets.DescentPanel) and panel.noisy:  # another noise draw, with and without the mean
        for mean in (True, False):
            panel.set(seed=int(rng.integers(0, 100)), mean=mean)
            check(panel)
            _play(panel, check, rng)


def _fuzz_explorer(ex, rng):
    _check_explorer(ex)
    for problem in explorer_module.problem_names():
        ex.problem_menu.value = problem
        _check_explorer(ex)
        for slider in ex.problem_sliders().widgets.values():
            slider.value = _slider_values(slider, rng)[int(rng.integers(3))]
            _check_explorer(ex)
        ex.steps_slider.value = int(rng.integers(ex.steps_slider.min, 301))
        names = explorer_module.schedule_names()
        for side in (ex.A, ex.B):
            side.schedule_menu.value = names[int(rng.integers(len(names)))]
            side.method_menu.value = explorer_module.method_names()[int(rng.integers(5))]
            for w in side.knobs().widgets.values():
                w.value = _slider_values(w, rng)[int(rng.integers(3))]
            _check_explorer(ex)
        ex.step_slider.value = int(rng.integers(0, ex.steps + 1))
        _check_explorer(ex)
    for button in ex.scenario_buttons:
        button.click()
        _check_explorer(ex)


def test_the_panels_are_found_in_the_notebooks():
    notebooks = {name for name, _ in PANEL_CELLS}
    assert "explorer.ipynb" in notebooks and "05_cosine_and_polynomial_decay.ipynb" in notebooks
    assert len(PANEL_CELLS) >= 20


@pytest.fixture(autouse=True)
def _no_png_encoding(monkeypatch):
    """Views still draw their layers and frames (where a warning would come from) but skip encoding PNGs: the
    fuzzing checks what the panels compute and say; tests/test_widgets.py checks the pictures."""
    monkeypatch.setattr(controls, "encode_png", lambda pixels: b"")


@pytest.mark.parametrize("notebook", PANEL_NOTEBOOKS)
def test_every_control_of_every_panel(notebook):
    start = time.process_time()
    indices = [i for name, i in PANEL_CELLS if name == notebook]
    panels = _build(notebook, indices)
    assert len(panels) >= len(indices), f"{notebook}: cells {indices} build {len(panels)} panels"
    rng = np.random.default_rng(sum(map(ord, notebook)))
    for panel in panels:
        _fuzz_panel(panel, rng)
    assert time.process_time() - start < 60, f"fuzzing the panels of {notebook} took too long"


def test_an_invalid_combination_in_chapter_05s_cosine_panel_shows_its_message_at_every_frame():
    (panel,) = [p for p in _build("05_cosine_and_polynomial_decay.ipynb", [_cosine_cell()])
                if isinstance(p, widgets.DescentPanel)]
    panel.set(lr0=0.05, lr_min=0.2)
    for frame in range(0, panel.steps + 1, max(1, panel.steps // 7)):
        panel.step_slider.value = frame
        assert "not a valid schedule: lr_min must not exceed lr0" in panel.status.value
        assert panel.run is None and not panel.loss_view.lines["run"].get_visible()
    assert math.isfinite(panel.loss_view.ax.get_ylim()[0])


def _cosine_cell():
    cells = _code_cells(NOTEBOOKS / "05_cosine_and_polynomial_decay.ipynb")
    return next(i for i, c in enumerate(cells) if "descent_panel(" in c and "cosine" in c)
