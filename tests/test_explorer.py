"""The explorer (lrlab.explorer), specified without a browser.

One dashboard: every schedule, problem and optimizer of lrlab; two runs, A and B, drawn in
two colours in three linked views (path on the contour map, loss, learning rate); Play and
a step slider; scenario buttons; a status line that reports, and never raises.
"""

import base64
import inspect
import warnings

import ipywidgets as W
import numpy as np
import pytest

import lrlab
from lrlab import catalog
from lrlab.explorer import COLOURS, explorer, method_names, problem_names, schedule_names, stability_limit

VALLEY = lrlab.elongated_valley(condition_number=10)


@pytest.fixture(scope="module")
def ex():
    """One explorer for the read-only checks (building one draws a contour map)."""
    return explorer()


def fresh(**kw):
    return explorer(presets={}, **kw)


# --- what it offers ---------------------------------------------------------------------------

def test_every_schedule_of_lrlab_is_in_the_menu():
    constructors = {name for name in lrlab.__all__
                    if inspect.isfunction(getattr(lrlab, name))
                    and inspect.signature(getattr(lrlab, name)).return_annotation in ("Schedule", lrlab.Schedule)}
    # linear_warmup is offered composed with cosine; sequential and as_schedule compose or convert
    expected = (constructors - {"linear_warmup", "sequential", "as_schedule"}) | {"warmup_cosine", "reduce_on_plateau"}
    assert {"chebyshev", "silver"} <= constructors  # the newer ones are there too
    assert set(schedule_names()) == expected


def test_every_problem_and_optimizer_is_offered(ex):
    surfaces = {"quadratic_bowl", "elongated_valley", "rosenbrock", "noisy_quadratic", "multi_basin"}
    assert set(problem_names()) == surfaces
    assert method_names() == list(lrlab.METHODS)
    assert [v for _, v in ex.problem_menu.options] == problem_names()
    assert list(ex.A.method_menu.options) == list(lrlab.METHODS) == list(ex.B.method_menu.options)
    assert [v for _, v in ex.B.schedule_menu.options] == ["none"] + schedule_names()


# --- run A: a schedule and exactly its parameters ----------------------------------------------

@pytest.mark.parametrize("name", schedule_names())
def test_switching_schedule_shows_exactly_its_parameters(name):
    ex = fresh()
    ex.set(a={"schedule": name})
    shown = ex.A.knob_box.children
    knobs = ex.A.knob_sets[name].widgets
    assert list(shown) == list(knobs.values())
    assert set(ex.A.values) == {"schedule", "method"} | set(knobs)
    for w in shown:  # every slider shows its value (a menu shows its choice)
        assert isinstance(w, W.Dropdown) or w.readout
    assert ex.A.error is None, f"{name}: its defaults must make a valid schedule, got {ex.A.error}"
    assert ex.A.run is not None and "A: loss" in ex.status.value


def test_parameter_names_are_lrlab_s_own():
    for name in ("cosine", "one_cycle", "wsd", "cyclic", "step_decay", "chebyshev", "silver"):
        ex_params = set(catalog.schedule_specs()[name].knobs)
        lrlab_params = set(inspect.signature(getattr(lrlab, name)).parameters)
        assert ex_params <= lrlab_params, f"{name}: {ex_params - lrlab_params} are not parameters of lrlab.{name}"


def test_the_run_is_lrlab_descend_of_the_schedule_the_sliders_give():
    ex = fresh()
    ex.set(problem="elongated_valley", condition_number=10.0, steps=80,
           a={"schedule": "step_decay", "method": "nesterov", "lr0": 0.1, "step_size": 20, "gamma": 0.5})
    assert ex.A.schedule == lrlab.step_decay(0.1, 20, 0.5)
    expected = lrlab.descend(VALLEY, lrlab.step_decay(0.1, 20, 0.5), steps=80, method="nesterov")
    np.testing.assert_array_equal(ex.A.run.points, expected.points)
    np.testing.assert_array_equal(ex.A.run.lrs, expected.lrs)


def test_both_runs_share_one_vectorized_descend_and_equal_lrlab_s_single_runs():
    ex = fresh(b={"schedule": "one_cycle"})
    ex.set(problem="rosenbrock", steps=300)  # both rerun, same optimizer: one batched descend
    for side in (ex.A, ex.B):
        alone = lrlab.descend(lrlab.rosenbrock(), side.schedule, steps=300)
        np.testing.assert_array_equal(side.run.points, alone.points)
        np.testing.assert_array_equal(side.run.lrs, alone.lrs)
        assert (side.run.diverged, side.run.stopped_at) == (alone.diverged, alone.stopped_at)


def test_on_the_noisy_problem_both_runs_see_the_same_gradient_noise():
    ex = fresh(problem="noisy_quadratic", a={"schedule": "constant", "lr0": 0.5})
    ex.freeze()
    np.testing.assert_array_equal(ex.A.run.points, ex.B.run.points)
    expected = lrlab.descend(lrlab.noisy_quadratic(noise_std=1.0), 0.5, steps=200, seed=0)
    np.testing.assert_array_equal(ex.A.run.points, expected.points)


def test_a_slider_change_reruns_only_that_run_and_redraws():
    ex = fresh(b={"schedule": "constant"})
    run_b, before = ex.B.run, tuple(c.png() for c in ex.views.canvases)
    ex.A.knob_sets["cosine"].widgets["lr0"].value = 0.3
    assert ex.A.run.lrs[0] == pytest.approx(0.3)
    assert ex.B.run is run_b  # B did not change: not recomputed
    after = tuple(c.png() for c in ex.views.canvases)
    assert all(a != b for a, b in zip(after, before))


# --- values round-trip ---------------------------------------------------------------------------

def test_values_survive_switching_schedule_away_and_back():
    ex = fresh()
    ex.set(a={"schedule": "one_cycle", "lr_max": 1.1, "pct_start": 0.4, "anneal": "linear", "three_phase": True})
    kept = ex.A.values
    ex.set(a={"schedule": "constant"})
    ex.set(a={"schedule": "one_cycle"})
    assert ex.A.values == kept


def test_values_survive_switching_problem_optimizer_and_steps_and_back():
    ex = fresh()
    ex.set(a={"schedule": "cosine", "lr0": 0.7, "total_steps": 60, "lr_min": 0.1})
    kept = ex.values
    ex.set(problem="rosenbrock")
    ex.set(a={"method": "adam"})
    ex.set(steps=333)
    ex.set(problem="elongated_valley", steps=100, a={"method": "gd"})
    now = ex.values
    assert now["a"].keys() == kept["a"].keys()
    for key, value in kept["a"].items():
        assert now["a"][key] == (value if isinstance(value, str) else pytest.approx(value, rel=1e-12)), key
    assert now == {**kept, "a": now["a"]}


def test_set_of_values_reproduces_the_dashboard():
    ex = fresh(problem="noisy_quadratic", noise_std=0.5, a={"schedule": "wsd", "method": "momentum"},
               b={"schedule": "cyclic", "method": "adam", "mode": "triangular2"})
    other = fresh()
    other.set(**ex.values)
    assert other.values == ex.values
    np.testing.assert_array_equal(other.B.run.points, ex.B.run.points)


def test_each_problem_brings_back_its_own_step_count():
    ex = fresh()
    assert ex.steps == 100  # the valley's default
    ex.set(problem="rosenbrock")
    assert ex.steps == catalog.problem_specs()["rosenbrock"].steps
    ex.set(steps=250)
    ex.set(problem="elongated_valley")
    assert ex.steps == 100
    ex.problem_menu.value = "rosenbrock"  # as the menu does it
    assert ex.steps == 250


# --- ranges follow the problem --------------------------------------------------------------------

def test_lr_ranges_and_defaults_scale_with_the_stability_limit():
    ex = fresh()
    ex.set(a={"schedule": "constant"})
    valley = ex.A.knob_sets["constant"].widgets["lr0"]
    lo_v, hi_v, value_v = 10**valley.min, 10**valley.max, valley.value
    ex.set(problem="rosenbrock")
    ratio = stability_limit(lrlab.rosenbrock(), "gd") / VALLEY.stability_limit
    assert 10**valley.min == pytest.approx(lo_v * ratio)
    assert 10**valley.max == pytest.approx(hi_v * ratio)
    assert valley.value == pytest.approx(value_v * ratio)
    assert 10**valley.max > stability_limit(lrlab.rosenbrock(), "gd")  # divergence is within reach


def test_step_parameters_scale_with_the_step_count():
    ex = fresh()
    ex.set(a={"schedule": "step_decay", "step_size": 25})
    w = ex.A.knob_sets["step_decay"].widgets["step_size"]
    ex.set(steps=200)
    assert (w.value, w.max) == (50, 200)
    ex.set(steps=100)
    assert (w.value, w.max) == (25, 100)


def test_the_stability_limits_are_right():
    bowl = lrlab.quadratic_bowl()
    for method in ("gd", "momentum", "nesterov"):
        limit = stability_limit(bowl, method)
        below = lrlab.descend(bowl, 0.99 * limit, steps=3000, method=method)
        above = lrlab.descend(bowl, 1.01 * limit, steps=3000, method=method)
        assert below.final_loss < bowl.value(bowl.start) and above.final_loss > bowl.value(bowl.start), method
    rosen = lrlab.rosenbrock()
    assert stability_limit(rosen, "gd") == pytest.approx(2 / rosen.eigenvalues(rosen.minimum)[-1])
    assert stability_limit(bowl, "adam") is None and stability_limit(bowl, "schedule_free") is None


def marks(ex):
    return [(round(line.get_ydata()[0], 12), text.get_text().strip()) for line, text in ex.lr_view.marks]


def test_the_stability_limit_of_each_optimizer_in_use_is_marked_on_the_lr_view():
    ex = fresh()
    assert marks(ex) == [(2.0, "2/L (stability limit)")]
    ex.set(b={"schedule": "constant", "method": "momentum"})
    assert marks(ex) == [(2.0, "2/L (stability limit)"), (3.8, "(2+2β)/L (stability limit)")]
    ex.set(problem="rosenbrock", a={"method": "adam"}, b={"schedule": "none"})
    assert marks(ex) == []
    ex.set(a={"method": "gd"})
    lam = lrlab.rosenbrock().eigenvalues((1.0, 1.0))[-1]
    assert marks(ex) == [(round(2 / lam, 12), "2/λmax at the minimum")]
    ex.set(a={"method": "schedule_free"})
    assert marks(ex) == [(round(2 / lam, 12), "2/λmax at the minimum (GD's limit)")]


def test_the_explorer_s_limits_are_the_chapters_panels_limits_on_quadratics():
    from lrlab.widgets import stability_mark

    for surface in (VALLEY, lrlab.quadratic_bowl(curvature=3.0), lrlab.noisy_quadratic()):
        for method in ("gd", "momentum", "nesterov"):
            assert stability_limit(surface, method) == pytest.approx(stability_mark(surface, method)[1])


def test_the_minimum_is_starred_on_the_map():
    ex = fresh()
    for problem in ("elongated_valley", "rosenbrock", "multi_basin"):
        ex.set(problem=problem)
        (star,) = [line for line in ex.map.ax.lines if line.get_label() == "minimum"]
        np.testing.assert_allclose(star.get_xydata()[0], ex.surface.minimum)


def test_a_problem_s_contour_map_is_drawn_once_and_kept():
    ex = fresh()
    valley_map = ex.map
    ex.set(problem="rosenbrock")
    assert ex.map is not valley_map
    ex.set(problem="elongated_valley")
    assert ex.map is valley_map
    ex.set(condition_number=30.0)  # another valley: another map
    assert ex.map is not valley_map and ex.surface.condition_number == pytest.approx(30.0)


# --- B: the comparison -----------------------------------------------------------------------------

def test_b_is_off_until_a_schedule_is_picked_then_drawn_in_the_second_colour():
    ex = fresh()
    assert ex.B.run is None and ex.B.knob_box.children == ()
    assert "B:" not in ex.status.value
    assert not any(a.get_visible() for a in ex.map.runs["B"])
    ex.B.schedule_menu.value = "constant"  # as the menu does it
    assert ex.B.run is not None and "B: loss" in ex.status.value
    path, _, _ = ex.map.runs["B"]
    loss, lr = ex.loss_view.lines["B"], ex.lr_view.lines["B"]
    assert path.get_visible() and {path.get_color(), loss.get_color(), lr.get_color()} == {COLOURS["B"]}
    assert {ex.map.runs["A"][0].get_color(), ex.loss_view.lines["A"].get_color()} == {COLOURS["A"]}
    np.testing.assert_array_equal(lr.get_ydata(), ex.B.run.lrs)
    ex.set(b={"schedule": "none"})
    assert ex.B.run is None and not path.get_visible() and "B:" not in ex.status.value


def test_b_has_its_own_schedule_optimizer_and_parameters():
    ex = fresh(a={"schedule": "cosine", "lr0": 1.0}, b={"schedule": "cosine", "method": "momentum", "lr0": 0.1})
    assert ex.A.values["lr0"] == pytest.approx(1.0) and ex.B.values["lr0"] == pytest.approx(0.1)
    assert ex.A.knob_sets["cosine"] is not ex.B.knob_sets["cosine"]
    assert ex.B.run.method == "momentum" and ex.A.run.method == "gd"


def test_b_from_a_freezes_run_a_to_compare_with_the_next_change():
    ex = fresh(a={"schedule": "wsd", "method": "nesterov", "decay": "cosine"})
    ex.copy_button.click()
    assert ex.B.values == ex.A.values
    np.testing.assert_array_equal(ex.B.run.points, ex.A.run.points)
    ex.set(a={"decay_steps": 50})
    assert ex.B.values["decay_steps"] != ex.A.values["decay_steps"]


# --- status: outcomes and impossible combinations ---------------------------------------------------

def test_a_diverging_run_is_reported_in_the_status_line():
    ex = fresh(a={"schedule": "constant", "lr0": 2.5})
    assert ex.A.run.diverged
    k = ex.A.run.stopped_at
    assert ex.status.value == f"step 100 of 100 · A: diverged at step {k}"
    ex.step_slider.value = k - 1
    assert ex.status.value.startswith(f"step {k - 1} of 100 · A: loss ")


@pytest.mark.parametrize("schedule, values, message", [
    ("cosine", {"lr0": 0.5, "lr_min": 0.8}, "lr_min must not exceed lr0"),
    ("multistep", {"milestone_1": 60, "milestone_2": 40}, "milestones"),
    ("wsd", {"warmup_steps": 50, "decay_steps": 80}, "warmup_steps + decay_steps must not exceed total_steps"),
    ("cyclic", {"lr_max": 0.1, "lr_min": 0.5}, "lr_min must not exceed lr_max"),
])
def test_an_impossible_combination_is_reported_not_raised(schedule, values, message):
    ex = fresh(b={"schedule": "constant"})
    ex.set(a={"schedule": schedule, **values})
    assert ex.A.run is None and message in ex.A.error
    assert ex.status.value.startswith(f"step 100 of 100 · A: not a valid schedule: ")
    assert message in ex.status.value and "B: loss" in ex.status.value  # B still runs
    assert not any(a.get_visible() for a in ex.map.runs["A"])  # and only B is drawn
    ex.show_frame(10)  # frames still work
    assert ex.status.value.startswith("step 10 of 100 · A: not a valid schedule")


def test_wrong_names_from_code_are_errors():
    ex = fresh()
    with pytest.raises(ValueError, match="unknown problem"):
        ex.set(problem="himmelblau")
    with pytest.raises(ValueError, match="unknown schedule"):
        ex.set(a={"schedule": "none"})  # A is always on
    with pytest.raises(ValueError, match=r"unknown parameters \['gamma'\] for cosine"):
        ex.set(a={"gamma": 0.5})
    with pytest.raises(ValueError, match="unknown parameters"):
        ex.set(noise_std=0.5)  # not a parameter of the valley
    with pytest.raises(ValueError, match="run B is off"):
        ex.set(b={"lr0": 0.5})
    before = ex.values
    with pytest.raises(ValueError, match="unknown parameters"):
        ex.set(problem="rosenbrock", a={"schedule": "wsd"}, condition_number=3.0)
    assert ex.values == before  # nothing moved


# --- Play, frames ------------------------------------------------------------------------------------

def test_play_and_the_step_slider_span_the_run_and_frames_move_only_the_markers():
    ex = fresh(b={"schedule": "constant"})
    assert (ex.play.min, ex.play.max, ex.step_slider.max, ex.step_slider.value) == (0, 100, 100, 100)
    assert (ex.player.link.source, ex.player.link.target) == ((ex.play, "value"), (ex.step_slider, "value"))
    run_a, run_b = ex.A.run, ex.B.run
    ex.step_slider.value = 7
    assert ex.frame == 7 and ex.A.run is run_a and ex.B.run is run_b
    for side in (ex.A, ex.B):
        path, _, point = ex.map.runs[side.key]
        assert len(path.get_xdata()) == 8
        np.testing.assert_array_equal(point.get_xydata()[0], side.run.points[7])
        np.testing.assert_array_equal(ex.loss_view.dots[side.key].get_xydata()[0], [7, side.run.losses[7]])
    assert ex.status.value.startswith("step 7 of 100 · A: loss ")


def test_a_new_step_count_resets_play_to_the_end():
    ex = fresh()
    ex.step_slider.value = 30
    ex.set(steps=150)
    assert (ex.play.max, ex.step_slider.max, ex.step_slider.value, ex.frame) == (150, 150, 150, 150)
    assert len(ex.A.run.lrs) == 150 and ex.status.value.startswith("step 150 of 150")


def test_a_frame_keeps_its_step_when_a_parameter_changes():
    ex = fresh()
    ex.step_slider.value = 40
    ex.set(a={"lr0": 0.9})
    assert ex.frame == 40 and ex.status.value.startswith("step 40 of 100")


# --- scenarios -------------------------------------------------------------------------------------

def test_scenario_buttons_set_everything_and_show_what_they_promise():
    ex = explorer()
    buttons = {b.description: b for b in ex.scenario_buttons}
    assert set(buttons) == set(catalog.scenarios())

    buttons["past the limit 2/L"].click()
    a, b = ex.A.run, ex.B.run
    assert a.losses[-1] > a.losses[0] > b.losses[-1]  # 2.1 > 2/L grows, 1.9 < 2/L converges

    buttons["noise floor: decay pays"].click()
    assert ex.problem == "noisy_quadratic" and ex.A.name == "step_decay" and ex.B.name == "constant"
    assert ex.A.run.final_loss < 0.1 * ex.B.run.final_loss

    buttons["warmup rescues a big lr"].click()
    assert not ex.A.run.diverged and ex.B.run.diverged

    buttons["Adam vs momentum, κ = 1000"].click()
    assert ex.surface.condition_number == pytest.approx(1000.0)
    assert ex.A.run.final_loss < 1e-3 * ex.B.run.final_loss

    buttons["Chebyshev vs the best constant"].click()
    assert ex.steps == 32 and ex.A.run.final_loss < 1e-6 * ex.B.run.final_loss


def test_a_scenario_puts_the_parameters_it_does_not_name_back_to_their_defaults():
    ex = explorer()
    ex.set(problem="noisy_quadratic", a={"schedule": "step_decay", "lr0": 0.8})
    ex.set(a={"gamma": 0.9})
    buttons = {b.description: b for b in ex.scenario_buttons}
    buttons["noise floor: decay pays"].click()  # names gamma
    assert ex.A.values["gamma"] == pytest.approx(0.3)
    ex.set(a={"schedule": "cosine", "lr_min": 0.2})
    buttons["warmup rescues a big lr"].click()  # its B is a cosine that does not name lr_min
    assert ex.B.values["lr_min"] == 0.0


# --- no warnings anywhere -------------------------------------------------------------------------

def test_every_schedule_optimizer_and_problem_runs_without_a_warning():
    ex = fresh()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for problem in problem_names():
            ex.set(problem=problem, steps=40)
            for name in schedule_names():
                ex.set(a={"schedule": name, "method": "gd"})
                ex.show_frame(ex.steps // 2)
            for method in method_names():
                ex.set(a={"schedule": "cosine", "method": method}, b={"schedule": "one_cycle", "method": method})
                assert ex.A.error is None and ex.B.error is None
                ex.set(a={"lr0": 1e9})  # clamped to the top of the range: past every limit
                assert ex.A.error is None
                ex.show_frame(3)
            ex.set(b={"schedule": "none"})


# --- display and the browser tests' hooks ----------------------------------------------------------

def test_it_displays_as_the_live_widget_with_a_still_picture_and_stable_text(ex):
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<Explorer: A cosine (gd) on elongated_valley, 100 steps>"
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_its_layout_is_what_the_browser_tests_drive(ex):
    """tests/browser finds a panel as a VBox holding images and sliders; the first parameter slider
    (in page order) is moved, which must change every view; the step slider is the one right after
    the Play widget; the status is the VBox's own Label."""
    def walk(w):
        yield w
        for child in getattr(w, "children", ()):
            yield from walk(child)

    everything = list(walk(ex.widget))
    assert isinstance(ex.widget, W.VBox)
    sliders = [w for w in everything if isinstance(w, (W.IntSlider, W.FloatSlider, W.FloatLogSlider))]
    assert sliders[0] is ex.A.knob_sets["cosine"].widgets["lr0"]
    (play_row,) = [w for w in everything if isinstance(w, W.HBox) and ex.play in w.children]
    assert play_row.children == (ex.play, ex.step_slider)
    assert [w for w in ex.widget.children if isinstance(w, W.Label)] == [ex.status]
    images = [w for w in everything if isinstance(w, W.Image)]
    assert images == [ex.strip.base]  # the data layers; the frames are drawn over them by the page
    assert ex.strip.widget.children == (ex.strip.base, ex.strip.frames) and ex.strip.frames.clock is ex.step_slider
    assert all(not s.continuous_update for s in sliders if s is not ex.step_slider)


def test_reduce_on_plateau_cuts_on_several_basins_whose_losses_are_negative():
    # PyTorch's relative test never counts a flat negative loss as flat: the explorer uses an
    # absolute threshold where f* < 0, so the plateau demo cuts there too, and says so.
    ex = fresh(problem="multi_basin", a={"schedule": "reduce_on_plateau"})
    assert ex.A.schedule.threshold_mode == "abs"
    assert ex.A.run.lrs[-1] < ex.A.run.lrs[0] / 10
    assert "threshold_mode='abs'" in ex.facts.value
    ex.set(problem="elongated_valley")
    assert ex.A.schedule.threshold_mode == "rel" and "threshold_mode" not in ex.facts.value
    # The same run as a fresh descend with the same ReduceOnPlateau.
    ex.set(problem="multi_basin")
    fresh_run = lrlab.descend(ex.surface, ex.A.schedule, steps=ex.steps, method="gd", momentum=0.9)
    np.testing.assert_array_equal(ex.A.run.points, fresh_run.points)


def test_a_loss_driven_to_subnormal_numbers_draws_without_a_warning():
    ex = fresh(problem="quadratic_bowl", a={"schedule": "constant", "lr0": 0.5}, steps=1000)
    low, high = ex.loss_view.ax.get_ylim()
    assert 1e-300 <= low < high
    ex.show_frame(900)


# --- the catalog: a schedule is one line ---------------------------------------------------------

def test_a_schedule_whose_parameters_have_known_names_needs_only_its_constructor():
    def my_schedule(lr0, total_steps, lr_min=0.0, flavour="plain"):
        return lrlab.cosine(lr0, total_steps, lr_min)

    spec = catalog.derived(my_schedule)
    assert list(spec.knobs) == ["lr0", "total_steps", "lr_min"]  # flavour keeps its default
    ctx = catalog.Context(lr=2.0, lr_top=3.0, steps=100, L=1.0, mu=0.1)
    values = {name: knob.param(ctx).initial() for name, knob in spec.knobs.items()}
    assert repr(spec.build(ctx, **values)) == repr(lrlab.cosine(1.2, 100, 0.0))
    assert "decay_steps" not in catalog.schedule_specs()["inverse_time"].knobs


def test_the_catalog_refuses_a_required_parameter_without_a_knob_and_a_knob_for_no_parameter():
    with pytest.raises(ValueError, match="no knob for its required parameter 'width'"):
        catalog.derived(lambda lr0, width: lrlab.constant(lr0))
    with pytest.raises(ValueError, match=r"has no parameters \['gama'\]"):
        catalog.derived(lrlab.step_decay, gama=catalog.fixed(0.5, 0.1, 1.0))


def test_the_lr_scale_reaches_past_every_stability_limit():
    from lrlab import stability

    for surface in (VALLEY, lrlab.rosenbrock(), lrlab.multi_basin()):
        for method in lrlab.METHODS:
            scale, top = stability.lr_scale(surface, method, catalog.RATE_RANGE[1])
            limit = stability.stability_limit(surface, method)
            assert 0 < scale < top and (limit is None or top >= 1.2 * limit)
    assert stability.limit_line(VALLEY, "adam") is None


def test_the_projector_button_draws_every_view_again_larger_and_keeps_the_runs():
    ex = fresh(b={"schedule": "constant"})
    small = ex.map.canvas.get_width_height()
    run_a, status = ex.A.run, ex.status.value
    ex.projector_button.value = True
    big = ex.map.canvas.get_width_height()
    assert big[0] >= 2 * small[0] and ex.views_box.children == (ex.strip.widget,)
    assert ex.strip.widget.layout.max_width == "1296px"  # 1.5 times 864
    np.testing.assert_array_equal(ex.A.run.points, run_a.points)
    assert ex.status.value == status
    ex.set(problem="rosenbrock")  # maps built afterwards are projector maps too
    assert ex.map.canvas.get_width_height() == ex.loss_view.canvas.get_width_height() == big
    ex.projector_button.value = False
    assert ex.map.canvas.get_width_height() == small


def page_alpha(marks, k, width, height):
    """The alpha of what lrlab.frames' draw() paints at step k, emulated with Agg in the layer's pixels:
    each trail as strokes joined where a segment starts at the previous end, each marker a disc."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    def colour(css):
        r, g, b, a = (float(v) for v in css[5:-1].split(","))
        return to_rgba((r / 255, g / 255, b / 255), a)

    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    fig.patch.set_alpha(0)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    points = 72 / 100  # pixels to points at dpi 100
    for m in marks:
        clip = Rectangle(m["clip"][:2], m["clip"][2], m["clip"][3], transform=ax.transData)
        artists = []
        if m["trail"]:
            pieces, end = [], None
            for j in range(min(k, len(m["segments"]) // 4)):
                x0, y0, x1, y1 = m["segments"][4 * j: 4 * j + 4]
                if x0 is None:
                    end = None
                    continue
                if (x0, y0) != end:
                    pieces.append([(x0, y0)])
                pieces[-1].append((x1, y1))
                end = (x1, y1)
            for piece in pieces:
                xs, ys = zip(*piece)
                artists += ax.plot(xs, ys, color=colour(m["stroke"]), lw=m["width"] * points,
                                   solid_capstyle="projecting", solid_joinstyle="round")
        elif m["xy"]:
            i = min(k, len(m["xy"]) // 2 - 1)
            if m["xy"][2 * i] is not None:
                artists.append(ax.add_patch(Circle((m["xy"][2 * i], m["xy"][2 * i + 1]), m["radius"],
                                                   fc=colour(m["fill"]), ec=colour(m["stroke"]), lw=m["width"] * points)))
        for artist in artists:
            artist.set_clip_path(clip)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 3].astype(int)


@pytest.mark.parametrize("lr0", [1.5, 3.0])  # converging; diverging, bouncing out by millions of pixels
def test_the_marks_draw_each_frame_where_matplotlib_draws_it(lr0):
    ex = fresh(problem="quadratic_bowl", a={"schedule": "constant", "method": "gd", "lr0": lr0})
    assert ex.A.run.diverged == (lr0 > 2)
    layer = ex.strip.frames
    for k in (3, 16, ex.steps):
        ex.step_slider.value = k
        kernel = np.hstack([c.overlay_pixels() for c in ex.strip.canvases()])[..., 3].astype(int)
        page = page_alpha(layer.marks, k, layer.width, layer.height)
        assert (kernel > 0).sum() > 50  # something is drawn
        assert (abs(page - kernel) > 100).sum() <= 10, f"step {k}"


def test_clip_segments_cuts_to_the_box_and_keeps_far_ends_exact():
    from lrlab.canvas import clip_segments

    start = np.array([[-10.0, 5.0], [2.0, 2.0], [-1e6, -1e6], [20.0, 20.0], [np.inf, 0.0], [0.0, 12.0]])
    end = np.array([[20.0, 5.0], [8.0, 8.0], [1e6 + 10.0, 1e6 + 10.0], [30.0, 5.0], [5.0, 5.0], [10.0, 12.0]])
    a, b, seen = clip_segments(start, end, (0.0, 0.0), (10.0, 10.0))
    assert seen.tolist() == [True, True, True, False, False, False]
    np.testing.assert_allclose(a[:3], [[0, 5], [2, 2], [0, 0]], atol=1e-9)
    np.testing.assert_allclose(b[:3], [[10, 5], [8, 8], [10, 10]], atol=1e-4)
