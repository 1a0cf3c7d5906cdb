"""Frames drawn in the browser: the moving markers of a dashboard, with no kernel round trip.

A descent's frame (where each run stood after k updates) changes only its markers, never its
curves. The kernel sends, once per run, every marker's position at every step
(:meth:`lrlab.canvas.Canvas.mark`); :class:`FrameLayer` draws them on an HTML canvas laid over
the views' image, at the step its *clock* (the dashboard's step slider) shows. While Play runs,
the page moves the slider and the layer redraws in the same task: the picture never waits for
the kernel, and the kernel draws nothing.

The front-end half is the ~60 lines of JavaScript below, loaded by anywidget (no build step).
After each draw the canvas carries ``data-step`` (the step drawn) and ``data-draws`` (a count),
which the browser tests and ``benchmarks/bench_browser.py`` read.
"""

from __future__ import annotations

import anywidget
import ipywidgets as W
import traitlets

__all__ = ["FrameLayer"]

_ESM = r"""
function polyline(ctx, xy, last) {
    let pen = false;
    ctx.beginPath();
    for (let i = 0; i <= last; i++) {
        const x = xy[2 * i], y = xy[2 * i + 1];
        if (x === null || y === null) { pen = false; continue; }
        if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        pen = true;
    }
    ctx.stroke();
}

function render({ model, el }) {
    const canvas = document.createElement("canvas");
    canvas.className = "lrlab-frame";
    canvas.style.width = "100%";
    canvas.style.display = "block";
    canvas.style.pointerEvents = "none";
    el.appendChild(canvas);
    let clock = null, draws = 0, alive = true;

    function draw() {
        if (!alive) return;
        const w = model.get("width"), h = model.get("height");
        if (canvas.width !== w) canvas.width = w;
        if (canvas.height !== h) canvas.height = h;
        const ctx = canvas.getContext("2d");
        ctx.clearRect(0, 0, w, h);
        const k = clock === null ? Infinity : Math.max(0, Number(clock.get("value")));
        for (const m of model.get("marks")) {
            const n = m.xy.length / 2;
            if (n === 0) continue;
            const i = Math.min(k, n - 1);
            ctx.save();
            ctx.beginPath();
            ctx.rect(m.clip[0], m.clip[1], m.clip[2], m.clip[3]);
            ctx.clip();
            ctx.strokeStyle = m.stroke;
            ctx.lineWidth = m.width;
            ctx.lineJoin = "round";
            if (m.trail) {
                polyline(ctx, m.xy, i);
            } else if (m.xy[2 * i] !== null && m.xy[2 * i + 1] !== null) {
                ctx.beginPath();
                ctx.arc(m.xy[2 * i], m.xy[2 * i + 1], m.radius, 0, 2 * Math.PI);
                ctx.fillStyle = m.fill;
                ctx.fill();
                if (m.width > 0) ctx.stroke();
            }
            ctx.restore();
        }
        canvas.dataset.step = clock === null ? "" : String(k);
        canvas.dataset.draws = String(++draws);
    }

    model.on("change:marks", draw);
    model.on("change:width", draw);
    model.on("change:height", draw);
    function attach() {
        if (clock !== null) clock.off("change:value", draw);
        clock = null;
        const ref = model.get("clock");
        const id = typeof ref === "string" && ref.startsWith("IPY_MODEL_") ? ref.slice(10) : null;
        if (id === null) { draw(); return; }
        model.widget_manager.get_model(id).then(m => {
            if (!alive || model.get("clock") !== ref) return;
            clock = m;
            clock.on("change:value", draw);
            draw();
        });
    }
    model.on("change:clock", attach);
    attach();
    draw();
    return () => {
        alive = false;
        if (clock !== null) clock.off("change:value", draw);
        model.off("change:marks", draw);
        model.off("change:width", draw);
        model.off("change:height", draw);
        model.off("change:clock", attach);
    };
}

export default { render };
"""


class FrameLayer(anywidget.AnyWidget):
    """An HTML canvas of ``width`` × ``height`` pixels (shown at 100% of its box) on which the
    browser draws ``marks`` (a list of :meth:`lrlab.canvas.Canvas.mark` dicts, in the layer's
    pixels) at the step ``clock`` (an integer slider, or None: the last step) shows."""

    _esm = _ESM
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    marks = traitlets.List().tag(sync=True)
    clock = traitlets.Instance(W.IntSlider, allow_none=True).tag(sync=True, **W.widget_serialization)
