"""Self-checks for the exercises: clear, friendly feedback that never breaks a notebook.

An exercise cell asks the learner to *build it* (write a function) or to *predict, then
run* (give a number), and ends in a check. Each check returns a :class:`CheckResult`
whose repr is one short, plain-text message starting with ``✓`` (right), ``✗`` (wrong,
with what to look at) or ``…`` (not attempted yet), so a cell that ends in the call
shows it.

The learner's code never makes a check raise: a starter cell left as it is (a body of
``...`` or ``pass``, or ``raise NotImplementedError``) reports "not attempted yet", and
any other exception is reported with its type and message. Only a mistake of the
notebook's author (a reference that is not a schedule, a negative ``steps``) raises
``TypeError`` or ``ValueError``, naming the parameter.

Values are compared with relative tolerance ``rtol``, plus an absolute tolerance of
``rtol / 1000`` times the largest expected magnitude, so that an expected 0 does not
demand an exact 0.

>>> import lrlab
>>> def my_step_decay(t, lr0=0.1, step_size=10, gamma=0.5):
...     return lr0 * gamma ** (t // step_size)
>>> print(check_schedule(my_step_decay, lrlab.step_decay(0.1, 10, 0.5)))
✓ my_step_decay matches step_decay(lr0=0.1, step_size=10, gamma=0.5) on steps 0–199
>>> def late(t, lr0=0.1, step_size=10, gamma=0.5):
...     return lr0 * gamma ** ((t - 1) // step_size) if t > 0 else lr0
>>> print(check_schedule(late, lrlab.step_decay(0.1, 10, 0.5), name="the step decay"))
✗ late, step 10: expected 0.05, got 0.1 (wrong at 19 of 200 steps)
  Hint: your rate changes one step late: at t=10 you return what the schedule gives at t=9 — check < versus <= at a boundary.
>>> def not_yet(t):
...     ...  # your code here
>>> print(check_schedule(not_yet, lrlab.step_decay(0.1, 10, 0.5)))
… not_yet is not attempted yet: write its body, then run this cell again.

``check_vectorized`` calls the function once, on ``np.arange(steps)``:

>>> import numpy as np
>>> def my_exponential(t, lr0=0.1, decay_rate=0.9):
...     return lr0 * decay_rate ** t
>>> print(check_vectorized(my_exponential, lrlab.exponential(0.1, 0.9), steps=50))
✓ my_exponential matches exponential(lr0=0.1, decay_rate=0.9) on steps 0–49, all at once
>>> def with_if(t):
...     return 0.1 if t < 10 else 0.05
>>> print(check_vectorized(with_if, lrlab.step_decay(0.1, 10, 0.5)))
✗ with_if(np.arange(200)) raised ValueError: The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()
  Hint: an `if` on an array of steps is ambiguous: use np.where(condition, a, b) instead.

``check_value`` and ``check_array`` check a number or an array:

>>> print(check_value(2 / 4.0, 0.5, name="2/L"))
✓ 2/L = 0.5
>>> print(check_value(0.25, 0.5, name="2/L", hint="the stability limit is 2/L, not 1/L"))
✗ 2/L = 0.25, expected 0.5
  Hint: the stability limit is 2/L, not 1/L
>>> print(check_value(..., 0.5))
… your answer is not attempted yet: put your answer in place of None (or ...), then run this cell again.
>>> print(check_array([0.1, 0.1, 0.05], [0.1, 0.1, 0.01], name="rates"))
✗ rates, index 2: expected 0.01, got 0.05 (wrong at 1 of 3 values)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .plateau import ReduceOnPlateau
from .schedules import Schedule

__all__ = ["CheckResult", "check_schedule", "check_vectorized", "check_value", "check_array"]

_NOT_ATTEMPTED = "…"
_PASS = "✓"
_FAIL = "✗"
_ATOL_FRACTION = 1e-3  # absolute tolerance = rtol * this * the largest expected magnitude


@dataclass(frozen=True, repr=False)
class CheckResult:
    """The outcome of a check: ``passed`` (True, False, or None when not attempted yet)
    and a friendly, deterministic ``message``, which is also its repr.

    >>> r = CheckResult(True, "✓ well done")
    >>> r
    ✓ well done
    >>> bool(r), bool(CheckResult(None, "… not attempted yet"))
    (True, False)
    """

    passed: bool | None
    message: str

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__

    def __bool__(self) -> bool:
        return self.passed is True


# --------------------------------------------------------------------------- argument checks


def _check_steps(steps, default: int | None) -> int | None:
    if steps is None:
        return default
    if not isinstance(steps, (numbers.Integral, np.integer)) or isinstance(steps, (bool, np.bool_)):
        raise TypeError(f"steps must be an integer, got {steps!r} ({type(steps).__name__})")
    if steps < 1:
        raise ValueError(f"steps must be positive, got {steps!r}")
    return int(steps)


def _check_rtol(rtol) -> float:
    if not isinstance(rtol, numbers.Real) or isinstance(rtol, (bool, np.bool_)):
        raise TypeError(f"rtol must be a real number, got {rtol!r} ({type(rtol).__name__})")
    rtol = float(rtol)
    if not math.isfinite(rtol) or rtol < 0:
        raise ValueError(f"rtol must be a finite number >= 0, got {rtol!r}")
    return rtol


def _check_name(param: str, name) -> None:
    if name is not None and not isinstance(name, str):
        raise TypeError(f"{param} must be a string, got {name!r} ({type(name).__name__})")


def _expected_array(param: str, value, ndim: int | None = None) -> np.ndarray:
    """An author-supplied array of expected numbers (a list, tuple or ndarray)."""
    if isinstance(value, (str, bytes)) or value is None or value is Ellipsis:
        raise TypeError(f"{param} must be an array of numbers, got {value!r}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{param} must be an array of numbers, got {value!r:.80}") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{param} must be an array of numbers, got dtype {arr.dtype} ({value!r:.80})")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{param} must be a {ndim}-D array, got shape {arr.shape}")
    return arr.astype(np.float64)


def _reference_values(reference, steps):
    """(expected values on t = 0..steps-1, steps, a label for the reference)."""
    if isinstance(reference, ReduceOnPlateau):
        raise TypeError(
            "reference must be a schedule of the step t, a function of t or an array of "
            f"expected values; got {type(reference).__name__}, which is stateful (it needs a "
            "metric at each step), so record its rates into an array first"
        )
    if isinstance(reference, Schedule):
        steps = _check_steps(steps, 200)
        return reference(np.arange(steps)).astype(np.float64), steps, repr(reference)
    if callable(reference):
        steps = _check_steps(steps, 200)
        values = np.empty(steps)
        for t in range(steps):
            v = reference(t)
            if not _is_number(v):
                raise TypeError(f"reference must return a number for each step, got {v!r:.60} at t={t}")
            values[t] = float(v)
        label = getattr(reference, "__name__", None)
        return values, steps, label if label and label != "<lambda>" else "the reference"
    if isinstance(reference, (list, tuple, np.ndarray)):
        values = _expected_array("reference", reference, ndim=1)
        if values.size == 0:
            raise ValueError("reference must hold at least one expected value, got an empty array")
        steps = _check_steps(steps, values.size)
        if steps > values.size:
            raise ValueError(f"steps must be at most len(reference) = {values.size}, got {steps!r}")
        return values[:steps], steps, "the expected values"
    raise TypeError(
        "reference must be an lrlab schedule, a function of the step t or a 1-D array of "
        f"expected values, got {reference!r:.80} ({type(reference).__name__})"
    )


# --------------------------------------------------------------------------- formatting


def _is_number(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, numbers.Real):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"


def _num(x: float) -> str:
    return f"{float(x):.6g}"


def _pair(expected: float, got: float) -> tuple[str, str]:
    """Both numbers with 6 significant digits, or in full when that makes them look equal."""
    e, g = _num(expected), _num(got)
    if e == g:
        e, g = repr(float(expected)), repr(float(got))
    return e, g


def _show(value) -> str:
    """A learner's value that is not a number, shown briefly and without addresses."""
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        return repr(value)
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    if " at 0x" in text or len(text) > 40:
        return f"a {type(value).__name__}"
    return f"{text} ({type(value).__name__})"


def _fn_name(fn) -> str:
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) and name != "<lambda>" else "your function"


def _error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _not_attempted(who: str) -> CheckResult:
    return CheckResult(None, f"{_NOT_ATTEMPTED} {who} is not attempted yet: write its body, then run this cell again.")


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message}\n  Hint: {hint}" if hint else message


def _atol(expected: np.ndarray, rtol: float) -> float:
    finite = np.abs(expected[np.isfinite(expected)])
    scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    return rtol * _ATOL_FRACTION * scale


def _close(got, expected, rtol: float, atol: float):
    return np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)


# --------------------------------------------------------------------------- schedules


def _shift_hint(got, expected, i, rtol, atol) -> str | None:
    """Is the learner one step late or early around the first mismatch i?"""
    n = expected.size

    def matches(offset: int) -> int | None:
        first = max(i, -offset) if offset < 0 else i
        window = [j for j in range(first, min(n, first + 2)) if 0 <= j + offset < n]
        # A late learner returns at t what the schedule gives at t-1, and so on.
        if window and all(_close(got[j], expected[j + offset], rtol, atol) for j in window):
            return window[0]
        return None

    j = matches(-1)
    if j is not None:
        return (
            f"your rate changes one step late: at t={j} you return what the schedule gives "
            f"at t={j - 1} — check < versus <= at a boundary."
        )
    j = matches(+1)
    if j is not None:
        return (
            f"your rate changes one step early: at t={j} you return what the schedule gives "
            f"at t={j + 1} — check < versus <= at a boundary."
        )
    return None


def _factor_hint(got, expected, rtol, atol, reference) -> str | None:
    """Is every value off by the same factor (a wrong lr0, say)?"""
    nonzero = expected != 0
    if nonzero.sum() < 2 or not np.all(_close(got[~nonzero], 0.0, rtol, atol)):
        return None
    ratios = got[nonzero] / expected[nonzero]
    factor = float(ratios[0])
    if factor == 0 or not math.isfinite(factor) or math.isclose(factor, 1.0, rel_tol=max(rtol, 1e-12)):
        return None
    if not np.allclose(ratios, factor, rtol=max(rtol, 1e-9) * 10, atol=0):
        return None
    params = [p for p in ("lr0", "lr_max", "lr_min", "gamma") if p in getattr(reference, "_fields", ())]
    return f"all values are {_num(factor)}× the expected: check {' / '.join(params or ['lr0'])}."


def _compare(who, got, expected, rtol, reference, unit="step", units="steps") -> CheckResult | None:
    """The first wrong value of a float array against the expected one, with hints."""
    atol = _atol(expected, rtol)
    ok = _close(got, expected, rtol, atol)
    if ok.all():
        return None
    flat_bad = np.flatnonzero(~ok.reshape(-1))
    i = int(flat_bad[0])
    where = i if got.ndim <= 1 else tuple(int(k) for k in np.unravel_index(i, got.shape))
    g, e = float(got.reshape(-1)[i]), float(expected.reshape(-1)[i])
    if not math.isfinite(g) and math.isfinite(e):
        return CheckResult(False, f"{_FAIL} {who}, {unit} {where}: got {g!r}, expected a number ({_num(e)})")
    es, gs = _pair(e, g)
    message = (
        f"{_FAIL} {who}, {unit} {where}: expected {es}, got {gs} "
        f"(wrong at {flat_bad.size} of {ok.size} {units})"
    )
    hint = None
    if got.ndim == 1:
        hint = _shift_hint(got, expected, i, rtol, atol) or _factor_hint(got, expected, rtol, atol, reference)
    return CheckResult(False, _with_hint(message, hint))


def _prepare(fn, reference, steps, rtol, name, argument):
    """Validate the author's arguments; say early if the learner's ``fn`` is missing or not a function."""
    expected, steps, label = _reference_values(reference, steps)
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    who = _fn_name(fn)
    early = None
    if fn is None or fn is Ellipsis:
        early = _not_attempted("this function")
    elif not callable(fn):
        early = CheckResult(False, f"{_FAIL} expected a function of {argument}, got {_show(fn)}")
    return expected, steps, label, rtol, who, early


def check_schedule(fn, reference, steps=None, rtol=1e-9, name=None) -> CheckResult:
    """Check a learner's schedule ``fn(t)`` against ``reference`` on t = 0..steps-1.

    ``fn`` is called with one Python int at a time (learners write scalar code).
    ``reference`` is an lrlab schedule, any function of the step, or a 1-D array of the
    expected values; ``steps`` defaults to 200 (to the array's length for an array).
    ``name`` names the reference in the success message (default: its repr).

    >>> import lrlab
    >>> print(check_schedule(lambda t: 0.2 * 0.5 ** (t // 10), lrlab.step_decay(0.1, 10, 0.5)))
    ✗ your function, step 0: expected 0.1, got 0.2 (wrong at 200 of 200 steps)
      Hint: all values are 2× the expected: check lr0 / gamma.
    """
    expected, steps, label, rtol, who, early = _prepare(fn, reference, steps, rtol, name, "the step t")
    if early is not None:
        return early

    raw = []
    for t in range(steps):
        try:
            with np.errstate(all="ignore"):
                raw.append(fn(t))
        except NotImplementedError:
            if t == 0:
                return _not_attempted(who)
            return CheckResult(None, f"{_NOT_ATTEMPTED} {who} is not finished yet: it raises NotImplementedError at step {t}.")
        except Exception as exc:  # the learner's code: report it, never raise it
            return CheckResult(False, f"{_FAIL} {who}, step {t}: raised {_error(exc)}")

    if all(v is None or v is Ellipsis for v in raw):
        return _not_attempted(who)
    for t, v in enumerate(raw):
        if not _is_number(v):
            hint = "does every branch of your function `return` a value?" if v is None else None
            if isinstance(v, np.ndarray) or isinstance(v, (list, tuple)):
                hint = "for one step t, return one number."
            return CheckResult(False, _with_hint(f"{_FAIL} {who}, step {t}: got {_show(v)}, expected a number", hint))
    got = np.array([float(v) for v in raw])

    failure = _compare(who, got, expected, rtol, reference)
    if failure is not None:
        return failure
    return CheckResult(True, f"{_PASS} {who} matches {name or label} on steps 0–{steps - 1}")


def _vectorized_hint(exc: BaseException) -> str | None:
    text = str(exc)
    if "truth value of an array" in text:
        return "an `if` on an array of steps is ambiguous: use np.where(condition, a, b) instead."
    if "converted to Python scalars" in text:
        return "math.floor, math.cos and friends take one number: use np.floor, np.cos, ... instead."
    if "negative integer powers" in text:
        return "an integer array to a negative power: make the base a float (2.0 ** ...)."
    return None


def check_vectorized(fn, reference, steps=None, rtol=1e-9, name=None) -> CheckResult:
    """Check a learner's vectorized schedule: ``fn(np.arange(steps))``, called once,
    must return an array of shape ``(steps,)`` equal to ``reference`` (as for
    :func:`check_schedule`).

    >>> import lrlab, math
    >>> print(check_vectorized(lambda t: 0.1, lrlab.constant(0.1), steps=10))
    ✗ your function returned one number (0.1) for 10 steps: build the result from the array t with NumPy operations.
    """
    expected, steps, label, rtol, who, early = _prepare(fn, reference, steps, rtol, name, "the steps t")
    if early is not None:
        return early
    try:
        with np.errstate(all="ignore"):
            out = fn(np.arange(steps))
    except NotImplementedError:
        return _not_attempted(who)
    except Exception as exc:  # the learner's code: report it, never raise it
        message = f"{_FAIL} {who}(np.arange({steps})) raised {_error(exc)}"
        return CheckResult(False, _with_hint(message, _vectorized_hint(exc)))
    if out is None or out is Ellipsis:
        return _not_attempted(who)
    if _is_number(out):
        return CheckResult(
            False,
            f"{_FAIL} {who} returned one number ({_num(out)}) for {steps} steps: "
            "build the result from the array t with NumPy operations.",
        )
    try:
        arr = np.asarray(out)
    except Exception:
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf" or isinstance(out, (str, bytes)):
        return CheckResult(False, f"{_FAIL} {who} returned {_show(out)}, expected an array of numbers")
    if arr.shape != (steps,):
        return CheckResult(False, f"{_FAIL} {who}: expected shape ({steps},), got {arr.shape}")
    failure = _compare(who, arr.astype(np.float64), expected, rtol, reference)
    if failure is not None:
        return failure
    return CheckResult(True, f"{_PASS} {who} matches {name or label} on steps 0–{steps - 1}, all at once")


# --------------------------------------------------------------------------- numbers, arrays


def check_value(got, expected, rtol=1e-6, name="your answer", hint=None) -> CheckResult:
    """Check a number: a prediction, or a derived quantity such as 2/L.

    ``got`` of None or ``...`` is "not attempted yet"; ``hint`` is shown on a wrong answer.

    >>> print(check_value(0.1001, 0.1, rtol=1e-2))
    ✓ your answer = 0.1001
    """
    if not _is_number(expected):
        raise TypeError(f"expected must be a real number, got {expected!r} ({type(expected).__name__})")
    expected = float(expected)
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    _check_name("hint", hint)
    name = name or "your answer"
    if got is None or got is Ellipsis:
        return _answer_not_attempted(name)
    if not _is_number(got):
        return CheckResult(False, _with_hint(f"{_FAIL} {name} is {_show(got)}, expected a number", hint))
    value = float(got)
    if _close(value, expected, rtol, _atol(np.array([expected]), rtol)):
        return CheckResult(True, f"{_PASS} {name} = {_num(value)}")
    es, gs = _pair(expected, value)
    return CheckResult(False, _with_hint(f"{_FAIL} {name} = {gs}, expected {es}", hint))


def _answer_not_attempted(name: str) -> CheckResult:
    return CheckResult(
        None, f"{_NOT_ATTEMPTED} {name} is not attempted yet: put your answer in place of None (or ...), then run this cell again."
    )


def check_array(got, expected, rtol=1e-6, name="your array", hint=None) -> CheckResult:
    """Check an array: its shape, then its values (reporting the first wrong index).

    >>> import numpy as np
    >>> print(check_array(np.zeros((2, 3)), np.zeros(6), name="grid"))
    ✗ grid: expected shape (6,), got (2, 3)
    """
    expected = _expected_array("expected", expected)
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    _check_name("hint", hint)
    name = name or "your array"
    if got is None or got is Ellipsis:
        return _answer_not_attempted(name)
    try:
        arr = np.asarray(got)
    except Exception:
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf" or isinstance(got, (str, bytes)):
        return CheckResult(False, _with_hint(f"{_FAIL} {name} is {_show(got)}, expected an array of numbers", hint))
    if arr.shape != expected.shape:
        return CheckResult(False, _with_hint(f"{_FAIL} {name}: expected shape {expected.shape}, got {arr.shape}", hint))
    failure = _compare(name, arr.astype(np.float64), expected, rtol, None, unit="index", units="values")
    if failure is not None:
        if hint:
            return CheckResult(False, f"{failure.message.split(chr(10))[0]}\n  Hint: {hint}")
        # Shift / factor hints speak of steps and schedules: keep only the first line.
        return CheckResult(False, failure.message.split("\n")[0])
    return CheckResult(True, f"{_PASS} {name} matches the expected values ({arr.size} values)")
