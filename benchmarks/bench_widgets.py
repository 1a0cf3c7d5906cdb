"""How responsive the descent panel is, against the naive way, measured in the same run.

    python benchmarks/bench_widgets.py

With the Agg backend (what the kernel renders with), it times the median:
- parameter change: a slider moves -> the run is recomputed, the changed views are redrawn
  and the PNGs the front end receives are encoded; then the same values again in reverse
  order, as a slider dragged back (the views' kept backgrounds spare most axis draws);
- animation frame: the step slider (driven by Play) moves -> the kernel's side of a frame: the
  status line and its own markers (the page draws the frame itself, lrlab.frames; the kernel
  encodes no image for it);
- the naive way: an ``interact`` callback that rebuilds the whole figure on every change
  (new figure, contour map, path, loss and LR curves) and encodes it as PNG.
Targets (issue 3): <= 100 ms per parameter change, <= 50 ms per frame, >= 5x faster than
the naive way. The panel is measured at its default size on Rosenbrock, 200 momentum steps.

Then the explorer (lrlab.explorer), the same way, with two runs drawn (A: warmup + cosine,
B: constant, both with momentum on Rosenbrock, 200 steps), for
- a parameter change (A's lr slider),
- an animation frame (the step slider),
- a schedule switch (A's schedule menu, through every schedule: the first visit of a
  schedule also builds its sliders, later visits reuse them),
- a problem switch (the problem menu, through every problem at its own step count: the first
  visit draws the problem's contour map, later visits reuse it),
against its naive way: rerun both runs and draw a whole new figure (contour map at the
explorer's resolution, both paths, both losses, both rates and the stability limit), then
encode it. The machine's other load moves all numbers alike: compare the ratios.
"""

from __future__ import annotations

import io
import statistics
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import lrlab
from lrlab import viz
from lrlab.explorer import explorer, problem_names, schedule_names, stability_limit
from lrlab import canvas
from lrlab.widgets import VIEW_SIZE, Param, descent_panel

SURFACE = lrlab.rosenbrock()
STEPS = 200


def build(lr, warmup):
    return lrlab.linear_warmup(lrlab.cosine(lr, total_steps=STEPS - warmup), warmup)


def median_ms(fn, values, worst=None):
    times = []
    for v in values:
        start = time.perf_counter()
        fn(v)
        times.append(time.perf_counter() - start)
    if worst is not None:
        worst.append(1e3 * max(times))
    return 1e3 * statistics.median(times)


def naive_redraw(lr):
    """What `interact` + replot does: a whole new figure for every change."""
    run = lrlab.descend(SURFACE, build(lr, 10), steps=STEPS, method="momentum")
    fig = Figure(figsize=(3 * VIEW_SIZE[0], VIEW_SIZE[1]), dpi=canvas.display().dpi)
    FigureCanvasAgg(fig)
    ax_map, ax_loss, ax_lr = fig.subplots(1, 3)
    viz.plot_path(SURFACE, run, ax=ax_map)
    viz.plot_losses(run, ax=ax_loss)
    viz.plot_lrs(run, ax=ax_lr)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def naive_explorer(surface, steps, runs):
    """The explorer the `interact` way: both runs again and a whole new figure for every change."""
    results = [lrlab.descend(surface, schedule, steps=steps, method=method) for schedule, method in runs]
    fig = Figure(figsize=(3 * VIEW_SIZE[0], VIEW_SIZE[1]), dpi=canvas.display().dpi)
    FigureCanvasAgg(fig)
    ax_map, ax_loss, ax_lr = fig.subplots(1, 3)
    viz.contour(surface, ax=ax_map, levels=20, resolution=120)
    for run in results:
        viz.plot_path(surface, run, ax=ax_map, contours=False)
        viz.plot_lrs(run, ax=ax_lr)
    viz.plot_losses(results, ax=ax_loss)
    ax_lr.axhline(stability_limit(surface, runs[0][1]), ls="--", color="0.35")
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def bench_explorer():
    ex = explorer(problem="rosenbrock", steps=STEPS, presets={},
                  a={"schedule": "warmup_cosine", "method": "momentum", "warmup_steps": 10},
                  b={"schedule": "constant", "method": "momentum"})
    lr0 = ex.A.knob_sets["warmup_cosine"].widgets["lr0"]
    rates = list(np.geomspace(2e-4, 3e-3, 15))
    worst = []
    change = median_ms(lambda lr: setattr(lr0, "value", float(lr)), rates, worst)
    frame = median_ms(lambda i: setattr(ex.step_slider, "value", int(i)), range(0, STEPS, 7), worst)
    names = [n for n in schedule_names() if n != "warmup_cosine"]
    first_schedule = median_ms(lambda n: setattr(ex.A.schedule_menu, "value", n), names)
    again_schedule = median_ms(lambda n: setattr(ex.A.schedule_menu, "value", n), names, worst)
    problems = [p for p in problem_names() if p != "rosenbrock"] + ["rosenbrock"]
    first_problem = median_ms(lambda p: setattr(ex.problem_menu, "value", p), problems)
    again_problem = median_ms(lambda p: setattr(ex.problem_menu, "value", p), problems, worst)

    runs = [(lrlab.linear_warmup(lrlab.cosine(1e-3, STEPS - 10), 10), "momentum"), (1e-3, "momentum")]
    naive = median_ms(lambda _: naive_explorer(SURFACE, STEPS, runs), range(7))

    def naive_switch(name):  # the same problem, at the step count the explorer ran it with
        spec = ex.problem_specs[name]
        return naive_explorer(spec.build(**{k: p.initial() for k, p in spec.params.items()}),
                              STEPS if name == "rosenbrock" else spec.steps, runs)

    naive_problem = median_ms(naive_switch, problems)
    size = ex.map.canvas.get_width_height()
    print(f"explorer, 3 views of {size[0]}x{size[1]} px each, 2 runs (momentum) on Rosenbrock, {STEPS} steps")
    for label, ms, target, base in [
        ("parameter change", change, "<= 100", naive),
        ("animation frame", frame, "<= 50", naive),
        ("schedule switch", again_schedule, "<= 100", naive),
        ("  first visit", first_schedule, "", naive),
        ("problem switch", again_problem, "<= 100", naive_problem),
        ("  first visit", first_problem, "", naive_problem),
    ]:
        goal = f"(target {target})" if target else "(builds sliders or map)"
        print(f"  {label + ':':18s}{ms:6.1f} ms {goal:24s} naive full redraw: {base:6.1f} ms  -> {base / ms:4.1f}x")
    print(f"  slowest parameter change {worst[0]:.1f} ms, slowest frame {worst[1]:.1f} ms, "
          f"slowest schedule switch {worst[2]:.1f} ms, slowest problem switch {worst[3]:.1f} ms")


def main():
    panel = descent_panel(
        SURFACE,
        build,
        {"lr": Param(1e-4, 1e-2, value=1e-3, log=True), "warmup": Param(1, 50, value=10, integer=True)},
        steps=STEPS,
        method="momentum",
    )
    rates = list(np.geomspace(2e-4, 3e-3, 15))
    worst = []
    change = median_ms(lambda lr: panel.set(lr=float(lr)), rates, worst)
    back = median_ms(lambda lr: panel.set(lr=float(lr)), rates[::-1])
    frame = median_ms(lambda i: setattr(panel.step_slider, "value", int(i)), range(0, STEPS, 7), worst)
    naive = median_ms(naive_redraw, rates[:7])
    size = panel.map.canvas.get_width_height()
    print(f"descent panel, 3 views of {size[0]}x{size[1]} px each, Rosenbrock, {STEPS} momentum steps")
    print(f"  parameter change: {change:6.1f} ms (target <= 100)   naive full redraw: {naive:6.1f} ms  -> {naive / change:4.1f}x")
    print(f"  dragged back:     {back:6.1f} ms (target <= 100)   naive full redraw: {naive:6.1f} ms  -> {naive / back:4.1f}x")
    print(f"  animation frame:  {frame:6.1f} ms (target <= 50)    naive full redraw: {naive:6.1f} ms  -> {naive / frame:4.1f}x")
    print(f"  slowest parameter change {worst[0]:.1f} ms (when an axis has to be redrawn), slowest frame {worst[1]:.1f} ms")
    bench_explorer()


if __name__ == "__main__":
    for on in (False, True):  # a laptop's views, then a projector's (lrlab.widgets.projector)
        canvas.projector(on)
        print(f"--- {'projector' if on else 'normal'} display: {canvas.display()}")
        main()
