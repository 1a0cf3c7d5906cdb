"""The explorer's catalog: its schedules, problems and scenarios, and the ranges of their knobs.

This is the one file an author edits to offer a new schedule or problem in the explorer. A
schedule built by one constructor of :mod:`lrlab.schedules` takes one line,
``"name": derived(schedules.name)``: its knobs are read off the constructor's signature, one per
parameter that :data:`KNOBS` knows by name (a parameter with a default and no known knob keeps
its default); keyword arguments replace a knob or add one the table does not know.

A knob's range is relative to the run it drives (:class:`Context`): rates to a typical good rate
of the optimizer on the problem (:func:`lrlab.stability.lr_scale`), step counts to the number of
steps, curvatures to the problem's own. A knob becomes a :class:`lrlab.controls.Param` (a slider)
or :class:`lrlab.controls.Choice` (a menu) in a given context.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from . import schedules, surfaces
from .controls import Choice, Controls, Param
from .plateau import ReduceOnPlateau

__all__ = ["Context", "Knob", "KnobSet", "ScheduleSpec", "ProblemSpec", "KNOBS", "RATE_RANGE", "derived", "schedule_specs",
           "problem_specs", "scenarios", "rate", "floor", "steps", "fixed", "choice"]

#: Learning-rate sliders span [RATE_RANGE[0], RATE_RANGE[1]] times the optimizer's scale (and past its
#: stability limit).
RATE_RANGE = (1e-3, 1.5)


@dataclass(frozen=True)
class Context:
    """What a knob's range depends on: the optimizer's lr scale, the run length, the curvatures."""

    lr: float
    lr_top: float
    steps: int
    L: float  # noqa: N815 (the course's notation)
    mu: float
    floor: float = 0.0  # the loss at the global minimum (negative on several basins)

    def scale(self, kind):
        return {"rate": self.lr, "floor": self.lr, "steps": self.steps, "L": self.L, "mu": self.mu}.get(kind)


@dataclass(frozen=True)
class Knob:
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

    def scale(self, ctx: Context):
        return ctx.scale(self.kind)

    def param(self, ctx: Context) -> Param | Choice:
        """The slider's range and default value (or the menu) in this context."""
        if self.kind == "choice":
            return Choice(self.options, self.default, label=self.label)
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

    def to_fraction(self, value, ctx: Context):
        s = self.scale(ctx)
        return value / s if s else value

    def from_fraction(self, fraction, ctx: Context):
        """The value for a kept fraction in a new context, inside the slider's range."""
        s = self.scale(ctx)
        if not s:
            return fraction
        p = self.param(ctx)
        value = min(p.max, max(p.min, fraction * s))
        # 12 significant digits: 0.19, not 0.18999999999999995, after a rescaling
        return int(round(value)) if self.kind == "steps" else float(f"{value:.12g}")


def rate(default, label=None) -> Knob:
    return Knob("rate", default, *RATE_RANGE, label=label)


def floor(default=0.0, hi=0.5, label=None) -> Knob:
    return Knob("floor", default, hi=hi, label=label)


def steps(default, lo=1, hi=1.0, label=None) -> Knob:
    return Knob("steps", default, lo=lo, hi=hi, label=label)


def fixed(default, lo, hi, step=None, log=False, integer=False, label=None) -> Knob:
    return Knob("fixed", default, lo=lo, hi=hi, step=step, log=log, integer=integer, label=label)


def choice(options, default, label=None) -> Knob:
    return Knob("choice", default, options=tuple(options), label=label)


#: The knob of a schedule parameter, by the parameter's name (the names are lrlab's own).
KNOBS = {
    "lr0": rate(0.6), "lr_max": rate(0.8), "lr_min": floor(), "lr_end": floor(),
    "total_steps": steps(1.0, hi=2.0), "warmup_steps": steps(0.1, hi=0.5), "step_size": steps(0.25),
    "period": steps(0.25), "decay_steps": steps(0.2), "step_size_up": steps(0.125, hi=0.5),
    "gamma": fixed(0.5, 0.05, 1.0, step=0.05), "power": fixed(2.0, 0.1, 10.0, log=True),
    "period_mult": fixed(1, 1, 4, integer=True), "pct_start": fixed(0.3, 0.05, 0.95, step=0.05),
    "div_factor": fixed(25.0, 1.0, 1000.0, log=True), "final_div_factor": fixed(1e4, 1.0, 1e5, log=True),
    "mode": choice(schedules.CYCLIC_MODES, "triangular"), "anneal": choice(schedules.ANNEAL_STRATEGIES, "cos"),
    "three_phase": choice((("no", False), ("yes", True)), False), "decay": choice(schedules.WSD_DECAYS, "linear"),
    "order": choice(schedules.CHEBYSHEV_ORDERS, "fractal"),
    # the problem's own curvatures (on the bowl, where they are equal, μ is a tenth of L)
    "L": Knob("L", 1.0, 0.1, 10.0), "mu": Knob("mu", lambda c: 1.0 if c.mu < c.L else 0.1, 0.01, 10.0),
}


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule in the menu: its label, its knobs and how to build it (``build(ctx, **values)``)."""

    label: str
    knobs: dict
    build: object


def derived(constructor, label=None, **knobs) -> ScheduleSpec:
    """The spec of a schedule built by one constructor, its knobs read off the signature.

    Each parameter gets the knob given here by name, else :data:`KNOBS`'s; a parameter with
    neither, or given None here, keeps the constructor's default (a required one is an error).
    """
    chosen = {}
    for name, parameter in inspect.signature(constructor).parameters.items():
        knob = knobs.pop(name) if name in knobs else KNOBS.get(name)  # None given here: no knob
        if knob is not None:
            chosen[name] = knob
        elif parameter.default is inspect.Parameter.empty:
            raise ValueError(f"{constructor.__name__}: no knob for its required parameter {name!r}")
    if knobs:
        raise ValueError(f"{constructor.__name__} has no parameters {sorted(knobs)}")
    return ScheduleSpec(label or constructor.__name__, chosen, lambda ctx, **values: constructor(**values))


def _plateau(ctx, lr0, factor, patience):
    # PyTorch's relative test, m < best·(1 − threshold), never sees a flat *negative* loss as flat
    # (best·(1 − threshold) lies above best), so it never cuts: where the losses are negative
    # (several basins) the explorer compares with an absolute threshold instead.
    return ReduceOnPlateau(lr0, factor=factor, patience=patience, threshold_mode="abs" if ctx.floor < 0 else "rel")


def schedule_specs() -> dict:
    """Every schedule the explorer offers, by menu name: one line each."""
    s = schedules
    return {
        "constant": derived(s.constant, lr0=rate(0.45)),
        "step_decay": derived(s.step_decay),
        "multistep": ScheduleSpec(
            "multistep", {"lr0": rate(0.6), "milestone_1": steps(0.5, lo=0), "milestone_2": steps(0.75, lo=0),
                          "gamma": fixed(0.3, 0.05, 1.0, step=0.05)},
            lambda c, lr0, milestone_1, milestone_2, gamma: s.multistep(lr0, [milestone_1, milestone_2], gamma)),
        # default: the rate falls 100-fold over the run
        "exponential": derived(s.exponential, decay_rate=fixed(lambda c: round(0.01 ** (1 / c.steps), 3), 0.8, 1.0,
                                                               step=0.001)),
        # default: the rate falls 11-fold over the run
        "inverse_time": derived(s.inverse_time, decay_rate=fixed(lambda c: 10.0 / c.steps, 1e-3, 10.0, log=True),
                                decay_steps=None),
        "inverse_sqrt": derived(s.inverse_sqrt),
        "cosine": derived(s.cosine),
        "polynomial": derived(s.polynomial),
        "warmup_cosine": ScheduleSpec(
            "warmup + cosine", {"lr0": rate(0.6, label="peak lr0"), "warmup_steps": steps(0.1, hi=0.5)},
            lambda c, lr0, warmup_steps: s.linear_warmup(s.cosine(lr0, c.steps - warmup_steps), warmup_steps)),
        "cosine_restarts": derived(s.cosine_restarts),
        "cyclic": derived(s.cyclic, lr_min=floor(0.05), gamma=fixed(0.99, 0.9, 1.0, step=0.001)),
        "one_cycle": derived(s.one_cycle, total_steps=steps(1.0, lo=2, hi=2.0)),
        "wsd": derived(s.wsd, warmup_steps=steps(0.1, lo=0, hi=0.5)),
        "reduce_on_plateau": ScheduleSpec(
            "ReduceOnPlateau", {"lr0": rate(0.6), "factor": fixed(0.5, 0.05, 0.95, step=0.05),
                                "patience": fixed(5, 0, 50, integer=True)}, _plateau),
        "chebyshev": derived(s.chebyshev, total_steps=choice([2**k for k in range(1, 10)], 16)),
        "silver": derived(s.silver),
    }


class KnobSet:
    """The controls of one schedule in the explorer, each value also kept as a fraction of its scale.

    Switching problem, optimizer or step count changes the scales; every slider then gets the
    range and value of its kept fraction in the new context, so switching back restores it.
    """

    def __init__(self, spec: ScheduleSpec, ctx: Context, on_change, width="320px", label_width="initial"):
        self.spec, self.ctx = spec, ctx
        self.controls = Controls({name: knob.param(ctx) for name, knob in spec.knobs.items()},
                                 self._changed, width=width, label_width=label_width)
        self.fractions = {name: knob.to_fraction(value, ctx)
                          for (name, knob), value in zip(spec.knobs.items(), self.controls.values.values())}
        self._on_change = on_change

    widgets = property(lambda self: self.controls.widgets, doc="{name: widget}")
    values = property(lambda self: self.controls.values, doc="{name: value}, as set from Python exactly")

    def assign(self, **values) -> None:
        """Set values from code (no callback), keeping their fractions."""
        self.controls.assign(**values)
        for name in values:
            self.fractions[name] = self.spec.knobs[name].to_fraction(self.controls.values[name], self.ctx)

    def reset(self) -> None:
        """Every control back to its default (in the current context)."""
        self.assign(**{name: knob.param(self.ctx).initial() for name, knob in self.spec.knobs.items()})

    def _changed(self, name):
        if name is not None:
            self.fractions[name] = self.spec.knobs[name].to_fraction(self.controls.values[name], self.ctx)
        self._on_change()

    def fit(self, ctx: Context) -> None:
        """Give every slider the range and value it has in a new context (from its kept fraction)."""
        if ctx == self.ctx:
            return
        for name, knob in self.spec.knobs.items():
            if knob.scale(ctx) is not None:
                self.controls.refit(name, knob.param(ctx), knob.from_fraction(self.fractions[name], ctx))
        self.ctx = ctx


@dataclass(frozen=True)
class ProblemSpec:
    """A problem in the menu: its sliders, how to build it, and how many steps it needs."""

    label: str
    build: object
    params: dict = field(default_factory=dict)
    steps: int = 100
    map_params: tuple = ()  # the parameters that change the contour map
    rate_top: float = RATE_RANGE[1]  # lr sliders reach this many times the scale (and 1.2 times the limit)


def problem_specs() -> dict:
    """Every problem the explorer offers, by menu name."""
    return {
        "quadratic_bowl": ProblemSpec("quadratic bowl", lambda: surfaces.quadratic_bowl(), steps=50),
        "elongated_valley": ProblemSpec(
            "elongated valley", lambda condition_number: surfaces.elongated_valley(condition_number=condition_number),
            {"condition_number": Param(1.0, 1000.0, value=10.0, log=True, label="κ = L/μ")},
            steps=100, map_params=("condition_number",)),
        "rosenbrock": ProblemSpec("Rosenbrock", lambda: surfaces.rosenbrock(), steps=500),
        "noisy_quadratic": ProblemSpec(
            "noisy quadratic", lambda noise_std: surfaces.noisy_quadratic(noise_std=noise_std, seed=0),
            {"noise_std": Param(0.0, 2.0, value=1.0, step=0.05, label="noise σ")}, steps=200),
        # Rates far past 2/λmax at the minimum throw a run from basin to basin: the sliders reach them.
        "multi_basin": ProblemSpec("several basins", lambda: surfaces.multi_basin(), steps=200, rate_top=6.0),
    }


def scenarios() -> dict:
    """The scenario buttons: each sets the problem, the steps and both runs (a lab session's starting points).

    Parameters a scenario does not name go back to their defaults.
    """
    return {
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
        "Chebyshev vs the best constant": {
            "problem": "elongated_valley", "condition_number": 10.0, "steps": 32,
            "a": {"schedule": "chebyshev", "method": "gd", "mu": 0.1, "L": 1.0, "total_steps": 32},
            "b": {"schedule": "constant", "method": "gd", "lr0": 2 / 1.1},  # 2/(L + μ)
        },
    }
