"""How responsive the descent panel is, against the naive way, measured in the same run.

    python benchmarks/bench_widgets.py

With the Agg backend (what the kernel renders with), it times the median:
- parameter change: a slider moves -> the run is recomputed, the changed views are redrawn
  and the PNGs the front end receives are encoded;
- animation frame: the step slider (driven by Play) moves -> artists move, views blit,
  PNGs are encoded;
- the naive way: an ``interact`` callback that rebuilds the whole figure on every change
  (new figure, contour map, path, loss and LR curves) and encodes it as PNG.
Targets (issue 3): <= 100 ms per parameter change, <= 50 ms per frame, >= 5x faster than
the naive way. The panel is measured at its default size on Rosenbrock, 200 momentum steps.
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
from lrlab.widgets import VIEW_DPI, VIEW_SIZE, Param, descent_panel

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
    fig = Figure(figsize=(3 * VIEW_SIZE[0], VIEW_SIZE[1]), dpi=VIEW_DPI)
    FigureCanvasAgg(fig)
    ax_map, ax_loss, ax_lr = fig.subplots(1, 3)
    viz.plot_path(SURFACE, run, ax=ax_map)
    viz.plot_losses(run, ax=ax_loss)
    viz.plot_lrs(run, ax=ax_lr)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


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
    frame = median_ms(lambda i: setattr(panel.step_slider, "value", int(i)), range(0, STEPS, 7), worst)
    naive = median_ms(naive_redraw, rates[:7])
    size = panel.map.canvas.get_width_height()
    print(f"descent panel, 3 views of {size[0]}x{size[1]} px each, Rosenbrock, {STEPS} momentum steps")
    print(f"  parameter change: {change:6.1f} ms (target <= 100)   naive full redraw: {naive:6.1f} ms  -> {naive / change:4.1f}x")
    print(f"  animation frame:  {frame:6.1f} ms (target <= 50)    naive full redraw: {naive:6.1f} ms  -> {naive / frame:4.1f}x")
    print(f"  slowest parameter change {worst[0]:.1f} ms (when an axis has to be redrawn), slowest frame {worst[1]:.1f} ms")


if __name__ == "__main__":
    main()
