"""Argument checks shared by every constructor in lrlab.

Each check raises ``TypeError`` for a value of the wrong type and ``ValueError``
for a value of the right type that makes no sense, and every message names the
parameter and repeats the value it was given, so that a learner can act on it.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def real(name: str, value) -> float:
    """A finite real number (int or float, not bool)."""
    if not _is_real(value):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(name: str, value) -> float:
    """A finite number > 0 (learning rates, curvatures, noise levels...)."""
    value = real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def nonnegative(name: str, value) -> float:
    """A finite number >= 0."""
    value = real(name, value)
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value!r}")
    return value


def in_interval(name: str, value, low: float, high: float, *, low_open: bool, high_open: bool) -> float:
    """A finite number in an interval; the message shows the interval in math notation."""
    value = real(name, value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return value


def integer(name: str, value, minimum: int) -> int:
    """An int (Python or NumPy, not bool) >= minimum: step counts, patience, periods."""
    if not isinstance(value, (numbers.Integral, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    value = int(value)
    if value < minimum:
        what = "positive" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return value


def choice(name: str, value, choices: tuple[str, ...]) -> str:
    """One of a fixed set of names; the message lists the valid ones."""
    if not isinstance(value, str) or value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {valid}; got {value!r}")
    return value


def increasing_integers(name: str, values, minimum: int) -> tuple[int, ...]:
    """A sequence of ints, each >= minimum, strictly increasing (milestones, boundaries)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {values!r}")
    out = tuple(integer(f"{name}[{i}]", v, minimum) for i, v in enumerate(values))
    for i in range(1, len(out)):
        if out[i] <= out[i - 1]:
            raise ValueError(f"{name} must be strictly increasing, got {list(out)!r}")
    return out


def steps_array(t):
    """Turn a step (int) or an array of steps into a float64 array, and say which it was.

    Steps count completed updates from 0, so they must be finite and >= 0. Fractional
    steps are accepted (they draw smooth curves); every formula is defined for them.
    """
    if isinstance(t, (bool, np.bool_)):
        raise TypeError(f"t must be a step number or an array of step numbers, got {t!r}")
    if _is_real(t):
        value = float(t)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"t must be a finite step number >= 0, got {t!r}")
        return np.asarray(value, dtype=np.float64), True
    arr = np.asarray(t)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"t must be a step number or an array of step numbers, got dtype {arr.dtype} ({t!r:.60})")
    if arr.size and (arr.min() < 0 or (arr.dtype.kind == "f" and not np.isfinite(arr).all())):
        bad = ~np.isfinite(arr) | (arr < 0)
        raise ValueError(f"t must hold finite step numbers >= 0, got {arr[bad].flat[0]!r} among them")
    return arr.astype(np.float64, copy=False), False
