"""lrlab agrees with PyTorch, step for step, on golden values recorded from PyTorch.

``tests/golden/pytorch.json`` is written by ``tools/record_golden.py`` (which needs PyTorch);
these tests only read it, so they never import torch. Each case names the lrlab constructor
and its keyword arguments; the tests rebuild it with lrlab and compare with
``rtol=1e-9, atol=0``.

The clock: ``lrs[t]`` is the lr a PyTorch optimizer holds after ``t`` calls to
``scheduler.step()``, which is lrlab's ``schedule(t)``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import lrlab

GOLDEN_PATH = Path(__file__).resolve().parent / "golden" / "pytorch.json"
GOLDEN = json.loads(GOLDEN_PATH.read_text())
RTOL = 1e-9

# Every lrlab constructor with a PyTorch peer (named in its docstring) and every update rule of
# lrlab.descend: each must keep at least one golden case, so coverage cannot silently shrink.
PEERED_SCHEDULES = {
    "step_decay", "multistep", "exponential", "cosine", "polynomial", "linear_warmup",
    "sequential", "cosine_restarts", "cyclic", "one_cycle",
}
DESCEND_METHODS = {"gd", "momentum", "nesterov", "adam"}


def build(spec):
    """Rebuild an lrlab object from ``{"constructor": name, "kwargs": {...}}``, recursively."""
    if isinstance(spec, dict) and set(spec) == {"constructor", "kwargs"}:
        kwargs = {key: build(value) for key, value in spec["kwargs"].items()}
        return getattr(lrlab, spec["constructor"])(**kwargs)
    if isinstance(spec, list):
        return [build(item) for item in spec]
    return spec


def cases(section):
    return pytest.mark.parametrize(
        "case", GOLDEN[section], ids=[case["name"] for case in GOLDEN[section]]
    )


def check_schedule(sched, expected, name):
    """Compare both the vectorized call sched(np.arange(n)) and the scalar calls sched(t)."""
    expected = np.asarray(expected, dtype=np.float64)
    n = len(expected)
    vectorized = sched(np.arange(n))
    assert isinstance(vectorized, np.ndarray) and vectorized.shape == (n,), (
        f"{name}: sched(np.arange({n})) should be an array of shape ({n},), got {vectorized!r:.80}"
    )
    assert_allclose(vectorized, expected, rtol=RTOL, atol=0, err_msg=f"{name}: vectorized")
    scalars = [sched(t) for t in range(n)]
    for t, value in enumerate(scalars):
        assert isinstance(value, float), f"{name}: sched({t}) should be a float, got {value!r}"
    assert_allclose(scalars, expected, rtol=RTOL, atol=0, err_msg=f"{name}: scalar calls")


# ---------------------------------------------------------------------------------------
# The golden file itself
# ---------------------------------------------------------------------------------------


def test_golden_file_records_its_origin():
    assert GOLDEN["torch_version"], "the golden file must record the PyTorch version"
    assert GOLDEN["python"]
    assert "record_golden.py" in GOLDEN["generated_by"]


def test_every_pytorch_peer_keeps_a_golden_case():
    schedules = {case["lrlab"]["constructor"] for case in GOLDEN["schedules"]}
    missing = PEERED_SCHEDULES - schedules
    assert not missing, f"no golden schedule case for {sorted(missing)}"
    assert GOLDEN["plateau"], "no golden ReduceOnPlateau case"
    assert {case["lrlab"]["constructor"] for case in GOLDEN["plateau"]} == {"ReduceOnPlateau"}
    methods = {case["method"] for case in GOLDEN["trajectories"]}
    missing = DESCEND_METHODS - methods
    assert not missing, f"no golden descent case for method {sorted(missing)}"
    past_end = {case["lrlab"]["constructor"] for case in GOLDEN["past_end"]}
    assert {"cosine", "one_cycle"} <= past_end


def test_case_names_are_unique():
    for section in ("schedules", "past_end", "plateau", "trajectories"):
        names = [case["name"] for case in GOLDEN[section]]
        assert len(names) == len(set(names)), f"duplicate case names in {section}"


# ---------------------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------------------


@cases("schedules")
def test_schedule_matches_pytorch(case):
    assert len(case["lrs"]) == case["steps"]
    check_schedule(build(case["lrlab"]), case["lrs"], case["name"])


def final_value(spec):
    """The value lrlab holds once the schedule is over (each constructor's docstring says which)."""
    kw = spec["kwargs"]
    if spec["constructor"] == "cosine":
        return kw["lr_min"]
    if spec["constructor"] == "one_cycle":
        return kw["lr_max"] / (kw["div_factor"] * kw["final_div_factor"])
    raise AssertionError(f"no past-the-end rule for {spec['constructor']}")


@cases("past_end")
def test_past_the_end_lrlab_holds_where_pytorch_moves_on(case):
    sched = build(case["lrlab"])
    torch_lrs = np.asarray(case["lrs"])
    n, until = case["steps"], case["agree_until"]
    assert len(torch_lrs) == n and until < n - 1
    # Up to and including agree_until, the same numbers as PyTorch.
    check_schedule(sched, torch_lrs[: until + 1], case["name"])
    # After it, lrlab holds its final value ...
    hold = final_value(case["lrlab"])
    after = np.arange(until, n)
    assert_allclose(sched(after), np.full(after.shape, hold), rtol=RTOL, atol=0)
    assert_allclose([sched(int(t)) for t in after], np.full(after.shape, hold), rtol=RTOL, atol=0)
    # ... while PyTorch's values move away from it (the difference the course shows).
    beyond = torch_lrs[until + 1 :]
    assert np.all(np.abs(beyond - hold) > 1e-6 * abs(torch_lrs[0])), (
        f"{case['name']}: PyTorch was recorded to leave the final value after t={until}"
    )
    if case["lrlab"]["constructor"] == "cosine":
        assert np.all(beyond > hold), "PyTorch's cosine rises again after T_max"


# ---------------------------------------------------------------------------------------
# ReduceOnPlateau
# ---------------------------------------------------------------------------------------


@cases("plateau")
def test_reduce_on_plateau_matches_pytorch(case):
    plateau = build(case["lrlab"])
    assert len(case["metrics"]) == len(case["lrs"])
    got = [plateau.step(m) for m in case["metrics"]]
    assert_allclose(got, case["lrs"], rtol=RTOL, atol=0, err_msg=case["name"])


# ---------------------------------------------------------------------------------------
# The descent loop
# ---------------------------------------------------------------------------------------


@cases("trajectories")
def test_descend_matches_pytorch(case):
    n = case["steps"]
    tr = lrlab.descend(
        build(case["surface"]),
        build(case["schedule"]),
        start=np.array(case["start"], dtype=np.float64),
        steps=n,
        method=case["method"],
        momentum=case["momentum"],
        betas=tuple(case["betas"]),
        eps=case["eps"],
    )
    assert not tr.diverged, f"{case['name']}: lrlab stopped the run as diverged"
    assert np.shape(tr.points) == (n + 1, 2)
    assert np.shape(tr.lrs) == (n,)
    assert_allclose(tr.lrs, case["lrs"], rtol=RTOL, atol=0, err_msg=f"{case['name']}: lrs")
    assert_allclose(tr.points, case["points"], rtol=RTOL, atol=0, err_msg=f"{case['name']}: points")
