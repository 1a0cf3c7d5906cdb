"""The descent loop, specified: update rules, batching, divergence, the LR range test."""

import numpy as np
import pytest

import lrlab
from lrlab import descend, lr_range_test

BOWL = lrlab.quadratic_bowl()
VALLEY = lrlab.elongated_valley(condition_number=10.0)
ROSEN = lrlab.rosenbrock()


# ---------------------------------------------------------------- the clock and the record


def test_update_t_uses_schedule_at_t():
    s = lrlab.step_decay(0.3, step_size=2, gamma=0.5)
    run = descend(BOWL, s, steps=6)
    np.testing.assert_array_equal(run.lrs, s(np.arange(6)))


def test_gradient_descent_on_the_bowl_is_the_textbook_recursion():
    # On f = ½‖x‖², x_{t+1} = (1 − lr)·x_t exactly.
    run = descend(BOWL, 0.25, start=(2.0, -1.0), steps=5)
    expected = np.array([2.0, -1.0]) * 0.75 ** np.arange(6)[:, None]
    np.testing.assert_allclose(run.points, expected, rtol=1e-15)
    np.testing.assert_allclose(run.losses, BOWL.value(expected), rtol=1e-15)


def test_record_shapes_for_a_single_run():
    run = descend(ROSEN, 1e-3, steps=20)
    assert run.points.shape == (21, 2)
    assert run.losses.shape == (21,)
    assert run.lrs.shape == (20,)
    assert run.grad_norms.shape == (20,)
    assert run.stopped_at == 20 and run.diverged is False and not run.batched
    np.testing.assert_array_equal(run.points[0], ROSEN.start)
    np.testing.assert_allclose(run.grad_norms[0], np.linalg.norm(ROSEN.grad(ROSEN.start)))


def test_default_start_is_the_surfaces_start_and_input_is_not_modified():
    start = np.array([1.5, -0.5])
    before = start.copy()
    descend(VALLEY, 0.5, start=start, steps=5)
    np.testing.assert_array_equal(start, before)
    np.testing.assert_array_equal(descend(VALLEY, 0.5, steps=1).points[0], VALLEY.start)


@pytest.mark.parametrize("method", lrlab.METHODS)
def test_every_method_converges_on_the_valley(method):
    lr = 0.1 if method == "adam" else 0.5
    # Schedule-free SGD is built to run at a constant rate (its averaging does the decaying).
    schedule = lr if method == "schedule_free" else lrlab.cosine(lr, total_steps=300)
    run = descend(VALLEY, schedule, steps=300, method=method)
    assert not run.diverged
    assert run.final_loss < 1e-3 * run.losses[0]


def test_momentum_matches_the_heavy_ball_recursion_written_by_hand():
    mu, lr, x = 0.8, 0.1, np.array([3.0, -2.0])
    buf = None
    expected = [x.copy()]
    for _ in range(10):
        g = VALLEY.grad(x)
        buf = g if buf is None else mu * buf + g
        x = x - lr * buf
        expected.append(x.copy())
    run = descend(VALLEY, lr, start=(3.0, -2.0), steps=10, method="momentum", momentum=mu)
    np.testing.assert_allclose(run.points, expected, rtol=1e-14)


def test_nesterov_looks_ahead_along_the_buffer():
    mu, lr, x = 0.9, 0.05, np.array([3.0, -2.0])
    buf = None
    expected = [x.copy()]
    for _ in range(10):
        g = VALLEY.grad(x)
        buf = g if buf is None else mu * buf + g
        x = x - lr * (g + mu * buf)
        expected.append(x.copy())
    run = descend(VALLEY, lr, start=(3.0, -2.0), steps=10, method="nesterov", momentum=mu)
    np.testing.assert_allclose(run.points, expected, rtol=1e-14)


def test_adams_first_step_moves_every_coordinate_by_about_lr():
    # With bias correction, Adam's first step is lr · g/|g| (up to eps) per coordinate.
    run = descend(ROSEN, 0.01, steps=1, method="adam")
    step = run.points[1] - run.points[0]
    np.testing.assert_allclose(np.abs(step), [0.01, 0.01], rtol=1e-6)


# ---------------------------------------------------------------- schedule arguments


def test_a_number_is_a_constant_rate():
    a = descend(VALLEY, 0.3, steps=10)
    b = descend(VALLEY, lrlab.constant(0.3), steps=10)
    np.testing.assert_array_equal(a.points, b.points)


def test_an_array_of_rates_is_used_step_by_step():
    rates = np.linspace(0.5, 0.1, 8)
    run = descend(VALLEY, rates, steps=8)
    np.testing.assert_array_equal(run.lrs, rates)


def test_plateau_is_fed_the_loss_after_each_step_and_the_callers_object_is_untouched():
    plateau = lrlab.ReduceOnPlateau(0.5, factor=0.5, patience=0)
    noisy = lrlab.noisy_quadratic(noise_std=1.0)
    run = descend(noisy, plateau, steps=60, seed=3)
    # Replay: the lr of step t+1 is what the plateau rule returns for the loss after step t.
    replay = lrlab.ReduceOnPlateau(0.5, factor=0.5, patience=0)
    expected = [0.5] + [replay.step(loss) for loss in run.losses[1:-1]]
    np.testing.assert_array_equal(run.lrs, expected)
    assert run.lrs[-1] < 0.5  # it did cut the rate
    assert plateau.steps == 0 and plateau.lr == 0.5


def test_a_used_plateau_object_does_not_leak_its_state_into_a_new_run():
    plateau = lrlab.ReduceOnPlateau(0.5, factor=0.5, patience=0)
    for loss in [1.0, 2.0, 3.0, 4.0]:
        plateau.step(loss)
    assert plateau.lr < 0.5
    run = descend(BOWL, plateau, steps=3)
    assert run.lrs[0] == 0.5


# ---------------------------------------------------------------- batches


def test_a_batch_of_starts_equals_the_runs_done_one_by_one():
    starts = np.array([[-1.2, 1.0], [0.0, 0.0], [1.5, 2.0], [-0.5, 2.5]])
    batch = descend(ROSEN, lrlab.cosine(1e-3, total_steps=50), start=starts, steps=50, method="momentum")
    assert batch.batched and batch.points.shape == (51, 4, 2)
    for i, s in enumerate(starts):
        single = descend(ROSEN, lrlab.cosine(1e-3, total_steps=50), start=s, steps=50, method="momentum")
        np.testing.assert_array_equal(batch.points[:, i], single.points)
        np.testing.assert_array_equal(batch.losses[:, i], single.losses)


def test_one_schedule_per_run_sweeps_hyperparameters_from_one_start():
    lrs = [0.1, 0.5, 1.0, 1.9, 2.1]
    sweep = descend(BOWL, lrs, steps=40)
    assert sweep.points.shape == (41, 5, 2)
    np.testing.assert_array_equal(sweep.lrs[0], lrs)
    for i, lr in enumerate(lrs):
        single = descend(BOWL, lr, steps=40)
        assert sweep.stopped_at[i] == single.stopped_at
        np.testing.assert_array_equal(sweep.points[: single.stopped_at + 1, i], single.points)


def test_a_diverging_run_stops_without_stopping_the_others():
    sweep = descend(BOWL, [0.5, 3.0, 1.0], steps=200)
    assert list(sweep.diverged) == [False, True, False]
    assert sweep.stopped_at[0] == sweep.stopped_at[2] == 200
    k = sweep.stopped_at[1]
    assert k < 200
    assert np.isnan(sweep.points[k + 1 :, 1]).all()  # nothing recorded after it stopped
    assert np.isfinite(sweep.points[:, 0]).all()
    assert np.isinf(sweep.final_loss[1]) and sweep.final_loss[0] < 1e-20


def test_noise_is_seeded_and_runs_in_a_batch_get_different_noise():
    noisy = lrlab.noisy_quadratic(noise_std=0.5)
    a = descend(noisy, 0.1, steps=30, seed=7)
    b = descend(noisy, 0.1, steps=30, seed=7)
    c = descend(noisy, 0.1, steps=30, seed=8)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)
    batch = descend(noisy, 0.1, start=np.zeros((2, 2)), steps=5, seed=0)
    assert not np.array_equal(batch.points[5, 0], batch.points[5, 1])


# ---------------------------------------------------------------- divergence is an outcome


@pytest.mark.parametrize("method", ["gd", "momentum", "nesterov"])
def test_divergence_is_reported_not_raised_and_emits_no_warning(method):
    # Warnings are errors in this test suite, so an overflow warning would fail here.
    lr = 0.01
    run = descend(ROSEN, lr, steps=500, method=method)
    assert run.diverged is True
    assert run.stopped_at < 500
    assert len(run.points) == run.stopped_at + 1
    assert run.final_loss == np.inf


def test_adam_does_not_blow_up_even_with_a_huge_rate_because_its_step_is_bounded_by_lr():
    run = descend(ROSEN, 5.0, steps=300, method="adam")
    assert not run.diverged
    steps = np.abs(np.diff(run.points, axis=0))
    assert steps.max() <= 5.0 * 1.01


def test_stability_limit_separates_convergence_from_divergence_on_the_bowl():
    limit = BOWL.stability_limit
    assert not descend(BOWL, 0.99 * limit, steps=2000).diverged
    assert descend(BOWL, 1.01 * limit, steps=2000).diverged


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"steps": 0}, ValueError, "steps"),
        ({"method": "sgd"}, ValueError, "'gd', 'momentum', 'nesterov', 'adam'"),
        ({"method": "nesterov", "momentum": 0.0}, ValueError, "momentum"),
        ({"momentum": 1.0}, ValueError, "momentum"),
        ({"betas": (0.9,)}, TypeError, "betas"),
        ({"start": (1.0, 2.0, 3.0)}, ValueError, "start"),
        ({"start": (np.nan, 0.0)}, ValueError, "start"),
        ({"schedule": np.ones(3)}, ValueError, "shape"),
        ({"schedule": "0.1"}, TypeError, "schedule"),
        ({"schedule": -0.1}, ValueError, "schedule"),
    ],
)
def test_bad_arguments_raise_errors_naming_them(kwargs, error, match):
    args = {"schedule": 0.1, "steps": 10} | kwargs
    schedule = args.pop("schedule")
    with pytest.raises(error, match=match):
        descend(BOWL, schedule, **args)


# ---------------------------------------------------------------- LR range test


def test_range_test_ramps_exponentially_and_stops_when_the_loss_blows_up():
    result = lr_range_test(BOWL, lr_min=1e-3, lr_max=100.0, steps=80)
    ratios = result.lrs[1:] / result.lrs[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)
    assert result.stopped_early
    assert result.lrs[-1] < 100.0
    # The loss blows up only beyond the stability limit 2/L.
    assert result.lrs[-1] > BOWL.stability_limit
    assert result.smoothed[-1] > 4.0 * result.smoothed.min()


def test_range_test_suggestion_is_below_the_blow_up_and_the_rule_is_reported():
    steep = lr_range_test(ROSEN, lr_min=1e-6, lr_max=0.1, steps=100)
    tenth = lr_range_test(ROSEN, lr_min=1e-6, lr_max=0.1, steps=100, rule="min/10")
    for result in (steep, tenth):
        assert result.lrs[0] <= result.suggested_lr < result.lrs[-1]
        assert result.rule in result.rule_text or result.rule_text
    assert steep.rule == "steepest" and tenth.rule == "min/10"
    best = np.argmin(tenth.smoothed)
    assert tenth.suggested_lr == pytest.approx(tenth.lrs[best] / 10)


def test_range_test_skip_start_leaves_the_first_rates_out_of_the_reading_only():
    plain = lr_range_test(ROSEN, lr_min=1e-6, lr_max=0.1, steps=100)
    for skip in (0, 5, 30):
        for rule in ("steepest", "min/10"):
            result = lr_range_test(ROSEN, lr_min=1e-6, lr_max=0.1, steps=100, rule=rule, skip_start=skip)
            np.testing.assert_array_equal(result.lrs, plain.lrs)  # the whole curve is kept
            np.testing.assert_array_equal(result.smoothed, plain.smoothed)
            best = skip + int(np.argmin(result.smoothed[skip:]))  # the minimum of the read part
            if rule == "min/10":
                assert result.suggested_lr == result.lrs[best] / 10
            else:
                slope = np.gradient(result.smoothed[skip : best + 1], np.log(result.lrs[skip : best + 1]))
                assert result.suggested_lr == result.lrs[skip + int(np.argmin(slope))]
            assert result.skip_start == skip
    assert lr_range_test(ROSEN, lr_min=1e-6, lr_max=0.1, steps=100, skip_start=0).suggested_lr == plain.suggested_lr


def test_range_test_reads_every_rate_when_the_skip_would_leave_only_the_blow_up():
    early = lr_range_test(ROSEN, lr_min=1e-3, lr_max=10.0, steps=50)  # blows up within a few rates
    assert early.stopped_early and len(early.lrs) <= 12
    for skip in (len(early.lrs) - 1, len(early.lrs), 49):
        late = lr_range_test(ROSEN, lr_min=1e-3, lr_max=10.0, steps=50, skip_start=skip)
        assert late.skip_start == 0 and late.suggested_lr == early.suggested_lr
    kept = lr_range_test(ROSEN, lr_min=1e-3, lr_max=10.0, steps=50, skip_start=len(early.lrs) - 2)
    assert kept.skip_start == len(early.lrs) - 2 and kept.suggested_lr == early.lrs[-2]


def test_range_test_smoothing_is_a_bias_corrected_moving_average():
    result = lr_range_test(VALLEY, lr_min=1e-2, lr_max=1.0, steps=20, smoothing=0.5)
    beta, avg = 0.5, 0.0
    for i, loss in enumerate(result.losses):
        avg = beta * avg + (1 - beta) * loss
        assert result.smoothed[i] == pytest.approx(avg / (1 - beta ** (i + 1)), rel=1e-14)


# ---------------------------------------------------------------- schedule-free SGD


def schedule_free_by_hand(surface, rates, start, beta):
    """Defazio et al. (2024), written out one step at a time with w_t = (max lr so far)^2."""
    x = z = np.array(start, dtype=float)
    points, peak, weight_sum = [x], 0.0, 0.0
    for lr in rates:
        y = (1 - beta) * z + beta * x
        z = z - lr * surface.grad(y)
        peak = max(peak, lr)
        weight_sum += peak**2
        c = peak**2 / weight_sum if weight_sum > 0 else 0.0
        x = (1 - c) * x + c * z
        points.append(x)
    return np.array(points)


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("schedule", [0.001, lrlab.linear_warmup(lrlab.constant(0.002), 20)], ids=["constant", "warmup"])
def test_schedule_free_follows_the_papers_recursion(beta, schedule):
    run = descend(ROSEN, schedule, steps=60, method="schedule_free", momentum=beta)
    rates = lrlab.as_schedule(schedule)(np.arange(60))
    np.testing.assert_allclose(run.points, schedule_free_by_hand(ROSEN, rates, ROSEN.start, beta), rtol=1e-12)
    np.testing.assert_array_equal(run.lrs, rates)
    np.testing.assert_allclose(run.losses, ROSEN.value(run.points), rtol=1e-15)


def test_schedule_free_with_beta_zero_reports_the_running_average_of_sgd():
    # beta = 0: gradients are taken at z (plain SGD) and x is the uniform average of z_1..z_t.
    sgd = descend(VALLEY, 0.5, steps=30)
    free = descend(VALLEY, 0.5, steps=30, method="schedule_free", momentum=0.0)
    averages = np.cumsum(sgd.points[1:], axis=0) / np.arange(1, 31)[:, None]
    np.testing.assert_allclose(free.points[1:], averages, rtol=1e-12, atol=1e-15)


def test_schedule_free_at_a_constant_rate_goes_below_sgds_noise_floor():
    noisy = lrlab.noisy_quadratic(noise_std=1.0, seed=0)
    starts = np.tile(noisy.start, (400, 1))
    free = descend(noisy, 0.5, start=starts, steps=300, method="schedule_free")
    assert np.mean(free.final_loss) < 0.25 * noisy.stationary_loss(0.5)


def test_schedule_free_runs_batched_and_a_diverging_run_stops_alone():
    run = descend(ROSEN, [0.001, 0.05], steps=200, method="schedule_free")
    assert run.diverged.tolist() == [False, True]
    assert run.stopped_at[1] < 200 and np.isnan(run.points[-1, 1]).all()


def test_range_test_refuses_skip_start_past_the_run():
    with pytest.raises(ValueError, match=r"skip_start must be less than steps=50.*got skip_start=50"):
        lr_range_test(ROSEN, lr_min=1e-3, lr_max=10.0, steps=50, skip_start=50)


def test_range_test_refuses_when_lr_min_is_already_too_large():
    # On the bowl, every rate above 2 makes the loss grow: the first rate already does.
    with pytest.raises(ValueError, match=r"never fell below its starting value 12\.5.*only rose.*lr_min=3 is already too large"):
        lr_range_test(BOWL, lr_min=3.0, lr_max=100.0)
    with pytest.raises(ValueError, match="lr_min=3 is already too large"):
        lr_range_test(BOWL, lr_min=3.0, lr_max=100.0, rule="min/10")


def test_range_test_reads_the_gap_on_negative_losses():
    # The several-basins surface has negative losses: the blow-up test reads f - f*, so the
    # ramp runs past one rate and the suggestion is a rate where the loss fell.
    basins = lrlab.multi_basin()
    result = lr_range_test(basins)
    assert len(result.lrs) > 50 and result.lrs[0] < result.suggested_lr < result.lrs[-1]
    i = int(np.flatnonzero(result.lrs == result.suggested_lr)[0])
    assert result.smoothed[i] < basins.value(basins.start)


def test_range_test_never_suggests_a_rate_where_the_loss_rose_above_its_start():
    for surface in (BOWL, ROSEN, VALLEY, lrlab.multi_basin()):
        for lr_min in (1e-6, 1e-3, 0.1, 1.0):
            try:
                result = lr_range_test(surface, lr_min=lr_min, lr_max=100.0, steps=60)
            except ValueError as error:
                assert "lower lr_min" in str(error)
                continue
            i = int(np.argmin(np.abs(result.lrs - result.suggested_lr)))
            floor = surface.value(surface.minimum)
            assert result.smoothed[i] - floor <= 4.0 * (surface.value(surface.start) - floor)
            assert result.smoothed.min() < surface.value(surface.start)


def test_read_range_test_refuses_losses_below_the_floor():
    from lrlab.optim import read_range_test

    lrs = np.geomspace(1e-3, 1.0, 10)
    with pytest.raises(ValueError, match="lies below it"):
        read_range_test(lrs, -np.ones(10), 0.9, 4.0, "steepest", False)


def test_range_test_refuses_a_flat_reading():
    with pytest.raises(ValueError, match="did not fall over the rates tried.*raise lr_max"):
        lr_range_test(BOWL, lr_min=1e-12, lr_max=2e-12, steps=10)


def test_a_plateau_is_fed_the_loss_unless_told_otherwise_and_the_metrics_are_recorded():
    noisy = lrlab.noisy_quadratic(noise_std=0.5)
    rule = lrlab.ReduceOnPlateau(0.2, factor=0.5, patience=5)
    exact = descend(noisy, rule, steps=80, seed=3)
    np.testing.assert_array_equal(exact.metrics, exact.losses[1:])
    assert descend(noisy, 0.2, steps=5).metrics is None  # no plateau: nothing is fed


def test_metric_noise_changes_what_the_plateau_sees_not_the_gradient_noise():
    noisy = lrlab.noisy_quadratic(noise_std=0.5)
    rule = lrlab.ReduceOnPlateau(0.2, factor=0.5, patience=5)
    raw = descend(noisy, rule, steps=150, seed=3, metric_noise=0.3)
    assert np.std(raw.metrics - raw.losses[1:]) == pytest.approx(0.3, rel=0.2)
    # Under a fixed rate plan the path does not depend on the metric at all.
    fixed = [descend(noisy, 0.2, steps=50, seed=3, metric_noise=m).points for m in (0.0, 0.3)]
    np.testing.assert_array_equal(*fixed)


def test_metric_smoothing_is_a_bias_corrected_moving_average_of_the_noisy_loss():
    noisy = lrlab.noisy_quadratic(noise_std=0.5)
    rule = lrlab.ReduceOnPlateau(0.2, factor=0.5, patience=1000)  # never cuts: the path is the constant rate's
    raw = descend(noisy, rule, steps=60, seed=3, metric_noise=0.3)
    smooth = descend(noisy, rule, steps=60, seed=3, metric_noise=0.3, metric_smoothing=0.9)
    average, expected = 0.0, []
    for t, m in enumerate(raw.metrics):
        average = 0.9 * average + 0.1 * m
        expected.append(average / (1 - 0.9 ** (t + 1)))
    np.testing.assert_allclose(smooth.metrics, expected, rtol=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    ({"metric_noise": -0.1}, "metric_noise"), ({"metric_noise": np.inf}, "metric_noise"),
    ({"metric_smoothing": 1.0}, "metric_smoothing"), ({"metric_smoothing": -0.5}, "metric_smoothing"),
])
def test_bad_metric_settings_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        descend(lrlab.quadratic_bowl(), lrlab.ReduceOnPlateau(0.1), steps=3, **kwargs)


def test_one_run_of_a_batch_is_the_run_descend_gives_alone():
    bowl = lrlab.quadratic_bowl()
    batch = descend(bowl, [0.1, 2.5, lrlab.ReduceOnPlateau(0.5, patience=2)], steps=40)
    for i, schedule in enumerate([0.1, 2.5, lrlab.ReduceOnPlateau(0.5, patience=2)]):
        alone, taken = descend(bowl, schedule, steps=40), batch.run(i)
        for name in ("points", "losses", "lrs", "grad_norms"):
            np.testing.assert_array_equal(getattr(taken, name), getattr(alone, name))
        assert (taken.diverged, taken.stopped_at) == (alone.diverged, alone.stopped_at)
    with pytest.raises(ValueError, match="takes one run out of a batch"):
        descend(bowl, 0.1, steps=3).run(0)
