"""The descent loop: gradient descent, momentum, Nesterov, Adam and schedule-free SGD under a schedule.

:func:`descend` runs one run, or many at once (a grid of start points, or one schedule per
run for a hyperparameter sweep) through a single vectorized loop over steps. Divergence is
an outcome, not a crash: a run whose iterate becomes non-finite or explodes stops, is
marked ``diverged``, and no overflow warning escapes. :func:`lr_range_test` is the LR range
test built on top of it.

The loop is generic: the update rules are data (:mod:`lrlab.rules`, where their formulas are,
PyTorch's operation for operation), the rates come from one rate plan
(:func:`lrlab.rules.rate_plan`), and the stopped runs are kept by :class:`lrlab.rules.Stops`,
the same pieces :func:`lrlab.network.train_mlp` uses. With x_t the point a run reports after t
updates and lr_t = schedule(t), update t takes the gradient at the rule's query point (x_t
itself but for schedule-free SGD, which queries y_t) and moves x_t to x_{t+1}.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check
from .rules import METHODS, Stops, check_betas, make_rule, rate_plan

__all__ = ["METHODS", "BLOWUP_FACTOR", "Trajectory", "descend", "LRRangeResult", "lr_range_test", "read_range_test"]

#: A run counts as diverged once its distance to the minimum exceeds this many times
#: (1 + its starting distance), or once its iterate or loss stops being finite.
BLOWUP_FACTOR = 1e6


@dataclass(frozen=True, eq=False)
class Trajectory:
    """What a descent run did.

    For a single run (``start`` of shape (2,)) the arrays stop where the run stopped:
      points      (k+1, 2)  x_0 ... x_k, where k = stopped_at,
      losses      (k+1,)    f(x_0) ... f(x_k),
      lrs         (k,)      the rate used by each update,
      grad_norms  (k,)      the norm of the gradient each update used,
      diverged    bool,     whether the run blew up (then x_k is the first bad iterate),
      stopped_at  int,      the number of updates done (``steps`` unless it diverged),
      metrics     (k,)      what a ReduceOnPlateau was fed after each update (None without one).
    For a batch of n runs, every array has a run axis after the step axis and is padded
    with NaN after each run stopped: points (steps+1, n, 2), losses (steps+1, n),
    lrs, grad_norms and metrics (steps, n), diverged and stopped_at of shape (n,).
    """

    points: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    grad_norms: np.ndarray
    diverged: bool | np.ndarray
    stopped_at: int | np.ndarray
    method: str
    steps: int
    plateaus: tuple = field(default=(), repr=False)
    metrics: np.ndarray | None = field(default=None, repr=False)

    @property
    def batched(self) -> bool:
        return self.points.ndim == 3

    @property
    def final_point(self) -> np.ndarray:
        """The last iterate of each run (the first bad one for a diverged run)."""
        if not self.batched:
            return self.points[-1]
        return self.points[self.stopped_at, np.arange(self.points.shape[1])]

    @property
    def final_loss(self):
        """The loss at the last iterate of each run (inf for a diverged run)."""
        if not self.batched:
            return math.inf if self.diverged else float(self.losses[-1])
        last = self.losses[self.stopped_at, np.arange(self.losses.shape[1])]
        return np.where(self.diverged, np.inf, last)

    def run(self, i: int) -> Trajectory:
        """Run i of a batch, as :func:`descend` returns a single run (its arrays cut where it stopped)."""
        if not self.batched:
            raise ValueError("run(i) takes one run out of a batch; this trajectory is a single run")
        k = int(self.stopped_at[i])
        return Trajectory(points=self.points[: k + 1, i], losses=self.losses[: k + 1, i], lrs=self.lrs[:k, i],
                          grad_norms=self.grad_norms[:k, i], diverged=bool(self.diverged[i]), stopped_at=k,
                          method=self.method, steps=self.steps,
                          plateaus=self.plateaus[i:i + 1] if self.plateaus else (),
                          metrics=None if self.metrics is None else self.metrics[:k, i])

    def __repr__(self):
        if self.batched:
            n = self.points.shape[1]
            return (
                f"Trajectory(method={self.method!r}, runs={n}, steps={self.steps}, "
                f"diverged={int(np.sum(self.diverged))} of {n})"
            )
        return (
            f"Trajectory(method={self.method!r}, steps={self.steps}, stopped_at={self.stopped_at}, "
            f"diverged={self.diverged}, final_loss={self.final_loss:.6g})"
        )


def _start_points(surface, start):
    surface = check.surface("surface", surface)
    if start is None:
        start = surface.start
    try:
        x = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"start must be a point (x, y) or an array of shape (n, 2), got {start!r}") from None
    if x.ndim not in (1, 2) or x.shape[-1] != 2:
        raise ValueError(f"start must have shape (2,) or (n, 2), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"start must be finite, got {start!r}")
    return x


def descend(
    surface,
    schedule,
    start=None,
    steps=100,
    method="gd",
    momentum=0.9,
    betas=(0.9, 0.999),
    eps=1e-8,
    seed=0,
    metric_noise=0.0,
    metric_smoothing=0.0,
) -> Trajectory:
    """Run gradient descent (or momentum, Nesterov, Adam) on a surface under a schedule.

    surface   an :mod:`lrlab.surfaces` surface (anything with ``value``, ``grad``, ``minimum``
              and ``start``),
    schedule  a positive number (a constant rate), an lrlab schedule, a ReduceOnPlateau (a
              fresh copy is fed the loss after every step; the object passed in is not
              changed), a list with one schedule, number or ReduceOnPlateau per run, or an
              array of rates of shape (steps,) or (steps, runs) (see :func:`lrlab.rules.rate_plan`),
    start     a point (2,), or (n, 2) for n runs at once; default ``surface.start``,
    steps     the number of updates, from 1 to 100000 (``MAX_STEPS``: every step is stored, and
              10**5 steps already take seconds), with steps × runs at most 10**7,
    method    "gd", "momentum", "nesterov" or "adam" (PyTorch's SGD, SGD(momentum),
              SGD(momentum, nesterov=True), Adam), or "schedule_free" (schedule-free SGD:
              the gradient is taken at an interpolation y of the fast iterate z and the
              average x; the run reports x; the formulas are in :mod:`lrlab.rules`),
    momentum  μ in [0, 1) for "momentum" and "nesterov"; β (the interpolation) for
              "schedule_free",
    betas     (β1, β2), each in [0, 1), and eps > 0: Adam's constants,
    seed      seeds the generator for the gradient noise of a noisy surface,
    metric_noise, metric_smoothing
              what a ReduceOnPlateau is fed after each update: the loss itself by default (as a
              large held-out set would measure it); with ``metric_noise`` σ_m > 0, the loss plus
              N(0, σ_m²) noise (as one minibatch measures it), drawn from a generator of its own
              (seeded by ``seed``: the gradient noise stays the same); with ``metric_smoothing``
              s in (0, 1), that signal smoothed by an exponential moving average
              m_t = s·m_{t−1} + (1 − s)·signal_t, bias-corrected (m_t / (1 − s^(t+1))). The
              trajectory's ``metrics`` holds what was fed.

    Runs are batched when ``start`` is (n, 2) or the schedule gives one rate per run; the
    loop is vectorized over runs, and a run that diverges stops without stopping the rest.

    >>> from lrlab.surfaces import quadratic_bowl
    >>> run = descend(quadratic_bowl(), 0.5, start=(4.0, -2.0), steps=3)
    >>> run.points.round(3).tolist()
    [[4.0, -2.0], [2.0, -1.0], [1.0, -0.5], [0.5, -0.25]]
    >>> descend(quadratic_bowl(), 2.5, steps=100).diverged
    True
    """
    steps = check.steps_count("steps", steps, 1)
    method = check.choice("method", method, METHODS)
    momentum = check.in_interval("momentum", momentum, 0.0, 1.0, low_open=False, high_open=True)
    if method == "nesterov" and momentum == 0:
        raise ValueError("momentum must be positive for method='nesterov', got 0.0")
    check_betas(betas)
    eps = check.positive("eps", eps)
    seed = check.integer("seed", seed, 0)
    metric_noise = check.in_interval("metric_noise", metric_noise, 0.0, math.inf, low_open=False, high_open=True)
    metric_smoothing = check.in_interval("metric_smoothing", metric_smoothing, 0.0, 1.0, low_open=False,
                                         high_open=True)

    x0 = _start_points(surface, start)
    plan = rate_plan(schedule, steps)
    single = x0.ndim == 1 and plan.runs == 1
    x = np.atleast_2d(x0)
    if x.shape[0] == 1 and plan.runs > 1:
        x = np.repeat(x, plan.runs, axis=0)
    n = x.shape[0]
    if plan.runs not in (1, n):
        raise ValueError(f"the schedule gives rates for {plan.runs} runs but start holds {n} points")
    if steps * n > check.MAX_STEP_CELLS:
        raise ValueError(
            f"steps × runs must be at most {check.MAX_STEP_CELLS}, got steps={steps} × {n} runs: every point of "
            "every run is stored; use fewer steps or fewer start points"
        )
    plan = plan.for_runs(n)
    rule = make_rule(method, momentum, betas, eps)

    rng = np.random.default_rng(seed)
    minimum = np.asarray(surface.minimum, dtype=np.float64)
    with np.errstate(all="ignore"):  # a huge start gives an infinite limit: the loss test still holds
        limit = BLOWUP_FACTOR * (1.0 + np.linalg.norm(x - minimum, axis=-1))
        limit_sq = limit**2

    points = np.full((steps + 1, n, 2), np.nan)
    losses = np.full((steps + 1, n), np.nan)
    lrs = np.full((steps, n), np.nan)
    grad_norms = np.full((steps, n), np.nan)
    metrics = np.full((steps, n), np.nan) if plan.adaptive else None
    metric_rng = np.random.default_rng((seed, 1))  # the metric's own noise: the gradient noise is unchanged
    average = np.zeros(n)
    stops = Stops(n, steps)

    with np.errstate(all="ignore"):  # overflow in a diverging run is an outcome, handled below
        state = rule.init(x)
        points[0] = rule.report(x, state)
        losses[0] = surface.value(points[0])
        for t in range(steps):
            lr = plan.rates(t)
            g = surface.grad(rule.query(x, state), rng=rng)
            x, state = rule.update(g, state, x, lr, t)
            x_seen = rule.report(x, state)
            loss_new = surface.value(x_seen)
            offset = x_seen - minimum
            # The loss is not finite when the iterate is not; the distance test catches blow-up.
            bad = ~(np.isfinite(loss_new) & (np.einsum("ij,ij->i", offset, offset) <= limit_sq))
            if stops.everyone_active:
                lrs[t] = lr
                grad_norms[t] = np.sqrt(np.einsum("ij,ij->i", g, g))
                points[t + 1] = x_seen
                losses[t + 1] = loss_new
            else:
                active = stops.active
                lrs[t, active] = lr[active]
                grad_norms[t, active] = np.linalg.norm(g[active], axis=-1)
                points[t + 1, active] = x_seen[active]
                losses[t + 1, active] = loss_new[active]
            if stops.stop(bad, t + 1) and not stops.active.any():
                break
            if not stops.everyone_active:
                # Park stopped runs at the minimum so they cost no overflow in later steps.
                x, state = stops.park(x, state, rule, minimum)
            if plan.adaptive:
                fed = loss_new + metric_noise * metric_rng.standard_normal(n) if metric_noise else loss_new
                if metric_smoothing:
                    average = metric_smoothing * average + (1.0 - metric_smoothing) * fed
                    fed = average / (1.0 - metric_smoothing ** (t + 1))
                metrics[t] = np.where(stops.active, fed, np.nan)
                plan.feed(fed, stops.active)
    stopped_at = stops.stopped_at
    diverged = stopped_at < steps
    # A run that blew up on its very last update stopped at `steps` too.
    with np.errstate(all="ignore"):
        diverged |= ~np.isfinite(losses[stopped_at, np.arange(n)]) | (
            np.linalg.norm(points[stopped_at, np.arange(n)] - minimum, axis=-1) > limit
        )
    plateaus = plan.used()
    if single:
        k = int(stopped_at[0])
        return Trajectory(
            points=points[: k + 1, 0],
            losses=losses[: k + 1, 0],
            lrs=lrs[:k, 0],
            grad_norms=grad_norms[:k, 0],
            diverged=bool(diverged[0]),
            stopped_at=k,
            method=method,
            steps=steps,
            plateaus=plateaus,
            metrics=None if metrics is None else metrics[:k, 0],
        )
    return Trajectory(points, losses, lrs, grad_norms, diverged, stopped_at, method, steps, plateaus, metrics)


# --------------------------------------------------------------------------- LR range test

RANGE_TEST_RULES = {
    "steepest": "the rate where the smoothed loss falls fastest against log(lr), before its minimum",
    "min/10": "a tenth of the rate at which the smoothed loss is lowest",
}


@dataclass(frozen=True, eq=False)
class LRRangeResult:
    """What an LR range test measured: rates tried, raw and smoothed losses, a suggestion.

    lrs, losses, smoothed  (k,) each: the rate of update i, the loss after it, and its
                           bias-corrected exponential moving average,
    suggested_lr           the rate the rule picks,
    rule, rule_text        the rule's name and what it means,
    stopped_early          True when the smoothed loss blew up before the last rate,
    skip_start             how many of the first rates the rule skipped (all are kept).
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggested_lr: float
    rule: str
    rule_text: str
    stopped_early: bool
    skip_start: int = 0

    def __repr__(self):
        skipped = f", skip_start={self.skip_start}" if self.skip_start else ""
        return (
            f"LRRangeResult(tried={len(self.lrs)} rates from {self.lrs[0]:.3g} to {self.lrs[-1]:.3g}, "
            f"suggested_lr={self.suggested_lr:.3g} by rule {self.rule!r}{skipped}, stopped_early={self.stopped_early})"
        )


def lr_range_test(
    surface,
    start=None,
    lr_min=1e-6,
    lr_max=10.0,
    steps=100,
    method="gd",
    smoothing=0.9,
    diverge_factor=4.0,
    rule="steepest",
    skip_start=0,
    seed=0,
    **descend_kwargs,
) -> LRRangeResult:
    """The LR range test: raise the rate exponentially each step and watch the loss.

    lr_i = lr_min · (lr_max / lr_min)^(i / (steps − 1)) for update i; the loss after each
    update is smoothed with a bias-corrected moving average
      a_i = β · a_{i−1} + (1 − β) · loss_i,   smoothed_i = a_i / (1 − β^(i+1)),  β = smoothing,
    and the test stops at the first i where smoothed_i > diverge_factor · min(smoothed_0..i)
    (that point is kept: it shows the blow-up) or when the run diverges. ``rule`` picks
    the suggested rate: "steepest" (where the smoothed loss falls fastest against log lr,
    before its minimum) or "min/10" (a tenth of the rate at the lowest smoothed loss).
    ``skip_start`` = s (less than ``steps``) leaves the first s rates out of that reading (the
    curve is returned whole): early on the smoothed loss averages only a few losses, and on
    noisy losses its steepest fall can be a fluke there. fastai's ``Recorder.plot`` skipped 10,
    Lightning's ``suggestion(skip_begin=10)`` does; the default 0 reads every rate. Smith,
    Cyclical Learning Rates for Training Neural Networks, 2017.

    The blow-up test compares ratios of losses, so it reads the gap f − f* to the loss at the
    surface's minimum (on the several-basins surface, whose losses are negative, f* < 0; on the
    other surfaces f* = 0 and the gap is the loss). The test refuses to suggest a rate (a
    ValueError that says why) when its reading is not valid: when the smoothed loss never fell
    below the loss at the start (lr_min is already too large: lower it), or when a loss lies
    below f* (a surface whose ``minimum`` is not its lowest point). See :func:`read_range_test`.

    >>> from lrlab.surfaces import quadratic_bowl
    >>> result = lr_range_test(quadratic_bowl(), lr_min=1e-3, lr_max=100.0, steps=80)
    >>> print(f"{len(result.lrs)} rates tried, up to {result.lrs[-1]:.2f}; suggested {result.suggested_lr:.3f}")
    65 rates tried, up to 11.24; suggested 0.123
    """
    lr_min = check.positive("lr_min", lr_min)
    if lr_min < 1e-12:
        raise ValueError(f"lr_min must be at least 1e-12, got {lr_min!r}: smaller rates move no float64 loss, "
                         "and the ramp's ratio lr_max/lr_min would overflow")
    lr_max = check.positive("lr_max", lr_max)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must exceed lr_min ({lr_min!r}), got lr_max={lr_max!r}")
    steps = check.steps_count("steps", steps, 2)
    smoothing = check.in_interval("smoothing", smoothing, 0.0, 1.0, low_open=False, high_open=True)
    diverge_factor = check.in_interval("diverge_factor", diverge_factor, 1.0, math.inf, low_open=True, high_open=True)
    rule = check.choice("rule", rule, tuple(RANGE_TEST_RULES))
    skip_start = check.integer("skip_start", skip_start, 0)
    if skip_start >= steps:
        raise ValueError(f"skip_start must be less than steps={steps} (it leaves the first skip_start of the "
                         f"{steps} rates out of the reading), got skip_start={skip_start!r}")
    x0 = _start_points(surface, start)
    if x0.ndim != 1:
        raise ValueError(f"start must be a single point (2,) for the LR range test, got shape {x0.shape}")

    ramp = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    run = descend(surface, ramp, start=x0, steps=steps, method=method, seed=seed, **descend_kwargs)
    k = run.stopped_at if not run.diverged else run.stopped_at - 1  # drop the non-finite end
    lrs, losses = run.lrs[:k], run.losses[1 : k + 1]
    if len(losses) == 0:
        raise ValueError(f"the run diverged at the first rate (lr_min={lr_min!r}) from start={x0.tolist()!r}; "
                         "lower lr_min (or start nearer the minimum)")
    with np.errstate(all="ignore"):
        floor = float(surface.value(surface.minimum))
    return read_range_test(lrs, losses, smoothing, diverge_factor, rule, run.diverged, skip_start,
                           start_loss=float(run.losses[0]), floor=floor)


def read_range_test(lrs, losses, smoothing, diverge_factor, rule, diverged, skip_start=0, *, start_loss=None,
                    floor=0.0) -> LRRangeResult:
    """Smooth an LR range test's losses, cut the curve where it blows up, and suggest a rate.

    The reading shared by :func:`lr_range_test` and :func:`lrlab.network.mlp_lr_range_test`:
    ``lrs`` and ``losses`` (finite, one per update, in ramp order), ``smoothing`` β,
    ``diverge_factor``, ``rule`` as in :func:`lr_range_test`; ``diverged`` says whether the
    run itself stopped on a non-finite value (then the test stopped early in any case);
    ``skip_start`` as in :func:`lr_range_test`. When the test blew up so early that the
    skip would leave only the blown-up point, the rule reads every point (the result's
    ``skip_start`` says which it did).

    ``floor`` is the lowest loss possible (0 for a loss that cannot be negative, f* on a surface
    whose minimum has f* ≠ 0): the blow-up test reads the gap, smoothed − floor >
    diverge_factor · (lowest smoothed so far − floor). ``start_loss`` is the loss before the
    first update (default: the first loss). The reading is refused, with a ValueError saying
    why, when it is not valid:
      - a loss lies below ``floor`` (the ratio test would then cut at once, or never);
      - the smoothed loss never fell below ``start_loss`` on the points read (by more than a
        relative 1e-9, a rounding): every rate tried
        made the loss rise (lr_min is already too large), or the loss stayed flat (lr_max is
        too small).
    And a rate at which the smoothed loss stood far above the start, smoothed − floor >
    diverge_factor · (start_loss − floor), is never suggested ("steepest" skips such points).
    """
    lrs = np.asarray(lrs, dtype=np.float64)
    losses = np.asarray(losses, dtype=np.float64)
    start_loss = float(losses[0]) if start_loss is None else float(start_loss)
    with np.errstate(all="ignore"):
        if np.any(losses < floor):
            raise ValueError(
                f"the LR range test reads the gap between the loss and its lowest possible value {floor:.6g}, "
                f"but a loss of {float(losses[losses < floor][0]):.6g} lies below it: the reading is not valid "
                "(on a surface, is `minimum` its lowest point?)"
            )
        smoothed = np.empty(len(losses))
        average = 0.0
        for i, loss in enumerate(losses):  # a short recurrence over the steps of one run
            average = smoothing * average + (1.0 - smoothing) * loss
            smoothed[i] = average / (1.0 - smoothing ** (i + 1))
        best_so_far = np.minimum.accumulate(smoothed)
        blown = ~np.isfinite(smoothed) | (smoothed - floor > diverge_factor * (best_so_far - floor))
    # Keep the first blown-up point: it is what the curve is read for.
    end = int(np.argmax(blown)) + 1 if blown.any() else len(smoothed)
    stopped_early = bool(blown.any() or diverged)
    lrs, losses, smoothed = lrs[:end], losses[:end], smoothed[:end]
    # The rule reads the points first .. end - 1; all of them if the skip would leave only the last.
    first = skip_start if skip_start < end - 1 else 0
    best = first + int(np.nanargmin(np.where(np.isfinite(smoothed[first:]), smoothed[first:], np.nan)))
    if not smoothed[best] - floor < (1.0 - 1e-9) * (start_loss - floor):  # a fall, not a rounding
        if stopped_early:
            fix = (f"it only rose, and blew up at lr = {lrs[end - 1]:.3g}: lr_min={float(lrs[0]):.3g} is already "
                   "too large for this problem; lower lr_min")
        else:
            fix = (f"it did not fall over the rates tried, {float(lrs[0]):.3g} to {float(lrs[-1]):.3g}: "
                   "raise lr_max")
        raise ValueError(
            f"no rate to suggest: the smoothed loss never fell below its starting value {start_loss:.4g} "
            f"(lowest {smoothed[best]:.4g}, at lr = {lrs[best]:.3g}); {fix}"
        )
    # A rate at which the smoothed loss stood far above the start (as far as a blow-up) is never suggested.
    sane = smoothed - floor <= diverge_factor * (start_loss - floor)
    if rule == "min/10":
        suggested = float(lrs[best]) / 10.0
    elif best - first < 2:
        suggested = float(lrs[first if sane[first] else best])
    else:
        with np.errstate(all="ignore"):
            slope = np.gradient(smoothed[first : best + 1], np.log(lrs[first : best + 1]))
        slope = np.where(sane[first : best + 1], slope, np.inf)
        suggested = float(lrs[first + int(np.argmin(slope))])
    return LRRangeResult(lrs, losses, smoothed, suggested, rule, RANGE_TEST_RULES[rule], stopped_early, first)
