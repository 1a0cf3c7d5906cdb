"""Self-checks for the exercises: clear, friendly feedback that never breaks a notebook.

An exercise cell asks the learner to *build it* (write a function) or to *predict, then
run* (give a number), and ends in a check. Each check returns a :class:`CheckResult`
whose repr is one short, plain-text message starting with ``✓`` (right), ``✗`` (wrong,
with what to look at) or ``…`` (not attempted yet), so a cell that ends in the call
shows it.

The checks call the learner's code themselves (:func:`check_call`, :func:`check_schedule`,
:func:`check_vectorized`) and diagnose what goes wrong, so the learner's code never makes
a check raise or hang: a starter cell left as it is (a body of ``...`` or ``pass``, or
``raise NotImplementedError``) reports "not attempted yet"; a body that forgets ``return``
says so; an exception is reported with its type, its message and the learner's line; an
endless loop is stopped after ``TIME_LIMIT`` seconds; and where the exercise asks for
array code, a Python loop is rejected. Wrong values get what they have in common, named
only when it explains every wrong value (the values the mistake would give are rebuilt and
compared at each wrong step): one step early or late (everywhere, or in one piece; boundary
advice only where the reference jumps), changes that come later (or earlier) by one more
step at each cut, a staircase where the schedule is smooth (// for /), the right values in
another order (reversed, transposed, a grid flattened in the wrong axis order, a cycle run
backwards), a piece of a composed schedule on the wrong clock, a constant factor (on all
values, or one drop too many at the wrong ones), the wrong sign, a floor missing or added on
top, a rate that stops changing, float32 precision. Otherwise the message says plainly where
the values first differ, how many are wrong and where the largest gap is, without a guess. Only a mistake of the notebook's author (a reference that is
not a schedule or that fails, a negative ``steps``) raises ``TypeError`` or
``ValueError``, naming the parameter.

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
>>> def no_return(t):
...     rate = 0.1 * 0.5 ** (t // 10)
>>> print(check_schedule(no_return, lrlab.step_decay(0.1, 10, 0.5)))
✗ no_return returns None: did you forget `return`?

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
  in with_if, line 2: `return 0.1 if t < 10 else 0.05`
  Hint: an `if`, `and`, `or`, or the built-in min/max on an array is ambiguous: use np.where(condition, a, b), np.minimum, np.maximum instead.

``check_call`` calls any function of the exercise (see its doctests); ``check_value`` and
``check_array`` check a number or an array:

>>> print(check_value(2 / 4.0, 0.5, name="2/L"))
✓ 2/L = 0.5
>>> print(check_value(0.25, 0.5, name="2/L", hint="the stability limit is 2/L, not 1/L"))
✗ 2/L = 0.25, expected 0.5
  Hint: the stability limit is 2/L, not 1/L
>>> print(check_value(5.0, 0.5, name="2/L"))
✗ 2/L = 5, expected 0.5
  Hint: your answer is 10× the expected: a factor of 10 too many (a / 10 missing?).
>>> print(check_value(..., 0.5))
… your answer is not attempted yet: put your answer in place of None (or ...), then run this cell again.
>>> print(check_array([0.1, 0.1, 0.05], [0.1, 0.1, 0.01], name="rates"))
✗ rates, index 2: expected 0.01, got 0.05 (wrong at 1 of 3 values)
"""
from __future__ import annotations

import ast
import contextlib
import dis
import functools
import inspect
import linecache
import math
import numbers
import os
import sys
import sysconfig
import textwrap
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from .plateau import is_plateau
from .schedules import Schedule

__all__ = ["CheckResult", "check_call", "check_schedule", "check_vectorized", "check_value", "check_array"]

TIME_LIMIT = 10.0
"""Seconds of learner code one check runs before it stops it (an endless loop, say) and says so."""

_NOT_ATTEMPTED = "…"
_PASS = "✓"
_FAIL = "✗"
_ATOL_FRACTION = 1e-3  # absolute tolerance = rtol * this * the largest expected magnitude
_MAX_CALLS = 4  # with no_loops: a learner function entered more often than this is applied element-wise
_LOOP_OPS = frozenset({"FOR_ITER", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT", "JUMP_ABSOLUTE"})
_ITERATING_BUILTINS = frozenset({"map", "filter", "sorted", "reversed", "enumerate", "zip", "range"})
_REDUCING_BUILTINS = frozenset({"min", "max", "sum", "any", "all"})  # iterate when given one argument
_ELEMENTWISE_NUMPY = frozenset({"vectorize", "frompyfunc", "fromiter", "apply_along_axis"})


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


def _reference_failed(t, exc: Exception) -> ValueError:
    return ValueError(f"reference could not be evaluated at t={t}: it raised {_error(exc)}")


def _reference_values(reference, steps):
    """(expected values on t = 0..steps-1, steps, a label for the reference)."""
    if is_plateau(reference):
        raise TypeError(
            "reference must be a schedule of the step t, a function of t or an array of "
            f"expected values; got {type(reference).__name__}, which is stateful (it needs a "
            "metric at each step), so record its rates into an array first"
        )
    if isinstance(reference, Schedule):
        steps = _check_steps(steps, 200)
        try:
            with np.errstate(all="ignore"):
                values = np.asarray(reference(np.arange(steps)), dtype=np.float64)
        except Exception as exc:
            raise _reference_failed(f"0..{steps - 1}", exc) from exc
        return values, steps, repr(reference)
    if callable(reference):
        steps = _check_steps(steps, 200)
        values = np.empty(steps)
        for t in range(steps):
            try:
                with np.errstate(all="ignore"):
                    v = reference(t)
            except Exception as exc:
                raise _reference_failed(t, exc) from exc
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


def _reference_fields(reference) -> dict:
    """The parameters of an lrlab schedule, those of the pieces it composes included."""
    found: dict = {}
    if isinstance(reference, Schedule):
        for key, value in reference.params.items():
            if isinstance(value, Schedule):
                found.update({k: v for k, v in _reference_fields(value).items() if k not in found})
            elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Schedule) for v in value):
                for piece in value:
                    found.update({k: v for k, v in _reference_fields(piece).items() if k not in found})
            else:
                found[key] = value
    return found


def _composition_offsets(reference) -> set[int]:
    """The steps at which a composed schedule starts a piece on its own clock."""
    offsets: set[int] = set()
    if isinstance(reference, Schedule):
        for key, value in reference.params.items():
            if key == "warmup_steps" and reference.name == "linear_warmup":
                offsets.add(int(value))
            elif key == "boundaries":
                offsets.update(int(b) for b in value)
            elif isinstance(value, Schedule):
                offsets |= _composition_offsets(value)
            elif isinstance(value, (list, tuple)):
                for piece in value:
                    offsets |= _composition_offsets(piece)
    return offsets


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
    if value is None or isinstance(value, (bool, np.bool_)):
        return repr(value)
    if isinstance(value, (str, bytes)):
        text = repr(value)
        return text if len(text) <= 40 else text[:36] + "...'"
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


def _nothing_built() -> CheckResult:
    """The learner's answer is still the starter's ``...`` (or None): a function, a schedule or a value to build."""
    return CheckResult(None, f"{_NOT_ATTEMPTED} your answer is not attempted yet: build it in place of ... (the function, "
                             "schedule or value the exercise asks for), then run this cell again.")


def _answer_not_attempted(name: str) -> CheckResult:
    return CheckResult(
        None, f"{_NOT_ATTEMPTED} {name} is not attempted yet: put your answer in place of None (or ...), then run this cell again."
    )


def _no_return(who: str) -> CheckResult:
    return CheckResult(False, f"{_FAIL} {who} returns None: did you forget `return`?")


def _with_hint(message: str, hint: str | None) -> str:
    return f"{message}\n  Hint: {hint}" if hint else message


def _atol(expected: np.ndarray, rtol: float) -> float:
    finite = np.abs(expected[np.isfinite(expected)])
    scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    return rtol * _ATOL_FRACTION * scale


def _close(got, expected, rtol: float, atol: float):
    with np.errstate(all="ignore"):
        return np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)


# --------------------------------------------------------------------------- running learner code


@functools.cache
def _library_dirs() -> tuple[str, ...]:
    dirs = {os.path.dirname(os.path.abspath(__file__)), os.path.dirname(os.path.abspath(np.__file__))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(os.path.abspath(path))
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        dirs.add(os.path.abspath(prefix))
    return tuple(d.rstrip(os.sep) + os.sep for d in dirs)


@functools.lru_cache(maxsize=4096)
def _is_learner_file(filename: str) -> bool:
    """Is this code the learner's (a notebook cell, a script), not a library's?"""
    if filename.startswith("<"):
        return not filename.startswith("<frozen")
    return not os.path.abspath(filename).startswith(_library_dirs())


_STARTER_OPS = frozenset({"RESUME", "NOP", "CACHE", "LOAD_CONST", "RETURN_VALUE", "RETURN_CONST"})
_RAISE_OPS = frozenset({"RESUME", "NOP", "CACHE", "LOAD_GLOBAL", "LOAD_NAME", "LOAD_CONST", "PUSH_NULL",
                        "PRECALL", "CALL", "CALL_FUNCTION", "KW_NAMES", "RAISE_VARARGS"})


@functools.lru_cache(maxsize=4096)
def _is_starter(code) -> bool:
    """An untouched starter body: only a docstring, ``...``, ``pass`` or ``raise NotImplementedError``."""
    ops = list(dis.get_instructions(code))
    names = {op.opname for op in ops}
    if names <= _STARTER_OPS:
        return all(op.argval in (None, Ellipsis) for op in ops if op.opname in ("LOAD_CONST", "RETURN_CONST"))
    if names <= _RAISE_OPS and "RAISE_VARARGS" in names:
        return set(code.co_names) == {"NotImplementedError"}
    return False


@functools.lru_cache(maxsize=4096)
def _loop_offsets(code) -> frozenset[int]:
    """Byte offsets of the instructions that iterate (the loop head, the backward jump)."""
    return frozenset(op.offset for op in dis.get_instructions(code) if op.opname in _LOOP_OPS)


def _line_of(filename: str, lineno: int | None, function: str) -> str:
    where = f"in {function}, line {lineno}" if function and not function.startswith("<") else f"at line {lineno}"
    text = linecache.getline(filename, lineno).strip() if lineno else ""
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{where}: `{text}`" if text else where


def _frame_line(frame) -> str | None:
    """The learner's line a frame is at (walking out of library code)."""
    while frame is not None and not _is_learner_file(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return None
    return _line_of(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


@functools.lru_cache(maxsize=1024)
def _loop_spans(code) -> tuple[tuple[int, int], ...]:
    """The (first, last) lines of every loop in a learner's function."""
    try:
        lines, first = inspect.getsourcelines(code)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return ()
    return tuple((first + node.lineno - 1, first + node.end_lineno - 1) for node in ast.walk(tree)
                 if isinstance(node, (ast.For, ast.AsyncFor, ast.While)))


def _stop_line(frame) -> str | None:
    """Where the learner's code was stopped: the head of the innermost loop it was running."""
    while frame is not None and not _is_learner_file(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return None
    code, lineno = frame.f_code, frame.f_lineno
    spans = [span for span in _loop_spans(code) if span[0] <= lineno <= span[1]]
    if spans:
        lineno = max(spans)[0]
    return _line_of(code.co_filename, lineno, code.co_name)


def _traceback_line(exc: BaseException) -> str | None:
    """The learner's line in a traceback: the innermost frame of the learner's code."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        code = tb.tb_frame.f_code
        if _is_learner_file(code.co_filename):
            found = (code.co_filename, tb.tb_lineno, code.co_name)
        tb = tb.tb_next
    return _line_of(*found) if found else None


class _Stopped(BaseException):
    """Raised inside the learner's code to stop it (not an Exception: a bare `except
    Exception` in the learner's code does not swallow it)."""

    def __init__(self, kind: str, line: str | None):
        super().__init__(kind)
        self.kind, self.line = kind, line


class _Watch:
    """A tracer for the learner's code: a time limit, and (``no_loops``) Python iteration.

    It is installed with ``sys.settrace`` only while the learner's code runs and puts back
    whatever tracer was there before (a debugger, coverage).
    """

    def __init__(self, no_loops: bool, fn=None):
        self.no_loops = no_loops
        # With no_loops, iteration is looked for in the code written where ``fn`` is (the exercise's
        # cell), not in helpers defined elsewhere (the chapter's own cells), which may loop.
        code = getattr(fn, "__code__", None)
        self.home = code.co_filename if code is not None and _is_learner_file(code.co_filename) else None
        self.deadline = time.perf_counter() + TIME_LIMIT
        self.calls: dict = {}
        self.starter = False
        self.silent: list[str] = []  # functions with a body that returned None
        self.previous = None

    def __enter__(self):
        self.previous = sys.gettrace()
        sys.settrace(self._call)
        return self

    def __exit__(self, *exc_info):
        sys.settrace(self.previous)
        return False

    def _call(self, frame, event, arg):
        if time.perf_counter() > self.deadline:
            raise _Stopped("time", _stop_line(frame))
        code = frame.f_code
        if not _is_learner_file(code.co_filename):
            return None
        if _is_starter(code):
            self.starter = True
        if self.no_loops and (self.home is None or code.co_filename == self.home):
            count = self.calls[code] = self.calls.get(code, 0) + 1
            if count > _MAX_CALLS and not code.co_flags & inspect.CO_GENERATOR:
                raise _Stopped("calls", _frame_line(frame.f_back) or _frame_line(frame))
            if _loop_offsets(code):
                frame.f_trace_opcodes = True
        return self._local

    def _local(self, frame, event, arg):
        if event == "line":
            if time.perf_counter() > self.deadline:
                raise _Stopped("time", _stop_line(frame))
        elif event == "opcode":
            if frame.f_lasti in _loop_offsets(frame.f_code):
                raise _Stopped("loop", _frame_line(frame))
        elif event == "return" and arg is None:
            code = frame.f_code
            if not code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE) and not _is_starter(code):
                if code.co_name not in self.silent:
                    self.silent.append(code.co_name)
        return self._local


@dataclass
class _Outcome:
    """What happened when the learner's code ran."""

    value: object = None
    error: Exception | None = None
    line: str | None = None  # the learner's line of the error or of the stop
    stopped: str | None = None  # "time", "loop" or "calls"


@contextlib.contextmanager
def _quiet():
    """No warning of the learner's code reaches the notebook (its overflows, 0/0: the check reports them)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _run(watch: _Watch, fn, args=(), kwargs=None) -> _Outcome:
    """Call the learner's ``fn`` under ``watch``, inside :func:`_quiet`; never raise because of it."""
    try:
        with watch:
            value = fn(*args, **(kwargs or {}))
        return _Outcome(value=value)
    except _Stopped as stop:
        return _Outcome(stopped=stop.kind, line=stop.line)
    except Exception as exc:  # the learner's code: report it, never raise it
        return _Outcome(error=exc, line=_traceback_line(exc))


def _source_loops(fn) -> str | None:
    """A line of ``fn``'s own source that iterates in Python (a loop, a comprehension, an
    iterating builtin, np.vectorize), or None. Only for functions defined with ``def``."""
    code = getattr(fn, "__code__", None)
    if code is None or code.co_name == "<lambda>" or not _is_learner_file(code.co_filename):
        return None
    try:
        lines, first = inspect.getsourcelines(fn)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    for node in ast.walk(tree):
        culprit = isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp,
                                    ast.GeneratorExp))
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                culprit = func.id in _ITERATING_BUILTINS or (
                    func.id in _REDUCING_BUILTINS and len(node.args) == 1 and not node.keywords)
            elif isinstance(func, ast.Attribute):
                culprit = func.attr in _ELEMENTWISE_NUMPY
        if culprit:
            lineno = first + node.lineno - 1
            return _line_of(code.co_filename, lineno, code.co_name)
    return None


def _loop_message(who: str, line: str | None, kind: str) -> str:
    what = {"loop": "iterates in Python (a loop or a comprehension)",
            "calls": "applies a Python function element by element (map, np.vectorize or a loop of calls)",
            "source": "iterates in Python (a loop, a comprehension or an iterating builtin)"}[kind]
    where = f" ({line})" if line else ""
    return _with_hint(
        f"{_FAIL} {who} {what}{where}: this exercise asks for array code, with no Python loop.",
        "work on the whole array at once with NumPy: arithmetic on arrays, np.where, np.minimum, "
        "np.maximum, np.cumprod, broadcasting.",
    )


def _time_message(who: str, line: str | None) -> str:
    where = f" ({line})" if line else ""
    return _with_hint(
        f"{_FAIL} {who} was stopped after {TIME_LIMIT:g} s{where}: an endless loop, or a very slow one.",
        "check that every loop ends: its condition must become false (a counter that moves, "
        "a number that changes), and the loop stops once it has its answer.",
    )


def _error_message(who: str, outcome: _Outcome, hint: str | None = None) -> str:
    message = f"{_FAIL} {who} raised {_error(outcome.error)}"
    if outcome.line:
        message += f"\n  {outcome.line}"
    return _with_hint(message, hint)


def _error_hint(exc: BaseException) -> str | None:
    text = str(exc)
    if "truth value of an array" in text:
        return ("an `if`, `and`, `or`, or the built-in min/max on an array is ambiguous: use "
                "np.where(condition, a, b), np.minimum, np.maximum instead.")
    if "converted to Python scalars" in text or "only length-1 arrays" in text:
        return "math.floor, math.cos and friends take one number: use np.floor, np.cos, ... instead."
    if "negative integer powers" in text:
        return "an integer array to a negative power: make the base a float (2.0 ** ...)."
    if isinstance(exc, NameError):
        return "a name your code uses is not defined: a typo, or a cell above not run yet?"
    return None


def _none_result(who: str, watch: _Watch) -> CheckResult:
    """The learner's code gave None (or a container holding None): not attempted, or no return."""
    if watch.starter:
        return _not_attempted(who)
    if watch.silent:
        return _no_return(_quote(watch.silent[0], who))
    return _no_return(who)


def _quote(function: str, who: str) -> str:
    return who if function.startswith("<") or who.startswith(function) else function


def _holds_none(value) -> bool:
    if value is None or value is Ellipsis:
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_none(v) for v in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(_holds_none(v) for v in value.reshape(-1))
    return False


# --------------------------------------------------------------------------- diagnosing values


@dataclass(frozen=True)
class _Context:
    """How to speak about the values: steps of a schedule, or indices of an array."""

    unit: str = "index"
    units: str = "values"
    fields: dict = field(default_factory=dict)  # the reference schedule's parameters
    offsets: frozenset = frozenset()  # where a composed reference starts a piece
    schedule: bool = False
    reference: object = None  # the reference schedule itself (to rebuild it without its floor)


def _schedule_context(reference) -> _Context:
    return _Context("step", "steps", _reference_fields(reference), frozenset(_composition_offsets(reference)), True,
                    reference)


def _has_jump(e: np.ndarray, j: int) -> bool:
    """Does the reference jump (a boundary, a restart) between steps near j?"""
    d = np.abs(np.diff(e))
    for m in range(max(0, j - 2), min(d.size, j + 1)):
        before = d[m - 1] if m >= 1 else 0.0
        after = d[m + 1] if m + 1 < d.size else 0.0
        if d[m] > 0 and d[m] > 10 * max(before, after):
            return True
    return False


def _find_shift(g, e, bad, rtol, atol) -> tuple[int, int] | None:
    """(k, first j) when got[j] equals expected[j + k] at every wrong j (k ≠ 0), smallest |k| first."""
    n = e.size
    for size in range(1, n // 2 + 1):
        for k in (size, -size):
            inside = bad[:np.searchsorted(bad, n - k)] if k > 0 else bad[np.searchsorted(bad, -k):]
            needed = 1 if size == 1 else 3
            # every wrong value must be explained, save those whose shifted step lies past the ends
            if inside.size < max(needed, bad.size - size):
                continue
            j = inside[0]  # a cheap look at one value before comparing them all
            if not abs(g[j] - e[j + k]) <= atol + rtol * abs(e[j + k]):
                continue
            if np.all(_close(g[inside], e[inside + k], rtol, atol)):
                return k, int(inside[0])
    return None


def _shift_hint(k: int, j: int, e: np.ndarray, ctx: _Context, bad: np.ndarray | None = None,
                rtol: float = 0.0, atol: float = 0.0) -> str:
    size = abs(k)
    if bad is not None and size == 1:
        n = e.size
        idx = np.arange(max(0, -k), n - max(0, k))
        moved = idx[~_close(e[idx + k], e[idx], rtol, atol)]  # the steps a shift by k changes
        if moved.size > 2 * bad.size:  # only some of them are wrong: a piece, not the whole schedule
            unit = "t=" if ctx.schedule else "index "
            units = ctx.units
            which = "later" if k > 0 else "earlier"
            where = (f"at the one wrong {ctx.unit} ({unit}{j})" if bad.size == 1 else
                     f"at each wrong {ctx.unit} ({bad.size} of {n} {units}, the first at {unit}{j})")
            return (f"{where} you give the value expected "
                    f"one {ctx.unit} {which} ({unit}{j + k} for {unit}{j}); the other {units} are right: the part "
                    f"of your formula that gives these {units} is one {ctx.unit} {'early' if k > 0 else 'late'} "
                    f"(it uses t {'+' if k > 0 else '−'} 1 instead of t, or it starts one {ctx.unit} "
                    f"{'early' if k > 0 else 'late'}).")
    if not ctx.schedule:
        if size == 1:
            return (f"your values are one {'index early' if k > 0 else 'index late'}: at index {j} you give the "
                    f"value expected at index {j + k} — {_off_by_one(k, e, j)}")
        return (f"your values are shifted by {size} indices: at index {j} you give the value expected at "
                f"index {j + k}.")
    if size == 1:
        when = "early" if k > 0 else "late"
        if _has_jump(e, j):
            return (f"your rate changes one step {when}: at t={j} you return what the schedule gives at "
                    f"t={j + k} — check < versus <= at a boundary.")
        return (f"your values are one step {when} everywhere: at t={j} you return what the schedule gives at "
                f"t={j + k} — you evaluate it at t {'+' if k > 0 else '−'} 1 instead of t.")
    ahead = "ahead of" if k > 0 else "behind"
    lead = (f"from t={j} on you return what the schedule gives at t={j + k}: your values run {size} steps "
            f"{ahead} the schedule")
    if ctx.offsets:
        if k > 0:
            return (f"{lead} — a piece of a composed schedule runs on the global clock t instead of its own "
                    f"clock t − {size} (it starts at step {size}).")
        return f"{lead} — a piece of a composed schedule starts its own clock {size} steps late."
    return f"{lead}."


def _off_by_one(k: int, e: np.ndarray, j: int) -> str:
    """Why an array's values can sit one index off; the boundary advice only where the reference jumps at j."""
    if k > 0:
        text = "an index off by one (an index that starts at 1 instead of 0, or a value taken after an update instead of before?)"
    else:
        text = "an index off by one (an index one too small, or a value taken before an update instead of after?)"
    text += "."
    if _has_jump(e, j):
        text += " Where a comparison decides the change, check < versus <=."
    return text


def _scale_names(ctx: _Context) -> str | None:
    names = [p for p in ("lr0", "lr_max", "lr_min") if p in ctx.fields]
    if not names and "L" in ctx.fields:
        names = ["L"]
    return " / ".join(names) if names else None


def _factor_text(factor: float, tol: float = 1e-4) -> str:
    """A few words on a constant factor between the answer and the expected value."""
    exponent = math.log10(abs(factor))
    if abs(exponent - round(exponent)) < tol and round(exponent) != 0:
        power = 10.0 ** abs(round(exponent))
        shown = f"{math.copysign(10.0 ** round(exponent), factor):g}×"
        sign = "" if factor > 0 else " and the wrong sign"
        if exponent > 0:
            return f"{shown} the expected{sign}: a factor of {power:g} too many (a / {power:g} missing?)"
        return f"{shown} the expected{sign}: a factor of {power:g} missing (a × {power:g} or a / {power:g} too many?)"
    return f"{_num(factor)}× the expected"


def _held_from(e: np.ndarray, rtol, atol) -> int | None:
    """The step from which the reference holds its last value (None if it does not end in a hold)."""
    same = _close(e, e[-1], rtol, atol)
    if not same[-2]:
        return None
    start = int(np.flatnonzero(~same)[-1]) + 1 if not same.all() else 0
    return start if start > 0 else None


def _parses_as_number(text: str) -> bool:
    try:
        float(text.replace(" ", ""))
    except ValueError:
        return False
    return True


def _order_word(e: np.ndarray) -> str:
    d = np.diff(e)
    if np.all(d >= 0):
        return "smallest first"
    if np.all(d <= 0):
        return "largest first"
    return "in the order of the exercise"


def _divisors(size: int) -> list[int]:
    return [a for a in range(2, size) if size % a == 0]


def _regrouped(g, e, shape, rtol, atol) -> tuple[int, int, int] | None:
    """(axis, a, b) when ``e`` along ``axis`` is an a × b grid flattened with the a-long axis outer and
    ``g`` is the same grid flattened with the b-long axis outer (the axes of a reshape in the wrong order)."""
    for axis, size in enumerate(shape):
        if size > 100_000:
            continue
        for a in _divisors(size):
            b = size // a
            grid = g.reshape(shape[:axis] + (b, a) + shape[axis + 1:])
            swapped = np.swapaxes(grid, axis, axis + 1).reshape(-1)
            if np.all(_close(swapped, e, rtol, atol)):
                return axis, a, b
    return None


def _order_hint(g, e, shape, rtol, atol) -> str | None:
    """The right values in another order: reversed, transposed, a grid flattened in the wrong axis order,
    or any rearrangement (None when the values differ, or when they are only shifted round)."""
    if e.size < 2 or e.size > 1_000_000 or not np.all(np.isfinite(g)):
        return None
    if not np.all(_close(np.sort(g), np.sort(e), rtol, atol)):
        return None
    if len(shape) == 1:
        if np.all(_close(g, e[::-1], rtol, atol)):
            return (f"your values are the right ones in reverse order: the expected ones run {_order_word(e)} — "
                    "reverse yours (x[::-1]), or run your index the other way.")
        if any(np.all(_close(g, np.roll(e, k), rtol, atol)) for k in (1, -1, 2, -2)):
            return None  # a shift: said by the shift hint
    if len(shape) >= 2:
        for axis in range(len(shape)):
            if shape[axis] > 1 and np.all(_close(np.flip(g.reshape(shape), axis).reshape(-1), e, rtol, atol)):
                what = {0: "rows", 1: "columns"}.get(axis, "") if len(shape) == 2 else ""
                flip = "x[::-1]" if axis == 0 else "x[:, ::-1]" if axis == 1 else f"np.flip(x, axis={axis})"
                where = f"your {what} are" if what else f"your values along axis {axis} are"
                return (f"{where} the right ones in reverse order (the last first): reverse them ({flip}), or "
                        "build them in the order the exercise lists them.")
    if len(shape) == 2 and shape[0] == shape[1] and np.all(_close(g.reshape(shape).T.reshape(-1), e, rtol, atol)):
        return "your array holds the right values transposed (rows and columns swapped): use .T, or swap the axes."
    regrouped = _regrouped(g, e, shape, rtol, atol)
    if regrouped is not None:
        axis, a, b = regrouped
        what = ({0: "your rows", 1: "your columns"}.get(axis, f"along axis {axis}, your values") if len(shape) == 2
                else "your values" if len(shape) == 1 else f"along axis {axis}, your values")
        return (f"{what} hold the right values in another order: the expected ones run over a {a} × {b} grid "
                f"with the {a}-long axis outer (changing slowest), yours with the {b}-long axis outer — swap the "
                "two axes before you flatten or reshape (or the order of the two loops, or of the broadcast axes).")
    if len(shape) == 1:
        return (f"your values are the right ones in another order: the expected ones run {_order_word(e)} — "
                "check the order your index runs in.")
    return ("your array holds the right values in another order: check the order of its axes (which one is "
            "outer) and of the values along each.")


def _changes(x, rtol, atol) -> np.ndarray:
    """The indices where a piecewise-constant array changes value."""
    return np.flatnonzero(~_close(x[1:], x[:-1], rtol, atol)) + 1


def _growing_shift_hint(g, e, rtol, atol, ctx: _Context) -> str | None:
    """A piecewise-constant reference whose changes the answer makes through the same levels but each later
    (or each earlier) than expected, by a number of steps that grows: a convention off by one at every cut."""
    n = e.size
    ce, cg = _changes(e, rtol, atol), _changes(g, rtol, atol)
    if ce.size < 2 or ce.size > n // 3 or cg.size < 1:
        return None
    m = min(ce.size, cg.size)
    levels_e = np.concatenate([e[:1], e[ce[:m]]])
    levels_g = np.concatenate([g[:1], g[cg[:m]]])
    if not np.all(_close(levels_g, levels_e, rtol, atol)):
        return None
    offsets = cg[:m] - ce[:m]
    late = bool(np.all(offsets > 0)) and cg.size <= ce.size
    early = bool(np.all(offsets < 0)) and cg.size >= ce.size
    # the first change one step off, the later ones further off: not a period or a unit that is wrong
    if not (late or early) or abs(offsets[0]) != 1 or np.all(offsets == offsets[0]) or (m < 2 and cg.size == ce.size):
        return None
    unit = "t=" if ctx.schedule else "index "
    shown = ", ".join(f"{unit if k == 0 else ''}{int(c)} (expected {int(x)})" for k, (c, x) in enumerate(zip(cg[:3], ce[:3])))
    shown = f"at {shown}{', …' if m > 3 else ''}"
    word, sign = ("late", "> versus >=") if late else ("early", ">= versus >")
    if np.array_equal(np.abs(offsets), np.arange(1, m + 1)):
        period = "too long" if late else "too short"
        return (f"each change comes one step {'later' if late else 'earlier'} than the one before: {shown} — one "
                f"step {word} per cut: a convention off by one ({sign}?), or a period one step {period}.")
    return (f"your changes come {'later' if late else 'earlier'} than expected, by a growing number of steps: "
            f"{shown} — each change comes one step {word} and the shifts add up from cut to cut: a convention "
            f"off by one ({sign}?).")


def _floor_variants(ctx: _Context, n: int):
    """(the floor's words, how it is wrong, the reference's values with that mistake) for a schedule with a
    floor lr_min / lr_end: the floor left out (set to 0), or added on top of the peak instead of under it."""
    ref = ctx.reference
    if not isinstance(ref, Schedule):
        return
    params = ref.params
    floors = [p for p in ("lr_min", "lr_end") if isinstance(params.get(p), numbers.Real) and params[p]]
    if not floors:
        return
    words = ", ".join(f"{p} = {_num(params[p])}" for p in floors)
    from . import schedules

    changes = [("missing", {p: 0.0 for p in floors})]
    peak = next((p for p in ("lr0", "lr_max") if isinstance(params.get(p), numbers.Real)), None)
    if peak is not None and len(floors) == 1:
        changes.append(("added on top of " + peak, {peak: params[peak] + params[floors[0]]}))
    words += f"|{peak or 'lr0'}"
    for kind, change in changes:
        try:
            rebuilt = getattr(schedules, ref.name)(**{**params, **change})
            with np.errstate(all="ignore"):
                values = np.asarray(rebuilt(np.arange(n)), dtype=np.float64)
        except Exception:  # a constructor that does not take the changed value: no reconstruction
            continue
        yield words, kind, values


def _staircase_hint(g, e, rtol, atol, ctx: _Context) -> str | None:
    """A reference that changes at every step, and an answer that is the reference read only every N steps."""
    n = e.size
    ce, cg = _changes(e, rtol, atol), _changes(g, rtol, atol)
    if n < 8 or ce.size < 0.9 * (n - 1) or cg.size < 1:
        return None
    runs = np.diff(np.concatenate([[0], cg]))
    size = int(runs[0])
    if size < 2 or not np.all(runs == size):
        return None
    t = np.arange(n)
    unit = "t=" if ctx.schedule else "index "
    text = (f"your {'rate' if ctx.schedule else 'value'} only changes every {size} {ctx.units} ({unit}{size}, "
            f"{2 * size}, …) where the expected one changes at every {ctx.unit}")
    if np.all(_close(g, e[size * (t // size)], rtol, atol)):
        return text + ": integer division (//) or a floor where the formula divides by the number itself (t / s)?"
    return text + "."


def _period(e, rtol, atol) -> int | None:
    """The shortest period of a reference that repeats (at least twice), if any."""
    n = e.size
    for p in range(2, n // 2 + 1):
        if np.all(_close(e[p:], e[:-p], rtol, atol)):
            return p
    return None


def _schedule_order_hint(g, e, rtol, atol) -> str:
    """The right values at other steps of a schedule: a cycle run backwards, or said plainly."""
    p = _period(e, rtol, atol) if e.size <= 5_000 else None
    if p is not None:
        t = np.arange(e.size)
        if np.all(_close(g, e[(-t) % p], rtol, atol)):
            j = next((k for k in range(1, p) if not _close(g[k], e[k], rtol, atol)), 1)
            return (f"within each cycle of {p} steps your values run backwards: at t={j} you return what the "
                    f"schedule gives at t={p - j} — the rising and the falling parts are swapped (their lengths "
                    "the other way round?).")
    return ("your rates take the right values but at other steps: check which part of your schedule comes first, "
            "and the step at which each part starts.")


def _stuck_hint(g, e, bad, rtol, atol, ctx: _Context) -> str | None:
    """Right up to a step, then the answer stays at its last right value where the reference changes on."""
    j = int(bad[0])
    if j < 1 or not np.all(_close(g[j:], g[j - 1], rtol, atol)) or _close(e[j:], e[j - 1], rtol, atol).all():
        return None
    unit, what = ("t=", "your rate") if ctx.schedule else ("index ", "your values")
    return (f"your values are right up to {unit}{j - 1}; from {unit}{j} on {what} stays at {_num(g[j - 1])} "
            f"where the {'schedule' if ctx.schedule else 'expected values'} {'changes' if ctx.schedule else 'change'} "
            f"on (to {_num(e[j])} at {unit}{j}): the later changes never happen in your code.")


def _partial_factor_hint(g, e, bad, rtol, atol, ctx: _Context) -> str | None:
    """Every wrong value is the same factor times the expected (the others right): a decay applied once too often."""
    if bad.size == e.size or bad.size < 2 or np.any(np.abs(e[bad]) <= atol):
        return None
    ratios = g[bad] / e[bad]
    factor = float(ratios[0])
    if (not math.isfinite(factor) or factor == 0 or math.isclose(factor, 1.0, rel_tol=1e-6)
            or not np.allclose(ratios, factor, rtol=max(rtol, 1e-9) * 10, atol=0)):
        return None
    where = f"at each wrong {ctx.unit} ({bad.size} of {e.size})"
    gamma = ctx.fields.get("gamma")
    if isinstance(gamma, numbers.Real) and gamma not in (0, 1):
        if math.isclose(factor, gamma, rel_tol=1e-6):
            return (f"{where} your value is γ = {_num(gamma)} × the expected: one drop too many — does your "
                    "count include step 0 (or count a boundary twice)?")
        if math.isclose(factor, 1 / gamma, rel_tol=1e-6):
            return (f"{where} your value is 1/γ = {_num(factor)} × the expected: one drop too few — does your "
                    "count leave out a boundary?")
    return f"{where} your value is {_factor_text(factor)}; the other {ctx.units} are right."


def _pattern_hint(g, e, bad, rtol, atol, ctx: _Context, one_d: bool, shape: tuple = ()) -> str | None:
    """What the wrong values have in common, said only when it explains every wrong value: a staircase,
    an order, a shift, a sign, a factor, an offset, a missing floor; None when nothing does."""
    n = e.size
    stairs = _staircase_hint(g, e, rtol, atol, ctx) if one_d else None
    if stairs is not None:
        return stairs
    shift = _find_shift(g, e, bad, rtol, atol) if one_d and n >= 2 else None
    # the same values in another order, unless they are shifted round (a cyclic schedule half a period off)
    order = _order_hint(g, e, shape or (n,), rtol, atol) if shift is None or abs(shift[0]) == 1 else None
    if order is not None:
        if ctx.schedule and len(shape or (n,)) == 1 and "reverse order" not in order:
            return _schedule_order_hint(g, e, rtol, atol)
        return order
    growing = _growing_shift_hint(g, e, rtol, atol, ctx) if one_d and n >= 4 else None
    if growing is not None:
        return growing
    if shift is not None and abs(shift[0]) == 1:
        return _shift_hint(*shift, e, ctx, bad, rtol, atol)
    nonzero = np.abs(e) > atol
    if nonzero.any() and np.all(_close(g, -e, rtol, atol)):
        return "every value has the right size but the wrong sign: a minus sign too many or missing?"
    if nonzero.sum() >= 1 and np.all(_close(g[~nonzero], 0.0, rtol, atol)):
        ratios = g[nonzero] / e[nonzero]
        factor = float(ratios[0])
        if (math.isfinite(factor) and factor != 0 and not math.isclose(factor, 1.0, rel_tol=1e-6)
                and np.allclose(ratios, factor, rtol=max(rtol, 1e-9) * 10, atol=0)):
            what = "all values are" if n > 1 else "the value is"
            gamma = ctx.fields.get("gamma")
            drops = getattr(ctx.reference, "name", None) in ("step_decay", "multistep")
            if drops and n > 1 and math.isclose(factor, gamma, rel_tol=max(rtol, 1e-9) * 10):
                # a factor of γ everywhere is more often a drop counted at step 0 than a wrong lr0
                return (f"{what} γ = {gamma:g} × the expected: one drop too many at every step (is step 0 "
                        "counted as a drop?), or check lr0.")
            names = _scale_names(ctx)
            check = f": check {names}." if names and "factor of" not in _factor_text(factor) else "."
            return f"{what} {_factor_text(factor)}{check}"
    # a shift that explains every wrong value, none past the ends, is said before a factor on the wrong ones
    whole = shift is not None and 0 <= int(bad[0]) + shift[0] and int(bad[-1]) + shift[0] < n
    partial = _partial_factor_hint(g, e, bad, rtol, atol, ctx) if one_d and not whole else None
    if partial is not None:
        return partial
    if shift is not None:
        return _shift_hint(*shift, e, ctx)
    for words, kind, values in _floor_variants(ctx, n) if ctx.schedule else ():
        if np.all(_close(g, values, rtol, atol)):
            words, peak = words.split("|")
            floor = words.split(" = ")[0]
            formula = f"{floor} + ({peak} − {floor}) · …"
            k = n - 1 if abs(g[-1] - e[-1]) >= abs(g[0] - e[0]) else 0
            end = f"at {'the end' if k else 'the start'} (step {k}) expected {_num(e[k])}, got {_num(g[k])}"
            if kind == "missing":
                return (f"your values are the schedule without its floor ({words}): {end} — the floor is missing; "
                        f"it takes its part of the range, as in {formula}.")
            return (f"your values are the schedule with its floor ({words}) {kind}: {end} — the floor is "
                    f"misplaced: it takes its part of the range, as in {formula}.")
    if bad.size >= 3 and np.unique(e).size >= 4 and np.all(np.isfinite(g)):
        design = np.column_stack([e, np.ones(n)])
        (a, b), *_ = np.linalg.lstsq(design, g, rcond=None)
        if abs(b) > 10 * atol and np.all(_close(g, a * e + b, rtol * 10, atol * 10)):
            where = "step" if ctx.schedule else "index"
            k = n - 1 if abs(g[-1] - e[-1]) >= abs(g[0] - e[0]) else 0
            end = f"at {'the end' if k else 'the start'} ({where} {k}) expected {_num(e[k])}, got {_num(g[k])}"
            if math.isclose(a, 1.0, rel_tol=1e-6):
                return f"every value is off by {b:+.6g} ({end}): a constant added or missing?"
            return (f"{end}: your values are {_num(a)}× the expected {'+' if b > 0 else '−'} {_num(abs(b))}, a "
                    "fixed multiple plus a constant: a factor or a constant term is off?")
    if ctx.schedule and n >= 3:
        held = _held_from(e, rtol, atol)
        if held is not None and held < bad[0] and not np.all(_close(g[held:], e[held], rtol, atol)):
            text = (f"your values are right up to t={bad[0] - 1}, but the schedule holds {_num(e[held])} from "
                    f"t={held} on and yours keeps changing (t={bad[0]}: {_num(g[bad[0]])})")
            if "total_steps" in ctx.fields and not ctx.offsets:
                return text + ": clamp the step at the end, e.g. min(t, total_steps)."
            return text + "."
    stuck = _stuck_hint(g, e, bad, rtol, atol, ctx) if one_d else None
    if stuck is not None:
        return stuck
    if np.all(_close(g, e, 1e-3, atol)):
        return ("your values are within 0.1% of the expected but not equal: a rounded constant "
                "(0.33 for 1/3) or a slightly different formula?")
    return None


def _compare(who, got, expected, rtol, ctx: _Context, float32: bool = False) -> CheckResult | None:
    """None when ``got`` (float64, the shape of ``expected``) matches; else the diagnosis."""
    with np.errstate(all="ignore"):
        atol = _atol(expected, rtol)
        ok = _close(got, expected, rtol, atol).reshape(-1)
        if ok.all():
            return None
        g, e = got.reshape(-1), expected.reshape(-1)
        bad = np.flatnonzero(~ok)

        def where(i: int):
            return i if got.ndim <= 1 else tuple(int(k) for k in np.unravel_index(i, got.shape))

        broken = bad[~np.isfinite(g[bad]) & np.isfinite(e[bad])]
        if broken.size:
            i = int(broken[0])
            return CheckResult(False, _with_hint(
                f"{_FAIL} {who}, {ctx.unit} {where(i)}: got {float(g[i])!r}, expected a number ({_num(e[i])})",
                "nan comes from 0/0, inf − inf or the log or square root of a negative number; inf from "
                "an overflow or a division by zero."))
        if float32 and np.all(_close(g, e, max(rtol, 1e-4), atol)):
            return CheckResult(False, _with_hint(
                f"{_FAIL} {who}: your values are float32 numbers (about 7 significant digits): they match "
                f"the expected ones to float32 precision, but the check asks for a relative error below {rtol:g}.",
                "compute in float64, NumPy's default: leave out dtype=np.float32 and .astype(np.float32)."))
        gaps = np.abs(g - e)
        gaps[ok] = 0.0
        gaps[~np.isfinite(gaps)] = np.inf
        hint = _pattern_hint(g, e, bad, rtol, atol, ctx, got.ndim == 1, got.shape)
        first, largest = int(bad[0]), int(np.argmax(gaps))
        shifted = hint is not None and hint.startswith(("your rate changes", "your values are one", "from t=",
                                                        "at each wrong", "at the one wrong", "each change",
                                                        "your changes"))
        tiny = gaps[first] < 0.01 * max(abs(float(e[first])), atol) and gaps[first] < 0.1 * gaps[largest]
        i = largest if tiny and not shifted else first
        es, gs = _pair(e[i], g[i])
        count = f"wrong at {bad.size} of {ok.size} {ctx.units}"
        if i != first:
            count += f", from {ctx.unit} {where(first)}; the largest gap is here"
        message = f"{_FAIL} {who}, {ctx.unit} {where(i)}: expected {es}, got {gs} ({count})"
        return CheckResult(False, _with_hint(message, hint))


def _is_float32(value) -> bool:
    return isinstance(value, np.float32) or (isinstance(value, np.ndarray) and value.dtype == np.float32)


def _judge_array(who, got, expected: np.ndarray, rtol, hint, ctx: _Context, passed: str) -> CheckResult:
    """Check a learner's array (any array-like) against an expected float array."""
    if isinstance(got, (list, tuple)) and _holds_none(got):
        i = next(k for k, v in enumerate(got) if _holds_none(v))
        return CheckResult(False, _with_hint(f"{_FAIL} {who}, index {i}: got None, expected a number",
                                             "does every branch of your function `return` a value?"))
    if isinstance(got, (str, bytes)) or _holds_none(got):
        return CheckResult(False, _with_hint(f"{_FAIL} {who} is {_show(got)}, expected an array of numbers", hint))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(got)
    except Exception:  # ragged lists and the like
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf":
        return CheckResult(False, _with_hint(f"{_FAIL} {who} is {_show(got)}, expected an array of numbers", hint))
    if arr.shape != expected.shape:
        extra = None
        if arr.ndim == 0:
            extra = "you returned one number where an array is expected: return all the values, as an array."
        elif arr.ndim == expected.ndim == 2 and arr.shape == expected.shape[::-1]:
            extra = f"your array is transposed: stack along the last axis (axis=-1) or use .T to get {expected.shape}."
        elif arr.ndim == expected.ndim == 1 and abs(arr.size - expected.size) == 1:
            extra = "one value too many or too few: where does it start (x_0 included?) and where does it stop?"
        elif arr.ndim == expected.ndim == 1 and arr.size == 0:
            extra = "your array is empty: nothing was put in it (a forgotten append, or a loop that never runs?)"
        elif arr.ndim == expected.ndim == 1:
            more = arr.size > expected.size
            extra = (f"{abs(arr.size - expected.size)} values too {'many' if more else 'few'}: check which values "
                     "belong in the answer (" + ("a mask not applied, a range too long" if more else
                                                 "a mask too strict, a range that stops early")
                     + ", or a sum or an index along the wrong axis?)")
        elif arr.size == expected.size:
            extra = f"the right number of values in the wrong shape: reshape to {expected.shape}."
        lines = [m for m in (extra, hint) if m]
        message = f"{_FAIL} {who}: expected shape {expected.shape}, got {arr.shape}"
        return CheckResult(False, message + "".join(f"\n  Hint: {m}" for m in lines))
    failure = _compare(who, arr.astype(np.float64), expected, rtol, ctx, float32=_is_float32(got))
    if failure is not None:
        return CheckResult(False, _with_hint(failure.message, hint)) if hint else failure
    return CheckResult(True, passed)


def _value_hint(got: float, expected: float, rtol: float, guess: bool = True) -> str | None:
    """What the check can tell from the number alone: the wrong sign, a power of 10, one off. For one
    off it guesses the cause (where a count starts, < versus <=) only when ``guess``: an exercise's
    own hint knows its counting better (it may say the slip is elsewhere)."""
    if expected != 0 and got != 0 and math.isfinite(got):
        ratio = got / expected
        if math.isclose(ratio, -1.0, rel_tol=max(rtol, 1e-9)):
            return "the right size but the wrong sign: a minus sign too many or missing?"
        exponent = math.log10(abs(ratio))
        if abs(exponent - round(exponent)) < max(rtol, 1e-9) and round(exponent) != 0:
            return f"your answer is {_factor_text(ratio, max(rtol, 1e-9))}."
    if float(expected).is_integer() and abs(expected) >= 3 and abs(got - expected) == 1:
        if not guess:
            return "one off: your number is 1 away from the answer."
        return ("one off: count again where the count starts (0 or 1) and whether the boundary "
                "itself counts (< versus <=).")
    return None


def _judge_value(who, got, expected: float, rtol, hint) -> CheckResult:
    """Check a learner's number against an expected one."""
    if got is None or got is Ellipsis:
        return _answer_not_attempted(who)
    if isinstance(got, (bool, np.bool_)):
        got = int(got)  # a yes/no answer written as True or False
    if not _is_number(got):
        extra = "one number is expected here, not an array." if isinstance(got, (np.ndarray, list, tuple)) else None
        if isinstance(got, str) and _parses_as_number(got):
            extra = "write the number without quotes: 0.5, not '0.5'."
        lines = [m for m in (extra, hint) if m]
        return CheckResult(False, f"{_FAIL} {who} is {_show(got)}, expected a number" + "".join(f"\n  Hint: {m}" for m in lines))
    value = float(got)
    if not math.isfinite(value) and math.isfinite(expected):
        return CheckResult(False, _with_hint(f"{_FAIL} {who} = {value!r}, expected a number ({_num(expected)})", hint))
    atol = _atol(np.array([expected]), rtol)
    if _close(value, expected, rtol, atol):
        return CheckResult(True, f"{_PASS} {who} = {_num(value)}")
    if _is_float32(got) and _close(value, expected, max(rtol, 1e-4), atol):
        return CheckResult(False, _with_hint(
            f"{_FAIL} {who} = {_num(value)} is a float32 number (about 7 significant digits): it matches "
            f"to float32 precision, but the check asks for a relative error below {rtol:g}.",
            "compute in float64, NumPy's default: leave out dtype=np.float32 and .astype(np.float32)."))
    es, gs = _pair(expected, value)
    lines = [m for m in (_value_hint(value, expected, rtol, guess=not hint), hint) if m]
    return CheckResult(False, f"{_FAIL} {who} = {gs}, expected {es}" + "".join(f"\n  Hint: {m}" for m in lines))


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_)) or (isinstance(value, np.ndarray) and value.ndim == 0
                                                   and value.dtype == np.bool_)


def _bool_expected(expected) -> np.ndarray | None:
    """An author's expected True/False (one, or an array of them) as a bool array; None for numbers."""
    if _is_bool(expected):
        return np.asarray(expected, dtype=bool)
    if isinstance(expected, np.ndarray) and expected.dtype == np.bool_:
        return expected
    if isinstance(expected, (list, tuple)) and expected:
        try:
            values = np.asarray(expected, dtype=object)
        except ValueError:  # ragged: not an array of True/False (``_expected_array`` names the problem)
            return None
        if all(_is_bool(v) for v in values.reshape(-1)):
            return values.astype(bool)
    return None


def _judge_bool(who, got, expected: np.ndarray, hint, returned: bool = True) -> CheckResult:
    """Check a learner's True/False (or array of them) exactly against ``expected`` (a bool array, 0-d for one)."""
    if got is None or got is Ellipsis:
        return _answer_not_attempted(who)
    want = "True or False" if expected.ndim == 0 else "an array of True/False"
    extra = None
    if isinstance(got, str):
        extra = ("write True or False without quotes." if got.strip() in ("True", "False")
                 else "answer with True or False (no quotes).")
        return CheckResult(False, f"{_FAIL} {who} is {_show(got)}, expected {want}"
                           + "".join(f"\n  Hint: {m}" for m in (extra, hint) if m))
    try:
        arr = np.asarray(got)
    except Exception:  # ragged lists and the like
        arr = np.asarray(None)
    if expected.ndim == 0:
        if arr.ndim > 0:
            extra = ("one True or False is expected here, not an array: np.all(...) or np.any(...) makes one of "
                     "an array of them." if arr.dtype == np.bool_ else "one True or False is expected here, not an array.")
            return CheckResult(False, f"{_FAIL} {who} is {_show(got)}, expected True or False"
                               + "".join(f"\n  Hint: {m}" for m in (extra, hint) if m))
    elif arr.shape != expected.shape and arr.dtype == np.bool_:
        return CheckResult(False, _with_hint(f"{_FAIL} {who}: expected shape {expected.shape}, got {arr.shape}", hint))
    if arr.dtype != np.bool_:
        if arr.dtype.kind in "iuf":
            shown = _show(got) if arr.ndim else f"{_num(arr)} (a number)"
            extra = (("return the comparison itself (True or False, e.g. `x > 0`), not a number such as 1 or 0."
                      if returned else "answer True or False, not a number such as 1 or 0.")
                     if expected.ndim == 0 else
                     "return the comparison itself (an array of True/False, e.g. `x > 0`), not numbers such as 1.0 or 0.0.")
            return CheckResult(False, f"{_FAIL} {who} is {shown}, expected {want}"
                               + "".join(f"\n  Hint: {m}" for m in (extra, hint) if m))
        return CheckResult(False, _with_hint(f"{_FAIL} {who} is {_show(got)}, expected {want}", hint))
    if expected.ndim == 0:
        if bool(arr) == bool(expected):
            return CheckResult(True, f"{_PASS} {who} is {bool(expected)}")
        return CheckResult(False, _with_hint(f"{_FAIL} {who} is {bool(arr)}, expected {bool(expected)}", hint))
    wrong = np.flatnonzero(arr.reshape(-1) != expected.reshape(-1))
    if wrong.size == 0:
        return CheckResult(True, f"{_PASS} {who} matches the expected values ({expected.size} values)")
    i = int(wrong[0])
    where = i if expected.ndim == 1 else tuple(int(k) for k in np.unravel_index(i, expected.shape))
    message = (f"{_FAIL} {who}, index {where}: expected {bool(expected.reshape(-1)[i])}, got "
               f"{bool(arr.reshape(-1)[i])} (wrong at {wrong.size} of {expected.size} values)")
    if wrong.size == expected.size:
        hint = "\n  Hint: ".join(m for m in ("every value is the opposite: the comparison is the wrong way round "
                                             "(< for >, or a `not` too many)?", hint) if m)
    return CheckResult(False, _with_hint(message, hint))


# --------------------------------------------------------------------------- the checks


def _early(fn, who: str, argument: str) -> CheckResult | None:
    """Say early if the learner's ``fn`` is missing or not a function."""
    if fn is None or fn is Ellipsis:
        return _nothing_built()
    if not callable(fn):
        return CheckResult(False, f"{_FAIL} expected a function of {argument}, got {_show(fn)}")
    return None


def _starter_of(fn) -> bool:
    code = getattr(fn, "__code__", None)
    return code is not None and _is_starter(code)


def _outcome_failure(who: str, outcome: _Outcome, watch: _Watch, fn, hint_for_error=_error_hint) -> CheckResult | None:
    """The message for learner code that did not return normally (None when it did)."""
    if outcome.stopped == "time":
        return CheckResult(False, _time_message(who, outcome.line))
    if outcome.stopped in ("loop", "calls"):
        return CheckResult(False, _loop_message(who, outcome.line, outcome.stopped))
    if outcome.error is not None:
        if isinstance(outcome.error, NotImplementedError) and (watch.starter or _starter_of(fn)):
            return _not_attempted(who)
        return CheckResult(False, _error_message(who, outcome, hint_for_error(outcome.error)))
    return None


def _add_hint(result: CheckResult, hint: str | None) -> CheckResult:
    """The author's ``hint`` after what the check says itself, on a wrong answer only."""
    if hint and result.passed is False:
        return CheckResult(False, _with_hint(result.message, hint))
    return result



def _schedule_check(result, fn, reference, steps, rtol, name, hint) -> CheckResult:
    """Validate the author's arguments of a schedule check, then run ``result`` (the learner's
    side) and add the author's ``hint`` to a wrong answer."""
    expected, steps, label = _reference_values(reference, steps)
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    _check_name("hint", hint)
    return _add_hint(result(fn, expected, steps, label, rtol, name, reference), hint)

def check_schedule(fn, reference, steps=None, rtol=1e-9, name=None, hint=None) -> CheckResult:
    """Check a learner's schedule ``fn(t)`` against ``reference`` on t = 0..steps-1.

    ``fn`` is called with one Python int at a time (learners write scalar code), inside
    the check: its exceptions, a missing ``return`` and an endless loop are reported.
    ``reference`` is an lrlab schedule, any function of the step, or a 1-D array of the
    expected values; ``steps`` defaults to 200 (to the array's length for an array).
    ``name`` names the reference in the success message (default: its repr); ``hint`` is
    shown with a wrong answer, after what the check can tell itself.

    >>> import lrlab
    >>> print(check_schedule(lambda t: 0.2 * 0.5 ** (t // 10), lrlab.step_decay(0.1, 10, 0.5)))
    ✗ your function, step 0: expected 0.1, got 0.2 (wrong at 200 of 200 steps)
      Hint: all values are 2× the expected: check lr0.
    """
    return _schedule_check(_schedule_result, fn, reference, steps, rtol, name, hint)


def _schedule_result(fn, expected, steps, label, rtol, name, reference) -> CheckResult:
    who = _fn_name(fn)
    early = _early(fn, who, "the step t")
    if early is not None:
        return early
    watch = _Watch(no_loops=False, fn=fn)
    raw = []
    with _quiet():
        for t in range(steps):
            outcome = _run(watch, fn, (t,))
            if outcome.error is not None and isinstance(outcome.error, NotImplementedError) and t > 0:
                if not (watch.starter or _starter_of(fn)):
                    return CheckResult(None, f"{_NOT_ATTEMPTED} {who} is not finished yet: it raises "
                                             f"NotImplementedError at step {t}.")
            failure = _outcome_failure(f"{who}, step {t}:", outcome, watch, fn)
            if failure is not None:
                return _not_attempted(who) if failure.passed is None else failure
            raw.append(outcome.value)

    if all(v is None or v is Ellipsis for v in raw):
        return _none_result(who, watch)
    for t, v in enumerate(raw):
        if not _is_number(v):
            hint = "does every branch of your function `return` a value?" if v is None else None
            if isinstance(v, (np.ndarray, list, tuple)):
                hint = "for one step t, return one number."
            return CheckResult(False, _with_hint(f"{_FAIL} {who}, step {t}: got {_show(v)}, expected a number", hint))
    got = np.array([float(v) for v in raw])
    failure = _compare(who, got, expected, rtol, _schedule_context(reference), float32=any(map(_is_float32, raw)))
    if failure is not None:
        return failure
    return CheckResult(True, f"{_PASS} {who} matches {name or label} on steps 0–{steps - 1}")


def check_vectorized(fn, reference, steps=None, rtol=1e-9, name=None, hint=None) -> CheckResult:
    """Check a learner's vectorized schedule: ``fn(np.arange(steps))``, called once,
    must return an array of shape ``(steps,)`` equal to ``reference`` (as for
    :func:`check_schedule`), computed with array code: a Python loop, a comprehension,
    ``map`` or ``np.vectorize`` in the learner's code is rejected. ``hint`` is shown with a
    wrong answer.

    >>> import lrlab, math
    >>> print(check_vectorized(lambda t: 0.1, lrlab.constant(0.1), steps=10))
    ✗ your function returned one number (0.1) for 10 steps: build the result from the array t with NumPy operations.
    """
    return _schedule_check(_vectorized_result, fn, reference, steps, rtol, name, hint)


def _vectorized_result(fn, expected, steps, label, rtol, name, reference) -> CheckResult:
    who = _fn_name(fn)
    early = _early(fn, who, "the steps t")
    if early is not None:
        return early
    watch = _Watch(no_loops=True, fn=fn)
    with _quiet():
        outcome = _run(watch, fn, (np.arange(steps),))
    failure = _outcome_failure(f"{who}(np.arange({steps}))", outcome, watch, fn)
    if failure is not None:
        return _not_attempted(who) if failure.passed is None else failure
    out = outcome.value
    if _holds_none(out):
        return _none_result(who, watch)
    source = _source_loops(fn)
    if source is not None:
        return CheckResult(False, _loop_message(who, source, "source"))
    if _is_number(out):
        return CheckResult(
            False,
            f"{_FAIL} {who} returned one number ({_num(out)}) for {steps} steps: "
            "build the result from the array t with NumPy operations.",
        )
    result = _judge_array(who, out, expected, rtol, None, _schedule_context(reference),
                          f"{_PASS} {who} matches {name or label} on steps 0–{steps - 1}, all at once")
    if not result and "expected shape" in result.message:
        return CheckResult(False, result.message.split("\n")[0])
    return result


def _arg_label(value) -> str:
    """An argument in a call's label: numbers and short strings as they are, anything else as …."""
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (numbers.Integral, np.integer)):
        return repr(int(value))
    if _is_number(value):
        return _num(value)
    if isinstance(value, str) and len(value) <= 20:
        return repr(value)
    return "…"


def _call_label(fn, args, kwargs) -> str:
    parts = [_arg_label(a) for a in args] + [f"{k}={_arg_label(v)}" for k, v in kwargs.items()]
    return f"{_fn_name(fn)}({', '.join(parts)})"


def check_call(fn, args, expected, rtol=1e-6, name=None, hint=None, kwargs=None, no_loops=False) -> CheckResult:
    """Call the learner's ``fn(*args, **kwargs)`` inside the check and compare the result
    with ``expected``: a number, an array (its shape, then its values), or True/False (one,
    or an array of them), which the learner's result must match exactly, as booleans.

    What goes wrong is diagnosed: an untouched starter ("not attempted yet"), a body that
    forgets ``return``, an exception (its type, message and the learner's line), an endless
    loop (stopped after ``TIME_LIMIT`` seconds), and, with ``no_loops=True``, a Python loop,
    comprehension, ``map`` or ``np.vectorize`` in the learner's code. ``name`` names the
    call in the messages (default: the function and its arguments); ``hint`` is shown
    with a wrong answer.

    >>> import numpy as np
    >>> def double(x):
    ...     return 2 * x
    >>> print(check_call(double, (np.arange(3.0),), [0.0, 2.0, 4.0], name="double(x)"))
    ✓ double(x) matches the expected values (3 values)
    >>> def forgot(x):
    ...     y = 2 * x
    >>> print(check_call(forgot, (1.5,), 3.0))
    ✗ forgot returns None: did you forget `return`?
    >>> print(check_call(lambda x: x > 1, (0.5,), False, name="x > 1"))
    ✓ x > 1 is False
    >>> print(check_call(lambda x: 1, (0.5,), False, name="x > 1"))
    ✗ x > 1 is 1 (a number), expected True or False
      Hint: return the comparison itself (True or False, e.g. `x > 0`), not a number such as 1 or 0.
    >>> def looped(x):
    ...     return np.array([2 * v for v in x])
    >>> print(check_call(looped, (np.arange(3.0),), [0.0, 2.0, 4.0], no_loops=True))  # doctest: +ELLIPSIS
    ✗ looped(…) iterates in Python (a loop or a comprehension) (at line 2: `return np.array([2 * v for v in x])`): this exercise asks for array code, with no Python loop.
      Hint: work on the whole array at once with NumPy: ...
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"args must be a tuple of the arguments, got {args!r:.80} ({type(args).__name__})")
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, dict):
        raise TypeError(f"kwargs must be a dict or None, got {kwargs!r:.80} ({type(kwargs).__name__})")
    if not isinstance(no_loops, (bool, np.bool_)):
        raise TypeError(f"no_loops must be True or False, got {no_loops!r}")
    boolean = _bool_expected(expected)
    scalar = _is_number(expected)
    if boolean is None:
        expected_values = float(expected) if scalar else _expected_array("expected", expected)
        if scalar and not math.isfinite(expected_values):
            raise ValueError(f"expected must be a finite number, got {expected!r}")
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    _check_name("hint", hint)
    who = name or _call_label(fn, args, kwargs)
    early = _early(fn, _fn_name(fn), "your arguments")
    if early is not None:
        return early
    watch = _Watch(no_loops=bool(no_loops), fn=fn)
    with _quiet():
        outcome = _run(watch, fn, tuple(args), kwargs)
    failure = _outcome_failure(who, outcome, watch, fn)
    if failure is not None:
        return _not_attempted(_fn_name(fn)) if failure.passed is None else failure
    if _holds_none(outcome.value):
        if outcome.value is None or outcome.value is Ellipsis or watch.starter:
            return _none_result(_fn_name(fn), watch)
    if no_loops:
        source = _source_loops(fn)
        if source is not None:
            return CheckResult(False, _loop_message(who, source, "source"))
    if boolean is not None:
        return _judge_bool(who, outcome.value, boolean, hint)
    if scalar:
        return _judge_value(who, outcome.value, expected_values, rtol, hint)
    return _judge_array(who, outcome.value, expected_values, rtol, hint, _Context(),
                        f"{_PASS} {who} matches the expected values ({expected_values.size} values)")


def check_value(got, expected, rtol=1e-6, name="your answer", hint=None) -> CheckResult:
    """Check a number: a prediction, or a derived quantity such as 2/L (or a yes/no answer:
    an ``expected`` of True or False is matched exactly, as a boolean).

    ``got`` of None or ``...`` is "not attempted yet"; ``hint`` is shown on a wrong answer,
    after what the check can tell itself (a factor of 10, the wrong sign, one off).

    >>> print(check_value(0.1001, 0.1, rtol=1e-2))
    ✓ your answer = 0.1001
    >>> print(check_value(-0.5, 0.5, name="the factor"))
    ✗ the factor = -0.5, expected 0.5
      Hint: the right size but the wrong sign: a minus sign too many or missing?
    """
    if _is_bool(expected):
        _check_rtol(rtol)
        _check_name("name", name)
        _check_name("hint", hint)
        return _judge_bool(name or "your answer", got, np.asarray(expected, dtype=bool), hint, returned=False)
    if not _is_number(expected):
        raise TypeError(f"expected must be a real number or True/False, got {expected!r} ({type(expected).__name__})")
    expected = float(expected)
    if not math.isfinite(expected):
        raise ValueError(f"expected must be a finite number, got {expected!r}")
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    _check_name("hint", hint)
    return _judge_value(name or "your answer", got, expected, rtol, hint)


def check_array(got, expected, rtol=1e-6, name="your array", hint=None) -> CheckResult:
    """Check an array: its shape, then its values (reporting the first wrong index, or
    the largest gap when the first is tiny, and what the wrong values have in common).

    >>> import numpy as np
    >>> print(check_array(np.zeros((2, 3)), np.zeros(6), name="grid"))
    ✗ grid: expected shape (6,), got (2, 3)
      Hint: the right number of values in the wrong shape: reshape to (6,).
    """
    expected = _expected_array("expected", expected)
    rtol = _check_rtol(rtol)
    _check_name("name", name)
    _check_name("hint", hint)
    name = name or "your array"
    if got is None or got is Ellipsis:
        return _answer_not_attempted(name)
    return _judge_array(name, got, expected, rtol, hint, _Context(),
                        f"{_PASS} {name} matches the expected values ({expected.size} values)")
