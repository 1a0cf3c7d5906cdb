"""The exercise self-checks (lrlab.checks): what a learner sees, case by case.

A check never raises because of the learner's code: an untouched starter cell reports
"not attempted yet" (…), a wrong answer reports the first wrong step with the expected
and the given value and, where it can tell, a hint (one step late or early at a boundary,
every value off by a constant factor), and an exception in the learner's code is reported
with its type and message. Only the notebook author's mistakes (a reference that is not a
schedule, a bad ``steps``) raise, naming the parameter. Messages are plain, deterministic
text that starts with ✓, ✗ or ….
"""

from __future__ import annotations

import math
import re
import sys
import time

import numpy as np
import pytest

import lrlab
import lrlab.checks
from lrlab.checks import CheckResult, check_array, check_call, check_schedule, check_value, check_vectorized

STEP = lrlab.step_decay(0.1, 10, 0.5)
MULTI = lrlab.multistep(0.1, [30, 80], 0.1)


# --------------------------------------------------------------------------- learner code


def step_ok(t, lr0=0.1, step_size=10, gamma=0.5):
    return lr0 * gamma ** (t // step_size)


def step_late(t, lr0=0.1, step_size=10, gamma=0.5):
    """Drops after step_size steps have passed *beyond* the boundary: t > k·step_size."""
    drops = sum(1 for k in range(1, t + 1) if t > k * step_size)
    return lr0 * gamma**drops


def step_early(t, lr0=0.1, step_size=10, gamma=0.5):
    """Drops one step before the boundary: (t + 1) // step_size."""
    return lr0 * gamma ** ((t + 1) // step_size)


def multi_late(t, lr0=0.1, milestones=(30, 80), gamma=0.1):
    return lr0 * gamma ** sum(1 for m in milestones if m < t)  # should be m <= t


def multi_early(t, lr0=0.1, milestones=(30, 80), gamma=0.1):
    return lr0 * gamma ** sum(1 for m in milestones if m <= t + 1)


def step_times_ten(t):
    return 1.0 * 0.5 ** (t // 10)


def body_ellipsis(t, lr0=0.1):
    ...  # your code here


def body_pass(t, lr0=0.1):
    pass


def body_not_implemented(t, lr0=0.1):
    raise NotImplementedError("your code here")


def divides_by_zero(t):
    return 0.1 / (t - 3)


# --------------------------------------------------------------------------- CheckResult


def test_result_repr_is_the_message_and_bool_is_passed():
    r = check_schedule(step_ok, STEP)
    assert isinstance(r, CheckResult)
    assert r.passed is True and bool(r)
    assert repr(r) == str(r) == r.message
    assert not bool(CheckResult(False, "✗")) and not bool(CheckResult(None, "…"))


# --------------------------------------------------------------------------- check_schedule


@pytest.mark.parametrize("fn", [body_ellipsis, body_pass, body_not_implemented])
def test_untouched_starter_cell_is_not_attempted(fn):
    r = check_schedule(fn, STEP)
    assert r.passed is None and not r
    assert r.message.startswith("…")
    assert "not attempted yet" in r.message
    assert fn.__name__ in r.message


def test_correct_solution_passes_with_the_reference_and_range():
    r = check_schedule(step_ok, STEP)
    assert r.message == "✓ step_ok matches step_decay(lr0=0.1, step_size=10, gamma=0.5) on steps 0–199"
    assert check_schedule(step_ok, STEP, steps=25, name="StepLR").message == "✓ step_ok matches StepLR on steps 0–24"


def test_reference_may_be_a_function_or_an_array():
    assert check_schedule(step_ok, lambda t: 0.1 * 0.5 ** (t // 10))
    values = STEP(np.arange(50))
    r = check_schedule(step_ok, values)
    assert r and r.message.endswith("on steps 0–49")
    assert check_schedule(step_ok, list(values), steps=20).message.endswith("steps 0–19")


def test_tolerance_accepts_rounding_differences():
    cos = lrlab.cosine(0.1, 100)
    assert check_schedule(lambda t: 0.05 * (1 + math.cos(math.pi * t / 100)) if t <= 100 else 0.0, cos)


@pytest.mark.parametrize(
    "fn, ref, t, before",
    [(step_late, STEP, 10, 9), (multi_late, MULTI, 30, 29)],
    ids=["step_decay", "multistep"],
)
def test_one_step_late_at_a_boundary(fn, ref, t, before):
    r = check_schedule(fn, ref)
    assert r.passed is False and r.message.startswith("✗")
    first = r.message.splitlines()[0]
    assert f"step {t}: expected {ref(t):.6g}, got {ref(before):.6g}" in first
    assert "one step late" in r.message
    assert f"at t={t} you return what the schedule gives at t={before}" in r.message
    assert "< versus <=" in r.message


@pytest.mark.parametrize(
    "fn, ref, t, after",
    [(step_early, STEP, 9, 10), (multi_early, MULTI, 29, 30)],
    ids=["step_decay", "multistep"],
)
def test_one_step_early_at_a_boundary(fn, ref, t, after):
    r = check_schedule(fn, ref)
    assert r.passed is False
    assert f"step {t}: expected {ref(t):.6g}, got {ref(after):.6g}" in r.message
    assert "one step early" in r.message
    assert f"at t={t} you return what the schedule gives at t={after}" in r.message


def test_whole_schedule_shifted_by_one_is_reported_as_early():
    exp = lrlab.exponential(0.1, 0.9)
    r = check_schedule(lambda t: 0.1 * 0.9 ** (t + 1), exp)
    assert "one step early" in r.message and "at t=0" in r.message


def test_constant_factor():
    r = check_schedule(step_times_ten, STEP)
    assert r.passed is False
    assert "step 0: expected 0.1, got 1" in r.message
    assert "all values are 10× the expected: a factor of 10 too many" in r.message


def test_first_mismatch_without_a_pattern_has_no_hint():
    r = check_schedule(lambda t: 0.1 * 0.5 ** (t / 10), STEP)  # / instead of //
    assert r.message.splitlines() == ["✗ your function, step 1: expected 0.1, got 0.0933033 (wrong at 180 of 200 steps)"]


def test_values_that_look_equal_at_6_digits_are_shown_in_full():
    r = check_schedule(lambda t: 0.1 + 1e-8, lrlab.constant(0.1))
    assert "expected 0.1, got 0.10000001" in r.message


@pytest.mark.parametrize(
    "value, shown",
    [(None, "got None"), ("abc", "got 'abc'"), (math.nan, "got nan"), (math.inf, "got inf"), (True, "got True")],
)
def test_not_a_number_at_a_step(value, shown):
    r = check_schedule(lambda t: value if t == 3 else 0.1, lrlab.constant(0.1))
    assert r.passed is False
    assert r.message.startswith(f"✗ your function, step 3: {shown}")
    assert "expected a number" in r.message


def test_missing_return_in_one_branch_gets_a_hint():
    def branchy(t):
        if t < 10:
            return 0.1

    r = check_schedule(branchy, STEP)
    assert "step 10: got None, expected a number" in r.message
    assert "return" in r.message


def test_exception_in_learner_code_is_reported_not_raised():
    r = check_schedule(divides_by_zero, STEP)
    assert r.passed is False
    assert r.message.splitlines() == [
        "✗ divides_by_zero, step 3: raised ZeroDivisionError: float division by zero",
        f"  in divides_by_zero, line {divides_by_zero.__code__.co_firstlineno + 1}: `return 0.1 / (t - 3)`",
    ]
    assert "Traceback" not in r.message


def test_missing_arguments_are_reported_not_raised():
    r = check_schedule(lambda t, lr0: lr0, STEP)
    assert r.passed is False and "raised TypeError" in r.message and "lr0" in r.message


def test_learner_passing_a_non_function_is_reported():
    r = check_schedule(0.1, STEP)
    assert r.passed is False and "expected a function" in r.message


def test_reprs_are_deterministic():
    cases = [
        lambda: check_schedule(step_ok, STEP),
        lambda: check_schedule(step_late, STEP),
        lambda: check_schedule(lambda t: object(), STEP),
        lambda: check_schedule(divides_by_zero, STEP),
        lambda: check_vectorized(lambda t: [object()] * len(t), STEP),
    ]
    for make in cases:
        a, b = repr(make()), repr(make())
        assert a == b
        assert not re.search(r"0x[0-9a-f]{6,}", a), a
        assert a[0] in "✓✗…"


@pytest.mark.parametrize(
    "reference",
    [0.1, "step_decay", None, lrlab.ReduceOnPlateau(0.1), {"lr0": 0.1}],
    ids=["number", "str", "None", "plateau", "dict"],
)
def test_bad_reference_raises_type_error_naming_it(reference):
    with pytest.raises(TypeError, match="reference"):
        check_schedule(step_ok, reference)
    with pytest.raises(TypeError, match="reference"):
        check_vectorized(step_ok, reference)


def test_bad_author_arguments_raise_naming_the_parameter():
    with pytest.raises(ValueError, match="reference"):
        check_schedule(step_ok, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="steps"):
        check_schedule(step_ok, STEP, steps=0)
    with pytest.raises(TypeError, match="steps"):
        check_schedule(step_ok, STEP, steps=2.5)
    with pytest.raises(ValueError, match="steps"):
        check_schedule(step_ok, np.ones(5), steps=10)
    with pytest.raises(ValueError, match="rtol"):
        check_schedule(step_ok, STEP, rtol=-1)
    with pytest.raises(TypeError, match="name"):
        check_schedule(step_ok, STEP, name=3)


# --------------------------------------------------------------------------- check_vectorized


def test_vectorized_correct_solution_passes():
    r = check_vectorized(lambda t: 0.1 * 0.5 ** (t // 10), STEP)
    assert r.passed is True
    assert r.message.endswith("on steps 0–199, all at once")


@pytest.mark.parametrize("fn", [body_ellipsis, body_pass, body_not_implemented])
def test_vectorized_not_attempted(fn):
    r = check_vectorized(fn, STEP)
    assert r.passed is None and r.message.startswith("…")


def test_vectorized_wrong_shape():
    r = check_vectorized(lambda t: STEP(t[1:]), STEP)
    assert r.message == "✗ your function: expected shape (200,), got (199,)"


def test_vectorized_scalar_returned():
    r = check_vectorized(lambda t: 0.1, lrlab.constant(0.1))
    assert r.passed is False and "returned one number (0.1) for 200 steps" in r.message


def test_vectorized_first_mismatch_and_hints():
    r = check_vectorized(lambda t: 0.1 * 0.5 ** ((t + 1) // 10), STEP)
    assert "step 9: expected 0.1, got 0.05" in r.message and "one step early" in r.message
    r = check_vectorized(lambda t: 1.0 * 0.5 ** (t // 10), STEP)
    assert "10× the expected" in r.message


def test_vectorized_if_on_array_is_reported_with_np_where_hint():
    r = check_vectorized(lambda t: 0.1 if t < 10 else 0.05, STEP)
    assert r.passed is False and "raised ValueError" in r.message and "np.where" in r.message


def test_vectorized_math_function_is_reported_with_numpy_hint():
    r = check_vectorized(lambda t: 0.1 * 0.5 ** math.floor(t / 10), STEP)
    assert r.passed is False and "raised TypeError" in r.message and "np.floor" in r.message


def test_vectorized_nan_and_warnings_do_not_escape():
    r = check_vectorized(lambda t: 0.1 / np.sqrt(t) * np.sqrt(t), lrlab.constant(0.1))  # 0/0 at t=0
    assert r.message.startswith("✗ your function, step 0: got nan, expected a number")


# --------------------------------------------------------------------------- check_value


@pytest.mark.parametrize("got", [None, ...])
def test_value_not_attempted(got):
    r = check_value(got, 0.5, name="2/L")
    assert r.passed is None and r.message.startswith("… 2/L is not attempted yet")


def test_value_right_and_wrong():
    assert check_value(np.float64(0.5), 0.5, name="2/L").message == "✓ 2/L = 0.5"
    r = check_value(1.0, 0.5, name="2/L", hint="2/L, not 1/L")
    assert r.passed is False
    assert r.message == "✗ 2/L = 1, expected 0.5\n  Hint: 2/L, not 1/L"
    assert check_value(1e-12, 0.0)  # an expected zero does not demand an exact zero
    assert not check_value(0.1, 0.0)


def test_value_not_a_number():
    r = check_value("0.5", 0.5)
    assert r.passed is False and "'0.5'" in r.message and "expected a number" in r.message
    assert check_value(math.nan, 0.5).passed is False


def test_value_bad_expected_raises():
    with pytest.raises(ValueError, match="expected"):
        check_value(0.5, math.nan)
    with pytest.raises(TypeError, match="expected"):
        check_value(0.5, "0.5")
    with pytest.raises(TypeError, match="expected"):
        check_value(0.5, None)


# --------------------------------------------------------------------------- check_array


def test_array_checks():
    assert check_array([1, 2, 3], np.array([1.0, 2.0, 3.0])).passed is True
    assert check_array(None, [1.0]).passed is None
    r = check_array(np.ones(4), np.ones(3), name="lrs")
    assert r.message.splitlines()[0] == "✗ lrs: expected shape (3,), got (4,)"
    assert "one value too many or too few" in r.message
    r = check_array([[1.0, 2.0], [3.0, 5.0]], [[1.0, 2.0], [3.0, 4.0]], name="grid")
    assert r.message == "✗ grid, index (1, 1): expected 4, got 5 (wrong at 1 of 4 values)"
    assert check_array("abc", [1.0]).passed is False
    with pytest.raises(TypeError, match="expected"):
        check_array([1.0], "abc")


# --------------------------------------------------------------------------- check_call


def double(x):
    return 2 * x


def test_call_right_answer_passes_whatever_its_type():
    assert check_call(double, (np.arange(3.0),), [0.0, 2.0, 4.0]).passed is True
    assert check_call(lambda x: [0.0, 2.0, 4.0], (None,), np.array([0.0, 2.0, 4.0])).passed is True  # a list
    assert check_call(lambda: np.float64(0.5), (), 0.5).passed is True  # a NumPy scalar
    assert check_call(lambda: np.array(0.5), (), 0.5).passed is True  # a 0-d array
    assert check_call(lambda a, b=0: a + b, (1,), 3, kwargs={"b": 2}).message == "✓ your function(1, b=2) = 3"


def test_call_untouched_and_missing_return():
    r = check_call(body_ellipsis, (1,), 1.0)
    assert r.passed is None and r.message == "… body_ellipsis is not attempted yet: write its body, then run this cell again."
    assert check_call(body_not_implemented, (1,), 1.0).passed is None
    assert check_call(None, (1,), 1.0).passed is None

    def forgot(x):
        y = 2 * x  # noqa: F841 (the learner's missing return)

    assert check_call(forgot, (1,), 2.0).message == "✗ forgot returns None: did you forget `return`?"


def test_call_exception_is_reported_with_the_learners_line():
    def broken(x):
        y = x + 1
        return y / 0

    r = check_call(broken, (1,), 2.0, name="broken(1)")
    assert r.passed is False
    assert r.message.splitlines()[0] == "✗ broken(1) raised ZeroDivisionError: division by zero"
    assert r.message.splitlines()[1].startswith("  in broken, line ") and "`return y / 0`" in r.message


def test_call_bad_author_arguments_raise_naming_the_parameter():
    with pytest.raises(TypeError, match="args"):
        check_call(double, 1.0, 2.0)
    with pytest.raises(TypeError, match="kwargs"):
        check_call(double, (1.0,), 2.0, kwargs=[("a", 1)])
    with pytest.raises(TypeError, match="no_loops"):
        check_call(double, (1.0,), 2.0, no_loops="yes")
    with pytest.raises(TypeError, match="expected"):
        check_call(double, (1.0,), "2.0")
    with pytest.raises(TypeError, match="hint"):
        check_call(double, (1.0,), 2.0, hint=3)


def looped_double(x):
    return np.array([2 * v for v in x])


def while_double(x):
    out, i = np.empty_like(x), 0
    while i < len(x):
        out[i] = 2 * x[i]
        i += 1
    return out


def mapped_double(x):
    return np.array(list(map(lambda v: 2 * v, x)))


def empty_loop_double(x):
    for _ in range(0):
        pass
    return 2 * x


@pytest.mark.parametrize("fn", [looped_double, while_double, mapped_double, empty_loop_double])
def test_call_no_loops_rejects_python_iteration(fn):
    r = check_call(fn, (np.arange(50.0),), 2 * np.arange(50.0), no_loops=True)
    assert r.passed is False and "no Python loop" in r.message, r.message
    assert check_call(fn, (np.arange(50.0),), 2 * np.arange(50.0)).passed is True  # allowed without no_loops


def test_endless_loop_is_stopped_and_the_previous_tracer_restored(monkeypatch):
    monkeypatch.setattr(lrlab.checks, "TIME_LIMIT", 0.2)

    def endless(t):
        n = 0
        while n >= 0:
            try:
                n += 1
            except Exception:  # a learner's catch-all does not swallow the stop
                pass
        return n

    def tracer(frame, event, arg):
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        start = time.perf_counter()
        r = check_schedule(endless, STEP)
        elapsed = time.perf_counter() - start
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(previous)
    assert r.passed is False and "was stopped after 0.2 s" in r.message and "endless loop" in r.message
    assert "while n >= 0:" in r.message
    assert elapsed < 5


def test_not_finished_yet_when_notimplemented_comes_later():
    def partial(t):
        if t < 10:
            return 0.1
        raise NotImplementedError

    r = check_schedule(partial, STEP)
    assert r.passed is None and "not finished yet" in r.message and "step 10" in r.message


# --------------------------------------------------------------------------- diagnoses


def test_float32_precision_is_recognised():
    r = check_vectorized(lambda t: (0.1 * 0.5 ** (t // 10)).astype(np.float32), STEP)
    assert r.passed is False and "float32" in r.message and "1× the expected" not in r.message
    r = check_value(np.float32(0.1), 0.1, rtol=1e-9)
    assert r.passed is False and "float32" in r.message


def test_shift_on_a_smooth_schedule_has_no_boundary_advice():
    r = check_schedule(lambda t: lrlab.cosine(0.1, 100)(t + 1), lrlab.cosine(0.1, 100), steps=120)
    assert "one step early" in r.message and "t + 1 instead of t" in r.message
    assert "< versus <=" not in r.message


def test_forgotten_floor_reports_the_end_values():
    r = check_schedule(lambda t: 0.5 * (1 + math.cos(math.pi * min(t, 80) / 80)) / 2 * 1.0,
                       lrlab.cosine(0.5, 80, lr_min=0.05), steps=120)
    assert "expected 0.05, got 0" in r.message and "lr_min = 0.05" in r.message
    assert "step 1:" not in r.message  # the largest gap, not the first tiny one


def test_composed_schedule_on_the_global_clock():
    warm = lrlab.linear_warmup(lrlab.cosine(0.05, 180), 20)
    r = check_schedule(lambda t: 0.05 * t / 20 if t < 20 else lrlab.cosine(0.05, 180)(t), warm, steps=220)
    assert "global clock t instead of its own clock t − 20" in r.message


def test_check_array_shift_and_factor_hints():
    r = check_array([0.1, 0.1, 0.1, 0.05, 0.05], [0.1, 0.1, 0.05, 0.05, 0.05], name="rates")
    assert "one index late" in r.message
    r = check_array([1.0, 2.0, 3.0, 4.0], [0.1, 0.2, 0.3, 0.4])
    assert "10× the expected" in r.message
    r = check_array([-1.0, -2.0], [1.0, 2.0])
    assert "wrong sign" in r.message


def test_huge_values_make_no_warning():
    # warnings are errors in this test suite: an overflow in the comparison would fail here
    assert check_array([1e308, -1e308], [-1e308, 1e308]).passed is False
    assert check_value(1e308, -1e308).passed is False
    assert check_schedule(lambda t: 1e308 * (t + 1), lrlab.constant(1e308), steps=5).passed is False


def test_a_failing_reference_raises_value_error_naming_it():
    with pytest.raises(ValueError, match="reference could not be evaluated at t=3"):
        check_schedule(step_ok, lambda t: 1 / (t - 3))


def test_value_hints_for_ten_times_sign_and_one_off():
    assert "10× the expected" in check_value(5.0, 0.5).message
    assert "0.1× the expected" in check_value(0.05, 0.5).message
    assert "wrong sign" in check_value(-0.5, 0.5).message
    assert "one off" in check_value(29, 30).message
    assert "one off" not in check_value(0, 1).message  # a yes/no answer is not a count
    assert check_value(True, 1.0).passed is True


def test_a_slow_but_correct_function_gets_a_word(monkeypatch):
    monkeypatch.setattr(lrlab.checks, "TIME_LIMIT", 0.2)

    def slow(t):
        total = 0.0
        for _ in range(10**7):
            total += 0.0
        return 0.1 + total

    r = check_schedule(slow, lrlab.constant(0.1), steps=5)
    assert r.passed is False and "very slow one" in r.message and "for _ in range(10**7):" in r.message


def test_the_right_values_in_another_order():
    r = check_array([3.0, 2.0, 1.0], [1.0, 2.0, 3.0], name="rates")
    assert "in reverse order" in r.message and "smallest first" in r.message
    r = check_array([2.0, 1.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0])
    assert "the right ones in another order" in r.message and "one index" not in r.message
    grid = np.arange(24.0).reshape(4, 6)  # columns: a 2 × 3 grid, the 2-long axis outer
    swapped = grid.reshape(4, 2, 3).swapaxes(1, 2).reshape(4, 6)
    r = check_array(swapped, grid, name="table")
    assert "your columns hold the right values in another order" in r.message and "a 2 × 3 grid" in r.message
    square = np.arange(9.0).reshape(3, 3)
    assert "transposed" in check_array(square.T, square).message
    # a schedule shifted round by one step is a shift, not a rearrangement
    r = check_array(np.roll([0.1, 0.1, 0.05, 0.05, 0.05], 1), [0.1, 0.1, 0.05, 0.05, 0.05])
    assert "another order" not in r.message


def test_boundary_advice_for_arrays_only_where_the_reference_jumps():
    smooth = np.cos(np.linspace(0, 1, 20))
    r = check_array(smooth[1:].tolist() + [smooth[-1]], smooth)
    assert "one index early" in r.message and "an index off by one" in r.message
    assert "< versus <=" not in r.message and "before or after the update" not in r.message
    steps = np.repeat([0.1, 0.05, 0.025], 10)
    r = check_array(np.r_[steps[0], steps[:-1]], steps)
    assert "one index late" in r.message and "check < versus <=" in r.message


def test_changes_late_by_a_growing_number_of_steps():
    r = check_schedule(lrlab.step_decay(0.1, 11, 0.5), lrlab.step_decay(0.1, 10, 0.5), steps=50)
    assert "each change comes one step later than the one before" in r.message
    assert "at t=11 (expected 10), 22 (expected 20)" in r.message and "period one step too long" in r.message
    r = check_schedule(lrlab.step_decay(0.1, 9, 0.5), lrlab.step_decay(0.1, 10, 0.5), steps=50)
    assert "one step earlier than the one before" in r.message and "(>= versus >?)" in r.message
    # a smooth schedule has no changes to count
    r = check_schedule(lrlab.cosine(0.1, 40), lrlab.cosine(0.1, 50), steps=50)
    assert "each change" not in r.message and "your changes" not in r.message


def test_boolean_expected_values():
    assert check_call(lambda: True, (), True).passed is True
    assert check_call(lambda: np.bool_(False), (), np.bool_(False)).passed is True
    assert check_call(lambda: np.float64(1.0) > 0, (), True).message.startswith("✓")
    r = check_call(lambda: 1, (), True, name="stable")
    assert r.passed is False and "stable is 1 (a number), expected True or False" in r.message
    assert "return the comparison itself" in r.message
    r = check_call(lambda: False, (), True, name="stable")
    assert r.message == "✗ stable is False, expected True"
    r = check_call(lambda: "True", (), True, name="stable")
    assert "without quotes" in r.message
    r = check_call(lambda: np.array([True, False]), (), True, name="stable")
    assert "not an array" in r.message and "np.all" in r.message
    r = check_call(lambda: np.array([True, True]), (), [True, False], name="mask")
    assert "mask, index 1: expected False, got True (wrong at 1 of 2 values)" in r.message
    r = check_call(lambda: np.array([1.0, 0.0]), (), np.array([True, False]), name="mask")
    assert "expected an array of True/False" in r.message
    assert check_value(False, False).passed is True
    assert "answer True or False" in check_value(0, False).message
    assert check_value(None, True).passed is None


def test_rows_or_columns_in_reverse_order_and_lengths_far_off():
    table = np.outer(np.arange(1.0, 6.0), [0.01, 0.1])
    assert "your columns are the right ones in reverse order" in check_array(table[:, ::-1], table).message
    assert "your rows are the right ones in reverse order" in check_array(table[::-1], table).message
    r = check_array(np.arange(34.0), np.arange(30.0))
    assert "expected shape (30,), got (34,)" in r.message and "4 values too many" in r.message
    assert "3 values too few" in check_array(np.arange(27.0), np.arange(30.0)).message


def test_boolean_expected_never_raises_for_the_learners_answer():
    answers = [None, ..., 1, 0.0, math.nan, "yes", [1, 2], [[1], [2, 3]], object(), [True, None], np.zeros((2, 2))]
    for answer in answers:
        for expected in (True, [True, False]):
            assert check_call(lambda a=answer: a, (), expected).message[0] in "✗…"


def test_milestones_in_the_wrong_unit_are_not_a_growing_shift():
    per_batch = lrlab.multistep(0.1, milestones=[360, 720, 960], gamma=0.1)
    r = check_schedule(lrlab.multistep(0.1, milestones=[30, 60, 80], gamma=0.1), per_batch, steps=1200)
    assert r.passed is False and "growing" not in r.message and "one step earlier" not in r.message
    r = check_schedule(lrlab.step_decay(0.1, 20, 0.5), lrlab.step_decay(0.1, 10, 0.5), steps=60)
    assert "growing" not in r.message and "one step later" not in r.message


def test_a_cyclic_schedule_half_a_period_off_is_a_shift_not_a_rearrangement():
    ref = lrlab.cyclic(0.01, 0.1, step_size_up=10)
    r = check_schedule(lambda t: ref(t + 10), ref, steps=80)
    assert "10 steps ahead of the schedule" in r.message and "another order" not in r.message


def test_check_schedule_and_check_vectorized_show_the_authors_hint_on_a_wrong_answer_only():
    ref = lrlab.step_decay(0.1, 10, 0.5)
    wrong = check_schedule(lambda t: 0.2 * 0.5 ** (t // 10), ref, hint="lr0 is 0.1 here")
    assert not wrong and wrong.message.endswith("\n  Hint: lr0 is 0.1 here")
    assert "2× the expected" in wrong.message  # the check's own diagnosis comes first
    assert "Hint" not in check_schedule(lambda t: 0.1 * 0.5 ** (t // 10), ref, hint="lr0 is 0.1 here").message
    wrong = check_vectorized(lambda t: 0.3 + 0 * t, lrlab.constant(0.1), steps=5, hint="use lr0")
    assert not wrong and wrong.message.endswith("\n  Hint: use lr0")
    assert check_vectorized(lambda t: 0.1 + 0 * t, lrlab.constant(0.1), steps=5, hint="use lr0").message.startswith("✓")

    def untouched(t):
        ...

    assert "Hint" not in check_schedule(untouched, ref, hint="lr0 is 0.1 here").message
    with pytest.raises(TypeError, match="hint"):
        check_schedule(lambda t: 0.1, ref, hint=1)
    with pytest.raises(TypeError, match="hint"):
        check_vectorized(lambda t: 0.1, ref, hint=["a"])


def test_an_untouched_non_function_starter_is_to_be_built_not_given_a_body():
    for result in (check_schedule(..., lrlab.constant(0.1)), check_vectorized(None, lrlab.constant(0.1)),
                   check_call(..., (1.0,), 1.0)):
        assert result.passed is None and result.message.startswith("… your answer is not attempted yet: build it")
        assert "write its body" not in result.message
