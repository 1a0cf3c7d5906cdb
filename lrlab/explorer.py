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

It is drawn the way :mod:`lrlab.widgets` draws its panels, and is as responsive: small Agg
figures shown as PNGs; static parts drawn once and kept (each problem's contour map, the
axes of the last few axis limits); axes snapped to round numbers; a parameter change reruns
only the run it belongs to; frames blit. ``benchmarks/bench_widgets.py`` times it against
redrawing everything.

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

import base64
import functools
import io
import math
from collections import OrderedDict
from dataclasses import dataclass, field

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import optim, schedules, surfaces, viz
from .optim import Trajectory, descend
from .plateau import ReduceOnPlateau
from .schedules import as_schedule
from .surfaces import Quadratic
from .widgets import (PLAY_INTERVAL, VIEW_DPI, VIEW_SIZE, Param, _fmt, _nice_ceiling, _side_by_side, log_limits,
                      stability_mark)

__all__ = ["Explorer", "explorer", "schedule_names", "problem_names", "method_names", "stability_limit"]

#: The colours of run A and run B in every view (and of the column headers).
COLOURS = {"A": "#d62728", "B": "#1f77b4"}
#: The momentum of "momentum", "nesterov" and "schedule_free" runs (Adam keeps descend's betas).
MOMENTUM = 0.9
#: Learning-rate sliders span [RATE_RANGE[0], RATE_RANGE[1]] times the optimizer's scale (and past its
#: stability limit).
RATE_RANGE = (1e-3, 1.5)
#: The step-count slider.
STEPS_RANGE = (10, 1000)
#: How many problems keep their contour map drawn (switching back to one is then free).
MAP_CACHE = 8
#: Width of one column of controls, of a control in it, and of the labels before the controls
#: (all the same, so that the sliders of a column line up).
COLUMN, CONTROL_WIDTH, LABEL_WIDTH = "305px", "295px", "118px"
#: Play shows about this many milliseconds per run in total, between these frame intervals.
PLAY_TOTAL_MS, PLAY_FASTEST = 6000, 40


# --------------------------------------------------------------------------- knobs


@dataclass(frozen=True)
class _Context:
    """What a slider's range depends on: the optimizer's lr scale, the run length, the curvatures."""

    lr: float
    lr_top: float
    steps: int
    L: float  # noqa: N815 (the course's notation)
    mu: float
    floor: float = 0.0  # the loss at the global minimum (negative on several basins)

    def scale(self, kind):
        return {"rate": self.lr, "floor": self.lr, "steps": self.steps, "L": self.L, "mu": self.mu}.get(kind)


@dataclass(frozen=True)
class _Knob:
    """One schedule parameter, its range given relative to the run it drives.

    kind      "rate" (log slider from lo × the lr scale up to the context's top, beyond the
              stability limit), "floor" (linear slider over [0, hi] × the lr scale), "steps"
              (integer slider over [lo, hi × steps], lo absolute), "L"/"mu" (log slider over
              [lo, hi] × that curvature), "fixed" (a fixed range: lo, hi, step, log, integer)
              or "choice" (a menu of ``options``);
    default   the starting value as a multiple of the scale (the value itself for "fixed"
              and "choice"), or a function of the context that returns it.
    """

    kind: str
    default: object
    lo: float = 0.0
    hi: float = 1.0
    step: float | None = None
    log: bool = False
    integer: bool = False
    options: tuple = ()
    label: str | None = None

    def scale(self, ctx: _Context):
        return ctx.scale(self.kind)

    def param(self, ctx: _Context) -> Param:
        """The slider's range and default value in this context."""
        s = self.scale(ctx)
        d = self.default(ctx) if callable(self.default) else self.default
        if self.kind == "rate":
            return Param(self.lo * s, ctx.lr_top, value=min(ctx.lr_top, d * s), log=True, label=self.label)
        if self.kind in ("L", "mu"):
            return Param(self.lo * s, self.hi * s, value=d * s, log=True, label=self.label)
        if self.kind == "floor":
            return Param(0.0, self.hi * s, value=d * s, step=self.hi * s / 100, label=self.label)
        if self.kind == "steps":
            lo, hi = int(self.lo), max(int(self.lo) + 1, int(round(self.hi * s)))
            return Param(lo, hi, value=min(hi, max(lo, int(round(d * s)))), integer=True, label=self.label)
        return Param(self.lo, self.hi, value=min(self.hi, max(self.lo, d)), step=self.step, log=self.log,
                     integer=self.integer, label=self.label)

    def widget(self, name: str, ctx: _Context):
        if self.kind == "choice":
            return W.Dropdown(options=list(self.options), value=self.default, description=self.label or name,
                              style={"description_width": LABEL_WIDTH}, layout=W.Layout(width=CONTROL_WIDTH))
        slider = self.param(ctx).slider(name)
        _fit(slider)
        return slider

    def to_fraction(self, value, ctx: _Context):
        s = self.scale(ctx)
        return value / s if s else value

    def from_fraction(self, fraction, ctx: _Context):
        """The value for a kept fraction in a new context, inside the slider's range."""
        s = self.scale(ctx)
        if not s:
            return fraction
        p = self.param(ctx)
        value = min(p.max, max(p.min, fraction * s))
        # 12 significant digits: 0.19, not 0.18999999999999995, after a rescaling
        return int(round(value)) if self.kind == "steps" else float(f"{value:.12g}")


def _fit(widget):
    """Give a slider made by Param.slider the explorer's column width and label width."""
    widget.layout.width = CONTROL_WIDTH
    widget.style.description_width = LABEL_WIDTH
    return widget


def _rate(default, label=None):
    return _Knob("rate", default, *RATE_RANGE, label=label)


def _floor(default=0.0, hi=0.5, label=None):
    return _Knob("floor", default, hi=hi, label=label)


def _steps(default, lo=1, hi=1.0, label=None):
    return _Knob("steps", default, lo=lo, hi=hi, label=label)


def _fixed(default, lo, hi, step=None, log=False, integer=False, label=None):
    return _Knob("fixed", default, lo=lo, hi=hi, step=step, log=log, integer=integer, label=label)


def _choice(options, default, label=None):
    return _Knob("choice", default, options=tuple(options), label=label)


# --------------------------------------------------------------------------- schedules


@dataclass(frozen=True)
class _ScheduleSpec:
    """A schedule in the menu: its knobs and how to build it (``build(ctx, **values)``)."""

    label: str
    knobs: dict
    build: object


def _schedule_specs() -> dict:
    """Every schedule lrlab has, by menu name."""
    s = schedules
    specs = {
        "constant": _ScheduleSpec("constant", {"lr0": _rate(0.45)}, lambda c, lr0: s.constant(lr0)),
        "step_decay": _ScheduleSpec(
            "step_decay",
            {"lr0": _rate(0.6), "step_size": _steps(0.25), "gamma": _fixed(0.5, 0.05, 1.0, step=0.05)},
            lambda c, lr0, step_size, gamma: s.step_decay(lr0, step_size, gamma),
        ),
        "multistep": _ScheduleSpec(
            "multistep",
            {"lr0": _rate(0.6), "milestone_1": _steps(0.5, lo=0), "milestone_2": _steps(0.75, lo=0),
             "gamma": _fixed(0.3, 0.05, 1.0, step=0.05)},
            lambda c, lr0, milestone_1, milestone_2, gamma: s.multistep(lr0, [milestone_1, milestone_2], gamma),
        ),
        "exponential": _ScheduleSpec(
            "exponential",
            # default: the rate falls 100-fold over the run
            {"lr0": _rate(0.6), "decay_rate": _fixed(lambda c: round(0.01 ** (1 / c.steps), 3), 0.8, 1.0, step=0.001)},
            lambda c, lr0, decay_rate: s.exponential(lr0, decay_rate),
        ),
        "inverse_time": _ScheduleSpec(
            "inverse_time",
            # default: the rate falls 11-fold over the run
            {"lr0": _rate(0.6), "decay_rate": _fixed(lambda c: 10.0 / c.steps, 1e-3, 10.0, log=True)},
            lambda c, lr0, decay_rate: s.inverse_time(lr0, decay_rate),
        ),
        "inverse_sqrt": _ScheduleSpec(
            "inverse_sqrt",
            {"lr0": _rate(0.6), "warmup_steps": _steps(0.1, hi=0.5)},
            lambda c, lr0, warmup_steps: s.inverse_sqrt(lr0, warmup_steps),
        ),
        "cosine": _ScheduleSpec(
            "cosine",
            {"lr0": _rate(0.6), "total_steps": _steps(1.0, hi=2.0), "lr_min": _floor()},
            lambda c, lr0, total_steps, lr_min: s.cosine(lr0, total_steps, lr_min),
        ),
        "polynomial": _ScheduleSpec(
            "polynomial",
            {"lr0": _rate(0.6), "total_steps": _steps(1.0, hi=2.0), "power": _fixed(2.0, 0.1, 10.0, log=True),
             "lr_end": _floor()},
            lambda c, lr0, total_steps, power, lr_end: s.polynomial(lr0, total_steps, power, lr_end),
        ),
        "warmup_cosine": _ScheduleSpec(
            "warmup + cosine",
            {"lr0": _rate(0.6, label="peak lr0"), "warmup_steps": _steps(0.1, hi=0.5)},
            lambda c, lr0, warmup_steps: s.linear_warmup(s.cosine(lr0, c.steps - warmup_steps), warmup_steps),
        ),
        "cosine_restarts": _ScheduleSpec(
            "cosine_restarts",
            {"lr0": _rate(0.6), "period": _steps(0.25), "period_mult": _fixed(1, 1, 4, integer=True),
             "lr_min": _floor()},
            lambda c, lr0, period, period_mult, lr_min: s.cosine_restarts(lr0, period, period_mult, lr_min),
        ),
        "cyclic": _ScheduleSpec(
            "cyclic",
            {"lr_max": _rate(0.8), "lr_min": _floor(0.05), "step_size_up": _steps(0.125, hi=0.5),
             "mode": _choice(s.CYCLIC_MODES, "triangular"), "gamma": _fixed(0.99, 0.9, 1.0, step=0.001)},
            lambda c, lr_max, lr_min, step_size_up, mode, gamma: s.cyclic(lr_min, lr_max, step_size_up, mode=mode,
                                                                          gamma=gamma),
        ),
        "one_cycle": _ScheduleSpec(
            "one_cycle",
            {"lr_max": _rate(0.8), "total_steps": _steps(1.0, lo=2, hi=2.0),
             "pct_start": _fixed(0.3, 0.05, 0.95, step=0.05), "div_factor": _fixed(25.0, 1.0, 1000.0, log=True),
             "final_div_factor": _fixed(1e4, 1.0, 1e5, log=True), "anneal": _choice(s.ANNEAL_STRATEGIES, "cos"),
             "three_phase": _choice((("no", False), ("yes", True)), False)},
            lambda c, lr_max, total_steps, pct_start, div_factor, final_div_factor, anneal, three_phase: s.one_cycle(
                lr_max, total_steps, pct_start, div_factor, final_div_factor, anneal, three_phase),
        ),
        "wsd": _ScheduleSpec(
            "wsd",
            {"lr0": _rate(0.6), "total_steps": _steps(1.0, hi=2.0), "warmup_steps": _steps(0.1, lo=0, hi=0.5),
             "decay_steps": _steps(0.2), "lr_min": _floor(), "decay": _choice(s.WSD_DECAYS, "linear")},
            lambda c, lr0, total_steps, warmup_steps, decay_steps, lr_min, decay: s.wsd(
                lr0, total_steps, warmup_steps, decay_steps, lr_min, decay),
        ),
        "reduce_on_plateau": _ScheduleSpec(
            "ReduceOnPlateau",
            {"lr0": _rate(0.6), "factor": _fixed(0.5, 0.05, 0.95, step=0.05),
             "patience": _fixed(5, 0, 50, integer=True)},
            # PyTorch's relative test, m < best·(1 − threshold), never sees a flat *negative* loss as flat
            # (best·(1 − threshold) lies above best), so it never cuts: where the losses are negative
            # (several basins) the explorer compares with an absolute threshold instead.
            lambda c, lr0, factor, patience: ReduceOnPlateau(lr0, factor=factor, patience=patience,
                                                            threshold_mode="abs" if c.floor < 0 else "rel"),
        ),
    }
    specs["chebyshev"] = _ScheduleSpec(
        "chebyshev",
        # the problem's own curvatures (on the bowl, where they are equal, a tenth of μ)
        {"mu": _Knob("mu", lambda c: 1.0 if c.mu < c.L else 0.1, 0.01, 10.0), "L": _Knob("L", 1.0, 0.1, 10.0),
         "total_steps": _choice([2**k for k in range(1, 10)], 16), "order": _choice(s.CHEBYSHEV_ORDERS, "fractal")},
        lambda c, mu, L, total_steps, order: s.chebyshev(mu, L, total_steps, order=order),  # noqa: N803
    )
    specs["silver"] = _ScheduleSpec("silver", {"L": _Knob("L", 1.0, 0.1, 10.0)}, lambda c, L: s.silver(L))  # noqa: N803
    return specs


def schedule_names() -> list[str]:
    """The schedules in the explorer's menu."""
    return list(_schedule_specs())


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class _ProblemSpec:
    """A problem in the menu: its sliders, how to build it, and how many steps it needs."""

    label: str
    build: object
    params: dict = field(default_factory=dict)
    steps: int = 100
    map_params: tuple = ()  # the parameters that change the contour map
    rate_top: float = RATE_RANGE[1]  # lr sliders reach this many times the scale (and 1.2 times the limit)


def _problem_specs() -> dict:
    specs = {
        "quadratic_bowl": _ProblemSpec("quadratic bowl", lambda: surfaces.quadratic_bowl(), steps=50),
        "elongated_valley": _ProblemSpec(
            "elongated valley",
            lambda condition_number: surfaces.elongated_valley(condition_number=condition_number),
            {"condition_number": Param(1.0, 1000.0, value=10.0, log=True, label="κ = L/μ")},
            steps=100, map_params=("condition_number",),
        ),
        "rosenbrock": _ProblemSpec("Rosenbrock", lambda: surfaces.rosenbrock(), steps=500),
        "noisy_quadratic": _ProblemSpec(
            "noisy quadratic",
            lambda noise_std: surfaces.noisy_quadratic(noise_std=noise_std, seed=0),
            {"noise_std": Param(0.0, 2.0, value=1.0, step=0.05, label="noise σ")},
            steps=200,
        ),
    }
    # Rates far past 2/λmax at the minimum throw a run from basin to basin: the sliders reach them.
    specs["multi_basin"] = _ProblemSpec("several basins", lambda: surfaces.multi_basin(), steps=200, rate_top=6.0)
    return specs


def problem_names() -> list[str]:
    """The problems in the explorer's menu."""
    return list(_problem_specs())


def method_names() -> list[str]:
    """The optimizers in the explorer's menu: every method of :func:`lrlab.descend`."""
    return list(optim.METHODS)


@functools.lru_cache(maxsize=32)
def _curvatures(surface) -> tuple[float, float]:
    """(μ, L): the smallest and largest curvature, at the minimum (exact for a quadratic)."""
    if isinstance(surface, Quadratic):
        return surface.mu, surface.L
    low, high = surface.eigenvalues(surface.minimum)
    return float(low), float(high)


def stability_limit(surface, method: str, momentum: float = MOMENTUM) -> float | None:
    """The largest constant lr for which ``method`` is stable near the minimum, or None.

    With L the largest curvature at the minimum (λ_max of the Hessian there; L itself on a
    quadratic), a run with a constant rate lr is stable iff a = lr·L is below
      gd           2                       (the error along the stiffest direction is
                                            multiplied by 1 − a at every step),
      momentum     2 + 2β                  (heavy ball in PyTorch's form, β = momentum),
      nesterov     (2 + 2β)/(1 + 2β)       (PyTorch's Nesterov form);
    for the two momentum methods, from the eigenvalues of the 2×2 linear map one update is
    along that direction (both must lie inside the unit circle). On a quadratic these are
    the lines of :func:`lrlab.widgets.stability_mark`. None for "adam", whose step is about
    lr long whatever the curvature, and for "schedule_free", whose averaging changes the map
    from step to step (no closed form: about 17/L with β = 0.9, measured on the bowl).

    >>> import lrlab
    >>> bowl = lrlab.quadratic_bowl()
    >>> [round(stability_limit(bowl, m), 4) for m in ("gd", "momentum", "nesterov")]
    [2.0, 3.8, 1.3571]
    """
    _, big = _curvatures(surface)
    if method == "gd":
        return 2.0 / big
    if method == "momentum":
        return 2.0 * (1.0 + momentum) / big
    if method == "nesterov":
        return 2.0 * (1.0 + momentum) / ((1.0 + 2.0 * momentum) * big)
    return None


def _lr_scale(surface, method: str, top_factor: float = RATE_RANGE[1]) -> tuple[float, float]:
    """(scale, top) of a run's lr sliders: defaults are multiples of the scale; the range ends at top.

    The scale is a typical good rate: 2/L for gradient descent; (1 − β)·2/L with momentum β
    (the same effective step lr/(1 − β)); 1/((1 − β)·L) for schedule-free SGD (whose fast
    iterate sees the curvature through y = (1 − β)·z + β·x); a tenth of the distance from
    the start to the minimum for Adam (whose step is about lr long). The top lies beyond the
    stability limit (``top_factor`` times the scale, at least 1.2 times the limit), so that
    divergence is one slider move away.
    """
    _, big = _curvatures(surface)
    limit = stability_limit(surface, method)
    if method == "adam":
        scale = float(np.linalg.norm(np.asarray(surface.start) - np.asarray(surface.minimum))) / 10.0
    elif method in ("momentum", "nesterov"):
        scale = (1.0 - MOMENTUM) * 2.0 / big
    elif method == "schedule_free":
        scale = 1.0 / ((1.0 - MOMENTUM) * big)
    else:
        scale = 2.0 / big
    top = top_factor * scale
    if method == "schedule_free":
        top = max(top, 3.0 * scale)  # past its measured limit, about 1.7 times the scale
    return scale, max(top, 1.2 * (limit or 0.0))


def _mark(surface, method: str):
    """(rate, label) of the dashed line the lr view draws for a run of ``method``, or None (Adam).

    On a quadratic, the line and label of the chapters' panels (:func:`lrlab.widgets.stability_mark`);
    elsewhere the same limit with λmax at the minimum in place of L.
    """
    if method == "schedule_free":  # no limit of its own: gradient descent's, for reference
        rate, label = _mark(surface, "gd")
        return rate, label.replace(" (stability limit)", "") + " (GD's limit)"
    if isinstance(surface, Quadratic):
        mark = stability_mark(surface, method, MOMENTUM)
        return None if mark is None else (mark[1], mark[0])
    limit = stability_limit(surface, method)
    if limit is None:
        return None
    formula = {"gd": "2/λmax", "momentum": "(2+2β)/λmax", "nesterov": "(2+2β)/((1+2β)λmax)"}[method]
    return limit, f"{formula} at the minimum"


# --------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=64)
def _text_pixels(text: str, colour: str, fontsize: float = 7.0) -> np.ndarray:
    """A line of text as RGBA pixels (straight alpha), rendered once: drawing text costs milliseconds."""
    fig = Figure(figsize=(6.0, 0.4), dpi=VIEW_DPI)
    canvas = FigureCanvasAgg(fig)
    fig.patch.set_alpha(0.0)
    label = fig.text(0.98, 0.5, text, color=colour, fontsize=fontsize, ha="right", va="center")
    canvas.draw()
    box = label.get_window_extent()
    pixels = np.asarray(canvas.buffer_rgba())
    height = pixels.shape[0]
    rows = slice(max(0, height - int(math.ceil(box.y1)) - 1), min(height, height - int(box.y0) + 1))
    cols = slice(max(0, int(box.x0) - 1), min(pixels.shape[1], int(math.ceil(box.x1)) + 1))
    return pixels[rows, cols].copy()


def _paste(canvas, pixels: np.ndarray, right: float, top: float) -> None:
    """Blend RGBA pixels into the canvas, their top-right corner at (right, top) in display pixels."""
    buffer = np.asarray(canvas.buffer_rgba())
    h, w = pixels.shape[:2]
    row, col = int(buffer.shape[0] - top), int(right) - w
    if row < 0 or col < 0 or row + h > buffer.shape[0]:
        return
    target = buffer[row:row + h, col:col + w]
    alpha = pixels[..., 3:4] / 255.0
    target[..., :3] = (pixels[..., :3] * alpha + target[..., :3] * (1.0 - alpha)).round().astype(np.uint8)


class _Canvas:
    """One small Agg figure drawn in three layers, each kept as pixels.

    - the background: everything static (axes, ticks, marks, the contour map), drawn in full
      only when its state (axis limits, marks) is new; the backgrounds of the last few states
      are kept, so going back to one costs no drawing;
    - the data layer: the background plus the runs' curves (``data`` artists), redrawn when a
      run changes;
    - a frame: the data layer plus the moving markers (``frame`` artists), encoded as PNG.
    """

    KEEP = 8  # backgrounds kept per view

    def __init__(self, size=VIEW_SIZE, dpi=VIEW_DPI):
        self.fig = Figure(figsize=size, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=0.2, right=0.96, bottom=0.16, top=0.9)
        self.data: list = []
        self.frame: list = []
        self.stamps: dict = {}  # name -> (text pixels, (x, y) of the top-right corner in axes fractions)
        self.backgrounds: OrderedDict = OrderedDict()
        self.state = None
        self.layer = None

    def add(self, layer, *artists):
        for a in artists:
            a.set_animated(True)  # never part of the background
            getattr(self, layer).append(a)
        return artists

    def set_state(self, state, apply=None) -> bool:
        """Set up the static part for ``state`` (``apply(state)`` changes the axes); draw it if not kept."""
        if state == self.state and self.layer is not None:
            return False
        if apply is not None:
            apply(state)
        if state in self.backgrounds:
            self.backgrounds.move_to_end(state)
        else:
            self.canvas.draw()
            self.backgrounds[state] = self.canvas.copy_from_bbox(self.fig.bbox)
            while len(self.backgrounds) > self.KEEP:
                self.backgrounds.popitem(last=False)
        self.state = state
        self.layer = None
        return True

    def draw_data(self):
        """Background + the curves, kept as the layer every frame starts from."""
        self.canvas.restore_region(self.backgrounds[self.state])
        for a in self.data:
            self.ax.draw_artist(a)
        box = self.ax.bbox
        for pixels, (x, y) in self.stamps.values():
            _paste(self.canvas, pixels, box.x0 + x * box.width, box.y0 + y * box.height)
        self.layer = self.canvas.copy_from_bbox(self.fig.bbox)

    def png(self) -> bytes:
        """The data layer + the frame's markers, as PNG."""
        if self.layer is None:
            self.draw_data()
        self.canvas.restore_region(self.layer)
        for a in self.frame:
            self.ax.draw_artist(a)
        width, height = self.canvas.get_width_height()
        pixels = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        pixels.convert("RGB").save(out, format="png", compress_level=1)  # opaque: a fifth faster to encode
        return out.getvalue()


class _MapCanvas(_Canvas):
    """The contour map of one problem (drawn once), with a path, a start and a current point per run."""

    def __init__(self, surface):
        super().__init__()
        viz.contour(surface, ax=self.ax, levels=20, resolution=120)
        self.ax.set_title(self.ax.get_title(), fontsize=9, y=1.0)
        minima = getattr(surface, "minima", None)
        if minima is not None and len(minima) > 1:  # local minima too, where the surface has several
            self.ax.plot(np.asarray(minima)[1:, 0], np.asarray(minima)[1:, 1], "x", color="0.3", ms=5)
        self.runs = {}
        for key, colour in reversed(COLOURS.items()):  # A is drawn last, on top
            (path,) = self.ax.plot([], [], "-", color=colour, lw=1.2)
            (start,) = self.ax.plot([], [], "o", mfc="white", mec=colour, ms=5)
            (point,) = self.ax.plot([], [], "o", color=colour, ms=6)
            self.runs[key] = self.add("frame", path, start, point)
        self.set_state("map")


def _one_run(batch: Trajectory, i: int) -> Trajectory:
    """Run i of a batched Trajectory, as descend returns a single run (cut where it stopped)."""
    k = int(batch.stopped_at[i])
    return Trajectory(points=batch.points[: k + 1, i], losses=batch.losses[: k + 1, i], lrs=batch.lrs[:k, i],
                      grad_norms=batch.grad_norms[:k, i], diverged=bool(batch.diverged[i]), stopped_at=k,
                      method=batch.method, steps=batch.steps)


# --------------------------------------------------------------------------- one run's controls


class _KnobSet:
    """The controls of one schedule on one side, with each value kept as a fraction of its scale."""

    def __init__(self, spec: _ScheduleSpec, ctx: _Context, on_change):
        self.spec, self.ctx, self._on_change = spec, ctx, on_change
        self.widgets = {name: knob.widget(name, ctx) for name, knob in spec.knobs.items()}
        self.fractions = {name: knob.to_fraction(self.widgets[name].value, ctx) for name, knob in spec.knobs.items()}
        self._rescaling = False
        for name, w in self.widgets.items():
            w.observe(lambda change, name=name: self._changed(name, change["new"]), names="value")

    @property
    def values(self) -> dict:
        return {name: w.value for name, w in self.widgets.items()}

    def reset(self) -> None:
        """Every control back to its default (in the current context)."""
        for name, knob in self.spec.knobs.items():
            w = self.widgets[name]
            w.value = knob.default if knob.kind == "choice" else knob.param(self.ctx).initial()

    def _changed(self, name, value):
        if self._rescaling:
            return
        self.fractions[name] = self.spec.knobs[name].to_fraction(value, self.ctx)
        self._on_change()

    def fit(self, ctx: _Context) -> None:
        """Give every slider the range and value it has in a new context (from its kept fraction)."""
        if ctx == self.ctx:
            return
        self._rescaling = True
        try:
            for name, knob in self.spec.knobs.items():
                if knob.scale(ctx) is None:
                    continue
                p, w = knob.param(ctx), self.widgets[name]
                value = knob.from_fraction(self.fractions[name], ctx)
                with w.hold_trait_notifications():
                    if isinstance(w, W.FloatLogSlider):
                        w.min, w.max = math.log10(p.min), math.log10(p.max)
                        w.step = (w.max - w.min) / 100
                    else:
                        w.min, w.max = p.min, p.max
                        if p.step is not None and not isinstance(w, W.IntSlider):
                            w.step = p.step
                    w.value = value
        finally:
            self._rescaling = False
        self.ctx = ctx


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
        self.knob_sets: dict[str, _KnobSet] = {}
        self.schedule = self.run = self.error = self._pending = None
        self._run_key = None

    @property
    def name(self) -> str:
        return self.schedule_menu.value

    @property
    def active(self) -> bool:
        return self.name != "none"

    @property
    def method(self) -> str:
        return self.method_menu.value

    def knobs(self) -> _KnobSet | None:
        """The current schedule's controls, fitted to the current context, created the first time."""
        if not self.active:
            return None
        ctx = self.explorer._context(self.method)
        ks = self.knob_sets.get(self.name)
        if ks is None:
            ks = self.knob_sets[self.name] = _KnobSet(self.specs[self.name], ctx,
                                                      lambda: self.explorer._changed(self))
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
            if not isinstance(schedule, ReduceOnPlateau):
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
        return f"{self.key}: loss {run.losses[k]:.2g}, lr {_fmt(run.lrs[j])}"


# --------------------------------------------------------------------------- the explorer


def _scenarios() -> dict:
    """The scenario buttons: each sets the problem, the steps and both runs (a lab session's starting points).

    Parameters a scenario does not name go back to their defaults.
    """
    scenarios = {
        "past the limit 2/L": {
            "problem": "elongated_valley", "condition_number": 10.0, "steps": 100,
            "a": {"schedule": "constant", "method": "gd", "lr0": 2.1},
            "b": {"schedule": "constant", "method": "gd", "lr0": 1.9},
        },
        "noise floor: decay pays": {
            "problem": "noisy_quadratic", "noise_std": 1.0, "steps": 200,
            "a": {"schedule": "step_decay", "method": "gd", "lr0": 0.8, "step_size": 50, "gamma": 0.3},
            "b": {"schedule": "constant", "method": "gd", "lr0": 0.8},
        },
        "warmup rescues a big lr": {
            "problem": "rosenbrock", "steps": 500,
            "a": {"schedule": "warmup_cosine", "method": "momentum", "lr0": 0.0035, "warmup_steps": 100},
            "b": {"schedule": "cosine", "method": "momentum", "lr0": 0.0035},
        },
        "Adam vs momentum, κ = 1000": {
            "problem": "elongated_valley", "condition_number": 1000.0, "steps": 200,
            "a": {"schedule": "cosine", "method": "adam", "lr0": 0.3},
            "b": {"schedule": "cosine", "method": "momentum", "lr0": 0.2},
        },
    }
    scenarios["Chebyshev vs the best constant"] = {
        "problem": "elongated_valley", "condition_number": 10.0, "steps": 32,
        "a": {"schedule": "chebyshev", "method": "gd", "mu": 0.1, "L": 1.0, "total_steps": 32},
        "b": {"schedule": "constant", "method": "gd", "lr0": 2 / 1.1},  # 2/(L + μ)
    }
    return scenarios


class Explorer:
    """Every schedule, problem and optimizer of lrlab in one dashboard. Build with :func:`explorer`."""

    def __init__(self, problem="elongated_valley", steps=None, a=None, b=None, presets=None, title=None,
                 **problem_params):
        self.schedule_specs = _schedule_specs()
        self.problem_specs = _problem_specs()
        methods = method_names()
        self._quiet = True  # until the first update
        self.A = _Side("A", self, self.schedule_specs, methods, allow_none=False)
        self.B = _Side("B", self, self.schedule_specs, methods, allow_none=True)
        self.A.schedule_menu.value = "cosine"

        style = {"description_width": LABEL_WIDTH}
        self.problem_menu = W.Dropdown(options=[(p.label, n) for n, p in self.problem_specs.items()],
                                       value="elongated_valley", description="problem", style=style,
                                       layout=W.Layout(width=CONTROL_WIDTH))
        self.problem_sliders: dict[str, dict] = {}
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
        self.map = None
        self._build_views()
        self.play = W.Play(value=100, min=0, max=100, step=1, interval=PLAY_INTERVAL, description="Play",
                           show_repeat=False)
        self.step_slider = W.IntSlider(value=100, min=0, max=100, description="step", readout=True,
                                       continuous_update=True, layout=W.Layout(width="420px"))
        self._play_link = W.jslink((self.play, "value"), (self.step_slider, "value"))  # frames run in the browser
        self.frame = 100

        self.scenarios = dict(_scenarios() if presets is None else presets)
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
        col_p = W.VBox([W.HTML("<b>problem</b>"), self.problem_menu, self.problem_box, self.steps_slider, self.facts],
                       **column)
        rows = [self.title, W.HBox([col_a, col_b, col_p])]
        if self.scenario_buttons:
            rows.append(W.HBox([W.HTML("scenarios:")] + self.scenario_buttons, layout=W.Layout(flex_flow="row wrap")))
        rows += [W.HBox([self.play, self.step_slider]),
                 W.HBox([self.map_image, self.loss_image, self.lr_image]), self.status]
        self.widget = W.VBox(rows)

        for menu in (self.A.schedule_menu, self.A.method_menu):
            menu.observe(lambda _c: self._changed(self.A), names="value")
        for menu in (self.B.schedule_menu, self.B.method_menu):
            menu.observe(lambda _c: self._changed(self.B), names="value")
        self.problem_menu.observe(lambda _c: self._changed(None, problem=True), names="value")
        self.steps_slider.observe(lambda _c: self._changed(None), names="value")
        self.step_slider.observe(self._on_step, names="value")

        self._quiet = False
        self.set(problem=problem, steps=steps, a={"schedule": "cosine", **(a or {})},
                 b={"schedule": "none", **(b or {})}, **problem_params)

    # -- views -----------------------------------------------------------------------------

    def _build_views(self):
        width = W.Layout(width=f"{int(VIEW_SIZE[0] * VIEW_DPI)}px")
        self.map_image, self.loss_image, self.lr_image = (W.Image(format="png", layout=width) for _ in range(3))
        self.loss_view, self.lr_view = _Canvas(), _Canvas()
        self.lines = {}
        for key, colour in reversed(COLOURS.items()):  # A is drawn last, on top
            (loss,) = self.loss_view.ax.plot([], [], color=colour, lw=1.5)
            (loss_dot,) = self.loss_view.ax.plot([], [], "o", color=colour, ms=5)
            (lr,) = self.lr_view.ax.plot([], [], color=colour, lw=1.5, drawstyle="steps-post")
            (lr_dot,) = self.lr_view.ax.plot([], [], "o", color=colour, ms=5)
            self.loss_view.add("data", loss)
            self.loss_view.add("frame", loss_dot)
            self.lr_view.add("data", lr)
            self.lr_view.add("frame", lr_dot)
            self.lines[key] = (loss, loss_dot, lr, lr_dot)
        # Titles at a fixed height and no axis labels that need laying out: a full redraw of a
        # view costs half as much.
        ax = self.loss_view.ax
        ax.set_yscale("log")
        ax.set_title("loss", fontsize=9, y=1.0)
        ax.set_xlabel("step t")
        ax = self.lr_view.ax
        ax.set_title("learning rate", fontsize=9, y=1.0)
        ax.set_xlabel("step t")
        self._marks = []

    def _map_for(self, surface) -> _MapCanvas:
        spec = self.problem_specs[self.problem]
        key = (self.problem,) + tuple(self.problem_values[name] for name in spec.map_params)
        if key in self.maps:
            self.maps.move_to_end(key)
        else:
            self.maps[key] = _MapCanvas(surface)
            while len(self.maps) > MAP_CACHE:
                self.maps.popitem(last=False)
        return self.maps[key]

    # -- state -----------------------------------------------------------------------------

    @property
    def problem(self) -> str:
        return self.problem_menu.value

    @property
    def steps(self) -> int:
        return self.steps_slider.value

    @property
    def problem_values(self) -> dict:
        return {name: s.value for name, s in self._problem_sliders().items()}

    def _problem_sliders(self) -> dict:
        name = self.problem
        if name not in self.problem_sliders:
            sliders = {p: param.slider(p) for p, param in self.problem_specs[name].params.items()}
            for slider in sliders.values():
                _fit(slider)
                slider.observe(lambda _c: self._changed(None, problem=True), names="value")
            self.problem_sliders[name] = sliders
        return self.problem_sliders[name]

    def _context(self, method) -> _Context:
        mu, big = _curvatures(self.surface)
        scale, top = _lr_scale(self.surface, method, self.problem_specs[self.problem].rate_top)
        floor = float(self.surface.value(self.surface.minimum))
        return _Context(lr=scale, lr_top=top, steps=self.steps, L=big, mu=mu, floor=floor)

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
                self._remember_steps()
                self.problem_menu.value = problem
            sliders = self._problem_sliders()
            for name, value in problem_params.items():
                sliders[name].value = value
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
        for name, value in values.items():
            ks.widgets[name].value = value

    def freeze(self):
        """B ← A: copy run A (schedule, optimizer, every value) into run B, then update."""
        self.set(b=self.A.values)

    def _remember_steps(self):
        self._steps_of[self.problem] = self.steps

    def _build_surface(self):
        return self.problem_specs[self.problem].build(**self.problem_values)

    # -- updating --------------------------------------------------------------------------

    def _changed(self, side, problem=False):
        if self._quiet:
            return
        if problem:
            self._quiet = True
            try:  # a new problem brings back the step count last used on it
                if self.problem_box.children != tuple(self._problem_sliders().values()):
                    steps = self._steps_of.get(self.problem, self.problem_specs[self.problem].steps)
                    self.steps_slider.value = steps
                self.surface = self._build_surface()
            finally:
                self._quiet = False
            self.update(problem=True)
        elif side is None:
            self.update(problem=True)
        else:
            self.update(sides=(side,))

    def update(self, sides=None, problem=False):
        """Rerun what changed (both runs when the problem or the step count did) and redraw what must be."""
        if problem:
            self._steps_of[self.problem] = self.steps
            self.problem_box.children = tuple(self._problem_sliders().values())
            self.map = self._map_for(self.surface)
            self._floor = float(self.surface.value(self.surface.minimum))
            self.facts.value = self._facts()
            sides = (self.A, self.B)
        sides = sides or (self.A, self.B)
        for side in sides:
            side.show_knobs()
        self._run(sides)
        self._draw_data()
        if self.play.max != self.steps or self.frame > self.steps:
            self._quiet = True
            try:
                interval = int(min(PLAY_INTERVAL, max(PLAY_FASTEST, PLAY_TOTAL_MS / self.steps)))
                self.play.interval = interval
                self.play.max = self.step_slider.max = self.steps
                self.play.value = self.step_slider.value = self.steps
            finally:
                self._quiet = False
            self.frame = self.steps
        self.show_frame(self.frame)

    def _run(self, sides):
        """Run the sides whose schedule changed: both in one vectorized descend when they can share it.

        They can when both need a run, use the same optimizer, have closed-form schedules
        (not ReduceOnPlateau), and the problem is deterministic (on the noisy problem each run
        alone sees the same gradient noise, seed 0: a fair comparison).
        """
        need = [side for side in sides if side.prepare(self.surface, self.steps)]
        if (len(need) == 2 and need[0].method == need[1].method
                and not any(isinstance(side.schedule, ReduceOnPlateau) for side in need)
                and not isinstance(self.surface, surfaces.NoisyQuadratic)):
            both = descend(self.surface, [side.schedule for side in need], steps=self.steps,
                           method=need[0].method, momentum=MOMENTUM)
            for i, side in enumerate(need):
                side.accept(_one_run(both, i))
            return
        for side in need:
            side.compute(self.surface, self.steps)

    def _draw_data(self):
        """Put both runs into the loss and lr views; set their axes (drawn only for new limits or marks)."""
        t_max = self.steps
        losses, rates, starts = [], [], []
        for side in (self.A, self.B):
            loss, loss_dot, lr, lr_dot = self.lines[side.key]
            run = side.run
            for artist in (loss, loss_dot, lr, lr_dot):
                artist.set_visible(run is not None)
            # The runs' names, in their colours, top right (a legend would need a full redraw).
            self.loss_view.stamps.pop(side.key, None)
            if run is None:
                continue
            name = f"{side.key}: {side.specs[side.name].label} · {side.method}"
            corner = (0.97, 0.96 - 0.08 * "AB".index(side.key))
            self.loss_view.stamps[side.key] = (_text_pixels(name, side.colour), corner)
            height = run.losses - self._floor  # above the minimum, for surfaces whose minimum is not 0
            loss.set_data(np.arange(len(height)), height)
            lr.set_data(np.arange(len(run.lrs)), run.lrs)
            losses.append(height[np.isfinite(height) & (height > 0)])
            starts.append(height[0])
            rates.append(run.lrs[np.isfinite(run.lrs)])
        # Axis limits snap to whole decades (loss) and round numbers (lr), so most changes draw no axes.
        finite = np.concatenate(losses) if losses else np.empty(0)
        limits = log_limits(finite)
        if limits is not None:
            # A diverging run leaves through the top: the axis stops 3 decades above the start.
            start = max([h for h in starts if np.isfinite(h) and h > 0], default=finite.max())
            top = 10.0 ** (math.ceil(math.log10(start)) + 3)
            loss_limits = (limits[0], max(min(limits[1], top), 10.0 * limits[0]))
        else:
            loss_limits = (1e-3, 1e1)

        def loss_axes(state):
            self.loss_view.ax.set_xlim(0, state[0])
            self.loss_view.ax.set_ylim(*state[1])
            self.loss_view.ax.set_title(state[2], fontsize=9, y=1.0)

        title = "loss" if self._floor == 0 else "loss − loss at the minimum"  # as the panels show it
        self.loss_view.set_state((t_max, loss_limits, title), loss_axes)
        self.loss_view.draw_data()

        marks = {}
        for side in (self.A, self.B):
            mark = _mark(self.surface, side.method) if side.active else None
            if mark is not None:
                marks.setdefault(*mark)
        top = max([float(r.max()) for r in rates if r.size] + list(marks), default=1.0)

        def lr_axes(state):
            ax = self.lr_view.ax
            for artist in self._marks:
                artist.remove()
            self._marks = []
            for i, (value, label) in enumerate(state[2]):
                left = i % 2 == 0  # labels alternate sides, so near marks don't overlap
                self._marks.append(ax.axhline(value, ls="--", lw=1, color="0.35"))
                self._marks.append(ax.text(0.02 if left else 0.98, value, f" {label} ", fontsize=7,
                                           va="bottom" if left else "top", ha="left" if left else "right",
                                           transform=ax.get_yaxis_transform()))
            ax.set_xlim(0, state[0])
            ax.set_ylim(0.0, state[1])

        self.lr_view.set_state((t_max, _nice_ceiling(1.05 * top), tuple(sorted(marks.items()))), lr_axes)
        self.lr_view.draw_data()

    def _on_step(self, change):
        if not self._quiet:
            self.show_frame(change["new"])

    def show_frame(self, i: int):
        """Show both runs as they stood after i updates: move the artists, blit each view."""
        self.frame = int(i)
        for side in (self.A, self.B):
            run = side.run
            if run is None:
                continue
            k = min(self.frame, run.stopped_at)
            pts = run.points[: k + 1]
            path, start, point = self.map.runs[side.key]
            path.set_data(pts[:, 0], pts[:, 1])
            start.set_data(pts[:1, 0], pts[:1, 1])
            point.set_data(pts[-1:, 0], pts[-1:, 1])
            _, loss_dot, _, lr_dot = self.lines[side.key]
            loss_dot.set_data([k], [run.losses[k] - self._floor])
            j = min(k, len(run.lrs) - 1)
            lr_dot.set_data([j], [run.lrs[j]])
        for key in COLOURS:  # artists of a run that is off stay hidden on every map
            visible = (self.A if key == "A" else self.B).run is not None
            for artist in self.map.runs[key]:
                artist.set_visible(visible)
        self.map_image.value = self.map.png()
        self.loss_image.value = self.loss_view.png()
        self.lr_image.value = self.lr_view.png()
        parts = [f"step {self.frame} of {self.steps}"] + [s.state(self.frame) for s in (self.A, self.B)]
        self.status.value = " · ".join(p for p in parts if p)

    def _facts(self) -> str:
        s = self.surface
        mu, big = _curvatures(s)
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

    # -- display ---------------------------------------------------------------------------

    def snapshot(self) -> bytes:
        """The three views as they are now, side by side, as one PNG."""
        return _side_by_side([w.value for w in (self.map_image, self.loss_image, self.lr_image)])

    def __repr__(self) -> str:
        runs = [f"{s.key} {s.name} ({s.method})" for s in (self.A, self.B) if s.active]
        return f"<Explorer: {', '.join(runs)} on {self.problem}, {self.steps} steps>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The live widget for a front end, plus a still picture and a stable text line (as the panels)."""
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self.snapshot()).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle


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
