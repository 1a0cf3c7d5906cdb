"""Record PyTorch's learning rates and descent paths as golden values for lrlab's tests.

Every lrlab schedule that names a PyTorch peer in its docstring must give the same
numbers as that peer, step for step. This script runs the PyTorch side and writes what it
saw to ``tests/golden/pytorch.json``; ``tests/test_golden.py`` rebuilds each case with
lrlab and compares, so CI never needs PyTorch.

The script does not import lrlab: each case names the lrlab constructor and its keyword
arguments (a spec ``{"constructor": name, "kwargs": {...}}``, nested for ``linear_warmup``
and ``sequential``), and the PyTorch peer is built here from the same spec.

The clock: step ``t`` counts completed optimizer updates from 0. ``lrs[t]`` is the learning
rate the optimizer holds after ``t`` calls to ``scheduler.step()``, i.e. the rate the update
``x_t -> x_{t+1}`` uses. Everything runs in float64.

To regenerate (in any virtual environment, PyTorch is not a dependency of lrlab)::

    pip install torch==2.13.0 numpy
    python tools/record_golden.py            # rewrites tests/golden/pytorch.json
    python tools/record_golden.py --check    # exits 1 if the file is not what it would write

The output is deterministic: running it twice with the same PyTorch gives the same file.
Do not edit the JSON by hand; change the cases below and rerun.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import warnings
from pathlib import Path

import numpy as np
import torch
from torch.optim import SGD, Adam
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LinearLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)

TORCH_VERSION_USED = "2.13.0"
OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "golden" / "pytorch.json"
COMMAND = "python tools/record_golden.py"


def spec(constructor: str, **kwargs) -> dict:
    """An lrlab constructor call, written as data: ``getattr(lrlab, constructor)(**kwargs)``."""
    return {"constructor": constructor, "kwargs": kwargs}


# --------------------------------------------------------------------------------------
# lrlab spec -> PyTorch scheduler
# --------------------------------------------------------------------------------------


def optimizer_lr(s: dict) -> float:
    """The lr the PyTorch optimizer starts with for schedule spec ``s``.

    For the multiplicative schedulers it is lrlab's ``lr0``; composite schedules need all
    their pieces to share it, because every PyTorch piece starts from the optimizer's
    initial lr. CyclicLR and OneCycleLR set the optimizer's lr themselves.
    """
    c, k = s["constructor"], s["kwargs"]
    if c == "linear_warmup":
        return optimizer_lr(k["schedule"])
    if c == "sequential":
        lrs = {optimizer_lr(piece) for piece in k["schedules"]}
        if len(lrs) != 1:
            raise ValueError(f"sequential pieces must share one lr0 to have a PyTorch peer: {s}")
        return lrs.pop()
    if c == "cyclic":
        return k["lr_min"]
    if c == "one_cycle":
        return k["lr_max"] / k["div_factor"]
    return k["lr0"]


def torch_scheduler(s: dict, opt: torch.optim.Optimizer):
    """Build the PyTorch peer of lrlab spec ``s`` on ``opt``; return (scheduler, description)."""
    c, k = s["constructor"], s["kwargs"]
    if c == "step_decay":
        return (
            StepLR(opt, step_size=k["step_size"], gamma=k["gamma"]),
            f"StepLR(step_size={k['step_size']}, gamma={k['gamma']})",
        )
    if c == "multistep":
        return (
            MultiStepLR(opt, milestones=list(k["milestones"]), gamma=k["gamma"]),
            f"MultiStepLR(milestones={list(k['milestones'])}, gamma={k['gamma']})",
        )
    if c == "exponential":
        return ExponentialLR(opt, gamma=k["decay_rate"]), f"ExponentialLR(gamma={k['decay_rate']})"
    if c == "cosine":
        return (
            CosineAnnealingLR(opt, T_max=k["total_steps"], eta_min=k["lr_min"]),
            f"CosineAnnealingLR(T_max={k['total_steps']}, eta_min={k['lr_min']})",
        )
    if c == "polynomial":
        if k.get("lr_end", 0.0) != 0.0:
            raise ValueError("PolynomialLR has no lr_end: only lr_end=0 has a PyTorch peer")
        return (
            PolynomialLR(opt, total_iters=k["total_steps"], power=k["power"]),
            f"PolynomialLR(total_iters={k['total_steps']}, power={k['power']})",
        )
    if c == "linear_warmup":
        w, f = k["warmup_steps"], k["start_factor"]
        warm = LinearLR(opt, start_factor=f, end_factor=1.0, total_iters=w)
        inner, inner_text = torch_scheduler(k["schedule"], opt)
        text = (
            f"SequentialLR([LinearLR(start_factor={f}, end_factor=1.0, total_iters={w}), "
            f"{inner_text}], milestones=[{w}])"
        )
        return SequentialLR(opt, [warm, inner], milestones=[w]), text
    if c == "sequential":
        built = [torch_scheduler(piece, opt) for piece in k["schedules"]]
        boundaries = list(k["boundaries"])
        text = f"SequentialLR([{', '.join(t for _, t in built)}], milestones={boundaries})"
        return SequentialLR(opt, [b for b, _ in built], milestones=boundaries), text
    if c == "cosine_restarts":
        return (
            CosineAnnealingWarmRestarts(
                opt, T_0=k["period"], T_mult=k["period_mult"], eta_min=k["lr_min"]
            ),
            f"CosineAnnealingWarmRestarts(T_0={k['period']}, T_mult={k['period_mult']}, "
            f"eta_min={k['lr_min']})",
        )
    if c == "cyclic":
        return (
            CyclicLR(
                opt,
                base_lr=k["lr_min"],
                max_lr=k["lr_max"],
                step_size_up=k["step_size_up"],
                step_size_down=k["step_size_down"],
                mode=k["mode"],
                gamma=k["gamma"],
                cycle_momentum=False,
            ),
            f"CyclicLR(base_lr={k['lr_min']}, max_lr={k['lr_max']}, "
            f"step_size_up={k['step_size_up']}, step_size_down={k['step_size_down']}, "
            f"mode={k['mode']!r}, gamma={k['gamma']}, cycle_momentum=False)",
        )
    if c == "one_cycle":
        return (
            OneCycleLR(
                opt,
                max_lr=k["lr_max"],
                total_steps=k["total_steps"],
                pct_start=k["pct_start"],
                anneal_strategy=k["anneal"],
                div_factor=k["div_factor"],
                final_div_factor=k["final_div_factor"],
                three_phase=k["three_phase"],
                cycle_momentum=False,
            ),
            f"OneCycleLR(max_lr={k['lr_max']}, total_steps={k['total_steps']}, "
            f"pct_start={k['pct_start']}, anneal_strategy={k['anneal']!r}, "
            f"div_factor={k['div_factor']}, final_div_factor={k['final_div_factor']}, "
            f"three_phase={k['three_phase']}, cycle_momentum=False)",
        )
    raise ValueError(f"no PyTorch peer for lrlab.{c}")


def dummy_optimizer(lr: float) -> SGD:
    """An SGD optimizer on one float64 parameter whose gradient is zero (it never moves)."""
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    p.grad = torch.zeros_like(p)
    return SGD([p], lr=lr, foreach=False)


def torch_lrs(s: dict, steps: int) -> tuple[list[float], str]:
    """lrs[t] for t = 0 .. steps-1: the optimizer's lr after t calls to scheduler.step()."""
    opt = dummy_optimizer(optimizer_lr(s))
    sched, text = torch_scheduler(s, opt)
    lrs = [float(opt.param_groups[0]["lr"])]
    for _ in range(steps - 1):
        opt.step()  # before sched.step(): PyTorch warns about the other order
        sched.step()
        lrs.append(float(opt.param_groups[0]["lr"]))
    return lrs, f"{text} on SGD(lr={optimizer_lr(s)})"


def schedule_case(name: str, s: dict, steps: int) -> dict:
    lrs, text = torch_lrs(s, steps)
    return {"name": name, "torch": text, "lrlab": s, "steps": steps, "lrs": lrs}


# --------------------------------------------------------------------------------------
# The schedule cases
# --------------------------------------------------------------------------------------


def schedule_cases() -> list[dict]:
    cases = []

    def add(name, s, steps):
        cases.append(schedule_case(name, s, steps))

    # StepLR: lr0 * gamma ** (t // step_size)
    add("step_decay_s10_g0.5", spec("step_decay", lr0=0.1, step_size=10, gamma=0.5), 50)
    add("step_decay_s1_g0.9", spec("step_decay", lr0=1.0, step_size=1, gamma=0.9), 40)
    add("step_decay_s7_g0.1", spec("step_decay", lr0=0.05, step_size=7, gamma=0.1), 40)
    add("step_decay_s25_g0.3", spec("step_decay", lr0=0.3, step_size=25, gamma=0.3), 120)

    # MultiStepLR: lr0 * gamma ** (number of milestones <= t)
    add("multistep_30_60_80", spec("multistep", lr0=0.1, milestones=[30, 60, 80], gamma=0.1), 100)
    add("multistep_0_5_12", spec("multistep", lr0=0.2, milestones=[0, 5, 12], gamma=0.5), 30)
    add("multistep_3_4_5", spec("multistep", lr0=1.0, milestones=[3, 4, 5], gamma=0.7), 12)
    add("multistep_10", spec("multistep", lr0=0.05, milestones=[10], gamma=0.2), 25)

    # ExponentialLR: lr0 * decay_rate ** t
    add("exponential_0.9", spec("exponential", lr0=0.1, decay_rate=0.9), 50)
    add("exponential_0.99", spec("exponential", lr0=1.0, decay_rate=0.99), 200)
    add("exponential_0.5", spec("exponential", lr0=0.3, decay_rate=0.5), 40)
    add("exponential_0.999", spec("exponential", lr0=0.01, decay_rate=0.999), 100)

    # CosineAnnealingLR for t = 0 .. T inclusive (past T, see past_end)
    add("cosine_T10", spec("cosine", lr0=0.1, total_steps=10, lr_min=0.0), 11)
    add("cosine_T100_min0.01", spec("cosine", lr0=1.0, total_steps=100, lr_min=0.01), 101)
    add("cosine_T37_min0.001", spec("cosine", lr0=0.05, total_steps=37, lr_min=0.001), 38)
    add("cosine_T1", spec("cosine", lr0=0.1, total_steps=1, lr_min=0.0), 2)
    add("cosine_T250", spec("cosine", lr0=0.3, total_steps=250, lr_min=0.0), 251)

    # PolynomialLR (lr_end = 0), well past total_steps where both hold 0
    add("polynomial_T20_p1", spec("polynomial", lr0=0.1, total_steps=20, power=1.0, lr_end=0.0), 40)
    add("polynomial_T20_p2", spec("polynomial", lr0=0.1, total_steps=20, power=2.0, lr_end=0.0), 40)
    add("polynomial_T50_p0.5", spec("polynomial", lr0=1.0, total_steps=50, power=0.5, lr_end=0.0), 80)
    add("polynomial_T7_p3", spec("polynomial", lr0=0.05, total_steps=7, power=3.0, lr_end=0.0), 15)
    add("polynomial_T100_p0.9", spec("polynomial", lr0=0.2, total_steps=100, power=0.9, lr_end=0.0), 150)

    # linear_warmup <-> SequentialLR([LinearLR(f, 1.0, W), inner], [W])
    add(
        "warmup10_f0.1_cosine_T50",
        spec(
            "linear_warmup",
            schedule=spec("cosine", lr0=0.1, total_steps=50, lr_min=0.001),
            warmup_steps=10,
            start_factor=0.1,
        ),
        61,  # W + T + 1: the inner cosine stays within its T_max
    )
    add(
        "warmup5_f0.01_exponential_0.95",
        spec(
            "linear_warmup",
            schedule=spec("exponential", lr0=0.05, decay_rate=0.95),
            warmup_steps=5,
            start_factor=0.01,
        ),
        40,
    )
    add(
        "warmup8_f0.25_step_decay",
        spec(
            "linear_warmup",
            schedule=spec("step_decay", lr0=0.2, step_size=10, gamma=0.5),
            warmup_steps=8,
            start_factor=0.25,
        ),
        50,
    )
    add(
        "warmup1_f0.5_cosine_T20",
        spec(
            "linear_warmup",
            schedule=spec("cosine", lr0=0.1, total_steps=20, lr_min=0.0),
            warmup_steps=1,
            start_factor=0.5,
        ),
        22,
    )
    add(
        "warmup20_f0.001_polynomial",
        spec(
            "linear_warmup",
            schedule=spec("polynomial", lr0=1.0, total_steps=30, power=2.0, lr_end=0.0),
            warmup_steps=20,
            start_factor=0.001,
        ),
        60,
    )

    # sequential <-> SequentialLR(pieces, milestones); every piece starts from the same lr0,
    # and a cosine piece is never run past its own T (PyTorch's cosine rises again there).
    add(
        "sequential_exponential_cosine",
        spec(
            "sequential",
            schedules=[
                spec("exponential", lr0=0.1, decay_rate=0.9),
                spec("cosine", lr0=0.1, total_steps=30, lr_min=0.001),
            ],
            boundaries=[10],
        ),
        41,
    )
    add(
        "sequential_step_polynomial_cosine",
        spec(
            "sequential",
            schedules=[
                spec("step_decay", lr0=0.1, step_size=5, gamma=0.5),
                spec("polynomial", lr0=0.1, total_steps=20, power=2.0, lr_end=0.0),
                spec("cosine", lr0=0.1, total_steps=15, lr_min=0.0),
            ],
            boundaries=[12, 30],
        ),
        46,
    )
    add(
        "sequential_polynomial_exponential",
        spec(
            "sequential",
            schedules=[
                spec("polynomial", lr0=0.05, total_steps=10, power=1.0, lr_end=0.0),
                spec("exponential", lr0=0.05, decay_rate=0.8),
            ],
            boundaries=[15],
        ),
        30,
    )
    add(
        "sequential_cosine_multistep_exponential",
        spec(
            "sequential",
            schedules=[
                spec("cosine", lr0=0.1, total_steps=8, lr_min=0.01),
                spec("multistep", lr0=0.1, milestones=[0, 4], gamma=0.5),
                spec("exponential", lr0=0.1, decay_rate=0.95),
            ],
            boundaries=[9, 20],
        ),
        35,
    )
    add(
        "sequential_three_cosines",
        spec(
            "sequential",
            schedules=[
                spec("cosine", lr0=0.2, total_steps=10, lr_min=0.0),
                spec("cosine", lr0=0.2, total_steps=20, lr_min=0.02),
                spec("cosine", lr0=0.2, total_steps=5, lr_min=0.0),
            ],
            boundaries=[11, 32],
        ),
        38,
    )
    # No nested case (a sequential with a linear_warmup or sequential piece): PyTorch 2.13
    # cannot nest SequentialLR. As the first piece, the inner SequentialLR emits the
    # "lr_scheduler.step() before optimizer.step()" UserWarning and runs one step ahead (the
    # outer recursive_undo does not undo the inner one's own last_epoch, so its milestone
    # fires a step early: warmup W gives W-1 warmup steps). As a later piece, the outer
    # SequentialLR calls inner._update_lr(0), which reaches LRScheduler.get_lr and raises
    # NotImplementedError.

    # CosineAnnealingWarmRestarts, several restarts
    add("cosine_restarts_T10_mult1", spec("cosine_restarts", lr0=0.1, period=10, period_mult=1, lr_min=0.0), 45)
    add("cosine_restarts_T7_mult1_min0.01", spec("cosine_restarts", lr0=0.1, period=7, period_mult=1, lr_min=0.01), 40)
    add("cosine_restarts_T5_mult2_min0.001", spec("cosine_restarts", lr0=0.05, period=5, period_mult=2, lr_min=0.001), 80)
    add("cosine_restarts_T3_mult3", spec("cosine_restarts", lr0=1.0, period=3, period_mult=3, lr_min=0.0), 60)
    add("cosine_restarts_T1_mult2", spec("cosine_restarts", lr0=0.1, period=1, period_mult=2, lr_min=0.0), 40)

    # CyclicLR(cycle_momentum=False), several cycles
    def cyc(lr_min, lr_max, up, down, mode, gamma):
        return spec(
            "cyclic", lr_min=lr_min, lr_max=lr_max, step_size_up=up, step_size_down=down,
            mode=mode, gamma=gamma,
        )

    add("cyclic_triangular_up5", cyc(0.001, 0.1, 5, None, "triangular", 1.0), 40)
    add("cyclic_triangular_up4_down8", cyc(0.001, 0.1, 4, 8, "triangular", 1.0), 50)
    add("cyclic_triangular_up7_down3", cyc(0.01, 0.05, 7, 3, "triangular", 1.0), 45)
    add("cyclic_triangular2_up5_down5", cyc(0.001, 0.1, 5, 5, "triangular2", 1.0), 60)
    add("cyclic_triangular2_up3_down7", cyc(0.0, 1.0, 3, 7, "triangular2", 1.0), 50)
    add("cyclic_exp_range_up6_down4_g0.99", cyc(0.001, 0.1, 6, 4, "exp_range", 0.99), 60)
    add("cyclic_exp_range_up5_g0.95", cyc(0.01, 0.2, 5, None, "exp_range", 0.95), 50)

    # OneCycleLR(cycle_momentum=False) for t = 0 .. total_steps-1 (past it, see past_end)
    for name, s in one_cycle_specs():
        add(name, s, s["kwargs"]["total_steps"])

    return cases


def one_cycle_specs() -> list[tuple[str, dict]]:
    def oc(lr_max, total, pct, div, final_div, anneal, three):
        return spec(
            "one_cycle", lr_max=lr_max, total_steps=total, pct_start=pct, div_factor=div,
            final_div_factor=final_div, anneal=anneal, three_phase=three,
        )

    return [
        ("one_cycle_cos_T100", oc(0.1, 100, 0.3, 25.0, 1e4, "cos", False)),
        # pct_start * total_steps = 12.5: the phase boundary falls between two steps
        ("one_cycle_linear_T50_pct0.25", oc(0.5, 50, 0.25, 10.0, 100.0, "linear", False)),
        ("one_cycle_cos_three_phase_T60", oc(1.0, 60, 0.3, 25.0, 1e4, "cos", True)),
        ("one_cycle_linear_three_phase_T40", oc(0.2, 40, 0.4, 5.0, 1000.0, "linear", True)),
        ("one_cycle_cos_T21_pct0.45", oc(0.05, 21, 0.45, 4.0, 50.0, "cos", False)),
        ("one_cycle_cos_three_phase_T33_pct0.2", oc(0.3, 33, 0.2, 20.0, 30.0, "cos", True)),
    ]


def past_end_cases() -> list[dict]:
    """Where lrlab deliberately stops following PyTorch, recorded so the course can show it."""
    cases = []
    for name, T, lr0, lr_min in [("cosine_T10_past_end", 10, 0.1, 0.0), ("cosine_T20_min0.01_past_end", 20, 0.1, 0.01)]:
        s = spec("cosine", lr0=lr0, total_steps=T, lr_min=lr_min)
        steps = math.floor(2.5 * T) + 1  # t = 0 .. 2.5 T
        case = schedule_case(name, s, steps)
        case["agree_until"] = T
        case["note"] = "PyTorch's cosine rises again after T_max; lrlab holds lr_min"
        cases.append(case)
    for name, s in one_cycle_specs()[:4]:
        total = s["kwargs"]["total_steps"]
        case = schedule_case(name + "_past_end", s, total + 1)  # t = 0 .. total_steps
        case["agree_until"] = total - 1
        case["note"] = (
            "PyTorch's OneCycleLR computes one more value at t = total_steps (its phase formula "
            "extrapolated past the end: above the final lr for 'cos', below it, even negative, "
            "for 'linear') and raises ValueError on the next step; lrlab holds the final value "
            "lr_max / (div_factor * final_div_factor) for t >= total_steps - 1"
        )
        cases.append(case)
    return cases


# --------------------------------------------------------------------------------------
# ReduceLROnPlateau
# --------------------------------------------------------------------------------------


def plateau_case(name, metrics, *, lr0, factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0.0, mode="min", eps=1e-8) -> dict:
    kwargs = dict(
        lr0=lr0, factor=factor, patience=patience, threshold=threshold,
        threshold_mode=threshold_mode, cooldown=cooldown, min_lr=min_lr, mode=mode, eps=eps,
    )
    metrics = [float(m) for m in metrics]
    opt = dummy_optimizer(lr0)
    sched = ReduceLROnPlateau(
        opt, mode=mode, factor=factor, patience=patience, threshold=threshold,
        threshold_mode=threshold_mode, cooldown=cooldown, min_lr=min_lr, eps=eps,
    )
    lrs = []
    for m in metrics:
        opt.step()
        sched.step(m)
        lrs.append(float(opt.param_groups[0]["lr"]))
    text = (
        f"ReduceLROnPlateau(SGD(lr={lr0}), mode={mode!r}, factor={factor}, patience={patience}, "
        f"threshold={threshold}, threshold_mode={threshold_mode!r}, cooldown={cooldown}, "
        f"min_lr={min_lr}, eps={eps})"
    )
    return {
        "name": name, "torch": text, "lrlab": spec("ReduceOnPlateau", **kwargs),
        "metrics": metrics, "lrs": lrs,
    }


def plateau_cases() -> list[dict]:
    rng = np.random.default_rng(20240607)
    n = 40
    i = np.arange(n)
    r6 = lambda a: [round(float(v), 6) for v in a]  # noqa: E731  (short, exact metrics)

    # Hand-made: improve, plateau exactly, improve, plateau.
    steps_down = [1.0, 0.8, 0.6, 0.5] + [0.5] * 8 + [0.4, 0.3, 0.25] + [0.25] * 10 + [0.26, 0.27] + [0.2] * 13
    # Slow steady improvement of 0.2 % a step (about 0.002 in absolute terms).
    slow = r6(1.0 * 0.998 ** i)
    # Noisy decreasing losses.
    noisy1 = r6(1.0 / (1.0 + 0.1 * i) + 0.02 * rng.standard_normal(n))
    noisy2 = r6(0.5 * np.exp(-i / 15.0) + 0.1 + 0.01 * rng.standard_normal(n))
    # Accuracy-like: rises to a plateau, with noise.
    acc = r6(0.9 - 0.5 * np.exp(-i / 6.0) + 0.005 * rng.standard_normal(n))
    flat = [1.0] * n
    worse = r6(1.0 + 0.01 * i)  # never improves after the first value
    # Below zero and getting WORSE by 0.005 a step: with threshold_mode="rel", PyTorch's test
    # a < best * (1 - threshold) is looser than a < best for a negative best, so every one of
    # these worse values counts as an improvement and the lr is never reduced.
    negative_worsening = r6(-1.0 + 0.005 * i)

    return [
        plateau_case("min_rel_handmade_patience3", steps_down, lr0=0.1, factor=0.5, patience=3),
        plateau_case("min_rel_handmade_patience0", steps_down, lr0=0.1, factor=0.5, patience=0),
        plateau_case("min_defaults_handmade", steps_down, lr0=0.1),
        plateau_case("slow_improvement_rel_1e-2", slow, lr0=0.1, factor=0.5, patience=2,
                     threshold=1e-2, threshold_mode="rel"),
        plateau_case("slow_improvement_abs_1e-3", slow, lr0=0.1, factor=0.5, patience=2,
                     threshold=1e-3, threshold_mode="abs"),
        plateau_case("noisy_rel_patience2", noisy1, lr0=0.05, factor=0.3, patience=2,
                     threshold=1e-3),
        plateau_case("noisy_abs_patience1_cooldown2", noisy2, lr0=0.05, factor=0.5, patience=1,
                     threshold=5e-3, threshold_mode="abs", cooldown=2),
        plateau_case("max_rel_accuracy", acc, lr0=0.1, factor=0.5, patience=3, threshold=1e-3,
                     mode="max"),
        plateau_case("max_abs_accuracy_cooldown1", acc, lr0=0.1, factor=0.2, patience=2,
                     threshold=0.01, threshold_mode="abs", cooldown=1, mode="max"),
        plateau_case("flat_patience2_cooldown0", flat, lr0=1.0, factor=0.5, patience=2),
        plateau_case("flat_patience2_cooldown3", flat, lr0=1.0, factor=0.5, patience=2, cooldown=3),
        plateau_case("min_lr_clips_0.003", worse, lr0=0.1, factor=0.1, patience=1, min_lr=0.003),
        plateau_case("min_lr_clips_exact_0.001", worse, lr0=0.1, factor=0.1, patience=1, min_lr=0.001),
        plateau_case("eps_stops_reductions_at_small_lr", worse, lr0=1e-6, factor=0.5, patience=0),
        plateau_case("eps_suppresses_every_reduction", worse, lr0=0.01, factor=0.5, patience=0,
                     eps=0.006),
        plateau_case("min_rel_negative_worsening_metrics", negative_worsening, lr0=0.1, factor=0.5,
                     patience=0, threshold=0.01),
        plateau_case("min_abs_negative_worsening_metrics", negative_worsening, lr0=0.1, factor=0.5,
                     patience=2, threshold=0.01, threshold_mode="abs"),
    ]


# --------------------------------------------------------------------------------------
# Descent on Rosenbrock
# --------------------------------------------------------------------------------------

LRLAB_DEFAULTS = {"momentum": 0.9, "betas": [0.9, 0.999], "eps": 1e-8}


def trajectory_case(name, method, schedule, steps, *, momentum=None, betas=None, eps=None,
                    start=(-1.2, 1.0), a=1.0, b=100.0) -> dict:
    # Arguments a method does not use are recorded at lrlab's defaults.
    momentum = LRLAB_DEFAULTS["momentum"] if momentum is None else momentum
    betas = list(LRLAB_DEFAULTS["betas"] if betas is None else betas)
    eps = LRLAB_DEFAULTS["eps"] if eps is None else eps

    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    lr0 = optimizer_lr(schedule)
    if method == "gd":
        opt = SGD([p], lr=lr0, foreach=False)
        opt_text = f"SGD(lr={lr0})"
    elif method in ("momentum", "nesterov"):
        nesterov = method == "nesterov"
        opt = SGD([p], lr=lr0, momentum=momentum, nesterov=nesterov, foreach=False)
        opt_text = f"SGD(lr={lr0}, momentum={momentum}, nesterov={nesterov})"
    elif method == "adam":
        opt = Adam([p], lr=lr0, betas=tuple(betas), eps=eps, foreach=False)
        opt_text = f"Adam(lr={lr0}, betas={tuple(betas)}, eps={eps})"
    else:
        raise ValueError(method)
    sched, sched_text = torch_scheduler(schedule, opt)

    def f(q):
        x, y = q[0], q[1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    points = [p.detach().tolist()]
    lrs = []
    for _ in range(steps):
        lrs.append(float(opt.param_groups[0]["lr"]))
        opt.zero_grad()
        loss = f(p)
        loss.backward()
        opt.step()
        sched.step()
        points.append(p.detach().tolist())
    if not np.all(np.isfinite(points)) or np.abs(points).max() > 10:
        raise RuntimeError(f"{name}: the PyTorch run is not stable; pick a smaller lr")
    return {
        "name": name,
        "torch": f"{opt_text} (foreach=False), {sched_text}",
        "method": method,
        "surface": spec("rosenbrock", a=a, b=b),
        "schedule": schedule,
        "start": list(start),
        "steps": steps,
        "momentum": momentum,
        "betas": betas,
        "eps": eps,
        "points": points,
        "lrs": lrs,
    }


def trajectory_cases() -> list[dict]:
    n = 150
    return [
        trajectory_case("gd_cosine", "gd", spec("cosine", lr0=1e-3, total_steps=n, lr_min=1e-4), n),
        trajectory_case("gd_step_decay", "gd", spec("step_decay", lr0=1.2e-3, step_size=50, gamma=0.5), n),
        trajectory_case("momentum_cosine", "momentum", spec("cosine", lr0=5e-4, total_steps=n, lr_min=0.0), n,
                        momentum=0.9),
        trajectory_case("momentum_step_decay", "momentum",
                        spec("step_decay", lr0=1e-3, step_size=40, gamma=0.5), n, momentum=0.8),
        trajectory_case("nesterov_cosine", "nesterov", spec("cosine", lr0=5e-4, total_steps=n, lr_min=0.0), n,
                        momentum=0.9),
        trajectory_case(
            "nesterov_warmup_cosine", "nesterov",
            spec("linear_warmup", schedule=spec("cosine", lr0=1e-3, total_steps=n - 10, lr_min=0.0),
                 warmup_steps=10, start_factor=0.1),
            n, momentum=0.8,
        ),
        trajectory_case("adam_cosine", "adam", spec("cosine", lr0=0.02, total_steps=n, lr_min=0.0), n,
                        betas=(0.9, 0.999), eps=1e-8),
        trajectory_case("adam_step_decay_beta2_0.99", "adam",
                        spec("step_decay", lr0=0.02, step_size=50, gamma=0.5), n,
                        betas=(0.8, 0.99), eps=1e-6),
    ]


# --------------------------------------------------------------------------------------
# Writing the file
# --------------------------------------------------------------------------------------


def record() -> dict:
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(0)  # nothing here is random in torch; set anyway
    with warnings.catch_warnings():
        # A PyTorch warning (deprecation, call order) would mean the recording is suspect.
        warnings.simplefilter("error")
        data = {
            "note": f"Generated by {COMMAND} from PyTorch; do not edit by hand, rerun the script.",
            "generated_by": COMMAND,
            "torch_version": torch.__version__,
            "python": platform.python_version(),
            "numpy_version": np.__version__,
            "dtype": "float64",
            "clock": (
                "lrs[t] is the optimizer's lr after t calls to scheduler.step(): the lr of the "
                "update x_t -> x_{t+1}; lrlab's schedule(t)"
            ),
            "schedules": schedule_cases(),
            "past_end": past_end_cases(),
            "plateau": plateau_cases(),
            "trajectories": trajectory_cases(),
        }
    return data


def dumps(data: dict) -> str:
    """JSON with one case per line: small, diff-friendly, floats at full (repr) precision."""
    lines = ["{"]
    items = list(data.items())
    for j, (key, value) in enumerate(items):
        comma = "," if j < len(items) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for i, case in enumerate(value):
                sep = "," if i < len(value) - 1 else ""
                lines.append("    " + json.dumps(case, allow_nan=False) + sep)
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}{comma}")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    if json.loads(text) != data:
        raise AssertionError("the JSON does not round-trip")
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file differs from what would be written")
    args = parser.parse_args(argv)

    if not torch.__version__.startswith(TORCH_VERSION_USED):
        print(f"note: recording with torch {torch.__version__}; the checked-in file used "
              f"{TORCH_VERSION_USED}", file=sys.stderr)
    text = dumps(record())
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    data = json.loads(text)
    counts = ", ".join(f"{len(data[k])} {k}" for k in ("schedules", "past_end", "plateau", "trajectories"))
    print(f"wrote {args.output} ({len(text) / 1024:.0f} KiB): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
