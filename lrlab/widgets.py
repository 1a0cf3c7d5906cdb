"""Slider dashboards with a Play button, for feeling a schedule and watching a descent.

Two panels serve every chapter, so that no notebook copies widget or plotting code:

- :func:`schedule_panel`: sliders for a schedule's parameters and its live LR curve;
- :func:`descent_panel`: sliders for a schedule's parameters and three linked views of the
  run they give (the path on the contour map, the loss, the learning rate), with a Play
  button and a step slider that animate the descent step by step. On a noisy problem it also
  has a "noise draw" slider (another seed: the same schedule, another sequence of gradient
  noise), a menu that adds the mean and spread of many draws, and, where theory gives it, the
  exact expected loss (dashed black).

They are built from the interactive layer's parts: :mod:`lrlab.controls` (parameters become
widgets), :mod:`lrlab.views` and :mod:`lrlab.canvas` (views drawn in kept layers, sent as PNG),
and :mod:`lrlab.stability` (the dashed limits). The explorer is built from the same parts.
``benchmarks/bench_widgets.py`` times a parameter change and a frame against the naive way (an
``interact`` callback that rebuilds the whole figure); ``benchmarks/bench_browser.py`` times
them in a browser. :func:`projector` draws every view built afterwards larger and sharper.
Importing this module imports ipywidgets and matplotlib (``import lrlab`` alone does not);
nothing here touches pyplot or rcParams.

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

import ipywidgets as W
import numpy as np

from . import _validate as check
from . import viz
from .canvas import VIEW_SIZE, Canvas, fmt, projector
from .controls import PLAY_INTERVAL, Animated, Choice, Controls, Dashboard, Param, Player, ViewStrip
from .optim import descend
from .plateau import is_plateau
from .schedules import as_schedule
from .stability import stability_mark
from .surfaces import NoisyQuadratic
from .views import DescentViews

__all__ = ["Param", "SchedulePanel", "DescentPanel", "schedule_panel", "descent_panel", "stability_mark",
           "projector", "PLAY_INTERVAL", "VIEW_SIZE", "NOISE_RUNS"]

#: How many draws of the noise the "mean of many draws" view averages.
NOISE_RUNS = 50
#: The smoothing of the "smoothed minibatch loss" a plateau panel can feed its rule.
SIGNAL_SMOOTHING = 0.9
#: The colour of the panel's run in every view.
RUN_COLOUR = {"run": "#d62728"}


def _controls(params, presets, on_change) -> Controls:
    if not isinstance(params, dict) or not params:
        raise TypeError(f"params must be a non-empty dict of name -> Param, got {params!r}")
    for name, p in params.items():
        if not isinstance(p, Param):
            raise TypeError(f"params[{name!r}] must be a Param, got {p!r}")
    return Controls(params, on_change, presets)


def _build_check(build):
    if not callable(build):
        raise TypeError(f"build must be a function of the parameters returning a schedule, got {build!r}")
    return build


class _Panel(Dashboard):
    """What both panels share: the parameters' controls, ``values``, ``set()``."""

    controls: Controls

    sliders = property(lambda self: self.controls.widgets, doc="{name: slider} of the schedule's parameters")
    params = property(lambda self: self.controls.params, doc="{name: Param}")
    preset_buttons = property(lambda self: self.controls.buttons, doc="the preset buttons")

    @property
    def values(self) -> dict:
        """The schedule's parameters as the sliders hold them (values set from Python exactly)."""
        return self.controls.values

    def set(self, **values):
        """Move sliders from code (as a preset button does) and update the views once."""
        self.controls.set(**values)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {', '.join(self.controls.widgets)}>"


class SchedulePanel(_Panel):
    """Sliders for a schedule's parameters and its live LR curve. Build with :func:`schedule_panel`."""

    def __init__(self, build, params, steps=200, presets=None, reference=None, title=None, xlabel="step t"):
        self.build = _build_check(build)
        if not isinstance(xlabel, str):
            raise TypeError(f"xlabel must be a string, got {xlabel!r}")
        self.steps = check.integer("steps", steps, 1)
        self.t = np.arange(self.steps)
        self.controls = _controls(params, presets, lambda _name: self.update())
        self.view = Canvas(size=(6.0, 3.0))
        ax = self.view.ax
        (self.line,) = self.view.add("data", ax.plot(self.t, np.zeros(self.steps), lw=2, label="schedule")[0])
        if reference is not None:
            ref = as_schedule(reference, "reference")
            ax.plot(self.t, ref(self.t), "--", color="0.5", lw=1.2, label=f"reference: {viz.short_label(ref)}")
            self._reference_max = float(ref(self.t).max())
        else:
            self._reference_max = 0.0
        self.view.xlabel(xlabel)
        ax.set_ylabel("learning rate", fontsize=self.view.font(10))
        ax.set_xlim(0, self.steps - 1)
        self.view.fig.subplots_adjust(left=0.12)
        self.strip = ViewStrip(lambda: [self.view])
        self.title = W.HTML(f"<b>{title}</b>" if title else "")
        self.status = W.Label()
        self.widget = W.VBox([self.title, W.HBox([W.VBox(list(self.sliders.values()) + self.preset_buttons),
                                                  self.strip.widget], layout=W.Layout(flex_flow="row wrap")),
                              self.status])
        self.update()

    def _legend(self, label, top):
        # The legend names the schedule (it changes with the sliders): part of the background state.
        def apply(state):
            self.line.set_label(state[0])
            self.view.ax.set_ylim(0, state[1])
            self.view.ax.legend(loc="upper right", fontsize=self.view.font(7))
        self.view.set_state((label, top), apply)

    def update(self):
        """Rebuild the schedule from the sliders and redraw its curve."""
        try:
            self.schedule = as_schedule(self.build(**self.values))
        except (TypeError, ValueError) as error:  # an impossible combination: say so, clear the curve
            self.schedule, self.error = None, str(error)
            self.line.set_ydata(np.full(self.steps, np.nan))
            self._legend("(no valid schedule)", self.view.ax.get_ylim()[1])
            self.view.draw_data()
            self.strip.show()
            self.status.value = f"not a valid schedule: {error}"
            return
        self.error = None
        lrs = self.schedule(self.t)
        self.line.set_ydata(lrs)
        top = max(float(lrs.max()), self._reference_max)
        self._legend(viz.short_label(self.schedule), 1.3 * top if top > 0 else 1.0)  # room for the legend
        self.view.draw_data()
        self.strip.show()
        self.status.value = f"{self.schedule!r}   ·   lr(0) = {fmt(lrs[0])}, lr({self.steps - 1}) = {fmt(lrs[-1])}"


class DescentPanel(_Panel, Animated):
    """Sliders, a Play button and three linked views of a descent. Build with :func:`descent_panel`."""

    def __init__(self, surface, build, params, steps=100, method="gd", start=None, presets=None,
                 marks=None, title=None, mean=False, signal="exact", signal_noise=0.3, **descend_kwargs):
        self.surface = check.surface("surface", surface)
        self.build = _build_check(build)
        self.steps = check.steps_count("steps", steps, 1, 10_000, "a panel redraws its run at every slider move; "
                                       "more than 10000 steps would make every move slow")
        self.method, self.start, self.descend_kwargs = method, start, dict(descend_kwargs)
        self.marks = dict(marks or {})
        limit = stability_mark(surface, method, descend_kwargs.get("momentum", 0.9))
        if limit is not None:
            self.marks = {limit[0]: limit[1], **self.marks}
        for label, value in self.marks.items():
            check.positive(f"marks[{label!r}]", value)
        self.controls = _controls(params, presets, lambda _name: self.update())
        # A noisy problem gets a second set of controls: which draw of the noise, and whether to
        # add the mean and spread of many draws. They change the picture, not the schedule.
        self.noisy = bool(getattr(surface, "noise_std", 0))
        seed = check.integer("seed", self.descend_kwargs.pop("seed", 0), 0)
        self.signal_noise = check.positive("signal_noise", signal_noise)
        signal = check.choice("signal", signal, ("exact", "noisy", "smoothed"))
        options = {}
        if self.noisy:
            options["seed"] = Param(0, max(99, seed), value=seed, integer=True, label="noise draw (seed)")
            options["mean"] = Choice((("this draw only", False), (f"+ mean of {NOISE_RUNS} draws", True)),
                                     bool(mean), label="show")
        if self._plateau_panel():
            # What the plateau rule measures: the exact loss, or a minibatch's noisy estimate of it, raw
            # or smoothed (the metric's noise is drawn apart: the gradient noise stays the same).
            options["signal"] = Choice(
                (("loss (exact, as a large held-out set)", "exact"),
                 (f"minibatch loss (noise {self.signal_noise:g})", "noisy"),
                 (f"smoothed minibatch loss (EMA {SIGNAL_SMOOTHING:g})", "smoothed")), signal, label="plateau fed")
        self.options = Controls(options, lambda _name: self.update(), width="360px")
        self.frame = self.steps
        self.views = DescentViews(self.surface, RUN_COLOUR)
        self.loss_floor = float(self.surface.value(self.surface.minimum))
        self.player = Player(self.steps, self.show_frame)
        self.strip = ViewStrip(lambda: self.views.canvases, lambda: self.views.marks())
        self.strip.follow(self.player.slider)  # frames are drawn in the browser, from the marks sent
        self.title = W.HTML(f"<b>{title}</b>" if title else "")
        self.status = W.Label()
        rows = list(self.sliders.values()) + ([W.HBox(self.preset_buttons)] if self.preset_buttons else [])
        if self.options.widgets:
            rows.append(W.HBox(list(self.options.widgets.values()), layout=W.Layout(flex_flow="row wrap")))
        self.widget = W.VBox([self.title, W.VBox(rows), self.player.widget, self.strip.widget, self.status])
        self.update()

    @property
    def seed(self) -> int:
        return self.options.values.get("seed", 0)

    @property
    def signal_kwargs(self) -> dict:
        """What :func:`lrlab.descend` is told to feed a plateau rule (the "plateau fed" menu)."""
        signal = self.options.values.get("signal", "exact")
        return {"metric_noise": 0.0 if signal == "exact" else self.signal_noise,
                "metric_smoothing": SIGNAL_SMOOTHING if signal == "smoothed" else 0.0}

    def _plateau_panel(self) -> bool:
        try:
            return is_plateau(self.build(**self.values))
        except (TypeError, ValueError):
            return False

    def set(self, **values):
        """Move sliders from code (as a preset button does) and update the views once.

        On a noisy problem, ``seed`` (the noise draw) and ``mean`` (True: add the mean and spread
        of many draws) are set the same way.
        """
        options = {k: values.pop(k) for k in list(values) if k in self.options.widgets}
        self.options.assign(**options)
        self.controls.set(**values)

    # -- reacting to the controls ------------------------------------------------------

    def _descend(self, schedule, start, seed):
        return descend(self.surface, schedule, start=start, steps=self.steps, method=self.method, seed=seed,
                       **self.signal_kwargs, **self.descend_kwargs)

    def update(self):
        """Rebuild the schedule from the sliders, rerun the descent, redraw the changed views."""
        marks = tuple((value, label) for label, value in self.marks.items())
        try:
            schedule = self.build(**self.values)
            schedule = schedule if is_plateau(schedule) else as_schedule(schedule)
            run = self._descend(schedule, self.start, self.seed)
        except (TypeError, ValueError) as error:
            # An impossible combination: no run belongs to these sliders. The views are emptied and
            # every frame (Play, the step slider) shows the message, until a valid combination is set.
            self.schedule = self.run = self.draws = None
            self.error = str(error)
            self.views.loss.set_band("run")
            self.views.loss.set_reference()
            self.views.loss.set_seen()
            self.views.loss.stamps.clear()
            self.views.clear(self.steps, marks)
            self.show_frame(self.frame)
            self.strip.show()
            return
        self.schedule, self.run, self.error = schedule, run, None
        self.gaps = run.losses - self.loss_floor
        extra = self._noise_views(schedule, run)
        self.views.show_runs({"run": run}, self.steps, self.loss_floor, marks, extra_losses=extra)
        self.show_frame(self.frame)
        self.strip.show()

    def _noise_views(self, schedule, run) -> list:
        """The mean and spread of many draws, and the exact expected loss, where asked and known."""
        loss, extra = self.views.loss, []
        loss.stamps.clear()
        self.draws = None
        if self.noisy and self.options.values["mean"]:
            start = np.asarray(self.surface.start if self.start is None else self.start, dtype=np.float64)
            draws = self._descend(schedule, np.repeat(start[None], NOISE_RUNS, axis=0), self.seed + 1)
            # A draw that diverged counts as infinitely bad from there on (its losses stop: NaN).
            gaps = np.where(np.isnan(draws.losses), np.inf, draws.losses - self.loss_floor)
            low, high = np.quantile(gaps, [0.1, 0.9], axis=1, method="nearest")
            with np.errstate(invalid="ignore"):
                self.draws = gaps.mean(axis=1)
            t = np.arange(len(gaps))
            loss.set_band("run", t, low, high, self.draws)
            extra += [low, high]
            loss.stamps["band"] = (f"thick: mean of {NOISE_RUNS} draws, band: 80% of them", RUN_COLOUR["run"],
                                   (0.97, 0.96))
        else:
            loss.set_band("run")
        theory = None
        if isinstance(self.surface, NoisyQuadratic) and self.method == "gd" and self.start is None:
            if is_plateau(schedule):  # ReduceOnPlateau: no closed form, but lr0's floor
                floor = self.surface.stationary_loss(run.lrs[0]) if run.lrs.size else None
                if floor is not None and np.isfinite(floor):
                    theory = (np.full(self.steps + 1, floor), f"noise floor of lr0 = {fmt(run.lrs[0])}")
            elif not run.diverged:
                expected = self.surface.expected_loss(run.lrs)
                theory = (expected - self.loss_floor, "exact expected loss")
        fed = self.options.values.get("signal", "exact")
        if run.metrics is not None and fed != "exact":
            loss.set_seen(np.arange(1, len(run.metrics) + 1), run.metrics - self.loss_floor)
            loss.stamps["seen"] = (f"grey: the {'smoothed ' if fed == 'smoothed' else ''}minibatch loss the rule saw",
                                   "0.35", (0.97, 0.96 - 0.08 * ("band" in loss.stamps)))
        else:
            loss.set_seen()
        if theory is not None:
            loss.set_reference(np.arange(self.steps + 1), theory[0])
            loss.stamps["theory"] = (f"- - {theory[1]}", "black", (0.97, 0.96 - 0.08 * len(loss.stamps)))
            extra.append(theory[0])
        else:
            loss.set_reference()
        return extra

    def show_frame(self, i: int):
        """Show the run as it stood after i updates: the status line, and the markers of the still
        picture (the page draws its frames itself, from the marks :meth:`update` sent)."""
        self.frame = int(i)
        run = self.run
        self.views.show_frame(self.frame)
        if run is None:  # the sliders form no valid schedule: nothing to show but why
            self.status.value = f"step {self.frame} of {self.steps} · not a valid schedule: {self.error}"
            return
        k = min(self.frame, run.stopped_at)
        j = min(k, len(run.lrs) - 1)
        state = f"step {k} of {self.steps} · loss {run.losses[k]:.2g} · lr {fmt(run.lrs[j])}"
        if run.diverged:
            state += f" · diverged at step {run.stopped_at}"
        if self.draws is not None:
            state += f" · mean of {NOISE_RUNS} draws {self.draws[k] + self.loss_floor:.2g}"
        self.status.value = state


def schedule_panel(build, params, steps=200, presets=None, reference=None, title=None, xlabel="step t") -> SchedulePanel:
    """Sliders for a schedule's parameters and its live LR curve.

    build      a function of the parameters (by name) returning an lrlab schedule,
    params     {name: Param(...)}, one slider per parameter,
    steps      the steps t = 0 .. steps−1 drawn,
    presets    {"button label": {name: value, ...}}: buttons that set sliders,
    reference  a fixed schedule drawn dashed for comparison,
    title      a heading shown above the panel,
    xlabel     what the x axis counts (e.g. "optimizer update j" where that is not the schedule's step).
    """
    return SchedulePanel(build, params, steps=steps, presets=presets, reference=reference, title=title,
                         xlabel=xlabel)


def descent_panel(surface, build, params, steps=100, method="gd", start=None, presets=None, marks=None,
                  title=None, mean=False, signal="exact", signal_noise=0.3, **descend_kwargs) -> DescentPanel:
    """Sliders, Play and three linked views (path on the contour map, loss, learning rate).

    surface         an lrlab surface,
    build           a function of the parameters returning a schedule, a number, or a ReduceOnPlateau,
    params          {name: Param(...)}, one slider per parameter,
    steps, method, start, **descend_kwargs   passed to :func:`lrlab.descend` (``seed``: the first
                    noise draw on a noisy problem),
    presets         {"button label": {name: value, ...}}, e.g. the optimal rate where theory gives one,
    marks           {"label": rate}: horizontal lines on the LR view (on a quadratic, the method's
                    stability limit is added: 2/L for gd, see :func:`stability_mark`),
    title           a heading shown above the panel,
    mean            on a noisy problem, start with the mean and spread of many draws shown.
    On a noisy problem the panel has a "noise draw" slider and a "show" menu (this draw only, or
    with the mean of many draws and a band holding 80% of them); on the noisy quadratic with
    gradient descent the loss view also draws the exact expected loss (for ReduceOnPlateau,
    whose rates follow the run, the noise floor of its first rate).
    signal          where ``build`` gives a ReduceOnPlateau, what it is fed first: "exact" (the
                    loss), "noisy" (the loss plus N(0, signal_noise²) noise, as one minibatch
                    measures it) or "smoothed" (that, smoothed by an EMA of 0.9); the panel's
                    "plateau fed" menu switches it, and the loss view draws what the rule saw.
    """
    return DescentPanel(surface, build, params, steps=steps, method=method, start=start, presets=presets,
                        marks=marks, title=title, mean=mean, signal=signal, signal_noise=signal_noise,
                        **descend_kwargs)
