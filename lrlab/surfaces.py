"""The problem surfaces of the course: loss landscapes f(x, y) that gradient descent walks on.

Every surface is a :class:`Surface`: it knows its value, gradient and Hessian at any point,
where its minimum is, a sensible point to start from, and a box to plot it in. All methods
take points ``p`` of shape ``(..., 2)`` (one point ``(x, y)``, a list of points, a grid of
points...) and work on all of them at once, without a Python loop.

Build surfaces with the constructor functions:

- :func:`quadratic_bowl`: the round bowl, where one number, the curvature, decides everything;
- :func:`elongated_valley`: an ill-conditioned quadratic, steep across and flat along;
- :func:`rosenbrock`: the curved banana valley, whose curvature changes from place to place;
- :func:`noisy_quadratic`: a quadratic whose gradient is observed with noise, as in SGD;
- :func:`multi_basin`: wells of different depths in a wide bowl, for restarts and exploration.

The quadratics are :class:`Quadratic` objects, which carry the numbers that decide
whether constant-lr gradient descent converges: ``s.stability_limit`` is 2/L.

>>> s = elongated_valley(condition_number=10.0)
>>> print(f"L = {s.L:.1f}, mu = {s.mu:.2f}, GD is stable for lr < {s.stability_limit:.1f}")
L = 1.0, mu = 0.10, GD is stable for lr < 2.0
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import in_interval, integer, positive, real, real_array

__all__ = [
    "Surface",
    "Quadratic",
    "NoisyQuadratic",
    "Rosenbrock",
    "quadratic_bowl",
    "elongated_valley",
    "rosenbrock",
    "noisy_quadratic",
    "MultiBasin",
    "multi_basin",
]


# --------------------------------------------------------------------------- helpers


def _as_points(p) -> np.ndarray:
    """Check that ``p`` holds real points (x, y) on its last axis; return it as float64."""
    try:
        arr = np.asarray(p)
    except ValueError:  # ragged nested lists
        raise ValueError(f"p must be a point (x, y) or an array of points of shape (..., 2), got {p!r:.80}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"p must hold real numbers, got dtype {arr.dtype} ({p!r:.80})")
    if arr.ndim == 0 or arr.shape[-1] != 2:
        raise ValueError(f"p must have shape (..., 2): a point (x, y) or an array of points; got shape {arr.shape}")
    return arr.astype(np.float64, copy=False)


def _check_rng(rng) -> None:
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)) or None, "
            f"got {rng!r} ({type(rng).__name__})"
        )


def _frozen(values) -> np.ndarray:
    """A read-only float64 copy."""
    arr = np.array(values, dtype=np.float64)
    arr.flags.writeable = False
    return arr


def _rotation(degrees: float) -> np.ndarray:
    """The 2x2 rotation by ``degrees`` (counter-clockwise); exact for multiples of 90."""
    if degrees % 90 == 0:
        c, s = [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)][int(degrees // 90) % 4]
    else:
        theta = math.radians(degrees)
        c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


#: The range of every curvature (and of Rosenbrock's b, a basin's depth, the bowl under the
#: basins): beyond it, losses, stability limits 2/L and the safe rates of the constructors stop
#: being ordinary float64 numbers (1e-320 is subnormal: its 2/L is infinite).
CURVATURE_RANGE = (1e-8, 1e8)
#: The range of a coordinate of a surface's minimum, a distance or a width (rosenbrock's a, the
#: basins' spread and width): squares of 1e4 are still far from overflow, and a plot box stays drawable.
LENGTH_RANGE = (1e-3, 1e4)


def _curvature(name: str, value) -> float:
    """A curvature-like positive number within CURVATURE_RANGE, named in the message."""
    value = positive(name, value)
    low, high = CURVATURE_RANGE
    if not low <= value <= high:
        raise ValueError(
            f"{name} must be between {low:g} and {high:g}, got {value!r}: outside that range the losses and the "
            f"stability limit 2/L are no longer ordinary numbers"
        )
    return value


def _length(name: str, value, low: float = LENGTH_RANGE[0]) -> float:
    value = positive(name, value)
    high = LENGTH_RANGE[1]
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")
    return value


def _box(points, margin: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The smallest box around ``points`` (rows (x, y)), widened by ``margin`` on each side."""
    pts = np.asarray(points, dtype=np.float64)
    low, high = pts.min(axis=0) - margin, pts.max(axis=0) + margin
    return ((float(low[0]), float(high[0])), (float(low[1]), float(high[1])))


# --------------------------------------------------------------------------- base class


class Surface:
    """A loss surface f(x, y): value, gradient and Hessian at any batch of points.

    Attributes:
        name: a readable name for titles and legends, e.g. ``"Rosenbrock"``.
        minimum: the minimizer (x*, y*), a read-only array of shape (2,).
        start: a sensible default starting point, a read-only array of shape (2,).
        bounds: ``((xmin, xmax), (ymin, ymax))``, a plotting box that contains
            ``minimum`` and ``start`` with some margin.

    Every method takes ``p`` of shape ``(..., 2)``: the last axis is (x, y), the leading
    axes are any batch of points. Lists and tuples are accepted. Surfaces are immutable:
    build a new one to change a parameter. Subclasses implement ``_value``, ``_grad``
    and ``_hessian`` on float64 arrays of shape ``(..., 2)``.

    >>> s = quadratic_bowl()
    >>> s.value([[0.0, 0.0], [1.0, 1.0]]).shape, s.grad([[0.0, 0.0], [1.0, 1.0]]).shape
    ((2,), (2, 2))
    >>> s.name = "bowl"
    Traceback (most recent call last):
    ...
    AttributeError: surfaces are immutable: cannot set 'name' on quadratic_bowl(curvature=1.0); build a new surface instead
    """

    def __init__(self, *, name: str, minimum, start, bounds, build: str):
        self.name = str(name)
        self.minimum = _frozen(minimum)
        self.start = _frozen(start)
        (x0, x1), (y0, y1) = bounds
        self.bounds = ((float(x0), float(x1)), (float(y0), float(y1)))
        self._build = build
        self._is_frozen = True  # from here on, __setattr__ refuses

    def __setattr__(self, attr, value):
        if getattr(self, "_is_frozen", False):
            raise AttributeError(
                f"surfaces are immutable: cannot set {attr!r} on {self!r}; build a new surface instead"
            )
        object.__setattr__(self, attr, value)

    def __delattr__(self, attr):
        raise AttributeError(f"surfaces are immutable: cannot delete {attr!r} from {self!r}")

    def __repr__(self) -> str:
        return self._build

    # The public methods validate p, silence overflow for huge or infinite points (a
    # diverging run is a normal outcome, and it gives inf or nan, never a warning), and
    # hand float64 arrays to the subclass.

    def value(self, p) -> np.ndarray:
        """The loss f(p), of shape ``p.shape[:-1]``."""
        pts = _as_points(p)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._value(pts)

    def grad(self, p, rng: np.random.Generator | None = None) -> np.ndarray:
        """The gradient ∇f(p), of shape ``p.shape``. ``rng`` is ignored by deterministic surfaces."""
        _check_rng(rng)
        return self.expected_grad(p)

    def expected_grad(self, p) -> np.ndarray:
        """The noise-free gradient ∇f(p), of shape ``p.shape`` (same as ``grad`` unless noisy)."""
        pts = _as_points(p)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._grad(pts)

    def hessian(self, p) -> np.ndarray:
        """The Hessian ∇²f(p), of shape ``p.shape + (2,)``; symmetric."""
        pts = _as_points(p)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._hessian(pts)

    def eigenvalues(self, p) -> np.ndarray:
        """The Hessian's eigenvalues at p, ascending, shape ``p.shape``; nan where the Hessian is not finite.

        The largest one, λ_max, is the local curvature that limits a stable step: near p,
        gradient descent with a constant lr is stable only if lr < 2/λ_max.
        """
        h = self.hessian(p)
        finite = np.isfinite(h).all(axis=(-2, -1))
        out = np.full(h.shape[:-1], np.nan)
        out[finite] = np.linalg.eigvalsh(h[finite])
        return out

    def _value(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _grad(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _hessian(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError


# --------------------------------------------------------------------------- quadratics


class Quadratic(Surface):
    """A quadratic surface f(p) = ½ (p − c)ᵀ A (p − c): the model problem for step sizes.

    Symbols: p = (x, y) is the point; c is the minimum; A is a symmetric positive-definite
    2×2 matrix, the Hessian, the same everywhere. Its eigenvalues mu ≤ L are the smallest
    and largest curvatures, and κ = L/mu is the condition number. Gradient descent with a
    constant learning rate lr multiplies the error along an eigenvector of curvature h by
    (1 − lr·h) at every step, so it converges iff |1 − lr·h| < 1 for both, that is iff
    0 < lr < 2/L (``stability_limit``). The lr that makes the slowest direction as fast as
    possible is 2/(L + mu) (``optimal_lr``); with it the error shrinks by (κ − 1)/(κ + 1)
    per step (``optimal_contraction``).

    Build quadratics with :func:`quadratic_bowl`, :func:`elongated_valley` or
    :func:`noisy_quadratic`; the constructor below is their common core.

    Args:
        matrix: A, symmetric positive definite, shape (2, 2).
        center: c, the minimum.
        start, bounds, name: see :class:`Surface`.
        curvatures: the eigenvalues of A, when the caller knows them exactly (otherwise
            they are computed with ``np.linalg.eigvalsh``).
        build: the text of ``repr``.

    >>> s = elongated_valley(condition_number=4.0)
    >>> print(f"{s.stability_limit:.4f} {s.optimal_lr:.4f} {s.optimal_contraction:.4f}")
    2.0000 1.6000 0.6000
    """

    def __init__(self, matrix, center=(0.0, 0.0), *, start, bounds, name="quadratic", curvatures=None, build=None):
        a = np.array(matrix, dtype=np.float64)
        if a.shape != (2, 2) or not np.isfinite(a).all():
            raise ValueError(f"matrix must be a finite 2x2 array, got {matrix!r}")
        if not np.array_equal(a, a.T):
            raise ValueError(f"matrix must be symmetric, got {a.tolist()!r}")
        eig = np.linalg.eigvalsh(a) if curvatures is None else np.sort(np.asarray(curvatures, dtype=np.float64))
        if not eig[0] > 0:
            raise ValueError(f"matrix must be positive definite, got eigenvalues {eig.tolist()!r}")
        self._matrix = _frozen(a)
        self._curvatures = _frozen(eig)
        if build is None:
            build = f"Quadratic(matrix={a.tolist()!r}, center={tuple(map(float, center))!r})"
        super().__init__(name=name, minimum=center, start=start, bounds=bounds, build=build)

    @property
    def matrix(self) -> np.ndarray:
        """A, the (constant) Hessian; read-only."""
        return self._matrix

    @property
    def curvatures(self) -> np.ndarray:
        """The eigenvalues of A, ascending: ``np.array([mu, L])``; read-only."""
        return self._curvatures

    @property
    def mu(self) -> float:
        """The smallest curvature (smallest eigenvalue of A)."""
        return float(self._curvatures[0])

    @property
    def L(self) -> float:  # noqa: N802 (the course's notation)
        """The largest curvature (largest eigenvalue of A), the smoothness constant."""
        return float(self._curvatures[1])

    @property
    def condition_number(self) -> float:
        """κ = L/mu: how much steeper the steepest direction is than the flattest."""
        return self.L / self.mu

    @property
    def stability_limit(self) -> float:
        """2/L: gradient descent with a constant lr converges iff 0 < lr < 2/L."""
        return 2.0 / self.L

    @property
    def optimal_lr(self) -> float:
        """2/(L + mu): the constant lr with the fastest worst-case convergence."""
        return 2.0 / (self.L + self.mu)

    @property
    def optimal_contraction(self) -> float:
        """(κ − 1)/(κ + 1): the factor the error shrinks by per step at ``optimal_lr``."""
        kappa = self.condition_number
        return (kappa - 1.0) / (kappa + 1.0)

    def _value(self, p):
        d = p - self.minimum
        return 0.5 * np.sum(d * self._apply(d), axis=-1)

    def _grad(self, p):
        return self._apply(p - self.minimum)  # = A (p − c), as A is symmetric

    def _apply(self, d):
        """d·A, written out element by element: ``@`` sums in a different order for a batch than
        for one point (BLAS), and a batch must give the same numbers as its points one at a time."""
        a = self._matrix
        return d[..., 0:1] * a[0] + d[..., 1:2] * a[1]

    def _hessian(self, p):
        return np.broadcast_to(self._matrix, p.shape + (2,)).copy()

    def eigenvalues(self, p) -> np.ndarray:
        """The Hessian's eigenvalues at p: ``curvatures`` at every point, shape ``p.shape``."""
        pts = _as_points(p)
        return np.broadcast_to(self._curvatures, pts.shape).copy()


def quadratic_bowl(curvature=1.0) -> Quadratic:
    """The round bowl f(x, y) = (h/2)·(x² + y²): every direction has the same curvature h.

    Symbols: h = ``curvature`` (> 0), so the Hessian is h·I, mu = L = h and κ = 1.
    Gradient descent with lr = 1/h reaches the minimum (0, 0) in one step, and diverges
    for lr > 2/h. Starts at (−4, 3); plotted on [−5, 5] × [−5, 5].

    >>> s = quadratic_bowl(curvature=2.0)
    >>> s
    quadratic_bowl(curvature=2.0)
    >>> print(f"f(start) = {s.value(s.start):.4f}, stable for lr < {s.stability_limit:.4f}")
    f(start) = 25.0000, stable for lr < 1.0000
    >>> print(f"{s.value(s.start - 0.5 * s.grad(s.start)):.4f}")  # lr = 1/h: one step
    0.0000
    """
    h = _curvature("curvature", curvature)
    return Quadratic(
        h * np.eye(2),
        curvatures=(h, h),
        start=(-4.0, 3.0),
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        name="quadratic bowl",
        build=f"quadratic_bowl(curvature={h!r})",
    )


def elongated_valley(condition_number=10.0, max_curvature=1.0, rotation_deg=0.0) -> Quadratic:
    """An ill-conditioned quadratic: a long, flat-bottomed valley with steep walls.

    f(p) = ½ pᵀ A p with A = R·diag(mu, L)·Rᵀ, where L = ``max_curvature`` is the
    curvature across the valley, mu = L/κ the curvature along it, κ = ``condition_number``
    (≥ 1), and R the rotation by θ = ``rotation_deg`` degrees, so the valley floor (the
    flat direction) is the x axis turned by θ. Unrotated, f(x, y) = ½ (mu·x² + L·y²).
    The lr must stay below 2/L for the steep direction, and then the flat one contracts
    only by 1 − 2/κ per step at best: that is the learning-rate dilemma.

    The minimum is (0, 0); the start is (−4.5, 2), turned with the valley. The plot box is
    [−5, 5] × [−2.5, 2.5], or [−5, 5] × [−5, 5] when rotated.

    >>> s = elongated_valley(condition_number=10.0)
    >>> s
    elongated_valley(condition_number=10.0, max_curvature=1.0, rotation_deg=0.0)
    >>> print(f"mu = {s.mu:.2f}, L = {s.L:.2f}, kappa = {s.condition_number:.1f}")
    mu = 0.10, L = 1.00, kappa = 10.0
    >>> print(f"f(start) = {s.value(s.start):.4f}")
    f(start) = 3.0125
    >>> r = elongated_valley(rotation_deg=90.0)
    >>> print(f"start = ({r.start[0]:.2f}, {r.start[1]:.2f})")
    start = (-2.00, -4.50)
    """
    kappa = in_interval("condition_number", condition_number, 1.0, CURVATURE_RANGE[1], low_open=False, high_open=False)
    big = _curvature("max_curvature", max_curvature)
    theta = real("rotation_deg", rotation_deg)
    small = big / kappa
    rot = _rotation(theta)
    a = rot @ np.diag([small, big]) @ rot.T
    a = (a + a.T) / 2  # exactly symmetric despite rounding
    rotated = theta != 0.0
    return Quadratic(
        a,
        curvatures=(small, big),
        start=rot @ np.array([-4.5, 2.0]),
        bounds=((-5.0, 5.0), (-5.0, 5.0)) if rotated else ((-5.0, 5.0), (-2.5, 2.5)),
        name="elongated valley",
        build=f"elongated_valley(condition_number={kappa!r}, max_curvature={big!r}, rotation_deg={theta!r})",
    )


# --------------------------------------------------------------------------- Rosenbrock


class Rosenbrock(Surface):
    """The Rosenbrock function f(x, y) = (a − x)² + b·(y − x²)²; build it with :func:`rosenbrock`."""

    def __init__(self, a: float, b: float):
        self.a = a
        self.b = b
        if a in (0.0, 1.0):
            start = (-1.2, 1.0)
        else:  # the classic start, moved with the minimum (x scales by a, y by a²)
            start = (-1.2 * a, a * a)
        width = max(1.0, abs(a))  # the classic box, scaled the same way, never shrunk
        bounds = ((-2.0 * width, 2.0 * width), (-1.0 * width**2, 3.0 * width**2))
        super().__init__(
            name="Rosenbrock",
            minimum=(a, a * a),
            start=start,
            bounds=bounds,
            build=f"rosenbrock(a={a!r}, b={b!r})",
        )

    def _value(self, p):
        x, y = p[..., 0], p[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def _grad(self, p):
        x, y = p[..., 0], p[..., 1]
        valley = y - x**2
        return np.stack([-2.0 * (self.a - x) - 4.0 * self.b * x * valley, 2.0 * self.b * valley], axis=-1)

    def _hessian(self, p):
        x, y = p[..., 0], p[..., 1]
        b = self.b
        hxx = 2.0 - 4.0 * b * y + 12.0 * b * x**2
        hxy = -4.0 * b * x
        hyy = np.full_like(x, 2.0 * b)
        return np.stack([np.stack([hxx, hxy], axis=-1), np.stack([hxy, hyy], axis=-1)], axis=-2)


def rosenbrock(a=1.0, b=100.0) -> Rosenbrock:
    """Rosenbrock's banana valley f(x, y) = (a − x)² + b·(y − x²)²: curved, and curvature that varies.

    Symbols: the minimum is (a, a²), where f = 0; ``a`` (any finite number) places it;
    ``b`` (> 0) is how steep the walls of the curved valley y = x² are. Unlike a quadratic,
    the Hessian changes from point to point, and so does the largest stable step 2/λ_max:
    with the default a = 1, b = 100, λ_max is about 1001.6 at the minimum (1, 1) and about
    1506.4 at the classic start (−1.2, 1): locally, a step that is stable near the minimum
    can be unstable at the start. (Only locally: a run that overshoots at the start may
    still settle where the valley is flatter.) The plot box is [−2, 2] × [−1, 3] for the default a; for
    |a| > 1 both it and the start are scaled like the minimum (x by a, y by a²).

    >>> s = rosenbrock()
    >>> s
    rosenbrock(a=1.0, b=100.0)
    >>> print(f"f(start) = {s.value(s.start):.4f}, f(minimum) = {s.value(s.minimum):.4f}")
    f(start) = 24.2000, f(minimum) = 0.0000
    >>> for where in ("minimum", "start"):
    ...     lam = s.eigenvalues(getattr(s, where))[-1]
    ...     print(f"{where}: lambda_max = {lam:.1f}, 2/lambda_max = {2 / lam:.5f}")
    minimum: lambda_max = 1001.6, 2/lambda_max = 0.00200
    start: lambda_max = 1506.4, 2/lambda_max = 0.00133
    """
    a = real("a", a)
    if abs(a) > LENGTH_RANGE[1]:
        raise ValueError(f"a must be between {-LENGTH_RANGE[1]:g} and {LENGTH_RANGE[1]:g}, got {a!r}: the minimum "
                         f"is (a, a²), and a larger a makes the losses overflow")
    return Rosenbrock(a, _curvature("b", b))


# --------------------------------------------------------------------------- noisy quadratic


class NoisyQuadratic(Quadratic):
    """A quadratic whose gradient is observed with Gaussian noise; build it with :func:`noisy_quadratic`.

    ``value`` and ``hessian`` are the true, noise-free ones; ``grad`` adds noise and
    ``expected_grad`` does not. ``noise_std`` is σ and ``rng`` the surface's own Generator.
    """

    def __init__(self, noise_std: float, curvatures: tuple[float, float], rng: np.random.Generator, build: str):
        self.noise_std = noise_std
        self.rng = rng
        super().__init__(
            np.diag(curvatures),
            curvatures=curvatures,
            start=(-4.0, 3.0),
            bounds=((-5.0, 5.0), (-5.0, 5.0)),
            name="noisy quadratic",
            build=build,
        )

    def grad(self, p, rng: np.random.Generator | None = None) -> np.ndarray:
        """A noisy gradient A·p + σ·ξ, with ξ standard normal of shape ``p.shape``.

        ξ is drawn from ``rng`` if given (the surface's own generator is then untouched),
        else from the surface's own generator, which advances with every call.
        """
        _check_rng(rng)
        g = self.expected_grad(p)
        xi = (self.rng if rng is None else rng).standard_normal(g.shape)
        with np.errstate(over="ignore", invalid="ignore"):
            return g + self.noise_std * xi

    def stationary_loss(self, lr):
        """The expected loss E[f] that SGD with constant ``lr`` settles to (its noise floor).

        Along a coordinate with curvature h, one step maps x to (1 − lr·h)·x − lr·σ·ξ, so the
        variance v = E[x²] follows v ← (1 − lr·h)²·v + lr²·σ², whose fixed point is
        v* = lr·σ²/(h·(2 − lr·h)). Hence E[f] = Σ_h (h/2)·v* = Σ_h lr·σ²/(2·(2 − lr·h)):
        proportional to lr for small lr, which is why decaying the lr pays off.
        Returns ``inf`` when lr ≥ 2/h for some curvature h (SGD diverges).
        ``lr`` may be a number (returns a float) or an array (returns an array).

        >>> s = noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25))
        >>> for lr in (0.1, 0.01, 2.0):
        ...     print(f"lr = {lr}: E[f] -> {s.stationary_loss(lr):.5f}")
        lr = 0.1: E[f] -> 0.05163
        lr = 0.01: E[f] -> 0.00502
        lr = 2.0: E[f] -> inf
        """
        scalar = not isinstance(lr, (np.ndarray, list, tuple))
        if scalar:
            rates = np.asarray(positive("lr", lr))
        else:
            rates = real_array("lr", lr)
            bad = ~np.isfinite(rates) | (rates <= 0)
            if bad.any():
                raise ValueError(f"lr must hold finite positive numbers, got {rates[bad].flat[0]!r} among them")
        h = self.curvatures
        lr_ = rates[..., None]
        with np.errstate(over="ignore"):  # a huge lr is unstable: inf, without a warning
            gap = 2.0 - lr_ * h
            unstable = (lr_ >= 2.0 / h) | (gap <= 0.0)
            terms = lr_ * self.noise_std**2 / (2.0 * np.where(unstable, 1.0, gap))
            loss = np.where(unstable.any(axis=-1), np.inf, terms.sum(axis=-1))
        return float(loss) if scalar else loss

    def expected_loss(self, rates, start=None) -> np.ndarray:
        """E[f(x_t)], t = 0 .. T, of SGD (plain gradient descent) from ``start`` under ``rates``.

        Exact, from the recursions of the mean and the second moment per coordinate: with
        curvature h and rate lr_t, x ← (1 − lr_t·h)·x − lr_t·σ·ξ, so s = E[x²] follows
        s ← (1 − lr_t·h)²·s + lr_t²·σ², from s_0 = x_0², and E[f] = Σ_h (h/2)·s.
        ``rates`` is a 1-D array of the T rates used (lr_0 .. lr_{T−1}); ``start`` defaults to
        the surface's start. Under a constant rate it tends to :meth:`stationary_loss`. A rate
        past the stability limit makes it grow without bound (inf once it overflows).

        >>> s = noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25))
        >>> print(f"{s.expected_loss(np.full(2000, 0.1))[-1]:.5f}")
        0.05163
        """
        rates = real_array("rates", rates)
        if rates.ndim != 1:
            raise ValueError(f"rates must be a 1-D array of rates, got shape {rates.shape}")
        if not np.all(np.isfinite(rates)) or np.any(rates < 0):
            raise ValueError(f"rates must hold finite rates >= 0, got {rates[~np.isfinite(rates) | (rates < 0)][0]!r}")
        try:
            x0 = self.start if start is None else np.asarray(start, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"start must be one point (x, y) of finite numbers, got {start!r}") from None
        if x0.shape != (2,) or not np.all(np.isfinite(x0)):
            raise ValueError(f"start must be one point (x, y) of finite numbers, got {start!r}")
        h = np.diag(self.matrix)  # the curvatures along x and y (the matrix is diagonal)
        factors = (1.0 - rates[:, None] * h) ** 2  # (T, 2)
        noise = (rates[:, None] * self.noise_std) ** 2
        s = np.empty((rates.size + 1, 2))
        with np.errstate(over="ignore", invalid="ignore"):  # a huge start or an unstable rate: inf
            s[0] = (x0 - self.minimum) ** 2
            for t in range(rates.size):
                s[t + 1] = factors[t] * s[t] + noise[t]
            return np.where(np.isnan(s), np.inf, s) @ (h / 2.0)


def noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25), seed=0, rng=None) -> NoisyQuadratic:
    """A quadratic with a noisy gradient: the model of stochastic gradient descent (SGD).

    f(x, y) = ½ (h₁·x² + h₂·y²), the true loss, with (h₁, h₂) = ``curvatures`` (both > 0).
    ``grad(p)`` returns ∇f(p) + σ·ξ, where σ = ``noise_std`` (≥ 0) and ξ is standard
    normal noise from a seeded ``numpy.random.Generator``: ``rng`` if given, else
    ``np.random.default_rng(seed)``, never NumPy's global random state. With a constant lr,
    SGD stops at a noise floor, ``stationary_loss(lr)``, instead of at the minimum (0, 0).
    Note that the ``curvatures`` property is sorted ascending, (mu, L), like every
    :class:`Quadratic`'s. Starts at (−4, 3); plotted on [−5, 5] × [−5, 5].

    >>> s = noisy_quadratic(noise_std=1.0, seed=0)
    >>> s
    noisy_quadratic(noise_std=1.0, curvatures=(1.0, 0.25), seed=0)
    >>> g = s.grad(s.start)
    >>> print(f"noisy ({g[0]:.4f}, {g[1]:.4f}) vs true {s.expected_grad(s.start).tolist()}")
    noisy (-3.8743, 0.6179) vs true [-4.0, 0.75]
    >>> print(f"{noisy_quadratic(seed=0).grad(s.start)[0]:.4f}")  # same seed, same noise
    -3.8743
    """
    sigma = in_interval("noise_std", noise_std, 0.0, CURVATURE_RANGE[1], low_open=False, high_open=False)
    if isinstance(curvatures, (str, bytes)) or not hasattr(curvatures, "__len__"):
        raise TypeError(f"curvatures must be a pair of positive numbers (h1, h2), got {curvatures!r}")
    if len(curvatures) != 2:
        raise ValueError(f"curvatures must be a pair of positive numbers (h1, h2), got {curvatures!r}")
    hs = (_curvature("curvatures[0]", curvatures[0]), _curvature("curvatures[1]", curvatures[1]))
    seed = integer("seed", seed, 0)
    _check_rng(rng)
    if rng is None:
        generator, source = np.random.default_rng(seed), f"seed={seed!r}"
    else:
        generator, source = rng, f"rng=Generator({type(rng.bit_generator).__name__})"
    build = f"noisy_quadratic(noise_std={sigma!r}, curvatures={hs!r}, {source})"
    return NoisyQuadratic(sigma, hs, generator, build)


# --------------------------------------------------------------------------- several basins


class MultiBasin(Surface):
    """A landscape with several basins; build it with :func:`multi_basin`.

    f(p) = ½·b·|p|² − Σ_i d_i · exp(−|p − c_i|² / (2 w²)), a wide bowl of curvature b with
    Gaussian wells of depths d_i and width w at the centres c_i.

    Extra attributes: ``centers`` (k, 2), ``depths`` (k,), ``width``, ``bowl``;
    ``minima`` (k, 2), the local minima (one per well), sorted by loss so that
    ``minima[0]`` is the global ``minimum``; ``minima_values`` (k,); ``curvature_bound``,
    an upper bound on λ_max anywhere (so GD with lr < 2/curvature_bound is stable
    everywhere); and :meth:`basin`.
    """

    def __init__(self, depths: tuple[float, ...], width: float, spread: float, bowl: float, build: str):
        self.depths = _frozen(depths)
        self.width = width
        self.spread = spread
        self.bowl = bowl
        k = len(depths)
        angles = math.pi / 4 + 2 * math.pi * np.arange(k) / k
        self.centers = _frozen(spread * np.stack([np.cos(angles), np.sin(angles)], axis=-1))
        # Each well's Hessian is at most d/w² (at its centre); the bowl adds b everywhere.
        self.curvature_bound = float(bowl + self.depths.sum() / width**2)
        with np.errstate(all="ignore"):  # extreme settings give non-finite minima, refused below
            minima = self._polish(self.centers.copy())
            values = self._value(minima)
        if not (np.isfinite(minima).all() and np.isfinite(values).all()):
            raise ValueError(
                f"depths={tuple(depths)!r}, width={width!r}, spread={spread!r} and bowl={bowl!r} give wells whose "
                "minima cannot be located: use depths, a bowl and a width closer to the defaults"
            )
        order = np.argsort(values, kind="stable")
        self.minima = _frozen(minima[order])
        self.minima_values = _frozen(values[order])
        # Start inside the shallowest basin, half a width further out than its minimum.
        shallow = self.minima[-1]
        start = shallow + 0.5 * width * shallow / np.linalg.norm(shallow)
        reach = spread + 2.5 * width
        super().__init__(
            name="several basins",
            minimum=self.minima[0],
            start=start,
            bounds=((-reach, reach), (-reach, reach)),
            build=build,
        )
        self._check_minima()

    def _gaussians(self, p):
        offsets = p[..., None, :] - self.centers  # (..., k, 2)
        sq = np.einsum("...kj,...kj->...k", offsets, offsets)
        return offsets, self.depths * np.exp(-sq / (2.0 * self.width**2))

    def _value(self, p):
        _, g = self._gaussians(p)
        return 0.5 * self.bowl * np.sum(p * p, axis=-1) - g.sum(axis=-1)

    def _grad(self, p):
        offsets, g = self._gaussians(p)
        return self.bowl * p + np.einsum("...k,...kj->...j", g, offsets) / self.width**2

    def _hessian(self, p):
        offsets, g = self._gaussians(p)
        w2 = self.width**2
        outer = np.einsum("...k,...ki,...kj->...ij", g, offsets, offsets) / w2**2
        outer = (outer + np.swapaxes(outer, -1, -2)) / 2.0  # exactly symmetric despite rounding
        diag = (self.bowl + g.sum(axis=-1) / w2)[..., None, None] * np.eye(2)
        return diag - outer

    def _polish(self, p, iterations: int = 50):
        """Newton's method from p (one point per well), safeguarded by gradient steps."""
        lr = 1.0 / self.curvature_bound
        for _ in range(iterations):
            g = self._grad(p)
            h = self._hessian(p)
            newton = np.linalg.solve(h, g[..., None])[..., 0]
            convex = np.all(np.linalg.eigvalsh(h) > 0, axis=-1)
            step = np.where(convex[:, None] & (np.linalg.norm(newton, axis=-1) < self.width)[:, None], newton, lr * g)
            p = p - step
        return p

    def _check_minima(self):
        with np.errstate(all="ignore"):
            g = np.linalg.norm(self._grad(self.minima), axis=-1)
            lowest = np.linalg.eigvalsh(self._hessian(self.minima))[:, 0]
            gaps = np.linalg.norm(self.minima[:, None] - self.minima[None], axis=-1)
            apart = gaps[~np.eye(len(self.minima), dtype=bool)].min()
        if not (np.all(g < 1e-8 * max(1.0, float(self.depths.max()) / self.width)) and np.all(lowest > 0)
                and apart > self.width):
            raise ValueError(
                f"width={self.width!r} with spread={self.spread!r} and bowl={self.bowl!r} merges the wells: "
                "each well must keep its own minimum; use a smaller width or a larger spread"
            )

    def basin(self, p, max_steps: int = 20000) -> np.ndarray:
        """The index into ``minima`` of the basin each point drains into, shape ``p.shape[:-1]``.

        Found by following the gradient downhill (gradient descent with the safe rate
        1/curvature_bound, all points at once) until every point is within w/10 of a
        minimum. A point that has not arrived after ``max_steps`` steps (one balanced on a
        ridge, or non-finite) gets -1.
        """
        max_steps = integer("max_steps", max_steps, 1)
        pts = _as_points(p)
        flat = pts.reshape(-1, 2).copy()
        label = np.full(flat.shape[0], -1)
        finite = np.isfinite(flat).all(axis=-1)
        lr = 1.0 / self.curvature_bound
        todo = np.flatnonzero(finite)
        x = flat[todo]
        with np.errstate(over="ignore", invalid="ignore"):
            for step in range(max_steps + 1):
                if step % 25 == 0:
                    dist = np.linalg.norm(x[:, None, :] - self.minima, axis=-1)
                    near = dist.min(axis=-1) < self.width / 10
                    label[todo[near]] = dist[near].argmin(axis=-1)
                    todo, x = todo[~near], x[~near]
                    if todo.size == 0:
                        break
                x = x - lr * self._grad(x)
        return label.reshape(pts.shape[:-1])


def multi_basin(depths=(1.0, 1.4, 1.8, 2.2), width=0.8, spread=2.0, bowl=0.1) -> MultiBasin:
    """A landscape with several basins: the surface for restarts and exploration.

    f(x, y) = ½·b·(x² + y²) − Σ_i d_i · exp(−|p − c_i|² / (2·w²)), where
      b   = ``bowl`` (> 0), a wide bowl that keeps every run from wandering off,
      d_i = ``depths`` (two or more, each > 0): how deep well i is; the deepest holds the
                global minimum,
      w   = ``width`` (> 0): the wells' width, so a well's curvature is about d_i/w²,
      c_i = the wells' centres, on a ring of radius ``spread`` (> 0) at the angles
            45° + i·360°/k.
    Each well holds one local minimum (the constructor checks it, and raises if the
    parameters merge wells). The start lies in the shallowest basin, so a run that only
    ever goes downhill stays there. ``basin(p)`` says which basin a point drains into.

    >>> s = multi_basin()
    >>> s.minima.round(2).tolist()
    [[1.37, -1.37], [-1.36, -1.36], [-1.35, 1.34], [1.32, 1.31]]
    >>> s.minima_values.round(3).tolist()
    [-2.012, -1.616, -1.216, -0.822]
    >>> s.basin([s.start, s.minimum, (0.0, 3.0)]).tolist()
    [3, 0, 2]
    """
    if isinstance(depths, (str, bytes)) or not hasattr(depths, "__len__"):
        raise TypeError(f"depths must be a sequence of positive numbers, got {depths!r}")
    if len(depths) < 2:
        raise ValueError(f"depths must hold at least two wells, got {depths!r}")
    if len(depths) > 64:
        raise ValueError(f"depths must hold at most 64 wells, got {len(depths)}")
    ds = tuple(_curvature(f"depths[{i}]", d) for i, d in enumerate(depths))
    w, r, b = _length("width", width), _length("spread", spread), _curvature("bowl", bowl)
    build = f"multi_basin(depths={ds!r}, width={w!r}, spread={r!r}, bowl={b!r})"
    return MultiBasin(ds, w, r, b, build)
