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

import numpy as np
import pytest

import lrlab
from lrlab.checks import CheckResult, check_array, check_schedule, check_value, check_vectorized

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
        "  in divides_by_zero, line 70: `return 0.1 / (t - 3)`",
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
