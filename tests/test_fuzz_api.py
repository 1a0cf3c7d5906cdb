"""Fuzz the public API with what learners type: every parameter of every public function.

Each public constructor and tool of ``lrlab.__all__`` (and the methods a learner calls on what
they return) is called with adversarial values, one parameter at a time, and with seeded random
combinations of them. Whatever the values, a call either returns, or raises a TypeError or a
ValueError whose message names a parameter it was given; it never warns (pytest turns warnings
into errors) and never changes an argument it was passed. Seeded, and bounded in time: the
whole file runs in well under a minute.
"""

from __future__ import annotations

import copy
import inspect
import math
import time
import warnings

import numpy as np
import pytest

import lrlab
from lrlab import rules

DIGITS = lrlab.load_digits()
BOWL = lrlab.quadratic_bowl()
BASINS = lrlab.multi_basin()
NOISY = lrlab.noisy_quadratic()
NET = lrlab.init_mlp(64, 10, hidden=8)

#: What a learner types by mistake: wrong types, the wrong sign, zero, subnormal and huge numbers,
#: non-finite ones, step counts far too large, empty and ragged containers, strings in arrays,
#: NumPy scalars, and a surface constructor passed without calling it.
ADVERSARIAL = [
    None, "abc", "", True, -1, 0, 1, 2, 2.5, -2.5, 1e-320, 5e-324, 1e-12, 0.999999, 1e12, 1e300, -1e300,
    math.nan, math.inf, -math.inf, 10**7, 10**9, 2**63, [], (), [1.0], [1, 2, 3], [[1.0, 2.0], [3.0]],
    np.array(["a", "b"]), np.array([np.nan, 1.0]), np.array([1e300, -1e300]), np.float32(0.5), np.int64(3),
    np.float64(-0.0), lrlab.quadratic_bowl, {}, object(),
]


def schedule_call(t, lr0=0.1, total_steps=50):
    return lrlab.cosine(lr0, total_steps)(t)


def surface_value(p, curvature=1.0):
    return lrlab.quadratic_bowl(curvature).value(p)


def basins_grad(p):
    return BASINS.grad(p)


def basins_hessian(p):
    return BASINS.eigenvalues(p)


def basin(p, max_steps=200):
    return BASINS.basin(p, max_steps=max_steps)


def noisy_grad(p, rng=None):
    return NOISY.grad(p, rng=rng)


def stationary_loss(lr):
    return NOISY.stationary_loss(lr)


def expected_loss(rates, start=None):
    return NOISY.expected_loss(rates, start=start)


def plateau_step(metric, lr0=0.1, mode="min", threshold_mode="rel"):
    p = lrlab.ReduceOnPlateau(lr0, patience=0, mode=mode, threshold_mode=threshold_mode)
    return [p.step(metric) for _ in range(3)]


def predict(X):
    return NET.predict(X)


def net_loss(X, y):
    return NET.loss(X, y)


def net_accuracy(X, y):
    return NET.accuracy(X, y)


def steps_per_epoch(batch_size):
    return DIGITS.steps_per_epoch(batch_size)


def dataset(X_train, y_train, X_val=None, y_val=None):
    X_val = DIGITS.X_val[:5] if X_val is None else X_val
    y_val = DIGITS.y_val[:5] if y_val is None else y_val
    return lrlab.Dataset(X_train, y_train, X_val, y_val)


#: Every function fuzzed, with valid values for its required parameters (and small sizes where the
#: defaults would make a valid call slow: the fuzzing is of the values, not of the speed).
CASES = {
    lrlab.as_schedule: dict(value=0.1),
    lrlab.constant: dict(lr0=0.1),
    lrlab.step_decay: dict(lr0=0.1, step_size=10),
    lrlab.multistep: dict(lr0=0.1, milestones=[10, 20]),
    lrlab.exponential: dict(lr0=0.1, decay_rate=0.9),
    lrlab.inverse_time: dict(lr0=0.1, decay_rate=0.5),
    lrlab.inverse_sqrt: dict(lr0=0.1, warmup_steps=10),
    lrlab.cosine: dict(lr0=0.1, total_steps=100),
    lrlab.polynomial: dict(lr0=0.1, total_steps=100),
    lrlab.linear_warmup: dict(schedule=lrlab.constant(0.1), warmup_steps=10),
    lrlab.sequential: dict(schedules=[lrlab.constant(0.1), lrlab.constant(0.01)], boundaries=[10]),
    lrlab.cosine_restarts: dict(lr0=0.1, period=10),
    lrlab.cyclic: dict(lr_min=0.01, lr_max=0.1, step_size_up=10),
    lrlab.one_cycle: dict(lr_max=0.1, total_steps=100),
    lrlab.wsd: dict(lr0=0.1, total_steps=100, warmup_steps=10, decay_steps=20),
    lrlab.chebyshev: dict(mu=0.1, L=1.0, total_steps=16),
    lrlab.silver: dict(L=1.0),
    lrlab.ReduceOnPlateau: dict(lr0=0.1),
    lrlab.quadratic_bowl: dict(),
    lrlab.elongated_valley: dict(),
    lrlab.rosenbrock: dict(),
    lrlab.noisy_quadratic: dict(),
    lrlab.multi_basin: dict(),
    lrlab.descend: dict(surface=BOWL, schedule=0.1, steps=20),
    lrlab.lr_range_test: dict(surface=BOWL, steps=30),
    lrlab.init_mlp: dict(features=4, classes=3, hidden=4),
    lrlab.load_digits: dict(),
    lrlab.train_mlp: dict(data=DIGITS, schedule=0.1, epochs=1, hidden=4, batch_size=256),
    lrlab.mlp_lr_range_test: dict(data=DIGITS, steps=12, hidden=4, batch_size=256),
    lrlab.scheduler_counts: dict(applied=[True, False, True]),
    lrlab.update_rates: dict(schedule=lrlab.cosine(0.1, 10), applied=[True, False, True]),
    rules.rate_plan: dict(schedule=0.1, steps=10),
    rules.make_rule: dict(method="adam"),
    rules.check_betas: dict(betas=(0.9, 0.999)),
    rules.momentum_rule: dict(),
    rules.nesterov_rule: dict(),
    rules.adam_rule: dict(),
    rules.schedule_free_rule: dict(),
    schedule_call: dict(t=5),
    surface_value: dict(p=(1.0, 2.0)),
    basins_grad: dict(p=(1.0, 2.0)),
    basins_hessian: dict(p=(1.0, 2.0)),
    basin: dict(p=(1.0, 2.0)),
    noisy_grad: dict(p=(1.0, 2.0)),
    stationary_loss: dict(lr=0.1),
    expected_loss: dict(rates=[0.1, 0.2, 0.05]),
    plateau_step: dict(metric=1.0),
    predict: dict(X=DIGITS.X_val[:3]),
    net_loss: dict(X=DIGITS.X_val[:3], y=DIGITS.y_val[:3]),
    net_accuracy: dict(X=DIGITS.X_val[:3], y=DIGITS.y_val[:3]),
    steps_per_epoch: dict(batch_size=32),
    dataset: dict(X_train=DIGITS.X_train[:20], y_train=DIGITS.y_train[:20]),
}


def parameters(fn) -> list[str]:
    return [name for name, p in inspect.signature(fn).parameters.items()
            if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]


def snapshot(value):
    """A deep copy of what a call could change in place (arrays, lists, dicts), else the value itself."""
    if isinstance(value, (np.ndarray, list, tuple, dict)):
        return copy.deepcopy(value)
    return value


def same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    try:
        return bool(a == b) or a is b
    except Exception:  # noqa: BLE001
        return a is b


def call(fn, kwargs, changed):
    """Call fn(**kwargs); check the outcome. ``changed`` are the names given unusual values."""
    if fn is lrlab.as_schedule:  # its messages name the parameter it checks for its caller: `name`
        label = kwargs.get("name", "schedule")
        changed = list(changed) + ([label] if isinstance(label, str) and label else [])
    before = {k: snapshot(v) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            fn(**kwargs)
        except (TypeError, ValueError) as error:
            message = str(error)
            # The range tests' refusal is an outcome, not a bad argument: it says why instead of suggesting.
            assert message.startswith("no rate to suggest: ") or any(name in message for name in changed), (
                f"{fn.__name__}({kwargs!r:.300}) raised {type(error).__name__} not naming {changed}: {message}"
            )
        except Exception as error:  # noqa: BLE001 - the assertion says which call and what
            raise AssertionError(
                f"{fn.__name__}({kwargs!r:.300}) raised {type(error).__name__}: {error}"
            ) from error
    for k, v in kwargs.items():
        if not isinstance(v, type(lambda: 0)) and not isinstance(v, (lrlab.Surface, lrlab.Dataset, lrlab.MLP)):
            assert same(v, before[k]), f"{fn.__name__} changed its argument {k}: {before[k]!r:.80} -> {v!r:.80}"


@pytest.mark.parametrize("fn", list(CASES), ids=lambda fn: fn.__name__)
def test_every_parameter_alone_with_every_adversarial_value(fn):
    start = time.process_time()
    for name in parameters(fn):
        for value in ADVERSARIAL:
            call(fn, {**CASES[fn], name: value}, [name])
    assert time.process_time() - start < 30, f"fuzzing {fn.__name__} took too long"


@pytest.mark.parametrize("fn", list(CASES), ids=lambda fn: fn.__name__)
def test_random_combinations_of_values(fn):
    rng = np.random.default_rng(sum(map(ord, fn.__name__)))  # seeded per function
    names = parameters(fn)
    for _ in range(15):
        k = int(rng.integers(2, len(names) + 1)) if len(names) > 1 else 1
        chosen = [str(n) for n in rng.choice(names, size=min(k, len(names)), replace=False)]
        kwargs = dict(CASES[fn])
        for name in chosen:
            kwargs[name] = ADVERSARIAL[int(rng.integers(len(ADVERSARIAL)))]
        call(fn, kwargs, names)


def test_every_public_function_is_fuzzed():
    public = {getattr(lrlab, n) for n in lrlab.__all__}
    results = {lrlab.Trajectory, lrlab.LRRangeResult, lrlab.TrainingRun}  # what the tools return
    cores = {lrlab.Schedule, lrlab.Surface, lrlab.Quadratic, lrlab.NoisyQuadratic, lrlab.MultiBasin, lrlab.MLP,
             lrlab.Dataset}  # built by the constructors fuzzed here (Dataset through `dataset`)
    callables = {o for o in public if callable(o)}
    missing = callables - set(CASES) - results - cores
    assert not missing, f"public functions not fuzzed: {sorted(o.__name__ for o in missing)}"


def test_the_surface_passed_without_parentheses_is_named():
    with pytest.raises(TypeError, match=r"got the function quadratic_bowl itself — did you forget the parentheses"):
        lrlab.descend(lrlab.quadratic_bowl, 0.1)
    with pytest.raises(TypeError, match=r"surface must be a surface object such as lrlab.quadratic_bowl\(\); got None"):
        lrlab.lr_range_test(None)
    with pytest.raises(ValueError, match=r"steps must be at most 100000, got 10000000: every step is stored"):
        lrlab.descend(BOWL, 0.1, steps=10**7)
