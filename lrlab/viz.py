"""Plot helpers for the course: schedules, loss landscapes, descent paths and loss curves.

House rules, the same for every helper:

- ``ax``: pass the Axes to draw on. With ``ax=None`` the helper makes a new figure with
  ``matplotlib.pyplot.subplots()``, so that in a notebook the figure shows inline like any
  other pyplot figure (close it with ``plt.close(ax.figure)`` when done). To stay off
  pyplot entirely, pass ``ax=matplotlib.figure.Figure().subplots()``.
- Each helper returns what it drew (a ``Line2D``, a list of them, a ``QuadContourSet`` or a
  :class:`PathArtists`), so that a widget can update the artists later with ``set_data``
  instead of drawing the figure again.
- No global state: nothing here changes ``matplotlib.rcParams``, calls ``plt.style.use``
  or picks a backend, at import or at call. Style one plot with the keyword arguments,
  all of them with your own ``rcParams`` or style context.
- ``lrlab`` itself never imports this module (``import lrlab`` loads NumPy only); matplotlib
  is loaded when you ``import lrlab.viz``.

>>> import lrlab
>>> from lrlab import viz
>>> from matplotlib.figure import Figure
>>> ax = Figure().subplots()
>>> line = viz.plot_schedule(lrlab.cosine(0.1, total_steps=100), 100, ax=ax)
>>> line.get_label(), len(line.get_xdata())
('cosine(lr0=0.1, total_steps=100, lr_min=0.0)', 100)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib import cbook
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D

from . import _validate as check
from .optim import Trajectory
from .plateau import is_plateau
from .schedules import Schedule, as_schedule

__all__ = ["short_label", "PathArtists", "plot_schedule", "plot_lrs", "contour", "plot_path", "plot_losses"]

#: Default legend labels of schedules are cut to about this many characters.
LABEL_WIDTH = 60
#: ``contour(log=None)`` picks log-spaced levels when the highest point of the map is more
#: than LOG_SPAN times higher (above the minimum) than the map's lowest tenth.
LOG_SPAN = 100.0
#: Log-spaced levels reach down to this fraction of the highest height above the minimum
#: (or to the lowest 0.1% of the map, if that is higher).
LOG_DEPTH = 1e-5
#: Widest box (long side / short side) that ``contour`` still draws with equal aspect.
MAX_EQUAL_ASPECT = 3.0


# --------------------------------------------------------------------------- shared bits


def _axes(ax) -> Axes:
    """The Axes to draw on: ``ax`` itself, or a new pyplot figure's Axes when ``ax`` is None."""
    if ax is None:
        import matplotlib.pyplot as plt  # only here: pyplot is needed for inline display alone

        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {ax!r} ({type(ax).__name__})")
    return ax


def _style(defaults: dict, line_kw: dict) -> dict:
    """Line keyword arguments: the helper's defaults, overridden by the caller's (aliases such as ms allowed)."""
    return {**defaults, **cbook.normalize_kwargs(line_kw, Line2D)}


def _marker(ax: Axes, x, y, **kw) -> Line2D:
    """A single marker at (x, y), drawn above lines and contours."""
    (line,) = ax.plot([x], [y], linestyle="none", zorder=3, **kw)
    return line


def _label_xy(ax: Axes) -> None:
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def _brief(value) -> str:
    """A value as in a schedule's repr, but a nested schedule shows only its name."""
    if isinstance(value, Schedule):
        return f"{value.name}(…)"
    if isinstance(value, tuple):
        return "[" + ", ".join(_brief(v) for v in value) + "]"
    return repr(value)


def short_label(schedule: Schedule) -> str:
    """The schedule's repr if it is short; else as many leading arguments as fit, then '…'."""
    full = repr(schedule)
    if len(full) <= LABEL_WIDTH:
        return full
    name, shown = schedule.name, []
    for arg in (f"{key}={_brief(value)}" for key, value in schedule.params.items()):
        if len(name) + len(", ".join([*shown, arg, "…"])) + 2 > LABEL_WIDTH:
            return f"{name}({', '.join([*shown, '…'])})"
        shown.append(arg)
    return f"{name}({', '.join(shown)})"


# --------------------------------------------------------------------------- schedules


def _rates(schedule, steps):
    """(rates, default label) from a schedule or a number (needs steps) or a 1-D array of rates."""
    if is_plateau(schedule):
        raise TypeError(
            "plot_schedule cannot draw a ReduceOnPlateau: its rate depends on the losses it is fed, "
            "so it has no closed form. Run it, run = lrlab.descend(surface, plateau, steps=...), "
            "then draw the rates it used with plot_lrs(run)."
        )
    if isinstance(schedule, (Schedule, numbers.Real)) and not isinstance(schedule, (bool, np.bool_)):
        schedule = as_schedule(schedule)
        if steps is None:
            raise TypeError("steps is required to draw a schedule: the number of steps t = 0 .. steps-1 to show")
        steps = check.integer("steps", steps, 1)
        return schedule(np.arange(steps)), short_label(schedule)
    rates = np.asarray(schedule)
    if rates.dtype.kind not in "iuf":
        raise TypeError(
            "schedule must be an lrlab schedule, a positive number or a 1-D array of rates, "
            f"got {schedule!r:.80} ({type(schedule).__name__})"
        )
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"an array of rates must be 1-D and not empty, got shape {rates.shape}")
    if steps is not None and check.integer("steps", steps, 1) != rates.size:
        raise ValueError(f"steps={steps!r} does not match the {rates.size} rates given; leave steps out")
    return rates.astype(np.float64), None


def plot_schedule(schedule, steps=None, ax=None, label=None, **line_kw) -> Line2D:
    """Draw a learning-rate schedule: lr against the step t = 0 .. steps-1.

    schedule  an lrlab schedule (or a positive number, a constant rate), drawn for ``steps``
              steps; or a 1-D array of rates, one per step (``steps`` then defaults to its
              length). A ReduceOnPlateau raises TypeError: it has no closed form, so run it
              with ``descend`` and draw ``plot_lrs(run)``.
    label     the legend label; by default the schedule's repr (shortened to about
              LABEL_WIDTH characters), none for an array. No legend is drawn: call
              ``ax.legend()`` once the schedules to compare are on the axes.
    line_kw   passed to ``ax.plot`` (e.g. ``drawstyle="steps-post"`` to show that the rate
              of step t holds until step t+1).

    Returns the Line2D; its data are (t, lr(t)).
    """
    rates, default_label = _rates(schedule, steps)
    ax = _axes(ax)
    (line,) = ax.plot(np.arange(rates.size), rates, label=default_label if label is None else label, **line_kw)
    ax.set_xlabel("step t")
    ax.set_ylabel("learning rate")
    return line


def plot_lrs(trajectory, ax=None, label=None, **line_kw) -> Line2D:
    """Draw the rates a single descent run used (``trajectory.lrs``), e.g. a ReduceOnPlateau's.

    For a batched run, draw one run with ``plot_schedule(run.lrs[:, i])``.
    Returns the Line2D, as :func:`plot_schedule` does.
    """
    if not isinstance(trajectory, Trajectory):
        raise TypeError(f"trajectory must be a Trajectory from lrlab.descend, got {type(trajectory).__name__}")
    if trajectory.batched:
        raise ValueError("plot_lrs draws a single run; for run i of a batch use plot_schedule(run.lrs[:, i])")
    return plot_schedule(trajectory.lrs, ax=ax, label=label, **line_kw)


# --------------------------------------------------------------------------- landscapes


def _grid(surface, resolution: int):
    """X, Y (resolution × resolution) over ``surface.bounds`` and the surface's value there, in one call."""
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return xs, ys, surface.value(np.stack([xs, ys], axis=-1))


def _auto_levels(heights: np.ndarray, n: int, log) -> np.ndarray:
    """n contour heights above the minimum: evenly spaced, or log-spaced for steep maps.

    ``log=None`` decides from the data: log-spaced when the highest point is more than
    LOG_SPAN (two decades) above the 10th percentile of the heights. (The lowest grid point
    is close to the minimum on every surface, so the max/min ratio itself says nothing.)
    """
    heights = heights[np.isfinite(heights)]
    top = float(heights.max())
    if log is None:
        log = top > LOG_SPAN * float(np.quantile(heights, 0.1))
    if log:
        low = max(float(np.quantile(heights, 0.001)), top * LOG_DEPTH)  # a level above the grid's lowest point
        return np.geomspace(low, top, n + 1)[:-1]
    return np.linspace(0.0, top, n + 2)[1:-1]


def contour(surface, ax=None, levels=30, resolution=200, log=None) -> QuadContourSet:
    """Draw a surface's contour map over ``surface.bounds``, with its minimum starred.

    levels      the number of contour lines, or a sequence of loss values to draw as given,
    resolution  grid points per side (the surface is evaluated once, vectorized),
    log         True for log-spaced levels (steep maps such as Rosenbrock), False for evenly
                spaced ones, None to decide from the map (log when the heights above the
                minimum span more than two decades, see LOG_SPAN); only with a number of levels.

    Lines are coloured by their rank, so log-spaced levels use the whole colour map (and
    ``fig.colorbar(cs)`` shows one step per level). Also sets the limits to the bounds,
    equal aspect unless the box is very elongated, labels "x", "y" and the surface's name as
    title, and stars the minimum (a Line2D labelled "minimum"). Draw it once and reuse the
    axes: :func:`plot_path` with ``contours=False`` adds paths on top.

    Returns the QuadContourSet (its ``levels`` are the values drawn).
    """
    surface = check.surface("surface", surface, ("value", "minimum", "bounds", "name"))
    resolution = check.steps_count("resolution", resolution, 2, 2000,
                                   "the surface is evaluated on resolution² points; 2000² is already slow")
    xs, ys, values = _grid(surface, resolution)
    bottom = float(surface.value(surface.minimum))
    if isinstance(levels, (numbers.Integral, np.integer)) and not isinstance(levels, bool):
        n = check.integer("levels", levels, 1)
        values_at = bottom + _auto_levels(values - bottom, n, log)
    else:
        if log is not None:
            raise ValueError("log applies to a number of levels; with explicit levels leave log=None")
        values_at = np.asarray(levels, dtype=np.float64)
    cmap = matplotlib.colormaps[matplotlib.rcParams["image.cmap"]]
    norm = mcolors.BoundaryNorm(values_at, cmap.N) if values_at.size > 1 else None
    ax = _axes(ax)
    cs = ax.contour(xs, ys, values, levels=values_at, cmap=cmap, norm=norm, linewidths=0.8)
    _marker(ax, *surface.minimum, marker="*", markersize=15, color="gold", markeredgecolor="black", label="minimum")
    (x0, x1), (y0, y1) = surface.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    if max(x1 - x0, y1 - y0) <= MAX_EQUAL_ASPECT * min(x1 - x0, y1 - y0):
        ax.set_aspect("equal")
    _label_xy(ax)
    ax.set_title(surface.name)
    return cs


# --------------------------------------------------------------------------- paths


def _path_points(path) -> np.ndarray:
    """The (k, 2) points of one path, without the trailing non-finite rows (NaN padding or a blown-up end)."""
    if isinstance(path, Trajectory):
        points = path.points
    else:
        try:
            points = np.asarray(path, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"the path must be a Trajectory or an array of points (k, 2), got {path!r:.80}") from None
    if points.ndim == 3:
        raise ValueError(
            "plot_path draws a single run; for run i of a batch pass run.points[:, i] "
            "(and contours=False after the first, to draw the map once)"
        )
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"the path must have shape (k, 2), got shape {points.shape}")
    finite = np.flatnonzero(np.isfinite(points).all(axis=1))
    if finite.size == 0:
        raise ValueError("the path has no finite point to draw")
    return points[: finite[-1] + 1]


@dataclass(eq=False)
class PathArtists:
    """What :func:`plot_path` drew: the path ``line``, the ``start`` and ``end`` markers and
    the ``contour`` set (None when the map was not drawn).

    To animate, call :meth:`update` with the points to show (say ``run.points[: k + 1]``)
    and then ``fig.canvas.draw_idle()``; nothing is drawn again but these artists.
    """

    line: Line2D
    start: Line2D
    end: Line2D
    contour: QuadContourSet | None = None

    def update(self, path) -> PathArtists:
        """Show another path (a Trajectory or points (k, 2)): moves the line and both markers; returns self."""
        points = _path_points(path)
        self.line.set_data(points[:, 0], points[:, 1])
        self.start.set_data(points[:1, 0], points[:1, 1])
        self.end.set_data(points[-1:, 0], points[-1:, 1])
        return self


def plot_path(surface, trajectory_or_points, ax=None, contours=True, label=None, **line_kw) -> PathArtists:
    """Draw one descent path on the surface's contour map, with start and end markers.

    trajectory_or_points  a single-run Trajectory or an array of points (k, 2). A batched
                          run is refused (draw run i with ``run.points[:, i]``); trailing
                          non-finite points (NaN padding, a blown-up last iterate) are left out.
    contours              draw :func:`contour` first (pass False to add a path to a map
                          already drawn: widgets draw the map once).
    label, line_kw        the path's legend label and ``ax.plot`` keywords.

    The start is a hollow circle and the end (the current point, in an animation) a filled
    one, both in the path's colour. The line is an ordinary Line2D: ``line.set_data(x, y)``
    moves it, and :meth:`PathArtists.update` moves it with its markers.

    Returns a :class:`PathArtists`.
    """
    surface = check.surface("surface", surface, ("value", "minimum", "bounds", "name"))
    points = _path_points(trajectory_or_points)
    ax = _axes(ax)
    cs = contour(surface, ax=ax) if contours else None
    kw = _style({"marker": ".", "markersize": 4, "linewidth": 1.2, "zorder": 2.5}, line_kw)
    (line,) = ax.plot(points[:, 0], points[:, 1], label=label, **kw)
    color = line.get_color()
    start = _marker(ax, *points[0], marker="o", markersize=7, markerfacecolor="white", color=color)
    end = _marker(ax, *points[-1], marker="o", markersize=7, color=color)
    _label_xy(ax)
    return PathArtists(line, start, end, cs)


# --------------------------------------------------------------------------- losses


def _loss_runs(data) -> list[tuple[np.ndarray, bool]]:
    """(losses, diverged) for every run in a Trajectory, a list of runs, or an array."""
    if isinstance(data, Trajectory):
        if not data.batched:
            return [(data.losses, bool(data.diverged))]
        return [
            (data.losses[: k + 1, i], bool(gone))
            for i, (k, gone) in enumerate(zip(data.stopped_at, data.diverged))
        ]
    if isinstance(data, (list, tuple)) and any(isinstance(d, Trajectory) or np.ndim(d) > 0 for d in data):
        return [run for item in data for run in _loss_runs(item)]
    try:
        losses = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"losses must be a Trajectory, a list of them, or an array of losses, got {data!r:.80}"
        ) from None
    if losses.ndim == 1:
        return [(losses, False)]
    if losses.ndim == 2:  # (steps + 1, runs), the layout of a batched Trajectory's losses
        return [(losses[:, i], False) for i in range(losses.shape[1])]
    raise ValueError(f"losses must be 1-D (one run) or 2-D (steps + 1, runs), got shape {losses.shape}")


def _labels(labels, n: int) -> list:
    if labels is None:
        return [None] * n
    labels = [labels] if isinstance(labels, str) else list(labels)
    if len(labels) != n:
        raise ValueError(f"labels must give one label per run: {n} runs, {len(labels)} labels")
    return labels


def plot_losses(trajectories_or_losses, ax=None, labels=None, log=True, **line_kw) -> list[Line2D]:
    """Draw the loss against the step t for one or several runs.

    trajectories_or_losses  a Trajectory (a batched one gives one line per run), a list of
                            Trajectories, or losses: a 1-D array (one run), a 2-D array
                            (steps + 1, runs) or a list of 1-D arrays of any lengths (a
                            list always holds runs, one per item),
    labels                  one legend label per run (a legend is drawn only when given),
    log                     a log loss axis (the default). A loss <= 0 (a run that reaches
                            the minimum exactly) is clipped, so its line dives off the
                            bottom of the axes, towards log 0 = -inf; the data keep the true
                            value. If no loss is positive the axis stays linear.

    Each line stops at the run's last finite loss. A run that diverged (known from a
    Trajectory only; arrays carry no such flag) ends in an 'x' in the line's colour.
    ``line_kw`` goes to every ``ax.plot``.

    Returns the list of loss Line2Ds, one per run, in order.
    """
    runs = _loss_runs(trajectories_or_losses)
    names = _labels(labels, len(runs))
    ax = _axes(ax)
    kw = _style({}, line_kw)
    lines = []
    for (losses, diverged), name in zip(runs, names):
        finite = np.flatnonzero(np.isfinite(losses))
        shown = losses[: finite[-1] + 1] if finite.size else losses[:0]
        (line,) = ax.plot(np.arange(shown.size), shown, label=name, **kw)
        if diverged and shown.size:
            x_kw = {"marker": "x", "markersize": 10, "markeredgewidth": 2, "label": "_diverged"}
            _marker(ax, shown.size - 1, shown[-1], color=line.get_color(), **x_kw)
        lines.append(line)
    if log and any(np.any(line.get_ydata() > 0) for line in lines):
        ax.set_yscale("log", nonpositive="clip")
    ax.set_xlabel("step t")
    ax.set_ylabel("loss")
    if labels is not None:
        ax.legend()
    return lines
