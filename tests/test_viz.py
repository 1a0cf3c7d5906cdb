"""Specification of lrlab.viz: the plot helpers behind the chapters and the widgets.

Read top to bottom: the house rules every helper keeps (draws on the Axes it is given, or
on a new figure; returns its artists; leaves matplotlib's global state alone; is never
imported by ``import lrlab``), then each helper: schedules, contour maps, descent paths,
loss curves. Every figure a test opens is rendered before it is closed, so a warning
raised while drawing (log of zero, an empty legend...) fails the test as well.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")  # the tests' choice; lrlab.viz never picks a backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import QuadContourSet  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from numpy.testing import assert_array_equal  # noqa: E402

import lrlab  # noqa: E402
from lrlab import viz  # noqa: E402
from lrlab.optim import Trajectory  # noqa: E402


@pytest.fixture(autouse=True)
def render_then_close_figures():
    """Draw every figure a test left open (so drawing warnings fail it), then close them all."""
    yield
    for num in plt.get_fignums():
        plt.figure(num).canvas.draw()
    plt.close("all")


@pytest.fixture
def ax():
    return plt.subplots()[1]


def new_figure_made_by(call):
    """Run call(); check it opened exactly one new pyplot figure and return (result, that figure)."""
    before = set(plt.get_fignums())
    result = call()
    opened = set(plt.get_fignums()) - before
    assert len(opened) == 1
    return result, plt.figure(opened.pop())


def marker_lines(ax, marker):
    return [line for line in ax.lines if line.get_marker() == marker]


COSINE = lrlab.cosine(0.1, total_steps=100)
VALLEY = lrlab.elongated_valley(condition_number=10.0)
ROSENBROCK = lrlab.rosenbrock()


def valley_run(lr=1.0, steps=40):
    return lrlab.descend(VALLEY, lr, steps=steps)


def diverging_run():
    run = lrlab.descend(lrlab.quadratic_bowl(), 3.5, steps=30)
    assert run.diverged
    return run


# --------------------------------------------------------------------------- house rules


def run_python(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={"MPLBACKEND": "Agg", "PATH": ""},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_importing_lrlab_does_not_import_matplotlib():
    run_python("""
        import sys
        import lrlab
        assert "matplotlib" not in sys.modules, "import lrlab loaded matplotlib"
    """)


def test_importing_and_using_viz_changes_no_rcparams_and_imports_pyplot_only_when_needed():
    run_python("""
        import sys
        import matplotlib
        before = dict(matplotlib.rcParams.copy())
        import lrlab
        from lrlab import viz
        assert "matplotlib.pyplot" not in sys.modules, "import lrlab.viz loaded pyplot"
        assert dict(matplotlib.rcParams.copy()) == before, "import lrlab.viz changed rcParams"
        run = lrlab.descend(lrlab.rosenbrock(), 1e-3, steps=50)
        viz.plot_schedule(lrlab.cosine(0.1, total_steps=10), 10)
        viz.plot_lrs(run)
        viz.contour(lrlab.rosenbrock())
        viz.plot_path(lrlab.rosenbrock(), run)
        viz.plot_losses(run, labels=["gd"])
        changed = {k for k, v in matplotlib.rcParams.items() if before.get(k) != v}
        assert not changed, f"the helpers changed rcParams {sorted(changed)}"
    """)


def test_the_helpers_change_no_rcparams_in_this_process(ax):
    before = matplotlib.rcParams.copy()
    run = valley_run()
    viz.plot_schedule(COSINE, 100, ax=ax)
    viz.plot_path(VALLEY, run, ax=plt.subplots()[1])
    viz.plot_losses([run, diverging_run()], ax=plt.subplots()[1], labels=["a", "b"])
    assert matplotlib.rcParams == before


HELPER_CALLS = {
    "plot_schedule": lambda **kw: viz.plot_schedule(COSINE, 100, **kw),
    "plot_lrs": lambda **kw: viz.plot_lrs(valley_run(), **kw),
    "contour": lambda **kw: viz.contour(VALLEY, resolution=50, **kw),
    "plot_path": lambda **kw: viz.plot_path(VALLEY, valley_run(), **kw).line,
    "plot_losses": lambda **kw: viz.plot_losses(valley_run(), **kw)[0],
}
every_helper = pytest.mark.parametrize("call", HELPER_CALLS.values(), ids=HELPER_CALLS.keys())


@every_helper
def test_with_ax_none_a_helper_draws_on_a_new_figure(call):
    artist, fig = new_figure_made_by(call)
    assert artist.axes.figure is fig
    assert fig.axes == [artist.axes]


@every_helper
def test_with_an_ax_a_helper_draws_there_and_opens_no_figure(call, ax):
    before = plt.get_fignums()
    artist = call(ax=ax)
    assert artist.axes is ax
    assert plt.get_fignums() == before


@every_helper
def test_an_ax_that_is_not_an_axes_is_refused(call):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        call(ax="left")


def test_helpers_draw_on_a_figure_made_without_pyplot():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    paths = viz.plot_path(ROSENBROCK, lrlab.descend(ROSENBROCK, 1e-3, steps=20), ax=ax)
    ax.figure.canvas.draw()
    assert paths.line.axes is ax


# --------------------------------------------------------------------------- plot_schedule


def test_plot_schedule_draws_lr_against_the_step(ax):
    line = viz.plot_schedule(COSINE, 120, ax=ax)
    assert isinstance(line, Line2D) and line in ax.lines
    t = np.arange(120)
    assert_array_equal(line.get_xdata(), t)
    assert_array_equal(line.get_ydata(), COSINE(t))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("step t", "learning rate")


def test_plot_schedule_labels_the_line_with_the_schedule_repr_unless_told(ax):
    assert viz.plot_schedule(COSINE, 10, ax=ax).get_label() == repr(COSINE)
    assert viz.plot_schedule(COSINE, 10, ax=ax, label="cosine").get_label() == "cosine"
    assert ax.get_legend() is None  # the caller asks for a legend once all lines are drawn


LONG_SCHEDULES = [
    lrlab.one_cycle(0.1, total_steps=1000),
    lrlab.linear_warmup(lrlab.cosine(0.1, total_steps=90), warmup_steps=10),
    lrlab.sequential([lrlab.constant(0.1), lrlab.cosine(0.1, 50), lrlab.exponential(0.01, 0.9)], [10, 60]),
    lrlab.cyclic(1e-4, 1e-2, step_size_up=200, step_size_down=100, mode="exp_range", gamma=0.999),
    lrlab.wsd(0.1, total_steps=1000, warmup_steps=100, decay_steps=200, lr_min=1e-4, decay="1-sqrt"),
]


@pytest.mark.parametrize("schedule", LONG_SCHEDULES, ids=lambda s: s.name)
def test_long_reprs_are_shortened_to_a_readable_label(schedule, ax):
    label = viz.plot_schedule(schedule, 10, ax=ax).get_label()
    assert len(repr(schedule)) > viz.LABEL_WIDTH >= len(label)
    assert label.startswith(f"{schedule.name}(") and label.endswith(")")
    assert "…" in label


def test_a_nested_schedule_shows_by_name_in_the_label(ax):
    label = viz.plot_schedule(LONG_SCHEDULES[1], 10, ax=ax).get_label()
    assert label.startswith("linear_warmup(schedule=cosine(…), warmup_steps=10")


def test_plot_schedule_accepts_a_number_as_a_constant_rate(ax):
    line = viz.plot_schedule(0.05, 5, ax=ax)
    assert_array_equal(line.get_ydata(), [0.05] * 5)
    assert line.get_label() == "constant(lr0=0.05)"


def test_plot_schedule_accepts_an_array_of_rates(ax):
    rates = np.array([0.1, 0.1, 0.05, 0.025])
    line = viz.plot_schedule(rates, ax=ax)
    assert_array_equal(line.get_xdata(), np.arange(4))
    assert_array_equal(line.get_ydata(), rates)
    assert line.get_label().startswith("_")  # no label: stays out of a legend
    assert_array_equal(viz.plot_schedule([1, 2], 2, ax=ax).get_ydata(), [1.0, 2.0])


def test_plot_schedule_passes_line_keywords(ax):
    line = viz.plot_schedule(COSINE, 10, ax=ax, color="red", lw=3, drawstyle="steps-post")
    assert (line.get_color(), line.get_linewidth(), line.get_drawstyle()) == ("red", 3, "steps-post")


def test_plot_schedule_refuses_reduce_on_plateau_and_says_what_to_do_instead(ax):
    with pytest.raises(TypeError, match="no closed form.*plot_lrs"):
        viz.plot_schedule(lrlab.ReduceOnPlateau(0.1), 100, ax=ax)


@pytest.mark.parametrize(
    ("schedule", "steps", "error", "match"),
    [
        (COSINE, None, TypeError, "steps is required"),
        (COSINE, 0, ValueError, "steps must be positive"),
        (COSINE, 2.5, TypeError, "steps must be an integer"),
        (np.ones((3, 2)), None, ValueError, "must be 1-D"),
        (np.ones(0), None, ValueError, "not empty"),
        (np.ones(3), 4, ValueError, "does not match the 3 rates"),
        ("cosine", 10, TypeError, "lrlab schedule, a positive number or a 1-D array"),
        (-0.1, 10, ValueError, "must be positive"),
    ],
)
def test_plot_schedule_bad_arguments(schedule, steps, error, match, ax):
    with pytest.raises(error, match=match):
        viz.plot_schedule(schedule, steps, ax=ax)


def test_plot_lrs_draws_the_rates_a_run_used(ax):
    run = lrlab.descend(VALLEY, lrlab.ReduceOnPlateau(1.99, factor=0.5, patience=2), steps=80)
    line = viz.plot_lrs(run, ax=ax, label="plateau")
    assert_array_equal(line.get_ydata(), run.lrs)
    assert_array_equal(line.get_xdata(), np.arange(run.stopped_at))
    assert line.get_label() == "plateau"


def test_plot_lrs_wants_a_single_run(ax):
    batch = lrlab.descend(VALLEY, [0.5, 1.0], steps=5)
    with pytest.raises(ValueError, match=r"plot_schedule\(run.lrs\[:, i\]\)"):
        viz.plot_lrs(batch, ax=ax)
    with pytest.raises(TypeError, match="Trajectory"):
        viz.plot_lrs(np.ones(5), ax=ax)


# --------------------------------------------------------------------------- contour


SURFACES = {
    "bowl": lrlab.quadratic_bowl(),
    "valley": VALLEY,
    "rotated valley": lrlab.elongated_valley(condition_number=10.0, max_curvature=2.0, rotation_deg=30.0),
    "rosenbrock": ROSENBROCK,
    "rosenbrock a=-2 b=10": lrlab.rosenbrock(a=-2.0, b=10.0),
    "noisy": lrlab.noisy_quadratic(),
}
every_surface = pytest.mark.parametrize("surface", SURFACES.values(), ids=SURFACES.keys())


def heights(cs, surface):
    return np.asarray(cs.levels) - surface.value(surface.minimum)


def is_log_spaced(levels):
    return np.allclose(np.diff(np.log(levels)), np.log(levels[1] / levels[0]))


def is_evenly_spaced(levels):
    return np.allclose(np.diff(levels), levels[1] - levels[0])


@every_surface
def test_contour_draws_the_surface_over_its_bounds(surface, ax):
    cs = viz.contour(surface, ax=ax, levels=12, resolution=80)
    assert isinstance(cs, QuadContourSet) and cs.axes is ax
    assert len(cs.levels) == 12 and np.all(np.diff(cs.levels) > 0)
    (x0, x1), (y0, y1) = surface.bounds
    assert ax.get_xlim() == (x0, x1) and ax.get_ylim() == (y0, y1)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "y", surface.name)
    # every level lies strictly between the lowest and highest values on the map
    (xs, ys) = np.meshgrid(np.linspace(x0, x1, 80), np.linspace(y0, y1, 80))
    values = surface.value(np.stack([xs, ys], axis=-1))
    assert values.min() < cs.levels[0] and cs.levels[-1] < values.max()


@every_surface
def test_contour_stars_the_minimum(surface, ax):
    viz.contour(surface, ax=ax, resolution=40)
    (star,) = marker_lines(ax, "*")
    assert_array_equal(np.column_stack(star.get_data()), [surface.minimum])
    assert star.get_label() == "minimum"


def test_contour_levels_are_log_spaced_for_rosenbrock_and_even_for_quadratics(ax):
    for name, surface in SURFACES.items():
        cs = viz.contour(surface, ax=plt.subplots()[1])
        steep = name.startswith("rosenbrock")
        assert is_log_spaced(heights(cs, surface)) is steep, name
        assert is_evenly_spaced(heights(cs, surface)) is not steep, name


def test_a_steep_rotated_valley_gets_log_levels_too(ax):
    steep = lrlab.elongated_valley(condition_number=1000.0, rotation_deg=45.0)
    assert is_log_spaced(heights(viz.contour(steep, ax=ax), steep))


def test_log_levels_span_several_decades_above_the_minimum(ax):
    h = heights(viz.contour(ROSENBROCK, ax=ax), ROSENBROCK)
    assert h[0] > 0 and h[-1] / h[0] > 1e4


@pytest.mark.parametrize("log", [True, False])
def test_log_can_be_forced_either_way(log, ax):
    for surface in (ROSENBROCK, VALLEY):
        h = heights(viz.contour(surface, ax=plt.subplots()[1], levels=10, log=log), surface)
        assert (is_log_spaced(h), is_evenly_spaced(h)) == (log, not log)


def test_explicit_levels_are_drawn_as_given(ax):
    cs = viz.contour(ROSENBROCK, ax=ax, levels=[1.0, 10.0, 100.0])
    assert_array_equal(cs.levels, [1.0, 10.0, 100.0])
    with pytest.raises(ValueError, match="log applies to a number of levels"):
        viz.contour(ROSENBROCK, ax=ax, levels=[1.0, 10.0], log=True)


def test_log_levels_use_the_whole_colour_map(ax):
    cs = viz.contour(ROSENBROCK, ax=ax, levels=20)
    colors = cs.get_edgecolor()
    assert_array_equal(colors[0], cs.cmap(0))
    assert_array_equal(colors[-1], cs.cmap(cs.cmap.N - 1))
    ax.figure.colorbar(cs)


def test_contour_evaluates_the_surface_once_on_the_whole_grid(ax):
    calls = []

    class Spy:
        name, minimum, bounds = "spy", np.zeros(2), ((-1.0, 1.0), (-2.0, 2.0))

        def value(self, p):
            calls.append(np.shape(p))
            return np.sum(np.asarray(p) ** 2, axis=-1)

    viz.contour(Spy(), ax=ax, resolution=30)
    assert (30, 30, 2) in calls and len(calls) <= 2  # the grid, and the value at the minimum


def test_contour_uses_equal_aspect_unless_the_box_is_very_elongated(ax):
    viz.contour(VALLEY, ax=ax, resolution=20)
    assert ax.get_aspect() == 1.0

    class Stretched:
        name, minimum, bounds = "stretched", np.zeros(2), ((-10.0, 10.0), (-1.0, 1.0))

        def value(self, p):
            return np.sum(np.asarray(p) ** 2, axis=-1)

    other = plt.subplots()[1]
    viz.contour(Stretched(), ax=other, resolution=20)
    assert other.get_aspect() == "auto"


@pytest.mark.parametrize(("kwargs", "error"), [({"resolution": 1}, ValueError), ({"levels": 0}, ValueError),
                                               ({"resolution": 20.0}, TypeError)])
def test_contour_bad_arguments(kwargs, error, ax):
    with pytest.raises(error):
        viz.contour(VALLEY, ax=ax, **kwargs)


# --------------------------------------------------------------------------- plot_path


def test_plot_path_draws_the_run_on_the_contour_map(ax):
    run = valley_run(lr=1.8)
    paths = viz.plot_path(VALLEY, run, ax=ax, label="lr 1.8")
    assert isinstance(paths, viz.PathArtists)
    assert_array_equal(np.column_stack(paths.line.get_data()), run.points)
    assert_array_equal(np.column_stack(paths.start.get_data()), run.points[:1])
    assert_array_equal(np.column_stack(paths.end.get_data()), run.points[-1:])
    assert isinstance(paths.contour, QuadContourSet) and paths.contour.axes is ax
    assert paths.line.get_label() == "lr 1.8"
    assert paths.start.get_color() == paths.end.get_color() == paths.line.get_color()
    assert len(marker_lines(ax, "*")) == 1  # the minimum, from the contour map


def test_plot_path_without_contours_adds_only_the_path(ax):
    viz.contour(VALLEY, ax=ax)
    n_collections = len(ax.collections)
    paths = viz.plot_path(VALLEY, valley_run(), ax=ax, contours=False)
    assert paths.contour is None
    assert len(ax.collections) == n_collections
    assert len(marker_lines(ax, "*")) == 1


def test_plot_path_accepts_points_and_drops_trailing_nan_padding(ax):
    batch = lrlab.descend(lrlab.quadratic_bowl(), [0.5, 3.5], steps=30)
    assert batch.diverged.tolist() == [False, True]
    column = batch.points[:, 1]  # the diverged run, padded with NaN after it stopped
    paths = viz.plot_path(lrlab.quadratic_bowl(), column, ax=ax, contours=False)
    k = batch.stopped_at[1]
    assert_array_equal(np.column_stack(paths.line.get_data()), column[: k + 1])
    assert_array_equal(np.column_stack(paths.end.get_data()), column[k : k + 1])


def test_the_path_line_is_updatable_in_place(ax):
    run = valley_run(steps=30)
    paths = viz.plot_path(VALLEY, run.points[:1], ax=ax)
    n_artists = len(ax.get_children())
    for k in (5, 30):  # an animation: show the first k steps
        assert paths.update(run.points[: k + 1]) is paths
        assert_array_equal(np.column_stack(paths.line.get_data()), run.points[: k + 1])
        assert_array_equal(np.column_stack(paths.end.get_data()), run.points[k : k + 1])
        assert_array_equal(np.column_stack(paths.start.get_data()), run.points[:1])
    paths.line.set_data([0.0, 1.0], [0.0, 1.0])
    ax.figure.canvas.draw()
    assert len(ax.get_children()) == n_artists


def test_plot_path_style_keywords_reach_the_line_and_aliases_work(ax):
    paths = viz.plot_path(VALLEY, valley_run(), ax=ax, contours=False, ms=9, c="k", marker="s")
    line = paths.line
    assert (line.get_markersize(), line.get_color(), line.get_marker()) == (9, "k", "s")
    assert paths.end.get_color() == "k"


def test_plot_path_wants_a_single_run(ax):
    batch = lrlab.descend(VALLEY, 1.0, start=[[1.0, 1.0], [-1.0, 2.0]], steps=5)
    with pytest.raises(ValueError, match=r"run.points\[:, i\]"):
        viz.plot_path(VALLEY, batch, ax=ax)
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        viz.plot_path(VALLEY, np.zeros((4, 3)), ax=ax)
    with pytest.raises(ValueError, match="no finite point"):
        viz.plot_path(VALLEY, np.full((3, 2), np.nan), ax=ax)
    with pytest.raises(TypeError, match="Trajectory or an array of points"):
        viz.plot_path(VALLEY, "path", ax=ax)


# --------------------------------------------------------------------------- plot_losses


def test_plot_losses_draws_the_loss_against_the_step_on_a_log_axis(ax):
    run = valley_run()
    (line,) = viz.plot_losses(run, ax=ax)
    assert_array_equal(line.get_xdata(), np.arange(len(run.losses)))
    assert_array_equal(line.get_ydata(), run.losses)
    assert ax.get_yscale() == "log"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("step t", "loss")
    assert ax.get_legend() is None


def test_plot_losses_can_use_a_linear_axis(ax):
    viz.plot_losses(valley_run(), ax=ax, log=False)
    assert ax.get_yscale() == "linear"


def test_several_runs_give_one_line_each_and_labels_give_a_legend(ax):
    runs = [valley_run(lr) for lr in (0.5, 1.0, 1.9)]
    lines = viz.plot_losses(runs, ax=ax, labels=["0.5", "1.0", "1.9"])
    for line, run in zip(lines, runs):
        assert_array_equal(line.get_ydata(), run.losses)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0.5", "1.0", "1.9"]


def test_a_batched_run_gives_one_line_per_run_up_to_where_it_stopped(ax):
    batch = lrlab.descend(lrlab.quadratic_bowl(), [0.5, 3.5, 1.5], steps=30)
    lines = viz.plot_losses(batch, ax=ax)
    assert len(lines) == 3
    for i, line in enumerate(lines):
        assert_array_equal(line.get_ydata(), batch.losses[: batch.stopped_at[i] + 1, i])


def test_a_diverged_run_ends_in_an_x(ax):
    run, calm = diverging_run(), valley_run()
    lines = viz.plot_losses([calm, run], ax=ax)
    (x,) = marker_lines(ax, "x")
    assert_array_equal(np.column_stack(x.get_data()), [[run.stopped_at, run.losses[-1]]])
    assert x.get_color() == lines[1].get_color()
    assert not x.get_label() or x.get_label().startswith("_")  # stays out of legends


def test_a_diverged_run_with_a_non_finite_end_stops_and_is_marked_at_its_last_finite_loss(ax):
    losses = np.array([4.0, 9.0, 81.0, np.inf])
    run = Trajectory(np.zeros((4, 2)), losses, np.ones(3), np.ones(3), True, 3, "gd", 10)
    (line,) = viz.plot_losses(run, ax=ax)
    assert_array_equal(line.get_ydata(), [4.0, 9.0, 81.0])
    (x,) = marker_lines(ax, "x")
    assert_array_equal(np.column_stack(x.get_data()), [[2, 81.0]])


def test_a_loss_of_exactly_zero_is_kept_and_raises_no_warning(ax):
    run = lrlab.descend(lrlab.quadratic_bowl(), 1.0, steps=5)  # lr = 1/h: the minimum in one step
    assert run.losses[1] == 0.0
    (line,) = viz.plot_losses(run, ax=ax)
    assert_array_equal(line.get_ydata(), run.losses)
    ax.figure.canvas.draw()
    assert ax.get_yscale() == "log" and np.all(np.isfinite(ax.get_ylim()))


def test_all_zero_losses_stay_on_a_linear_axis(ax):
    viz.plot_losses(np.zeros(5), ax=ax)
    assert ax.get_yscale() == "linear"


def test_plot_losses_accepts_arrays(ax):
    table = np.array([[4.0, 3.0], [2.0, 1.0], [1.0, np.nan]])  # (steps + 1, runs), NaN-padded
    lines = viz.plot_losses(table, ax=ax)
    assert [line.get_ydata().tolist() for line in lines] == [[4.0, 2.0, 1.0], [3.0, 1.0]]
    ragged = viz.plot_losses([[5.0, 4.0, 3.0], np.array([2.0, 1.0])], ax=ax)  # a list holds runs
    assert [line.get_ydata().tolist() for line in ragged] == [[5.0, 4.0, 3.0], [2.0, 1.0]]
    (single,) = viz.plot_losses([3.0, 2.0, 1.0], ax=ax)
    assert single.get_ydata().tolist() == [3.0, 2.0, 1.0]
    assert not marker_lines(ax, "x")  # arrays carry no divergence flag


def test_plot_losses_passes_line_keywords(ax):
    lines = viz.plot_losses([valley_run(), valley_run(0.5)], ax=ax, alpha=0.5, lw=2)
    assert all(line.get_alpha() == 0.5 and line.get_linewidth() == 2 for line in lines)


def test_plot_losses_bad_arguments(ax):
    with pytest.raises(ValueError, match="one label per run: 2 runs, 1 labels"):
        viz.plot_losses([valley_run(), valley_run(0.5)], ax=ax, labels=["a"])
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        viz.plot_losses(np.ones((2, 2, 2)), ax=ax)
    with pytest.raises(TypeError, match="Trajectory, a list of them, or an array"):
        viz.plot_losses("loss", ax=ax)
