"""The pieces every descent loop is built from: update rules, the rate plan, the stopping of runs.

:func:`lrlab.descend` (a point on a surface) and :func:`lrlab.network.train_mlp` (the weights of
a network) are the same loop: take a gradient, ask the rate plan for this update's rates, apply
the update rule, stop the runs that blew up. This module holds those three pieces, once.

Update rules as data
--------------------
An :class:`UpdateRule` is a pair of functions, in the manner of optax's
``GradientTransformation``, plus the two points a loop needs to read:

  init(params) -> state                                the rule's memory before update 0,
  update(grads, state, params, lr, t) -> (params, state)   update t (counted from 0),
  query(params, state) -> where the gradient of update t is taken,
  report(params, state) -> the point a run records, and tests for divergence,
  park(state, keep, home) -> the state with the stopped runs (keep False) reset.

Every array has a leading run axis: ``params`` is (runs, p) (a point on a surface, p = 2, or
the flat weight vector of a network), ``lr`` is (runs,), one rate per run; the rules are
vectorized over runs. A rule's hyperparameters are bound when it is built (:data:`RULES` maps
each method name to its builder; :func:`make_rule` builds one from :func:`lrlab.descend`'s
arguments). The loop is then the same for every rule::

    state = rule.init(x)
    for t in range(steps):
        g = grad(rule.query(x, state))
        x, state = rule.update(g, state, x, lr[t], t)
        record(rule.report(x, state))

For gradient descent, momentum, Nesterov and Adam the gradient is taken at the iterate, and the
iterate is what a run reports: ``query`` and ``report`` return ``params``. Schedule-free SGD
takes its gradient elsewhere: its ``params`` are the averaged iterate x (what it reports), its
state holds the fast iterate z, and ``query`` gives the interpolation y between them.

The rules are PyTorch's, operation for operation (the golden-value tests compare trajectories
with ``torch.optim`` at a relative tolerance of 1e-9). With g_t the gradient at the query point
of update t and lr_t the rate of update t:

  gd        x_{t+1} = x_t − lr_t · g_t                                   (SGD)
  momentum  b_t = μ · b_{t−1} + g_t  (b_0 = g_0),  x_{t+1} = x_t − lr_t · b_t
  nesterov  b_t as above,           x_{t+1} = x_t − lr_t · (g_t + μ · b_t)
  adam      m_t = β1 · m_{t−1} + (1 − β1) · g_t,  v_t = β2 · v_{t−1} + (1 − β2) · g_t²,
            x_{t+1} = x_t − lr_t / (1 − β1^(t+1)) · m_t / (√v_t / √(1 − β2^(t+1)) + ε)
  schedule_free  (Defazio et al., The Road Less Scheduled, 2024; SGDScheduleFree, with β = momentum)
            y_t = (1 − β) · z_t + β · x_t,  z_0 = x_0,  g_t = ∇f(y_t),  z_{t+1} = z_t − lr_t · g_t,
            x_{t+1} = (1 − c_{t+1}) · x_t + c_{t+1} · z_{t+1},  c_{t+1} = w_t / (w_0 + … + w_t),
            w_t = (max_{i≤t} lr_i)²  (c = 0 while every rate so far is 0);
            the points, losses and divergence test are those of x, the averaged iterate.

One rate plan
-------------
:func:`rate_plan` turns whatever a learner passes as ``schedule`` (a positive number, a schedule,
a :class:`~lrlab.plateau.ReduceOnPlateau`, an array of rates, or a list of these, one per run)
into a :class:`RatePlan`: a table of rates by step and run, and a fresh ReduceOnPlateau for each
run whose rate depends on what it sees. A loop asks the plan for the rates of update t
(:meth:`RatePlan.rates`) and feeds it the metric it measured (:meth:`RatePlan.feed`); it never
asks which kind of schedule it was given. :func:`lrlab.plateau.is_plateau` answers that question
for code that holds a schedule argument and no plan.

Stopping runs
-------------
A :class:`Stops` keeps, for a batch of runs, which still run, when each stopped and whether it
diverged; :meth:`Stops.park` moves the stopped runs to a resting point (and resets their rule
state) so that they cost no overflow in later steps. What counts as a blow-up is the caller's:
a surface tests the distance to its minimum, a network its loss.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _validate as check
from .plateau import is_plateau
from .schedules import as_schedule

__all__ = [
    "UpdateRule",
    "gd_rule",
    "momentum_rule",
    "nesterov_rule",
    "adam_rule",
    "schedule_free_rule",
    "RULES",
    "METHODS",
    "make_rule",
    "check_betas",
    "RatePlan",
    "rate_plan",
    "Stops",
]


# --------------------------------------------------------------------------- update rules


def _at_params(params, state):
    """The gradient is taken at, and the run reports, the iterate itself."""
    return params


def _zero_stopped(state, keep, home):
    """Reset the stopped runs' memory (every per-coordinate array of the state) to 0."""
    return {key: np.where(keep, value, 0.0) for key, value in state.items()}


@dataclass(frozen=True, eq=False)
class UpdateRule:
    """An update rule as data: how a run's iterate moves, given its gradient and its rate.

    name     the method's name, as :func:`lrlab.descend` takes it,
    init     init(params) -> state, the rule's memory (a dict of arrays) before update 0,
    update   update(grads, state, params, lr, t) -> (new params, new state): update t, counted
             from 0, with ``lr`` of shape (runs,),
    query    query(params, state) -> the point whose gradient update t uses (default: params),
    report   report(params, state) -> the point a run records and tests for divergence
             (default: params),
    park     park(state, keep, home) -> the state with the runs where ``keep`` (runs, 1) is
             False reset (default: every array of the state set to 0 there); ``home`` is
             where those runs' iterates are parked.

    Arrays have a leading run axis: params and grads (runs, p), lr (runs,). The formulas are
    in this module's docstring.
    """

    name: str
    init: Callable
    update: Callable
    query: Callable = _at_params
    report: Callable = _at_params
    park: Callable = _zero_stopped

    def __repr__(self):
        return f"UpdateRule({self.name!r})"


def gd_rule() -> UpdateRule:
    """Gradient descent (PyTorch's SGD): x_{t+1} = x_t − lr_t · g_t. No state."""

    def init(params):
        return {}

    def update(grads, state, params, lr, t):
        return params - lr[:, None] * grads, state

    return UpdateRule("gd", init, update)


def _heavy_ball(name: str, momentum: float, nesterov: bool) -> UpdateRule:
    def init(params):
        return {"buf": np.zeros_like(params)}

    def update(grads, state, params, lr, t):
        buf = grads.copy() if t == 0 else state["buf"] * momentum + grads
        direction = grads + momentum * buf if nesterov else buf
        return params - lr[:, None] * direction, {"buf": buf}

    return UpdateRule(name, init, update)


def momentum_rule(momentum=0.9) -> UpdateRule:
    """SGD with momentum μ in [0, 1) (PyTorch's rule):
    b_t = μ · b_{t−1} + g_t (b_0 = g_0),  x_{t+1} = x_t − lr_t · b_t. State: b."""
    momentum = check.in_interval("momentum", momentum, 0.0, 1.0, low_open=False, high_open=True)
    return _heavy_ball("momentum", momentum, nesterov=False)


def nesterov_rule(momentum=0.9) -> UpdateRule:
    """SGD with Nesterov momentum μ in (0, 1) (PyTorch's SGD(nesterov=True)):
    b_t as for momentum,  x_{t+1} = x_t − lr_t · (g_t + μ · b_t). State: b."""
    momentum = check.in_interval("momentum", momentum, 0.0, 1.0, low_open=True, high_open=True)
    return _heavy_ball("nesterov", momentum, nesterov=True)


def check_betas(betas) -> tuple[float, float]:
    """Adam's (β1, β2) checked: a pair (a tuple, list or array of two), each in [0, 1)."""
    if isinstance(betas, np.ndarray):
        betas = tuple(betas.tolist())
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    beta1 = check.in_interval("betas[0]", betas[0], 0.0, 1.0, low_open=False, high_open=True)
    beta2 = check.in_interval("betas[1]", betas[1], 0.0, 1.0, low_open=False, high_open=True)
    return beta1, beta2


def adam_rule(betas=(0.9, 0.999), eps=1e-8) -> UpdateRule:
    """Adam, in the order of torch.optim.Adam's single-tensor path. With (β1, β2) = betas:
    m_t = β1 · m_{t−1} + (1 − β1) · g_t,  v_t = β2 · v_{t−1} + (1 − β2) · g_t²,
    x_{t+1} = x_t − lr_t / (1 − β1^(t+1)) · m_t / (√v_t / √(1 − β2^(t+1)) + ε). State: m, v."""
    beta1, beta2 = check_betas(betas)
    eps = check.positive("eps", eps)

    def init(params):
        return {"m": np.zeros_like(params), "v": np.zeros_like(params)}

    def update(grads, state, params, lr, t):
        m = state["m"] + (1.0 - beta1) * (grads - state["m"])
        v = state["v"] * beta2 + (1.0 - beta2) * grads * grads
        step_size = lr[:, None] / (1.0 - beta1 ** (t + 1))
        denom = np.sqrt(v) / math.sqrt(1.0 - beta2 ** (t + 1)) + eps
        return params - step_size * (m / denom), {"m": m, "v": v}

    return UpdateRule("adam", init, update)


def schedule_free_rule(momentum=0.9) -> UpdateRule:
    """Schedule-free SGD with interpolation β = momentum in [0, 1) (Defazio et al., 2024).

    params are the averaged iterate x (what the run reports); the state holds the fast iterate
    z (z_0 = x_0), the largest rate so far and the sum of the weights w_i = (max_{j≤i} lr_j)².
    The gradient is taken at y_t = (1 − β) · z_t + β · x_t (``query``); then
    z_{t+1} = z_t − lr_t · g_t and x_{t+1} = x_t + c_{t+1} · (z_{t+1} − x_t) with
    c_{t+1} = w_t / (w_0 + … + w_t) (0 while every rate so far is 0).
    """
    beta = check.in_interval("momentum", momentum, 0.0, 1.0, low_open=False, high_open=True)

    def init(params):
        runs = params.shape[0]
        return {"z": params.copy(), "lr_peak": np.zeros(runs), "weight_sum": np.zeros(runs)}

    def query(params, state):
        return (1.0 - beta) * state["z"] + beta * params

    def update(grads, state, params, lr, t):
        z = state["z"] - lr[:, None] * grads
        lr_peak = np.maximum(state["lr_peak"], lr)
        weight = lr_peak**2
        weight_sum = state["weight_sum"] + weight
        c = np.divide(weight, weight_sum, out=np.zeros(len(weight)), where=weight_sum > 0)[:, None]
        return params + c * (z - params), {"z": z, "lr_peak": lr_peak, "weight_sum": weight_sum}

    def park(state, keep, home):
        return {**state, "z": np.where(keep, state["z"], home)}

    return UpdateRule("schedule_free", init, update, query=query, park=park)


#: Each method's rule builder, by the name :func:`lrlab.descend` takes.
RULES = {
    "gd": gd_rule,
    "momentum": momentum_rule,
    "nesterov": nesterov_rule,
    "adam": adam_rule,
    "schedule_free": schedule_free_rule,
}
METHODS = tuple(RULES)


def make_rule(method, momentum=0.9, betas=(0.9, 0.999), eps=1e-8) -> UpdateRule:
    """The rule named ``method`` (one of :data:`METHODS`), built from the hyperparameters it takes.

    The arguments are :func:`lrlab.descend`'s: ``momentum`` is μ for "momentum" and "nesterov",
    β for "schedule_free"; ``betas`` and ``eps`` are Adam's. Each builder receives only those it
    names, and checks them.

    >>> make_rule("nesterov", momentum=0.5)
    UpdateRule('nesterov')
    """
    build = RULES[check.choice("method", method, METHODS)]
    given = {"momentum": momentum, "betas": betas, "eps": eps}
    return build(**{key: given[key] for key in inspect.signature(build).parameters})


# --------------------------------------------------------------------------- the rate plan


class RatePlan:
    """The rate of every update of every run: a table, and the plateaus that set rates as they go.

    table      (steps, 1) or (steps, runs) float64: the rate of update t of run r (column 0 for
               every run when it has one column); NaN where a plateau sets the rate,
    plateaus   one entry per column: a fresh ReduceOnPlateau, or None for a fixed rate,
    batched    whether the schedule argument gave one schedule per run (a list, or an array of
               shape (steps, runs)),
    adaptive   whether any run's rate depends on what the run sees (a plateau).

    A loop reads :meth:`rates` before update t and calls :meth:`feed` with the metric it
    measured where a plateau should see it (after every update on a surface, after every
    epoch on a network). The plateau objects are the plan's own copies: feeding the plan never
    changes what the learner passed.
    """

    def __init__(self, table: np.ndarray, plateaus: tuple, batched: bool):
        self.table = table
        self.plateaus = tuple(plateaus)
        self.batched = batched
        self._has_plateau = np.array([p is not None for p in self.plateaus])
        self.adaptive = bool(self._has_plateau.any())
        self._now = np.array([p.lr if p is not None else np.nan for p in self.plateaus])

    @property
    def runs(self) -> int:
        """The number of runs the plan gives rates for (1 if one plan serves every run)."""
        return self.table.shape[1]

    def for_runs(self, n: int) -> RatePlan:
        """This one-run plan for n runs: the same rates, and a fresh plateau for each run."""
        if self.runs == n:
            return self
        if self.runs != 1:
            raise ValueError(f"the schedule gives rates for {self.runs} runs, not {n}")
        if not self.adaptive:
            return RatePlan(self.table, (None,) * n, self.batched)
        return RatePlan(np.repeat(self.table, n, axis=1), tuple(self.plateaus[0].fresh() for _ in range(n)),
                        self.batched)

    def rates(self, t: int) -> np.ndarray:
        """The rates of update t, one per run: the table's, or the plateau's current rate."""
        if not self.adaptive:
            return np.broadcast_to(self.table[t], self._has_plateau.shape)
        return np.where(self._has_plateau, self._now, self.table[t])

    def feed(self, metrics, active) -> None:
        """Give each active run's plateau its metric (metrics and active have one entry per run)."""
        for r in np.flatnonzero(self._has_plateau & active):
            self._now[r] = self.plateaus[r].step(float(metrics[r]))

    def used(self) -> tuple:
        """The plateau copies that ran, in run order (empty for a plan of fixed rates)."""
        return tuple(p for p in self.plateaus if p is not None)

    def __repr__(self):
        return (f"RatePlan(steps={self.table.shape[0]}, runs={self.runs}, adaptive={self.adaptive}, "
                f"batched={self.batched})")


def _array_table(schedule: np.ndarray, steps: int, name: str) -> np.ndarray:
    if schedule.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} as an array must hold numbers (the rate of each step), got dtype {schedule.dtype} "
            f"({schedule!r:.60})"
        )
    table = np.asarray(schedule, dtype=np.float64)
    if table.ndim == 1:
        table = table[:, None]
    if table.ndim != 2 or table.shape[0] != steps:
        raise ValueError(
            f"{name} as an array must have shape (steps,) or (steps, runs) with steps={steps}, "
            f"got shape {schedule.shape}"
        )
    bad = ~np.isfinite(table) | (table < 0)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} as an array must hold finite rates >= 0, got {table[where]!r} at step {where[0]}")
    return table


def rate_plan(schedule, steps: int, name: str = "schedule") -> RatePlan:
    """The :class:`RatePlan` of a schedule argument over ``steps`` updates (t = 0 .. steps − 1).

    Accepted: a positive number (a constant rate); an lrlab schedule; a ReduceOnPlateau (the
    plan holds a fresh copy); an array of rates of shape (steps,) or (steps, runs), finite and
    >= 0; a list (or tuple) with one of the first three per run. Errors name ``name`` (or
    ``name[i]`` for the i-th entry of a list).

    >>> from lrlab.plateau import ReduceOnPlateau
    >>> plan = rate_plan([0.1, ReduceOnPlateau(0.5)], steps=3)
    >>> plan, plan.rates(0).tolist()
    (RatePlan(steps=3, runs=2, adaptive=True, batched=True), [0.1, 0.5])
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the parameter's name (a non-empty str), got {name!r}")
    steps = check.steps_count("steps", steps, 1)
    t = np.arange(steps)
    if isinstance(schedule, np.ndarray):
        table = _array_table(schedule, steps, name)
        return RatePlan(table, (None,) * table.shape[1], table.shape[1] > 1 or schedule.ndim == 2)

    def one(item, label):
        if is_plateau(item):
            return np.full(steps, np.nan), item.fresh()
        return as_schedule(item, label)(t), None

    if isinstance(schedule, (list, tuple)):
        if not schedule:
            raise ValueError(f"{name} as a list must hold one schedule per run, got []")
        pieces = [one(item, f"{name}[{i}]") for i, item in enumerate(schedule)]
        batched = True
    else:
        pieces, batched = [one(schedule, name)], False
    table = pieces[0][0][:, None] if len(pieces) == 1 else np.stack([p[0] for p in pieces], axis=1)
    bad = np.isfinite(table) & (table < 0)
    if bad.any():
        i, r = np.argwhere(bad)[0]
        raise ValueError(f"the {name} of run {r} gives a negative rate {table[i, r]!r} at step {i}")
    return RatePlan(table, tuple(p[1] for p in pieces), batched)


# --------------------------------------------------------------------------- stopping runs


class Stops:
    """Which runs of a batch still run; when each stopped, and whether it diverged.

    active      (runs,) bool, the runs still running,
    stopped_at  (runs,) int, the number of updates each run did (``steps`` while it runs),
    diverged    (runs,) bool, the runs stopped by :meth:`stop`,
    everyone_active  True until the first run stops (a loop records whole rows until then).
    """

    def __init__(self, runs: int, steps: int):
        self.active = np.ones(runs, dtype=bool)
        self.stopped_at = np.full(runs, steps)
        self.diverged = np.zeros(runs, dtype=bool)
        self.everyone_active = True

    def stop(self, bad, at: int) -> bool:
        """Stop the active runs flagged in ``bad`` after ``at`` updates; True if any stopped."""
        if not self.everyone_active:  # while every run runs, bad & active is bad
            bad = bad & self.active
        if not bad.any():
            return False
        self.stopped_at[bad] = at
        self.diverged[bad] = True
        self.active &= ~bad
        self.everyone_active = False
        return True

    def park(self, params, state: dict, rule: UpdateRule, home):
        """(params, state) with the stopped runs moved to ``home`` and their rule state reset."""
        keep = self.active[:, None]
        return np.where(keep, params, home), rule.park(state, keep, home)

    def __repr__(self):
        return f"Stops(runs={len(self.active)}, active={int(self.active.sum())})"
