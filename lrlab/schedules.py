"""Learning-rate schedules: pure, closed-form functions of the step, and their composition.

Every schedule here is an immutable object. Call it on a step ``t`` (an int, returns a
float) or on a NumPy array of steps (returns an array of the same shape, computed in one
vectorized expression). The step ``t`` counts completed optimizer updates from 0: the
update that turns x_t into x_{t+1} uses ``schedule(t)``, the same clock as a PyTorch
scheduler after ``t`` calls to ``scheduler.step()``.

Constructors validate every argument and raise ``ValueError`` (``TypeError`` for a value
of the wrong type) with a message that names the parameter and the value given.

>>> s = cosine(lr0=0.1, total_steps=100)
>>> s
cosine(lr0=0.1, total_steps=100, lr_min=0.0)
>>> print(f"{s(0):.4f} {s(50):.4f} {s(100):.4f}")
0.1000 0.0500 0.0000
>>> s(np.array([0, 50, 100])).round(4)
array([0.1 , 0.05, 0.  ])
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from . import _validate as check

__all__ = [
    "Schedule",
    "as_schedule",
    "constant",
    "step_decay",
    "multistep",
    "exponential",
    "inverse_time",
    "inverse_sqrt",
    "cosine",
    "polynomial",
    "linear_warmup",
    "sequential",
    "cosine_restarts",
    "cyclic",
    "one_cycle",
    "wsd",
    "chebyshev",
    "silver",
    "CHEBYSHEV_ORDERS",
    "CYCLIC_MODES",
    "ANNEAL_STRATEGIES",
    "WSD_DECAYS",
]

CYCLIC_MODES = ("triangular", "triangular2", "exp_range")
ANNEAL_STRATEGIES = ("cos", "linear")
WSD_DECAYS = ("linear", "cosine", "1-sqrt")


class Schedule:
    """Base class: an immutable learning-rate schedule, a pure function of the step t.

    Subclasses set ``_constructor`` (the public function that builds them, used by the
    repr), ``_fields`` (the parameters, in constructor order) and implement ``_lr``,
    which maps a float64 array of steps to a float64 array of rates. Readers use the public
    :attr:`name` and :attr:`params`: ``getattr(lrlab, s.name)(**s.params)`` rebuilds ``s``.
    """

    __slots__ = ()
    _constructor = "schedule"
    _fields: tuple[str, ...] = ()

    def __init__(self, **params):
        for name in self._fields:
            object.__setattr__(self, name, params[name])

    def __call__(self, t):
        steps, scalar = check.steps_array(t)
        # Always evaluate on a 1-D array: NumPy's scalar and array kernels (pow, cos) may
        # round differently, and a scalar call must equal the same step in an array call.
        lr = self._lr(steps.reshape(-1)).reshape(steps.shape)
        return float(lr) if scalar else lr

    def _lr(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __setattr__(self, name, value):
        raise AttributeError(f"{self._constructor} schedules are immutable; build a new one instead")

    def __delattr__(self, name):
        raise AttributeError(f"{self._constructor} schedules are immutable")

    def _params(self):
        return tuple((name, getattr(self, name)) for name in self._fields)

    @property
    def name(self) -> str:
        """The name of the constructor that builds this schedule, as in its repr.

        >>> cosine(0.1, 100).name
        'cosine'
        """
        return self._constructor

    @property
    def params(self) -> dict:
        """The constructor's arguments, in signature order (a new dict on every read).

        >>> cosine(0.1, 100).params
        {'lr0': 0.1, 'total_steps': 100, 'lr_min': 0.0}
        """
        return dict(self._params())

    def __repr__(self):
        args = ", ".join(f"{name}={_fmt(value)}" for name, value in self._params())
        return f"{self._constructor}({args})"

    def __eq__(self, other):
        return type(other) is type(self) and self._params() == other._params()

    def __hash__(self):
        return hash((type(self), self._params()))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (_rebuild, (type(self), dict(self._params())))


def _integer_powers(base: float, exponents: np.ndarray) -> np.ndarray:
    """base ** k for an array of integral k >= 0, by looking up a small table of powers.

    A schedule's exponents (the number of drops so far) take few distinct values, and a
    table lookup is several times faster than an element-wise pow over every step.
    """
    top = int(exponents.max(initial=0))
    if top + 1 > max(64, exponents.size):
        return base ** exponents.astype(np.float64)
    return np.power(base, np.arange(top + 1, dtype=np.float64))[exponents]


def _rebuild(cls, params):
    obj = object.__new__(cls)
    Schedule.__init__(obj, **params)
    return obj


def _fmt(value):
    if isinstance(value, tuple):
        inner = ", ".join(_fmt(v) for v in value)
        return f"[{inner}]"
    return repr(value)


def as_schedule(value, name: str = "schedule") -> Schedule:
    """A schedule from a schedule (returned as is) or a positive number (a constant rate).

    >>> as_schedule(0.1)
    constant(lr0=0.1)
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be the parameter's name (a non-empty str), got {name!r}")
    if isinstance(value, Schedule):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return constant(check.positive(name, value))
    raise TypeError(
        f"{name} must be an lrlab schedule or a positive number, got {value!r} ({type(value).__name__})"
    )


# --------------------------------------------------------------------------- the classics


class _Constant(Schedule):
    __slots__ = ("lr0",)
    _constructor = "constant"
    _fields = ("lr0",)

    def _lr(self, t):
        return np.full_like(t, self.lr0)


def constant(lr0) -> Schedule:
    """A constant learning rate.

    lr(t) = lr0, where lr0 > 0 is the rate used at every step.

    >>> s = constant(0.1)
    >>> print(f"{s(0):.2f} {s(1000):.2f}")
    0.10 0.10
    """
    return _Constant(lr0=check.positive("lr0", lr0))


class _StepDecay(Schedule):
    __slots__ = ("lr0", "step_size", "gamma")
    _constructor = "step_decay"
    _fields = ("lr0", "step_size", "gamma")

    def _lr(self, t):
        # ⌊t / step_size⌋ as the number of drop steps (multiples of step_size) <= t: a
        # binary search is faster than floor() over every step, and exact.
        drops = float(t.max(initial=0.0)) // self.step_size
        if drops > max(64, t.size):  # few steps spread far apart: floor() is cheaper
            return self.lr0 * self.gamma ** np.floor(t / self.step_size)
        drop_steps = np.arange(1, drops + 1) * float(self.step_size)
        return self.lr0 * _integer_powers(self.gamma, np.searchsorted(drop_steps, t, side="right"))


def step_decay(lr0, step_size, gamma=0.1) -> Schedule:
    """Multiply the rate by gamma every step_size steps.

    lr(t) = lr0 · gamma^⌊t / step_size⌋, where
      lr0        > 0, the initial rate,
      step_size  >= 1, the number of steps between two drops,
      gamma      in (0, 1], the factor applied at each drop.

    Agrees with PyTorch's ``StepLR(step_size, gamma)``.

    >>> s = step_decay(0.1, step_size=30, gamma=0.5)
    >>> print(" ".join(f"{s(t):.3f}" for t in (0, 29, 30, 60)))
    0.100 0.100 0.050 0.025
    """
    return _StepDecay(
        lr0=check.positive("lr0", lr0),
        step_size=check.integer("step_size", step_size, 1),
        gamma=check.in_interval("gamma", gamma, 0.0, 1.0, low_open=True, high_open=False),
    )


class _MultiStep(Schedule):
    __slots__ = ("lr0", "milestones", "gamma")
    _constructor = "multistep"
    _fields = ("lr0", "milestones", "gamma")

    def _lr(self, t):
        drops = np.searchsorted(np.asarray(self.milestones, dtype=np.float64), t, side="right")
        return self.lr0 * _integer_powers(self.gamma, drops)


def multistep(lr0, milestones, gamma=0.1) -> Schedule:
    """Multiply the rate by gamma at each of the given milestones.

    lr(t) = lr0 · gamma^k(t), where k(t) = the number of milestones m with m <= t, and
      lr0         > 0, the initial rate,
      milestones  strictly increasing steps >= 0 at which the rate drops,
      gamma       in (0, 1], the factor applied at each milestone.

    A milestone at 0 drops the rate from the very first step, as in PyTorch.
    Agrees with PyTorch's ``MultiStepLR(milestones, gamma)``.

    >>> s = multistep(0.1, milestones=[10, 25], gamma=0.1)
    >>> print(" ".join(f"{s(t):.3f}" for t in (0, 9, 10, 24, 25)))
    0.100 0.100 0.010 0.010 0.001
    """
    return _MultiStep(
        lr0=check.positive("lr0", lr0),
        milestones=check.increasing_integers("milestones", milestones, 0),
        gamma=check.in_interval("gamma", gamma, 0.0, 1.0, low_open=True, high_open=False),
    )


class _Exponential(Schedule):
    __slots__ = ("lr0", "decay_rate")
    _constructor = "exponential"
    _fields = ("lr0", "decay_rate")

    def _lr(self, t):
        # decay_rate^t as exp(t·ln(decay_rate)): one fast vectorized exp instead of pow,
        # equal to the product of t factors to a few ulps (PyTorch multiplies step by step).
        return self.lr0 * np.exp(t * math.log(self.decay_rate))


def exponential(lr0, decay_rate) -> Schedule:
    """Multiply the rate by decay_rate at every step.

    lr(t) = lr0 · decay_rate^t, where
      lr0         > 0, the initial rate,
      decay_rate  in (0, 1], the factor applied per step.

    The rates sum to lr0 / (1 − decay_rate): a finite distance budget, so a fast decay
    can stall far from the minimum. Agrees with PyTorch's ``ExponentialLR(gamma=decay_rate)``.

    >>> s = exponential(0.1, decay_rate=0.9)
    >>> print(" ".join(f"{s(t):.4f}" for t in (0, 1, 2, 10)))
    0.1000 0.0900 0.0810 0.0349
    """
    return _Exponential(
        lr0=check.positive("lr0", lr0),
        decay_rate=check.in_interval("decay_rate", decay_rate, 0.0, 1.0, low_open=True, high_open=False),
    )


class _InverseTime(Schedule):
    __slots__ = ("lr0", "decay_rate", "decay_steps")
    _constructor = "inverse_time"
    _fields = ("lr0", "decay_rate", "decay_steps")

    def _lr(self, t):
        return self.lr0 / (1.0 + self.decay_rate * t / self.decay_steps)


def inverse_time(lr0, decay_rate, decay_steps=1) -> Schedule:
    """Decay the rate like 1/t.

    lr(t) = lr0 / (1 + decay_rate · t / decay_steps), where
      lr0          > 0, the initial rate,
      decay_rate   > 0, how fast the rate falls,
      decay_steps  >= 1, the step unit (the rate has halved at t = decay_steps / decay_rate).

    The rates sum to infinity while their squares do not: the Robbins–Monro conditions.
    Agrees with Keras' ``InverseTimeDecay(lr0, decay_steps, decay_rate)``.

    >>> s = inverse_time(0.1, decay_rate=1.0, decay_steps=10)
    >>> print(" ".join(f"{s(t):.4f}" for t in (0, 10, 30)))
    0.1000 0.0500 0.0250
    """
    return _InverseTime(
        lr0=check.positive("lr0", lr0),
        decay_rate=check.positive("decay_rate", decay_rate),
        decay_steps=check.integer("decay_steps", decay_steps, 1),
    )


class _InverseSqrt(Schedule):
    __slots__ = ("lr0", "warmup_steps")
    _constructor = "inverse_sqrt"
    _fields = ("lr0", "warmup_steps")

    def _lr(self, t):
        w = float(self.warmup_steps)
        rising = self.lr0 * t / w
        falling = self.lr0 * np.sqrt(w / np.maximum(t, w))
        return np.where(t < w, rising, falling)


def inverse_sqrt(lr0, warmup_steps) -> Schedule:
    """Linear warmup to lr0, then decay like 1/√t (the Transformer, or "Noam", schedule).

    lr(t) = lr0 · t / W           for t < W,
    lr(t) = lr0 · √(W / t)        for t >= W, where
      lr0  > 0, the peak rate, reached at t = W,
      W    = warmup_steps >= 1, the length of the warmup.

    As in the Transformer paper, the rate is 0 at t = 0 (the first update does nothing).

    >>> s = inverse_sqrt(1e-3, warmup_steps=100)
    >>> print(" ".join(f"{s(t):.2e}" for t in (0, 50, 100, 400)))
    0.00e+00 5.00e-04 1.00e-03 5.00e-04
    """
    return _InverseSqrt(lr0=check.positive("lr0", lr0), warmup_steps=check.integer("warmup_steps", warmup_steps, 1))


def _lr_min_below(name_min, lr_min, name_max, lr_max):
    lr_min = check.nonnegative(name_min, lr_min)
    if lr_min > lr_max:
        raise ValueError(f"{name_min} must not exceed {name_max} ({lr_max!r}), got {name_min}={lr_min!r}")
    return lr_min


class _Cosine(Schedule):
    __slots__ = ("lr0", "total_steps", "lr_min")
    _constructor = "cosine"
    _fields = ("lr0", "total_steps", "lr_min")

    def _lr(self, t):
        tt = np.minimum(t, self.total_steps)
        return self.lr_min + (self.lr0 - self.lr_min) * (1.0 + np.cos(math.pi * tt / self.total_steps)) / 2.0


def cosine(lr0, total_steps, lr_min=0.0) -> Schedule:
    """Half a cosine wave from lr0 down to lr_min over total_steps, then hold lr_min.

    lr(t) = lr_min + (lr0 − lr_min) · (1 + cos(π · t / T)) / 2   for t <= T,
    lr(t) = lr_min                                              for t > T, where
      lr0     > 0, the initial rate,
      T       = total_steps >= 1, the step at which the rate reaches lr_min,
      lr_min  in [0, lr0], the final rate.

    Agrees with PyTorch's ``CosineAnnealingLR(T_max=T, eta_min=lr_min)`` for t <= T.
    After T PyTorch's rate rises again (the cosine keeps going); lrlab's holds lr_min.

    >>> s = cosine(0.1, total_steps=10, lr_min=0.01)
    >>> print(" ".join(f"{s(t):.4f}" for t in (0, 5, 10, 20)))
    0.1000 0.0550 0.0100 0.0100
    """
    lr0 = check.positive("lr0", lr0)
    return _Cosine(
        lr0=lr0,
        total_steps=check.integer("total_steps", total_steps, 1),
        lr_min=_lr_min_below("lr_min", lr_min, "lr0", lr0),
    )


class _Polynomial(Schedule):
    __slots__ = ("lr0", "total_steps", "power", "lr_end")
    _constructor = "polynomial"
    _fields = ("lr0", "total_steps", "power", "lr_end")

    def _lr(self, t):
        frac = 1.0 - np.minimum(t, self.total_steps) / self.total_steps
        return (self.lr0 - self.lr_end) * frac**self.power + self.lr_end


def polynomial(lr0, total_steps, power=1.0, lr_end=0.0) -> Schedule:
    """Polynomial decay from lr0 to lr_end over total_steps, then hold lr_end.

    lr(t) = (lr0 − lr_end) · (1 − min(t, T) / T)^p + lr_end, where
      lr0     > 0, the initial rate,
      T       = total_steps >= 1, the step at which the rate reaches lr_end,
      p       = power > 0 (1 is linear decay; above 1 drops early, below 1 drops late),
      lr_end  in [0, lr0], the final rate.

    Agrees with PyTorch's ``PolynomialLR(total_iters=T, power=p)`` when lr_end = 0 and with
    Keras' ``PolynomialDecay(lr0, T, lr_end, power)``.

    >>> s = polynomial(0.1, total_steps=100, power=2)
    >>> print(" ".join(f"{s(t):.4f}" for t in (0, 50, 100, 150)))
    0.1000 0.0250 0.0000 0.0000
    """
    lr0 = check.positive("lr0", lr0)
    return _Polynomial(
        lr0=lr0,
        total_steps=check.integer("total_steps", total_steps, 1),
        power=check.positive("power", power),
        lr_end=_lr_min_below("lr_end", lr_end, "lr0", lr0),
    )


# --------------------------------------------------------------------------- composition


class _LinearWarmup(Schedule):
    __slots__ = ("schedule", "warmup_steps", "start_factor")
    _constructor = "linear_warmup"
    _fields = ("schedule", "warmup_steps", "start_factor")

    def _lr(self, t):
        w = self.warmup_steps
        target = self.schedule._lr(np.zeros(1))[0]
        ramp = target * (self.start_factor + (1.0 - self.start_factor) * t / w)
        after = self.schedule._lr(np.maximum(t - w, 0.0))
        return np.where(t < w, ramp, after)


def linear_warmup(schedule, warmup_steps, start_factor=0.0) -> Schedule:
    """Ramp linearly up to a schedule's first rate, then run that schedule on its own clock.

    lr(t) = s(0) · (f + (1 − f) · t / W)   for t < W,
    lr(t) = s(t − W)                       for t >= W, where
      s  = schedule, any lrlab schedule (composed ones too), started after the warmup,
      W  = warmup_steps >= 1, the length of the warmup,
      f  = start_factor in [0, 1], the fraction of s(0) used at t = 0.

    With the default f = 0 the very first update uses a rate of 0 and does nothing.
    Agrees with PyTorch's ``SequentialLR([LinearLR(start_factor=f, total_iters=W), s], [W])``
    (PyTorch's LinearLR requires f > 0).

    >>> s = linear_warmup(cosine(0.1, total_steps=100), warmup_steps=10)
    >>> print(" ".join(f"{s(t):.3f}" for t in (0, 5, 10, 60, 110)))
    0.000 0.050 0.100 0.050 0.000
    """
    return _LinearWarmup(
        schedule=as_schedule(schedule),
        warmup_steps=check.integer("warmup_steps", warmup_steps, 1),
        start_factor=check.in_interval("start_factor", start_factor, 0.0, 1.0, low_open=False, high_open=False),
    )


class _Sequential(Schedule):
    __slots__ = ("schedules", "boundaries")
    _constructor = "sequential"
    _fields = ("schedules", "boundaries")

    def _lr(self, t):
        piece = np.searchsorted(np.asarray(self.boundaries, dtype=np.float64), t, side="right")
        offsets = (0,) + self.boundaries
        out = np.empty_like(t)
        for i, s in enumerate(self.schedules):  # a loop over pieces, never over steps
            mask = piece == i
            if mask.any():
                out[mask] = s._lr(t[mask] - offsets[i])
        return out


def sequential(schedules, boundaries) -> Schedule:
    """Run schedules one after another; each piece runs on its own clock.

    lr(t) = s_i(t − b_i) for b_i <= t < b_{i+1}, where
      s_0 ... s_n  = schedules, any lrlab schedules (or positive numbers, read as constants),
      b_1 ... b_n  = boundaries, n strictly increasing steps >= 1 (one fewer than schedules),
      b_0 = 0, b_{n+1} = ∞.

    The boundary step b_i belongs to the next piece, which starts at its own t = 0.
    Agrees with PyTorch's ``SequentialLR(schedulers, milestones=boundaries)`` and optax's
    ``join_schedules``.

    >>> s = sequential([constant(0.1), exponential(0.05, decay_rate=0.5)], boundaries=[3])
    >>> print(" ".join(f"{s(t):.4f}" for t in range(6)))
    0.1000 0.1000 0.1000 0.0500 0.0250 0.0125
    """
    if isinstance(schedules, (str, bytes, Schedule)) or not hasattr(schedules, "__iter__"):
        raise TypeError(f"schedules must be a list of schedules, got {schedules!r}")
    schedules = tuple(as_schedule(s, f"schedules[{i}]") for i, s in enumerate(schedules))
    if not schedules:
        raise ValueError("schedules must hold at least one schedule, got []")
    boundaries = check.increasing_integers("boundaries", boundaries, 1)
    if len(boundaries) != len(schedules) - 1:
        raise ValueError(
            f"boundaries must hold one fewer entry than schedules ({len(schedules) - 1}), "
            f"got {len(boundaries)}: {list(boundaries)!r}"
        )
    return _Sequential(schedules=schedules, boundaries=boundaries)


# --------------------------------------------------------------------------- cycles


class _CosineRestarts(Schedule):
    __slots__ = ("lr0", "period", "period_mult", "lr_min")
    _constructor = "cosine_restarts"
    _fields = ("lr0", "period", "period_mult", "lr_min")

    def cycle_position(self, t):
        """(t_cur, T_i): steps since the last restart and the length of the current cycle."""
        p, m = float(self.period), self.period_mult
        if m == 1:
            return np.mod(t, p), np.full_like(t, p)
        # Cycle n starts at p·(m^n − 1)/(m − 1). Solve for n with logs, then correct the
        # rare off-by-one that rounding in log() gives exactly at a restart.
        n = np.floor(np.log1p(t * (m - 1) / p) / math.log(m))
        start = lambda k: p * (float(m) ** k - 1.0) / (m - 1)  # noqa: E731
        n = np.where(start(n + 1) <= t, n + 1, n)
        n = np.where(start(n) > t, n - 1, n)
        return t - start(n), p * float(m) ** n

    def _lr(self, t):
        t_cur, t_i = self.cycle_position(t)
        return self.lr_min + (self.lr0 - self.lr_min) * (1.0 + np.cos(math.pi * t_cur / t_i)) / 2.0


def cosine_restarts(lr0, period, period_mult=1, lr_min=0.0) -> Schedule:
    """Cosine decay that restarts at lr0, each cycle period_mult times longer (SGDR).

    lr(t) = lr_min + (lr0 − lr_min) · (1 + cos(π · t_cur / T_i)) / 2, where
      lr0          > 0, the rate at every restart,
      T_0          = period >= 1, the length of the first cycle,
      period_mult  integer >= 1, each cycle is period_mult times longer: T_i = T_0 · period_mult^i,
      t_cur        the steps since the last restart,
      lr_min       in [0, lr0], the floor each cycle decays towards.

    Agrees with PyTorch's ``CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)``
    (Loshchilov & Hutter, SGDR, 2017).

    >>> s = cosine_restarts(0.1, period=10, period_mult=2)
    >>> print(" ".join(f"{s(t):.3f}" for t in (0, 5, 9, 10, 20, 29, 30)))
    0.100 0.050 0.002 0.100 0.050 0.001 0.100
    """
    lr0 = check.positive("lr0", lr0)
    return _CosineRestarts(
        lr0=lr0,
        period=check.integer("period", period, 1),
        period_mult=check.integer("period_mult", period_mult, 1),
        lr_min=_lr_min_below("lr_min", lr_min, "lr0", lr0),
    )


class _Cyclic(Schedule):
    __slots__ = ("lr_min", "lr_max", "step_size_up", "step_size_down", "mode", "gamma")
    _constructor = "cyclic"
    _fields = ("lr_min", "lr_max", "step_size_up", "step_size_down", "mode", "gamma")

    def _lr(self, t):
        # The same operations, in the same order, as PyTorch's CyclicLR.get_lr.
        total = float(self.step_size_up + self.step_size_down)
        ratio = self.step_size_up / total
        cycle = np.floor(1.0 + t / total)
        x = 1.0 + t / total - cycle
        scale = np.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
        height = (self.lr_max - self.lr_min) * scale
        if self.mode == "triangular":
            amplitude = np.ones_like(t)
        elif self.mode == "triangular2":
            # 0.5**(c-1) equals PyTorch's 1 / 2**(c-1) exactly (powers of two), but
            # underflows quietly to 0 where 2**(c-1) would overflow (cycle > 1024).
            amplitude = 0.5 ** (cycle - 1.0)
        else:  # exp_range
            amplitude = np.exp(t * math.log(self.gamma))
        return self.lr_min + height * amplitude


def cyclic(lr_min, lr_max, step_size_up, step_size_down=None, mode="triangular", gamma=1.0) -> Schedule:
    """Cycle the rate between lr_min and lr_max along a triangle (Smith's cyclical rates).

    lr(t) = lr_min + (lr_max − lr_min) · h(t) · a(t), where
      lr_min, lr_max  0 <= lr_min <= lr_max, lr_max > 0, the two ends of the cycle,
      U, D            = step_size_up, step_size_down (default U): steps up, then steps down,
      h(t)            the triangle: rises from 0 to 1 over U steps, falls back over D steps,
      a(t)            the amplitude: 1 ("triangular"), 1/2^(cycle−1) ("triangular2", halved
                      every cycle, cycle counted from 1), or gamma^t ("exp_range"),
      gamma           in (0, 1], used by "exp_range" only.

    Agrees with PyTorch's ``CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode,
    gamma)`` (Smith, Cyclical Learning Rates for Training Neural Networks, 2017).

    >>> s = cyclic(0.01, 0.1, step_size_up=5, mode="triangular2")
    >>> print(" ".join(f"{s(t):.3f}" for t in (0, 5, 10, 15, 20)))
    0.010 0.100 0.010 0.055 0.010
    """
    lr_max = check.positive("lr_max", lr_max)
    lr_min = _lr_min_below("lr_min", lr_min, "lr_max", lr_max)
    up = check.integer("step_size_up", step_size_up, 1)
    down = up if step_size_down is None else check.integer("step_size_down", step_size_down, 1)
    return _Cyclic(
        lr_min=lr_min,
        lr_max=lr_max,
        step_size_up=up,
        step_size_down=down,
        mode=check.choice("mode", mode, CYCLIC_MODES),
        gamma=check.in_interval("gamma", gamma, 0.0, 1.0, low_open=True, high_open=False),
    )


class _OneCycle(Schedule):
    __slots__ = ("lr_max", "total_steps", "pct_start", "div_factor", "final_div_factor", "anneal", "three_phase")
    _constructor = "one_cycle"
    _fields = ("lr_max", "total_steps", "pct_start", "div_factor", "final_div_factor", "anneal", "three_phase")

    def phases(self):
        """The phases as (start_step, end_step, lr_start, lr_end) tuples, as PyTorch builds them."""
        lr_init = self.lr_max / self.div_factor
        lr_final = lr_init / self.final_div_factor
        up_end = float(self.pct_start * self.total_steps) - 1.0
        last = float(self.total_steps - 1)
        if self.three_phase:
            down_end = float(2 * self.pct_start * self.total_steps) - 2.0
            return (
                (0.0, up_end, lr_init, self.lr_max),
                (up_end, down_end, self.lr_max, lr_init),
                (down_end, last, lr_init, lr_final),
            )
        return ((0.0, up_end, lr_init, self.lr_max), (up_end, last, self.lr_max, lr_final))

    def _lr(self, t):
        phases = self.phases()
        tt = np.minimum(t, float(self.total_steps - 1))  # hold the final rate after the cycle
        # Each step's phase is the first whose end is >= t. The arithmetic below works in
        # place: on long step arrays, fresh temporaries cost more than the math.
        index = np.searchsorted(np.array([p[1] for p in phases[:-1]]), tt, side="left")
        start, end, lr_a, lr_b = (np.array([p[k] for p in phases]) for k in range(4))
        pct = tt
        pct -= start[index]
        pct /= (end - start)[index]
        a, b = lr_a[index], lr_b[index]
        if self.anneal == "cos":  # b + (a − b) / 2 · (cos(π · pct) + 1), as PyTorch
            pct *= math.pi
            np.cos(pct, out=pct)
            pct += 1.0
            a -= b
            a /= 2.0
            a *= pct
            a += b
            return a
        b -= a  # (b − a) · pct + a, as PyTorch
        b *= pct
        b += a
        return b


def one_cycle(
    lr_max, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4, anneal="cos", three_phase=False
) -> Schedule:
    """One cycle: warm up to lr_max, then anneal far below the start (Smith's 1cycle).

    With lr_init = lr_max / div_factor and lr_final = lr_init / final_div_factor:
      phase 1, t in [0, e1]:     lr_init → lr_max, where e1 = pct_start · T − 1,
      two phases:  phase 2, t in [e1, T − 1]: lr_max → lr_final;
      three phases: phase 2, t in [e1, e2]: lr_max → lr_init, where e2 = 2 · pct_start · T − 2,
                    phase 3, t in [e2, T − 1]: lr_init → lr_final.
    Within a phase from a to b, with p the fraction of the phase done,
      "cos":    lr = b + (a − b) · (1 + cos(π · p)) / 2,
      "linear": lr = a + (b − a) · p.
    T = total_steps is the number of updates; lr_final is reached at t = T − 1 and held after.
    pct_start is in (0, 1) and must leave every phase at least one step long.

    Agrees with PyTorch's ``OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy,
    div_factor, final_div_factor, three_phase)`` for t < T (PyTorch raises past T).

    >>> s = one_cycle(1.0, total_steps=100, pct_start=0.25)
    >>> print(" ".join(f"{s(t):.4g}" for t in (0, 24, 99)))
    0.04 1 4e-06
    """
    lr_max = check.positive("lr_max", lr_max)
    total_steps = check.integer("total_steps", total_steps, 2)
    pct_start = check.in_interval("pct_start", pct_start, 0.0, 1.0, low_open=True, high_open=True)
    div_factor = check.positive("div_factor", div_factor)
    final_div_factor = check.positive("final_div_factor", final_div_factor)
    anneal = check.choice("anneal", anneal, ANNEAL_STRATEGIES)
    if not isinstance(three_phase, (bool, np.bool_)):
        raise TypeError(f"three_phase must be True or False, got {three_phase!r}")
    s = _OneCycle(
        lr_max=lr_max,
        total_steps=total_steps,
        pct_start=pct_start,
        div_factor=div_factor,
        final_div_factor=final_div_factor,
        anneal=anneal,
        three_phase=bool(three_phase),
    )
    for i, (start, end, _, _) in enumerate(s.phases()):
        # Slack for rounding: pct_start = 2/49 with T = 49 puts phase 1's end at
        # 0.9999999999999998, one whole step in exact arithmetic (PyTorch accepts it).
        if not end - start >= 1.0 - 1e-9:
            raise ValueError(
                f"pct_start={pct_start!r} with total_steps={total_steps!r} leaves phase {i + 1} of the cycle "
                f"shorter than one step (it spans steps {start:g} to {end:g})"
            )
    return s


class _WSD(Schedule):
    __slots__ = ("lr0", "total_steps", "warmup_steps", "decay_steps", "lr_min", "decay")
    _constructor = "wsd"
    _fields = ("lr0", "total_steps", "warmup_steps", "decay_steps", "lr_min", "decay")

    def _lr(self, t):
        w, d, total = float(self.warmup_steps), float(self.decay_steps), float(self.total_steps)
        progress = np.clip((t - (total - d)) / d, 0.0, 1.0)
        if self.decay == "linear":
            shape = 1.0 - progress
        elif self.decay == "cosine":
            shape = (1.0 + np.cos(math.pi * progress)) / 2.0
        else:  # 1-sqrt
            shape = 1.0 - np.sqrt(progress)
        stable_or_decay = self.lr_min + (self.lr0 - self.lr_min) * shape
        if self.warmup_steps == 0:
            return stable_or_decay
        return np.where(t < w, self.lr0 * t / max(w, 1.0), stable_or_decay)


def wsd(lr0, total_steps, warmup_steps, decay_steps, lr_min=0.0, decay="linear") -> Schedule:
    """Warmup, stable, decay: ramp up, hold lr0 for most of the run, decay at the end.

    lr(t) = lr0 · t / W                               for t < W (warmup),
    lr(t) = lr0                                       for W <= t < T − D (stable),
    lr(t) = lr_min + (lr0 − lr_min) · g((t − T + D)/D)   for T − D <= t <= T (decay),
    lr(t) = lr_min                                    for t > T, where
      lr0     > 0, the rate of the stable phase,
      T       = total_steps >= 1, the length of the run,
      W       = warmup_steps >= 0, the warmup length (0: no warmup),
      D       = decay_steps >= 1, the decay length, with W + D <= T,
      lr_min  in [0, lr0], the final rate,
      g(p)    the decay shape on p in [0, 1]: 1 − p ("linear"), (1 + cos(π·p))/2 ("cosine"),
              or 1 − √p ("1-sqrt", Hägele et al., 2024).

    Follows Hugging Face's ``get_wsd_schedule`` (MiniCPM; Hu et al., 2024) for lr_min = 0; with
    lr_min > 0, Hugging Face starts its warmup at lr_min instead of 0, and its default decay
    shape is "cosine" where this one's is "linear" (chapter 15 shows both).

    >>> s = wsd(0.1, total_steps=100, warmup_steps=10, decay_steps=20)
    >>> print(" ".join(f"{s(t):.3f}" for t in (0, 5, 10, 80, 90, 100)))
    0.000 0.050 0.100 0.100 0.050 0.000
    """
    lr0 = check.positive("lr0", lr0)
    total_steps = check.integer("total_steps", total_steps, 1)
    warmup_steps = check.integer("warmup_steps", warmup_steps, 0)
    decay_steps = check.integer("decay_steps", decay_steps, 1)
    if warmup_steps + decay_steps > total_steps:
        raise ValueError(
            f"warmup_steps + decay_steps must not exceed total_steps ({total_steps}), "
            f"got warmup_steps={warmup_steps} + decay_steps={decay_steps} = {warmup_steps + decay_steps}"
        )
    return _WSD(
        lr0=lr0,
        total_steps=total_steps,
        warmup_steps=warmup_steps,
        decay_steps=decay_steps,
        lr_min=_lr_min_below("lr_min", lr_min, "lr0", lr0),
        decay=check.choice("decay", decay, WSD_DECAYS),
    )


# --------------------------------------------------------------------------- step-size theory

CHEBYSHEV_ORDERS = ("fractal", "increasing", "decreasing")
SILVER_RATIO = 1.0 + math.sqrt(2.0)


def _fractal_permutation(n: int) -> np.ndarray:
    """Agarwal, Goel & Zhang's fractal order of 0..n−1 (n a power of 2), from σ_1 = [0]:
    σ_2m = interlace(σ_m, 2m − 1 − σ_m), e.g. σ_4 = [0, 3, 1, 2]."""
    order = np.zeros(1, dtype=np.int64)
    while order.size < n:
        m = order.size
        merged = np.empty(2 * m, dtype=np.int64)
        merged[0::2] = order
        merged[1::2] = 2 * m - 1 - order
        order = merged
    return order


class _Chebyshev(Schedule):
    __slots__ = ("mu", "L", "total_steps", "order")
    _constructor = "chebyshev"
    _fields = ("mu", "L", "total_steps", "order")

    def rates(self) -> np.ndarray:
        """The n step sizes of one period, in the order they are used."""
        n = self.total_steps
        i = np.arange(n)
        # Roots of the degree-n Chebyshev polynomial mapped to [mu, L], smallest first, so the
        # rates 1/root come largest first.
        roots = (self.L + self.mu) / 2.0 - (self.L - self.mu) / 2.0 * np.cos((2 * i + 1) * math.pi / (2 * n))
        rates = 1.0 / roots
        if self.order == "fractal":
            return rates[_fractal_permutation(n)]
        return rates[::-1] if self.order == "increasing" else rates

    def _lr(self, t):
        return self.rates()[np.floor(t).astype(np.int64) % self.total_steps]


def chebyshev(mu, L, total_steps, order="fractal") -> Schedule:  # noqa: N803 (the course's notation)
    """The Chebyshev step sizes: the best n steps of gradient descent on a quadratic.

    lr(t) = 1 / r_σ(t mod n), where
      r_i  = (L + mu)/2 − (L − mu)/2 · cos((2i + 1)·π / (2n)),  i = 0 … n−1, are the roots of
             the degree-n Chebyshev polynomial T_n mapped from [−1, 1] onto [mu, L],
      mu, L  0 < mu < L: the smallest and largest curvature of the quadratic,
      n    = total_steps >= 1: the budget (the schedule repeats with period n),
      σ    = the order the rates are used in: "fractal" (Agarwal, Goel & Zhang, 2021, after
             Lebedev & Finogenov, 1971; n must be a power of 2), "increasing" or "decreasing" lr.
    After n steps, every eigen-direction's error is multiplied by the residual polynomial
    Π_i (1 − h/r_i) = T_n((L + mu − 2h)/(L − mu)) / T_n((L + mu)/(L − mu)), at most
    1/T_n((κ + 1)/(κ − 1)) in size for h in [mu, L], κ = L/mu: the smallest worst case any
    n-step method can reach. The order changes nothing in exact arithmetic, but in floating
    point the sorted orders let intermediate errors grow enormously; the fractal order does not.

    >>> s = chebyshev(mu=0.1, L=1.0, total_steps=4)
    >>> s.rates().round(3).tolist()
    [7.449, 1.035, 2.647, 1.385]
    >>> chebyshev(0.1, 1.0, 4, order="increasing").rates().round(3).tolist()
    [1.035, 1.385, 2.647, 7.449]
    """
    mu = check.positive("mu", mu)
    L = check.positive("L", L)  # noqa: N806
    if not L > mu:
        raise ValueError(f"L must exceed mu ({mu!r}), got L={L!r}")
    total_steps = check.integer("total_steps", total_steps, 1)
    order = check.choice("order", order, CHEBYSHEV_ORDERS)
    if order == "fractal" and total_steps & (total_steps - 1):
        raise ValueError(
            f"total_steps must be a power of 2 for order='fractal', got {total_steps!r}; "
            "use order='increasing' or 'decreasing' for other budgets"
        )
    return _Chebyshev(mu=mu, L=L, total_steps=total_steps, order=order)


class _Silver(Schedule):
    __slots__ = ("L",)
    _constructor = "silver"
    _fields = ("L",)

    def _lr(self, t):
        i = np.floor(t).astype(np.int64) + 1
        valuation = np.log2(i & -i).round().astype(np.int64)  # how many times 2 divides i
        return (1.0 + SILVER_RATIO ** (valuation - 1.0)) / self.L


def silver(L) -> Schedule:  # noqa: N803 (the course's notation)
    """The silver step sizes: an accelerated gradient descent with no momentum, on smooth convex functions.

    lr(t) = (1 + ρ^(ν(t+1) − 1)) / L, where
      L  > 0, the smoothness constant (the largest curvature),
      ρ  = 1 + √2, the silver ratio,
      ν(i) = the 2-adic valuation of i: how many times 2 divides i (ν(1) = 0, ν(2) = 1, ν(12) = 2).
    The rates (in units of 1/L) run √2, 2, √2, 2 + √2, √2, 2, √2, 4 + 2√2, …: mostly short
    steps, with rare long ones, some far beyond the "stable" 2/L. After n = 2^k − 1 steps,
    f(x_n) − f* is O(L·|x_0 − x*|² / n^1.2716) (log2 ρ ≈ 1.2716), against O(1/n) for the
    constant 1/L. Altschuler & Parrilo, "Acceleration by Stepsize Hedging II: Silver Stepsize
    Schedule for Smooth Convex Optimization", 2023.

    >>> s = silver(L=1.0)
    >>> s(np.arange(8)).round(4).tolist()
    [1.4142, 2.0, 1.4142, 3.4142, 1.4142, 2.0, 1.4142, 6.8284]
    """
    return _Silver(L=check.positive("L", L))
