"""Frames drawn in the browser: the moving markers of a dashboard, with no kernel round trip.

A descent's frame (where each run stood after k updates) changes only its markers, never its
curves. The kernel sends, once per run, every marker's position at every step
(:meth:`lrlab.canvas.Canvas.mark`); :class:`FrameLayer` draws them on an HTML canvas laid over
the views' image (with as many pixels as the image is shown with, at most its own), at the step
its *clock* (the dashboard's step slider) shows. While Play runs,
the page moves the slider and the layer redraws in the same task: the picture never waits for
the kernel, and the kernel draws nothing.

The front-end half is the ~90 lines of JavaScript below, loaded by anywidget (no build step).
After each draw the canvas carries ``data-step`` (the step drawn) and ``data-draws`` (a count),
which the browser tests and ``benchmarks/bench_browser.py`` read.
"""

from __future__ import annotations

import anywidget
import ipywidgets as W
import traitlets

__all__ = ["FrameLayer"]

_ESM = r"""
function trail(ctx, segments, last) {
    // the first `last` segments; one stroke, joined where a segment starts at the previous end
    let x = null, y = null;
    ctx.beginPath();
    for (let j = 0; j < last; j++) {
        const x0 = segments[4 * j], y0 = segments[4 * j + 1];
        if (x0 === null) { x = null; continue; }
        if (x0 !== x || y0 !== y) ctx.moveTo(x0, y0);
        x = segments[4 * j + 2]; y = segments[4 * j + 3];
        ctx.lineTo(x, y);
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
        // The layer's pixels are those of the image under it; the canvas keeps only as many as
        // are shown (a projector's views are often shown smaller than drawn): less to clear and
        // to composite at every frame.
        if (!alive) return;
        const w = model.get("width"), h = model.get("height");
        if (w > 0 && h > 0) canvas.style.aspectRatio = `${w} / ${h}`;
        const shown = canvas.clientWidth * (window.devicePixelRatio || 1);
        const scale = w > 0 && shown > 0 ? Math.min(1, shown / w) : 1;
        const bw = Math.max(1, Math.round(w * scale)), bh = Math.max(1, Math.round(h * scale));
        if (canvas.width !== bw) canvas.width = bw;
        if (canvas.height !== bh) canvas.height = bh;
        const ctx = canvas.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, bw, bh);
        ctx.setTransform(bw / Math.max(w, 1), 0, 0, bh / Math.max(h, 1), 0, 0);
        const k = clock === null ? Infinity : Math.max(0, Number(clock.get("value")));
        for (const m of model.get("marks")) {
            ctx.save();
            ctx.beginPath();
            ctx.rect(m.clip[0], m.clip[1], m.clip[2], m.clip[3]);
            ctx.clip();
            ctx.strokeStyle = m.stroke;
            ctx.lineWidth = m.width;
            if (m.trail) {  // matplotlib's solid lines: round joins, projecting ends
                ctx.lineJoin = "round";
                ctx.lineCap = "square";
                trail(ctx, m.segments, Math.min(k, m.segments.length / 4));
            } else if (m.xy.length > 0) {
                const i = Math.min(k, m.xy.length / 2 - 1);
                if (m.xy[2 * i] !== null && m.xy[2 * i + 1] !== null) {
                    ctx.beginPath();
                    ctx.arc(m.xy[2 * i], m.xy[2 * i + 1], m.radius, 0, 2 * Math.PI);
                    ctx.fillStyle = m.fill;
                    ctx.fill();
                    if (m.width > 0) ctx.stroke();
                }
            }
            ctx.restore();
        }
        canvas.dataset.step = clock === null ? "" : String(k);
        canvas.dataset.draws = String(++draws);
    }

    model.on("change:marks", draw);
    model.on("change:width", draw);
    model.on("change:height", draw);
    let generation = 0;
    function attach() {
        if (clock !== null) clock.off("change:value", draw);
        clock = null;
        const mine = ++generation;
        const ref = model.get("clock");
        const id = typeof ref === "string" && ref.startsWith("IPY_MODEL_") ? ref.slice(10) : null;
        if (id === null) { draw(); return; }
        model.widget_manager.get_model(id).then(m => {
            if (!alive || mine !== generation) return;
            clock = m;
            clock.on("change:value", draw);
            draw();
        }).catch(error => console.warn("lrlab.frames: no step slider to follow", error));
    }
    model.on("change:clock", attach);
    attach();
    const resized = new ResizeObserver(() => requestAnimationFrame(draw));
    resized.observe(canvas);
    return () => {
        alive = false;
        resized.disconnect();
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
