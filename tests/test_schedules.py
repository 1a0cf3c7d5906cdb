"""Each schedule, specified by its formula written out plainly, step by step, in Python.

These references are deliberately naive (math, a loop over steps) so that they are an
independent statement of the formulas in the schedules' docstrings; golden values from PyTorch live in
test_golden.py, and random-parameter properties in test_properties.py.
"""

import inspect
import math

import numpy as np
import pytest

import lrlab

T = np.arange(0, 250)


def check(schedule, reference, steps=T):
    expected = [reference(int(t)) for t in steps]
    np.testing.assert_allclose(schedule(steps), expected, rtol=1e-12, atol=1e-15)
    for t in steps[:: max(1, len(steps) // 25)]:
        assert isinstance(schedule(int(t)), float)


def test_constant():
    check(lrlab.constant(0.3), lambda t: 0.3)


def test_step_decay_drops_by_gamma_every_step_size():
    check(lrlab.step_decay(0.1, step_size=30, gamma=0.5), lambda t: 0.1 * 0.5 ** (t // 30))


def test_multistep_counts_milestones_reached_including_one_at_zero():
    ms = [0, 40, 41, 200]
    check(lrlab.multistep(0.1, ms, gamma=0.3), lambda t: 0.1 * 0.3 ** sum(m <= t for m in ms))


def test_exponential():
    check(lrlab.exponential(0.2, 0.97), lambda t: 0.2 * 0.97**t)


def test_exponential_distance_budget_is_lr0_over_one_minus_rate():
    s = lrlab.exponential(0.1, 0.9)
    assert s(np.arange(2000)).sum() == pytest.approx(0.1 / (1 - 0.9), rel=1e-12)


def test_inverse_time():
    check(lrlab.inverse_time(0.5, decay_rate=0.3, decay_steps=7), lambda t: 0.5 / (1 + 0.3 * t / 7))


def test_inverse_sqrt_warms_up_to_lr0_then_decays_like_one_over_sqrt_t():
    w = 16
    check(lrlab.inverse_sqrt(1e-3, w), lambda t: 1e-3 * t / w if t < w else 1e-3 * math.sqrt(w / t))
    assert lrlab.inverse_sqrt(1e-3, w)(w) == 1e-3


def test_cosine_reaches_lr_min_at_T_and_holds_it():
    s = lrlab.cosine(0.1, total_steps=100, lr_min=0.002)

    def ref(t):
        t = min(t, 100)
        return 0.002 + (0.1 - 0.002) * (1 + math.cos(math.pi * t / 100)) / 2

    check(s, ref)
    assert s(100) == 0.002 and s(1000) == 0.002


@pytest.mark.parametrize("power", [0.5, 1.0, 2.0, 3.0])
def test_polynomial(power):
    s = lrlab.polynomial(0.1, total_steps=120, power=power, lr_end=0.001)
    check(s, lambda t: (0.1 - 0.001) * (1 - min(t, 120) / 120) ** power + 0.001)


def test_linear_warmup_ramps_to_the_first_rate_then_runs_the_schedule_on_its_own_clock():
    inner = lrlab.exponential(0.1, 0.98)
    s = lrlab.linear_warmup(inner, warmup_steps=10, start_factor=0.2)
    check(s, lambda t: 0.1 * (0.2 + 0.8 * t / 10) if t < 10 else inner(t - 10))


def test_linear_warmup_default_starts_at_zero():
    assert lrlab.linear_warmup(lrlab.constant(0.1), 5)(0) == 0.0


def test_sequential_pieces_run_on_their_own_clock_and_compose():
    warm = lrlab.linear_warmup(lrlab.constant(0.1), 5)
    pieces = [warm, lrlab.cosine(0.1, 50), lrlab.step_decay(0.01, 20, 0.5)]
    s = lrlab.sequential(pieces, boundaries=[10, 60])

    def ref(t):
        if t < 10:
            return warm(t)
        if t < 60:
            return pieces[1](t - 10)
        return pieces[2](t - 60)

    check(s, ref)
    nested = lrlab.sequential([s, 0.005], boundaries=[100])
    check(nested, lambda t: ref(t) if t < 100 else 0.005)


def _sgdr_reference(lr0, period, mult, lr_min):
    def ref(t):
        t_i, t_cur = period, t
        while t_cur >= t_i:
            t_cur -= t_i
            t_i *= mult
        return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2

    return ref


@pytest.mark.parametrize("mult", [1, 2, 3])
def test_cosine_restarts_follows_sgdr(mult):
    check(lrlab.cosine_restarts(0.1, 7, mult, 0.01), _sgdr_reference(0.1, 7, mult, 0.01))


def test_cosine_restarts_finds_late_cycles_exactly():
    steps = np.arange(0, 200_000, 37)
    check(lrlab.cosine_restarts(0.1, 3, 2), _sgdr_reference(0.1, 3, 2, 0.0), steps)


def _smith_reference(lo, hi, up, down, mode, gamma):
    def ref(t):
        cycle_len = up + down
        cycle = t // cycle_len + 1
        pos = t % cycle_len
        frac = pos / up if pos <= up else 1 - (pos - up) / down
        scale = {"triangular": 1.0, "triangular2": 0.5 ** (cycle - 1), "exp_range": gamma**t}[mode]
        return lo + (hi - lo) * frac * scale

    return ref


@pytest.mark.parametrize("mode", lrlab.schedules.CYCLIC_MODES)
@pytest.mark.parametrize("up, down", [(10, 10), (5, 15)])
def test_cyclic_triangles(mode, up, down):
    s = lrlab.cyclic(0.01, 0.1, up, down, mode=mode, gamma=0.995)
    check(s, _smith_reference(0.01, 0.1, up, down, mode, 0.995))


@pytest.mark.parametrize("anneal", ["cos", "linear"])
@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_passes_through_its_landmarks(anneal, three_phase):
    s = lrlab.one_cycle(1.0, total_steps=200, pct_start=0.25, anneal=anneal, three_phase=three_phase)
    assert s(0) == pytest.approx(1.0 / 25)
    assert s(49) == 1.0  # the end of the warmup, pct_start·T − 1
    if three_phase:
        assert s(98) == pytest.approx(1.0 / 25)  # back to the initial rate at 2·pct_start·T − 2
    assert s(199) == pytest.approx(1.0 / 25 / 1e4, rel=1e-12)
    assert s(500) == s(199)
    assert s(np.arange(200)).max() == 1.0


def test_one_cycle_cos_phase_is_half_a_cosine():
    s = lrlab.one_cycle(1.0, total_steps=101, pct_start=0.5, div_factor=10, final_div_factor=1)
    # up-phase ends at 49.5; at t the fraction done is t / 49.5
    t = 20
    pct = t / 49.5
    assert s(t) == pytest.approx(1.0 + (0.1 - 1.0) * (1 + math.cos(math.pi * pct)) / 2, rel=1e-14)


@pytest.mark.parametrize(
    "decay, shape",
    [("linear", lambda p: 1 - p), ("cosine", lambda p: (1 + math.cos(math.pi * p)) / 2), ("1-sqrt", lambda p: 1 - math.sqrt(p))],
)
def test_wsd_warms_up_holds_then_decays(decay, shape):
    s = lrlab.wsd(0.1, total_steps=200, warmup_steps=20, decay_steps=50, lr_min=0.001, decay=decay)

    def ref(t):
        if t < 20:
            return 0.1 * t / 20
        if t < 150:
            return 0.1
        return 0.001 + (0.1 - 0.001) * shape(min((t - 150) / 50, 1.0))

    check(s, ref)


def test_wsd_without_warmup_starts_at_lr0():
    assert lrlab.wsd(0.1, 100, 0, 10)(0) == 0.1


# ---------------------------------------------------------------- shared behaviour


ALL = [
    lrlab.constant(0.1),
    lrlab.step_decay(0.1, 10),
    lrlab.multistep(0.1, [5, 9]),
    lrlab.exponential(0.1, 0.9),
    lrlab.inverse_time(0.1, 0.5),
    lrlab.inverse_sqrt(0.1, 10),
    lrlab.cosine(0.1, 50),
    lrlab.polynomial(0.1, 50, 2.0),
    lrlab.linear_warmup(lrlab.cosine(0.1, 50), 5),
    lrlab.sequential([0.1, lrlab.exponential(0.1, 0.9)], [10]),
    lrlab.cosine_restarts(0.1, 10, 2),
    lrlab.cyclic(0.01, 0.1, 5),
    lrlab.one_cycle(0.1, 50),
    lrlab.wsd(0.1, 50, 5, 10),
]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_array_in_array_of_same_shape_out(schedule):
    t = np.arange(24).reshape(2, 3, 4)
    out = schedule(t)
    assert out.shape == (2, 3, 4) and out.dtype == np.float64
    np.testing.assert_array_equal(out.ravel(), [schedule(int(k)) for k in t.ravel()])


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_repr_rebuilds_the_schedule(schedule):
    namespace = {name: getattr(lrlab, name) for name in lrlab.__all__}
    assert eval(repr(schedule), namespace) == schedule


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_schedules_are_immutable(schedule):
    name = next(iter(schedule.params))
    with pytest.raises(AttributeError, match="immutable"):
        setattr(schedule, name, 1.0)


@pytest.mark.parametrize("schedule", ALL + [lrlab.chebyshev(0.1, 1.0, 16), lrlab.silver(1.0)],
                         ids=lambda s: type(s).__name__)
def test_public_name_and_params_rebuild_the_schedule_and_match_its_repr(schedule):
    constructor = getattr(lrlab, schedule.name)
    assert constructor(**schedule.params) == schedule
    # the parameters come in the constructor's signature order, every one of them, as the repr shows them
    assert list(schedule.params) == list(inspect.signature(constructor).parameters)
    assert repr(schedule).startswith(f"{schedule.name}(")
    assert all(f"{key}=" in repr(schedule) for key in schedule.params)


def test_name_and_params_are_read_only_and_a_copy():
    s = lrlab.cosine(0.1, 100, lr_min=0.01)
    assert s.name == "cosine" and s.params == {"lr0": 0.1, "total_steps": 100, "lr_min": 0.01}
    s.params["lr0"] = 5.0  # the dict read is the reader's own
    assert s.params["lr0"] == 0.1 and s(0) == 0.1
    for attribute in ("name", "params"):
        with pytest.raises(AttributeError):
            setattr(s, attribute, "x")
    assert repr(s) == "cosine(lr0=0.1, total_steps=100, lr_min=0.01)"
    nested = lrlab.linear_warmup(s, warmup_steps=5)
    assert nested.params["schedule"] is s and nested.name == "linear_warmup"


def test_evaluating_a_schedule_has_no_side_effects():
    s = lrlab.cosine(0.1, 10)
    first = s(np.arange(20))
    s(np.arange(20))
    np.testing.assert_array_equal(s(np.arange(20)), first)
    assert repr(s) == "cosine(lr0=0.1, total_steps=10, lr_min=0.0)"


# ---------------------------------------------------------------- step-size theory: Chebyshev, silver


def chebyshev_reference(mu, L, n):
    """The Chebyshev rates written out: 1 / (roots of T_n mapped to [mu, L]), largest rate first."""
    roots = [(L + mu) / 2 - (L - mu) / 2 * math.cos((2 * i + 1) * math.pi / (2 * n)) for i in range(n)]
    return [1 / r for r in roots]


@pytest.mark.parametrize("n", [1, 2, 4, 8, 64])
def test_chebyshev_rates_are_the_inverse_roots_in_every_order(n):
    rates = chebyshev_reference(0.1, 2.0, n)
    for order, expected in [("decreasing", rates), ("increasing", rates[::-1])]:
        s = lrlab.chebyshev(0.1, 2.0, n, order=order)
        np.testing.assert_allclose(s.rates(), expected, rtol=1e-14)
        np.testing.assert_allclose(s(np.arange(n)), expected, rtol=1e-14)
    fractal = lrlab.chebyshev(0.1, 2.0, n).rates()
    np.testing.assert_allclose(np.sort(fractal), np.sort(rates), rtol=1e-14)  # the same rates, reordered


def test_chebyshev_fractal_order_interlaces_each_half_with_its_mirror():
    # sigma_1 = [0], sigma_2m = interlace(sigma_m, 2m - 1 - sigma_m)  (Agarwal, Goel & Zhang, 2021)
    rates = np.array(chebyshev_reference(0.1, 2.0, 8))
    expected_order = [0, 7, 3, 4, 1, 6, 2, 5]
    np.testing.assert_allclose(lrlab.chebyshev(0.1, 2.0, 8).rates(), rates[expected_order], rtol=1e-14)


def test_chebyshev_is_periodic_with_period_total_steps_and_constant_between_steps():
    s = lrlab.chebyshev(0.5, 4.0, 16)
    t = np.arange(16)
    np.testing.assert_array_equal(s(t + 16), s(t))
    np.testing.assert_array_equal(s(t + 0.5), s(t))


@pytest.mark.parametrize("kappa, n", [(10.0, 8), (100.0, 16), (1000.0, 64)])
def test_chebyshev_residual_polynomial_attains_the_predicted_bound(kappa, n):
    # After n steps, error along curvature h is multiplied by prod(1 - h * lr_i); its largest size
    # on [mu, L] is 1/T_n((kappa + 1)/(kappa - 1)).
    mu, L = 1.0 / kappa, 1.0
    h = np.linspace(mu, L, 4001)
    residual = np.prod(1 - h[:, None] * lrlab.chebyshev(mu, L, n).rates()[None], axis=1)
    bound = 1 / math.cosh(n * math.acosh((kappa + 1) / (kappa - 1)))
    assert np.abs(residual).max() == pytest.approx(bound, rel=1e-6)


def test_chebyshev_fractal_order_survives_floating_point_where_sorted_orders_blow_up():
    valley = lrlab.elongated_valley(condition_number=1000.0, rotation_deg=30.0)
    runs = {
        order: lrlab.descend(valley, lrlab.chebyshev(valley.mu, valley.L, 256, order=order), steps=256)
        for order in lrlab.CHEBYSHEV_ORDERS
    }
    assert not runs["fractal"].diverged and runs["increasing"].diverged and runs["decreasing"].diverged
    best_constant = lrlab.descend(valley, valley.optimal_lr, steps=256)
    assert runs["fractal"].final_loss < 1e-9 * best_constant.final_loss


def test_silver_rates_follow_the_two_adic_valuation():
    rho = 1 + math.sqrt(2)
    s = lrlab.silver(L=2.0)
    for t in range(64):
        i, nu = t + 1, 0
        while i % 2 == 0:
            i, nu = i // 2, nu + 1
        assert s(t) == pytest.approx((1 + rho ** (nu - 1)) / 2.0, rel=1e-14)
    np.testing.assert_allclose(s(np.arange(7)) * 2.0, [2**0.5, 2, 2**0.5, 2 + 2**0.5, 2**0.5, 2, 2**0.5], rtol=1e-14)


@pytest.mark.parametrize("k", [3, 5, 7, 9])
def test_silver_beats_the_constant_one_over_l_in_the_worst_case_by_the_predicted_power(k):
    # GD on f = h/2 * x^2 (0 < h <= L = 1) leaves f_n = f_0 * prod(1 - h * lr_i)^2. The worst case
    # over h of h * prod(...)^2 is the convex rate: ~1/(2en) for lr = 1/L, ~1/n^1.2716 for silver.
    n = 2**k - 1
    h = np.geomspace(1e-6, 1.0, 20001)[:, None]
    silver_worst = np.max(h[:, 0] * np.prod(1 - h * lrlab.silver(1.0)(np.arange(n)), axis=1) ** 2)
    constant_worst = np.max(h[:, 0] * (1 - h[:, 0]) ** (2 * n))
    ratio = constant_worst / silver_worst
    assert ratio == pytest.approx(n ** (math.log2(1 + math.sqrt(2)) - 1), rel=0.15)
