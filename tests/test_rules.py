"""Update rules as data, the one rate plan and the stopping of runs (lrlab.rules).

The rules are checked against their formulas written out by hand for one or two updates, and
``descend`` against a plain loop over a rule; the golden values (test_golden.py) check the
whole trajectories against PyTorch.
"""

import numpy as np
import pytest

import lrlab
from lrlab import optim, rules
from lrlab.rules import METHODS, RULES, RatePlan, Stops, UpdateRule, make_rule, rate_plan

BOWL = lrlab.quadratic_bowl()


def test_methods_are_the_registry_and_optim_reads_the_same():
    assert METHODS == tuple(RULES) == ("gd", "momentum", "nesterov", "adam", "schedule_free")
    assert optim.METHODS is METHODS and lrlab.METHODS is METHODS
    for name, build in RULES.items():
        rule = make_rule(name)
        assert isinstance(rule, UpdateRule) and rule.name == name and repr(rule) == f"UpdateRule({name!r})"
        assert type(build()) is UpdateRule


def quadratic_grad(x):
    """The gradient of f(x) = x1² + 3·x2² (a (runs, 2) array)."""
    return x * np.array([2.0, 6.0])


X0 = np.array([[1.0, -2.0], [0.5, 4.0]])
LR = np.array([0.1, 0.05])


def two_updates(rule):
    x, state = X0, rule.init(X0)
    points = []
    for t in range(2):
        g = quadratic_grad(rule.query(x, state))
        x, state = rule.update(g, state, x, LR, t)
        points.append(rule.report(x, state))
    return points


def test_gd_by_hand():
    x1, x2 = two_updates(rules.gd_rule())
    expected1 = X0 - LR[:, None] * quadratic_grad(X0)
    np.testing.assert_array_equal(x1, expected1)
    np.testing.assert_array_equal(x2, expected1 - LR[:, None] * quadratic_grad(expected1))


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_and_nesterov_by_hand(nesterov):
    mu = 0.7
    rule = rules.nesterov_rule(mu) if nesterov else rules.momentum_rule(mu)
    x1, x2 = two_updates(rule)
    g0 = quadratic_grad(X0)
    b0 = g0  # b_0 = g_0
    step0 = g0 + mu * b0 if nesterov else b0
    np.testing.assert_allclose(x1, X0 - LR[:, None] * step0, rtol=1e-15)
    g1 = quadratic_grad(x1)
    b1 = mu * b0 + g1
    step1 = g1 + mu * b1 if nesterov else b1
    np.testing.assert_allclose(x2, x1 - LR[:, None] * step1, rtol=1e-15)


def test_adam_by_hand():
    b1, b2, eps = 0.8, 0.99, 1e-8
    x1, x2 = two_updates(rules.adam_rule((b1, b2), eps))
    g0 = quadratic_grad(X0)
    m, v = (1 - b1) * g0, (1 - b2) * g0**2
    np.testing.assert_allclose(x1, X0 - LR[:, None] * (m / (1 - b1)) / (np.sqrt(v / (1 - b2)) + eps), rtol=1e-12)
    g1 = quadratic_grad(x1)
    m, v = b1 * m + (1 - b1) * g1, b2 * v + (1 - b2) * g1**2
    expected = x1 - LR[:, None] * (m / (1 - b1**2)) / (np.sqrt(v / (1 - b2**2)) + eps)
    np.testing.assert_allclose(x2, expected, rtol=1e-12)


def test_schedule_free_queries_y_and_reports_the_average_x():
    beta = 0.6
    rule = rules.schedule_free_rule(beta)
    state = rule.init(X0)
    np.testing.assert_array_equal(rule.query(X0, state), X0)  # y_0 = x_0 = z_0
    x1, state = rule.update(quadratic_grad(X0), state, X0, LR, 0)
    z1 = X0 - LR[:, None] * quadratic_grad(X0)
    np.testing.assert_allclose(x1, z1)  # c_1 = w_0 / w_0 = 1
    np.testing.assert_array_equal(rule.report(x1, state), x1)
    # the second rate is lower: the weight stays (max rate)², so c_2 = 1/2
    lr2 = LR / 2
    y1 = rule.query(x1, state)
    np.testing.assert_allclose(y1, (1 - beta) * z1 + beta * x1)
    x2, state = rule.update(quadratic_grad(y1), state, x1, lr2, 1)
    z2 = z1 - lr2[:, None] * quadratic_grad(y1)
    np.testing.assert_allclose(x2, x1 + 0.5 * (z2 - x1), rtol=1e-14)


def test_schedule_free_with_zero_rates_does_not_move():
    rule = rules.schedule_free_rule()
    x, state = rule.update(quadratic_grad(X0), rule.init(X0), X0, np.zeros(2), 0)
    np.testing.assert_array_equal(x, X0)


@pytest.mark.parametrize("method", METHODS)
def test_descend_is_the_plain_loop_over_the_rule(method):
    """descend(...) gives the points of the textbook loop over its rule, bit for bit."""
    surface = lrlab.elongated_valley(condition_number=10)
    schedule = lrlab.cosine(0.15, 40)
    run = lrlab.descend(surface, schedule, start=X0, steps=40, method=method, momentum=0.8)
    rule = make_rule(method, momentum=0.8)
    x, state = X0, rule.init(X0)
    for t in range(40):
        g = surface.grad(rule.query(x, state))
        x, state = rule.update(g, state, x, np.full(2, schedule(t)), t)
        np.testing.assert_array_equal(run.points[t + 1], rule.report(x, state))


def test_the_rules_work_on_network_parameter_vectors():
    theta = np.random.default_rng(0).normal(size=(3, 50))
    grads = np.random.default_rng(1).normal(size=(3, 50))
    for name in METHODS:
        rule = make_rule(name)
        new, state = rule.update(grads, rule.init(theta), theta, np.array([0.1, 0.0, 0.2]), 0)
        assert new.shape == theta.shape
        np.testing.assert_array_equal(new[1], theta[1])  # a zero rate leaves a run where it is


def test_make_rule_gives_each_builder_only_its_own_hyperparameters():
    # a bad Adam constant does not matter to gd; it is named for adam
    assert make_rule("gd", betas=(2.0, 0.5)).name == "gd"
    with pytest.raises(ValueError, match=r"betas\[0\] must be .*got 2\.0"):
        make_rule("adam", betas=(2.0, 0.5))
    with pytest.raises(ValueError, match="momentum"):
        make_rule("nesterov", momentum=0.0)
    with pytest.raises(ValueError, match="method"):
        make_rule("sgd")
    with pytest.raises(TypeError, match=r"betas must be a pair \(beta1, beta2\), got 0\.9"):
        rules.check_betas(0.9)
    assert rules.check_betas(np.array([0.5, 0.25])) == (0.5, 0.25)


# ---------------------------------------------------------------- the rate plan


def test_rate_plan_of_each_kind_of_schedule():
    steps = 6
    number = rate_plan(0.3, steps)
    assert number.table.shape == (steps, 1) and not number.adaptive and not number.batched
    np.testing.assert_array_equal(number.rates(2), [0.3])
    sched = lrlab.step_decay(1.0, 2, 0.5)
    np.testing.assert_array_equal(rate_plan(sched, steps).table[:, 0], sched(np.arange(steps)))
    table = np.linspace(1.0, 0.0, steps)
    assert not rate_plan(table, steps).batched
    wide = rate_plan(np.ones((steps, 3)), steps)
    assert wide.runs == 3 and wide.batched
    mixed = rate_plan([0.1, lrlab.ReduceOnPlateau(0.5), sched], steps)
    assert mixed.adaptive and mixed.batched and mixed.runs == 3
    np.testing.assert_array_equal(mixed.rates(1), [0.1, 0.5, 1.0])
    assert np.isnan(mixed.table[:, 1]).all()


def test_feeding_the_plan_steps_its_own_plateau_copies():
    given = lrlab.ReduceOnPlateau(1.0, factor=0.5, patience=0)
    plan = rate_plan([given, 0.2], 4)
    for loss in (1.0, 2.0):
        plan.feed(np.array([loss, loss]), np.array([True, True]))
    np.testing.assert_array_equal(plan.rates(3), [0.5, 0.2])  # one bad step past patience 0: cut
    assert given.lr == 1.0 and given.steps == 0  # the object passed in is not changed
    plan.feed(np.array([5.0, 5.0]), np.array([False, True]))  # a stopped run's plateau is not fed
    assert plan.used()[0].steps == 2


def test_a_one_run_plan_for_many_runs_gives_each_its_own_plateau():
    plan = rate_plan(lrlab.ReduceOnPlateau(0.4), 5).for_runs(3)
    assert plan.runs == 3 and len({id(p) for p in plan.used()}) == 3
    fixed = rate_plan(0.1, 5).for_runs(4)
    assert fixed.rates(0).shape == (4,) and fixed.used() == ()
    with pytest.raises(ValueError, match="rates for 2 runs, not 3"):
        rate_plan([0.1, 0.2], 5).for_runs(3)


@pytest.mark.parametrize(
    "schedule, error, message",
    [
        ([], ValueError, r"schedule as a list must hold one schedule per run, got \[\]"),
        (np.array(["a"]), TypeError, "schedule as an array must hold numbers"),
        (np.ones(4), ValueError, r"must have shape \(steps,\) or \(steps, runs\) with steps=5, got shape \(4,\)"),
        (np.array([0.1, -1.0, 0, 0, 0]), ValueError, "finite rates >= 0, got np.float64\\(-1.0\\) at step 1"),
        (-1, ValueError, "schedule must be positive, got -1.0"),
        ([0.1, "x"], TypeError, r"schedule\[1\] must be an lrlab schedule or a positive number, got 'x'"),
    ],
)
def test_rate_plan_names_what_is_wrong(schedule, error, message):
    with pytest.raises(error, match=message):
        rate_plan(schedule, 5)


def test_descend_and_train_mlp_read_every_kind_of_schedule_the_same_way():
    plateau = lrlab.ReduceOnPlateau(0.3, patience=1)
    both = lrlab.descend(BOWL, [0.2, plateau], steps=30)
    alone = [lrlab.descend(BOWL, s, steps=30) for s in (0.2, plateau)]
    for r in range(2):
        np.testing.assert_array_equal(both.points[:, r], alone[r].points)
    assert len(both.plateaus) == 1 and plateau.steps == 0
    data = lrlab.load_digits()
    steps = 2 * data.steps_per_epoch(256)
    by_table = lrlab.train_mlp(data, np.full(steps, 0.1), epochs=2, hidden=4, batch_size=256)
    by_number = lrlab.train_mlp(data, 0.1, epochs=2, hidden=4, batch_size=256)
    np.testing.assert_array_equal(by_table.losses, by_number.losses)


def test_is_plateau():
    assert lrlab.plateau.is_plateau(lrlab.ReduceOnPlateau(0.1))
    assert not any(lrlab.plateau.is_plateau(x) for x in (0.1, lrlab.cosine(0.1, 10), None))
    assert rate_plan(lrlab.ReduceOnPlateau(0.1), 3).adaptive


# ---------------------------------------------------------------- stopping runs


def test_stops_keep_the_first_stop_and_park_the_stopped_runs():
    stops = Stops(3, steps=10)
    assert not stops.stop(np.array([False, False, False]), 1) and stops.everyone_active
    assert stops.stop(np.array([False, True, False]), 4)
    assert not stops.stop(np.array([False, True, False]), 5)  # a stopped run stays stopped at 4
    assert stops.stopped_at.tolist() == [10, 4, 10] and stops.diverged.tolist() == [False, True, False]
    rule = rules.schedule_free_rule()
    x = np.arange(6.0).reshape(3, 2)
    state = rule.update(np.ones((3, 2)), rule.init(x), x, np.full(3, 0.1), 0)[1]
    home = np.array([-1.0, -1.0])
    parked, state = stops.park(x, state, rule, home)
    np.testing.assert_array_equal(parked[1], home)
    np.testing.assert_array_equal(state["z"][1], home)
    np.testing.assert_array_equal(parked[[0, 2]], x[[0, 2]])
    moment = rules.momentum_rule()
    buf = moment.update(np.ones((3, 2)), moment.init(x), x, np.full(3, 0.1), 0)[1]
    assert stops.park(x, buf, moment, home)[1]["buf"][1].tolist() == [0.0, 0.0]


def test_a_plan_is_described_by_its_repr():
    assert repr(rate_plan([0.1, 0.2], 7)) == "RatePlan(steps=7, runs=2, adaptive=False, batched=True)"
    assert isinstance(rate_plan(0.1, 1), RatePlan)
    assert repr(Stops(2, 5)) == "Stops(runs=2, active=2)"
