"""The widget layer, specified without a browser (tests/browser drives a real one)."""

import numpy as np
import pytest

import lrlab
from lrlab import widgets
from lrlab.widgets import Param, descent_panel, schedule_panel

VALLEY = lrlab.elongated_valley(condition_number=10)


def valley_panel(steps=30, **kw):
    return descent_panel(VALLEY, lambda lr: lr, {"lr": Param(0.05, 2.5, value=0.5)}, steps=steps, **kw)


def test_every_slider_shows_its_value():
    panel = descent_panel(
        VALLEY,
        lambda lr0, step_size, gamma: lrlab.step_decay(lr0, step_size, gamma),
        {"lr0": Param(0.01, 2.0, log=True), "step_size": Param(1, 30, value=10, integer=True), "gamma": Param(0.1, 1.0, value=0.5)},
        steps=30,
    )
    assert all(s.readout for s in panel.sliders.values())
    assert panel.values["step_size"] == 10 and isinstance(panel.values["step_size"], int)
    assert panel.values["lr0"] == pytest.approx(np.sqrt(0.01 * 2.0))


def test_a_slider_change_reruns_the_descent_and_redraws():
    panel = valley_panel()
    before_run, before_png = panel.run, panel.loss_view.png()
    panel.sliders["lr"].value = 1.0
    assert panel.run is not before_run
    np.testing.assert_array_equal(panel.run.lrs, np.full(30, 1.0))
    np.testing.assert_array_equal(panel.run.points, lrlab.descend(VALLEY, 1.0, steps=30).points)
    assert panel.loss_view.png() != before_png


def test_a_slider_moved_back_shows_the_same_views_without_drawing_the_axes_again():
    panel = valley_panel()
    views = (panel.map, panel.loss_view, panel.lr_view)
    panel.set(lr=0.5)
    shown, limits = [v.png() for v in views], panel.lr_view.ax.get_ylim()
    panel.set(lr=2.4)  # above the stability limit 2: the LR view draws a taller axis
    assert panel.lr_view.ax.get_ylim() == (0.0, 3.0) != limits == (0.0, 2.5)
    draws = []
    for view in views:
        view.canvas.draw = lambda draw=view.canvas.draw: (draws.append(1), draw())[1]
    panel.set(lr=0.5)  # back: the kept backgrounds of those limits are reused
    assert draws == []
    assert [v.png() for v in views] == shown


def test_set_moves_the_sliders_and_presets_jump_to_the_optimum():
    panel = valley_panel(presets={"optimal 2/(L+μ)": {"lr": VALLEY.optimal_lr}})
    panel.set(lr=0.3)
    assert panel.sliders["lr"].value == pytest.approx(0.3)
    (button,) = panel.preset_buttons
    button.click()
    assert panel.values["lr"] == pytest.approx(VALLEY.optimal_lr, abs=0.025)  # nearest slider step
    with pytest.raises(ValueError, match="unknown parameters"):
        panel.set(rate=0.1)


def test_the_stability_limit_is_marked_on_quadratics():
    panel = valley_panel(marks={"optimal": VALLEY.optimal_lr})
    heights = [line.get_ydata()[0] for line, _ in panel.lr_view.marks]
    assert heights == [VALLEY.stability_limit, VALLEY.optimal_lr]


def test_play_and_the_step_slider_span_the_run_and_frames_move_only_the_marker():
    panel = valley_panel()
    assert (panel.play.min, panel.play.max) == (0, 30) and panel.step_slider.max == 30
    run = panel.run
    panel.step_slider.value = 5
    assert panel.frame == 5 and panel.run is run
    np.testing.assert_array_equal(panel.map.runs["run"][2].get_xydata()[0], run.points[5])
    assert len(panel.map.runs["run"][0].get_xdata()) == 6
    assert "step 5 of 30" in panel.status.value


def test_a_diverging_run_is_shown_as_an_outcome():
    panel = valley_panel(steps=100)
    panel.set(lr=2.4)
    assert panel.run.diverged
    assert "diverged at step" in panel.status.value
    panel.step_slider.value = 100  # past the stop: shows the last point, no error
    assert panel.frame == 100


def test_an_impossible_parameter_combination_is_reported_not_raised():
    panel = schedule_panel(
        lambda lr0, lr_min: lrlab.cosine(lr0, 100, lr_min=lr_min),
        {"lr0": Param(0.01, 1.0, value=0.1), "lr_min": Param(0.0, 1.0, value=0.0)},
    )
    panel.set(lr_min=0.5)
    assert panel.status.value.startswith("not a valid schedule: lr_min must not exceed lr0")
    assert np.isnan(panel.line.get_ydata()).all()  # the old curve is not kept


def cosine_descent_panel(steps=60):
    return descent_panel(
        VALLEY, lambda lr0, lr_min: lrlab.cosine(lr0, steps, lr_min=lr_min),
        {"lr0": Param(0.05, 2.0, value=0.5), "lr_min": Param(0.0, 1.0, value=0.0)}, steps=steps,
    )


def test_an_invalid_combination_never_shows_the_old_run():
    panel = cosine_descent_panel()
    old_png = panel.loss_view.png()
    panel.set(lr_min=0.8)  # above lr0: no schedule
    message = "not a valid schedule: lr_min must not exceed lr0"
    assert panel.run is None and message in panel.status.value
    assert panel.status.value.startswith("step 60 of 60 · ")
    # Play and the step slider show the message, not the old run's loss and rate.
    for frame in (0, 7, 30, 60):
        panel.step_slider.value = frame
        assert panel.status.value == f"step {frame} of 60 · {message} (0.5), got lr_min=0.8"
        assert "loss" not in panel.status.value.split("·")[1]
    # The views are emptied: no path, no curve, no marker.
    for artist in (*panel.map.runs["run"], panel.loss_view.lines["run"], panel.loss_view.dots["run"], panel.lr_view.lines["run"],
                   panel.lr_view.dots["run"]):
        assert not artist.get_visible()
    assert panel.loss_view.png() != old_png
    # A valid combination brings a run back, the one a fresh descend gives.
    panel.set(lr_min=0.1)
    fresh = lrlab.descend(VALLEY, lrlab.cosine(0.5, 60, lr_min=0.1), steps=60)
    np.testing.assert_array_equal(panel.run.points, fresh.points)
    assert panel.status.value.startswith("step 60 of 60 · loss ")


def test_a_panel_whose_first_combination_is_invalid_still_builds():
    panel = descent_panel(VALLEY, lambda lr0, lr_min: lrlab.cosine(lr0, 50, lr_min=lr_min),
                          {"lr0": Param(0.05, 2.0, value=0.1), "lr_min": Param(0.0, 1.0, value=0.5)}, steps=50)
    assert panel.run is None and "not a valid schedule" in panel.status.value
    sched = schedule_panel(lambda lr0, lr_min: lrlab.cosine(lr0, 50, lr_min=lr_min),
                           {"lr0": Param(0.05, 2.0, value=0.1), "lr_min": Param(0.0, 1.0, value=0.5)})
    assert sched.schedule is None and sched.status.value.startswith("not a valid schedule")
    assert np.isnan(sched.line.get_ydata()).all()


def test_a_loss_driven_to_subnormal_numbers_draws_without_a_warning():
    # lr 0.5 on the bowl halves the loss... squared each step: after 1000 steps it is 5e-324 or 0.
    panel = descent_panel(lrlab.quadratic_bowl(), lambda lr: lr, {"lr": Param(0.05, 1.5, value=0.5)}, steps=1000)
    low, high = panel.loss_view.ax.get_ylim()
    assert low >= 1e-300 and high > low
    panel.set(lr=0.9)
    panel.step_slider.value = 500


def test_schedule_panel_draws_the_schedule_and_a_reference():
    panel = schedule_panel(
        lambda power: lrlab.polynomial(0.1, 100, power),
        {"power": Param(0.1, 10.0, value=2.0, log=True)},
        steps=120,
        reference=lrlab.cosine(0.1, 100),
    )
    np.testing.assert_allclose(panel.line.get_ydata(), lrlab.polynomial(0.1, 100, 2.0)(np.arange(120)))
    assert bytes(panel.strip.value).startswith(b"\x89PNG")


def test_plateau_schedules_pass_through_to_descend():
    panel = descent_panel(
        lrlab.noisy_quadratic(),
        lambda lr0, patience: lrlab.ReduceOnPlateau(lr0, factor=0.5, patience=patience),
        {"lr0": Param(0.05, 1.0, value=0.5), "patience": Param(0, 10, value=2, integer=True)},
        steps=60,
    )
    assert panel.run.lrs[-1] < 0.5


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"min": 1.0, "max": 0.5}, ValueError, "max"),
        ({"min": 0.0, "max": 1.0, "log": True}, ValueError, "min"),
        ({"min": 0.0, "max": 1.0, "value": 2.0}, ValueError, "value"),
        ({"min": "0", "max": 1.0}, TypeError, "min"),
    ],
)
def test_bad_slider_specs_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        Param(**kwargs)


def test_params_must_be_param_objects():
    with pytest.raises(TypeError, match=r"params\['lr'\]"):
        descent_panel(VALLEY, lambda lr: lr, {"lr": (0.1, 1.0)})


def test_a_panel_displays_as_the_live_widget_with_a_still_picture_and_stable_text():
    panel = valley_panel()
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<DescentPanel: lr>"
    import base64

    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_the_lr_view_marks_the_stability_limit_of_the_method_in_use():
    from lrlab.widgets import stability_mark

    valley = lrlab.elongated_valley(condition_number=10.0, max_curvature=2.0)
    assert stability_mark(valley, "gd") == ("2/L (stability limit)", 1.0)
    assert stability_mark(valley, "momentum", 0.9) == ("(2+2β)/L (stability limit)", pytest.approx(1.9))
    assert stability_mark(valley, "nesterov", 0.5)[1] == pytest.approx(3.0 / 4.0)
    assert stability_mark(valley, "adam") is None and stability_mark(valley, "schedule_free") is None
    assert stability_mark(lrlab.rosenbrock(), "gd") is None
    panel = descent_panel(valley, lambda lr: lr, {"lr": Param(0.1, 1.5, value=0.5)}, steps=5,
                          method="momentum", momentum=0.5, marks={"mine": 0.2})
    assert panel.marks == {"(2+2β)/L (stability limit)": pytest.approx(1.5), "mine": 0.2}
    adam = descent_panel(valley, lambda lr: lr, {"lr": Param(0.01, 0.5, value=0.1)}, steps=5, method="adam")
    assert adam.marks == {}


def test_the_loss_view_shows_the_gap_to_the_minimum_where_losses_are_negative():
    basins = lrlab.multi_basin()
    panel = descent_panel(basins, lambda lr: lr, {"lr": Param(0.05, 1.0, value=0.5)}, steps=30)
    assert panel.loss_view.ax.get_title() == "loss − loss at the minimum"
    np.testing.assert_allclose(panel.loss_view.lines["run"].get_ydata(), panel.run.losses - basins.value(basins.minimum))
    low, high = panel.loss_view.ax.get_ylim()
    assert 0 < low < high  # a log axis with room for the curve
    bowl = descent_panel(lrlab.quadratic_bowl(), lambda lr: lr, {"lr": Param(0.05, 1.0, value=0.5)}, steps=5)
    assert bowl.loss_view.ax.get_title() == "loss"
    np.testing.assert_array_equal(bowl.loss_view.lines["run"].get_ydata(), bowl.run.losses)


def test_a_value_set_from_python_survives_the_log_sliders_round_trip_through_the_front_end():
    panel = descent_panel(lrlab.quadratic_bowl(), lambda lr: lr, {"lr": Param(0.01, 100.0, value=0.5, log=True)}, steps=5)
    panel.set(lr=50.0)
    panel.sliders["lr"].value = 10 ** np.log10(50.0)  # what the browser sends back: 49.99999999999999
    assert panel.values == {"lr": 50.0}
    assert panel.run.lrs[0] == 50.0
    panel.sliders["lr"].value = 40.0  # a real move is taken as it is
    assert panel.values == {"lr": 40.0}


def test_a_preset_at_the_end_of_a_log_slider_keeps_its_exact_value():
    # FloatLogSlider clamps to 10**log10(50) = 49.99999999999999: the panel still runs 50.
    panel = descent_panel(lrlab.quadratic_bowl(), lambda lr: lr, {"lr": Param(0.1, 50.0, value=50.0, log=True)},
                          steps=3, presets={"top": {"lr": 50.0}})
    assert panel.values == {"lr": 50.0} and panel.run.lrs[0] == 50.0
    panel.set(lr=0.5)
    panel.preset_buttons[0].click()
    assert panel.values == {"lr": 50.0} and panel.run.lrs[0] == 50.0


def test_values_are_plain_python_numbers_even_for_numpy_presets():
    panel = descent_panel(lrlab.quadratic_bowl(), lambda lr: lr, {"lr": Param(0.1, 2.0, value=0.5, log=True)}, steps=3)
    panel.set(lr=np.float64(0.75))
    assert panel.values == {"lr": 0.75} and type(panel.values["lr"]) is float


# --- panels that can teach: noise draws, the mean of many, the exact expected loss, the plateau's signal ------

NOISY = lrlab.noisy_quadratic(noise_std=0.5)


def step_decay_panel(**kw):
    return descent_panel(NOISY, lambda lr0, step_size: lrlab.step_decay(lr0, int(step_size), 0.5),
                         {"lr0": Param(0.02, 1.5, value=0.8, log=True), "step_size": Param(10, 100, value=50, integer=True)},
                         steps=150, **kw)


def test_a_noisy_panel_has_a_noise_draw_slider_and_a_mean_menu_and_a_deterministic_one_has_neither():
    panel = step_decay_panel(seed=4)
    assert list(panel.options.widgets) == ["seed", "mean"] and panel.seed == 4
    assert all(w.readout for w in panel.options.widgets.values() if hasattr(w, "readout"))
    np.testing.assert_array_equal(panel.run.points, lrlab.descend(NOISY, lrlab.step_decay(0.8, 50, 0.5), steps=150,
                                                                  seed=4).points)
    panel.set(seed=9)  # another draw of the noise, the same schedule
    np.testing.assert_array_equal(panel.run.points, lrlab.descend(NOISY, lrlab.step_decay(0.8, 50, 0.5), steps=150,
                                                                  seed=9).points)
    assert panel.values == {"lr0": 0.8, "step_size": 50}  # the schedule's parameters only
    assert valley_panel().options.widgets == {}


def test_the_mean_of_many_draws_is_the_mean_of_a_batched_descend_and_the_band_holds_most_of_them():
    panel = step_decay_panel(mean=True)
    starts = np.repeat(NOISY.start[None], widgets.NOISE_RUNS, axis=0)
    batch = lrlab.descend(NOISY, lrlab.step_decay(0.8, 50, 0.5), start=starts, steps=150, seed=1)
    np.testing.assert_allclose(panel.draws, batch.losses.mean(axis=1))
    assert panel.loss_view.means["run"].get_visible() and panel.loss_view.bands["run"] is not None
    assert f"mean of {widgets.NOISE_RUNS} draws {batch.losses[-1].mean():.2g}" in panel.status.value
    panel.set(mean=False)
    assert panel.draws is None and panel.loss_view.bands["run"] is None and not panel.loss_view.means["run"].get_visible()


def test_the_exact_expected_loss_is_drawn_on_the_noisy_quadratic_with_gradient_descent():
    panel = step_decay_panel()
    t, drawn = panel.loss_view.reference.get_data()
    np.testing.assert_allclose(drawn, NOISY.expected_loss(lrlab.step_decay(0.8, 50, 0.5)(np.arange(150))))
    assert panel.loss_view.reference.get_visible()
    momentum = descent_panel(NOISY, lambda lr: lr, {"lr": Param(0.01, 0.5, value=0.1)}, steps=20, method="momentum")
    assert not momentum.loss_view.reference.get_visible()  # no closed form drawn for momentum
    plateau = descent_panel(NOISY, lambda lr0: lrlab.ReduceOnPlateau(lr0, patience=3),
                            {"lr0": Param(0.05, 1.0, value=0.2)}, steps=40)
    np.testing.assert_allclose(plateau.loss_view.reference.get_ydata(), NOISY.stationary_loss(0.2))


def test_a_plateau_panel_can_feed_its_rule_the_exact_a_noisy_or_a_smoothed_loss():
    panel = descent_panel(NOISY, lambda lr0: lrlab.ReduceOnPlateau(lr0, factor=0.5, patience=5),
                          {"lr0": Param(0.05, 1.0, value=0.2)}, steps=120, signal="noisy", signal_noise=0.4)
    assert list(panel.options.widgets) == ["seed", "mean", "signal"]
    rule = lrlab.ReduceOnPlateau(0.2, factor=0.5, patience=5)
    for signal, kwargs in [("noisy", dict(metric_noise=0.4)), ("smoothed", dict(metric_noise=0.4, metric_smoothing=0.9)),
                           ("exact", {})]:
        panel.set(signal=signal)
        fresh = lrlab.descend(NOISY, rule, steps=120, **kwargs)
        np.testing.assert_array_equal(panel.run.lrs, fresh.lrs)
        assert panel.loss_view.seen.get_visible() == (signal != "exact")
    with pytest.raises(ValueError, match="signal must be one of"):
        descent_panel(NOISY, lambda lr0: lrlab.ReduceOnPlateau(lr0), {"lr0": Param(0.05, 1.0)}, signal="held-out")
    assert "signal" not in step_decay_panel().options.widgets  # only where the rule is a plateau


def test_projector_mode_draws_views_larger_and_sharper():
    from lrlab import canvas

    normal = valley_panel()
    try:
        assert widgets.projector(True) is canvas.PROJECTOR
        big = valley_panel()
    finally:
        widgets.projector(False)
    small_px, big_px = normal.map.canvas.get_width_height(), big.map.canvas.get_width_height()
    assert big_px[0] >= 2 * small_px[0] and big_px[1] >= 2 * small_px[1]
    assert float(big.strip.widget.layout.max_width[:-2]) == 1.5 * float(normal.strip.widget.layout.max_width[:-2])
    assert big.map.ax.title.get_fontsize() > normal.map.ax.title.get_fontsize()
    assert valley_panel().map.canvas.get_width_height() == small_px  # switched off again
    with pytest.raises(TypeError, match="on must be True or False"):
        widgets.projector("yes")


def test_a_frame_is_drawn_by_the_page_from_marks_sent_once():
    from PIL import Image
    import io

    panel = valley_panel()
    layer = panel.strip.frames
    assert layer.clock is panel.step_slider  # the page draws the step the slider shows
    base, marks = panel.strip.base.value, layer.marks
    panel.step_slider.value = 3
    # a frame sends neither image nor marks: the page already has every step
    assert panel.strip.base.value is base and layer.marks is marks
    assert (layer.width, layer.height) == (3 * 288, 240)  # the three views side by side
    assert Image.open(io.BytesIO(panel.strip.value)).size == (3 * 288, 240)  # the still picture
    # map: the path (a segment per update), start, point; then the loss and rate dots, one per step
    assert [len(m["segments"]) // 4 if m["trail"] else len(m["xy"]) // 2 for m in marks] == [30, 1, 31, 31, 30]
    # the page draws each marker where matplotlib draws it: at step 3, the disc the page fills for
    # each dot is opaque in the still picture's overlay, and a ring 3 px outside it mostly clear
    over = np.hstack([c.overlay_pixels() for c in panel.strip.canvases()])[..., 3]
    rows, cols = np.mgrid[: over.shape[0], : over.shape[1]] + 0.5  # pixel centres
    for m, left in ((marks[2], 0), (marks[3], 288), (marks[4], 576)):
        x, y, r = m["xy"][6], m["xy"][7], m["radius"]
        assert left <= x < left + 288 and r > 2
        distance = np.hypot(cols - x, rows - y)
        assert (over[distance < r - 1] > 200).mean() > 0.9
        assert (over[abs(distance - r - 3) < 0.5] > 0).mean() < 0.5
        assert m["clip"][0] >= left and m["clip"][0] + m["clip"][2] <= left + 288  # clipped to its own axes


def test_marks_hold_no_number_json_cannot_carry():
    import json

    panel = valley_panel(steps=60)
    panel.set(lr=2.5)  # diverges: the loss leaves the axis
    assert panel.run.diverged
    json.dumps(panel.strip.frames.marks, allow_nan=False)  # raises on NaN or infinity
    assert all(v is None or abs(v) <= 1e6 + 3 * 288 for m in panel.strip.frames.marks
               for v in m["segments" if m["trail"] else "xy"])


def test_a_loss_of_exactly_zero_is_drawn_on_the_bottom_edge_and_said_so():
    panel = descent_panel(lrlab.quadratic_bowl(), lambda lr: lr, {"lr": Param(0.05, 2.5, value=1.0)}, steps=30)
    assert panel.run.losses[1] == 0  # lr = 1/h lands on the minimum in one step
    bottom = panel.loss_view.ax.get_ylim()[0]
    assert panel.loss_view.lines["run"].get_ydata()[1] == bottom > 0
    assert "exactly 0" in panel.loss_view.stamps["zero"][0]
    panel.set(lr=0.5)
    assert "zero" not in panel.loss_view.stamps
