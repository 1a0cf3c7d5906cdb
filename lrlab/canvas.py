"""The canvas layer: small Agg figures drawn in three kept layers and sent as PNG images.

Every view of the interactive layer (the panels of :mod:`lrlab.widgets` and the explorer) is a
:class:`Canvas`: one matplotlib Figure rendered by Agg, never by pyplot, drawn in three layers,
each kept as pixels so that most changes cost a copy, not a draw:

- the **background**: everything static (axes, ticks, titles, dashed marks, a contour map),
  drawn in full only when its *state* (axis limits, marks, title) is new; the backgrounds of the
  last ``KEEP`` states are kept, so a slider moved back to where it was costs no drawing;
- the **data layer**: the background plus the ``data`` artists (the runs' curves), redrawn when a
  run changes;
- a **frame**: the ``frame`` artists (the moving markers). On the page the browser draws the
  frames itself over the data layer (:meth:`Canvas.base_pixels`), from each marker's positions at
  every step (:meth:`Canvas.mark`, drawn by :mod:`lrlab.frames`), so that Play needs nothing from
  the kernel; :meth:`Canvas.overlay_pixels` draws a frame alone on a transparent sheet, and
  :meth:`Canvas.png` draws both into one picture (the still picture of a view).

A :class:`Display` sets how large and sharp the figures are: :data:`NORMAL` for a laptop, and
:data:`PROJECTOR` (switched on by :func:`projector`) for the back of a classroom: 2.2 times the
pixels per inch, shown 1.5 times as wide, with fonts 1.35 times as large.

Nothing here imports ipywidgets: the canvases are tested without a front end.
"""

from __future__ import annotations

import functools
import io
import math
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["Display", "NORMAL", "PROJECTOR", "projector", "display", "Canvas", "log_limits", "nice_ceiling",
           "fmt", "text_pixels", "encode_png", "clip_segments", "LOSS_LIMITS", "VIEW_SIZE"]

#: Size of one view, in inches (at NORMAL, 80 pixels per inch: 288 × 240 pixels).
VIEW_SIZE = (3.6, 3.0)
#: The loss views' lowest and highest limits: a run can drive the loss to subnormal numbers
#: (5e-324), whose decade 10**-324 is 0, which a log axis refuses (with a warning).
LOSS_LIMITS = (1e-300, 1e300)


@dataclass(frozen=True)
class Display:
    """How the views are drawn and shown.

    dpi     pixels per inch of the figures (the PNG's resolution),
    fonts   a factor on every font size (titles, tick labels, labels, stamps),
    scale   how many times wider than at NORMAL a view is shown on the page (CSS pixels),
    margins (left, right, bottom, top) of the axes in the figure, room for the tick labels.
    A view of ``size`` inches is a PNG of size·dpi pixels shown size·80·scale CSS pixels wide.
    """

    dpi: int = 80
    fonts: float = 1.0
    scale: float = 1.0
    margins: tuple = (0.2, 0.96, 0.16, 0.9)

    def font(self, points: float) -> float:
        """A font size of ``points`` at NORMAL, in this display."""
        return points * self.fonts

    def width(self, inches: float) -> str:
        """The CSS width of a view ``inches`` wide."""
        return f"{int(round(inches * 80 * self.scale))}px"


NORMAL = Display()
PROJECTOR = Display(dpi=176, fonts=1.35, scale=1.5, margins=(0.22, 0.92, 0.2, 0.88))
_DISPLAY = [NORMAL]  # the display new views are built for; changed only by projector()


def projector(on: bool = True) -> Display:
    """Draw every view built from now on for a projector (``on=True``) or a laptop (``on=False``).

    One call before building the panels and the explorer of a notebook (or at the top of it):
    views then have 2.2 times the pixels per inch, are shown 1.5 times as wide, and their fonts
    are 1.35 times as large (about twice the size on screen). Views already built keep their size.
    Returns the display now in use.

    >>> from lrlab import canvas
    >>> canvas.projector(True).dpi, canvas.projector(False).dpi
    (176, 80)
    """
    if not isinstance(on, bool):
        raise TypeError(f"on must be True or False, got {on!r}")
    _DISPLAY[0] = PROJECTOR if on else NORMAL
    return _DISPLAY[0]


def display() -> Display:
    """The display new views are built for (see :func:`projector`)."""
    return _DISPLAY[0]


def log_limits(values) -> tuple[float, float] | None:
    """Whole-decade limits around the positive finite ``values`` for a log axis, within LOSS_LIMITS.

    None when there is no positive finite value. The limits are at least one decade apart.

    >>> log_limits([0.03, 2.0])
    (0.01, 10.0)
    """
    values = np.asarray(values, dtype=np.float64)
    shown = values[np.isfinite(values) & (values > 0)]
    if not shown.size:
        return None
    low, high = (int(math.log10(v)) for v in LOSS_LIMITS)
    lo = min(max(math.floor(math.log10(shown.min())), low), high - 1)
    hi = max(min(math.ceil(math.log10(shown.max())), high), lo + 1)
    return 10.0**lo, 10.0**hi


def nice_ceiling(x: float) -> float:
    """The smallest round number (1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) >= x.

    >>> nice_ceiling(0.33), nice_ceiling(7.0)
    (0.4, 8.0)
    """
    if not x > 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
                if m * power >= x * (1 - 1e-12))


def fmt(x: float) -> str:
    """A number as the status lines show it: three significant digits, or inf/nan."""
    return f"{x:.3g}" if np.isfinite(x) else str(x)


def encode_png(pixels: np.ndarray) -> bytes:
    """An (h, w, 3) RGB or (h, w, 4) RGBA uint8 array as PNG, encoded for speed, not size.

    Every row is stored unfiltered and compressed at zlib's fastest level: on the views' mostly
    white or mostly transparent pictures this is 2–3 times faster than Pillow's adaptive
    filtering, for files somewhat larger (they travel over the kernel's local connection).
    """
    height, width, channels = pixels.shape
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)  # each row: filter type 0, then pixels
    rows[:, 0] = 0
    rows[:, 1:] = pixels.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6 if channels == 4 else 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(memoryview(rows), 1))
            + chunk(b"IEND", b""))


@functools.lru_cache(maxsize=128)
def text_pixels(text: str, colour: str, fontsize: float, dpi: int) -> np.ndarray:
    """A line of text as RGBA pixels (straight alpha), rendered once: drawing text costs milliseconds."""
    fig = Figure(figsize=(8.0, 0.6), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    fig.patch.set_alpha(0.0)
    label = fig.text(0.98, 0.5, text, color=colour, fontsize=fontsize, ha="right", va="center")
    canvas.draw()
    box = label.get_window_extent()
    pixels = np.asarray(canvas.buffer_rgba())
    height = pixels.shape[0]
    rows = slice(max(0, height - int(math.ceil(box.y1)) - 1), min(height, height - int(box.y0) + 1))
    cols = slice(max(0, int(box.x0) - 1), min(pixels.shape[1], int(math.ceil(box.x1)) + 1))
    return pixels[rows, cols].copy()


def clip_segments(start, end, low, high):
    """Segments start[i] -> end[i] (arrays (n, 2)) cut to the box low <= p <= high (Liang-Barsky).

    Returns (start, end, seen): the cut ends, and whether any part is in the box; a segment
    with an end that is not finite is not seen.
    """
    start, end = np.asarray(start, float), np.asarray(end, float)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        d = end - start
        seen = np.isfinite(start).all(axis=1) & np.isfinite(end).all(axis=1) & np.isfinite(d).all(axis=1)
        t0, t1 = np.zeros(len(start)), np.ones(len(start))
        for axis in (0, 1):
            # inside the box on this axis: p * t <= q for both of its edges
            for p, q in ((-d[:, axis], start[:, axis] - low[axis]), (d[:, axis], high[axis] - start[:, axis])):
                ratio = q / p
                seen &= ~((p == 0) & (q < 0))  # parallel to the edge, outside it
                t0 = np.where(p < 0, np.maximum(t0, ratio), t0)
                t1 = np.where(p > 0, np.minimum(t1, ratio), t1)
        seen &= t0 <= t1
        # each cut end measured from the nearer end, which keeps far-off ends from cancelling digits
        cut_start = np.where((t0 <= 0.5)[:, None], start + t0[:, None] * d, end - (1.0 - t0)[:, None] * d)
        cut_end = np.where((t1 >= 0.5)[:, None], end - (1.0 - t1)[:, None] * d, start + t1[:, None] * d)
    return cut_start, cut_end, seen


def _json_numbers(values: np.ndarray) -> list:
    """A flat list of floats for JSON, None where a value is not finite (JSON has no NaN)."""
    flat = np.asarray(values, float).ravel()
    out = flat.tolist()
    for i in np.flatnonzero(~np.isfinite(flat)):
        out[i] = None
    return out


class Canvas:
    """One Agg figure with one axes, drawn in three kept layers (see the module docstring).

    ``add("data", *artists)`` and ``add("frame", *artists)`` register artists (they are never
    part of the background); ``set_state(state, apply)`` sets up the static part; ``draw_data()``
    redraws the data layer after the curves changed; ``png()`` draws the frame and encodes it.
    ``stamps`` are lines of text pasted as pixels on the data layer: {key: (text, colour, (x, y))},
    (x, y) the top-right corner in axes fractions (a legend would need a full redraw).
    """

    KEEP = 8  # backgrounds kept per view

    def __init__(self, size=VIEW_SIZE, shown: Display | None = None):
        self.shown = shown or display()
        self.size = size
        self.fig = Figure(figsize=size, dpi=self.shown.dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_subplot()
        left, right, bottom, top = self.shown.margins
        self.fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
        if self.shown.fonts != 1.0:
            self.ax.tick_params(labelsize=self.shown.font(10))
        self.data: list = []
        self.frame: list = []
        self.stamps: dict = {}
        self.backgrounds: OrderedDict = OrderedDict()
        self.state = None
        self.layer = None
        self._base = None  # (the layer it was encoded from, its PNG)

    @property
    def width(self) -> str:
        """The CSS width this view is shown at."""
        return self.shown.width(self.size[0])

    def font(self, points: float) -> float:
        return self.shown.font(points)

    def title(self, text: str) -> None:
        """A title at a fixed height: matplotlib would otherwise re-place it on every draw."""
        self.ax.set_title(text, fontsize=self.font(9), y=1.0)

    def xlabel(self, text: str) -> None:
        self.ax.set_xlabel(text, fontsize=self.font(10))

    def add(self, layer: str, *artists):
        for a in artists:
            a.set_animated(True)  # never part of the background
            getattr(self, layer).append(a)
        return artists

    def set_state(self, state, apply=None) -> bool:
        """Set up the static part for ``state`` (``apply(state)`` changes the axes); draw it if not kept.

        Returns whether the state changed. The data layer must then be drawn again.
        """
        if state == self.state and self.layer is not None:
            return False
        if apply is not None:
            apply(state)
        if state in self.backgrounds:
            self.backgrounds.move_to_end(state)
        else:
            self.canvas.draw()
            self.backgrounds[state] = self.canvas.copy_from_bbox(self.fig.bbox)
            while len(self.backgrounds) > self.KEEP:
                self.backgrounds.popitem(last=False)
        self.state = state
        self.layer = None
        return True

    def draw_data(self) -> None:
        """Background + the curves + the stamps, kept as the layer every frame starts from."""
        self.canvas.restore_region(self.backgrounds[self.state])
        for a in self.data:
            if a.get_visible():
                self.ax.draw_artist(a)
        box = self.ax.bbox
        for text, colour, (x, y) in self.stamps.values():
            self._paste(text_pixels(text, colour, self.font(7.0), self.shown.dpi),
                        box.x0 + x * box.width, box.y0 + y * box.height)
        self.layer = self.canvas.copy_from_bbox(self.fig.bbox)

    def _paste(self, pixels: np.ndarray, right: float, top: float) -> None:
        """Blend RGBA pixels into the canvas, their top-right corner at (right, top) in display pixels."""
        buffer = np.asarray(self.canvas.buffer_rgba())
        h, w = pixels.shape[:2]
        row, col = int(buffer.shape[0] - top), int(right) - w
        if row < 0 or col < 0 or row + h > buffer.shape[0]:
            return
        target = buffer[row:row + h, col:col + w]
        alpha = pixels[..., 3:4] / 255.0
        target[..., :3] = (pixels[..., :3] * alpha + target[..., :3] * (1.0 - alpha)).round().astype(np.uint8)

    def render(self) -> None:
        """Draw the frame: the data layer and the frame's artists, into the figure's pixels."""
        self._layer()
        self.canvas.restore_region(self.layer)
        self._draw_frame()

    def _layer(self) -> None:
        if self.state is None:
            self.set_state("static")
        if self.layer is None:
            self.draw_data()

    def _draw_frame(self) -> None:
        for a in self.frame:
            if a.get_visible():
                self.ax.draw_artist(a)

    def encode(self, transparent: bool = False) -> bytes:
        """The figure's pixels as they are now, as PNG (RGBA if ``transparent``, else opaque RGB)."""
        pixels = np.asarray(self.canvas.buffer_rgba())
        return encode_png(pixels if transparent else pixels[..., :3])

    def png(self) -> bytes:
        """The frame (data layer and markers), as one opaque PNG: a still picture of the view."""
        self.render()
        return self.encode()

    def base_pixels(self) -> np.ndarray:
        """The data layer alone (background and curves) as RGB pixels; the same array until it changes."""
        if self.layer is None or self._base is None or self._base[0] is not self.layer:
            self._layer()
            self.canvas.restore_region(self.layer)
            self._base = (self.layer, np.asarray(self.canvas.buffer_rgba())[..., :3].copy())
        return self._base[1]

    def mark(self, artist, x, y) -> dict:
        """A frame artist at every step, in this canvas's pixels, as :mod:`lrlab.frames` draws it.

        ``artist`` is one of the canvas's ``frame`` artists (a Line2D): either a line without
        markers, drawn as a trail from the first point to the current one, or markers without a
        line, one marker drawn at the current point. ``x`` and ``y`` are its data at steps 0, 1, ...;
        step k shows the first min(k, len - 1) segments of a trail, or point min(k, len - 1).
        Positions are pixels from the top left, rounded to 0.1. A trail is sent as its segments,
        each cut to a little more than the axes box (as Agg clips the line), so that a diverging run
        leaving the view by millions of pixels is drawn where it crosses the view; a marker's centre
        is snapped to the middle of its pixel, as Agg draws it. What is not finite or not visible is
        None. Returns a dict ready for JSON::

            {"trail": True, "segments": [x0, y0, x1, y1, ...], "stroke": css colour, "width": px,
             "clip": [x, y, width, height]}
            {"trail": False, "xy": [x0, y0, ...], "stroke": ..., "width": px, "radius": px,
             "fill": css colour, "clip": [...]}
        """
        marker = artist.get_marker() not in (None, "None", "none", "", " ")
        line = artist.get_linestyle() not in ("None", "none", "", " ")
        if marker == line:
            raise ValueError(f"a frame artist is a line or markers, not both or neither: {artist!r}")
        px = self.shown.dpi / 72.0  # points to pixels
        height = self.fig.bbox.height
        box = self.ax.bbox
        # Agg clips to whole pixels: the box's edges rounded
        left, top = math.floor(box.x0 + 0.5), math.floor(height - box.y1 + 0.5)
        right, bottom = math.floor(box.x1 + 0.5), math.floor(height - box.y0 + 0.5)
        alpha = artist.get_alpha()

        def css(colour) -> str:
            r, g, b, a = to_rgba(colour, alpha)
            return f"rgba({round(r * 255)}, {round(g * 255)}, {round(b * 255)}, {a:.3g})"

        with np.errstate(invalid="ignore", over="ignore"):
            xy = artist.get_transform().transform(np.column_stack([np.asarray(x, float), np.asarray(y, float)]))
            xy[:, 1] = height - xy[:, 1]
        out = {"trail": line, "clip": [left, top, right - left, bottom - top]}
        if line:
            width = artist.get_linewidth() * px
            margin = 2.0 * width + 2.0  # the cut ends stay outside the clip box
            start, end, seen = clip_segments(xy[:-1], xy[1:], (left - margin, top - margin),
                                             (right + margin, bottom + margin))
            segments = np.round(np.hstack([start, end]), 1)
            segments[~seen] = np.nan
            out.update(segments=_json_numbers(segments), stroke=css(artist.get_color()), width=round(width, 2))
        else:
            with np.errstate(invalid="ignore"):
                # Agg snaps a marker's centre to the middle of a pixel; far off the view it stays off
                # it, finite for the browser
                xy = np.clip(np.floor(xy + 0.5) + 0.5, -1e6, 1e6)
            out.update(xy=_json_numbers(xy), stroke=css(artist.get_markeredgecolor()),
                       width=round(artist.get_markeredgewidth() * px, 2),
                       radius=round(artist.get_markersize() * px / 2.0, 2), fill=css(artist.get_markerfacecolor()))
        return out

    def overlay_pixels(self) -> np.ndarray:
        """The frame's artists alone on a transparent sheet, as RGBA pixels: what a frame changes.

        Laid over :meth:`base_pixels`, it is the same picture as :meth:`png` (the still picture of a
        dashboard is composed this way); on the page the browser draws the same frame from
        :meth:`mark`.
        """
        self._layer()
        self.canvas.get_renderer().clear()
        self._draw_frame()
        return np.asarray(self.canvas.buffer_rgba())
