"""Slider dashboards with a Play button, for feeling a schedule and watching a descent.

Two panels serve every chapter, so that no notebook copies widget or plotting code:

- :func:`schedule_panel`: sliders for a schedule's parameters and its live LR curve;
- :func:`descent_panel`: sliders for a schedule's parameters and three linked views of the
  run they give (the path on the contour map, the loss, the learning rate), with a Play
  button and a step slider that animate the descent step by step.

Responsiveness is designed in, not hoped for. Each view is its own small Agg figure shown as
a PNG in an ``ipywidgets.Image``:

- static parts (the contour map, which is the costly part) are drawn once;
- a parameter change recomputes the run (one vectorized ``descend`` call) and updates the
  data of existing artists; the loss and LR views draw their axes again only when their
  limits change (they snap to decades and round numbers), and keep the backgrounds of their
  last few limits, so a slider moved back costs no drawing;
- an animation frame only moves artists: each view restores its cached background and
  draws its moving artists (blitting), then the PNG is encoded.

``benchmarks/bench_widgets.py`` measures both paths against the naive way (an ``interact``
callback that rebuilds the whole figure). Importing this module imports ipywidgets and
matplotlib (``import lrlab`` alone does not); nothing here touches pyplot or rcParams.

>>> import lrlab
>>> from lrlab.widgets import Param, descent_panel
>>> valley = lrlab.elongated_valley(condition_number=10)
>>> panel = descent_panel(valley, lambda lr: lr, {"lr": Param(0.05, 2.5, value=0.5)}, steps=40,
...                       presets={"optimal": {"lr": valley.optimal_lr}})
>>> panel.set(lr=valley.optimal_lr)
>>> print(panel.status.value)
step 40 of 40 · loss 3.2e-07 · lr 1.82
"""

from __future__ import annotations

import base64
import io
import math
from collections import OrderedDict
from dataclasses import dataclass

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import _validate as check
from . import viz
from .optim import descend
from .plateau import ReduceOnPlateau
from .schedules import as_schedule
from .surfaces import Quadratic

__all__ = ["Param", "SchedulePanel", "DescentPanel", "schedule_panel", "descent_panel", "stability_mark"]

#: Size of one view, in inches, and its resolution: small enough to encode fast.
VIEW_SIZE = (3.6, 3.0)
VIEW_DPI = 80
#: Milliseconds between two frames when Play runs.
PLAY_INTERVAL = 60
#: The loss views' lowest limit: a run can drive the loss to subnormal numbers (5e-324), whose
#: decade 10**-324 is 0, which a log axis refuses (with a warning).
LOSS_LIMITS = (1e-300, 1e300)


def log_limits(values) -> tuple[float, float] | None:
    """Whole-decade limits around the positive finite ``values`` for a log axis, within LOSS_LIMITS.

    None when there is no positive finite value. The limits are at least one decade apart.
    """
    values = np.asarray(values, dtype=np.float64)
    shown = values[np.isfinite(values) & (values > 0)]
    if not shown.size:
        return None
    low, high = (int(math.log10(v)) for v in LOSS_LIMITS)
    lo = min(max(math.floor(math.log10(shown.min())), low), high - 1)
    hi = max(min(math.ceil(math.log10(shown.max())), high), lo + 1)
    return 10.0**lo, 10.0**hi


@dataclass(frozen=True)
class Param:
    """One slider: the range of a schedule parameter and how to move through it.

    min, max   the range (for ``log=True`` both must be > 0),
    value      the starting value (default: the middle of the range, geometric for log),
    step       the slider's step (default: 1/100 of the range; 1 for integers),
    log        a logarithmic slider (for rates that span decades),
    integer    an integer slider (step counts),
    label      the text beside the slider (default: the parameter's name).
    Every slider shows its current value.
    """

    min: float
    max: float
    value: float | None = None
    step: float | None = None
    log: bool = False
    integer: bool = False
    label: str | None = None

    def __post_init__(self):
        lo = check.real("min", self.min)
        hi = check.real("max", self.max)
        if hi <= lo:
            raise ValueError(f"max must exceed min ({lo!r}), got max={hi!r}")
        if self.log and lo <= 0:
            raise ValueError(f"min must be positive for a log slider, got min={lo!r}")
        if self.log and self.integer:
            raise ValueError("a slider cannot be both log=True and integer=True")
        if self.value is not None:
            v = check.real("value", self.value)
            if not lo <= v <= hi:
                raise ValueError(f"value must be within [min, max] = [{lo!r}, {hi!r}], got value={v!r}")
        if self.step is not None:
            check.positive("step", self.step)

    def initial(self):
        if self.value is not None:
            return int(self.value) if self.integer else float(self.value)
        if self.integer:
            return int(round((self.min + self.max) / 2))
        if self.log:
            return float(math.sqrt(self.min * self.max))
        return float((self.min + self.max) / 2)

    def slider(self, name: str) -> W.ValueWidget:
        # continuous_update=False: a slider that sends while it moves also writes its value back,
        # rounded to its step, when it is first drawn, which would move presets off their values.
        common = dict(description=self.label or name, continuous_update=False, readout=True,
                      style={"description_width": "initial"}, layout=W.Layout(width="320px"))
        if self.integer:
            return W.IntSlider(value=self.initial(), min=int(self.min), max=int(self.max),
                               step=int(self.step or 1), **common)
        if self.log:
            lo, hi = math.log10(self.min), math.log10(self.max)
            return W.FloatLogSlider(value=self.initial(), base=10, min=lo, max=hi,
                                    step=self.step or (hi - lo) / 100, readout_format=".3g", **common)
        return W.FloatSlider(value=self.initial(), min=self.min, max=self.max,
                             step=self.step or (self.max - self.min) / 100, readout_format=".3g", **common)


class _View:
    """One small Agg figure shown as a PNG: full redraws cache a background, frames blit.

    A view whose static part takes a few states (the axis limits of the loss and LR views)
    keeps the backgrounds of its last ``KEEP`` states: a slider moved back to where it was
    costs a blit, not a full draw.
    """

    KEEP = 8

    def __init__(self, size=VIEW_SIZE, dpi=VIEW_DPI):
        self.fig = Figure(figsize=size, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=0.2, right=0.96, bottom=0.16, top=0.9)
        self.moving: list = []
        self.background = None
        self.kept: OrderedDict = OrderedDict()  # state -> background
        self.image = W.Image(format="png", layout=W.Layout(width=f"{int(size[0] * dpi)}px"))

    def title(self, text: str) -> None:
        """A small title at a fixed height: matplotlib would otherwise re-place it on every draw."""
        self.ax.set_title(text, fontsize=9, y=1.0)

    def animate(self, *artists):
        for a in artists:
            a.set_animated(True)
            self.moving.append(a)

    def redraw(self, state=None):
        """Draw everything that is not moving, keep it as the background, then blit.

        ``state`` names what the static part shows (hashable); a background kept for it is
        reused instead of drawn. Callers pass one only where nothing else static changes.
        """
        if state is not None and state in self.kept:
            self.kept.move_to_end(state)
            self.background = self.kept[state]
        else:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            if state is not None:
                self.kept[state] = self.background
                while len(self.kept) > self.KEEP:
                    self.kept.popitem(last=False)
        self.blit()

    def blit(self):
        """Restore the background, draw the moving artists, and show the result."""
        self.canvas.restore_region(self.background)
        for a in self.moving:
            self.ax.draw_artist(a)
        self.image.value = self.png()

    def png(self) -> bytes:
        width, height = self.canvas.get_width_height()
        pixels = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        pixels.convert("RGB").save(out, format="png", compress_level=1)  # opaque: a fifth faster to encode
        return out.getvalue()


def _sliders(params) -> dict:
    if not isinstance(params, dict) or not params:
        raise TypeError(f"params must be a non-empty dict of name -> Param, got {params!r}")
    for name, p in params.items():
        if not isinstance(p, Param):
            raise TypeError(f"params[{name!r}] must be a Param, got {p!r}")
    return {name: p.slider(name) for name, p in params.items()}


def _preset_buttons(presets, sliders, on_click) -> list:
    buttons = []
    for label, values in (presets or {}).items():
        unknown = set(values) - set(sliders)
        if unknown:
            raise ValueError(f"presets[{label!r}] names unknown parameters {sorted(unknown)}; known: {sorted(sliders)}")
        button = W.Button(description=label, tooltip=f"set {values}", layout=W.Layout(width="auto"))
        button.on_click(lambda _b, values=values: on_click(values))
        buttons.append(button)
    return buttons


def _side_by_side(pngs) -> bytes:
    """PNG images (bytes), placed left to right on a white sheet, as one PNG."""
    images = [Image.open(io.BytesIO(bytes(png))) for png in pngs]
    sheet = Image.new("RGBA", (sum(i.width for i in images), max(i.height for i in images)), "white")
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width
    out = io.BytesIO()
    sheet.save(out, format="png", compress_level=6)
    return out.getvalue()


def _nice_ceiling(x: float) -> float:
    """The smallest round number (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) >= x."""
    if not x > 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0) if m * power >= x * (1 - 1e-12))


def _fmt(x: float) -> str:
    return f"{x:.3g}" if np.isfinite(x) else str(x)


class _Panel:
    """What both panels share: sliders, presets, set(), and how they display."""

    def _setup_controls(self, params, presets):
        self.params = dict(params)
        self.sliders = _sliders(params)
        self.preset_buttons = _preset_buttons(presets, self.sliders, lambda values: self.set(**values))
        self._quiet = False
        # The values set from Python (initial values, presets, set()), kept exactly: a log slider holds
        # base**log(value), which can differ in the last bit (50 -> 49.99999999999999), both when its
        # front end sends a value back and when it clamps to its range (base**log10(max)).
        self._exact = {name: self.params[name].initial() for name in self.sliders}
        for slider in self.sliders.values():
            slider.observe(self._on_slider, names="value")

    @property
    def values(self) -> dict:
        out = {}
        for name, slider in self.sliders.items():
            value, exact = slider.value, self._exact.get(name)
            if isinstance(value, float) and exact is not None and abs(value - exact) <= 1e-12 * abs(exact):
                value = exact  # only a rounding away from what Python set: keep Python's number
            out[name] = value
        return out

    def set(self, **values):
        """Move sliders from code (as a preset button does) and update the views once."""
        unknown = set(values) - set(self.sliders)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; this panel has {sorted(self.sliders)}")
        self._quiet = True
        try:
            for name, value in values.items():
                self.sliders[name].value = value
                # Kept as the plain number the slider holds (float or int), but not rounded: a log
                # slider clamps to base**log10(max), which may be 1 ulp off.
                held = self.sliders[name].value
                self._exact[name] = float(value) if isinstance(held, float) else held
        finally:
            self._quiet = False
        self.update()

    def _on_slider(self, change):
        if not self._quiet:
            self.update()

    def snapshot(self) -> bytes:
        """The views as they are now, side by side, as one PNG."""
        return _side_by_side([view.image.value for view in self._views()])

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The live widget for a front end, plus a still picture and a stable text line.

        JupyterLab shows the widget; where no widget can run (a notebook viewed on the web,
        an export) the picture of the views is shown instead. The text is what nbval and
        plain-text front ends see, with no model id in it.
        """
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self.snapshot()).decode("ascii")
        bundle["text/plain"] = f"<{type(self).__name__}: {', '.join(self.sliders)}>"
        return bundle


class SchedulePanel(_Panel):
    """Sliders for a schedule's parameters and its live LR curve. Build with :func:`schedule_panel`."""

    def __init__(self, build, params, steps=200, presets=None, reference=None, title=None):
        if not callable(build):
            raise TypeError(f"build must be a function of the parameters returning a schedule, got {build!r}")
        self.build = build
        self.steps = check.integer("steps", steps, 1)
        self.t = np.arange(self.steps)
        self._setup_controls(params, presets)
        self.view = _View(size=(6.0, 3.0))
        ax = self.view.ax
        (self.line,) = ax.plot(self.t, np.zeros(self.steps), lw=2, label="schedule")
        if reference is not None:
            ref = as_schedule(reference, "reference")
            ax.plot(self.t, ref(self.t), "--", color="0.5", lw=1.2, label=f"reference: {viz.short_label(ref)}")
            self._reference_max = float(ref(self.t).max())
        else:
            self._reference_max = 0.0
        ax.set_xlabel("step t")
        ax.set_ylabel("learning rate")
        ax.set_xlim(0, self.steps - 1)
        ax.legend(loc="upper right", fontsize=7)
        self.view.fig.subplots_adjust(left=0.12)
        self.title = W.HTML(f"<b>{title}</b>" if title else "")
        self.status = W.Label()
        self.widget = W.VBox(
            [self.title, W.HBox([W.VBox(list(self.sliders.values()) + self.preset_buttons), self.view.image]),
             self.status]
        )
        self.update()

    def _views(self):
        return [self.view]

    def update(self):
        """Rebuild the schedule from the sliders and redraw its curve."""
        try:
            self.schedule = as_schedule(self.build(**self.values))
        except (TypeError, ValueError) as error:  # an impossible combination: say so, clear the curve
            self.schedule, self.error = None, str(error)
            self.line.set_ydata(np.full(self.steps, np.nan))
            self.line.set_label("(no valid schedule)")
            self.view.ax.legend(loc="upper right", fontsize=7)
            self.view.redraw()
            self.status.value = f"not a valid schedule: {error}"
            return
        self.error = None
        lrs = self.schedule(self.t)
        self.line.set_ydata(lrs)
        self.line.set_label(viz.short_label(self.schedule))
        top = max(float(lrs.max()), self._reference_max)
        self.view.ax.set_ylim(0, 1.08 * top if top > 0 else 1.0)
        self.view.ax.legend(loc="upper right", fontsize=7)
        self.view.redraw()
        self.status.value = f"{self.schedule!r}   ·   lr(0) = {_fmt(lrs[0])}, lr({self.steps - 1}) = {_fmt(lrs[-1])}"


def stability_mark(surface, method="gd", momentum=0.9):
    """(label, rate): the largest stable constant rate of ``method`` on a quadratic, or None.

    On a quadratic of largest curvature L, a constant rate is stable below 2/L for gradient
    descent, (2 + 2β)/L for heavy-ball momentum and (2 + 2β)/((1 + 2β)·L) for Nesterov
    (β = momentum; chapter 10 derives both). Adam and schedule-free SGD have no such line, and
    neither has a surface whose curvature changes from place to place: None.
    """
    if not isinstance(surface, Quadratic):
        return None
    L, beta = surface.L, float(momentum)  # noqa: N806 (the course's notation)
    if method == "gd":
        return "2/L (stability limit)", 2.0 / L
    if method == "momentum":
        return "(2+2β)/L (stability limit)", (2.0 + 2.0 * beta) / L
    if method == "nesterov":
        return "(2+2β)/((1+2β)L) (stability limit)", (2.0 + 2.0 * beta) / ((1.0 + 2.0 * beta) * L)
    return None


class DescentPanel(_Panel):
    """Sliders, a Play button and three linked views of a descent. Build with :func:`descent_panel`."""

    def __init__(self, surface, build, params, steps=100, method="gd", start=None, presets=None,
                 marks=None, title=None, **descend_kwargs):
        if not callable(build):
            raise TypeError(f"build must be a function of the parameters returning a schedule, got {build!r}")
        self.surface = check.surface("surface", surface)
        self.build = build
        self.steps = check.steps_count("steps", steps, 1, 10_000, "a panel redraws its run at every slider move; "
                                       "more than 10000 steps would make every move slow")
        self.method = method
        self.start = start
        self.descend_kwargs = descend_kwargs
        self.marks = dict(marks or {})
        limit = stability_mark(surface, method, descend_kwargs.get("momentum", 0.9))
        if limit is not None:
            self.marks = {limit[0]: limit[1], **self.marks}
        for label, value in self.marks.items():
            check.positive(f"marks[{label!r}]", value)
        self._setup_controls(params, presets)
        self.frame = self.steps
        self._build_views()
        self.play = W.Play(value=self.steps, min=0, max=self.steps, step=1, interval=PLAY_INTERVAL,
                           description="Play", show_repeat=False)
        self.step_slider = W.IntSlider(value=self.steps, min=0, max=self.steps, description="step",
                                       readout=True, continuous_update=True, layout=W.Layout(width="420px"))
        W.jslink((self.play, "value"), (self.step_slider, "value"))
        self.step_slider.observe(lambda change: self.show_frame(change["new"]), names="value")
        self.title = W.HTML(f"<b>{title}</b>" if title else "")
        self.status = W.Label()
        controls = W.VBox(list(self.sliders.values()) + ([W.HBox(self.preset_buttons)] if self.preset_buttons else []))
        views = W.HBox([self.map.image, self.loss.image, self.lr.image])
        self.widget = W.VBox([self.title, controls, W.HBox([self.play, self.step_slider]), views, self.status])
        self.update()

    # -- the three views ---------------------------------------------------------------

    def _views(self):
        return [self.map, self.loss, self.lr]

    def _build_views(self):
        self.map, self.loss, self.lr = _View(), _View(), _View()
        viz.contour(self.surface, ax=self.map.ax, levels=20, resolution=120)
        self.map.title(self.map.ax.get_title())
        (self.path_line,) = self.map.ax.plot([], [], "-", color="tab:red", lw=1.2)
        (self.start_dot,) = self.map.ax.plot([], [], "o", mfc="white", mec="tab:red", ms=5)
        (self.point,) = self.map.ax.plot([], [], "o", color="tab:red", ms=6)
        self.map.animate(self.path_line, self.start_dot, self.point)
        self.map.redraw()  # the contour map is drawn once; frames only blit the path over it

        ax = self.loss.ax
        (self.loss_line,) = ax.plot([], [], color="tab:blue", lw=1.5)
        (self.loss_dot,) = ax.plot([], [], "o", color="tab:red", ms=5)
        ax.set_yscale("log")
        ax.set_xlim(0, self.steps)
        ax.set_xlabel("step t")
        # A log scale needs positive numbers: where the minimum's loss is not 0 (several basins,
        # with negative losses), the view shows the gap f − f* to the global minimum instead.
        self.loss_floor = float(self.surface.value(self.surface.minimum))
        self.loss.title("loss" if self.loss_floor == 0 else "loss − loss at the minimum")
        self.loss.animate(self.loss_line, self.loss_dot)

        ax = self.lr.ax
        (self.lr_line,) = ax.plot([], [], color="tab:green", lw=1.5, drawstyle="steps-post")
        (self.lr_dot,) = ax.plot([], [], "o", color="tab:red", ms=5)
        # Mark labels alternate between the left and the right end, so near marks don't overlap.
        self._mark_lines = [
            (
                ax.axhline(value, ls="--", lw=1, color="0.35"),
                ax.text(0.02 if i % 2 == 0 else 0.98, value, f" {label} ", fontsize=7,
                        va="bottom" if i % 2 == 0 else "top", ha="left" if i % 2 == 0 else "right",
                        transform=ax.get_yaxis_transform()),
            )
            for i, (label, value) in enumerate(self.marks.items())
        ]
        ax.set_xlim(0, self.steps)
        ax.set_xlabel("step t")
        self.lr.title("learning rate")
        self.lr.animate(self.lr_line, self.lr_dot)

    # -- reacting to the controls ------------------------------------------------------

    def update(self):
        """Rebuild the schedule from the sliders, rerun the descent, redraw the changed views."""
        try:
            schedule = self.build(**self.values)
            schedule = schedule if isinstance(schedule, ReduceOnPlateau) else as_schedule(schedule)
            run = descend(self.surface, schedule, start=self.start, steps=self.steps, method=self.method,
                          **self.descend_kwargs)
        except (TypeError, ValueError) as error:
            # An impossible combination: no run belongs to these sliders. The views are emptied and
            # every frame (Play, the step slider) shows the message, until a valid combination is set.
            self.schedule = self.run = None
            self.error = str(error)
            for artist in (self.loss_line, self.lr_line):
                artist.set_data([], [])
            self.show_frame(self.frame)
            return
        self.schedule, self.run, self.error = schedule, run, None
        t = np.arange(len(run.losses))
        self.gaps = run.losses - self.loss_floor
        self.loss_line.set_data(t, self.gaps)
        self.lr_line.set_data(np.arange(len(run.lrs)), run.lrs)
        # Axis limits snap to whole decades (loss) and to round numbers (lr), so most slider
        # moves leave the axes alone: the curves are moving artists and only need a blit.
        limits = log_limits(self.gaps)
        if limits is not None:
            self._set_limits(self.loss, limits)
        top = max([float(np.nanmax(run.lrs)) if run.lrs.size else 0.0] + list(self.marks.values()))
        self._set_limits(self.lr, (0.0, _nice_ceiling(1.05 * top)))
        self.show_frame(self.frame)

    @staticmethod
    def _set_limits(view, limits):
        if view.background is None or tuple(view.ax.get_ylim()) != limits:
            view.ax.set_ylim(*limits)
            view.redraw(state=limits)  # the y limits are all that changes in the loss and LR views

    def show_frame(self, i: int):
        """Show the run as it stood after i updates: move the artists, blit each view."""
        self.frame = int(i)
        run = self.run
        if run is None:  # the sliders form no valid schedule: nothing to show but why
            for artist in (self.path_line, self.start_dot, self.point, self.loss_dot, self.lr_dot):
                artist.set_data([], [])
            for view in self._views():
                view.redraw() if view.background is None else view.blit()
            self.status.value = f"step {self.frame} of {self.steps} · not a valid schedule: {self.error}"
            return
        k = min(self.frame, run.stopped_at)
        pts = run.points[: k + 1]
        self.path_line.set_data(pts[:, 0], pts[:, 1])
        self.start_dot.set_data(pts[:1, 0], pts[:1, 1])
        self.point.set_data(pts[-1:, 0], pts[-1:, 1])
        self.loss_dot.set_data([k], [self.gaps[k]])
        j = min(k, len(run.lrs) - 1)
        self.lr_dot.set_data([j], [run.lrs[j]] if j >= 0 else [np.nan])
        self.map.blit()
        self.loss.blit()
        self.lr.blit()
        state = f"step {k} of {self.steps} · loss {run.losses[k]:.2g} · lr {_fmt(run.lrs[j])}"
        if run.diverged:
            state += f" · diverged at step {run.stopped_at}"
        self.status.value = state


def schedule_panel(build, params, steps=200, presets=None, reference=None, title=None) -> SchedulePanel:
    """Sliders for a schedule's parameters and its live LR curve.

    build      a function of the parameters (by name) returning an lrlab schedule,
    params     {name: Param(...)}, one slider per parameter,
    steps      the steps t = 0 .. steps−1 drawn,
    presets    {"button label": {name: value, ...}}: buttons that set sliders,
    reference  a fixed schedule drawn dashed for comparison,
    title      a heading shown above the panel.
    """
    return SchedulePanel(build, params, steps=steps, presets=presets, reference=reference, title=title)


def descent_panel(surface, build, params, steps=100, method="gd", start=None, presets=None, marks=None,
                  title=None, **descend_kwargs) -> DescentPanel:
    """Sliders, Play and three linked views (path on the contour map, loss, learning rate).

    surface         an lrlab surface,
    build           a function of the parameters returning a schedule, a number, or a ReduceOnPlateau,
    params          {name: Param(...)}, one slider per parameter,
    steps, method, start, **descend_kwargs   passed to :func:`lrlab.descend`,
    presets         {"button label": {name: value, ...}}, e.g. the optimal rate where theory gives one,
    marks           {"label": rate}: horizontal lines on the LR view (on a quadratic, the method's
                    stability limit is added: 2/L for gd, see :func:`stability_mark`),
    title           a heading shown above the panel.
    """
    return DescentPanel(surface, build, params, steps=steps, method=method, start=start, presets=presets,
                        marks=marks, title=title, **descend_kwargs)

