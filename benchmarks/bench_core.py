"""Core speed of lrlab, measured side by side with the naive way in the same run.

    python benchmarks/bench_core.py            (or: make bench)

(a) a schedule over 100,000 steps: one vectorized lrlab call versus stepping PyTorch's
    scheduler object step by step (when PyTorch is installed) and versus a per-step
    Python loop (always);
(b) a sweep of 10,000 Rosenbrock runs x 300 steps: one batched `descend` call versus a
    Python loop over single runs (timed on a sample of runs and scaled to 10,000, said so);
(c) the time `import lrlab` adds to a bare interpreter.

Targets (issue 2): (a) >= 300x, (b) >= 50x and < 0.5 s, (c) < 0.3 s. Each figure is the
median of several repeats. This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import numpy as np

import lrlab

STEPS = 100_000
RUNS, RUN_STEPS, LOOP_SAMPLE = 10_000, 300, 200


def median_time(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_schedules():
    print(f"(a) one schedule over {STEPS:,} steps")
    cases = {
        "cosine": (lrlab.cosine(0.1, STEPS, lr_min=1e-4), "CosineAnnealingLR"),
        "one_cycle": (lrlab.one_cycle(0.1, STEPS), "OneCycleLR"),
        "step_decay": (lrlab.step_decay(0.1, 10_000, 0.5), "StepLR"),
    }
    try:
        import torch
    except ImportError:
        torch = None
        print("    PyTorch not installed: comparing with a per-step Python loop only")
    t = np.arange(STEPS)
    for name, (schedule, torch_name) in cases.items():
        vectorized = median_time(lambda: schedule(t))
        loop = median_time(lambda: [schedule(k) for k in range(STEPS)], repeat=1)
        line = f"    {name:<11} lrlab {vectorized * 1e3:7.2f} ms | per-step loop {loop * 1e3:8.1f} ms ({loop / vectorized:6.0f}x)"
        if torch is not None:
            stepping = median_time(lambda: _torch_steps(torch, name), repeat=1)
            line += f" | torch {torch_name} stepped {stepping * 1e3:8.1f} ms ({stepping / vectorized:6.0f}x)"
        print(line)


def _torch_steps(torch, name):
    param = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([param], lr=0.1)
    if name == "cosine":
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=STEPS, eta_min=1e-4)
    elif name == "one_cycle":
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=STEPS, cycle_momentum=False)
    else:
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10_000, gamma=0.5)
    opt.step()  # PyTorch warns when a scheduler steps before its optimizer ever has
    lrs = []
    for _ in range(STEPS - 1):
        lrs.append(opt.param_groups[0]["lr"])
        sched.step()
    return lrs


def bench_sweep():
    print(f"(b) {RUNS:,} Rosenbrock runs x {RUN_STEPS} steps (momentum, cosine schedule)")
    surface = lrlab.rosenbrock()
    rng = np.random.default_rng(0)  # seeded: the same start points every run
    lo, hi = np.array(surface.bounds).T
    starts = rng.uniform(lo, hi, size=(RUNS, 2))
    schedule = lrlab.cosine(2e-4, RUN_STEPS)

    def batched():
        return lrlab.descend(surface, schedule, start=starts, steps=RUN_STEPS, method="momentum")

    def looped():
        return [
            lrlab.descend(surface, schedule, start=s, steps=RUN_STEPS, method="momentum")
            for s in starts[:LOOP_SAMPLE]
        ]

    batch_time = median_time(batched, repeat=3)
    loop_time = median_time(looped, repeat=1) * RUNS / LOOP_SAMPLE
    run = batched()
    print(
        f"    one batched call {batch_time:.3f} s | Python loop over single runs {loop_time:.1f} s "
        f"(timed on {LOOP_SAMPLE} runs, scaled to {RUNS:,}) | {loop_time / batch_time:.0f}x"
    )
    print(f"    diverged runs: {int(run.diverged.sum())} of {RUNS:,}")


def bench_import():
    def interpreter(code):
        return median_time(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat=7)

    bare = interpreter("pass")
    with_lrlab = interpreter("import lrlab")
    print(
        f"(c) import lrlab adds {(with_lrlab - bare) * 1e3:.0f} ms "
        f"(bare interpreter {bare * 1e3:.0f} ms, with lrlab {with_lrlab * 1e3:.0f} ms)"
    )
    heavy = subprocess.run(
        [sys.executable, "-c", "import lrlab, sys; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"    heavy modules loaded by import lrlab: {heavy}")


if __name__ == "__main__":
    print(f"lrlab {lrlab.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}")
    bench_schedules()
    bench_sweep()
    bench_import()
