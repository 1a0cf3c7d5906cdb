"""The feedback corpus: for every exercise of chapters 01–16, the answers learners really
write, right and wrong, and the diagnosis each must get from lrlab.checks.

Each case builds the reference the way the notebook's check cell does, runs the check the
cell runs, and asserts the kind of message: its first character (✓ right, ✗ wrong, … not
attempted yet) and the key phrases of the diagnosis, not the whole text. The functions
below are the learners' answers, written as a learner writes them; their names say what is
wrong with them. This file is the specification of the feedback.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np
import pytest

import lrlab
import lrlab.checks
from lrlab.checks import check_array, check_call, check_schedule, check_value, check_vectorized
from lrlab.network import init_mlp, load_digits
from lrlab.training import scheduler_counts, update_rates

CASES = []


def case(case_id, mark, run, *phrases):
    """A corpus case: ``run()`` returns a CheckResult whose message starts with ``mark``
    and contains every phrase."""
    CASES.append(pytest.param(run, mark, phrases, id=case_id))


@pytest.fixture(autouse=True)
def short_time_limit(monkeypatch):
    """Endless loops are stopped after one second here instead of TIME_LIMIT."""
    monkeypatch.setattr(lrlab.checks, "TIME_LIMIT", 1.0)


@pytest.mark.parametrize("run, mark, phrases", CASES)
def test_feedback(run, mark, phrases):
    result = run()
    assert result.message[:1] == mark, result.message
    for phrase in phrases:  # "!phrase": the message must not say it
        if phrase.startswith("!"):
            assert phrase[1:] not in result.message, f"{phrase[1:]!r} in:\n{result.message}"
        else:
            assert phrase in result.message, f"{phrase!r} not in:\n{result.message}"
    assert "0x" not in result.message and "Traceback" not in result.message


def test_the_corpus_covers_every_exercise_with_enough_cases():
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 150
    exercises = {}
    for i in ids:
        chapter, exercise, _ = i.split("-", 2)
        exercises.setdefault((chapter, exercise), []).append(i)
    for (chapter, exercise), found in exercises.items():
        wrong = [i for i in found if not i.endswith(("-right", "-untouched")) and "-right-" not in i]
        assert len(wrong) >= 3, (chapter, exercise, found)
        assert any(i.endswith("-right") for i in found), (chapter, exercise)
        assert any(i.endswith("-untouched") for i in found), (chapter, exercise)
    assert {c for c, _ in exercises} == {f"{n:02d}" for n in range(1, 17)}


# =========================================================================== 01


def starter_function(*args, **kwargs):
    ...  # your code here


@functools.cache
def ch01_reference():
    return lrlab.descend(lrlab.quadratic_bowl(curvature=3.0), 0.6, start=(2.0, 0.0), steps=20).points[:, 0]


def check_gd_1d(fn):
    return check_call(fn, (3.0, 0.6, 2.0, 20), ch01_reference(), name="gd_1d(3.0, 0.6, 2.0, 20)",
                      hint="x_{t+1} = x_t - lr·h·x_t, and the array starts with x_0")


def gd_1d(h, lr, x0, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * h * xs[-1])
    return np.array(xs)


def gd_1d_list(h, lr, x0, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * h * xs[-1])
    return xs


def gd_1d_without_x0(h, lr, x0, steps):
    xs, x = [], x0
    for _ in range(steps):
        x = x - lr * h * x
        xs.append(x)
    return np.array(xs)


def gd_1d_no_return(h, lr, x0, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * h * xs[-1])


def gd_1d_plus(h, lr, x0, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] + lr * h * xs[-1])
    return np.array(xs)


def gd_1d_index_error(h, lr, x0, steps):
    xs = np.zeros(steps)
    xs[0] = x0
    for t in range(steps):
        xs[t + 1] = xs[t] - lr * h * xs[t]
    return xs


def gd_1d_last_only(h, lr, x0, steps):
    x = x0
    for _ in range(steps):
        x = x - lr * h * x
    return x


case("01-ex1-right", "✓", lambda: check_gd_1d(gd_1d), "gd_1d(3.0, 0.6, 2.0, 20) matches")
case("01-ex1-right-list", "✓", lambda: check_gd_1d(gd_1d_list))
case("01-ex1-untouched", "…", lambda: check_gd_1d(starter_function), "not attempted yet")
case("01-ex1-without-x0", "✗", lambda: check_gd_1d(gd_1d_without_x0), "expected shape (21,), got (20,)",
     "one value too many or too few")
case("01-ex1-no-return", "✗", lambda: check_gd_1d(gd_1d_no_return), "gd_1d_no_return returns None",
     "did you forget `return`?")
case("01-ex1-plus-sign", "✗", lambda: check_gd_1d(gd_1d_plus), "index 1: expected -1.6, got 5.6",
     "Hint: x_{t+1} = x_t - lr·h·x_t")
case("01-ex1-index-error", "✗", lambda: check_gd_1d(gd_1d_index_error), "raised IndexError",
     "in gd_1d_index_error, line", "xs[t + 1] = xs[t] - lr * h * xs[t]")
case("01-ex1-last-value-only", "✗", lambda: check_gd_1d(gd_1d_last_only), "expected shape (21,), got ()",
     "one number")

STABILITY_4 = lrlab.quadratic_bowl(curvature=4.0).stability_limit


def check_stability(answer):
    return check_value(answer, STABILITY_4, name="the stability limit for h = 4", rtol=1e-3,
                       hint="the section 'Where 2/L comes from' derives the limit. If you wrote 1/h: that rate lands on "
                            "the minimum in one step; the limit is the rate where the bounces stop shrinking.")


case("01-ex2-right", "✓", lambda: check_stability(2 / 4), "= 0.5")
case("01-ex2-right-numpy", "✓", lambda: check_stability(np.float64(2) / 4))
case("01-ex2-untouched", "…", lambda: check_stability(None), "not attempted yet")
case("01-ex2-one-over-h", "✗", lambda: check_stability(1 / 4), "= 0.25, expected 0.5", "'Where 2/L comes from'")
case("01-ex2-string", "✗", lambda: check_stability("0.5"), "is '0.5', expected a number", "without quotes")
case("01-ex2-times-ten", "✗", lambda: check_stability(5.0), "10× the expected")
case("01-ex2-array", "✗", lambda: check_stability(np.array([0.5, 0.5])), "expected a number", "one number")

RATES_01 = np.linspace(0.05, 2.5, 50)


@functools.cache
def measured_factors():
    """One step from (1, 1) on the valley (mu = 0.1, L = 1) multiplies each coordinate by its factor."""
    one_step = lrlab.descend(lrlab.elongated_valley(condition_number=10), list(RATES_01), start=(1.0, 1.0), steps=1)
    return np.abs(one_step.points[1]).max(axis=-1)


def check_worst(fn):
    return check_call(fn, (RATES_01, 0.1, 1.0), measured_factors(), name="worst_factor(rates, mu=0.1, L=1.0)",
                      no_loops=True,
                      hint="the larger of the two absolute values, element by element, with np.abs and np.maximum")


def worst_factor(lr, mu, L):  # noqa: N803 (the exercise's signature)
    return np.maximum(np.abs(1 - lr * mu), np.abs(1 - lr * L))


def worst_factor_builtin_max(lr, mu, L):  # noqa: N803
    return max(abs(1 - lr * mu), abs(1 - lr * L))


def worst_factor_if(lr, mu, L):  # noqa: N803
    a, b = np.abs(1 - lr * mu), np.abs(1 - lr * L)
    if a > b:
        return a
    return b


def worst_factor_no_abs(lr, mu, L):  # noqa: N803
    return np.maximum(1 - lr * mu, 1 - lr * L)


def worst_factor_sum(lr, mu, L):  # noqa: N803
    return np.abs(1 - lr * mu) + np.abs(1 - lr * L)


def worst_factor_np_max(lr, mu, L):  # noqa: N803
    return np.max(np.abs(1 - lr * mu), np.abs(1 - lr * L))


case("01-ex3-right", "✓", lambda: check_worst(worst_factor), "matches the expected values (50 values)")
case("01-ex3-untouched", "…", lambda: check_worst(starter_function), "not attempted yet")
case("01-ex3-builtin-max", "✗", lambda: check_worst(worst_factor_builtin_max), "raised ValueError",
     "truth value of an array", "np.maximum")
case("01-ex3-if-on-array", "✗", lambda: check_worst(worst_factor_if), "raised ValueError", "line",
     "if a > b:", "np.where")
case("01-ex3-no-abs", "✗", lambda: check_worst(worst_factor_no_abs), "index 36: expected 0.85, got 0.815",
     "element by element")
case("01-ex3-sum-not-max", "✗", lambda: check_worst(worst_factor_sum), "index 0: expected 0.995, got 1.94")
case("01-ex3-np-max-two-arrays", "✗", lambda: check_worst(worst_factor_np_max), "raised TypeError")

CONTRACTION_25 = lrlab.elongated_valley(condition_number=25).optimal_contraction


def check_contraction(answer):
    return check_value(answer, CONTRACTION_25, rtol=1e-3, name="the contraction for kappa = 25",
                       hint="the section 'The best constant rate' derives it")


case("01-ex4-right", "✓", lambda: check_contraction(24 / 26))
case("01-ex4-untouched", "…", lambda: check_contraction(None), "not attempted yet")
case("01-ex4-one-minus-one-over-kappa", "✗", lambda: check_contraction(1 - 1 / 25), "= 0.96, expected 0.923077",
     "'The best constant rate'")
case("01-ex4-momentum-rate", "✗", lambda: check_contraction(4 / 6), "= 0.666667, expected 0.923077")
case("01-ex4-rounded", "✗", lambda: check_contraction(0.92), "= 0.92, expected 0.923077")


@functools.cache
def measured_count_50():
    valley_50 = lrlab.elongated_valley(condition_number=50)
    run_50 = lrlab.descend(valley_50, valley_50.optimal_lr, steps=1000)
    distance = np.linalg.norm(run_50.points - valley_50.minimum, axis=1)
    return int(np.argmax(distance <= 1e-6 * distance[0]))


def check_count(answer):
    return check_value(answer, measured_count_50(), rtol=0.01, name="the number of steps for kappa = 50",
                       hint="the section 'The dilemma grows with κ' turns the contraction into a count")


case("01-ex5-right", "✓", lambda: check_count(int(np.ceil(np.log(1e6) / -np.log(49 / 51)))))
case("01-ex5-untouched", "…", lambda: check_count(None), "not attempted yet")
case("01-ex5-gd-contraction-1-over-kappa", "✗", lambda: check_count(int(np.ceil(np.log(1e6) / -np.log(1 - 1 / 50)))),
     "= 684, expected 346", "'The dilemma grows with κ'")
case("01-ex5-kappa-25-contraction", "✗", lambda: check_count(int(np.ceil(np.log(1e6) / -np.log(24 / 26)))),
     "= 173, expected 346")
case("01-ex5-kappa-alone", "✗", lambda: check_count(50), "= 50, expected 346")
case("01-ex5-float-count", "✓", lambda: check_count(np.log(1e6) / -np.log(49 / 51)))


# =========================================================================== 02


def random_points(surface, n, rng):
    (x0, x1), (y0, y1) = surface.bounds
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


TEST_SURFACE = lrlab.rosenbrock(a=-1.5, b=20.0)
TEST_POINTS = random_points(TEST_SURFACE, 50, np.random.default_rng(4))


def check_rosen_grad(fn):
    return check_call(fn, (TEST_POINTS,), TEST_SURFACE.grad(TEST_POINTS), kwargs={"a": -1.5, "b": 20.0},
                      name="my_rosen_grad(test_points, a=-1.5, b=20.0)", no_loops=True,
                      hint="x = p[..., 0] and y = p[..., 1] (p[0] is the first point, not x); J[i, j] = ∂w_i/∂p_j, and "
                           "the gradient needs the transpose, 2·Jᵀw (J w mixes up the components)")


def my_rosen_grad(p, a, b):
    x, y = p[..., 0], p[..., 1]
    r1, r2 = a - x, np.sqrt(b) * (y - x**2)
    return np.stack([2 * (-r1 - 2 * np.sqrt(b) * x * r2), 2 * np.sqrt(b) * r2], axis=-1)


def rosen_grad_without_2(p, a, b):
    x, y = p[..., 0], p[..., 1]
    r1, r2 = a - x, np.sqrt(b) * (y - x**2)
    return np.stack([-r1 - 2 * np.sqrt(b) * x * r2, np.sqrt(b) * r2], axis=-1)


def rosen_grad_wrong_sign(p, a, b):
    x, y = p[..., 0], p[..., 1]
    r1, r2 = a - x, np.sqrt(b) * (y - x**2)
    return -np.stack([2 * (-r1 - 2 * np.sqrt(b) * x * r2), 2 * np.sqrt(b) * r2], axis=-1)


def rosen_grad_stacked_first(p, a, b):
    x, y = p[..., 0], p[..., 1]
    r1, r2 = a - x, np.sqrt(b) * (y - x**2)
    return np.stack([2 * (-r1 - 2 * np.sqrt(b) * x * r2), 2 * np.sqrt(b) * r2])


def rosen_grad_unpacked(p, a, b):
    x, y = p
    r1, r2 = a - x, np.sqrt(b) * (y - x**2)
    return np.stack([2 * (-r1 - 2 * np.sqrt(b) * x * r2), 2 * np.sqrt(b) * r2], axis=-1)


def rosen_grad_classic_constants(p, a, b):
    x, y = p[..., 0], p[..., 1]
    return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=-1)


case("02-ex1-right", "✓", lambda: check_rosen_grad(my_rosen_grad), "matches the expected values (100 values)")
case("02-ex1-untouched", "…", lambda: check_rosen_grad(starter_function), "not attempted yet")
case("02-ex1-without-2", "✗", lambda: check_rosen_grad(rosen_grad_without_2), "all values are 0.5× the expected")
case("02-ex1-wrong-sign", "✗", lambda: check_rosen_grad(rosen_grad_wrong_sign), "the wrong sign")
case("02-ex1-stacked-on-axis-0", "✗", lambda: check_rosen_grad(rosen_grad_stacked_first),
     "expected shape (50, 2), got (2, 50)", "transposed")
case("02-ex1-unpacked-points", "✗", lambda: check_rosen_grad(rosen_grad_unpacked), "raised ValueError",
     "x, y = p")
case("02-ex1-classic-constants", "✗", lambda: check_rosen_grad(rosen_grad_classic_constants), "index (0, 0)",
     "Hint: x = p[..., 0] and y = p[..., 1]")

NOISY = lrlab.noisy_quadratic(noise_std=1.0, seed=0)
NOISY_2 = lrlab.noisy_quadratic(noise_std=2.0, seed=0)


def check_floor_02(answer):
    return check_value(answer, NOISY.stationary_loss(0.2), rtol=0.01, name="the floor at lr = 0.2",
                       hint="the section 'The noisy quadratic and its noise floor' gives the exact floor of one direction; "
                            "the loss adds the floors of its two directions (curvatures 1 and 0.25).")


def check_ratio_02(answer):
    return check_value(answer, NOISY_2.stationary_loss(0.2) / NOISY.stationary_loss(0.2), name="the factor for σ = 2",
                       hint="how does the floor of the noise-floor section depend on σ?")


case("02-ex2-right", "✓", lambda: check_floor_02(0.2 / (2 * (2 - 0.2)) + 0.2 / (2 * (2 - 0.05))))
case("02-ex2-right-ratio", "✓", lambda: check_ratio_02(4))
case("02-ex2-untouched", "…", lambda: check_floor_02(None), "not attempted yet")
case("02-ex2-approximation", "✗", lambda: check_floor_02(2 * 0.2 / 4), "= 0.1, expected 0.106838", "'The noisy quadratic and its noise floor'")
case("02-ex2-one-direction", "✗", lambda: check_floor_02(0.2 / (2 * (2 - 0.2))), "expected 0.106838")
case("02-ex2-ratio-linear-in-sigma", "✗", lambda: check_ratio_02(2), "= 2, expected 4", "depend on σ")
case("02-ex2-ratio-inverted", "✗", lambda: check_ratio_02(0.25), "= 0.25, expected 4")

ROSEN = lrlab.rosenbrock()
P_02 = random_points(ROSEN, 200, np.random.default_rng(5))


def check_forward(fn):
    delta = 1e-4  # the cell's check_delta
    # Taylor: the forward difference is the gradient plus δ/2 times the second derivative, up to O(δ²)
    expected = ROSEN.grad(P_02) + delta / 2 * np.diagonal(ROSEN.hessian(P_02), axis1=-2, axis2=-1)
    return check_call(fn, (ROSEN.value, P_02), expected, kwargs={"delta": delta}, rtol=1e-4,
                      name="forward_diff(rosen.value, P, delta=1e-4)",
                      hint="shift one coordinate at a time by δ: column i is (f(p + δ·e_i) − f(p)) / δ, with δ the `delta` "
                           "argument the check passes (1e-4), not a fixed step.")


def forward_diff(f, p, delta=1e-7):
    e = delta * np.eye(2)
    f0 = f(p)
    return np.stack([(f(p + e[i]) - f0) / delta for i in range(2)], axis=-1)


def forward_diff_both_coordinates(f, p, delta=1e-7):
    f0 = f(p)
    column = (f(p + delta) - f0) / delta
    return np.stack([column, column], axis=-1)


def forward_diff_h_name(f, p, h=1e-7):
    e = h * np.eye(2)
    return np.stack([(f(p + e[i]) - f(p)) / h for i in range(2)], axis=-1)


def forward_diff_no_division(f, p, delta=1e-7):
    e = delta * np.eye(2)
    return np.stack([f(p + e[i]) - f(p) for i in range(2)], axis=-1)


case("02-ex3-right", "✓", lambda: check_forward(forward_diff))
case("02-ex3-untouched", "…", lambda: check_forward(starter_function), "not attempted yet")
case("02-ex3-both-coordinates-shifted", "✗", lambda: check_forward(forward_diff_both_coordinates), "index (0, 0)",
     "one coordinate at a time")
case("02-ex3-parameter-named-h", "✗", lambda: check_forward(forward_diff_h_name), "raised TypeError",
     "unexpected keyword argument 'delta'")
case("02-ex3-no-division", "✗", lambda: check_forward(forward_diff_no_division), "0.0001× the expected", "a factor of 10000 missing")


def check_component(answer):
    return check_value(answer, 1, name="the wrong component",
                       hint="compare forward_diff(rosen.value, P) with suspect_grad(P) one column at a time.")


case("02-ex3b-right", "✓", lambda: check_component(1))
case("02-ex3b-untouched", "…", lambda: check_component(...), "not attempted yet")
case("02-ex3b-other-component", "✗", lambda: check_component(0), "= 0, expected 1", "one column at a time")
case("02-ex3b-y-as-string", "✗", lambda: check_component("y"), "is 'y', expected a number")
case("02-ex3b-counted-from-one", "✗", lambda: check_component(2), "= 2, expected 1", "!one off")


# =========================================================================== 03

STEP_03 = lrlab.step_decay(0.4, step_size=50, gamma=0.5)


def check_step_03(fn):
    return check_schedule(fn, STEP_03, steps=300)


def my_step_decay(t, lr0=0.4, step_size=50, gamma=0.5):
    lr = lr0
    for step in range(1, t + 1):
        if step % step_size == 0:
            lr *= gamma
    return lr


def step_decay_range_1_t(t, lr0=0.4, step_size=50, gamma=0.5):
    lr = lr0
    for step in range(1, t):
        if step % step_size == 0:
            lr *= gamma
    return lr


def step_decay_range_t(t, lr0=0.4, step_size=50, gamma=0.5):
    lr = lr0
    for step in range(t):
        if step % step_size == 0:
            lr *= gamma
    return lr


def step_decay_range_t_plus_1(t, lr0=0.4, step_size=50, gamma=0.5):
    lr = lr0
    for step in range(t + 1):  # step 0 counted as a drop: gamma too small at every step
        if step % step_size == 0:
            lr *= gamma
    return lr


def step_decay_no_return(t, lr0=0.4, step_size=50, gamma=0.5):
    lr = lr0
    for step in range(1, t + 1):
        if step % step_size == 0:
            lr *= gamma


def step_decay_while_no_increment(t, lr0=0.4, step_size=50, gamma=0.5):
    lr, step = lr0, 1
    while step <= t:
        if step % step_size == 0:
            lr *= gamma
    return lr


def step_decay_lr0_times_ten(t, lr0=4.0, step_size=50, gamma=0.5):
    lr = lr0
    for step in range(1, t + 1):
        if step % step_size == 0:
            lr *= gamma
    return lr


case("03-ex1-right", "✓", lambda: check_step_03(my_step_decay), "on steps 0–299")
case("03-ex1-untouched", "…", lambda: check_step_03(starter_function), "not attempted yet")
case("03-ex1-late-drop", "✗", lambda: check_step_03(step_decay_range_1_t), "step 50: expected 0.2, got 0.4",
     "one step late", "< versus <= at a boundary")
case("03-ex1-step-0-drops", "✗", lambda: check_step_03(step_decay_range_t), "step 1: expected 0.4, got 0.2",
     "at each wrong step (294 of 300) your value is γ = 0.5 × the expected: one drop too many",
     "does your count include step 0", "!steps ahead")
case("03-ex1-step-0-drops-everywhere", "✗", lambda: check_step_03(step_decay_range_t_plus_1),
     "step 0: expected 0.4, got 0.2", "all values are γ = 0.5 × the expected: one drop too many at every step",
     "is step 0 counted as a drop?")
case("03-ex1-no-return", "✗", lambda: check_step_03(step_decay_no_return), "returns None", "forget `return`")
case("03-ex1-endless-while", "✗", lambda: check_step_03(step_decay_while_no_increment), "was stopped after",
     "an endless loop", "while step <= t:")
case("03-ex1-lr0-times-ten", "✗", lambda: check_step_03(step_decay_lr0_times_ten), "step 0: expected 0.4, got 4",
     "10× the expected")

MULTI_03 = lrlab.multistep(0.3, milestones=[80, 150, 220], gamma=0.2)


def check_multi_03(fn):
    return check_schedule(fn, MULTI_03, steps=300)


def my_multistep(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    reached = sum(1 for m in milestones if m <= t)
    return lr0 * gamma**reached


def multistep_strict(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    reached = sum(1 for m in milestones if m < t)
    return lr0 * gamma**reached


def multistep_early(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    reached = sum(1 for m in milestones if m <= t + 1)
    return lr0 * gamma**reached


def multistep_linear(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    reached = sum(1 for m in milestones if m <= t)
    return lr0 * gamma * reached if reached else lr0


def multistep_without_lr0(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    reached = sum(1 for m in milestones if m <= t)
    return gamma**reached


def multistep_last_branch_missing(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    if t < 80:
        return lr0
    elif t < 150:
        return lr0 * gamma
    elif t < 220:
        return lr0 * gamma**2


case("03-ex2-right", "✓", lambda: check_multi_03(my_multistep))
case("03-ex2-untouched", "…", lambda: check_multi_03(starter_function), "not attempted yet")
case("03-ex2-strict-less", "✗", lambda: check_multi_03(multistep_strict), "step 80: expected 0.06, got 0.3",
     "one step late", "< versus <=")
case("03-ex2-early", "✗", lambda: check_multi_03(multistep_early), "step 79", "one step early", "< versus <=")
case("03-ex2-gamma-times-count", "✗", lambda: check_multi_03(multistep_linear), "step 150: expected 0.012, got 0.12",
     "(wrong at 150 of 300 steps)", "!one step", "!< versus <=")
case("03-ex2-without-lr0", "✗", lambda: check_multi_03(multistep_without_lr0), "3.33333× the expected", "check lr0")
def multistep_return_in_loop(t, lr0=0.3, milestones=(80, 150, 220), gamma=0.2):
    lr = lr0
    for m in milestones:
        if t >= m:
            lr *= gamma
        return lr  # inside the loop: only the first milestone is ever looked at


case("03-ex2-return-inside-loop", "✗", lambda: check_multi_03(multistep_return_in_loop),
     "step 150: expected 0.012, got 0.06", "your values are right up to t=149; from t=150 on your rate stays at 0.06",
     "the later changes never happen", "!one step late", "!< versus <=")
case("03-ex2-branch-without-return", "✗", lambda: check_multi_03(multistep_last_branch_missing),
     "step 220: got None, expected a number", "every branch")

LR_250 = STEP_03(250)


def check_lr250(answer):
    return check_value(answer, LR_250, name="lr(250)",
                       hint="count the drops up to t = 250, the one at t = 250 itself included (see 'Mind the boundary').")


case("03-ex3-right", "✓", lambda: check_lr250(0.4 * 0.5**5), "lr(250) = 0.0125")
case("03-ex3-untouched", "…", lambda: check_lr250(None), "not attempted yet")
case("03-ex3-drop-at-250-missed", "✗", lambda: check_lr250(0.4 * 0.5**4), "= 0.025, expected 0.0125", "the one at t = 250 itself included")
case("03-ex3-one-drop-too-many", "✗", lambda: check_lr250(0.4 * 0.5**6), "= 0.00625, expected 0.0125")
case("03-ex3-linear", "✗", lambda: check_lr250(0.4 - 5 * 0.5 * 0.04), "expected 0.0125")
case("03-ex3-percent", "✗", lambda: check_lr250(1.25), "100× the expected")

NOISIER = lrlab.noisy_quadratic(noise_std=2.0, seed=0)


def check_floor_03(answer):
    return check_value(answer, NOISIER.stationary_loss(0.04), rtol=0.02, name="the floor after the drop",
                       hint="the section 'The noise floor of a constant rate' gives the floor per direction; "
                            "this problem has two directions.")


case("03-ex4-right", "✓", lambda: check_floor_03(sum(0.04 * 2.0**2 / (2 * (2 - 0.04 * h)) for h in (1.0, 0.25))))
case("03-ex4-right-approximation", "✓", lambda: check_floor_03(0.08))
case("03-ex4-untouched", "…", lambda: check_floor_03(None), "not attempted yet")
case("03-ex4-one-direction", "✗", lambda: check_floor_03(0.04), "= 0.04, expected 0.0810", "this problem has two directions")
case("03-ex4-sigma-not-squared", "✗", lambda: check_floor_03(2 * 0.04 * 2.0 / 4), "= 0.04, expected")
case("03-ex4-rate-before-drop", "✗", lambda: check_floor_03(NOISIER.stationary_loss(0.4)), "expected 0.0810")


# =========================================================================== 04

EXP_04 = lrlab.exponential(0.2, decay_rate=0.5 ** (1 / 25))


def check_half_life(fn):
    return check_schedule(fn, EXP_04, steps=300)


def exponential_by_half_life(t, lr0=0.2, half_life=25):
    return lr0 * 0.5 ** (t / half_life)


def half_life_power_of_two(t, lr0=0.2, half_life=25):
    return lr0 * 2 ** (-t / half_life)


def half_life_staircase(t, lr0=0.2, half_life=25):
    return lr0 * 0.5 ** (t // half_life)


def half_life_precedence(t, lr0=0.2, half_life=25):
    return lr0 * 0.5**t / half_life


def half_life_without_lr0(t, lr0=0.2, half_life=25):
    return 0.5 ** (t / half_life)


def half_life_typo(t, lr0=0.2, half_life=25):
    return lr0 * 0.5 ** (t / halflife)  # noqa: F821 (the learner's typo)


def half_life_e(t, lr0=0.2, half_life=25):
    return lr0 * math.exp(-t / half_life)


case("04-ex1-right", "✓", lambda: check_half_life(exponential_by_half_life))
case("04-ex1-right-power-of-two", "✓", lambda: check_half_life(half_life_power_of_two))
case("04-ex1-untouched", "…", lambda: check_half_life(starter_function), "not attempted yet")
case("04-ex1-staircase", "✗", lambda: check_half_life(half_life_staircase), "step 1: expected 0.194531, got 0.2",
     "your rate only changes every 25 steps (t=25, 50, …) where the expected one changes at every step",
     "integer division (//)", "!one step late", "!the first change")
case("04-ex1-precedence", "✗", lambda: check_half_life(half_life_precedence), "step 0: expected 0.2, got 0.008")
case("04-ex1-without-lr0", "✗", lambda: check_half_life(half_life_without_lr0), "all values are 5× the expected",
     "check lr0")
case("04-ex1-typo", "✗", lambda: check_half_life(half_life_typo), "raised NameError", "halflife",
     "in half_life_typo, line", "not defined")
case("04-ex1-natural-exponential", "✗", lambda: check_half_life(half_life_e), "step 1: expected 0.194531, got 0.192158")

BUDGET_04 = lrlab.exponential(0.1, 0.99)(np.arange(100_000)).sum()


def check_budget(answer):
    return check_value(answer, BUDGET_04, rtol=1e-3, name="the distance budget",
                       hint="the section 'The distance budget' sums this series")


case("04-ex2-right", "✓", lambda: check_budget(0.1 / (1 - 0.99)))
case("04-ex2-untouched", "…", lambda: check_budget(None), "not attempted yet")
case("04-ex2-without-lr0", "✗", lambda: check_budget(1 / (1 - 0.99)), "10× the expected", "a / 10 missing?")
case("04-ex2-from-t-1", "✗", lambda: check_budget(0.1 * 0.99 / (1 - 0.99)), "= 9.9, expected 10", "'The distance budget'")
case("04-ex2-divided-by-rate", "✗", lambda: check_budget(0.1 / 0.99), "= 0.10101, expected 10")
case("04-ex2-infinite", "✗", lambda: check_budget(math.inf), "= inf, expected a number")

INV_04 = lrlab.inverse_time(0.5, 0.5, 10)


def check_inverse(fn):
    return check_vectorized(fn, INV_04, steps=300)


def inverse_time_vectorized(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    t = np.asarray(t, dtype=float)
    return lr0 / (1 + decay_rate * t / decay_steps)


def inverse_time_comprehension(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    return np.array([lr0 / (1 + decay_rate * s / decay_steps) for s in t])


def inverse_time_loop(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    out = np.empty(len(t))
    for i in range(len(t)):
        out[i] = lr0 / (1 + decay_rate * t[i] / decay_steps)
    return out


def inverse_time_np_vectorize(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    return np.vectorize(lambda s: lr0 / (1 + decay_rate * s / decay_steps))(t)


def inverse_time_staircase(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    return lr0 / (1 + decay_rate * (t // decay_steps))


def inverse_time_float32(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    t = np.asarray(t, dtype=np.float32)
    return np.float32(lr0) / (1 + np.float32(decay_rate) * t / decay_steps)


def inverse_time_precedence(t, lr0=0.5, decay_rate=0.5, decay_steps=10):
    return lr0 / 1 + decay_rate * t / decay_steps


case("04-ex3-right", "✓", lambda: check_inverse(inverse_time_vectorized), "all at once")
case("04-ex3-untouched", "…", lambda: check_inverse(starter_function), "not attempted yet")
case("04-ex3-comprehension", "✗", lambda: check_inverse(inverse_time_comprehension), "iterates in Python",
     "no Python loop")
case("04-ex3-for-loop", "✗", lambda: check_inverse(inverse_time_loop), "iterates in Python",
     "for i in range(len(t)):")
case("04-ex3-np-vectorize", "✗", lambda: check_inverse(inverse_time_np_vectorize), "element by element")
case("04-ex3-staircase", "✗", lambda: check_inverse(inverse_time_staircase), "step 1: expected 0.47619, got 0.5",
     "your rate only changes every 10 steps", "integer division (//)", "!one step late")
case("04-ex3-float32", "✗", lambda: check_inverse(inverse_time_float32), "float32", "compute in float64",
     "!1× the expected")
case("04-ex3-precedence", "✗", lambda: check_inverse(inverse_time_precedence), "step 1: expected 0.47619, got 0.55")


def check_one_over_t(answer):
    return check_value(answer, 2.0**2 / (4.0**2 * 50), name="E[x_50²]", hint="the section 'The exact 1/T law' derives E[x_T²] for this very schedule")


case("04-ex4-right", "✓", lambda: check_one_over_t(4 / (16 * 50)))
case("04-ex4-untouched", "…", lambda: check_one_over_t(None), "not attempted yet")
case("04-ex4-ten-times", "✗", lambda: check_one_over_t(4 / (16 * 5)), "10× the expected")
case("04-ex4-h-not-squared", "✗", lambda: check_one_over_t(4 / (4 * 50)), "= 0.02, expected 0.005", "'The exact 1/T law'")
case("04-ex4-with-x0", "✗", lambda: check_one_over_t(100 / (16 * 50)), "= 0.125, expected 0.005", "for this very schedule")
case("04-ex4-sigma-not-squared", "✗", lambda: check_one_over_t(2 / (16 * 50)), "= 0.0025, expected 0.005")


# =========================================================================== 05

COS_05 = lrlab.cosine(0.5, 80, lr_min=0.05)


def check_cosine(fn):
    return check_schedule(fn, COS_05, steps=120)


def my_cosine(t, lr0=0.5, total_steps=80, lr_min=0.05):
    tt = min(t, total_steps)
    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * tt / total_steps)) / 2


def cosine_no_hold(t, lr0=0.5, total_steps=80, lr_min=0.05):
    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * t / total_steps)) / 2


def cosine_without_floor(t, lr0=0.5, total_steps=80, lr_min=0.05):
    tt = min(t, total_steps)
    return lr0 * (1 + math.cos(math.pi * tt / total_steps)) / 2


def cosine_at_t_plus_1(t, lr0=0.5, total_steps=80, lr_min=0.05):
    tt = min(t + 1, total_steps)
    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * tt / total_steps)) / 2


def cosine_without_pi(t, lr0=0.5, total_steps=80, lr_min=0.05):
    tt = min(t, total_steps)
    return lr_min + (lr0 - lr_min) * (1 + math.cos(tt / total_steps)) / 2


def cosine_floor_added(t, lr0=0.5, total_steps=80, lr_min=0.05):
    tt = min(t, total_steps)
    return lr_min + lr0 * (1 + math.cos(math.pi * tt / total_steps)) / 2


case("05-ex1-right", "✓", lambda: check_cosine(my_cosine))
case("05-ex1-untouched", "…", lambda: check_cosine(starter_function), "not attempted yet")
case("05-ex1-no-hold-after-T", "✗", lambda: check_cosine(cosine_no_hold), "step 81", "holds 0.05 from t=80 on",
     "min(t, total_steps)")
case("05-ex1-forgot-lr-min", "✗", lambda: check_cosine(cosine_without_floor), "expected 0.05, got 0",
     "the largest gap", "your values are the schedule without its floor (lr_min = 0.05)", "the floor is missing",
     "lr_min + (lr0 − lr_min) · …")
case("05-ex1-at-t-plus-1", "✗", lambda: check_cosine(cosine_at_t_plus_1), "one step early", "t + 1 instead of t",
     "!< versus <=")
case("05-ex1-without-pi", "✗", lambda: check_cosine(cosine_without_pi), "step 1", "(wrong at 119 of 120 steps",
     "the largest gap is here", "!floor", "!Hint")


def cosine_without_half(t, lr0=0.5, total_steps=80, lr_min=0.05):
    tt = min(t, total_steps)
    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * tt / total_steps))


case("05-ex1-without-half", "✗", lambda: check_cosine(cosine_without_half), "step 0: expected 0.5, got 0.95",
     "your values are 2× the expected − 0.05, a fixed multiple plus a constant", "!floor")
case("05-ex1-floor-added-to-lr0", "✗", lambda: check_cosine(cosine_floor_added), "at the start (step 0) expected 0.5, got 0.55",
     "misplaced", "with its floor (lr_min = 0.05) added on top of lr0", "!check lr0")

POLY_05 = lrlab.polynomial(0.3, 120, power=0.5, lr_end=0.01)


def check_poly(fn):
    return check_vectorized(fn, POLY_05, steps=200)


def polynomial_vectorized(t, lr0=0.3, total_steps=120, power=0.5, lr_end=0.01):
    fraction_left = 1 - np.minimum(t, total_steps) / total_steps
    return (lr0 - lr_end) * fraction_left**power + lr_end


def polynomial_builtin_min(t, lr0=0.3, total_steps=120, power=0.5, lr_end=0.01):
    fraction_left = 1 - min(t, total_steps) / total_steps
    return (lr0 - lr_end) * fraction_left**power + lr_end


def polynomial_without_lr_end(t, lr0=0.3, total_steps=120, power=0.5, lr_end=0.01):
    fraction_left = 1 - np.minimum(t, total_steps) / total_steps
    return lr0 * fraction_left**power


def polynomial_no_clamp(t, lr0=0.3, total_steps=120, power=0.5, lr_end=0.01):
    fraction_left = 1 - t / total_steps
    return (lr0 - lr_end) * fraction_left**power + lr_end


def polynomial_comprehension_min(t, lr0=0.3, total_steps=120, power=0.5, lr_end=0.01):
    return np.array([(lr0 - lr_end) * (1 - min(s, total_steps) / total_steps) ** power + lr_end for s in t])


def polynomial_where_if(t, lr0=0.3, total_steps=120, power=0.5, lr_end=0.01):
    if t > total_steps:
        return lr_end
    return (lr0 - lr_end) * (1 - t / total_steps) ** power + lr_end


case("05-ex2-right", "✓", lambda: check_poly(polynomial_vectorized), "all at once")
case("05-ex2-untouched", "…", lambda: check_poly(starter_function), "not attempted yet")
case("05-ex2-builtin-min", "✗", lambda: check_poly(polynomial_builtin_min), "raised ValueError", "np.minimum",
     "min(t, total_steps)")
case("05-ex2-forgot-lr-end", "✗", lambda: check_poly(polynomial_without_lr_end), "expected 0.01, got 0",
     "lr_end = 0.01")
case("05-ex2-no-clamp", "✗", lambda: check_poly(polynomial_no_clamp), "step 121: got nan, expected a number")
case("05-ex2-comprehension-with-min", "✗", lambda: check_poly(polynomial_comprehension_min), "iterates in Python")
case("05-ex2-if-on-array", "✗", lambda: check_poly(polynomial_where_if), "raised ValueError", "np.where")

COS_MID = lrlab.cosine(0.4, 300, lr_min=0.02)(150)


def check_mid(answer):
    return check_value(answer, COS_MID, name="lr(T/2)",
                       hint="cos(π/2) = 0; and the cosine glides from lr0 down to lr_min, not down to 0")


case("05-ex3-right", "✓", lambda: check_mid((0.4 + 0.02) / 2), "lr(T/2) = 0.21")
case("05-ex3-untouched", "…", lambda: check_mid(None), "not attempted yet")
case("05-ex3-forgot-lr-min", "✗", lambda: check_mid(0.4 / 2), "= 0.2, expected 0.21", "cos(π/2) = 0")
case("05-ex3-half-the-range", "✗", lambda: check_mid((0.4 - 0.02) / 2), "= 0.19, expected 0.21")
case("05-ex3-lr-min", "✗", lambda: check_mid(0.02), "= 0.02, expected 0.21")
case("05-ex3-percent-slip", "✗", lambda: check_mid(2.1), "10× the expected")


@functools.cache
def cosine_linear_ratio():
    t = np.arange(100)
    return lrlab.cosine(1.0, 100)(t).mean() / lrlab.polynomial(1.0, 100, power=1)(t).mean()


def check_ratio_05(answer):
    return check_value(answer, cosine_linear_ratio(), name="the ratio",
                       hint="compare the two curves around the midpoint t = T/2")


case("05-ex4-right", "✓", lambda: check_ratio_05(1.0))
case("05-ex4-right-int", "✓", lambda: check_ratio_05(1))
case("05-ex4-untouched", "…", lambda: check_ratio_05(None), "not attempted yet")
case("05-ex4-cosine-larger", "✗", lambda: check_ratio_05(1.2), "= 1.2, expected 1", "midpoint")
case("05-ex4-two-over-pi", "✗", lambda: check_ratio_05(2 / math.pi), "= 0.63662, expected 1")
case("05-ex4-a-word", "✗", lambda: check_ratio_05("cosine"), "is 'cosine', expected a number")


# =========================================================================== 06

BESTS_06 = np.array([2.0, 0.1, -1.0])


def lrlab_bars(bests, threshold, threshold_mode):
    """The bar of lrlab's own test, found by bisection, as the notebook's check cell finds it."""
    bars = []
    for best in bests:
        rule = lrlab.ReduceOnPlateau(1.0, threshold=threshold, threshold_mode=threshold_mode)
        rule.best = best
        low, high = best - 1.0, best + 1.0
        for _ in range(80):
            middle = (low + high) / 2
            low, high = (middle, high) if rule.is_improvement(middle) else (low, middle)
        bars.append(high)
    return np.array(bars)


def check_bars(fn):
    """Both modes, as the cell does; the first result that is not a pass."""
    results = [check_call(fn, (BESTS_06, 0.05, mode), lrlab_bars(BESTS_06, 0.05, mode),
                          name=f"improvement_bar(bests, 0.05, {mode!r})",
                          hint="an improvement must fall below best (for a positive best): check the sign of the "
                               "threshold's part") for mode in ("rel", "abs")]
    return next((r for r in results if not r), results[-1])


def improvement_bar(best, threshold, threshold_mode):
    if threshold_mode == "rel":
        return best * (1 - threshold)
    return best - threshold


def bar_modes_swapped(best, threshold, threshold_mode):
    if threshold_mode == "abs":
        return best * (1 - threshold)
    return best - threshold


def bar_amount_not_bar(best, threshold, threshold_mode):
    if threshold_mode == "rel":
        return best * threshold
    return threshold


def bar_plus(best, threshold, threshold_mode):
    if threshold_mode == "rel":
        return best * (1 + threshold)
    return best + threshold


def bar_if_on_best(best, threshold, threshold_mode):
    if best > 0 and threshold_mode == "rel":
        return best * (1 - threshold)
    return best - threshold


def bar_forgot_return(best, threshold, threshold_mode):
    if threshold_mode == "rel":
        bar = best * (1 - threshold)
    else:
        bar = best - threshold


case("06-ex1-right", "✓", lambda: check_bars(improvement_bar), "improvement_bar(bests, 0.05, 'abs') matches")
case("06-ex1-untouched", "…", lambda: check_bars(starter_function), "not attempted yet")
case("06-ex1-modes-swapped", "✗", lambda: check_bars(bar_modes_swapped), "'rel'), index 0: expected 1.9, got 1.95")
case("06-ex1-amount-not-bar", "✗", lambda: check_bars(bar_amount_not_bar), "index 0: expected 1.9, got 0.1")
case("06-ex1-plus", "✗", lambda: check_bars(bar_plus), "index 0: expected 1.9, got 2.1")
case("06-ex1-if-on-array", "✗", lambda: check_bars(bar_if_on_best), "raised ValueError", "if best > 0")
case("06-ex1-no-return", "✗", lambda: check_bars(bar_forgot_return), "bar_forgot_return returns None")

SEQUENCE_06 = [2.0, 1.5, 1.2, 1.19, 1.1, 1.095, 1.09, 1.092, 1.091, 1.2, 1.0, 0.999]


def first_cut(metrics, **settings):
    rule = lrlab.ReduceOnPlateau(0.1, **settings)
    return next(i for i, m in enumerate(metrics, start=1) if rule.step(m) < 0.1)


def check_first_cut(answer):
    return check_value(answer, first_cut(SEQUENCE_06, factor=0.5, patience=3, threshold=0.01), name="the first cut",
                       hint="the bar is best · (1 − threshold); an improvement resets the bad steps; the rate drops on bad step patience + 1 in a row")


case("06-ex2-right", "✓", lambda: check_first_cut(9), "the first cut = 9")
case("06-ex2-untouched", "…", lambda: check_first_cut(None), "not attempted yet")
case("06-ex2-keras-patience", "✗", lambda: check_first_cut(8), "= 8, expected 9", "one off", "patience + 1 in a row")
case("06-ex2-counted-after", "✗", lambda: check_first_cut(10), "= 10, expected 9", "one off")
case("06-ex2-absolute-threshold", "✗", lambda: check_first_cut(12), "= 12, expected 9")
case("06-ex2-zero-based", "✗", lambda: check_first_cut(8.0), "one off")

KERAS_TEST = np.round(1 + np.cumsum(np.random.default_rng(2).normal(-0.01, 0.03, size=80)), 2)


def translated_rates(metrics, lr0, factor, patience, min_delta):
    rule = lrlab.ReduceOnPlateau(lr0, factor=factor, patience=patience - 1, threshold=min_delta,
                                 threshold_mode="abs", eps=0.0)
    return [rule.step(m) for m in metrics]


def check_keras(fn):
    return check_call(fn, (KERAS_TEST, 0.1, 0.5, 4, 0.01), translated_rates(KERAS_TEST, 0.1, 0.5, 4, 0.01),
                      name="keras_rates(keras_test, 0.1, 0.5, 4, 0.01)",
                      hint="two differences from PyTorch: the test is absolute (best − min_delta, not best · (1 − min_delta)), "
                           "and the cut comes when wait >= patience, one bad step earlier; after each cut, is wait back at 0?")


def keras_rates(metrics, lr0, factor, patience, min_delta):
    lr, best, wait, rates = lr0, math.inf, 0, []
    for m in metrics:
        if m < best - min_delta:
            best, wait = m, 0
        else:
            wait += 1
            if wait >= patience:
                lr, wait = lr * factor, 0
        rates.append(lr)
    return rates


def keras_rates_pytorch_patience(metrics, lr0, factor, patience, min_delta):
    lr, best, wait, rates = lr0, math.inf, 0, []
    for m in metrics:
        if m < best - min_delta:
            best, wait = m, 0
        else:
            wait += 1
            if wait > patience:
                lr, wait = lr * factor, 0
        rates.append(lr)
    return rates


def keras_rates_no_reset(metrics, lr0, factor, patience, min_delta):
    lr, best, wait, rates = lr0, math.inf, 0, []
    for m in metrics:
        if m < best - min_delta:
            best, wait = m, 0
        else:
            wait += 1
            if wait >= patience:
                lr = lr * factor
        rates.append(lr)
    return rates


def keras_rates_last_only(metrics, lr0, factor, patience, min_delta):
    lr, best, wait = lr0, math.inf, 0
    for m in metrics:
        if m < best - min_delta:
            best, wait = m, 0
        else:
            wait += 1
            if wait >= patience:
                lr, wait = lr * factor, 0
    return lr


def keras_rates_rate_before_update(metrics, lr0, factor, patience, min_delta):
    lr, best, wait, rates = lr0, math.inf, 0, []
    for m in metrics:
        rates.append(lr)
        if m < best - min_delta:
            best, wait = m, 0
        else:
            wait += 1
            if wait >= patience:
                lr, wait = lr * factor, 0
    return rates


case("06-ex3-right", "✓", lambda: check_keras(keras_rates), "(80 values)")
case("06-ex3-right-array", "✓", lambda: check_keras(lambda *args: np.array(keras_rates(*args))))
case("06-ex3-untouched", "…", lambda: check_keras(starter_function), "not attempted yet")
case("06-ex3-pytorch-patience", "✗", lambda: check_keras(keras_rates_pytorch_patience), "index 7: expected 0.05, got 0.1",
     "your changes come later than expected, by a growing number of steps", "at index 8 (expected 7), 34 (expected 11)",
     "each change comes one step late", "(> versus >=?)", "one bad step earlier", "!the first change")
def keras_rates_relative_threshold(metrics, lr0, factor, patience, min_delta):
    lr, best, wait, rates = lr0, math.inf, 0, []
    for m in metrics:
        if m < best * (1 - min_delta):
            best, wait = m, 0
        else:
            wait += 1
            if wait >= patience:
                lr, wait = lr * factor, 0
        rates.append(lr)
    return rates


case("06-ex3-relative-threshold", "✗", lambda: check_keras(keras_rates_relative_threshold),
     "index 52: expected 0.0015625, got 0.003125 (wrong at 25 of 80 values)",
     "at each wrong index (25 of 80) your value is 2× the expected; the other values are right",
     "the test is absolute", "!the first change", "!< versus <=")
case("06-ex3-wait-not-reset", "✗", lambda: check_keras(keras_rates_no_reset), "expected 0.05, got 0.025")
case("06-ex3-last-rate-only", "✗", lambda: check_keras(keras_rates_last_only), "expected shape (80,), got ()",
     "one number")
case("06-ex3-rate-recorded-before", "✗", lambda: check_keras(keras_rates_rate_before_update), "one index late",
     "a value taken before an update instead of after", "check < versus <=")


# =========================================================================== 07

WARM_07 = lrlab.linear_warmup(lrlab.cosine(0.05, total_steps=180), 20, start_factor=0.1)
COSINE_PART = lrlab.cosine(0.05, total_steps=180)


def check_warmup(fn):
    return check_schedule(fn, WARM_07, steps=220)


def my_warmup(t):
    if t < 20:
        return 0.05 * (0.1 + 0.9 * t / 20)
    return COSINE_PART(t - 20)


def warmup_global_clock(t):
    if t < 20:
        return 0.05 * (0.1 + 0.9 * t / 20)
    return COSINE_PART(t)


def warmup_without_start_factor(t):
    if t < 20:
        return 0.05 * t / 20
    return COSINE_PART(t - 20)


def warmup_cosine_late(t):
    if t < 20:
        return 0.05 * (0.1 + 0.9 * t / 20)
    return COSINE_PART(t - 19)


def warmup_else_forgotten(t):
    if t < 20:
        return 0.05 * (0.1 + 0.9 * t / 20)
    COSINE_PART(t - 20)


def warmup_inclusive(t):
    if t <= 20:
        return 0.05 * (0.1 + 0.9 * t / 20)
    return COSINE_PART(t - 20)


case("07-ex1-right", "✓", lambda: check_warmup(my_warmup))
case("07-ex1-right-inclusive", "✓", lambda: check_warmup(warmup_inclusive))
case("07-ex1-untouched", "…", lambda: check_warmup(starter_function), "not attempted yet")
case("07-ex1-global-clock", "✗", lambda: check_warmup(warmup_global_clock), "step 20: expected 0.05",
     "global clock t instead of its own clock t − 20")
case("07-ex1-no-start-factor", "✗", lambda: check_warmup(warmup_without_start_factor),
     "step 0: expected 0.005, got 0")
case("07-ex1-cosine-one-step-on", "✗", lambda: check_warmup(warmup_cosine_late), "one step early",
     "t + 1 instead of t")
case("07-ex1-else-forgotten", "✗", lambda: check_warmup(warmup_else_forgotten), "step 20: got None", "every branch")


def check_rate3(answer):
    return check_value(answer, lrlab.linear_warmup(lrlab.constant(0.1), 10, start_factor=0.1)(3),
                       name="the rate at t = 3",
                       hint="the ramp formula of the section on linear warmup; t counts from 0, and start_factor is the fraction "
                            "used at t = 0")


case("07-ex2-right", "✓", lambda: check_rate3(0.1 * (0.1 + 0.9 * 3 / 10)), "= 0.037")
case("07-ex2-untouched", "…", lambda: check_rate3(None), "not attempted yet")
case("07-ex2-no-start-factor", "✗", lambda: check_rate3(0.1 * 3 / 10), "= 0.03, expected 0.037", "start_factor")
case("07-ex2-t-plus-one", "✗", lambda: check_rate3(0.1 * (0.1 + 0.9 * 4 / 10)), "= 0.046, expected 0.037")
case("07-ex2-ten-times", "✗", lambda: check_rate3(0.37), "10× the expected")
case("07-ex2-start-factor-added", "✗", lambda: check_rate3(0.1 * 0.1 + 0.1 * 3 / 10), "= 0.04, expected 0.037")


def my_linear_warmup(schedule, warmup_steps, start_factor=0.0):
    target = schedule(0)

    def warmed_up(t):
        if t < warmup_steps:
            return target * (start_factor + (1 - start_factor) * t / warmup_steps)
        return schedule(t - warmup_steps)

    return warmed_up


def check_composed(composed):
    return check_schedule(composed, my_linear_warmup(lrlab.constant(0.1), 5), steps=60,
                          name="my_linear_warmup(constant(0.1), 5)")


case("07-ex3-right", "✓", lambda: check_composed(
    lrlab.sequential([lrlab.cyclic(0.0, 0.1, step_size_up=5), lrlab.constant(0.1)], boundaries=[5])),
    "matches my_linear_warmup(constant(0.1), 5)")
case("07-ex3-untouched", "…", lambda: check_composed(...), "not attempted yet", "build it in place of ...", "!write its body")
case("07-ex3-boundary-late", "✗", lambda: check_composed(
    lrlab.sequential([lrlab.cyclic(0.0, 0.1, step_size_up=5), lrlab.constant(0.1)], boundaries=[4])),
    "step 4: expected 0.08, got 0.1", "at the one wrong step (t=4) you give the value expected one step later",
    "the other steps are right", "!everywhere")
case("07-ex3-cyclic-alone", "✗", lambda: check_composed(lrlab.cyclic(0.0, 0.1, step_size_up=5)),
     "step 6: expected 0.1, got 0.08", "the schedule holds 0.1 from t=5 on and yours keeps changing (t=6: 0.08)",
     "!min(t, total_steps)", "!clamp")
case("07-ex3-ramp-too-short", "✗", lambda: check_composed(
    lrlab.sequential([lrlab.cyclic(0.0, 0.1, step_size_up=4), lrlab.constant(0.1)], boundaries=[5])),
    "step 1: expected 0.02, got 0.025")
case("07-ex3-ramp-from-lr-min", "✗", lambda: check_composed(
    lrlab.sequential([lrlab.cyclic(0.01, 0.1, step_size_up=5), lrlab.constant(0.1)], boundaries=[5])),
    "step 0: expected 0, got 0.01")
case("07-ex3-a-list", "✗", lambda: check_composed([lrlab.cyclic(0.0, 0.1, step_size_up=5), lrlab.constant(0.1)]),
     "expected a function of the step t, got a list of length 2")
case("07-ex3-constant-only", "✗", lambda: check_composed(lrlab.constant(0.1)), "step 0: expected 0, got 0.1")

ROSEN_DIVERGED = float(lrlab.descend(ROSEN, 0.0019, start=(-1.6, 1.4), steps=2000).diverged)


def check_diverges(answer):
    return check_value(answer, ROSEN_DIVERGED, name="diverges (1) or not (0)",
                       hint="one step by hand with rosen.grad; where it lands, is 0.0019 below 2/λmax?")


case("07-ex4-right", "✓", lambda: check_diverges(0), "= 0")
case("07-ex4-right-false", "✓", lambda: check_diverges(False))
case("07-ex4-untouched", "…", lambda: check_diverges(None), "not attempted yet")
case("07-ex4-close-to-the-limit-so-diverges", "✗", lambda: check_diverges(1), "= 1, expected 0",
     "is 0.0019 below 2/λmax?", "!one off")
case("07-ex4-true", "✗", lambda: check_diverges(True), "= 1, expected 0")
case("07-ex4-no", "✗", lambda: check_diverges("no"), "is 'no', expected a number")


# =========================================================================== 08

CYCLIC_08 = lrlab.cyclic(0.01, 0.1, step_size_up=30, step_size_down=10)


def check_asymmetric(fn):
    return check_schedule(fn, CYCLIC_08, steps=200)


def my_asymmetric(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    u = t % (up + down)
    height = u / up if u <= up else (up + down - u) / down
    return lr_min + (lr_max - lr_min) * height


def asymmetric_symmetric(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    u = t % (2 * up)
    height = u / up if u <= up else (2 * up - u) / up
    return lr_min + (lr_max - lr_min) * height


def asymmetric_without_lr_min(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    u = t % (up + down)
    height = u / up if u <= up else (up + down - u) / down
    return lr_max * height


def asymmetric_fall_over_up(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    u = t % (up + down)
    height = u / up if u <= up else (up + down - u) / up
    return lr_min + (lr_max - lr_min) * height


def asymmetric_no_return(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    u = t % (up + down)
    height = u / up if u <= up else (up + down - u) / down
    lr = lr_min + (lr_max - lr_min) * height  # noqa: F841 (the learner's missing return)


case("08-ex1-right", "✓", lambda: check_asymmetric(my_asymmetric))
case("08-ex1-untouched", "…", lambda: check_asymmetric(starter_function), "not attempted yet")
case("08-ex1-symmetric", "✗", lambda: check_asymmetric(asymmetric_symmetric), "step 31: expected 0.091, got 0.097",
     "!floor")


def asymmetric_cycle_of_two_ups(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    pos = t % (2 * up)
    height = pos / up if pos <= up else (up + down - pos) / down
    return lr_min + (lr_max - lr_min) * max(height, 0.0)


def asymmetric_up_and_down_swapped(t, lr_min=0.01, lr_max=0.1, up=10, down=30):
    pos = t % (up + down)
    height = pos / up if pos <= up else (up + down - pos) / down
    return lr_min + (lr_max - lr_min) * height


def asymmetric_fall_one_step_late(t, lr_min=0.01, lr_max=0.1, up=30, down=10):
    pos = t % (up + down)
    height = pos / up if pos <= up else (up + down - pos + 1) / down
    return lr_min + (lr_max - lr_min) * height


case("08-ex1-cycle-of-two-ups", "✗", lambda: check_asymmetric(asymmetric_cycle_of_two_ups),
     "step 41: expected 0.013, got 0.01 (wrong at 115 of 200 steps)", "!floor", "!Hint")
case("08-ex1-up-down-swapped", "✗", lambda: check_asymmetric(asymmetric_up_and_down_swapped),
     "within each cycle of 40 steps your values run backwards: at t=1 you return what the schedule gives at t=39",
     "the rising and the falling parts are swapped", "!sort")
case("08-ex1-fall-one-step-late", "✗", lambda: check_asymmetric(asymmetric_fall_one_step_late),
     "step 31: expected 0.091, got 0.1", "at each wrong step (45 of 200 steps, the first at t=31) you give the value "
     "expected one step earlier", "the other steps are right", "!everywhere")
case("08-ex1-without-lr-min", "✗", lambda: check_asymmetric(asymmetric_without_lr_min), "step 0: expected 0.01, got 0",
     "the schedule without its floor (lr_min = 0.01)", "lr_min + (lr_max − lr_min) · …")
case("08-ex1-fall-over-up", "✗", lambda: check_asymmetric(asymmetric_fall_over_up), "step 31: expected 0.091")
case("08-ex1-no-return", "✗", lambda: check_asymmetric(asymmetric_no_return), "returns None")


def check_triangular2(answer):
    return check_value(answer, lrlab.cyclic(0.001, 0.1, step_size_up=50, mode="triangular2")(250),
                       name="the rate at t = 250",
                       hint="use the section's k(t) and z(t); triangular2 halves the height at each new cycle")


case("08-ex2-right", "✓", lambda: check_triangular2(0.001 + (0.1 - 0.001) / 4))
case("08-ex2-untouched", "…", lambda: check_triangular2(None), "not attempted yet")
case("08-ex2-no-halving", "✗", lambda: check_triangular2(0.1), "= 0.1, expected 0.02575", "halves the height")
case("08-ex2-halved-once", "✗", lambda: check_triangular2(0.001 + 0.099 / 2), "= 0.0505, expected 0.02575")
case("08-ex2-without-lr-min", "✗", lambda: check_triangular2(0.099 / 4), "= 0.02475, expected 0.02575")
case("08-ex2-trough", "✗", lambda: check_triangular2(0.001), "= 0.001, expected 0.02575")


@functools.cache
def fourth_restart():
    s = lrlab.cosine_restarts(0.1, period=10, period_mult=2)
    return float([t for t in range(1, 1000) if s(t) == s.lr0][3])


def check_restart(answer):
    return check_value(answer, fourth_restart(), name="the step of the 4th restart",
                       hint="each restart falls at the end of a cycle, and each cycle is period_mult times longer than the one before")


case("08-ex3-right", "✓", lambda: check_restart(10 + 20 + 40 + 80), "= 150")
case("08-ex3-untouched", "…", lambda: check_restart(None), "not attempted yet")
case("08-ex3-third-restart", "✗", lambda: check_restart(70), "= 70, expected 150", "period_mult times longer")
case("08-ex3-fifth-restart", "✗", lambda: check_restart(310), "= 310, expected 150")
case("08-ex3-last-period", "✗", lambda: check_restart(80), "= 80, expected 150")
case("08-ex3-one-late", "✗", lambda: check_restart(151), "one off")

WIDE = lrlab.multi_basin(width=0.9)


def check_stable_minima(answer):
    nudged_minima = lrlab.descend(WIDE, 0.8, start=WIDE.minima + 1e-6, steps=200)  # one run per minimum
    came_back = np.linalg.norm(nudged_minima.points[-1] - WIDE.minima, axis=1) < 1e-6
    return check_value(answer, float(came_back.sum()), name="minima of the wide landscape stable at lr = 0.8",
                       hint="not a counting slip: compare 0.8 with 2/λmax at each minimum of the wide landscape "
                            "(wide.eigenvalues(wide.minima)), not of the chapter's")


case("08-ex4-right", "✓", lambda: check_stable_minima(3), "= 3")
case("08-ex4-untouched", "…", lambda: check_stable_minima(None), "not attempted yet")
case("08-ex4-all-hold", "✗", lambda: check_stable_minima(4), "= 4, expected 3", "2/λmax at each minimum of the wide landscape",
     "one off: your number is 1 away", "!count again")  # the chapter's hint says it is no counting slip
case("08-ex4-the-chapters-landscape", "✗", lambda: check_stable_minima(2), "= 2, expected 3")
case("08-ex4-counted-the-unstable", "✗", lambda: check_stable_minima(1), "= 1, expected 3")
case("08-ex4-which-not-how-many", "✗", lambda: check_stable_minima([1, 2, 3]), "expected a number",
     "one number is expected here")


# =========================================================================== 09

NOISY_09 = lrlab.noisy_quadratic(noise_std=1.0)
SEVEN = lrlab.lr_range_test(NOISY_09, seed=7)


def check_smooth(fn):
    return check_call(fn, (SEVEN.losses,), SEVEN.smoothed, rtol=1e-9, name="my_smooth(losses of a range test)",
                      hint="if your first value is 10 times the first loss, you started the average at the first loss, not at "
                           "0; if it is a tenth of it, the division by 1 − smoothing**(t + 1), t counted from 0, is missing "
                           "(section 'The LR range test, from scratch')")


def my_smooth(losses, smoothing=0.9):
    out, a = [], 0.0
    for i, loss in enumerate(losses):
        a = smoothing * a + (1 - smoothing) * loss
        out.append(a / (1 - smoothing ** (i + 1)))
    return np.array(out)


def smooth_no_correction(losses, smoothing=0.9):
    out, a = [], 0.0
    for loss in losses:
        a = smoothing * a + (1 - smoothing) * loss
        out.append(a)
    return out


def smooth_power_i(losses, smoothing=0.9):
    out, a = [], 0.0
    for i, loss in enumerate(losses):
        a = smoothing * a + (1 - smoothing) * loss
        out.append(a / (1 - smoothing**i))
    return out


def smooth_weights_swapped(losses, smoothing=0.9):
    out, a = [], 0.0
    for i, loss in enumerate(losses):
        a = (1 - smoothing) * a + smoothing * loss
        out.append(a / (1 - smoothing ** (i + 1)))
    return out


def smooth_appends_nothing(losses, smoothing=0.9):
    out, a = [], 0.0
    for i, loss in enumerate(losses):
        a = smoothing * a + (1 - smoothing) * loss
    return out


case("09-ex1-right", "✓", lambda: check_smooth(my_smooth))
case("09-ex1-untouched", "…", lambda: check_smooth(starter_function), "not attempted yet")
case("09-ex1-no-bias-correction", "✗", lambda: check_smooth(smooth_no_correction), "index 0", "1 − smoothing**(t + 1)")
case("09-ex1-power-i", "✗", lambda: check_smooth(smooth_power_i), "index 0: got inf, expected a number",
     "division by zero")
case("09-ex1-weights-swapped", "✗", lambda: check_smooth(smooth_weights_swapped), "index 0: expected 9.12498, got 82.1248")
case("09-ex1-empty-list", "✗", lambda: check_smooth(smooth_appends_nothing), "expected shape", "got (0,)", "your array is empty", "a forgotten append")


def check_peak(answer):
    return check_value(answer, float(np.argmax(lrlab.one_cycle(0.4, 100)(np.arange(100)))), name="the step of the peak",
                       hint="the phase ends are in the section 'One-cycle, from scratch' (mind the − 1)")


case("09-ex2-right", "✓", lambda: check_peak(29), "= 29")
case("09-ex2-untouched", "…", lambda: check_peak(None), "not attempted yet")
case("09-ex2-pct-start-times-T", "✗", lambda: check_peak(30), "= 30, expected 29", "one off", "(mind the − 1)")
case("09-ex2-fraction", "✗", lambda: check_peak(0.3), "= 0.3, expected 29")
case("09-ex2-midpoint", "✗", lambda: check_peak(50), "= 50, expected 29")

BY_RULE = lrlab.lr_range_test(NOISY_09, rule="min/10")


def check_min10(fn):
    return check_call(fn, (BY_RULE.lrs, BY_RULE.smoothed), BY_RULE.suggested_lr, rtol=1e-12,
                      name="your min/10 suggestion", hint="np.argmin gives the index of the lowest smoothed loss")


def suggest_min10(lrs, smoothed):
    return float(lrs[int(np.argmin(smoothed))]) / 10


def suggest_min_without_ten(lrs, smoothed):
    return lrs[np.argmin(smoothed)]


def suggest_loss_not_rate(lrs, smoothed):
    return np.min(smoothed) / 10


def suggest_index(lrs, smoothed):
    return np.argmin(smoothed) / 10


def suggest_list_index(lrs, smoothed):
    return lrs[smoothed.index(min(smoothed))] / 10


case("09-ex3-right", "✓", lambda: check_min10(suggest_min10))
case("09-ex3-right-numpy-scalar", "✓", lambda: check_min10(lambda lrs, smoothed: lrs[np.argmin(smoothed)] / 10))
case("09-ex3-untouched", "…", lambda: check_min10(starter_function), "not attempted yet")
case("09-ex3-forgot-tenth", "✗", lambda: check_min10(suggest_min_without_ten), "10× the expected", "a / 10 missing?")
case("09-ex3-loss-not-rate", "✗", lambda: check_min10(suggest_loss_not_rate), "expected")
case("09-ex3-index-not-rate", "✗", lambda: check_min10(suggest_index), "expected")
case("09-ex3-list-method", "✗", lambda: check_min10(suggest_list_index), "raised AttributeError", "index")


HOOK_TEST = lrlab.lr_range_test(NOISY_09)  # the chapter's hook: 100 rates from 1e-6 to 10


def check_first_above(answer):
    return check_value(answer, float(np.argmax(HOOK_TEST.lrs >= NOISY_09.stability_limit)),
                       name="the first update at or above 2/L",
                       hint="the ramp's formula is in the section 'The LR range test, from scratch'; the answer is a whole update")


case("09-ex4-right", "✓", lambda: check_first_above(math.ceil(99 * math.log(2 / 1e-6) / math.log(10 / 1e-6))))
case("09-ex4-untouched", "…", lambda: check_first_above(None), "not attempted yet")
case("09-ex4-rounded-down", "✗", lambda: check_first_above(89), "= 89, expected 90", "one off")
case("09-ex4-not-rounded", "✗", lambda: check_first_above(89.1), "= 89.1, expected 90", "the answer is a whole update")
case("09-ex4-where-it-stopped", "✗", lambda: check_first_above(99), "= 99, expected 90")


# =========================================================================== 10

FLAT = lrlab.quadratic_bowl(curvature=1e-4)


@functools.cache
def ch10_reference():
    return lrlab.descend(lrlab.quadratic_bowl(curvature=2.0), 0.4, start=(3.0, 0.0), steps=40,
                         method="momentum", momentum=0.8).points[:, 0]


def check_heavy_ball(fn):
    return check_call(fn, (0.4, 0.8, 2.0, 3.0, 40), ch10_reference(), rtol=1e-9,
                      name="heavy_ball(0.4, 0.8, 2.0, 3.0, 40)",
                      hint="the buffer starts at 0 and adds the gradient: b = beta * b + h * x; then x = x - lr * b")


def heavy_ball(lr, beta, h, x0, steps):
    x, b = x0, 0.0
    xs = [x]
    for _ in range(steps):
        b = beta * b + h * x
        x = x - lr * b
        xs.append(x)
    return np.array(xs)


def heavy_ball_dampened(lr, beta, h, x0, steps):
    x, b = x0, 0.0
    xs = [x]
    for _ in range(steps):
        b = beta * b + (1 - beta) * h * x
        x = x - lr * b
        xs.append(x)
    return np.array(xs)


def heavy_ball_plain_gd(lr, beta, h, x0, steps):
    x = x0
    xs = [x]
    for _ in range(steps):
        x = x - lr * h * x
        xs.append(x)
    return np.array(xs)


def heavy_ball_without_x0(lr, beta, h, x0, steps):
    x, b = x0, 0.0
    xs = []
    for _ in range(steps):
        b = beta * b + h * x
        x = x - lr * b
        xs.append(x)
    return np.array(xs)


def heavy_ball_buffer_not_updated(lr, beta, h, x0, steps):
    x, b = x0, 0.0
    xs = [x]
    for _ in range(steps):
        b = beta * b + h * x0
        x = x - lr * b
        xs.append(x)
    return np.array(xs)


case("10-ex1-right", "✓", lambda: check_heavy_ball(heavy_ball), "(41 values)")
case("10-ex1-untouched", "…", lambda: check_heavy_ball(starter_function), "not attempted yet")
case("10-ex1-dampened", "✗", lambda: check_heavy_ball(heavy_ball_dampened), "index 1: expected 0.6, got 2.52",
     "b = beta * b + h * x")
case("10-ex1-plain-gd", "✗", lambda: check_heavy_ball(heavy_ball_plain_gd), "index 2")
case("10-ex1-without-x0", "✗", lambda: check_heavy_ball(heavy_ball_without_x0), "expected shape (41,), got (40,)",
     "one value too many or too few")
case("10-ex1-gradient-at-x0", "✗", lambda: check_heavy_ball(heavy_ball_buffer_not_updated), "index 2")


@functools.cache
def momentum_cliff():
    """The cell's measured switch: three ever finer grids of constant rates on the steep valley."""
    steep_valley = lrlab.elongated_valley(condition_number=10, max_curvature=4.0)
    stable, unstable = 1e-3, 100.0
    for _ in range(3):
        grid = np.geomspace(stable, unstable, 41)
        probe = lrlab.descend(steep_valley, list(grid), steps=3000, method="momentum", momentum=0.8)
        first = int(np.argmax(probe.diverged | (probe.final_loss > probe.losses[0])))
        stable, unstable = grid[first - 1], grid[first]
    return (stable + unstable) / 2


def check_momentum_limit(answer):
    return check_value(answer, momentum_cliff(), rtol=1e-3, name="momentum's stability limit",
                       hint="the section 'The stability limit' gives the limit in terms of β and the largest curvature")


case("10-ex2-right", "✓", lambda: check_momentum_limit((2 + 2 * 0.8) / 4.0), "= 0.9")
case("10-ex2-untouched", "…", lambda: check_momentum_limit(None), "not attempted yet")
case("10-ex2-gd-limit", "✗", lambda: check_momentum_limit(2 / 4.0), "= 0.5, expected 0.9", "in terms of β and the largest curvature")
case("10-ex2-nesterov", "✗", lambda: check_momentum_limit((2 + 2 * 0.8) / ((1 + 2 * 0.8) * 4.0)), "expected 0.9")
case("10-ex2-over-lambda-min", "✗", lambda: check_momentum_limit((2 + 2 * 0.8) / 0.4), "10× the expected")


@functools.cache
def momentum_steady_step():
    """Momentum's steady step / (lr |g|) under a constant gradient, measured as the cell measures it."""
    probe = lrlab.descend(lrlab.quadratic_bowl(curvature=1e-6), 1e-3, steps=2000, method="momentum", momentum=0.95)
    return np.linalg.norm(probe.points[-1] - probe.points[-2]) / (1e-3 * probe.grad_norms[-1])


def check_converted(answer):
    return check_value(answer, 0.3 / momentum_steady_step(), rtol=1e-3, name="the momentum rate",
                       hint="see the section 'The effective step': what does momentum multiply the rate by on slow directions?")


case("10-ex3-right", "✓", lambda: check_converted(0.3 * (1 - 0.95)), "= 0.015")
case("10-ex3-untouched", "…", lambda: check_converted(None), "not attempted yet")
case("10-ex3-divided", "✗", lambda: check_converted(0.3 / (1 - 0.95)), "= 6, expected 0.015", "'The effective step'")
case("10-ex3-times-beta", "✗", lambda: check_converted(0.3 * 0.95), "= 0.285, expected 0.015")
case("10-ex3-decimal-slip", "✗", lambda: check_converted(0.15), "10× the expected")


def adam_first_step_ratio():
    """|first step| / lr of Adam without bias correction on the flat bowl, as the cell's adam_from_scratch
    computes it: m = (1 − β1) g, v = (1 − β2) g², step = lr · m / (√v + eps)."""
    g = FLAT.grad(FLAT.start)[0]
    m, v = (1 - 0.9) * g, (1 - 0.99) * g**2
    return abs(1e-5 * m / (np.sqrt(v) + 1e-8)) / 1e-5


def check_adam_step(answer):
    return check_value(answer, adam_first_step_ratio(), rtol=1e-3, name="the first step / lr",
                       hint="see the section 'Adam’s first steps: bias correction and warmup'")


case("10-ex4-right", "✓", lambda: check_adam_step((1 - 0.9) / np.sqrt(1 - 0.99)))
case("10-ex4-untouched", "…", lambda: check_adam_step(None), "not attempted yet")
case("10-ex4-corrected-bound", "✗", lambda: check_adam_step((1 - 0.9) / np.sqrt(1 - 0.999)), "= 3.16228, expected 0.99975")
case("10-ex4-m-only", "✗", lambda: check_adam_step(0.1), "0.1× the expected", "a factor of 10 missing")
case("10-ex4-negative", "✗", lambda: check_adam_step(-1.0), "the wrong sign")


@functools.cache
def measured_buildup():
    run = lrlab.descend(FLAT, 1e-3, steps=100, method="momentum", momentum=0.9)
    return np.linalg.norm(np.diff(run.points, axis=0), axis=1) / (1e-3 * run.grad_norms)


def check_buildup(fn):
    return check_call(fn, (np.arange(100),), measured_buildup(), rtol=1e-4, no_loops=True, name="the measured build-up",
                      hint="1/(1 − β) is only the limit: the ratio at step t sums the gradients the buffer holds so far, 1 at t = 0 "
                           "(section 'The effective step')")


def momentum_buildup(t, beta=0.9):
    return (1 - beta ** (np.asarray(t, dtype=float) + 1)) / (1 - beta)


def buildup_cumsum(t, beta=0.9):
    return np.cumsum(beta ** np.asarray(t, dtype=float))


def buildup_limit_only(t, beta=0.9):
    return 1 / (1 - beta)


def buildup_beta_t(t, beta=0.9):
    return (1 - beta ** np.asarray(t, dtype=float)) / (1 - beta)


def buildup_loop(t, beta=0.9):
    out, s = [], 0.0
    for k in t:
        s = beta * s + 1
        out.append(s)
    return np.array(out)


def buildup_integer_power(t, beta=0.9):
    return (1 - beta ** -(t + 1)) / (1 - beta)


case("10-ex5-right", "✓", lambda: check_buildup(momentum_buildup), "matches the expected values (100 values)")
case("10-ex5-right-cumsum", "✓", lambda: check_buildup(buildup_cumsum))
case("10-ex5-untouched", "…", lambda: check_buildup(starter_function), "not attempted yet")
case("10-ex5-limit-only", "✗", lambda: check_buildup(buildup_limit_only), "expected shape (100,), got ()",
     "you returned one number where an array is expected")
case("10-ex5-beta-to-the-t", "✗", lambda: check_buildup(buildup_beta_t), "one index late",
     "an index off by one", "!< versus <=")
case("10-ex5-python-loop", "✗", lambda: check_buildup(buildup_loop), "iterates in Python", "for k in t:")
case("10-ex5-negative-power", "✗", lambda: check_buildup(buildup_integer_power), "index 0: expected 1, got -1.11111")


# =========================================================================== 11


def recursion_variance(rates, h, sigma):
    v = 0.0
    for lr in rates:
        v = (1 - lr * h) ** 2 * v + (lr * sigma) ** 2
    return v


VARIANCE_TESTS = [(lrlab.cosine(0.5, 200)(np.arange(200)), 0.25, 1.0), (np.full(80, 0.3), 2.0, 0.5),
                  (lrlab.inverse_time(3.0, 1.0)(np.arange(500)), 1.0, 2.0)]


def check_variance(fn):
    """One check per schedule of the cell, no Python loop allowed; the first result that is not a pass."""
    results = []
    for i, (rates, h, sigma) in enumerate(VARIANCE_TESTS):
        results.append(check_call(fn, (rates, h, sigma), recursion_variance(rates, h, sigma), rtol=1e-9,
                                  name=f"variance_after(schedule {i + 1})", no_loops=True,
                                  hint="factor = (1 - rates * h)**2; the product over s > t is the reversed "
                                       "cumprod, shifted by one step"))
        if not results[-1]:
            return results[-1]
    return results[-1]


def variance_after(rates, h, sigma):
    factor = (1 - np.asarray(rates, dtype=float) * h) ** 2
    after = np.append(np.cumprod(factor[::-1])[::-1][1:], 1.0)
    return float(sigma**2 * np.sum(np.asarray(rates) ** 2 * after))


def variance_recursion_loop(rates, h, sigma):
    v = 0.0
    for lr in rates:
        v = (1 - lr * h) ** 2 * v + (lr * sigma) ** 2
    return v


def variance_not_shifted(rates, h, sigma):
    factor = (1 - np.asarray(rates, dtype=float) * h) ** 2
    after = np.cumprod(factor[::-1])[::-1]
    return float(sigma**2 * np.sum(np.asarray(rates) ** 2 * after))


def variance_without_sigma(rates, h, sigma):
    factor = (1 - np.asarray(rates, dtype=float) * h) ** 2
    after = np.append(np.cumprod(factor[::-1])[::-1][1:], 1.0)
    return float(np.sum(np.asarray(rates) ** 2 * after))


def variance_not_summed(rates, h, sigma):
    factor = (1 - np.asarray(rates, dtype=float) * h) ** 2
    after = np.append(np.cumprod(factor[::-1])[::-1][1:], 1.0)
    return sigma**2 * np.asarray(rates) ** 2 * after


def variance_sum_builtin(rates, h, sigma):
    factor = (1 - np.asarray(rates, dtype=float) * h) ** 2
    after = np.append(np.cumprod(factor[::-1])[::-1][1:], 1.0)
    return sigma**2 * sum(np.asarray(rates) ** 2 * after)


case("11-ex1-right", "✓", lambda: check_variance(variance_after), "variance_after(schedule 3) =")
case("11-ex1-untouched", "…", lambda: check_variance(starter_function), "not attempted yet")
case("11-ex1-the-recursion", "✗", lambda: check_variance(variance_recursion_loop), "iterates in Python",
     "for lr in rates:")
case("11-ex1-not-shifted", "✗", lambda: check_variance(variance_not_shifted), "variance_after(schedule 1) =",
     "shifted by one step")
case("11-ex1-without-sigma", "✗", lambda: check_variance(variance_without_sigma), "variance_after(schedule 2) =")
case("11-ex1-not-summed", "✗", lambda: check_variance(variance_not_summed), "expected a number",
     "one number is expected here")
case("11-ex1-builtin-sum", "✗", lambda: check_variance(variance_sum_builtin), "iterates in Python", "sum(")


def stationary_variance():
    v_limit, v = 0.0, 1.0
    while abs(v - v_limit) > 1e-15:
        v_limit, v = v, (1 - 0.1 * 0.5) ** 2 * v + (0.1 * 2.0) ** 2
    return v_limit


V_LIMIT = stationary_variance()


def check_v_inf(answer):
    return check_value(answer, V_LIMIT, rtol=1e-4, name="the stationary variance",
                       hint="see the section 'The exact recursion, and a many-seed check'")


case("11-ex2-right", "✓", lambda: check_v_inf(0.1 * 2.0**2 / (0.5 * (2 - 0.1 * 0.5))), "the stationary variance = 0.410256")
case("11-ex2-untouched", "…", lambda: check_v_inf(None), "not attempted yet")
case("11-ex2-small-lr-approximation", "✗", lambda: check_v_inf(0.1 * 4 / (2 * 0.5)), "= 0.4, expected 0.410256",
     "'The exact recursion, and a many-seed check'")
case("11-ex2-loss-not-variance", "✗", lambda: check_v_inf(0.5 / 2 * 0.410256), "expected 0.410256")
case("11-ex2-sigma-not-squared", "✗", lambda: check_v_inf(0.1 * 2.0 / (0.5 * 1.95)), "= 0.205128, expected 0.410256")


def steps_to_settle():
    v, n = 0.0, 0
    while v < 0.9 * V_LIMIT:
        v, n = (1 - 0.1 * 0.5) ** 2 * v + (0.1 * 2.0) ** 2, n + 1
    return n


def check_settle(answer):
    return check_value(answer, steps_to_settle(), rtol=1e-9, name="the number of steps",
                       hint="the section 'The trade-off at a constant rate' gives V_T for a constant rate; mind the factor 2 "
                            "in the exponent, (1 − lr·h)^(2t), and the answer is a whole step")


case("11-ex3-right", "✓", lambda: check_settle(int(np.ceil(np.log(0.1) / (2 * np.log(1 - 0.1 * 0.5))))), "= 23")
case("11-ex3-untouched", "…", lambda: check_settle(None), "not attempted yet")
case("11-ex3-rounded-down", "✗", lambda: check_settle(22), "= 22, expected 23", "one off", "the answer is a whole step")
case("11-ex3-not-rounded", "✗", lambda: check_settle(22.4), "= 22.4, expected 23")
case("11-ex3-exponent-t-not-2t", "✗", lambda: check_settle(45), "= 45, expected 23")


def floor_of_any_schedule(x0, h, sigma, T):  # noqa: N803 (the chapter's notation)
    v_avg = sigma**2 / (h**2 * T)
    return x0**2 * v_avg / (x0**2 + v_avg)


def second_moment(rates, h, x0, sigma=1.0):
    """The chapter's exact E[x_T²] = w_start² x0² + (σ/h)² Σ w_t² of one schedule on one coordinate (σ = 1 there)."""
    a = np.asarray(rates, dtype=float) * h
    after = np.concatenate([np.cumprod((1 - a)[::-1])[::-1][1:], [1.0]])
    w_start, w = np.prod(1 - a), a * after
    return w_start**2 * x0**2 + (sigma / h) ** 2 * np.sum(w**2)


@functools.cache
def reachable_floor():
    """The cell's check: the exact E[x_T²] of the best schedule 1/(h (offset + t)) over a grid of offsets."""
    return min(second_moment(1 / (0.5 * (np.arange(100) + offset)), 0.5, 1000.0) for offset in np.geomspace(1, 100, 50))


def check_any_floor(answer):
    return check_value(answer, reachable_floor(), rtol=1e-3, name="the floor", hint="see the section 'What no schedule can beat'")


case("11-ex4-right", "✓", lambda: check_any_floor(1.0 / (0.25 * 100)), "the floor = 0.04")
case("11-ex4-untouched", "…", lambda: check_any_floor(None), "not attempted yet")
case("11-ex4-h-not-squared", "✗", lambda: check_any_floor(1.0 / (0.5 * 100)), "= 0.02, expected 0.04", "'What no schedule can beat'")
case("11-ex4-ten-times", "✗", lambda: check_any_floor(0.4), "10× the expected")
case("11-ex4-zero", "✗", lambda: check_any_floor(0), "= 0, expected 0.04")


def check_equal_weights(schedule):
    return check_call(schedule, (np.arange(300),), 1 / (0.25 * (np.arange(300) + 11)), rtol=1e-9,
                      name="equal_weights(t) against 1/(h (offset + t))",
                      hint="lr0/(1 + decay_rate·t): factor decay_rate out of the denominator and match it with "
                           "1/(h (offset + t)), offset = 11 exactly, t counted from 0")


case("11-ex5-right", "✓", lambda: check_equal_weights(lrlab.inverse_time(lr0=1 / (0.25 * 11), decay_rate=1 / 11)),
     "equal_weights(t) against 1/(h (offset + t)) matches the expected values (300 values)")
case("11-ex5-right-function", "✓", lambda: check_equal_weights(lambda t: 4 / (t + 11)))
case("11-ex5-untouched", "…", lambda: check_equal_weights(...), "not attempted yet", "build it in place of ...", "!write its body")
case("11-ex5-k-without-one", "✗", lambda: check_equal_weights(lrlab.inverse_time(lr0=1 / (0.25 * 10), decay_rate=0.1)),
     "one index late", "an index off by one", "!< versus <=")
case("11-ex5-decay-rate-k", "✗", lambda: check_equal_weights(lrlab.inverse_time(lr0=4 / 11, decay_rate=11)),
     "index 1: expected 0.333333, got 0.030303")
case("11-ex5-lr0-one-over-h", "✗", lambda: check_equal_weights(lrlab.inverse_time(lr0=4, decay_rate=1 / 11)),
     "all values are 11× the expected")
case("11-ex5-a-number", "✗", lambda: check_equal_weights(4 / 11), "expected a function of your arguments, got 0.363636")


# =========================================================================== 12

RATIOS = [3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3]
LR0S_EX = np.geomspace(0.05, 20, 20)
FLOOR = 1e-12


def rate_table(schedules, T):  # noqa: N803 (the chapter's notation)
    return np.stack([s(np.arange(T)) for s in schedules], axis=1)


def inverse_time_contestant(lr0, r, T=30):  # noqa: N803
    return lrlab.inverse_time(lr0, decay_rate=(1 / r - 1) / T)


def check_table(fn):
    expected = rate_table([inverse_time_contestant(lr0, r) for r in RATIOS for lr0 in LR0S_EX], 30)
    return check_call(fn, (LR0S_EX, RATIOS, 30), expected, rtol=1e-12, name="inverse_time_table", no_loops=True)


def inverse_time_table(lr0s, ratios, T):  # noqa: N803
    t = np.arange(T)[:, None, None]
    k = (1 / np.asarray(ratios)[None, :, None] - 1) / T
    return (np.asarray(lr0s)[None, None, :] / (1 + k * t)).reshape(T, -1)


def table_lr0_major(lr0s, ratios, T):  # noqa: N803
    t = np.arange(T)[:, None, None]
    k = (1 / np.asarray(ratios)[None, None, :] - 1) / T
    return (np.asarray(lr0s)[None, :, None] / (1 + k * t)).reshape(T, -1)


def table_not_reshaped(lr0s, ratios, T):  # noqa: N803
    t = np.arange(T)[:, None, None]
    k = (1 / np.asarray(ratios)[None, :, None] - 1) / T
    return np.asarray(lr0s)[None, None, :] / (1 + k * t)


def table_columns_loop(lr0s, ratios, T):  # noqa: N803
    columns = [lr0 / (1 + (1 / r - 1) * np.arange(T) / T) for r in ratios for lr0 in lr0s]
    return np.stack(columns, axis=1)


def table_ratios_as_list(lr0s, ratios, T):  # noqa: N803
    t = np.arange(T)[:, None, None]
    k = (1 / ratios - 1) / T
    return (np.asarray(lr0s)[None, None, :] / (1 + k * t)).reshape(T, -1)


def table_without_over_T(lr0s, ratios, T):  # noqa: N803
    t = np.arange(T)[:, None, None]
    k = 1 / np.asarray(ratios)[None, :, None] - 1
    return (np.asarray(lr0s)[None, None, :] / (1 + k * t)).reshape(T, -1)


case("12-ex1-right", "✓", lambda: check_table(inverse_time_table), "(4200 values)")
case("12-ex1-untouched", "…", lambda: check_table(starter_function), "not attempted yet")
case("12-ex1-lr0-major", "✗", lambda: check_table(table_lr0_major), "index (0, 1): expected 0.0685363, got 0.05",
     "your columns hold the right values in another order", "a 7 × 20 grid with the 7-long axis outer",
     "yours with the 20-long axis outer", "swap the two axes", "!one index late", "!< versus <=")
case("12-ex1-not-reshaped", "✗", lambda: check_table(table_not_reshaped), "expected shape (30, 140), got (30, 7, 20)",
     "the right number of values in the wrong shape")
case("12-ex1-comprehension", "✗", lambda: check_table(table_columns_loop), "iterates in Python")
case("12-ex1-list-arithmetic", "✗", lambda: check_table(table_ratios_as_list), "raised TypeError",
     "k = (1 / ratios - 1) / T")
case("12-ex1-without-over-T", "✗", lambda: check_table(table_without_over_T), "index (1, 0)")

WARM_12 = lrlab.linear_warmup(lrlab.cosine(0.004, 450), 50)


def check_warmup_cosine(fn):
    return check_schedule(fn, WARM_12, steps=600)


def my_warmup_cosine(t, lr0=0.004, share=0.1, T=500):  # noqa: N803
    W = round(share * T)  # noqa: N806 (the chapter's notation)
    if t < W:
        return lr0 * t / W
    return lr0 * (1 + math.cos(math.pi * min(t - W, T - W) / (T - W))) / 2


def warmup_cosine_global_clock(t, lr0=0.004, share=0.1, T=500):  # noqa: N803
    W = round(share * T)  # noqa: N806
    if t < W:
        return lr0 * t / W
    return lr0 * (1 + math.cos(math.pi * min(t, T - W) / (T - W))) / 2


def warmup_cosine_no_hold(t, lr0=0.004, share=0.1, T=500):  # noqa: N803
    W = round(share * T)  # noqa: N806
    if t < W:
        return lr0 * t / W
    return lr0 * (1 + math.cos(math.pi * (t - W) / (T - W))) / 2


def warmup_cosine_over_T(t, lr0=0.004, share=0.1, T=500):  # noqa: N803
    W = round(share * T)  # noqa: N806
    if t < W:
        return lr0 * t / W
    return lr0 * (1 + math.cos(math.pi * min(t - W, T) / T)) / 2


def warmup_cosine_ramp_plus_one(t, lr0=0.004, share=0.1, T=500):  # noqa: N803
    W = round(share * T)  # noqa: N806
    if t < W:
        return lr0 * (t + 1) / W
    return lr0 * (1 + math.cos(math.pi * min(t - W, T - W) / (T - W))) / 2


case("12-ex2-right", "✓", lambda: check_warmup_cosine(my_warmup_cosine), "on steps 0–599")
case("12-ex2-untouched", "…", lambda: check_warmup_cosine(starter_function), "not attempted yet")
case("12-ex2-global-clock", "✗", lambda: check_warmup_cosine(warmup_cosine_global_clock),
     "global clock t instead of its own clock t − 50")
case("12-ex2-no-hold", "✗", lambda: check_warmup_cosine(warmup_cosine_no_hold), "holds 0 from t=500 on")
case("12-ex2-cosine-over-T", "✗", lambda: check_warmup_cosine(warmup_cosine_over_T), "step 51")
case("12-ex2-ramp-one-ahead", "✗", lambda: check_warmup_cosine(warmup_cosine_ramp_plus_one), "one step early",
     "t + 1 instead of t")


def constant_scores(surface, T, lr0s):  # noqa: N803
    """The constant schedule's row of the group stage, as the chapter's play() scores it from the start."""
    rates = rate_table([lrlab.constant(lr0) for lr0 in lr0s], T)
    run = lrlab.descend(surface, rates, start=np.tile(surface.start, (len(lr0s), 1)), steps=T, seed=1)
    excess = np.maximum(run.final_loss - float(surface.value(surface.minimum)), 0.0)
    return np.maximum(excess, FLOOR)


BOWL_LR0 = np.geomspace(0.05, 5, 20)
VALLEY_12 = lrlab.elongated_valley(condition_number=10)


def check_solved(answer):
    solved = int((constant_scores(lrlab.quadratic_bowl(), 10, BOWL_LR0) <= FLOOR).sum())  # the cell's bowl_10
    return check_value(answer, solved, name="constant rates that solve the bowl in 10 steps",
                       hint="the section 'Reading the heat maps' says where the bowl's solved band lies; find its edges for 10 "
                            "steps, then count the printed values inside")


def solved_count_from_formula(exponent=20):
    edge = (1e-12 / 12.5) ** (1 / exponent)
    return int(np.sum(np.abs(1 - BOWL_LR0) <= edge))


case("12-ex3-right", "✓", lambda: check_solved(solved_count_from_formula()))
case("12-ex3-untouched", "…", lambda: check_solved(None), "not attempted yet")
case("12-ex3-below-one-only", "✗", lambda: check_solved(int(np.sum((BOWL_LR0 >= 1 - 0.25) & (BOWL_LR0 <= 1)))),
     "expected", "count the printed values inside")
case("12-ex3-the-chapters-20-steps", "✗", lambda: check_solved(solved_count_from_formula(exponent=40)), "expected")
case("12-ex3-exponent-10", "✗", lambda: check_solved(solved_count_from_formula(exponent=10)), "expected")
case("12-ex3-stability-interval", "✗", lambda: check_solved(int(np.sum(BOWL_LR0 < 2))), "expected")


def check_valley_score(answer):
    run = lrlab.descend(VALLEY_12, lrlab.constant(VALLEY_12.optimal_lr), steps=30, seed=1)  # the cell's play(...)[0, 0]
    excess = max(float(run.final_loss) - float(VALLEY_12.value(VALLEY_12.minimum)), 0.0)
    return check_value(answer, excess, rtol=5e-3, name="the score of lr* on the valley",
                       hint="chapter 01's section 'Two directions: the elongated valley' follows each coordinate on its own")


def valley_score(lr, half=0.5, power=30, curvatures=True):
    x_t = -4.5 * (1 - lr * VALLEY_12.mu) ** power
    y_t = 2.0 * (1 - lr * VALLEY_12.L) ** power
    return half * (VALLEY_12.mu * x_t**2 + VALLEY_12.L * y_t**2 if curvatures else x_t**2 + y_t**2)


LR_STAR_12 = VALLEY_12.optimal_lr
case("12-ex4-right", "✓", lambda: check_valley_score(valley_score(LR_STAR_12)))
case("12-ex4-untouched", "…", lambda: check_valley_score(None), "not attempted yet")
case("12-ex4-without-half", "✗", lambda: check_valley_score(valley_score(LR_STAR_12, half=1.0)),
     "expected", "follows each coordinate on its own")
case("12-ex4-without-curvatures", "✗", lambda: check_valley_score(valley_score(LR_STAR_12, curvatures=False)), "expected")
case("12-ex4-one-step-short", "✗", lambda: check_valley_score(valley_score(LR_STAR_12, power=29)), "expected")
case("12-ex4-the-tuned-rates-score", "✗", lambda: check_valley_score(float(constant_scores(VALLEY_12, 30, LR0S_EX).min())),
     "expected")


# =========================================================================== 13


@functools.cache
def digits():
    """The chapter's data, network and minibatch (the first cell: load_digits(), batches of 32)."""
    data = load_digits()
    net = init_mlp(data.features, data.classes, hidden=32, seed=0)
    return data, net, data.X_train[:32], data.y_train[:32]


def steps_per_epoch():
    return digits()[0].steps_per_epoch(32)


def check_drops(fn):
    s = steps_per_epoch()
    return check_schedule(fn, lrlab.multistep(0.5, [4 * s, 7 * s], gamma=0.5), steps=10 * s)


def my_drops(t):
    s = steps_per_epoch()
    if t >= 7 * s:
        return 0.125
    if t >= 4 * s:
        return 0.25
    return 0.5


def drops_strict(t):
    s = steps_per_epoch()
    if t > 7 * s:
        return 0.125
    if t > 4 * s:
        return 0.25
    return 0.5


def drops_epochs_from_one(t):
    s = steps_per_epoch()
    if t >= 8 * s:
        return 0.125
    if t >= 5 * s:
        return 0.25
    return 0.5


def drops_epoch_as_update(t):
    if t >= 7:
        return 0.125
    if t >= 4:
        return 0.25
    return 0.5


def drops_order(t):
    s = steps_per_epoch()
    if t >= 4 * s:
        return 0.25
    if t >= 7 * s:
        return 0.125
    return 0.5


case("13-ex1-right", "✓", lambda: check_drops(my_drops), "on steps 0–449")
case("13-ex1-untouched", "…", lambda: check_drops(starter_function), "not attempted yet")
case("13-ex1-strict", "✗", lambda: check_drops(drops_strict), "step 180: expected 0.25, got 0.5", "one step late",
     "< versus <=")
case("13-ex1-epochs-from-one", "✗", lambda: check_drops(drops_epochs_from_one), "step 180", "45 steps behind")
case("13-ex1-epochs-as-updates", "✗", lambda: check_drops(drops_epoch_as_update), "step 4: expected 0.5, got 0.25")
case("13-ex1-branch-order", "✗", lambda: check_drops(drops_order), "step 315: expected 0.125, got 0.25")


def check_grad_b2(fn):
    data, net, X, y = digits()  # noqa: N806 (the chapter's notation)
    return check_call(fn, (net, X, y), net.loss_and_grad(X, y)[1][-data.classes:], name="∂f/∂b2")


def softmax_rows(net, X):  # noqa: N803
    z = np.maximum(X @ net.W1 + net.b1, 0.0) @ net.W2 + net.b2
    p = np.exp(z - z.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def my_grad_b2(net, X, y):  # noqa: N803
    p = softmax_rows(net, X)
    p[np.arange(len(y)), y] -= 1.0
    return p.sum(axis=0) / len(y)


def grad_b2_not_averaged(net, X, y):  # noqa: N803
    p = softmax_rows(net, X)
    p[np.arange(len(y)), y] -= 1.0
    return p.sum(axis=0)


def grad_b2_sign(net, X, y):  # noqa: N803
    p = softmax_rows(net, X)
    p[np.arange(len(y)), y] -= 1.0
    return -p.sum(axis=0) / len(y)


def grad_b2_wrong_axis(net, X, y):  # noqa: N803
    p = softmax_rows(net, X)
    p[np.arange(len(y)), y] -= 1.0
    return p.sum(axis=1) / len(y)


def grad_b2_onehot_forgotten(net, X, y):  # noqa: N803
    return softmax_rows(net, X).sum(axis=0) / len(y)


case("13-ex2-right", "✓", lambda: check_grad_b2(my_grad_b2), "∂f/∂b2 matches the expected values (10 values)")
case("13-ex2-untouched", "…", lambda: check_grad_b2(starter_function), "not attempted yet")
case("13-ex2-not-averaged", "✗", lambda: check_grad_b2(grad_b2_not_averaged), "all values are 32× the expected")
case("13-ex2-sign", "✗", lambda: check_grad_b2(grad_b2_sign), "the wrong sign")
case("13-ex2-wrong-axis", "✗", lambda: check_grad_b2(grad_b2_wrong_axis), "expected shape (10,), got (32,)", "22 values too many", "along the wrong axis")
case("13-ex2-onehot-forgotten", "✗", lambda: check_grad_b2(grad_b2_onehot_forgotten), "index 0")


def check_updates(answer):
    return check_value(answer, 10 * digits()[0].steps_per_epoch(64), name="updates in 10 epochs",
                       hint="each epoch makes ⌈n_train / 64⌉ updates: the last, smaller batch is an update too.")


def n_train():
    return len(digits()[0].y_train)


case("13-ex3-right", "✓", lambda: check_updates(10 * math.ceil(n_train() / 64)))
case("13-ex3-untouched", "…", lambda: check_updates(None), "not attempted yet")
case("13-ex3-floor", "✗", lambda: check_updates(10 * (n_train() // 64)), "expected 230", "smaller batch")
case("13-ex3-one-epoch", "✗", lambda: check_updates(math.ceil(n_train() / 64)), "0.1× the expected")
case("13-ex3-batch-32", "✗", lambda: check_updates(10 * math.ceil(n_train() / 32)), "= 450, expected 230")


def check_slip(answer):
    return check_value(answer, lrlab.cosine(1.0, total_steps=10)(100), name="the rate of update 100",
                       hint="a cosine ends at total_steps and holds lr_min after it.")


case("13-ex4-right", "✓", lambda: check_slip(0.0))
case("13-ex4-untouched", "…", lambda: check_slip(None), "not attempted yet")
case("13-ex4-periodic", "✗", lambda: check_slip(1.0), "= 1, expected 0", "holds lr_min")
case("13-ex4-mid-cosine", "✗", lambda: check_slip(0.5), "= 0.5, expected 0")
case("13-ex4-as-if-per-update", "✗", lambda: check_slip(lrlab.cosine(1.0, 450)(100)), "expected 0")


def check_top_eigenvalue(fn):
    _, net, X, y = digits()
    v0 = np.random.default_rng(0).normal(size=net.size)  # seeded: the start net.sharpness(seed=0) uses
    v0 /= np.linalg.norm(v0)
    return check_call(fn, (lambda v: net.hessian_vector_product(X, y, v), v0, 30),
                      net.sharpness(X, y, iters=30, seed=0), rtol=1e-4, name="λmax")


def my_top_eigenvalue(hvp, v0, iters):
    v, lam = v0, 0.0
    for _ in range(iters):
        w = hvp(v)
        lam = v @ w
        v = w / np.linalg.norm(w)
    return lam


def top_eigenvalue_not_normalised(hvp, v0, iters):
    v, lam = v0, 0.0
    for _ in range(iters):
        w = hvp(v)
        lam = v @ w
        v = w
    return lam


def top_eigenvalue_the_vector(hvp, v0, iters):
    v = v0
    for _ in range(iters):
        w = hvp(v)
        v = w / np.linalg.norm(w)
    return v


def top_eigenvalue_no_return(hvp, v0, iters):
    v, lam = v0, 0.0
    for _ in range(iters):
        w = hvp(v)
        lam = v @ w
        v = w / np.linalg.norm(w)


def top_eigenvalue_one_iteration(hvp, v0, iters):
    w = hvp(v0)
    return v0 @ w


case("13-ex5-right", "✓", lambda: check_top_eigenvalue(my_top_eigenvalue), "λmax = ")
case("13-ex5-untouched", "…", lambda: check_top_eigenvalue(starter_function), "not attempted yet")
case("13-ex5-not-normalised", "✗", lambda: check_top_eigenvalue(top_eigenvalue_not_normalised), "λmax = ", "expected")
case("13-ex5-the-vector", "✗", lambda: check_top_eigenvalue(top_eigenvalue_the_vector), "expected a number",
     "one number is expected here")
case("13-ex5-no-return", "✗", lambda: check_top_eigenvalue(top_eigenvalue_no_return), "returns None", "forget `return`")
case("13-ex5-one-iteration", "✗", lambda: check_top_eigenvalue(top_eigenvalue_one_iteration), "λmax = ", "expected")


@functools.cache
def start_sharpness():
    """The chapter's λ at the initial weights: the mean over seeds 0, 1, 2 on the first 500 training images."""
    data = digits()[0]
    X, y = data.X_train[:500], data.y_train[:500]
    return float(np.mean([init_mlp(data.features, data.classes, hidden=32, seed=seed).sharpness(X, y, iters=12)
                          for seed in (0, 1, 2)]))


def check_start_limit(answer):
    return check_value(answer, 2 / start_sharpness(), rtol=0.02, name="the largest stable rate at the start",
                       hint="the limit is set by the sharpest direction; chapter 02 gives it for a quadratic.")


case("13-ex6-right", "✓", lambda: check_start_limit(2 / start_sharpness()))
case("13-ex6-untouched", "…", lambda: check_start_limit(None), "not attempted yet")
case("13-ex6-one-over-lambda", "✗", lambda: check_start_limit(1 / start_sharpness()), "expected",
     "the sharpest direction")
case("13-ex6-the-sharpness", "✗", lambda: check_start_limit(start_sharpness()), "expected")
case("13-ex6-a-rate-the-section-ran", "✗", lambda: check_start_limit(2.5), "= 2.5, expected")


# =========================================================================== 14

CHEB_14 = lrlab.chebyshev(0.05, 2.0, 8, order="increasing")(np.arange(8))


def check_chebyshev(fn):
    return check_call(fn, (0.05, 2.0, 8), CHEB_14, name="my_chebyshev(0.05, 2.0, 8)",
                      hint="re-read the section 'From scratch' (the roots h_i and the rates they give); this exercise "
                           "wants the rates smallest first")


def my_chebyshev(mu, L, n):  # noqa: N803
    i = np.arange(n)
    roots = (L + mu) / 2 + (L - mu) / 2 * np.cos((2 * i + 1) * np.pi / (2 * n))
    return 1 / roots


def chebyshev_decreasing(mu, L, n):  # noqa: N803
    i = np.arange(n)
    roots = (L + mu) / 2 - (L - mu) / 2 * np.cos((2 * i + 1) * np.pi / (2 * n))
    return 1 / roots


def chebyshev_roots(mu, L, n):  # noqa: N803
    i = np.arange(n)
    return (L + mu) / 2 + (L - mu) / 2 * np.cos((2 * i + 1) * np.pi / (2 * n))


def chebyshev_wrong_nodes(mu, L, n):  # noqa: N803
    i = np.arange(n)
    roots = (L + mu) / 2 + (L - mu) / 2 * np.cos(i * np.pi / n)
    return 1 / roots


def chebyshev_first_two_swapped(mu, L, n):  # noqa: N803
    rates = my_chebyshev(mu, L, n)
    rates[[0, 1]] = rates[[1, 0]]
    return rates


def chebyshev_index_from_one(mu, L, n):  # noqa: N803
    i = np.arange(1, n + 1)
    roots = (L + mu) / 2 + (L - mu) / 2 * np.cos((2 * i + 1) * np.pi / (2 * n))
    return 1 / roots


def chebyshev_math_cos(mu, L, n):  # noqa: N803
    i = np.arange(n)
    roots = (L + mu) / 2 + (L - mu) / 2 * math.cos((2 * i + 1) * math.pi / (2 * n))
    return 1 / roots


case("14-ex1-right", "✓", lambda: check_chebyshev(my_chebyshev), "(8 values)")
case("14-ex1-right-sorted-list", "✓", lambda: check_chebyshev(lambda mu, L, n: sorted(chebyshev_decreasing(mu, L, n))))
case("14-ex1-untouched", "…", lambda: check_chebyshev(starter_function), "not attempted yet")
case("14-ex1-decreasing", "✗", lambda: check_chebyshev(chebyshev_decreasing), "index 0: expected 0.504728, got 14.5488",
     "the right ones in reverse order", "smallest first", "x[::-1]")
case("14-ex1-reversed", "✗", lambda: check_chebyshev(lambda mu, L, n: list(reversed(my_chebyshev(mu, L, n)))),
     "in reverse order")
case("14-ex1-two-swapped", "✗", lambda: check_chebyshev(chebyshev_first_two_swapped), "index 0: expected 0.504728",
     "the right ones in another order", "smallest first", "!one index", "!reverse")
case("14-ex1-index-from-one", "✗", lambda: check_chebyshev(chebyshev_index_from_one), "index 0: expected 0.504728",
     "one index early", "an index off by one", "starts at 1 instead of 0", "!count taken", "!< versus <=")
case("14-ex1-roots-not-rates", "✗", lambda: check_chebyshev(chebyshev_roots), "index 0: expected 0.504728, got 1.98127")
case("14-ex1-wrong-nodes", "✗", lambda: check_chebyshev(chebyshev_wrong_nodes), "index 7: expected 14.5488, got 8.0504", "the largest gap")
case("14-ex1-math-cos", "✗", lambda: check_chebyshev(chebyshev_math_cos), "raised TypeError", "np.floor, np.cos")


@functools.cache
def flat_factor():
    run = lrlab.descend(lrlab.elongated_valley(condition_number=100), lrlab.chebyshev(0.05, 1.0, 16),
                        start=(1.0, 0.0), steps=16)
    return float(run.points[-1, 0])


def check_wrong_mu(answer):
    return check_value(answer, flat_factor(), rtol=5e-3, name="the factor along the flat direction",
                       hint="re-read the section 'The best T steps for a quadratic': what multiplies one direction's "
                            "error after T steps")


def residual(h, mu=0.05):
    return float(np.prod(1 - lrlab.chebyshev(mu, 1.0, 16)(np.arange(16)) * h))


case("14-ex2-right", "✓", lambda: check_wrong_mu(residual(0.01)))
case("14-ex2-untouched", "…", lambda: check_wrong_mu(None), "not attempted yet")
case("14-ex2-worst-case-bound", "✗", lambda: check_wrong_mu(1 / np.cosh(16 * np.arccosh(1.05 / 0.95))), "expected",
     "what multiplies one direction's error")
case("14-ex2-at-mu", "✗", lambda: check_wrong_mu(residual(0.05)), "expected")
case("14-ex2-abs", "✗" if residual(0.01) < 0 else "✓", lambda: check_wrong_mu(abs(residual(0.01))))
case("14-ex2-true-interval", "✗", lambda: check_wrong_mu(residual(0.01, mu=0.01)), "expected")

SILVER = lrlab.silver(2.0)


def check_silver(fn):
    return check_schedule(fn, SILVER, steps=256)


def my_silver(t, L=2.0):  # noqa: N803
    i, nu = t + 1, 0
    while i % 2 == 0:
        i //= 2
        nu += 1
    return (1 + (1 + 2**0.5) ** (nu - 1)) / L


def silver_nu_of_t(t, L=2.0):  # noqa: N803
    i, nu = t, 0
    while i % 2 == 0:
        i //= 2
        nu += 1
    return (1 + (1 + 2**0.5) ** (nu - 1)) / L


def silver_no_halving(t, L=2.0):  # noqa: N803
    i, nu = t + 1, 0
    while i % 2 == 0:
        nu += 1
    return (1 + (1 + 2**0.5) ** (nu - 1)) / L


def silver_without_L(t, L=2.0):  # noqa: N803
    i, nu = t + 1, 0
    while i % 2 == 0:
        i //= 2
        nu += 1
    return 1 + (1 + 2**0.5) ** (nu - 1)


def silver_nu_of_t_guarded(t, L=2.0):  # noqa: N803
    i, nu = max(t, 1), 0
    while i % 2 == 0:
        i //= 2
        nu += 1
    return (1 + (1 + 2**0.5) ** (nu - 1)) / L


def silver_exponent_nu(t, L=2.0):  # noqa: N803
    i, nu = t + 1, 0
    while i % 2 == 0:
        i //= 2
        nu += 1
    return (1 + (1 + 2**0.5) ** nu) / L


case("14-ex3-right", "✓", lambda: check_silver(my_silver), "on steps 0–255")
case("14-ex3-untouched", "…", lambda: check_silver(starter_function), "not attempted yet")
case("14-ex3-nu-of-t", "✗", lambda: check_silver(silver_nu_of_t), "step 0:", "was stopped after", "endless loop",
     "while i % 2 == 0:", "!use a formula")  # the exercise asks for this very loop
case("14-ex3-no-halving", "✗", lambda: check_silver(silver_no_halving), "step 1:", "was stopped after")
case("14-ex3-without-L", "✗", lambda: check_silver(silver_without_L), "all values are 2× the expected", "check L",
     "!check lr0")
case("14-ex3-nu-of-t-guarded", "✗", lambda: check_silver(silver_nu_of_t_guarded), "step 1",
     "!< versus <=")
case("14-ex3-exponent-nu", "✗", lambda: check_silver(silver_exponent_nu), "step 0: expected 0.707107, got 1", "a fixed multiple",
     "!check lr0")


@functools.cache
def orbit_sharpness():
    last_two = lrlab.descend(ROSEN, 0.004, steps=10_000).points[-2:]
    return float(ROSEN.eigenvalues(last_two.mean(axis=0))[-1])


def check_sharpness(answer):
    return check_value(answer, orbit_sharpness(), rtol=0.01, name="lambda_max at the orbit",
                       hint="re-read the section 'Above 2/λmax: a two-step orbit': what balance holds at the orbit")


case("14-ex4-right", "✓", lambda: check_sharpness(2 / 0.004))
case("14-ex4-untouched", "…", lambda: check_sharpness(None), "not attempted yet")
case("14-ex4-one-over-lr", "✗", lambda: check_sharpness(1 / 0.004), "= 250, expected", "'Above 2/λmax: a two-step orbit'")
case("14-ex4-lambda-at-minimum", "✗", lambda: check_sharpness(float(ROSEN.eigenvalues(ROSEN.minimum)[-1])),
     "expected")
case("14-ex4-ten-times", "✗", lambda: check_sharpness(5000), "10× the expected")


def check_river(answer):
    river = lrlab.noisy_quadratic(noise_std=0.5, curvatures=(0.01, 1.0))
    h, sigma, lr = river.matrix[1, 1], river.noise_std, 0.3
    m, v = river.start[1], 0.0
    for _ in range(300):  # the chapter's sgd_moments, across the valley only
        m, v = (1 - lr * h) * m, (1 - lr * h) ** 2 * v + (lr * sigma) ** 2
    return check_value(answer, h / 2 * (m**2 + v), rtol=5e-3, name="the across-valley loss",
                       hint="chapter 03's section 'The noise floor of a constant rate', for the one direction across the valley")


case("14-ex5-right", "✓", lambda: check_river(0.3 * 0.5**2 / (2 * (2 - 0.3 * 1.0))))
case("14-ex5-untouched", "…", lambda: check_river(None), "not attempted yet")
case("14-ex5-small-lr-approximation", "✗", lambda: check_river(0.3 * 0.25 / 4), "= 0.01875, expected 0.0220588",
     "'The noise floor of a constant rate'")
case("14-ex5-variance-not-loss", "✗", lambda: check_river(0.3 * 0.25 / (2 - 0.3)), "expected 0.0220588")
case("14-ex5-sigma-not-squared", "✗", lambda: check_river(0.3 * 0.5 / (2 * (2 - 0.3))), "expected 0.0220588")


# =========================================================================== 15


def check_keras_polynomial(fn):
    return check_schedule(fn, lrlab.polynomial(0.1, 50, power=2.0, lr_end=1e-4), steps=80)


def my_keras_polynomial(t, initial=0.1, decay_steps=50, end_learning_rate=1e-4, power=2.0):
    step = min(t, decay_steps)
    return (initial - end_learning_rate) * (1 - step / decay_steps) ** power + end_learning_rate


def keras_polynomial_end_zero(t, initial=0.1, decay_steps=50, power=2.0):
    step = min(t, decay_steps)
    return initial * (1 - step / decay_steps) ** power


def keras_polynomial_no_clamp(t, initial=0.1, decay_steps=50, end_learning_rate=1e-4, power=2.0):
    return (initial - end_learning_rate) * (1 - t / decay_steps) ** power + end_learning_rate


def keras_polynomial_linear(t, initial=0.1, decay_steps=50, end_learning_rate=1e-4):
    step = min(t, decay_steps)
    return (initial - end_learning_rate) * (1 - step / decay_steps) + end_learning_rate


def keras_polynomial_end_added(t, initial=0.1, decay_steps=50, end_learning_rate=1e-4, power=2.0):
    step = min(t, decay_steps)
    return initial * (1 - step / decay_steps) ** power + end_learning_rate


case("15-ex1-right", "✓", lambda: check_keras_polynomial(my_keras_polynomial), "on steps 0–79")
case("15-ex1-untouched", "…", lambda: check_keras_polynomial(starter_function), "not attempted yet")
case("15-ex1-default-end-forgotten", "✗", lambda: check_keras_polynomial(keras_polynomial_end_zero),
     "expected 0.0001, got 0", "lr_end = 0.0001")
case("15-ex1-no-clamp", "✗", lambda: check_keras_polynomial(keras_polynomial_no_clamp), "holds 0.0001 from t=50 on")
case("15-ex1-power-one", "✗", lambda: check_keras_polynomial(keras_polynomial_linear), "step 1")
case("15-ex1-end-added-on-top", "✗", lambda: check_keras_polynomial(keras_polynomial_end_added),
     "at the start (step 0) expected 0.1, got 0.1001", "misplaced")


@functools.cache
def recorded():
    golden = json.loads((Path(__file__).parent / "golden" / "pytorch.json").read_text(encoding="utf-8"))
    return {case["name"]: case for k in ("schedules", "past_end", "plateau", "trajectories") for case in golden[k]}


def check_per_batch(schedule):
    reference = np.repeat(recorded()["multistep_30_60_80"]["lrs"], 12)
    return check_schedule(schedule, reference, name="MultiStepLR([30, 60, 80]) stepped per epoch, 12 batches per epoch")


case("15-ex2-right", "✓", lambda: check_per_batch(lrlab.multistep(0.1, milestones=[360, 720, 960], gamma=0.1)),
     "matches MultiStepLR([30, 60, 80])")
case("15-ex2-untouched", "…", lambda: check_per_batch(...), "not attempted yet")
case("15-ex2-epoch-milestones", "✗", lambda: check_per_batch(lrlab.multistep(0.1, milestones=[30, 60, 80], gamma=0.1)),
     "step 30: expected 0.1, got 0.01")
case("15-ex2-one-early", "✗", lambda: check_per_batch(lrlab.multistep(0.1, milestones=[359, 719, 959], gamma=0.1)),
     "step 359", "one step early", "< versus <= at a boundary")
case("15-ex2-one-late", "✗", lambda: check_per_batch(lrlab.multistep(0.1, milestones=[361, 721, 961], gamma=0.1)),
     "step 360", "one step late", "< versus <= at a boundary")
case("15-ex2-step-decay", "✗", lambda: check_per_batch(lrlab.step_decay(0.1, step_size=360, gamma=0.1)),
     "step 960: expected 0.0001, got 0.001")


def hf_cosine_with_warmup(t, lr, warmup, total):
    """Hugging Face's get_cosine_schedule_with_warmup, transcribed as in the chapter (not clipped past the end)."""
    t = np.asarray(t, dtype=float)
    progress = (t - warmup) / max(1, total - warmup)
    return lr * np.where(t < warmup, t / max(1, warmup), np.maximum(0.0, 0.5 * (1 + np.cos(np.pi * progress))))


def check_hf(answer):
    return check_value(answer, float(hf_cosine_with_warmup(np.array([1500]), 1.0, 100, 1000)[0]), rtol=1e-4,
                       name="HF cosine at step 1500",
                       hint="the progress is above 1 here, and Hugging Face does not clip it")


case("15-ex3-right", "✓", lambda: check_hf(0.5 * (1 + math.cos(math.pi * 1400 / 900))))
case("15-ex3-untouched", "…", lambda: check_hf(None), "not attempted yet")
case("15-ex3-clipped", "✗", lambda: check_hf(0.0), "= 0, expected 0.586824", "does not clip it")
case("15-ex3-progress-without-warmup", "✗", lambda: check_hf(0.5 * (1 + math.cos(math.pi * 1500 / 1000))),
     "= 0.5, expected 0.586824")
case("15-ex3-one-minus", "✗", lambda: check_hf(1 - 0.5 * (1 + math.cos(math.pi * 1400 / 900))),
     "= 0.413176, expected 0.586824")


def check_milestone_rate(answer):
    return check_value(answer, recorded()["sequential_cosine_multistep_exponential"]["lrs"][9], rtol=1e-9,
                       name="the rate at t = 9",
                       hint="which piece runs at t = 9, from which rate does it start, and which of its milestones has it "
                            "reached?")


case("15-ex4-right", "✓", lambda: check_milestone_rate(0.1 * 0.5))
case("15-ex4-untouched", "…", lambda: check_milestone_rate(None), "not attempted yet")
case("15-ex4-milestone-0-not-counted", "✗", lambda: check_milestone_rate(0.1), "= 0.1, expected 0.05",
     "which of its milestones has it reached?")
case("15-ex4-cosine-floor", "✗", lambda: check_milestone_rate(0.01), "= 0.01, expected 0.05")
case("15-ex4-global-clock", "✗", lambda: check_milestone_rate(0.1 * 0.5**2), "= 0.025, expected 0.05")
case("15-ex4-percent", "✗", lambda: check_milestone_rate(5.0), "100× the expected")


# =========================================================================== 16

INTENDED_16 = lrlab.linear_warmup(lrlab.cosine(0.1, 1000 - 100), 100)  # the hook's schedule: W = 100, T = 1000
MASK_16 = np.r_[[False] * 3, np.ones(20, dtype=bool), [False], np.ones(10, dtype=bool)]


def check_applied(fn):
    expected = INTENDED_16(scheduler_counts(MASK_16))  # the chapter's clock(mask), checked equal to it there
    return check_call(fn, (INTENDED_16, MASK_16), expected, no_loops=True, name="applied_rates(intended, mask)",
                      hint="a skipped iteration still calls scheduler.step(): which count does each applied update see?")


def applied_rates(schedule, applied):
    return schedule(np.flatnonzero(applied))


def applied_rates_where(schedule, applied):
    return schedule(np.arange(len(applied)))[applied]


def applied_rates_clock_stopped(schedule, applied):
    return schedule(np.arange(np.sum(applied)))


def applied_rates_cumsum(schedule, applied):
    return schedule(np.cumsum(applied) - 1)[applied]  # the count of applied updates, -1 before the first one


def applied_rates_stepped_first(schedule, applied):
    return schedule(np.flatnonzero(applied) + 1)


def applied_rates_every_iteration(schedule, applied):
    return schedule(np.arange(len(applied)))


def applied_rates_mask_as_steps(schedule, applied):
    return schedule(applied)


def applied_rates_loop(schedule, applied):
    return np.array([schedule(i) for i, a in enumerate(applied) if a])


def applied_rates_no_return(schedule, applied):
    rates = schedule(np.flatnonzero(applied))


case("16-ex1-right", "✓", lambda: check_applied(applied_rates), "applied_rates(intended, mask) matches", "(30 values)")
case("16-ex1-right-boolean-index", "✓", lambda: check_applied(applied_rates_where))
case("16-ex1-untouched", "…", lambda: check_applied(starter_function), "not attempted yet")
case("16-ex1-clock-stops-at-skips", "✗", lambda: check_applied(applied_rates_clock_stopped),
     "index 0: expected 0.003, got 0 (wrong at 30 of 30 values)")
case("16-ex1-applied-counted", "✗", lambda: check_applied(applied_rates_cumsum), "raised ValueError",
     "t must hold finite step numbers >= 0", "np.cumsum(applied) - 1")
# the mask's updates all fall in the warmup, where the rate is linear in t: one step on is a constant offset
case("16-ex1-stepped-first", "✗", lambda: check_applied(applied_rates_stepped_first),
     "index 0: expected 0.003, got 0.004", "every value is off by +0.001")
case("16-ex1-every-iteration", "✗", lambda: check_applied(applied_rates_every_iteration),
     "expected shape (30,), got (34,)", "4 values too many", "a mask not applied")
case("16-ex1-mask-as-steps", "✗", lambda: check_applied(applied_rates_mask_as_steps), "raised TypeError", "got dtype bool")
case("16-ex1-loop", "✗", lambda: check_applied(applied_rates_loop), "iterates in Python")
case("16-ex1-no-return", "✗", lambda: check_applied(applied_rates_no_return), "returns None", "forget `return`")


def first_zero_update(n_processes, budget=2000):
    """The chapter's: the first update after the warmup whose scheduler count has reached the budget."""
    count = scheduler_counts(np.ones(budget, dtype=bool), ticks=n_processes)
    ended = np.flatnonzero(count >= budget)
    return int(ended[0]) if ended.size else len(count)


def check_first_zero(answer):
    return check_value(answer, first_zero_update(4), name="first update at rate 0",
                       hint="how many scheduler.step() calls does one update make here, and at which count is the schedule 0?")


case("16-ex2-right", "✓", lambda: check_first_zero(2000 // 4), "= 500")
case("16-ex2-right-float", "✓", lambda: check_first_zero(2000 / 4))
case("16-ex2-untouched", "…", lambda: check_first_zero(None), "not attempted yet")
case("16-ex2-the-budget", "✗", lambda: check_first_zero(2000), "= 2000, expected 500", "how many scheduler.step() calls")
case("16-ex2-times-four", "✗", lambda: check_first_zero(2000 * 4), "= 8000, expected 500")
case("16-ex2-warmup-taken-off", "✗", lambda: check_first_zero((2000 - 100) // 4), "= 475, expected 500")
case("16-ex2-one-before", "✗", lambda: check_first_zero(2000 // 4 - 1), "= 499, expected 500", "one off")
case("16-ex2-string", "✗", lambda: check_first_zero("500"), "without quotes")


@functools.cache
def recorded_groups():
    golden = json.loads((Path(__file__).parent / "golden" / "snippets.json").read_text(encoding="utf-8"))
    output = next(s["output"] for s in golden["snippets"] if s["name"] == "torch_two_groups")
    rows = {}
    for line in output.splitlines():
        if line.startswith("t = "):
            k, numbers = line[4:].split(": rates ")
            rows[int(k)] = json.loads(numbers)
    return np.array([rows[k] for k in range(5)])


def check_groups(fn):
    return check_call(fn, (np.arange(5),), recorded_groups(), rtol=1e-3, name="group_rates(np.arange(5))")


def group_rates(t):
    return np.outer(lrlab.cosine(1.0, 4)(t), [0.01, 0.1])


def group_rates_head_first(t):
    return np.outer(lrlab.cosine(1.0, 4)(t), [0.1, 0.01])


def group_rates_stacked_on_rows(t):
    return np.stack([lrlab.cosine(0.01, 4)(t), lrlab.cosine(0.1, 4)(t)])


def group_rates_one_base(t):
    return np.outer(lrlab.cosine(1.0, 4)(t), [0.1, 0.1])


def group_rates_t_max_5(t):
    return np.outer(lrlab.cosine(1.0, 5)(t), [0.01, 0.1])


def group_rates_math_cos(t):
    factor = 0.5 * (1 + math.cos(math.pi * t / 4))
    return np.outer(factor, [0.01, 0.1])


def group_rates_one_column(t):
    return lrlab.cosine(0.1, 4)(t)


case("16-ex3-right", "✓", lambda: check_groups(group_rates), "group_rates(np.arange(5)) matches", "(10 values)")
case("16-ex3-right-columns", "✓", lambda: check_groups(
    lambda t: np.column_stack([lrlab.cosine(0.01, 4)(t), lrlab.cosine(0.1, 4)(t)])))
case("16-ex3-untouched", "…", lambda: check_groups(starter_function), "not attempted yet")
case("16-ex3-head-first", "✗", lambda: check_groups(group_rates_head_first), "index (0, 0): expected 0.01, got 0.1",
     "your columns are the right ones in reverse order")
case("16-ex3-stacked-on-rows", "✗", lambda: check_groups(group_rates_stacked_on_rows), "expected shape (5, 2), got (2, 5)",
     "transposed")
case("16-ex3-one-base-rate", "✗", lambda: check_groups(group_rates_one_base),
     "index (0, 0): expected 0.01, got 0.1 (wrong at 4 of 10 values)")
case("16-ex3-t-max-5", "✗", lambda: check_groups(group_rates_t_max_5), "index (1, 0): expected 0.008536, got 0.00904508")
case("16-ex3-math-cos", "✗", lambda: check_groups(group_rates_math_cos), "raised TypeError", "np.floor, np.cos")
case("16-ex3-one-column", "✗", lambda: check_groups(group_rates_one_column), "expected shape (5, 2), got (5,)")


def resumed_rate(T_max, checkpoint, update, state_loaded, recursive):  # noqa: N803 (PyTorch's name)
    """The chapter's: the rate of the run's update `update` after a resume at `checkpoint` (lr 0.1, a cosine)."""
    cosine, k = lrlab.cosine(0.1, T_max), update - checkpoint  # k: the fresh scheduler's count
    if state_loaded:
        return float(update_rates(cosine, np.ones(k + 1, dtype=bool), start=checkpoint)[-1])
    if recursive:  # CosineAnnealingLR: the loaded rate times the cosine factor of the fresh count
        return float(cosine(checkpoint) * lrlab.cosine(1.0, T_max)(k))
    return float(cosine(checkpoint) if k == 0 else cosine(k))


def check_resumed(answer):
    return check_value(answer, resumed_rate(20, 7, 10, state_loaded=False, recursive=True), rtol=1e-3,
                       name="the rate after a resume that forgot the scheduler",
                       hint="a recursive scheduler starts from the rate it finds in the optimizer, on a fresh clock")


COS_16 = lrlab.cosine(0.1, 20)
case("16-ex4-right", "✓", lambda: check_resumed(COS_16(7) * lrlab.cosine(1.0, 20)(10 - 7)), "= 0.0687")
case("16-ex4-right-rounded", "✓", lambda: check_resumed(0.0687))
case("16-ex4-untouched", "…", lambda: check_resumed(None), "not attempted yet")
case("16-ex4-as-meant", "✗", lambda: check_resumed(COS_16(10)), "= 0.05, expected 0.0687",
     "starts from the rate it finds in the optimizer")
case("16-ex4-closed-form", "✗", lambda: check_resumed(COS_16(10 - 7)), "= 0.0945503, expected 0.0687")
case("16-ex4-fourth-update-counted-4", "✗", lambda: check_resumed(COS_16(7) * lrlab.cosine(1.0, 20)(4)), "expected 0.0687")
case("16-ex4-the-loaded-rate", "✗", lambda: check_resumed(COS_16(7)), "= 0.0726995, expected 0.0687376")
case("16-ex4-percent", "✗", lambda: check_resumed(100 * COS_16(7) * lrlab.cosine(1.0, 20)(3)), "100× the expected")
