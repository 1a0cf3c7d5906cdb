"""The small network of chapter 13, specified: data, gradient, training loop, divergence, range test."""

import math
import subprocess
import sys

import numpy as np
import pytest

import lrlab
from lrlab.network import (
    BLOWUP_FACTOR,
    MLP,
    Dataset,
    TrainingRun,
    init_mlp,
    load_digits,
    mlp_lr_range_test,
    shift_images,
    train_mlp,
)

DATA = load_digits()
SMALL = dict(hidden=8, epochs=2)  # a few hundred updates: fast, and enough to see learning


def toy(n=7, d=6, k=4, seed=0):
    """A tiny random batch for exact checks of the gradient."""
    rng = np.random.default_rng(seed)  # seeded: the same batch every run
    return rng.normal(size=(n, d)), rng.integers(0, k, size=n)


def random_net(activation, d=6, hidden=5, k=4, seed=1, objective="cross_entropy"):
    net = init_mlp(d, k, hidden=hidden, activation=activation, seed=seed, objective=objective)
    rng = np.random.default_rng(seed)  # seeded: non-zero biases too, so their gradients are tested
    return net.with_params(net.params + 0.3 * rng.normal(size=net.size))


# ---------------------------------------------------------------- the data


def test_digits_are_split_in_full_and_stratified():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = sklearn_datasets.load_digits(return_X_y=True)
    assert DATA.X_train.shape == (1438, 64) and DATA.X_val.shape == (359, 64)
    assert len(DATA.y_train) + len(DATA.y_val) == len(y) == 1797
    assert DATA.classes == 10 and DATA.features == 64
    # Each class gives round(20%) of its members to validation.
    np.testing.assert_array_equal(np.bincount(DATA.y_val), np.round(0.2 * np.bincount(y)).astype(int))


def test_digits_are_standardized_with_training_statistics_only():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = sklearn_datasets.load_digits(return_X_y=True)
    # The split, as documented: from default_rng(seed), each class's members in a random
    # order, the first round(validation * count) of them held out.
    held_out = _held_out()
    mean, std = X[~held_out].mean(axis=0), X[~held_out].std(axis=0)
    std[std == 0] = 1.0
    np.testing.assert_allclose(DATA.X_train, (X[~held_out] - mean) / std, rtol=1e-12)
    np.testing.assert_allclose(DATA.X_val, (X[held_out] - mean) / std, rtol=1e-12)  # the training statistics
    np.testing.assert_array_equal(DATA.y_val, y[held_out])
    train_std = DATA.X_train.std(axis=0)
    np.testing.assert_allclose(DATA.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(train_std[train_std > 0], 1.0, rtol=1e-12)
    assert abs(DATA.X_val.mean(axis=0)).max() > 1e-3  # the validation set is not re-centred on itself


def test_the_split_is_seeded():
    again = load_digits(seed=0)
    np.testing.assert_array_equal(again.X_val, DATA.X_val)
    other = load_digits(seed=1)
    assert not np.array_equal(other.y_val, DATA.y_val) or not np.array_equal(other.X_val, DATA.X_val)
    assert load_digits(validation=0.5).X_val.shape[0] == 898


def test_a_dataset_is_read_only_and_says_what_it_holds():
    with pytest.raises(ValueError):
        DATA.X_train[0, 0] = 1.0
    with pytest.raises(AttributeError):
        DATA.name = "other"
    assert repr(DATA) == "Dataset(name='digits', train=1438, val=359, features=64, classes=10)"


def test_steps_per_epoch_counts_the_last_smaller_batch():
    assert DATA.steps_per_epoch(32) == 45  # 44 full batches of 32 and one of 30
    assert DATA.steps_per_epoch(1438) == 1 and DATA.steps_per_epoch(1439) == 1
    assert DATA.steps_per_epoch(1) == 1438


def test_shuffles_are_seeded_permutations_one_per_epoch():
    orders = DATA.shuffles(3, seed=5)
    assert orders.shape == (3, 1438)
    for row in orders:
        np.testing.assert_array_equal(np.sort(row), np.arange(1438))
    assert not np.array_equal(orders[0], orders[1])
    np.testing.assert_array_equal(DATA.shuffles(3, seed=5), orders)
    np.testing.assert_array_equal(DATA.shuffles(1, seed=5)[0], orders[0])  # epoch e does not depend on the count


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(X_train=np.zeros(4)), ValueError, "X_train must be a 2-D array"),
        (dict(X_val=np.zeros((2, 3))), ValueError, "X_val must have as many features as X_train"),
        (dict(y_train=np.array([0.0, 1.0, 0.0, 1.0])), TypeError, "y_train must hold integer class labels"),
        (dict(y_train=np.array([0, 1, 0])), ValueError, r"y_train must have one label per example, shape \(4,\)"),
        (dict(y_val=np.array([0, -1])), ValueError, "y_val must hold class labels >= 0, got -1"),
        (dict(X_train=np.full((4, 4), np.nan)), ValueError, "X_train must hold finite numbers"),
        (dict(name=3), TypeError, "name must be a string, got 3"),
    ],
)
def test_a_dataset_checks_its_arrays(kwargs, error, match):
    valid = dict(X_train=np.eye(4), y_train=np.array([0, 1, 0, 1]), X_val=np.eye(4)[:2], y_val=np.array([1, 0]))
    with pytest.raises(error, match=match):
        Dataset(**{**valid, **kwargs})


# ---------------------------------------------------------------- the network


@pytest.mark.parametrize("objective", ["cross_entropy", "mse"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_backpropagation_matches_central_differences_on_every_parameter(activation, objective):
    X, y = toy()
    net = random_net(activation, objective=objective)
    assert net.objective == objective
    loss, grad = net.loss_and_grad(X, y)
    assert loss == pytest.approx(net.loss(X, y), rel=1e-15)
    eps = 1e-6
    numeric = np.empty(net.size)
    for i in range(net.size):
        step = np.zeros(net.size)
        step[i] = eps
        numeric[i] = (net.with_params(net.params + step).loss(X, y) - net.with_params(net.params - step).loss(X, y)) / (
            2 * eps
        )
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_the_mse_objective_is_half_the_mean_squared_error_against_one_hot_labels():
    X, y = toy()
    net = random_net("tanh", objective="mse")
    z = np.tanh(X @ net.W1 + net.b1) @ net.W2 + net.b2
    assert net.loss(X, y) == pytest.approx(0.5 * np.mean(((z - np.eye(4)[y]) ** 2).sum(axis=1)), rel=1e-12)
    np.testing.assert_array_equal(net.predict(X), z.argmax(axis=1))
    same = random_net("tanh")  # the same weights: the objective does not change the initialization
    np.testing.assert_array_equal(same.params, net.params)
    assert net.with_params(same.params).objective == "mse" and same.objective == "cross_entropy"
    assert repr(net).endswith("objective='mse')") and "objective" not in repr(same)
    assert net.loss(X, y) != same.loss(X, y)


def test_zero_weights_give_the_uniform_guess_and_a_loss_of_log_k():
    X, y = toy(k=4)
    net = init_mlp(6, 4, hidden=5).with_params(np.zeros(init_mlp(6, 4, hidden=5).size))
    assert net.loss(X, y) == pytest.approx(math.log(4), rel=1e-15)


def test_the_parameter_vector_is_w1_b1_w2_b2_and_the_views_compute_the_network():
    X, y = toy()
    net = random_net("tanh")
    assert net.size == 5 * (6 + 1) + 4 * (5 + 1)
    np.testing.assert_array_equal(np.concatenate([net.W1.ravel(), net.b1, net.W2.ravel(), net.b2]), net.params)
    z = np.tanh(X @ net.W1 + net.b1) @ net.W2 + net.b2
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    assert net.loss(X, y) == pytest.approx(-np.mean(np.log(p[np.arange(len(y)), y])), rel=1e-12)
    np.testing.assert_array_equal(net.predict(X), z.argmax(axis=1))
    assert net.accuracy(X, y) == np.mean(z.argmax(axis=1) == y)


def test_initialization_is_he_for_relu_and_glorot_for_tanh_with_zero_biases():
    relu = init_mlp(400, 10, hidden=300, activation="relu", seed=3)
    tanh = init_mlp(400, 10, hidden=300, activation="tanh", seed=3)
    assert relu.W1.std() == pytest.approx(math.sqrt(2 / 400), rel=0.01)
    assert tanh.W1.std() == pytest.approx(math.sqrt(2 / 700), rel=0.01)
    assert relu.W2.std() == pytest.approx(math.sqrt(2 / 310), rel=0.05)
    assert not relu.b1.any() and not relu.b2.any()
    np.testing.assert_array_equal(init_mlp(400, 10, hidden=300, seed=3).params, relu.params)
    assert not np.array_equal(init_mlp(400, 10, hidden=300, seed=4).params, relu.params)


def test_a_network_is_immutable_and_checks_its_inputs():
    net = init_mlp(6, 4, hidden=5)
    assert repr(net) == "MLP(features=6, hidden=5, classes=4, activation='relu', parameters=59)"
    with pytest.raises(ValueError):
        net.params[0] = 1.0
    with pytest.raises(ValueError, match=r"params must have shape \(59,\)"):
        net.with_params(np.zeros(58))
    with pytest.raises(ValueError, match=r"X must have shape \(examples, 6\)"):
        net.loss(np.zeros((3, 5)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="y must hold labels below classes=4, got 4"):
        net.loss(np.zeros((2, 6)), np.array([0, 4]))


# ---------------------------------------------------------------- the training loop


def test_train_mlp_is_the_textbook_minibatch_loop():
    # Written out by hand: the same initial network, the same batch order, momentum SGD with
    # the schedule's rate at the update step t, counted across epochs.
    epochs, batch_size, mu = 2, 50, 0.8
    schedule = lrlab.cosine(0.3, total_steps=epochs * DATA.steps_per_epoch(batch_size))
    net = init_mlp(64, 10, hidden=8, seed=7)
    theta, buf, t, losses = net.params.copy(), None, 0, []
    for order in DATA.shuffles(epochs, seed=7):
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            loss, g = net.with_params(theta).loss_and_grad(DATA.X_train[idx], DATA.y_train[idx])
            buf = g if buf is None else mu * buf + g
            theta = theta - schedule(t) * buf
            losses.append(loss)
            t += 1
    run = train_mlp(DATA, schedule, epochs=epochs, batch_size=batch_size, hidden=8, method="momentum", momentum=mu,
                    seed=7)
    np.testing.assert_allclose(run.model.params, theta, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(run.losses, losses, rtol=1e-12)
    np.testing.assert_array_equal(run.lrs, schedule(np.arange(t)))


def test_the_schedule_is_followed_step_by_step_on_the_update_clock():
    s = lrlab.step_decay(0.2, step_size=30, gamma=0.5)
    run = train_mlp(DATA, s, **SMALL)
    assert run.steps == 2 * 45 == run.stopped_at
    np.testing.assert_array_equal(run.lrs, s(np.arange(90)))
    assert train_mlp(DATA, 0.1, **SMALL).lrs.tolist() == [0.1] * 90


def test_records_have_one_entry_per_update_and_per_epoch_with_epoch_0_before_training():
    run = train_mlp(DATA, 0.1, **SMALL)
    assert run.lrs.shape == run.losses.shape == (90,)
    for name in ("train_loss", "train_accuracy", "val_loss", "val_accuracy"):
        assert getattr(run, name).shape == (3,)
    start = init_mlp(64, 10, hidden=8, seed=0)
    assert run.val_loss[0] == pytest.approx(start.loss(DATA.X_val, DATA.y_val), rel=1e-12)
    assert run.train_accuracy[0] == pytest.approx(start.accuracy(DATA.X_train, DATA.y_train))
    assert run.val_loss[-1] == pytest.approx(run.model.loss(DATA.X_val, DATA.y_val), rel=1e-12)
    assert run.final_val_accuracy == run.val_accuracy[-1] == run.model.accuracy(DATA.X_val, DATA.y_val)
    assert run.losses[0] == pytest.approx(
        start.loss(DATA.X_train[DATA.shuffles(1)[0][:32]], DATA.y_train[DATA.shuffles(1)[0][:32]]), rel=1e-12
    )
    assert repr(run).startswith("TrainingRun(method='gd', epochs=2, steps=90, diverged=False, val_loss=")


def test_the_same_seed_gives_the_same_run_and_another_seed_another():
    a = train_mlp(DATA, 0.1, **SMALL, seed=3)
    b = train_mlp(DATA, 0.1, **SMALL, seed=3)
    c = train_mlp(DATA, 0.1, **SMALL, seed=4)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.model.params, b.model.params)
    assert not np.array_equal(a.losses, c.losses)


def test_a_list_of_schedules_trains_together_as_if_one_by_one():
    schedules = [0.05, lrlab.cosine(0.3, total_steps=90), lrlab.ReduceOnPlateau(0.2, factor=0.5, patience=0)]
    together = train_mlp(DATA, schedules, **SMALL)
    assert together.batched and together.lrs.shape == (90, 3) and together.val_loss.shape == (3, 3)
    assert repr(together) == "TrainingRun(method='gd', runs=3, epochs=2, steps=90, diverged=0 of 3)"
    for i, s in enumerate(schedules):
        alone = train_mlp(DATA, s, **SMALL)
        np.testing.assert_allclose(together.losses[:, i], alone.losses, rtol=1e-12)
        np.testing.assert_allclose(together.val_loss[:, i], alone.val_loss, rtol=1e-12)
        np.testing.assert_allclose(together.models[i].params, alone.model.params, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="use run.models"):
        together.model


def test_momentum_zero_is_plain_sgd():
    gd = train_mlp(DATA, 0.1, **SMALL)
    heavy = train_mlp(DATA, 0.1, **SMALL, method="momentum", momentum=0.0)
    np.testing.assert_allclose(heavy.model.params, gd.model.params, rtol=1e-13, atol=1e-15)


def test_plateau_steps_once_per_epoch_on_the_validation_loss():
    plateau = lrlab.ReduceOnPlateau(0.5, factor=0.5, patience=0, threshold=0.05)
    run = train_mlp(DATA, plateau, epochs=6, hidden=8)
    per_epoch = run.lrs.reshape(6, 45)
    assert (per_epoch == per_epoch[:, :1]).all()  # the rate only changes between epochs
    replay = plateau.fresh()
    expected = [0.5] + [replay.step(v) for v in run.val_loss[1:-1]]  # fed after epochs 1..5
    np.testing.assert_array_equal(per_epoch[:, 0], expected)
    assert per_epoch[-1, 0] < 0.5  # it did cut
    assert plateau.steps == 0 and plateau.lr == 0.5  # the object passed in is untouched
    assert run.plateaus[0].steps == 6  # the copy that ran saw every epoch, the last one included


def test_divergence_is_reported_not_raised():
    # pytest turns warnings into errors here, so this also proves that no overflow warning escapes.
    run = train_mlp(DATA, 50.0, **SMALL)
    assert run.diverged is True and 0 < run.stopped_at < 90
    assert run.lrs.shape == run.losses.shape == (run.stopped_at,)
    bad = run.losses[-1]
    assert not np.isfinite(bad) or bad > BLOWUP_FACTOR * run.train_loss[0]
    assert np.isfinite(run.losses[:-1]).all()
    assert run.val_loss.shape == (1,)  # only epoch 0: no epoch was completed
    assert run.final_val_loss == math.inf and math.isnan(run.final_val_accuracy)
    assert repr(run) == f"TrainingRun(method='gd', epochs=2, steps=90, diverged=True, stopped_at={run.stopped_at})"


def test_a_diverging_run_stops_without_stopping_the_others():
    runs = train_mlp(DATA, [0.1, 50.0, 0.2], **SMALL)
    assert runs.diverged.tolist() == [False, True, False]
    assert runs.stopped_at[1] < 90 and np.isnan(runs.lrs[runs.stopped_at[1]:, 1]).all()
    assert np.isnan(runs.val_loss[1:, 1]).all()
    np.testing.assert_allclose(runs.losses[:, 2], train_mlp(DATA, 0.2, **SMALL).losses, rtol=1e-12)
    assert runs.final_val_loss[1] == math.inf and np.isfinite(runs.final_val_loss[[0, 2]]).all()


def test_training_beats_chance_by_a_wide_margin_in_a_few_epochs():
    run = train_mlp(DATA, lrlab.cosine(0.3, total_steps=3 * 45), epochs=3)
    assert run.val_accuracy[0] < 0.3  # about chance (0.1) before training
    assert run.final_val_accuracy > 0.9
    assert run.val_loss[-1] < 0.25 * run.val_loss[0]


# ---------------------------------------------------------------- bad arguments


VALID = dict(data=DATA, schedule=0.1, epochs=1, batch_size=32, hidden=8, activation="relu", method="gd",
             momentum=0.9, seed=0)


@pytest.mark.parametrize(
    "kwargs, error, fragments",
    [
        (dict(data=(np.zeros((3, 2)), np.zeros(3))), TypeError, ["data must be an lrlab.network.Dataset"]),
        (dict(schedule=-0.1), ValueError, ["schedule", "-0.1"]),
        (dict(schedule="cosine"), TypeError, ["schedule", "'cosine'"]),
        (dict(schedule=[]), ValueError, ["schedule", "[]"]),
        (dict(schedule=[0.1, -1.0]), ValueError, ["schedule[1]", "-1.0"]),
        (dict(epochs=0), ValueError, ["epochs", "0"]),
        (dict(epochs=2.0), TypeError, ["epochs", "2.0"]),
        (dict(batch_size=0), ValueError, ["batch_size", "0"]),
        (dict(hidden=True), TypeError, ["hidden", "True"]),
        (dict(activation="sigmoid"), ValueError, ["activation", "'sigmoid'", "'relu'", "'tanh'"]),
        (dict(method="adam"), ValueError, ["method", "'adam'", "'gd'", "'momentum'"]),
        (dict(momentum=1.0), ValueError, ["momentum", "1.0"]),
        (dict(seed=-1), ValueError, ["seed", "-1"]),
    ],
)
def test_train_mlp_names_a_bad_argument(kwargs, error, fragments):
    with pytest.raises(error) as info:
        train_mlp(**{**VALID, **kwargs})
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize(
    "call, kwargs, error, fragments",
    [
        (load_digits, dict(validation=0.0), ValueError, ["validation", "0.0"]),
        (load_digits, dict(validation=1), ValueError, ["validation", "1"]),
        (load_digits, dict(seed=1.5), TypeError, ["seed", "1.5"]),
        (init_mlp, dict(features=64, classes=1), ValueError, ["classes", "1"]),
        (init_mlp, dict(features=0, classes=10), ValueError, ["features", "0"]),
        (init_mlp, dict(features=64, classes=10, activation="gelu"), ValueError, ["activation", "'gelu'"]),
        (init_mlp, dict(features=64, classes=10, objective="l2"), ValueError, ["objective", "'l2'", "'mse'"]),
        (init_mlp, dict(features=64, classes=10, objective=None), ValueError, ["objective", "None"]),
        (mlp_lr_range_test, dict(data=DATA, lr_min=0.0), ValueError, ["lr_min", "0.0"]),
        (mlp_lr_range_test, dict(data=DATA, lr_min=1.0, lr_max=0.5), ValueError, ["lr_max", "0.5"]),
        (mlp_lr_range_test, dict(data=DATA, steps=1), ValueError, ["steps", "1"]),
        (mlp_lr_range_test, dict(data=DATA, smoothing=1.0), ValueError, ["smoothing", "1.0"]),
        (mlp_lr_range_test, dict(data=DATA, diverge_factor=1.0), ValueError, ["diverge_factor", "1.0"]),
        (mlp_lr_range_test, dict(data=DATA, rule="valley"), ValueError, ["rule", "'valley'", "'steepest'"]),
        (mlp_lr_range_test, dict(data="digits"), TypeError, ["data", "'digits'"]),
        (mlp_lr_range_test, dict(data=DATA, skip_start=-1), ValueError, ["skip_start", "-1"]),
        (mlp_lr_range_test, dict(data=DATA, skip_start=2.0), TypeError, ["skip_start", "2.0"]),
    ],
)
def test_the_other_functions_name_a_bad_argument(call, kwargs, error, fragments):
    with pytest.raises(error) as info:
        call(**kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


# ---------------------------------------------------------------- the LR range test


def test_range_test_ramps_exponentially_over_minibatches_and_stops_at_the_blow_up():
    result = mlp_lr_range_test(DATA, lr_min=1e-3, lr_max=100.0, steps=120, hidden=16)
    i = np.arange(len(result.lrs))
    np.testing.assert_allclose(result.lrs, 1e-3 * (100.0 / 1e-3) ** (i / 119), rtol=1e-12)
    assert result.stopped_early and len(result.lrs) < 120
    best_so_far = np.minimum.accumulate(result.smoothed)
    assert result.smoothed[-1] > 4.0 * best_so_far[-1]  # the first blown-up point is kept ...
    assert (result.smoothed[:-1] <= 4.0 * best_so_far[:-1]).all()  # ... and it is the first
    assert result.suggested_lr < result.lrs[-1]
    assert not train_mlp(DATA, result.suggested_lr, epochs=2, hidden=16).diverged


def test_range_test_smooths_and_suggests_by_the_rules_of_lr_range_test():
    for rule in ("steepest", "min/10"):
        result = mlp_lr_range_test(DATA, steps=80, hidden=16, smoothing=0.8, rule=rule)
        average, smoothed = 0.0, []
        for k, loss in enumerate(result.losses):
            average = 0.8 * average + 0.2 * loss
            smoothed.append(average / (1 - 0.8 ** (k + 1)))
        np.testing.assert_allclose(result.smoothed, smoothed, rtol=1e-12)
        best = int(np.argmin(result.smoothed))
        if rule == "min/10":
            assert result.suggested_lr == pytest.approx(result.lrs[best] / 10)
        else:
            slope = np.gradient(result.smoothed[: best + 1], np.log(result.lrs[: best + 1]))
            assert result.suggested_lr == result.lrs[int(np.argmin(slope))]
        assert result.rule == rule and result.rule_text == lrlab.optim.RANGE_TEST_RULES[rule]


def test_range_test_skip_start_reads_the_curve_without_its_first_rates():
    """Minibatch noise at the start of the ramp can make the steepest fall a fluke at lr_min
    (seeds 1 and 4 of the digits, chapter 13); skipping the first 10 rates reads past it."""
    for seed in (1, 4):
        plain = mlp_lr_range_test(DATA, seed=seed)
        skipped = mlp_lr_range_test(DATA, seed=seed, skip_start=10)
        assert plain.suggested_lr in plain.lrs[:10]  # the fluke, among the first rates
        np.testing.assert_array_equal(skipped.smoothed, plain.smoothed)  # the same curve, all of it
        best = int(np.argmin(plain.smoothed))
        slope = np.gradient(plain.smoothed[10 : best + 1], np.log(plain.lrs[10 : best + 1]))
        assert skipped.suggested_lr == plain.lrs[10 + int(np.argmin(slope))] > 100 * plain.lrs[0]
        assert skipped.skip_start == 10 and "skip_start=10" in repr(skipped)


def test_range_test_runs_the_network_train_mlp_would_train():
    result = mlp_lr_range_test(DATA, lr_min=1e-3, lr_max=1e-2, steps=50, hidden=16, seed=2)
    assert not result.stopped_early and len(result.lrs) == 50  # no blow-up at such small rates
    run = train_mlp(DATA, 1e-3, epochs=1, hidden=16, seed=2)
    assert result.losses[0] == pytest.approx(run.losses[0], rel=1e-12)  # same weights, same first batch


def test_tanh_networks_and_any_dataset_train_too():
    rng = np.random.default_rng(0)  # seeded: two separable blobs
    X = np.concatenate([rng.normal(-2, 1, (60, 3)), rng.normal(2, 1, (60, 3))])
    y = np.repeat([0, 1], 60)
    blobs = Dataset(X[::2], y[::2], X[1::2], y[1::2], name="blobs")
    assert blobs.classes == 2 and blobs.steps_per_epoch(16) == 4
    run = train_mlp(blobs, 0.2, epochs=5, batch_size=16, hidden=4, activation="tanh")
    assert run.final_val_accuracy > 0.95 and run.model.activation == "tanh"


def test_importing_the_module_loads_neither_scikit_learn_nor_threadpoolctl():
    code = "import sys, lrlab.network; print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'threadpoolctl'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_training_run_is_frozen():
    run = train_mlp(DATA, 0.1, epochs=1, hidden=8)
    assert isinstance(run, TrainingRun) and isinstance(run.model, MLP)
    with pytest.raises(AttributeError):
        run.diverged = True


def test_range_test_refuses_to_suggest_when_the_loss_never_fell():
    # lr_min = 10 makes the loss explode from the first update: no rate is suggested, the error says why.
    with pytest.raises(ValueError, match="never fell below its starting value.*lr_min=10 is already too large"):
        mlp_lr_range_test(DATA, lr_min=10.0, lr_max=100.0, hidden=16)
    with pytest.raises(ValueError, match="did not fall over the rates tried.*raise lr_max"):
        mlp_lr_range_test(DATA, lr_min=1e-9, lr_max=1e-8, steps=20, hidden=16, seed=2)
    with pytest.raises(ValueError, match="skip_start must be less than steps=20"):
        mlp_lr_range_test(DATA, steps=20, skip_start=20)


# ---------------------------------------------------------------- shifted digits, seeds per run, sharpness


def test_shift_images_moves_each_image_one_pixel_four_ways_and_blanks_what_enters():
    img = np.arange(1.0, 17.0).reshape(1, 16)  # one 4 × 4 image, no zero pixel
    out = shift_images(img, side=4).reshape(5, 4, 4)
    square = img.reshape(4, 4)
    np.testing.assert_array_equal(out[0], square)
    np.testing.assert_array_equal(out[1, :3], square[1:])  # up
    np.testing.assert_array_equal(out[2, 1:], square[:3])  # down
    np.testing.assert_array_equal(out[3, :, :3], square[:, 1:])  # left
    np.testing.assert_array_equal(out[4, :, 1:], square[:, :3])  # right
    assert not out[1, 3].any() and not out[2, 0].any() and not out[3, :, 3].any() and not out[4, :, 0].any()


def test_augmented_digits_are_the_split_plus_four_shifts_with_the_same_validation_set():
    pytest.importorskip("sklearn.datasets")
    big = load_digits(augment=True)
    assert big.name == "digits+shifts" and len(big.y_train) == 5 * len(DATA.y_train)
    np.testing.assert_array_equal(big.y_train, np.tile(DATA.y_train, 5))
    np.testing.assert_array_equal(big.y_val, DATA.y_val)
    # Standardized with the enlarged set's statistics: undo both and the validation images agree.
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, _ = sklearn_datasets.load_digits(return_X_y=True)
    raw_train = X[np.isin(np.arange(len(X)), np.flatnonzero(~_held_out()))]
    shifted = shift_images(raw_train)
    mean, std = shifted.mean(axis=0), shifted.std(axis=0)
    std[std == 0] = 1.0
    np.testing.assert_allclose(big.X_train, (shifted - mean) / std, atol=1e-12)
    assert load_digits(augment=True).X_train.tobytes() == big.X_train.tobytes()  # deterministic


def _held_out():
    """The validation mask load_digits() draws (seed 0, 20% of each class)."""
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    _, y = sklearn_datasets.load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    held = np.zeros(len(y), dtype=bool)
    for label in range(10):
        members = np.flatnonzero(y == label)
        held[rng.permutation(members)[: round(0.2 * len(members))]] = True
    return held


def test_one_seed_per_run_gives_each_run_the_run_its_seed_gives_alone():
    schedules = [0.05, lrlab.cosine(0.3, total_steps=90), 0.05, 5.0]
    seeds = [0, 3, 2, 3]
    together = train_mlp(DATA, schedules, seed=seeds, **SMALL)
    assert together.diverged.tolist() == [False, False, False, True]
    for i, (s, seed) in enumerate(zip(schedules, seeds)):
        alone = train_mlp(DATA, s, seed=seed, **SMALL)
        k = alone.stopped_at
        np.testing.assert_allclose(together.losses[:k, i], alone.losses, rtol=1e-12)
        if not alone.diverged:
            np.testing.assert_allclose(together.val_loss[:, i], alone.val_loss, rtol=1e-12)
            np.testing.assert_allclose(together.models[i].params, alone.model.params, rtol=1e-12, atol=1e-15)
    # Equal seeds in a list are the shared-seed call.
    shared = train_mlp(DATA, schedules[:2], seed=[1, 1], **SMALL)
    np.testing.assert_array_equal(shared.losses, train_mlp(DATA, schedules[:2], seed=1, **SMALL).losses)


@pytest.mark.parametrize(
    "kwargs, error, fragments",
    [
        (dict(schedule=[0.1, 0.2], seed=[0]), ValueError, ["seed", "one integer per schedule (2)"]),
        (dict(schedule=[0.1, 0.2], seed=[0, -1]), ValueError, ["seed[1]", "-1"]),
        (dict(schedule=[0.1, 0.2], seed=[0, 1.5]), TypeError, ["seed[1]", "1.5"]),
        (dict(schedule=[0.1, 0.2], seed=[[0, 1]]), ValueError, ["seed", "one integer per schedule"]),
        (dict(schedule=0.1, seed=[0]), TypeError, ["seed", "list of schedules"]),
    ],
)
def test_a_list_of_seeds_is_checked(kwargs, error, fragments):
    with pytest.raises(error) as info:
        train_mlp(DATA, epochs=1, hidden=4, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize("objective", ["cross_entropy", "mse"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_hessian_vector_products_match_the_hessian_of_central_differences_of_the_loss(activation, objective):
    X, y = toy()
    net = random_net(activation, hidden=3, objective=objective)
    n, step = net.size, 1e-4
    f = lambda p: net.with_params(p).loss(X, y)  # noqa: E731
    hessian = np.empty((n, n))
    for i in range(n):  # second differences of the loss alone, no gradient involved
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * step, np.eye(n)[j] * step
            p = net.params
            hessian[i, j] = hessian[j, i] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej) + f(p - ei - ej)) / (4 * step**2)
    v = np.random.default_rng(3).normal(size=n)  # seeded: the same direction every run
    np.testing.assert_allclose(net.hessian_vector_product(X, y, v), hessian @ v, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(net.hessian_vector_product(X, y, 2.5 * v), 2.5 * (hessian @ v), rtol=1e-4, atol=1e-6)
    assert not net.hessian_vector_product(X, y, np.zeros(n)).any()
    top = np.linalg.eigvalsh(hessian)
    largest = top[np.argmax(np.abs(top))]
    assert net.sharpness(X, y, iters=300) == pytest.approx(largest, rel=1e-3)


def test_sharpness_is_seeded_and_equals_a_power_iteration_from_that_start():
    X, y = toy()
    net = random_net("tanh")
    v = np.random.default_rng(4).normal(size=net.size)
    v /= np.linalg.norm(v)
    for _ in range(7):
        w = net.hessian_vector_product(X, y, v)
        lam, v = v @ w, w / np.linalg.norm(w)
    assert net.sharpness(X, y, iters=7, seed=4) == pytest.approx(lam, rel=1e-12)
    assert net.sharpness(X, y, iters=7, seed=4) == net.sharpness(X, y, iters=7, seed=4)


@pytest.mark.parametrize(
    "method, kwargs, error, fragments",
    [
        ("hessian_vector_product", dict(v=np.ones(3)), ValueError, ["v", "shape"]),
        ("hessian_vector_product", dict(v="ones"), TypeError, ["v"]),
        ("hessian_vector_product", dict(v=None, delta=0.0), ValueError, ["delta", "0.0"]),
        ("sharpness", dict(iters=0), ValueError, ["iters", "0"]),
        ("sharpness", dict(iters=2.0), TypeError, ["iters", "2.0"]),
        ("sharpness", dict(delta=-1.0), ValueError, ["delta", "-1.0"]),
        ("sharpness", dict(seed=-1), ValueError, ["seed", "-1"]),
    ],
)
def test_sharpness_and_hessian_vector_products_name_a_bad_argument(method, kwargs, error, fragments):
    X, y = toy()
    net = random_net("relu")
    if kwargs.get("v", 0) is None:
        kwargs = {**kwargs, "v": np.ones(net.size)}
    with pytest.raises(error) as info:
        getattr(net, method)(X, y, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize(
    "kwargs, error, fragments",
    [
        (dict(augment=1), TypeError, ["augment", "1"]),
        (dict(augment="yes"), TypeError, ["augment", "'yes'"]),
    ],
)
def test_load_digits_names_a_bad_augment(kwargs, error, fragments):
    with pytest.raises(error) as info:
        load_digits(**kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_shift_images_names_a_bad_argument():
    with pytest.raises(ValueError, match="side² = 64 columns"):
        shift_images(np.zeros((2, 63)))
    with pytest.raises(TypeError, match="side"):
        shift_images(np.zeros((2, 64)), side=8.0)
