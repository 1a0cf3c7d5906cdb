"""The explorer: every schedule, problem and optimizer of lrlab in one dashboard.

:func:`explorer` builds one panel for a lab session or a projector:

- two runs side by side, **A** (red) and **B** (blue): each has a schedule menu, an
  optimizer menu and the sliders of its schedule's parameters (each with its readout);
  B is off until a schedule is picked under "compare with", and the "B ← A" button copies
  A (schedule, optimizer and every value) into B, to freeze a run before changing A;
- the problem menu (bowl, valley with its condition number κ, Rosenbrock, the noisy
  quadratic with its noise σ, the landscape with several basins), with the number of steps
  (each problem keeps its own) and the facts that matter (L, μ, the stability limit);
- three linked views: the path on the contour map (the minimum starred), the loss (above the
  minimum, log scale), and the learning rate with the stability limit of each optimizer in
  use marked (2/L for gradient descent, on non-quadratic problems 2/λ_max at the minimum;
  see :func:`stability_limit`), animated by Play and a step slider;
- scenario buttons that set everything at once, and a status line that reports each run
  at the current step, a divergence, or an invalid parameter combination (never raised).

Parameter ranges follow the problem: learning-rate sliders span a range proportional to a
typical good rate of the optimizer on the problem (2/L for gradient descent, see
``_lr_scale``), up to beyond its stability limit; step-count sliders span a range
proportional to the number of steps. A value is kept as a fraction of its scale, so
switching problem, optimizer or step count and back restores every slider.

It is built from the same parts as the chapters' panels (:mod:`lrlab.controls`,
:mod:`lrlab.views`, :mod:`lrlab.canvas`, :mod:`lrlab.stability`), and its menus from
:mod:`lrlab.catalog`, the one file to edit to offer another schedule or problem. Static parts
are drawn once and kept (each problem's contour map, the axes of the last few axis limits);
a parameter change reruns only the run it belongs to; frames move only the markers.
``benchmarks/bench_widgets.py`` times it against redrawing everything.

>>> from lrlab.explorer import explorer
>>> ex = explorer(problem="noisy_quadratic",
...               a={"schedule": "step_decay", "lr0": 0.8, "step_size": 50, "gamma": 0.3},
...               b={"schedule": "constant", "lr0": 0.8})
>>> print(ex.status.value)
step 200 of 200 · A: loss 0.0089, lr 0.0216 · B: loss 0.23, lr 0.8
>>> ex.set(a={"schedule": "cosine", "lr0": 0.5, "lr_min": 0.8})
>>> print(ex.status.value)
step 200 of 200 · A: not a valid schedule: lr_min must not exceed lr0 (0.5), got lr_min=0.8 · B: loss 0.23, lr 0.8
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as W
import numpy as np

from . import catalog, optim, surfaces
from .canvas import NORMAL, PROJECTOR, Display, fmt
from .catalog import Context, KnobSet
from .controls import Animated, Controls, Player, ViewStrip
from .optim import descend
from .plateau import is_plateau
from .schedules import as_schedule
from .stability import MOMENTUM, curvatures, limit_line, lr_scale, stability_limit
from .surfaces import Quadratic
from .views import DescentViews, MapView

__all__ = ["Explorer", "explorer", "schedule_names", "problem_names", "method_names", "stability_limit"]

#: The colours of run A and run B in every view (and of the column headers).
COLOURS = {"A": "#d62728", "B": "#1f77b4"}
#: The step-count slider.
STEPS_RANGE = (10, 1000)
#: How many problems keep their contour map drawn (switching back to one is then free).
MAP_CACHE = 8
#: Width of one column of controls, of a control in it, and of the labels before the controls
#: (all the same, so that the sliders of a column line up).
COLUMN, CONTROL_WIDTH, LABEL_WIDTH = "305px", "295px", "118px"


def schedule_names() -> list[str]:
    """The schedules in the explorer's menu."""
    return list(catalog.schedule_specs())


def problem_names() -> list[str]:
    """The problems in the explorer's menu."""
    return list(catalog.problem_specs())


def method_names() -> list[str]:
    """The optimizers in the explorer's menu: every method of :func:`lrlab.descend`."""
    return list(optim.METHODS)


class _Side:
    """Run A or run B: a schedule menu, an optimizer menu, the schedule's sliders, the run."""

    def __init__(self, key, explorer, specs, methods, allow_none):
        self.key, self.explorer, self.specs = key, explorer, specs
        self.colour = COLOURS[key]
        options = [(spec.label, name) for name, spec in specs.items()]
        if allow_none:
            options = [("none", "none")] + options
        style, layout = {"description_width": LABEL_WIDTH}, W.Layout(width=CONTROL_WIDTH)
        self.schedule_menu = W.Dropdown(options=options, value=options[0][1],
                                        description="compare with" if allow_none else "schedule",
                                        style=style, layout=layout)
        self.method_menu = W.Dropdown(options=list(methods), value="gd", description="optimizer", style=style,
                                      layout=layout)
        self.knob_box = W.VBox()
        self.knob_sets: dict[str, KnobSet] = {}
        self.schedule = self.run = self.error = self._pending = None
        self._run_key = None

    name = property(lambda self: self.schedule_menu.value, doc="the schedule's name in the menu")
    active = property(lambda self: self.name != "none", doc="whether this run is on (B can be off)")
    method = property(lambda self: self.method_menu.value, doc="the optimizer's name")

    def knobs(self) -> KnobSet | None:
        """The current schedule's controls, fitted to the current context, created the first time."""
        if not self.active:
            return None
        ctx = self.explorer.context(self.method)
        ks = self.knob_sets.get(self.name)
        if ks is None:
            ks = self.knob_sets[self.name] = KnobSet(self.specs[self.name], ctx, lambda: self.explorer.changed(self),
                                                     CONTROL_WIDTH, LABEL_WIDTH)
        else:
            ks.fit(ctx)
        return ks

    @property
    def values(self) -> dict:
        """The schedule, the optimizer and every parameter value of this run ({} when B is off)."""
        ks = self.knobs()
        if ks is None:
            return {"schedule": "none"}
        return {"schedule": self.name, "method": self.method, **ks.values}

    def show_knobs(self):
        ks = self.knobs()
        children = tuple(ks.widgets.values()) if ks else ()
        if self.knob_box.children != children:
            self.knob_box.children = children

    def prepare(self, surface, steps) -> bool:
        """Build the schedule from the sliders; return whether it needs a new run.

        An impossible combination is kept as ``error`` (shown in the status line), not raised.
        """
        ks = self.knobs()
        self._pending = None
        if ks is None:
            self.schedule = self.run = self.error = self._run_key = None
            return False
        try:
            schedule = ks.spec.build(ks.ctx, **ks.values)
            if not is_plateau(schedule):
                schedule = as_schedule(schedule)
        except (TypeError, ValueError) as error:
            self.schedule = self.run = self._run_key = None
            self.error = str(error)
            return False
        self.schedule, self.error = schedule, None
        key = (repr(schedule), self.method, repr(surface), steps)
        if key == self._run_key and self.run is not None:
            return False
        self._pending = key
        return True

    def accept(self, run):
        self.run, self._run_key, self._pending = run, self._pending, None

    def compute(self, surface, steps):
        """Build the schedule and run it alone (unless nothing changed)."""
        if self.prepare(surface, steps):
            try:
                self.accept(descend(surface, self.schedule, steps=steps, method=self.method, momentum=MOMENTUM))
            except (TypeError, ValueError) as error:
                self.schedule = self.run = self._run_key = None
                self.error = str(error)

    def state(self, k: int) -> str:
        if self.error is not None:
            return f"{self.key}: not a valid schedule: {self.error}"
        run = self.run
        if run is None:
            return ""
        if run.diverged and k >= run.stopped_at:
            return f"{self.key}: diverged at step {run.stopped_at}"
        j = min(k, len(run.lrs) - 1)
        return f"{self.key}: loss {run.losses[k]:.2g}, lr {fmt(run.lrs[j])}"


class Explorer(Animated):
    """Every schedule, problem and optimizer of lrlab in one dashboard. Build with :func:`explorer`."""

    def __init__(self, problem="elongated_valley", steps=None, a=None, b=None, presets=None, title=None,
                 **problem_params):
        self.schedule_specs = catalog.schedule_specs()
        self.problem_specs = catalog.problem_specs()
        methods = method_names()
        self._quiet = True  # until the first update
        self.A = _Side("A", self, self.schedule_specs, methods, allow_none=False)
        self.B = _Side("B", self, self.schedule_specs, methods, allow_none=True)
        self.A.schedule_menu.value = "cosine"

        style = {"description_width": LABEL_WIDTH}
        self.problem_menu = W.Dropdown(options=[(p.label, n) for n, p in self.problem_specs.items()],
                                       value="elongated_valley", description="problem", style=style,
                                       layout=W.Layout(width=CONTROL_WIDTH))
        self.problem_controls: dict[str, Controls] = {}
        self.problem_box = W.VBox()
        self.steps_slider = W.IntSlider(value=100, min=STEPS_RANGE[0], max=STEPS_RANGE[1], step=1,
                                        description="steps", continuous_update=False, readout=True, style=style,
                                        layout=W.Layout(width=CONTROL_WIDTH))
        self._steps_of = {}  # the step count last used on each problem
        self.facts = W.HTML(layout=W.Layout(width="290px"))
        self.copy_button = W.Button(description="B ← A",
                                    tooltip="copy run A into run B (freeze it before changing A)",
                                    layout=W.Layout(width="auto"))
        self.copy_button.on_click(lambda _b: self.freeze())

        self.maps: OrderedDict = OrderedDict()
        self.surface = self.problem_specs["elongated_valley"].build(condition_number=10.0)
        self.views = DescentViews(self.surface, COLOURS)
        self.maps[("elongated_valley", 10.0)] = self.views.map  # the map the views were built with
        self.player = Player(100, self._on_step)
        self.strip = ViewStrip(lambda: self.views.canvases, lambda: self.views.marks())
        self.strip.follow(self.player.slider)  # frames are drawn in the browser, from the marks sent
        self.frame = 100

        self.scenarios = dict(catalog.scenarios() if presets is None else presets)
        self.scenario_buttons = []
        for label, scenario in self.scenarios.items():
            button = W.Button(description=label, tooltip=f"set {scenario}", layout=W.Layout(width="auto"))
            button.on_click(lambda _b, scenario=scenario: self.set(**scenario, reset=True))
            self.scenario_buttons.append(button)

        self.title = W.HTML(f"<b>{title}</b>" if title else "")
        self.status = W.Label()
        head = '<b style="color:{}">{}</b> {}'
        column = dict(layout=W.Layout(width=COLUMN))
        col_a = W.VBox([W.HTML(head.format(COLOURS["A"], "A", "run")), self.A.schedule_menu, self.A.method_menu,
                        self.A.knob_box], **column)
        col_b = W.VBox([W.HTML(head.format(COLOURS["B"], "B", "run, to compare")), self.B.schedule_menu,
                        self.B.method_menu, self.copy_button, self.B.knob_box], **column)
        self.projector_button = W.ToggleButton(value=self.views.map.shown == PROJECTOR, description="projector",
                                               tooltip="draw the views larger and sharper, for the back of a room",
                                               layout=W.Layout(width="auto"))
        self.projector_button.observe(lambda change: self.show_on(PROJECTOR if change["new"] else NORMAL),
                                      names="value")
        col_p = W.VBox([W.HTML("<b>problem</b>"), self.problem_menu, self.problem_box, self.steps_slider, self.facts,
                        self.projector_button], **column)
        rows = [self.title, W.HBox([col_a, col_b, col_p], layout=W.Layout(flex_flow="row wrap"))]
        if self.scenario_buttons:
            rows.append(W.HBox([W.HTML("scenarios:")] + self.scenario_buttons, layout=W.Layout(flex_flow="row wrap")))
        self.views_box = W.Box([self.strip.widget], layout=W.Layout(width="100%"))
        rows += [self.player.widget, self.views_box, self.status]
        self.widget = W.VBox(rows)

        for menu in (self.A.schedule_menu, self.A.method_menu):
            menu.observe(lambda _c: self.changed(self.A), names="value")
        for menu in (self.B.schedule_menu, self.B.method_menu):
            menu.observe(lambda _c: self.changed(self.B), names="value")
        self.problem_menu.observe(lambda _c: self.changed(None, problem=True), names="value")
        self.steps_slider.observe(lambda _c: self.changed(None), names="value")

        self._quiet = False
        self.set(problem=problem, steps=steps, a={"schedule": "cosine", **(a or {})},
                 b={"schedule": "none", **(b or {})}, **problem_params)

    def show_on(self, shown: Display) -> None:
        """Draw the views again for another display (the "projector" button: :data:`lrlab.canvas.PROJECTOR`)."""
        if shown == self.views.map.shown:
            return
        self.maps.clear()
        self.views = DescentViews(self.surface, COLOURS, shown)
        self.maps[self._map_key()] = self.views.map
        old = self.strip
        self.strip = ViewStrip(lambda: self.views.canvases, lambda: self.views.marks())
        self.strip.follow(self.player.slider)
        self.views_box.children = (self.strip.widget,)
        old.close()  # off the page first, then its widgets are closed
        for side in (self.A, self.B):
            side._run_key = None  # every run is drawn again on the new views
        self.update(problem=True)

    # -- state -----------------------------------------------------------------------------

    problem = property(lambda self: self.problem_menu.value, doc="the problem's name in the menu")
    steps = property(lambda self: self.steps_slider.value, doc="the number of updates of both runs")

    @property
    def problem_values(self) -> dict:
        return self.problem_sliders().values

    def problem_sliders(self) -> Controls:
        """The current problem's own controls (created the first time it is shown)."""
        name = self.problem
        if name not in self.problem_controls:
            self.problem_controls[name] = Controls(self.problem_specs[name].params,
                                                   lambda _n: self.changed(None, problem=True),
                                                   width=CONTROL_WIDTH, label_width=LABEL_WIDTH)
        return self.problem_controls[name]

    def context(self, method) -> Context:
        """What the sliders of a run of ``method`` are relative to, on the current problem."""
        mu, big = curvatures(self.surface)
        scale, top = lr_scale(self.surface, method, self.problem_specs[self.problem].rate_top)
        floor = float(self.surface.value(self.surface.minimum))
        return Context(lr=scale, lr_top=top, steps=self.steps, L=big, mu=mu, floor=floor)

    @property
    def values(self) -> dict:
        """Everything the dashboard shows, as keyword arguments of :meth:`set` (``ex.set(**ex.values)``)."""
        return {"problem": self.problem, "steps": self.steps, **self.problem_values,
                "a": self.A.values, "b": self.B.values}

    def set(self, problem=None, steps=None, a=None, b=None, reset=False, **problem_params):
        """Move controls from code (as a scenario button does), then update the views once.

        problem         a name from :func:`problem_names`,
        steps           the number of updates of both runs,
        a, b            {"schedule": name or "none" (B only), "method": optimizer, parameter: value, ...},
        reset           put the parameters of a run's schedule that ``a`` or ``b`` does not name
                        back to their defaults (as scenario buttons do); else they keep their values,
        problem_params  the problem's own sliders (``condition_number``, ``noise_std``).
        Values outside a slider's range are clamped to it, as the slider would.
        """
        self._check(problem, problem_params, a, b)  # nothing moves unless everything is known
        self._quiet = True
        try:
            if problem is not None:
                self._steps_of[self.problem] = self.steps
                self.problem_menu.value = problem
            self.problem_sliders().assign(**problem_params)
            self.surface = self._build_surface()
            if steps is None and problem is not None:
                steps = self._steps_of.get(self.problem, self.problem_specs[self.problem].steps)
            if steps is not None:
                self.steps_slider.value = steps
            for side, values in ((self.A, a), (self.B, b)):
                if values:
                    self._set_side(side, dict(values), reset)
        finally:
            self._quiet = False
        self.update(problem=True)

    def _check(self, problem, problem_params, a, b):
        """Raise ValueError for any name :meth:`set` does not know, before anything changes."""
        if problem is not None and problem not in self.problem_specs:
            raise ValueError(f"unknown problem {problem!r}; the explorer has {problem_names()}")
        target = problem or self.problem
        unknown = set(problem_params) - set(self.problem_specs[target].params)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)} for the problem {target!r}; "
                             f"it has {sorted(self.problem_specs[target].params)}")
        for side, values in ((self.A, a), (self.B, b)):
            values = dict(values or {})
            schedule = values.pop("schedule", side.name)
            names = [v for _, v in side.schedule_menu.options]
            if schedule not in names:
                raise ValueError(f"unknown schedule {schedule!r} for run {side.key}; choose from {names}")
            method = values.pop("method", side.method)
            if method not in side.method_menu.options:
                raise ValueError(f"unknown method {method!r}; choose from {list(side.method_menu.options)}")
            if schedule == "none" and values:
                raise ValueError(f"run {side.key} is off (schedule 'none'): it has no parameters {sorted(values)}")
            known = self.schedule_specs[schedule].knobs if schedule != "none" else {}
            unknown = set(values) - set(known)
            if unknown:
                raise ValueError(f"unknown parameters {sorted(unknown)} for {schedule}; it has {sorted(known)}")

    def _set_side(self, side: _Side, values: dict, reset=False):
        schedule = values.pop("schedule", None)
        method = values.pop("method", None)
        if schedule is not None:
            side.schedule_menu.value = schedule
        if method is not None:
            side.method_menu.value = method
        ks = side.knobs()
        if ks is None:
            return
        if reset:
            ks.reset()
        ks.assign(**values)

    def freeze(self):
        """B ← A: copy run A (schedule, optimizer, every value) into run B, then update."""
        self.set(b=self.A.values)

    def _build_surface(self):
        return self.problem_specs[self.problem].build(**self.problem_values)

    # -- updating --------------------------------------------------------------------------

    def changed(self, side, problem=False):
        """A control moved: ``side`` (A or B) for a run's own controls, None for the shared ones."""
        if self._quiet:
            return
        if problem:
            self._quiet = True
            try:  # a new problem brings back the step count last used on it
                if self.problem_box.children != tuple(self.problem_sliders().widgets.values()):
                    self.steps_slider.value = self._steps_of.get(self.problem, self.problem_specs[self.problem].steps)
                self.surface = self._build_surface()
            finally:
                self._quiet = False
            self.update(problem=True)
        elif side is None:
            self.update(problem=True)
        else:
            self.update(sides=(side,))

    def _map_key(self) -> tuple:
        spec = self.problem_specs[self.problem]
        return (self.problem,) + tuple(self.problem_values[name] for name in spec.map_params)

    def _map_for(self) -> MapView:
        key = self._map_key()
        if key in self.maps:
            self.maps.move_to_end(key)
        else:
            self.maps[key] = MapView(self.surface, COLOURS, self.views.map.shown)
            while len(self.maps) > MAP_CACHE:
                self.maps.popitem(last=False)
        return self.maps[key]

    def update(self, sides=None, problem=False):
        """Rerun what changed (both runs when the problem or the step count did) and redraw what must be."""
        if problem:
            self._steps_of[self.problem] = self.steps
            self.problem_box.children = tuple(self.problem_sliders().widgets.values())
            self.views.map = self._map_for()
            self.facts.value = self._facts()
            sides = (self.A, self.B)
        sides = sides or (self.A, self.B)
        for side in sides:
            side.show_knobs()
        self._run(sides)
        floor = float(self.surface.value(self.surface.minimum))
        marks = {}
        for side in (self.A, self.B):
            line = limit_line(self.surface, side.method) if side.active else None
            if line is not None:
                marks.setdefault(*line)
        names = {s.key: f"{s.key}: {s.specs[s.name].label} · {s.method}" for s in (self.A, self.B) if s.run}
        self.views.show_runs({"A": self.A.run, "B": self.B.run}, self.steps, floor, tuple(sorted(marks.items())),
                             names)
        if self.play.max != self.steps or self.frame > self.steps:
            self.player.reset(self.steps)
            self.frame = self.steps
        self.show_frame(self.frame)
        self.strip.show()

    def _run(self, sides):
        """Run the sides whose schedule changed: both in one vectorized descend when they can share it.

        They can when both need a run, use the same optimizer, have closed-form schedules
        (not ReduceOnPlateau), and the problem is deterministic (on the noisy problem each run
        alone sees the same gradient noise, seed 0: a fair comparison).
        """
        need = [side for side in sides if side.prepare(self.surface, self.steps)]
        if (len(need) == 2 and need[0].method == need[1].method
                and not any(is_plateau(side.schedule) for side in need)
                and not isinstance(self.surface, surfaces.NoisyQuadratic)):
            both = descend(self.surface, [side.schedule for side in need], steps=self.steps,
                           method=need[0].method, momentum=MOMENTUM)
            for i, side in enumerate(need):
                side.accept(both.run(i))
            return
        for side in need:
            side.compute(self.surface, self.steps)

    def _on_step(self, k):
        if not self._quiet:
            self.show_frame(k)

    def show_frame(self, i: int):
        """Show both runs as they stood after i updates: the status line, and the markers of the
        still picture (the page draws its frames itself, from the marks :meth:`update` sent)."""
        self.frame = int(i)
        self.views.show_frame(self.frame)
        parts = [f"step {self.frame} of {self.steps}"] + [s.state(self.frame) for s in (self.A, self.B)]
        self.status.value = " · ".join(p for p in parts if p)

    def _facts(self) -> str:
        s = self.surface
        mu, big = curvatures(s)
        if isinstance(s, Quadratic):
            text = (f"L = {big:.3g}, μ = {mu:.3g} (κ = {big / mu:.3g})<br>"
                    f"GD is stable for lr &lt; 2/L = {2 / big:.3g}")
        else:
            text = (f"at the minimum: λmax = {big:.4g}, λmin = {mu:.3g}<br>"
                    f"GD is stable there for lr &lt; 2/λmax = {2 / big:.3g}")
        if getattr(s, "noise_std", 0):
            text += f"<br>noisy gradients (σ = {s.noise_std:g}): constant rates stall at a noise floor"
        floor = float(s.value(s.minimum))
        if floor < 0:
            text += (f"<br>the losses are negative here (f* = {floor:.3g}): ReduceOnPlateau compares them with an "
                     "absolute threshold (threshold_mode='abs'); PyTorch's default relative test never counts a "
                     "flat negative loss as a plateau")
        text += f"<br>momentum β = {MOMENTUM:g}; Adam's step is about lr long, whatever the curvature"
        return f'<div style="font-size:12px; line-height:1.4; margin-top:4px">{text}</div>'

    def __repr__(self) -> str:
        runs = [f"{s.key} {s.name} ({s.method})" for s in (self.A, self.B) if s.active]
        return f"<Explorer: {', '.join(runs)} on {self.problem}, {self.steps} steps>"


def explorer(problem="elongated_valley", steps=None, a=None, b=None, presets=None, title=None,
             **problem_params) -> Explorer:
    """Every schedule, problem and optimizer of lrlab in one dashboard, with two runs to compare.

    problem         the problem shown first (:func:`problem_names`),
    steps           the number of updates (default: the problem's own, e.g. 100 on the valley),
    a               run A: {"schedule": name, "method": optimizer, parameter: value, ...}
                    (default: cosine with gradient descent; names from :func:`schedule_names`
                    and :func:`method_names`),
    b               run B, the same way; off by default ({"schedule": "none"}),
    presets         {"button label": keyword arguments of Explorer.set}: scenario buttons
                    (default: a few lab-session starting points; {} for none),
    title           a heading shown above the dashboard,
    problem_params  the problem's sliders, e.g. ``condition_number=30`` for the valley.

    Returns an :class:`Explorer`: display it (last expression of a cell); ``ex.set(...)``
    moves its controls from code, ``ex.freeze()`` copies run A into run B, ``ex.A.run`` and
    ``ex.B.run`` are the runs (Trajectories), ``ex.values`` everything it shows.
    """
    return Explorer(problem=problem, steps=steps, a=a, b=b, presets=presets, title=title, **problem_params)
