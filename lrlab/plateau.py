"""ReduceOnPlateau: the one stateful schedule, which watches a metric and cuts the rate.

Unlike the schedules in :mod:`lrlab.schedules`, the rate here depends on what the run
has seen, so it is an object with state that changes when you call :meth:`step`. The
state is public (``best``, ``num_bad_steps``, ``cooldown_left``, ``lr``) so that a
chapter can print it step by step, and :meth:`reset` and :meth:`copy` make sure a fresh
run never inherits an old run's state.
"""

from __future__ import annotations

import copy as _copy
import math
import numbers

import numpy as np

from . import _validate as check

__all__ = ["ReduceOnPlateau", "is_plateau"]


class ReduceOnPlateau:
    """Multiply the rate by factor when the metric has not improved for patience steps.

    After each step the metric m is compared with the best value seen so far:
      improved  (mode "min", threshold_mode "rel"):  m < best · (1 − threshold)
                (mode "min", threshold_mode "abs"):  m < best − threshold
                (mode "max", threshold_mode "rel"):  m > best · (1 + threshold)
                (mode "max", threshold_mode "abs"):  m > best + threshold
    An improvement sets best = m and bad steps to 0; anything else adds a bad step.
    During a cooldown, bad steps are not counted. When bad steps exceed patience
    (patience + 1 bad steps in a row), lr becomes max(lr · factor, min_lr), bad steps go
    back to 0 and a cooldown of ``cooldown`` steps starts. A cut smaller than eps is skipped.

    Parameters: lr0 > 0 the starting rate; factor in (0, 1) the cut; patience >= 0 the bad
    steps tolerated; threshold >= 0 the smallest change that counts as an improvement;
    threshold_mode "rel" or "abs"; cooldown >= 0 steps to wait after a cut; min_lr in
    [0, lr0] the floor; mode "min" (a loss) or "max" (an accuracy); eps >= 0.

    Negative metrics: the relative test (the default, as in PyTorch) multiplies ``best`` by
    (1 − threshold); when best < 0 that lies *above* best, so a metric equal to best counts as an
    improvement and a flat negative metric never cuts the rate (PyTorch behaves the same). Feed a
    metric that is positive, such as the gap f − f* to the lowest possible loss, or use
    ``threshold_mode="abs"``, for a loss that can be negative (the several-basins surface).

    Agrees with PyTorch's ``ReduceLROnPlateau``, metric for metric. Keras' callback cuts
    after ``patience`` bad steps, PyTorch (and lrlab) after ``patience + 1``; Keras' cooldown
    is one step shorter too (its ``cooldown=1`` has no effect). Chapter 06 shows both.

    >>> p = ReduceOnPlateau(lr0=0.1, factor=0.5, patience=1)
    >>> for loss in [1.0, 0.9, 0.95, 0.95, 0.95, 0.8]:
    ...     lr = p.step(loss)
    ...     print(f"loss {loss:.2f}  best {p.best:.2f}  bad {p.num_bad_steps}  lr {lr:.3f}")
    loss 1.00  best 1.00  bad 0  lr 0.100
    loss 0.90  best 0.90  bad 0  lr 0.100
    loss 0.95  best 0.90  bad 1  lr 0.100
    loss 0.95  best 0.90  bad 0  lr 0.050
    loss 0.95  best 0.90  bad 1  lr 0.050
    loss 0.80  best 0.80  bad 0  lr 0.050
    >>> flat = [ReduceOnPlateau(0.1, patience=1, threshold_mode=m) for m in ("rel", "abs")]
    >>> [[p.step(-1.2) for _ in range(4)][-1] for p in flat]  # a flat negative loss: rel never cuts
    [0.1, 0.010000000000000002]
    """

    MODES = ("min", "max")
    THRESHOLD_MODES = ("rel", "abs")

    def __init__(
        self,
        lr0,
        factor=0.1,
        patience=10,
        threshold=1e-4,
        threshold_mode="rel",
        cooldown=0,
        min_lr=0.0,
        mode="min",
        eps=1e-8,
    ):
        self.lr0 = check.positive("lr0", lr0)
        self.factor = check.in_interval("factor", factor, 0.0, 1.0, low_open=True, high_open=True)
        self.patience = check.integer("patience", patience, 0)
        self.threshold = check.nonnegative("threshold", threshold)
        self.threshold_mode = check.choice("threshold_mode", threshold_mode, self.THRESHOLD_MODES)
        self.cooldown = check.integer("cooldown", cooldown, 0)
        self.min_lr = check.nonnegative("min_lr", min_lr)
        if self.min_lr > self.lr0:
            raise ValueError(f"min_lr must not exceed lr0 ({self.lr0!r}), got min_lr={self.min_lr!r}")
        self.mode = check.choice("mode", mode, self.MODES)
        self.eps = check.nonnegative("eps", eps)
        self.reset()

    # -- state ------------------------------------------------------------------------

    def reset(self) -> "ReduceOnPlateau":
        """Forget everything seen: back to lr0, no best value, no bad steps, no cooldown."""
        self.lr = self.lr0
        self.best = math.inf if self.mode == "min" else -math.inf
        self.num_bad_steps = 0
        self.cooldown_left = 0
        self.steps = 0
        self.num_reductions = 0
        return self

    def copy(self) -> "ReduceOnPlateau":
        """An independent copy, state included (``fresh()`` gives one with no state)."""
        return _copy.copy(self)

    def fresh(self) -> "ReduceOnPlateau":
        """A copy with the same settings and no state, as if just built."""
        return self.copy().reset()

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_left > 0

    def state(self) -> dict:
        """The state as a dict, for trace tables."""
        return {
            "steps": self.steps,
            "best": self.best,
            "num_bad_steps": self.num_bad_steps,
            "cooldown_left": self.cooldown_left,
            "lr": self.lr,
        }

    # -- the rule ---------------------------------------------------------------------

    def is_improvement(self, metric: float) -> bool:
        """Whether ``metric`` beats the best value by more than the threshold."""
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return metric < self.best * (1.0 - self.threshold)
            return metric < self.best - self.threshold
        if self.threshold_mode == "rel":
            return metric > self.best * (self.threshold + 1.0)
        return metric > self.best + self.threshold

    def step(self, metric) -> float:
        """Feed the metric measured after a step; return the rate for the next step."""
        if not isinstance(metric, (numbers.Real, np.floating, np.integer)) or isinstance(metric, (bool, np.bool_)):
            raise TypeError(f"metric must be a real number, got {metric!r} ({type(metric).__name__})")
        metric = float(metric)
        self.steps += 1
        if self.is_improvement(metric):
            self.best = metric
            self.num_bad_steps = 0
        else:
            self.num_bad_steps += 1
        if self.in_cooldown:
            self.cooldown_left -= 1
            self.num_bad_steps = 0
        if self.num_bad_steps > self.patience:
            new_lr = max(self.lr * self.factor, self.min_lr)
            if self.lr - new_lr > self.eps:
                self.lr = new_lr
                self.num_reductions += 1
            self.cooldown_left = self.cooldown
            self.num_bad_steps = 0
        return self.lr

    def __repr__(self):
        settings = (
            f"lr0={self.lr0!r}, factor={self.factor!r}, patience={self.patience!r}, threshold={self.threshold!r}, "
            f"threshold_mode={self.threshold_mode!r}, cooldown={self.cooldown!r}, min_lr={self.min_lr!r}, "
            f"mode={self.mode!r}, eps={self.eps!r}"
        )
        state = (
            f"lr={self.lr!r}, best={self.best!r}, num_bad_steps={self.num_bad_steps}, "
            f"cooldown_left={self.cooldown_left}, steps={self.steps}"
        )
        return f"<ReduceOnPlateau({settings}) state: {state}>"


def is_plateau(value) -> bool:
    """Whether ``value`` is a ReduceOnPlateau: a rate that depends on the metrics a run feeds it,
    with no closed form in the step (so it cannot be tabled or drawn before the run).

    >>> is_plateau(ReduceOnPlateau(0.1)), is_plateau(0.1)
    (True, False)
    """
    return isinstance(value, ReduceOnPlateau)
