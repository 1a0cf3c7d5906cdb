"""lrlab.training: the scheduler's count at each update, and the rates a loop really gives."""

import json
from pathlib import Path

import numpy as np
import pytest

import lrlab
from lrlab.training import scheduler_counts, update_rates

RECORDING = json.loads((Path(__file__).resolve().parent / "golden" / "snippets.json").read_text(encoding="utf-8"))
OUTPUT = {s["name"]: s["output"] for s in RECORDING["snippets"]}


def brute_force(applied, ticks, tick_first):
    # the loop, iteration by iteration: the scheduler's count whenever an update is applied
    count, seen = 0, []
    for i, on in enumerate(applied):
        if tick_first:
            count += ticks[i]
        if on:
            seen.append(count)
        if not tick_first:
            count += ticks[i]
    return seen


@pytest.mark.parametrize("seed", range(20))
def test_counts_agree_with_the_loop_run_step_by_step(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    applied = rng.random(n) < 0.7
    ticks = rng.integers(0, 4, size=n)
    for tick_first in (False, True):
        assert scheduler_counts(applied, ticks, tick_first).tolist() == brute_force(applied, ticks, tick_first)
    assert scheduler_counts(applied, 3).tolist() == brute_force(applied, [3] * n, False)


def test_the_loops_of_chapter_16():
    T = 1000
    assert scheduler_counts(np.ones(T, dtype=bool)).tolist() == list(range(T))
    micro = np.arange(16 * T)
    np.testing.assert_array_equal(scheduler_counts((micro + 1) % 16 == 0), 16 * np.arange(T) + 15)
    np.testing.assert_array_equal(scheduler_counts(np.ones(T, dtype=bool), ticks=2), 2 * np.arange(T))
    np.testing.assert_array_equal(scheduler_counts(np.ones(T, dtype=bool), tick_first=True), np.arange(T) + 1)


def test_rates_match_recorded_pytorch_loops():
    # torch_accumulation: LinearLR(start_factor=0.1, total_iters=8) on lr 0.1, 4 micro-batches per update
    warm = lrlab.linear_warmup(lrlab.constant(0.1), 8, start_factor=0.1)
    micro = np.arange(12)
    wrong = update_rates(warm, (micro + 1) % 4 == 0)
    right = update_rates(warm, np.ones(3, dtype=bool))
    assert f"per micro-batch (wrong): rates of updates 0, 1, 2 = {np.round(wrong, 6).tolist()}" in OUTPUT["torch_accumulation"]
    assert f"per update (right): rates of updates 0, 1, 2 = {np.round(right, 6).tolist()}" in OUTPUT["torch_accumulation"]
    # torch_step_order_warning: LinearLR(start_factor=0.25, total_iters=3), stepped before each update
    first = update_rates(lrlab.linear_warmup(lrlab.constant(0.1), 3, start_factor=0.25), [True] * 4, tick_first=True)
    assert f"rates the four updates used: {np.round(first, 6).tolist()}" in OUTPUT["torch_step_order_warning"]
    # torch_state_dict_resume: CosineAnnealingLR(T_max=10) resumed at t = 4 with all three states
    cosine = lrlab.cosine(0.1, 10)
    assert f"after load_state_dict: last_epoch 4, rate {update_rates(cosine, [True], start=4)[0]:.6f}" \
        in OUTPUT["torch_state_dict_resume"]
    # torch_resume_without_scheduler_state: a closed-form LambdaLR rebuilt without its state restarts its clock at 0
    # (the update at the checkpoint still uses the rate loaded with the optimizer); the recursive one does not
    restarted = [round(float(cosine(4)), 6)] + np.round(update_rates(cosine, np.ones(3, dtype=bool), start=1), 6).tolist()
    assert f"LambdaLR(cosine) (closed form): updates 4-7 used {restarted}" in OUTPUT["torch_resume_without_scheduler_state"]
    continued = np.round(cosine(4) * lrlab.cosine(1.0, 10)(np.arange(4)), 6).tolist()
    assert f"CosineAnnealingLR (recursive): updates 4-7 used {continued}" in OUTPUT["torch_resume_without_scheduler_state"]


def test_resuming_is_restoring_t():
    s = lrlab.wsd(0.1, 200, 10, 40)
    whole = update_rates(s, np.ones(200, dtype=bool))
    resumed = np.concatenate([update_rates(s, np.ones(70, dtype=bool)), update_rates(s, np.ones(130, dtype=bool), start=70)])
    np.testing.assert_array_equal(whole, resumed)
    np.testing.assert_array_equal(whole, s(np.arange(200)))


def test_no_update_applied_gives_no_rate():
    assert update_rates(lrlab.cosine(0.1, 10), [False, False]).shape == (0,)
    assert update_rates(0.1, [True, True]).tolist() == [0.1, 0.1]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: scheduler_counts([1, 0, 1]), TypeError, "applied must be an array of booleans"),
        (lambda: scheduler_counts([]), ValueError, "applied must be 1-D and not empty"),
        (lambda: scheduler_counts([[True]]), ValueError, "applied must be 1-D"),
        (lambda: scheduler_counts([True], ticks=-1), ValueError, "ticks must be >= 0"),
        (lambda: scheduler_counts([True], ticks=1.5), TypeError, "ticks must be an integer"),
        (lambda: scheduler_counts([True], ticks=True), TypeError, "ticks must be an integer"),
        (lambda: scheduler_counts([True, True], ticks=[1]), ValueError, "one count per loop iteration, 2"),
        (lambda: scheduler_counts([True, True], ticks=[1, -2]), ValueError, "got -2"),
        (lambda: scheduler_counts([True], ticks=[0.5]), TypeError, "ticks must be an integer"),
        (lambda: scheduler_counts([True], tick_first="yes"), TypeError, "tick_first must be True or False"),
        (lambda: update_rates("cosine", [True]), TypeError, "schedule must be an lrlab schedule"),
        (lambda: update_rates(lrlab.cosine(0.1, 10), [True], start=-1), ValueError, "start must be >= 0"),
        (lambda: update_rates(lrlab.cosine(0.1, 10), [True], start=2.0), TypeError, "start must be an integer"),
        (lambda: update_rates(lrlab.cosine(0.1, 10), [True], start=2**63), ValueError, "start must be at most"),
        (lambda: scheduler_counts([True], ticks=2**63), ValueError, "ticks must be at most"),
        (lambda: scheduler_counts([True, True], ticks=[1, 10**7]), ValueError, "ticks must be at most"),
        (lambda: scheduler_counts([[True], [True, False]]), TypeError, "applied must be a 1-D array of booleans"),
        (lambda: scheduler_counts([True, True], ticks=[[1], [1, 2]]), TypeError, "ticks must be an integer or a 1-D array"),
    ],
)
def test_bad_input_names_the_parameter(call, error, words):
    with pytest.raises(error, match=words):
        call()
