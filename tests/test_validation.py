"""Bad input gets a clear error: the right exception, naming the parameter and the value.

Every constructor (every schedule, ReduceOnPlateau), ``lrlab.descend`` and
``lrlab.lr_range_test`` is given, one argument at a time, values that make no sense:
non-positive or non-finite rates, non-positive step counts, a float where a step count must
be an int, bools, factors outside their interval, floors above the peak, milestones and
boundaries out of order, pct_start that leaves a phase shorter than a step, unknown mode
names, and objects that are not schedules. Each case states the exception type
(``TypeError`` for the wrong kind of value, ``ValueError`` for a value of the right kind that
makes no sense) and the message must contain the parameter's name and the repr of the value
given (and, for a name out of a fixed set, every valid name).

The last section calls schedules on steps that are not steps: negative, nan, a string.
"""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest

import lrlab
from lrlab import ReduceOnPlateau

nan, inf = math.nan, math.inf


PLATEAU = ReduceOnPlateau(0.1)  # stateful, so not a schedule


def not_a_schedule(t):
    """A plain function of t: looks like a schedule, is not one."""
    return 0.1


def label(value) -> str:
    """A short, stable test id for a value: its repr without addresses, state or newlines."""
    if isinstance(value, ReduceOnPlateau):
        return "ReduceOnPlateau(...)"
    if isinstance(value, list):
        return "[" + ", ".join(label(v) for v in value) + "]"
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
    return re.sub(r"\s+", " ", text)


class Case:
    """One bad argument: call(**{**valid, param: value}) raises exc, naming param and value."""

    def __init__(self, call, param, value, exc, *, fragments=None, name=None, **overrides):
        self.call, self.param, self.value, self.exc = call, param, value, exc
        self.fragments = [param, repr(value)] if fragments is None else [param, *fragments]
        self.overrides = overrides
        extra = "".join(f",{k}={label(v)}" for k, v in overrides.items())
        self.id = f"{name or call.__name__}-{param}={label(value)}{extra}"

    def run(self, valid):
        kwargs = {**valid, **self.overrides, self.param: self.value}
        return self.call(**kwargs)


def descend(**kwargs):
    return lrlab.descend(**kwargs)


def lr_range_test(**kwargs):
    return lrlab.lr_range_test(**kwargs)


def plateau_step(metric, **settings):
    return ReduceOnPlateau(**settings).step(metric)


# Arguments that pass every check: each case changes exactly one of them.
VALID = {
    lrlab.constant: dict(lr0=0.1),
    lrlab.step_decay: dict(lr0=0.1, step_size=10, gamma=0.5),
    lrlab.multistep: dict(lr0=0.1, milestones=[10, 20], gamma=0.5),
    lrlab.exponential: dict(lr0=0.1, decay_rate=0.9),
    lrlab.inverse_time: dict(lr0=0.1, decay_rate=0.5, decay_steps=10),
    lrlab.inverse_sqrt: dict(lr0=0.1, warmup_steps=10),
    lrlab.cosine: dict(lr0=0.1, total_steps=100, lr_min=0.01),
    lrlab.polynomial: dict(lr0=0.1, total_steps=100, power=2.0, lr_end=0.01),
    lrlab.linear_warmup: dict(schedule=lrlab.cosine(0.1, 100), warmup_steps=10, start_factor=0.1),
    lrlab.sequential: dict(schedules=[lrlab.constant(0.1), lrlab.cosine(0.1, 100)], boundaries=[10]),
    lrlab.cosine_restarts: dict(lr0=0.1, period=10, period_mult=2, lr_min=0.01),
    lrlab.cyclic: dict(lr_min=0.01, lr_max=0.1, step_size_up=5, step_size_down=10, mode="triangular", gamma=0.99),
    lrlab.one_cycle: dict(
        lr_max=0.1, total_steps=100, pct_start=0.3, div_factor=25.0, final_div_factor=1e4, anneal="cos", three_phase=False
    ),
    lrlab.wsd: dict(lr0=0.1, total_steps=100, warmup_steps=10, decay_steps=20, lr_min=0.01, decay="linear"),
    lrlab.chebyshev: dict(mu=0.1, L=1.0, total_steps=16, order="fractal"),
    lrlab.silver: dict(L=1.0),
    ReduceOnPlateau: dict(
        lr0=0.1, factor=0.5, patience=3, threshold=1e-4, threshold_mode="rel", cooldown=1, min_lr=0.001, mode="min", eps=1e-8
    ),
    plateau_step: dict(metric=1.0, lr0=0.1, patience=0),
    descend: dict(surface=lrlab.quadratic_bowl(), schedule=0.1, start=(1.0, 1.0), steps=5, method="gd",
                  momentum=0.9, betas=(0.9, 0.999), eps=1e-8, seed=0),
    lr_range_test: dict(surface=lrlab.quadratic_bowl(), lr_min=1e-6, lr_max=10.0, steps=20, rule="steepest",
                        smoothing=0.9, diverge_factor=4.0, skip_start=0),
}
CONSTRUCTORS = [f for f in VALID if f not in (plateau_step, descend, lr_range_test)]

# The usual suspects, by kind of argument: (value, exception).
BAD_RATE = [(0.0, ValueError), (-0.1, ValueError), (nan, ValueError), (inf, ValueError), (-inf, ValueError),
            (True, TypeError), ("0.1", TypeError), (None, TypeError)]
BAD_FLOOR = [(-0.1, ValueError), (nan, ValueError), (inf, ValueError), (True, TypeError), ("0", TypeError)]
BAD_COUNT = [(0, ValueError), (-1, ValueError), (10.0, TypeError), (2.5, TypeError), (nan, TypeError),
             (True, TypeError), ("10", TypeError), (None, TypeError)]
BAD_COUNT_OR_ZERO = [(-1, ValueError), (1.0, TypeError), (False, TypeError), ("1", TypeError)]
BAD_FACTOR = [(0.0, ValueError), (1.5, ValueError), (-0.5, ValueError), (nan, ValueError), (inf, ValueError),
              (True, TypeError)]  # for (0, 1]


def cases(call, param, bad, **kw):
    return [Case(call, param, value, exc, **kw) for value, exc in bad]


def choice(call, param, value, valid_names, **kw):
    """An unknown name: ValueError listing every valid name."""
    return Case(call, param, value, ValueError, fragments=[repr(value), *map(repr, valid_names)], **kw)


CYCLIC_MODES = ("triangular", "triangular2", "exp_range")
ANNEALS = ("cos", "linear")
WSD_DECAYS = ("linear", "cosine", "1-sqrt")
METHODS = ("gd", "momentum", "nesterov", "adam", "schedule_free")
ORDERS = ("fractal", "increasing", "decreasing")

CASES = [
    # ---------------------------------------------------------------- the classics
    *cases(lrlab.constant, "lr0", BAD_RATE),
    *cases(lrlab.step_decay, "lr0", BAD_RATE),
    *cases(lrlab.step_decay, "step_size", BAD_COUNT),
    *cases(lrlab.step_decay, "gamma", BAD_FACTOR),
    *cases(lrlab.multistep, "lr0", BAD_RATE),
    *cases(lrlab.multistep, "gamma", BAD_FACTOR),
    Case(lrlab.multistep, "milestones", [20, 10], ValueError),
    Case(lrlab.multistep, "milestones", [10, 10], ValueError),
    Case(lrlab.multistep, "milestones", [-1, 10], ValueError, fragments=["-1"]),
    Case(lrlab.multistep, "milestones", [10, 2.5], TypeError, fragments=["2.5"]),
    Case(lrlab.multistep, "milestones", [10, True], TypeError, fragments=["True"]),
    Case(lrlab.multistep, "milestones", 10, TypeError),
    Case(lrlab.multistep, "milestones", "10", TypeError),
    Case(lrlab.multistep, "milestones", None, TypeError),
    *cases(lrlab.exponential, "lr0", BAD_RATE),
    *cases(lrlab.exponential, "decay_rate", [*BAD_FACTOR, (1.1, ValueError)]),
    *cases(lrlab.inverse_time, "lr0", BAD_RATE),
    *cases(lrlab.inverse_time, "decay_rate", BAD_RATE),
    *cases(lrlab.inverse_time, "decay_steps", BAD_COUNT),
    *cases(lrlab.inverse_sqrt, "lr0", BAD_RATE),
    *cases(lrlab.inverse_sqrt, "warmup_steps", BAD_COUNT),
    *cases(lrlab.cosine, "lr0", BAD_RATE),
    *cases(lrlab.cosine, "total_steps", BAD_COUNT),
    *cases(lrlab.cosine, "lr_min", [*BAD_FLOOR, (0.2, ValueError)]),
    *cases(lrlab.polynomial, "lr0", BAD_RATE),
    *cases(lrlab.polynomial, "total_steps", BAD_COUNT),
    *cases(lrlab.polynomial, "power", BAD_RATE),
    *cases(lrlab.polynomial, "lr_end", [*BAD_FLOOR, (0.2, ValueError)]),
    # ---------------------------------------------------------------- composition
    *cases(lrlab.linear_warmup, "schedule", [
        ("cosine", TypeError), (not_a_schedule, TypeError), (None, TypeError), (True, TypeError),
        (PLATEAU, TypeError), (np.array([0.1, 0.2]), TypeError),
        (0.0, ValueError), (-0.1, ValueError), (nan, ValueError),
    ]),
    *cases(lrlab.linear_warmup, "warmup_steps", BAD_COUNT),
    *cases(lrlab.linear_warmup, "start_factor", [(-0.1, ValueError), (1.5, ValueError), (nan, ValueError),
                                                 (True, TypeError), ("0", TypeError)]),
    Case(lrlab.sequential, "schedules", lrlab.constant(0.1), TypeError, boundaries=[]),
    Case(lrlab.sequential, "schedules", "cosine", TypeError, boundaries=[]),
    Case(lrlab.sequential, "schedules", None, TypeError, boundaries=[]),
    Case(lrlab.sequential, "schedules", [], ValueError, boundaries=[]),
    Case(lrlab.sequential, "schedules", [lrlab.constant(0.1), "cosine"], TypeError, fragments=["'cosine'"]),
    Case(lrlab.sequential, "schedules", [lrlab.constant(0.1), not_a_schedule], TypeError,
         fragments=[repr(not_a_schedule)]),
    Case(lrlab.sequential, "schedules", [lrlab.constant(0.1), None], TypeError, fragments=["None"]),
    Case(lrlab.sequential, "schedules", [lrlab.constant(0.1), True], TypeError, fragments=["True"]),
    Case(lrlab.sequential, "schedules", [PLATEAU, 0.1], TypeError, fragments=[repr(PLATEAU)]),
    Case(lrlab.sequential, "schedules", [0.1, -0.1], ValueError, fragments=["-0.1"]),
    Case(lrlab.sequential, "schedules", [0.1, nan], ValueError, fragments=["nan"]),
    Case(lrlab.sequential, "boundaries", [10, 20], ValueError),  # one too many
    Case(lrlab.sequential, "boundaries", [], ValueError),  # one too few
    Case(lrlab.sequential, "boundaries", [20, 10], ValueError, schedules=[0.1, 0.2, 0.3]),
    Case(lrlab.sequential, "boundaries", [10, 10], ValueError, schedules=[0.1, 0.2, 0.3]),
    Case(lrlab.sequential, "boundaries", [0], ValueError, fragments=["0"]),
    Case(lrlab.sequential, "boundaries", [-5], ValueError, fragments=["-5"]),
    Case(lrlab.sequential, "boundaries", [10.0], TypeError, fragments=["10.0"]),
    Case(lrlab.sequential, "boundaries", 10, TypeError),
    # ---------------------------------------------------------------- cycles
    *cases(lrlab.cosine_restarts, "lr0", BAD_RATE),
    *cases(lrlab.cosine_restarts, "period", BAD_COUNT),
    *cases(lrlab.cosine_restarts, "period_mult", [*BAD_COUNT, (1.5, TypeError)]),
    *cases(lrlab.cosine_restarts, "lr_min", [*BAD_FLOOR, (0.2, ValueError)]),
    *cases(lrlab.cyclic, "lr_max", BAD_RATE),
    *cases(lrlab.cyclic, "lr_min", [*BAD_FLOOR, (0.2, ValueError)]),
    *cases(lrlab.cyclic, "step_size_up", BAD_COUNT),
    *cases(lrlab.cyclic, "step_size_down", [(v, e) for v, e in BAD_COUNT if v is not None]),
    choice(lrlab.cyclic, "mode", "triangle", CYCLIC_MODES),
    choice(lrlab.cyclic, "mode", "Triangular", CYCLIC_MODES),
    choice(lrlab.cyclic, "mode", None, CYCLIC_MODES),
    *cases(lrlab.cyclic, "gamma", BAD_FACTOR),
    *cases(lrlab.one_cycle, "lr_max", BAD_RATE),
    *cases(lrlab.one_cycle, "total_steps", [*BAD_COUNT, (1, ValueError)]),
    *cases(lrlab.one_cycle, "pct_start", [(0.0, ValueError), (1.0, ValueError), (-0.1, ValueError),
                                           (1.5, ValueError), (nan, ValueError), (True, TypeError)]),
    Case(lrlab.one_cycle, "pct_start", 0.01, ValueError),  # phase 1 spans 0 steps
    Case(lrlab.one_cycle, "pct_start", 0.995, ValueError),  # phase 2 spans half a step
    Case(lrlab.one_cycle, "pct_start", 0.6, ValueError, three_phase=True),  # phase 3 runs backwards
    Case(lrlab.one_cycle, "pct_start", 0.5, ValueError, total_steps=3),  # 1.5 - 1: half a step
    *cases(lrlab.one_cycle, "div_factor", BAD_RATE),
    *cases(lrlab.one_cycle, "final_div_factor", BAD_RATE),
    choice(lrlab.one_cycle, "anneal", "cosine", ANNEALS),
    choice(lrlab.one_cycle, "anneal", "linear_", ANNEALS),
    Case(lrlab.one_cycle, "three_phase", "yes", TypeError),
    Case(lrlab.one_cycle, "three_phase", 1, TypeError),
    Case(lrlab.one_cycle, "three_phase", None, TypeError),
    *cases(lrlab.wsd, "lr0", BAD_RATE),
    *cases(lrlab.wsd, "total_steps", BAD_COUNT),
    *cases(lrlab.wsd, "warmup_steps", BAD_COUNT_OR_ZERO),
    *cases(lrlab.wsd, "decay_steps", BAD_COUNT),
    Case(lrlab.wsd, "decay_steps", 95, ValueError, fragments=["95", "warmup_steps=10", "total_steps", "100"]),
    Case(lrlab.wsd, "warmup_steps", 90, ValueError, fragments=["90", "decay_steps=20", "total_steps", "100"]),
    Case(lrlab.wsd, "total_steps", 25, ValueError, fragments=["25", "warmup_steps=10", "decay_steps=20"]),
    *cases(lrlab.wsd, "lr_min", [*BAD_FLOOR, (0.2, ValueError)]),
    choice(lrlab.wsd, "decay", "exponential", WSD_DECAYS),
    choice(lrlab.wsd, "decay", "sqrt", WSD_DECAYS),
    # ---------------------------------------------------------------- ReduceOnPlateau
    *cases(lrlab.chebyshev, "mu", BAD_RATE),
    *cases(lrlab.chebyshev, "L", BAD_RATE),
    Case(lrlab.chebyshev, "L", 0.05, ValueError, fragments=["mu", "0.1", "0.05"]),
    Case(lrlab.chebyshev, "L", 0.1, ValueError, fragments=["mu", "0.1"]),
    *cases(lrlab.chebyshev, "total_steps", BAD_COUNT),
    Case(lrlab.chebyshev, "total_steps", 12, ValueError, fragments=["12", "power of 2", "'increasing'"]),
    choice(lrlab.chebyshev, "order", "sorted", ORDERS),
    *cases(lrlab.silver, "L", BAD_RATE),
    *cases(ReduceOnPlateau, "lr0", BAD_RATE),
    *cases(ReduceOnPlateau, "factor", [(0.0, ValueError), (1.0, ValueError), (1.5, ValueError), (-0.1, ValueError),
                                       (nan, ValueError), (True, TypeError)]),
    *cases(ReduceOnPlateau, "patience", BAD_COUNT_OR_ZERO),
    *cases(ReduceOnPlateau, "threshold", BAD_FLOOR),
    choice(ReduceOnPlateau, "threshold_mode", "relative", ("rel", "abs")),
    *cases(ReduceOnPlateau, "cooldown", BAD_COUNT_OR_ZERO),
    *cases(ReduceOnPlateau, "min_lr", [*BAD_FLOOR, (0.2, ValueError)]),
    choice(ReduceOnPlateau, "mode", "minimum", ("min", "max")),
    choice(ReduceOnPlateau, "mode", "MIN", ("min", "max")),
    *cases(ReduceOnPlateau, "eps", BAD_FLOOR),
    *cases(plateau_step, "metric", [("0.5", TypeError), (True, TypeError), (None, TypeError), ([0.5], TypeError)],
           name="ReduceOnPlateau.step"),
    # ---------------------------------------------------------------- descend
    *cases(descend, "steps", BAD_COUNT),
    choice(descend, "method", "sgd", METHODS),
    choice(descend, "method", "Adam", METHODS),
    *cases(descend, "momentum", [(-0.1, ValueError), (1.0, ValueError), (1.5, ValueError), (nan, ValueError),
                                 (True, TypeError)]),
    Case(descend, "momentum", 0.0, ValueError, fragments=["0.0", "nesterov"], method="nesterov"),
    Case(descend, "betas", (0.9,), TypeError),
    Case(descend, "betas", (0.9, 0.999, 0.5), TypeError),
    Case(descend, "betas", 0.9, TypeError),
    Case(descend, "betas", "ab", TypeError),
    Case(descend, "betas", (1.0, 0.999), ValueError, fragments=["betas[0]", "1.0"]),
    Case(descend, "betas", (-0.1, 0.999), ValueError, fragments=["betas[0]", "-0.1"]),
    Case(descend, "betas", (0.9, 1.5), ValueError, fragments=["betas[1]", "1.5"]),
    Case(descend, "betas", (0.9, nan), ValueError, fragments=["betas[1]", "nan"]),
    Case(descend, "betas", (True, 0.999), TypeError, fragments=["betas[0]", "True"]),
    *cases(descend, "eps", BAD_RATE),
    *cases(descend, "seed", [(-1, ValueError), (1.5, TypeError), (True, TypeError), ("0", TypeError),
                             (None, TypeError)]),
    Case(descend, "start", (nan, 0.0), ValueError),
    Case(descend, "start", (inf, 0.0), ValueError),
    Case(descend, "start", "origin", TypeError),
    Case(descend, "start", [[1.0, 2.0], [3.0]], TypeError),
    Case(descend, "start", (1.0, 2.0, 3.0), ValueError, fragments=["shape (3,)"]),
    Case(descend, "start", np.zeros((2, 2, 2)), ValueError, fragments=["shape (2, 2, 2)"]),
    *cases(descend, "schedule", [(0.0, ValueError), (-0.1, ValueError), (nan, ValueError), (inf, ValueError),
                                 ("cosine", TypeError), (None, TypeError), (True, TypeError),
                                 (not_a_schedule, TypeError), ([], ValueError)]),
    Case(descend, "schedule", [0.1, "cosine"], TypeError, fragments=["schedule[1]", "'cosine'"]),
    Case(descend, "schedule", [0.1, -0.1], ValueError, fragments=["schedule[1]", "-0.1"]),
    Case(descend, "schedule", np.full(4, 0.1), ValueError, fragments=["shape (4,)", "steps=5"]),
    # ---------------------------------------------------------------- lr_range_test
    *cases(lr_range_test, "lr_min", BAD_RATE),
    *cases(lr_range_test, "lr_max", BAD_RATE),
    Case(lr_range_test, "lr_max", 1e-6, ValueError, fragments=["1e-06", "lr_min"]),  # equal to lr_min
    Case(lr_range_test, "lr_min", 20.0, ValueError, fragments=["20.0", "lr_max"]),  # above lr_max
    *cases(lr_range_test, "steps", [*BAD_COUNT, (1, ValueError)]),
    choice(lr_range_test, "rule", "steep", ("steepest", "min/10")),
    choice(lr_range_test, "rule", "min", ("steepest", "min/10")),
    *cases(lr_range_test, "smoothing", [(1.0, ValueError), (-0.1, ValueError), (nan, ValueError), (True, TypeError)]),
    *cases(lr_range_test, "diverge_factor", [(1.0, ValueError), (0.5, ValueError), (inf, ValueError),
                                             (True, TypeError)]),
    choice(lr_range_test, "method", "sgd", METHODS),
    *cases(lr_range_test, "skip_start", BAD_COUNT_OR_ZERO),
    # ---------------------------------------------------------------- NumPy scalars are numbers too
    Case(lrlab.cosine, "lr0", np.float64(-0.1), ValueError, fragments=["-0.1"]),
    Case(lrlab.cosine, "total_steps", np.int64(0), ValueError, fragments=["0"]),
    Case(lrlab.cosine, "total_steps", np.float64(100.0), TypeError),
    Case(lrlab.cosine, "lr0", np.bool_(True), TypeError),
    Case(ReduceOnPlateau, "patience", np.int32(-2), ValueError, fragments=["-2"]),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_argument_raises_naming_the_parameter_and_the_value(case):
    with pytest.raises(case.exc) as info:
        case.run(VALID[case.call])
    message = str(info.value)
    for fragment in case.fragments:
        assert re.search(re.escape(fragment), message), f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("call", VALID, ids=lambda f: f.__name__)
def test_the_valid_arguments_pass(call):
    """The baseline each case departs from is valid, so each case tests one argument only."""
    call(**VALID[call])


@pytest.mark.parametrize("call", CONSTRUCTORS, ids=lambda f: f.__name__)
def test_every_argument_of_every_constructor_has_bad_cases(call):
    params = set(inspect.signature(call).parameters)
    tested = {case.param for case in CASES if case.call is call}
    assert params == tested, f"untested: {sorted(params - tested)}"


def test_every_checked_argument_of_descend_and_lr_range_test_has_bad_cases():
    descend_args = {"steps", "method", "momentum", "betas", "eps", "seed", "start", "schedule"}
    assert descend_args <= {case.param for case in CASES if case.call is descend}
    range_args = {"lr_min", "lr_max", "steps", "rule", "smoothing", "diverge_factor", "skip_start"}
    assert range_args <= {case.param for case in CASES if case.call is lr_range_test}


def test_one_cycle_accepts_a_pct_start_that_is_a_whole_number_of_steps_up_to_rounding():
    """2/49 · 49 is 1.9999999999999998 in floats: phase 1 is still one whole step."""
    s = lrlab.one_cycle(1.0, total_steps=49, pct_start=2 / 49)
    assert s(1) == pytest.approx(1.0)


def test_a_bad_rate_in_an_array_schedule_is_shown_with_its_step():
    rates = np.array([0.1, 0.1, nan, 0.1, 0.1])
    with pytest.raises(ValueError, match=r"nan.* at step 2"):
        lrlab.descend(lrlab.quadratic_bowl(), rates, steps=5)


# ============================================================================ bad steps t

EXAMPLES = [
    lrlab.constant(0.1),
    lrlab.step_decay(0.1, 10),
    lrlab.multistep(0.1, [10, 20]),
    lrlab.exponential(0.1, 0.9),
    lrlab.inverse_time(0.1, 0.5),
    lrlab.inverse_sqrt(0.1, 10),
    lrlab.cosine(0.1, 100),
    lrlab.polynomial(0.1, 100),
    lrlab.linear_warmup(lrlab.cosine(0.1, 100), 10),
    lrlab.sequential([0.1, lrlab.cosine(0.1, 100)], [10]),
    lrlab.cosine_restarts(0.1, 10, 2),
    lrlab.cyclic(0.01, 0.1, 5),
    lrlab.one_cycle(0.1, 100),
    lrlab.wsd(0.1, 100, 10, 20),
    lrlab.chebyshev(0.1, 1.0, 16),
    lrlab.silver(1.0),
]
BAD_STEPS = [
    (-1, ValueError, "-1"),
    (-0.5, ValueError, "-0.5"),
    (nan, ValueError, "nan"),
    (inf, ValueError, "inf"),
    (np.float64(nan), ValueError, "nan"),
    (np.int64(-3), ValueError, "-3"),
    ("abc", TypeError, "'abc'"),
    (None, TypeError, "None"),
    (True, TypeError, "True"),
    (1 + 2j, TypeError, "(1+2j)"),
    (np.array([0, -1]), ValueError, "-1"),
    (np.array([0.0, nan]), ValueError, "nan"),
    (np.array([[1.0, inf]]), ValueError, "inf"),
    ([1, "a"], TypeError, "'a'"),
    (np.array(["0", "1"]), TypeError, "'0'"),
]


@pytest.mark.parametrize("t, exc, shown", BAD_STEPS, ids=[label(t) for t, _, _ in BAD_STEPS])
@pytest.mark.parametrize("schedule", EXAMPLES, ids=lambda s: repr(s).partition("(")[0])
def test_a_schedule_called_on_a_bad_step_says_t_is_bad(schedule, t, exc, shown):
    with pytest.raises(exc) as info:
        schedule(t)
    message = str(info.value)
    assert re.match(r"t\b", message), message
    assert re.search(re.escape(shown), message), message


def test_every_constructor_has_an_example_for_bad_steps():
    names = {repr(s).partition("(")[0] for s in EXAMPLES}
    assert names == {f.__name__ for f in CONSTRUCTORS if f is not ReduceOnPlateau}
