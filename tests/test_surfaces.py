"""Specification of lrlab.surfaces: the loss landscapes gradient descent walks on.

Read top to bottom: what every surface promises (calculus, shapes, immutability), what a
quadratic promises (the stability limit 2/L and friends), each constructor's particulars,
the noisy quadratic's randomness and noise floor, and finally how bad arguments are refused.
"""

from __future__ import annotations

import math

import numpy as np

import lrlab
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrlab.surfaces import (
    NoisyQuadratic,
    Quadratic,
    Surface,
    elongated_valley,
    multi_basin,
    noisy_quadratic,
    quadratic_bowl,
    rosenbrock,
)

# Factories, not instances: the noisy surface's generator advances, so each test builds its own.
SURFACES = {
    "bowl": lambda: quadratic_bowl(),
    "steep bowl": lambda: quadratic_bowl(curvature=3.0),
    "valley": lambda: elongated_valley(),
    "rotated valley": lambda: elongated_valley(condition_number=50.0, max_curvature=2.0, rotation_deg=30.0),
    "rosenbrock": lambda: rosenbrock(),
    "rosenbrock a=-2 b=10": lambda: rosenbrock(a=-2.0, b=10.0),
    "rosenbrock a=0.5 b=1": lambda: rosenbrock(a=0.5, b=1.0),
    "noisy": lambda: noisy_quadratic(),
    "noisy custom": lambda: noisy_quadratic(noise_std=0.5, curvatures=(0.3, 2.0), seed=7),
    "basins": lambda: multi_basin(),
    "basins custom": lambda: multi_basin(depths=(1.0, 3.0, 2.0), width=0.5, spread=1.5, bowl=0.3),
}
QUADRATICS = {k: f for k, f in SURFACES.items() if not k.startswith(("rosenbrock", "basins"))}

every_surface = pytest.mark.parametrize("make", SURFACES.values(), ids=SURFACES.keys())
every_quadratic = pytest.mark.parametrize("make", QUADRATICS.values(), ids=QUADRATICS.keys())


def points_in_bounds(surface: Surface, n: int = 64, seed: int = 0) -> np.ndarray:
    (x0, x1), (y0, y1) = surface.bounds
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


def central_differences(f, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d p_j by central differences, stacked on a new last axis j."""
    steps = h * np.eye(2)
    return np.stack([(f(p + e) - f(p - e)) / (2 * h) for e in steps], axis=-1)


def assert_close_relative(approx, exact, rtol=1e-6):
    """Equal to rtol relative to the largest entry (entries near 0 are compared on that scale)."""
    scale = 1.0 + np.abs(exact).max()
    np.testing.assert_allclose(approx, exact, rtol=rtol, atol=rtol * scale)


# --------------------------------------------------------------------------- every surface


@every_surface
def test_gradient_is_the_derivative_of_the_value(make):
    s = make()
    p = points_in_bounds(s)
    assert_close_relative(central_differences(s.value, p), s.expected_grad(p))


@every_surface
def test_hessian_is_the_derivative_of_the_gradient(make):
    s = make()
    p = points_in_bounds(s)
    assert_close_relative(central_differences(s.expected_grad, p), s.hessian(p))


@every_surface
def test_hessian_is_symmetric_and_eigenvalues_are_its_ascending_eigenvalues(make):
    s = make()
    p = points_in_bounds(s)
    hess = s.hessian(p)
    np.testing.assert_array_equal(hess, np.swapaxes(hess, -1, -2))
    lam = s.eigenvalues(p)
    assert np.all(lam[..., 0] <= lam[..., 1])
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(hess), rtol=1e-12, atol=1e-12)


@every_surface
def test_minimum_is_a_strict_minimum_with_zero_gradient(make):
    s = make()
    if isinstance(s, lrlab.MultiBasin):  # its minimum is found numerically (Newton's method)
        np.testing.assert_allclose(s.expected_grad(s.minimum), [0.0, 0.0], atol=1e-12)
    else:  # the others know theirs exactly, where f = 0
        np.testing.assert_array_equal(s.expected_grad(s.minimum), [0.0, 0.0])
        assert s.value(s.minimum) == 0.0
    assert np.all(s.value(points_in_bounds(s)) > s.value(s.minimum))
    assert np.all(s.eigenvalues(s.minimum) > 0)


@every_surface
def test_bounds_contain_minimum_and_start_with_a_margin(make):
    s = make()
    (x0, x1), (y0, y1) = s.bounds
    assert all(isinstance(v, float) for v in (x0, x1, y0, y1))
    for point in (s.minimum, s.start):
        assert x0 < point[0] < x1 and y0 < point[1] < y1
        assert min(point[0] - x0, x1 - point[0]) >= 0.01 * (x1 - x0)
        assert min(point[1] - y0, y1 - point[1]) >= 0.01 * (y1 - y0)
    assert not np.array_equal(s.start, s.minimum)


@every_surface
@pytest.mark.parametrize("shape", [(2,), (5, 2), (3, 4, 2)])
def test_methods_keep_the_leading_axes_of_p(make, shape):
    s = make()
    p = np.linspace(-1.0, 1.0, math.prod(shape)).reshape(shape)
    assert np.shape(s.value(p)) == shape[:-1]
    assert s.grad(p).shape == shape
    assert s.expected_grad(p).shape == shape
    assert s.hessian(p).shape == shape + (2,)
    assert s.eigenvalues(p).shape == shape


@every_surface
def test_a_batch_gives_the_same_numbers_as_one_point_at_a_time(make):
    s = make()
    p = points_in_bounds(s, n=6).reshape(2, 3, 2)
    for idx in np.ndindex(2, 3):
        assert s.value(p)[idx] == s.value(p[idx])
        np.testing.assert_array_equal(s.expected_grad(p)[idx], s.expected_grad(p[idx]))
        np.testing.assert_array_equal(s.hessian(p)[idx], s.hessian(p[idx]))


@every_surface
def test_lists_and_tuples_are_accepted_as_points(make):
    s = make()
    assert s.value([1.0, 2.0]) == s.value(np.array([1.0, 2.0])) == s.value((1, 2))
    np.testing.assert_array_equal(s.hessian([[1.0, 2.0], [0.5, 0.5]]), s.hessian(np.array([[1.0, 2.0], [0.5, 0.5]])))


@every_surface
def test_huge_points_give_inf_or_nan_without_warnings(make):
    # A diverging run is a normal outcome: its points must not make NumPy warn (warnings are errors here).
    s = make()
    p = np.array([[1e200, -1e200], [np.inf, 0.0], [np.nan, 1.0]])
    assert not np.isfinite(s.value(p)).all()
    s.grad(p)
    s.hessian(p)
    s.eigenvalues(p)


@every_surface
def test_surfaces_are_immutable(make):
    s = make()
    with pytest.raises(AttributeError, match="immutable"):
        s.name = "other"
    with pytest.raises(AttributeError, match="immutable"):
        s.start = np.zeros(2)
    with pytest.raises(AttributeError):
        del s.minimum
    for arr in (s.minimum, s.start):
        assert arr.shape == (2,) and arr.dtype == np.float64
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 123.0


@every_surface
def test_repr_shows_how_it_was_built(make):
    s = make()
    text = repr(s)
    assert text.split("(")[0] in {"quadratic_bowl", "elongated_valley", "rosenbrock", "noisy_quadratic", "multi_basin"}
    rebuilt = eval(text, {  # noqa: S307 (a repr is meant to be read back)
        "multi_basin": multi_basin,
        "quadratic_bowl": quadratic_bowl,
        "elongated_valley": elongated_valley,
        "rosenbrock": rosenbrock,
        "noisy_quadratic": noisy_quadratic,
    })
    assert repr(rebuilt) == text
    p = points_in_bounds(s)
    np.testing.assert_array_equal(rebuilt.value(p), s.value(p))


def test_reprs_and_names():
    assert repr(quadratic_bowl()) == "quadratic_bowl(curvature=1.0)"
    assert repr(elongated_valley()) == "elongated_valley(condition_number=10.0, max_curvature=1.0, rotation_deg=0.0)"
    assert repr(rosenbrock()) == "rosenbrock(a=1.0, b=100.0)"
    assert repr(noisy_quadratic()) == "noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25), seed=0)"
    assert repr(noisy_quadratic(rng=np.random.default_rng(1))) == (
        "noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25), rng=Generator(PCG64))"
    )
    names = [f().name for f in (quadratic_bowl, elongated_valley, rosenbrock, noisy_quadratic)]
    assert names == ["quadratic bowl", "elongated valley", "Rosenbrock", "noisy quadratic"]


def test_deterministic_surfaces_ignore_rng():
    s = rosenbrock()
    np.testing.assert_array_equal(s.grad(s.start, rng=np.random.default_rng(0)), s.grad(s.start))


# --------------------------------------------------------------------------- quadratics


def gd(surface: Quadratic, lr: float, steps: int) -> np.ndarray:
    """Plain gradient descent from surface.start; returns the points, shape (steps + 1, 2)."""
    p = [surface.start]
    for _ in range(steps):
        p.append(p[-1] - lr * surface.expected_grad(p[-1]))
    return np.array(p)


@every_quadratic
def test_quadratic_numbers_follow_from_the_curvatures(make):
    s = make()
    assert isinstance(s, Quadratic)
    mu, L = s.curvatures
    assert (s.mu, s.L) == (mu, L) and mu <= L
    np.testing.assert_allclose(np.linalg.eigvalsh(s.matrix), s.curvatures, rtol=1e-12)
    assert s.condition_number == L / mu
    assert s.stability_limit == 2 / L
    assert s.optimal_lr == 2 / (L + mu)
    kappa = L / mu
    assert s.optimal_contraction == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-15)
    np.testing.assert_array_equal(s.hessian([3.0, -1.0]), s.matrix)
    np.testing.assert_array_equal(s.eigenvalues([[3.0, -1.0]]), [s.curvatures])
    assert not s.matrix.flags.writeable and not s.curvatures.flags.writeable


@every_quadratic
def test_gd_converges_just_below_the_stability_limit_and_diverges_just_above(make):
    s = make()
    start_distance = np.linalg.norm(s.start - s.minimum)
    below = gd(s, 0.99 * s.stability_limit, steps=3000)
    above = gd(s, 1.01 * s.stability_limit, steps=3000)
    assert np.linalg.norm(below[-1] - s.minimum) < 1e-8 * start_distance
    assert np.linalg.norm(above[-1] - s.minimum) > 1e8 * start_distance


@pytest.mark.parametrize("rotation_deg", [0.0, 30.0, 90.0])
def test_optimal_lr_contracts_the_error_by_the_optimal_contraction_every_step(rotation_deg):
    s = elongated_valley(condition_number=10.0, rotation_deg=rotation_deg)
    path = gd(s, s.optimal_lr, steps=50)
    distances = np.linalg.norm(path - s.minimum, axis=-1)
    np.testing.assert_allclose(distances[1:] / distances[:-1], s.optimal_contraction, rtol=1e-9)
    assert s.optimal_contraction == pytest.approx(9 / 11)


def test_bowl_is_solved_in_one_step_at_lr_one_over_curvature():
    s = quadratic_bowl(curvature=4.0)
    assert s.value(s.start - 0.25 * s.grad(s.start)) == 0.0
    assert s.condition_number == 1.0 and s.stability_limit == 0.5
    np.testing.assert_array_equal(s.matrix, 4.0 * np.eye(2))
    assert s.bounds == ((-5.0, 5.0), (-5.0, 5.0))
    np.testing.assert_array_equal(s.start, [-4.0, 3.0])


def test_valley_defaults():
    s = elongated_valley()
    np.testing.assert_array_equal(s.matrix, np.diag([0.1, 1.0]))
    np.testing.assert_array_equal(s.curvatures, [0.1, 1.0])
    np.testing.assert_array_equal(s.start, [-4.5, 2.0])
    np.testing.assert_array_equal(s.minimum, [0.0, 0.0])
    assert s.bounds == ((-5.0, 5.0), (-2.5, 2.5))
    assert elongated_valley(rotation_deg=10.0).bounds == ((-5.0, 5.0), (-5.0, 5.0))


@given(
    kappa=st.floats(1.0, 1e4),
    big=st.floats(1e-3, 1e3),
    rotation=st.floats(-360.0, 360.0),
)
def test_valley_floor_is_the_x_axis_turned_by_rotation_deg(kappa, big, rotation):
    s = elongated_valley(condition_number=kappa, max_curvature=big, rotation_deg=rotation)
    theta = math.radians(rotation)
    flat = np.array([math.cos(theta), math.sin(theta)])
    steep = np.array([-math.sin(theta), math.cos(theta)])
    assert (s.mu, s.L) == (big / kappa, big)
    np.testing.assert_allclose(s.matrix @ flat, s.mu * flat, atol=1e-12 * big)
    np.testing.assert_allclose(s.matrix @ steep, s.L * steep, atol=1e-12 * big)
    np.testing.assert_allclose(s.start, 4.5 * -flat + 2.0 * steep, atol=1e-12)


def test_valley_rotated_by_right_angles_is_exact():
    s = elongated_valley(rotation_deg=90.0)
    np.testing.assert_array_equal(s.matrix, np.diag([1.0, 0.1]))
    np.testing.assert_array_equal(s.start, [-2.0, -4.5])


# --------------------------------------------------------------------------- Rosenbrock


def test_rosenbrock_defaults():
    s = rosenbrock()
    np.testing.assert_array_equal(s.minimum, [1.0, 1.0])
    np.testing.assert_array_equal(s.start, [-1.2, 1.0])
    assert s.bounds == ((-2.0, 2.0), (-1.0, 3.0))
    assert s.value(s.start) == pytest.approx(24.2)
    assert (s.a, s.b) == (1.0, 100.0)


def test_rosenbrock_start_is_harder_than_the_minimum():
    s = rosenbrock()
    at_minimum, at_start = s.eigenvalues(s.minimum)[1], s.eigenvalues(s.start)[1]
    assert at_minimum == pytest.approx(1001.6, abs=0.05)
    assert at_start == pytest.approx(1506.4, abs=0.05)


@pytest.mark.parametrize("a", [-3.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5])
@pytest.mark.parametrize("b", [0.5, 100.0])
def test_rosenbrock_minimum_is_at_a_a_squared_for_any_a(a, b):
    s = rosenbrock(a=a, b=b)
    np.testing.assert_array_equal(s.minimum, [a, a * a])
    assert s.value(s.minimum) == 0.0
    assert s.bounds[0][0] <= -2.0 and s.bounds[0][1] >= 2.0  # never smaller than the classic box


@pytest.mark.parametrize("a", [2.0, -1.0, 0.5])
def test_rosenbrock_start_moves_with_the_minimum(a):
    # x scales by a and y by a², which maps the classic problem onto this one.
    np.testing.assert_allclose(rosenbrock(a=a).start, [-1.2 * a, a * a])


def test_rosenbrock_with_a_zero_uses_the_classic_start():
    np.testing.assert_array_equal(rosenbrock(a=0.0).start, [-1.2, 1.0])


# --------------------------------------------------------------------------- noisy quadratic


def test_noisy_quadratic_is_a_quadratic_with_the_true_loss_and_hessian():
    s = noisy_quadratic(noise_std=2.0, curvatures=(1.0, 0.25))
    assert isinstance(s, NoisyQuadratic) and isinstance(s, Quadratic)
    np.testing.assert_array_equal(s.matrix, np.diag([1.0, 0.25]))
    np.testing.assert_array_equal(s.curvatures, [0.25, 1.0])  # sorted, like every quadratic's
    assert s.value([2.0, 2.0]) == 0.5 * (4.0 + 0.25 * 4.0)
    np.testing.assert_array_equal(s.expected_grad([2.0, 2.0]), [2.0, 0.5])
    np.testing.assert_array_equal(s.start, [-4.0, 3.0])
    assert s.bounds == ((-5.0, 5.0), (-5.0, 5.0))
    assert s.noise_std == 2.0 and isinstance(s.rng, np.random.Generator)


def test_noisy_gradient_is_true_gradient_plus_scaled_standard_normal_noise():
    s = noisy_quadratic(noise_std=0.3, seed=5)
    p = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.0]])
    xi = np.random.default_rng(5).standard_normal(p.shape)
    np.testing.assert_allclose(s.grad(p), s.expected_grad(p) + 0.3 * xi, rtol=1e-15)


def test_same_seed_same_gradients_and_different_seed_different_gradients():
    a, b, c = noisy_quadratic(seed=3), noisy_quadratic(seed=3), noisy_quadratic(seed=4)
    p = np.zeros((4, 2))
    first, second = [a.grad(p) for _ in range(3)], [b.grad(p) for _ in range(3)]
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first[0], first[1])  # the generator advances between calls
    assert not np.array_equal(first[0], c.grad(p))


def test_zero_noise_gives_the_exact_gradient():
    s = noisy_quadratic(noise_std=0.0)
    p = points_in_bounds(s)
    np.testing.assert_array_equal(s.grad(p), s.expected_grad(p))


def test_rng_passed_to_grad_is_used_and_the_surfaces_own_generator_is_untouched():
    s, fresh = noisy_quadratic(seed=1), noisy_quadratic(seed=1)
    p = np.ones((3, 2))
    with_rng = s.grad(p, rng=np.random.default_rng(99))
    np.testing.assert_array_equal(
        with_rng, s.expected_grad(p) + np.random.default_rng(99).standard_normal(p.shape)
    )
    np.testing.assert_array_equal(s.grad(p), fresh.grad(p))


def test_rng_passed_to_the_constructor_is_the_surfaces_generator():
    g = np.random.default_rng(8)
    s = noisy_quadratic(rng=g)
    assert s.rng is g
    np.testing.assert_array_equal(s.grad(np.zeros(2)), noisy_quadratic(seed=8).grad(np.zeros(2)))


def test_numpy_global_random_state_is_never_used():
    saved = np.random.get_state()
    try:
        np.random.seed(1234)
        expected = np.random.random()
        np.random.seed(1234)
        s = noisy_quadratic()
        s.grad(np.zeros((10, 2)))
        s.grad(np.zeros(2), rng=np.random.default_rng(0))
        s.stationary_loss(0.1)
        assert np.random.random() == expected
    finally:
        np.random.set_state(saved)


def test_stationary_loss_is_the_fixed_point_of_the_variance_recursion():
    s = noisy_quadratic(noise_std=0.7, curvatures=(1.0, 0.25))
    lr, h = 0.3, np.array([1.0, 0.25])
    v = np.zeros(2)
    for _ in range(2000):
        v = (1 - lr * h) ** 2 * v + lr**2 * 0.7**2
    assert s.stationary_loss(lr) == pytest.approx(np.sum(h / 2 * v), rel=1e-12)


@pytest.mark.parametrize("lr", [0.05, 0.5, 1.5])
def test_stationary_loss_matches_a_simulation_of_many_sgd_runs(lr):
    s = noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25), seed=2024)
    p = np.zeros((20_000, 2))  # 20 000 independent runs, one vectorized loop
    for _ in range(600):
        p = p - lr * s.grad(p)
    assert np.mean(s.value(p)) == pytest.approx(s.stationary_loss(lr), rel=0.03)


def test_stationary_loss_is_infinite_from_the_stability_limit_on():
    s = noisy_quadratic(curvatures=(1.0, 0.25))
    assert s.stability_limit == 2.0
    assert math.isfinite(s.stationary_loss(np.nextafter(2.0, 0.0)))
    assert s.stationary_loss(2.0) == math.inf
    assert s.stationary_loss(5.0) == math.inf
    odd = noisy_quadratic(curvatures=(3.0, 0.7))
    assert odd.stationary_loss(odd.stability_limit) == math.inf


def test_stationary_loss_is_proportional_to_lr_for_small_lr_and_vectorized():
    s = noisy_quadratic(noise_std=2.0)
    lrs = np.array([1e-6, 1e-4, 0.5, 3.0])
    loss = s.stationary_loss(lrs)
    assert loss.shape == (4,)
    np.testing.assert_allclose(loss[:2], lrs[:2] * 2.0**2 / 2, rtol=1e-3)  # Σ lr·σ²/4 over 2 coordinates
    assert loss[2] == s.stationary_loss(0.5) and loss[3] == math.inf
    assert isinstance(s.stationary_loss(0.5), float)
    assert noisy_quadratic(noise_std=0.0).stationary_loss(0.5) == 0.0


# --------------------------------------------------------------------------- bad arguments

BAD_ARGUMENTS = [
    (quadratic_bowl, {"curvature": -1}, ValueError, "curvature"),
    (quadratic_bowl, {"curvature": 0}, ValueError, "curvature"),
    (quadratic_bowl, {"curvature": float("nan")}, ValueError, "curvature"),
    (quadratic_bowl, {"curvature": "1"}, TypeError, "curvature"),
    (elongated_valley, {"condition_number": 0.5}, ValueError, r"condition_number must be in \[1, 1e\+08\], got 0.5"),
    (elongated_valley, {"condition_number": float("inf")}, ValueError, "condition_number"),
    (elongated_valley, {"max_curvature": 0.0}, ValueError, "max_curvature"),
    (elongated_valley, {"rotation_deg": float("nan")}, ValueError, "rotation_deg"),
    (elongated_valley, {"rotation_deg": "45"}, TypeError, "rotation_deg"),
    (elongated_valley, {"condition_number": True}, TypeError, "condition_number"),
    (rosenbrock, {"b": 0}, ValueError, "b must be positive, got 0.0"),
    (rosenbrock, {"b": -100.0}, ValueError, "b must be positive"),
    (rosenbrock, {"a": float("nan")}, ValueError, "a must be finite"),
    (rosenbrock, {"a": float("inf")}, ValueError, "a must be finite"),
    (rosenbrock, {"a": None}, TypeError, "a must be a real number"),
    (noisy_quadratic, {"noise_std": -1}, ValueError, r"noise_std must be in \[0, 1e\+08\], got -1.0"),
    (noisy_quadratic, {"noise_std": float("nan")}, ValueError, "noise_std"),
    (noisy_quadratic, {"curvatures": (1, 0)}, ValueError, r"curvatures\[1\] must be positive, got 0.0"),
    (noisy_quadratic, {"curvatures": (-1, 1)}, ValueError, r"curvatures\[0\]"),
    (noisy_quadratic, {"curvatures": (1, float("nan"))}, ValueError, r"curvatures\[1\]"),
    (noisy_quadratic, {"curvatures": (1.0,)}, ValueError, "curvatures must be a pair"),
    (noisy_quadratic, {"curvatures": (1.0, 2.0, 3.0)}, ValueError, "curvatures must be a pair"),
    (noisy_quadratic, {"curvatures": 1.0}, TypeError, "curvatures"),
    (noisy_quadratic, {"curvatures": "ab"}, TypeError, "curvatures"),
    (noisy_quadratic, {"seed": 1.5}, TypeError, "seed must be an integer"),
    (noisy_quadratic, {"seed": -1}, ValueError, "seed"),
    (noisy_quadratic, {"rng": 42}, TypeError, "rng must be a numpy.random.Generator"),
    (noisy_quadratic, {"rng": np.random.RandomState(0)}, TypeError, "rng"),
    (multi_basin, {"depths": (1.0,)}, ValueError, r"depths must hold at least two wells, got \(1.0,\)"),
    (multi_basin, {"depths": 2.0}, TypeError, "depths must be a sequence"),
    (multi_basin, {"depths": (1.0, -2.0)}, ValueError, r"depths\[1\] must be positive, got -2.0"),
    (multi_basin, {"depths": (1.0, float("nan"))}, ValueError, r"depths\[1\] must be finite"),
    (multi_basin, {"width": 0.0}, ValueError, "width must be positive, got 0.0"),
    (multi_basin, {"width": 3.0}, ValueError, "width=3.0 .* merges the wells"),
    (multi_basin, {"spread": -1.0}, ValueError, "spread must be positive"),
    (multi_basin, {"bowl": "0.1"}, TypeError, "bowl must be a real number"),
]


@pytest.mark.parametrize(
    "constructor, kwargs, error, message",
    BAD_ARGUMENTS,
    ids=[f"{c.__name__}-{k}" for c, k, _, _ in BAD_ARGUMENTS],
)
def test_constructors_refuse_bad_arguments_and_name_them(constructor, kwargs, error, message):
    with pytest.raises(error, match=message):
        constructor(**kwargs)


@every_surface
@pytest.mark.parametrize("method", ["value", "grad", "expected_grad", "hessian", "eigenvalues"])
def test_points_must_have_two_coordinates(make, method):
    s = make()
    with pytest.raises(ValueError, match=r"p must have shape \(\.\.\., 2\).*got shape \(4, 3\)"):
        getattr(s, method)(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        getattr(s, method)(1.0)
    with pytest.raises(TypeError, match="p must hold real numbers"):
        getattr(s, method)(["a", "b"])
    with pytest.raises(ValueError, match="p must"):
        getattr(s, method)([[1.0, 2.0], [3.0]])


@every_surface
def test_grad_refuses_an_rng_that_is_not_a_generator(make):
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        make().grad([0.0, 0.0], rng=0)


@pytest.mark.parametrize("lr, error", [(0.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError),
                                       ("0.1", TypeError), ([0.1, -1.0], ValueError)])
def test_stationary_loss_refuses_bad_learning_rates(lr, error):
    with pytest.raises(error, match="lr"):
        noisy_quadratic().stationary_loss(lr)


# --------------------------------------------------------------------------- several basins


def test_multi_basin_has_one_minimum_per_well_sorted_by_depth_the_deepest_global():
    s = multi_basin(depths=(1.0, 1.4, 1.8, 2.2))
    assert s.minima.shape == (4, 2)
    assert np.all(np.diff(s.minima_values) > 0)
    np.testing.assert_array_equal(s.minimum, s.minima[0])
    np.testing.assert_allclose(s.value(s.minima), s.minima_values, rtol=1e-12)
    assert np.all(np.linalg.norm(s.grad(s.minima), axis=-1) < 1e-8)
    assert np.all(s.eigenvalues(s.minima)[:, 0] > 0)
    # Each minimum sits in its own well: the deepest well (2.2) holds the global minimum.
    nearest_well = np.linalg.norm(s.minima[:, None] - s.centers[None], axis=-1).argmin(axis=1)
    np.testing.assert_array_equal(s.depths[nearest_well], [2.2, 1.8, 1.4, 1.0])


def test_multi_basin_value_is_the_bowl_minus_the_wells():
    s = multi_basin(depths=(1.0, 2.0), width=0.5, spread=1.5, bowl=0.2)
    p = np.array([0.3, -0.7])
    wells = sum(d * np.exp(-np.sum((p - c) ** 2) / (2 * 0.5**2)) for d, c in zip(s.depths, s.centers))
    assert s.value(p) == pytest.approx(0.5 * 0.2 * np.sum(p**2) - wells, rel=1e-14)
    np.testing.assert_allclose(np.linalg.norm(s.centers, axis=-1), 1.5)


def test_multi_basin_start_is_in_the_shallowest_basin_and_plain_descent_stays_there():
    s = multi_basin()
    shallowest = len(s.minima) - 1
    assert s.basin(s.start) == shallowest
    run = lrlab.descend(s, 0.5, steps=400)
    assert s.basin(run.final_point) == shallowest
    np.testing.assert_allclose(run.final_point, s.minima[shallowest], atol=1e-6)


def test_basin_labels_every_minimum_as_its_own_and_is_vectorized():
    s = multi_basin()
    np.testing.assert_array_equal(s.basin(s.minima), np.arange(4))
    grid = points_in_bounds(s, n=200).reshape(10, 20, 2)
    labels = s.basin(grid)
    assert labels.shape == (10, 20)
    assert set(np.unique(labels)) == {0, 1, 2, 3}  # every basin is reached from somewhere in the box
    # The label is where gradient descent with a small step ends up.
    run = lrlab.descend(s, 0.05, start=grid.reshape(-1, 2), steps=3000)
    ends = np.linalg.norm(run.final_point[:, None] - s.minima[None], axis=-1).argmin(axis=1)
    np.testing.assert_array_equal(labels.reshape(-1), ends)


def test_basin_of_a_non_finite_point_is_minus_one_without_warnings():
    s = multi_basin()
    np.testing.assert_array_equal(s.basin([[np.nan, 0.0], [np.inf, 1.0], [1e300, 1e300]]), [-1, -1, -1])


def test_curvature_bound_bounds_every_eigenvalue_in_the_box():
    s = multi_basin()
    lam = s.eigenvalues(points_in_bounds(s, n=2000))
    assert np.all(np.abs(lam) <= s.curvature_bound)


def test_expected_loss_is_the_mean_of_many_sgd_runs_under_any_schedule():
    s = lrlab.noisy_quadratic(noise_std=0.5)
    rates = lrlab.step_decay(0.8, 50, 0.5)(np.arange(200))
    expected = s.expected_loss(rates)
    runs = lrlab.descend(s, rates, start=np.repeat(s.start[None], 4000, axis=0), steps=200, seed=5)
    assert expected[0] == s.value(s.start)  # no noise yet: the loss of the start
    np.testing.assert_allclose(runs.losses.mean(axis=1)[[10, 60, 199]], expected[[10, 60, 199]], rtol=0.06)


def test_expected_loss_under_a_constant_rate_tends_to_the_stationary_loss():
    s = lrlab.noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25))
    assert s.expected_loss(np.full(3000, 0.1))[-1] == pytest.approx(s.stationary_loss(0.1), rel=1e-9)
    assert s.expected_loss(np.full(5, 0.0)).tolist() == [s.value(s.start)] * 6  # no rate: nothing moves
    assert np.isinf(s.expected_loss(np.full(2000, 5.0))[-1])  # past 2/L it grows without bound


@pytest.mark.parametrize("rates, start, match", [
    (np.ones((3, 2)), None, "rates must be a 1-D array"),
    ([0.1, -0.1], None, "rates must hold finite rates >= 0"),
    ([0.1, np.nan], None, "rates must hold finite rates >= 0"),
    ([0.1], (1.0, 2.0, 3.0), "start must be one point"),
])
def test_expected_loss_refuses_bad_rates_and_starts(rates, start, match):
    with pytest.raises(ValueError, match=match):
        lrlab.noisy_quadratic().expected_loss(rates, start=start)
