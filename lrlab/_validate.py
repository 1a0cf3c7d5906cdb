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


#: Step counts above this are refused: a run keeps every point, loss and rate (memory), and a
#: step costs about 0.1 ms (measured on a busy two-core machine: 10**5 steps of ``descend`` on
#: the bowl took 10 to 20 s, 10**6 steps two minutes, 10**9 ran out of memory). No chapter needs
#: more than 20 000.
MAX_STEPS = 100_000
#: Steps × runs above this are refused: the points alone take 16 bytes each (160 MB at the bound).
MAX_STEP_CELLS = 10_000_000


def steps_count(name: str, value, minimum: int = 1, maximum: int = MAX_STEPS, why: str | None = None) -> int:
    """A step count (or a size): an int in [minimum, maximum], with a message that says why there is a bound."""
    value = integer(name, value, minimum)
    if value > maximum:
        why = why or (f"every step is stored (points, losses, rates) and costs time, so {value} steps would take "
                      "minutes or run out of memory; use fewer steps, or a larger learning rate to get as far")
        raise ValueError(f"{name} must be at most {maximum}, got {value!r}: {why}")
    return value


def surface(name: str, value, needs: tuple[str, ...] = ("value", "grad", "minimum", "start")):
    """A surface object (anything with the attributes ``needs``), not the function that builds one."""
    if all(hasattr(value, attr) for attr in needs) and not isinstance(value, type):
        return value
    expected = f"{name} must be a surface object such as lrlab.quadratic_bowl()"
    if callable(value):
        what = "class" if isinstance(value, type) else "function"
        label = getattr(value, "__name__", repr(value))
        raise TypeError(f"{expected}; got the {what} {label} itself — did you forget the parentheses? "
                        f"Write {label}() (with its parameters, if any)")
    raise TypeError(f"{expected}; got {value!r:.80} ({type(value).__name__})")


def real_array(name: str, value) -> np.ndarray:
    """An array of real numbers (any shape) as float64; TypeError naming the parameter otherwise."""
    try:
        arr = np.asarray(value)
    except ValueError:  # ragged nested lists
        raise ValueError(f"{name} must be an array of numbers with a regular shape, got {value!r:.80}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype} ({value!r:.60})")
    return arr.astype(np.float64)
