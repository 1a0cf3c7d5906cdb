"""The three views of a descent, for one run or several: path on the map, loss, learning rate.

The chapters' descent panel (:mod:`lrlab.widgets`, one run) and the explorer (two runs, A and
B) draw with these same views. Each run has a key and a colour, the same in every view:

- :class:`MapView`: the contour map (drawn once), and per run its path, start and current point;
- :class:`LossView`: per run the loss above the minimum on a log axis and its current point;
  optionally a band (the spread of many noisy runs) and a reference curve (the exact expected
  loss, where theory gives it);
- :class:`RateView`: per run its learning rate, its current point, and dashed marks (the
  stability limits).

:class:`DescentViews` holds the three and does what both users need: put runs into the views,
fit the axes (snapped to decades and round numbers, so most changes draw no axes), and move
to a frame (only the markers move). Built on :class:`lrlab.canvas.Canvas`; no ipywidgets here.
"""

from __future__ import annotations

import math

import numpy as np

from . import viz
from .canvas import LOSS_LIMITS, Canvas, Display, log_limits, nice_ceiling

__all__ = ["MapView", "LossView", "RateView", "DescentViews", "loss_title"]


def loss_title(floor: float) -> str:
    """The loss view's title: "loss", or the gap to the minimum where the minimum's loss is not 0."""
    return "loss" if floor == 0 else "loss − loss at the minimum"


class MapView(Canvas):
    """The contour map of one surface (the background, drawn once) and a path per run (frames)."""

    def __init__(self, surface, colours: dict, shown: Display | None = None):
        super().__init__(shown=shown)
        viz.contour(surface, ax=self.ax, levels=20, resolution=120)
        self.title(self.ax.get_title())
        for axis in (self.ax.xaxis, self.ax.yaxis):
            axis.label.set_size(self.font(10))
        minima = getattr(surface, "minima", None)
        if minima is not None and len(minima) > 1:  # local minima too, where the surface has several
            self.ax.plot(np.asarray(minima)[1:, 0], np.asarray(minima)[1:, 1], "x", color="0.3", ms=5)
        self.runs = {}
        for key, colour in reversed(colours.items()):  # the first run is drawn last, on top
            (path,) = self.ax.plot([], [], "-", color=colour, lw=1.2)
            (start,) = self.ax.plot([], [], "o", mfc="white", mec=colour, ms=5)
            (point,) = self.ax.plot([], [], "o", color=colour, ms=6)
            self.runs[key] = self.add("frame", path, start, point)
        self.set_state("map")

    def show(self, key, points) -> None:
        """Run ``key``'s path up to now (points (k+1, 2)), or nothing (None)."""
        path, start, point = self.runs[key]
        for artist in (path, start, point):
            artist.set_visible(points is not None)
        if points is not None:
            path.set_data(points[:, 0], points[:, 1])
            start.set_data(points[:1, 0], points[:1, 1])
            point.set_data(points[-1:, 0], points[-1:, 1])


class LossView(Canvas):
    """The loss above the minimum per run (log axis), with an optional band and reference curve."""

    def __init__(self, colours: dict, shown: Display | None = None):
        super().__init__(shown=shown)
        self.colours = dict(colours)
        self.ax.set_yscale("log")
        self.xlabel("step t")
        self.title("loss")
        self.lines, self.dots, self.bands, self.means = {}, {}, {}, {}
        for key, colour in reversed(self.colours.items()):
            (line,) = self.ax.plot([], [], color=colour, lw=1.5)
            (mean,) = self.ax.plot([], [], color=colour, lw=2.6, visible=False)
            (dot,) = self.ax.plot([], [], "o", color=colour, ms=5)
            self.add("data", line, mean)
            self.add("frame", dot)
            self.lines[key], self.dots[key], self.bands[key], self.means[key] = line, dot, None, mean
        (self.reference,) = self.add("data", self.ax.plot([], [], "--", color="black", lw=1.2)[0])
        self.reference.set_visible(False)
        (self.seen,) = self.add("data", self.ax.plot([], [], color="0.45", lw=0.8, alpha=0.8)[0])
        self.seen.set_visible(False)

    def set_band(self, key, t=None, low=None, high=None, mean=None) -> None:
        """Shade between ``low`` and ``high`` at steps ``t`` in the run's colour, with a thick ``mean``
        line, the run's own line then drawn fainter (no ``low``: no band, no mean)."""
        self.means[key].set_visible(mean is not None)
        self.lines[key].set_alpha(None if low is None else 0.45)
        if mean is not None:
            self.means[key].set_data(t, mean)
        old = self.bands[key]
        if old is not None:
            self.data.remove(old)
            old.remove()
            self.bands[key] = None
        if low is not None:
            with np.errstate(invalid="ignore"):
                band = self.ax.fill_between(t, np.clip(low, 1e-300, None), np.clip(high, 1e-300, None),
                                            color=self.colours[key], alpha=0.2, lw=0)
            self.add("data", band)
            self.bands[key] = band

    def set_seen(self, t=None, values=None) -> None:
        """A thin grey curve: what a plateau rule was fed (a noisy or smoothed loss), or none."""
        self.seen.set_visible(values is not None)
        if values is not None:
            self.seen.set_data(t, values)

    def set_reference(self, t=None, values=None) -> None:
        """A dashed black curve (e.g. the exact expected loss), or none."""
        self.reference.set_visible(values is not None)
        if values is not None:
            self.reference.set_data(t, values)


class RateView(Canvas):
    """The learning rate per run (a staircase), its current point, and dashed marks."""

    def __init__(self, colours: dict, shown: Display | None = None):
        super().__init__(shown=shown)
        self.xlabel("step t")
        self.title("learning rate")
        self.lines, self.dots = {}, {}
        for key, colour in reversed(colours.items()):
            (line,) = self.ax.plot([], [], color=colour, lw=1.5, drawstyle="steps-post")
            (dot,) = self.ax.plot([], [], "o", color=colour, ms=5)
            self.add("data", line)
            self.add("frame", dot)
            self.lines[key], self.dots[key] = line, dot
        self.marks: list = []  # (line, text) pairs of the current state

    def draw_marks(self, marks) -> None:
        """Dashed horizontal lines with labels: ((rate, label), ...); labels alternate sides."""
        for line, text in self.marks:
            line.remove()
            text.remove()
        self.marks = []
        for i, (value, label) in enumerate(marks):
            left = i % 2 == 0
            line = self.ax.axhline(value, ls="--", lw=1, color="0.35")
            text = self.ax.text(0.02 if left else 0.98, value, f" {label} ", fontsize=self.font(7),
                                va="bottom" if left else "top", ha="left" if left else "right",
                                transform=self.ax.get_yaxis_transform())
            self.marks.append((line, text))


class DescentViews:
    """The map, loss and learning-rate views of some runs, each run keyed and coloured alike."""

    def __init__(self, surface, colours: dict, shown: Display | None = None):
        self.colours = dict(colours)
        self.map = MapView(surface, self.colours, shown)
        self.loss = LossView(self.colours, shown)
        self.rate = RateView(self.colours, shown)
        self.runs: dict = {key: None for key in self.colours}
        self.floor = 0.0
        self.bottom = 1e-3  # the loss axis's lower limit

    @property
    def canvases(self) -> list:
        return [self.map, self.loss, self.rate]

    def show_runs(self, runs: dict, steps: int, floor: float = 0.0, marks=(), names=None, extra_losses=()) -> None:
        """Put runs into the loss and rate views and fit their axes.

        runs          {key: Trajectory or None}, single (unbatched) runs,
        steps         the x range 0..steps,
        floor         the loss at the minimum (the loss view shows the gap to it),
        marks         ((rate, label), ...) drawn dashed on the rate view,
        names         {key: text} stamped top right in the run's colour, or None,
        extra_losses  more loss gaps the loss axis must hold (bands, reference curves).
        """
        self.runs, self.floor = dict(runs), float(floor)
        heights, starts, rates = [np.asarray(v, dtype=float).ravel() for v in extra_losses], [], []
        for key in self.runs:
            self.loss.stamps.pop(key, None)
        for i, (key, run) in enumerate(self.runs.items()):
            line, rate_line = self.loss.lines[key], self.rate.lines[key]
            for artist in (line, self.loss.dots[key], rate_line, self.rate.dots[key]):
                artist.set_visible(run is not None)
            if run is None:
                self.loss.set_band(key)
            if run is None:
                continue
            if names and names.get(key):
                self.loss.stamps[key] = (names[key], self.colours[key], (0.97, 0.96 - 0.08 * i))
            height = run.losses - self.floor
            rate_line.set_data(np.arange(len(run.lrs)), run.lrs)
            heights.append(height)
            starts.append(height[0])
            rates.append(run.lrs[np.isfinite(run.lrs)])
        shown = np.concatenate(heights) if heights else np.empty(0)
        limits = log_limits(shown)
        if limits is not None:
            # A diverging run leaves through the top: the axis stops 3 decades above the start.
            finite = shown[np.isfinite(shown) & (shown > 0)]
            start = max([h for h in starts if np.isfinite(h) and h > 0], default=finite.max())
            top = 10.0 ** (math.ceil(math.log10(start)) + 3)
            limits = (limits[0], max(min(limits[1], top), 10.0 * limits[0]))
        else:
            limits = (1e-3, 1e1)
        with np.errstate(invalid="ignore"):
            reached = bool(np.any(shown <= 0))
        if reached:  # a run reached the minimum exactly: room below, where its curve is drawn
            limits = (max(limits[0] / 1000.0, LOSS_LIMITS[0]), limits[1])
        self.bottom = limits[0]
        for key, run in self.runs.items():
            if run is not None:
                self.loss.lines[key].set_data(np.arange(len(run.losses)), self._drawn(run.losses - self.floor))
        self.loss.stamps.pop("zero", None)
        if self.loss.stamps:  # room above the curves for the lines of text stamped top right
            share = 0.09 * len(self.loss.stamps)
            decades = math.log10(limits[1] / limits[0])
            limits = (limits[0], limits[1] * 10.0 ** math.ceil(decades * share / (1.0 - share)))

        if reached:
            self.loss.stamps["zero"] = ("a loss of exactly 0 is drawn on the bottom edge", "0.35", (0.97, 0.12))

        def loss_axes(state):
            self.loss.ax.set_xlim(0, state[0])
            self.loss.ax.set_ylim(*state[1])
            self.loss.title(state[2])

        self.loss.set_state((steps, limits, loss_title(self.floor)), loss_axes)
        self.loss.draw_data()

        marks = tuple(marks)
        top = max([float(r.max()) for r in rates if r.size] + [value for value, _ in marks], default=1.0)

        def rate_axes(state):
            self.rate.draw_marks(state[2])
            self.rate.ax.set_xlim(0, state[0])
            self.rate.ax.set_ylim(0.0, state[1])

        self.rate.set_state((steps, nice_ceiling(1.05 * top), marks), rate_axes)
        self.rate.draw_data()

    def _drawn(self, gaps):
        """Loss gaps as the log axis draws them: 0 (the minimum reached exactly) at the axis's bottom."""
        with np.errstate(invalid="ignore"):
            return np.where(gaps <= 0, self.bottom, gaps)

    def show_frame(self, k: int) -> None:
        """Move every run's markers to where it stood after k updates (or where it stopped)."""
        for key, run in self.runs.items():
            if run is None:
                self.map.show(key, None)
                continue
            i = min(int(k), run.stopped_at)
            self.map.show(key, run.points[: i + 1])
            self.loss.dots[key].set_data([i], [self._drawn(run.losses[i] - self.floor)])
            j = min(i, len(run.lrs) - 1)
            self.rate.dots[key].set_data([j], [run.lrs[j]] if j >= 0 else [np.nan])

    def marks(self) -> list:
        """What :meth:`show_frame` moves, at every step, for the browser to draw: one list of
        :meth:`lrlab.canvas.Canvas.mark` dicts per canvas (map, loss, rate), in drawing order."""
        series = {}
        for key, run in self.runs.items():
            if run is None:
                continue
            n = run.stopped_at + 1
            points = run.points[:n]
            path, start, point = self.map.runs[key]
            series[path], series[start], series[point] = points.T, points[:1].T, points.T
            series[self.loss.dots[key]] = (np.arange(n), self._drawn(run.losses[:n] - self.floor))
            m = min(n, len(run.lrs))
            series[self.rate.dots[key]] = (np.arange(m), run.lrs[:m])
        return [[canvas.mark(a, *series[a]) for a in canvas.frame if a in series] for canvas in self.canvases]

    def clear(self, steps: int, marks=()) -> None:
        """No run at all (the controls form no valid schedule): empty views, the marks kept."""
        self.show_runs({key: None for key in self.colours}, steps, self.floor, marks)
        self.show_frame(0)
