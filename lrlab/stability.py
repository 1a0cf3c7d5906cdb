"""Stability theory for the views: the largest stable constant rate, and where it is drawn.

One home for the formulas the panels, the explorer and the chapters share. NumPy only (no
matplotlib, no ipywidgets), so every number here is tested on its own.

With L the largest curvature (λ_max of the Hessian at the minimum; L itself on a quadratic)
and β the momentum, a constant rate lr is stable near the minimum iff lr·L is below
  gd           2                       (the error along the stiffest direction is multiplied
                                        by 1 − lr·L at every step),
  momentum     2 + 2β                  (heavy ball in PyTorch's form),
  nesterov     (2 + 2β)/(1 + 2β)       (PyTorch's Nesterov form);
for the two momentum methods, from the eigenvalues of the 2×2 linear map one update is along
that direction (both must lie inside the unit circle; chapter 10 derives them). Adam, whose
step is about lr long whatever the curvature, has no such limit, nor has schedule-free SGD,
whose averaging changes the map from step to step.
"""

from __future__ import annotations

import functools

import numpy as np

from .surfaces import Quadratic

__all__ = ["MOMENTUM", "curvatures", "stability_limit", "stability_mark", "limit_line", "lr_scale"]

#: The momentum β the explorer uses for "momentum", "nesterov" and "schedule_free".
MOMENTUM = 0.9

_FACTORS = {"gd": lambda b: 2.0, "momentum": lambda b: 2.0 + 2.0 * b,
            "nesterov": lambda b: (2.0 + 2.0 * b) / (1.0 + 2.0 * b)}
_FORMULAS = {"gd": "2/{L}", "momentum": "(2+2β)/{L}", "nesterov": "(2+2β)/((1+2β){L})"}


@functools.lru_cache(maxsize=32)
def curvatures(surface) -> tuple[float, float]:
    """(μ, L): the smallest and largest curvature at the minimum (exact for a quadratic)."""
    if isinstance(surface, Quadratic):
        return surface.mu, surface.L
    low, high = surface.eigenvalues(surface.minimum)
    return float(low), float(high)


def stability_limit(surface, method: str, momentum: float = MOMENTUM) -> float | None:
    """The largest constant lr for which ``method`` is stable near the minimum, or None.

    None for "adam" and "schedule_free" (no closed form: about 17/L with β = 0.9, measured on
    the bowl). See the module docstring for the formulas.

    >>> import lrlab
    >>> bowl = lrlab.quadratic_bowl()
    >>> [round(stability_limit(bowl, m), 4) for m in ("gd", "momentum", "nesterov")]
    [2.0, 3.8, 1.3571]
    """
    if method not in _FACTORS:
        return None
    return _FACTORS[method](float(momentum)) / curvatures(surface)[1]


def stability_mark(surface, method="gd", momentum=MOMENTUM):
    """(label, rate): the largest stable constant rate of ``method`` on a quadratic, or None.

    2/L for gradient descent, (2 + 2β)/L for heavy-ball momentum and (2 + 2β)/((1 + 2β)·L) for
    Nesterov. None for Adam and schedule-free SGD, and for a surface whose curvature changes
    from place to place (see :func:`limit_line` for those).

    >>> import lrlab
    >>> stability_mark(lrlab.elongated_valley(condition_number=10, max_curvature=2.0), "gd")
    ('2/L (stability limit)', 1.0)
    """
    if not isinstance(surface, Quadratic) or method not in _FACTORS:
        return None
    return f"{_FORMULAS[method].format(L='L')} (stability limit)", stability_limit(surface, method, momentum)


def limit_line(surface, method: str, momentum: float = MOMENTUM):
    """(rate, label) of the dashed line a learning-rate view draws for a run of ``method``, or None.

    On a quadratic, :func:`stability_mark`'s line; elsewhere the same limit with λmax at the
    minimum in place of L; for schedule-free SGD, gradient descent's line, marked as such; None
    for Adam.

    >>> import lrlab
    >>> limit_line(lrlab.quadratic_bowl(), "schedule_free")
    (2.0, "2/L (GD's limit)")
    """
    if method == "schedule_free":  # no limit of its own: gradient descent's, for reference
        rate, label = limit_line(surface, "gd", momentum)
        return rate, label.replace(" (stability limit)", "") + " (GD's limit)"
    if isinstance(surface, Quadratic):
        mark = stability_mark(surface, method, momentum)
        return None if mark is None else (mark[1], mark[0])
    limit = stability_limit(surface, method, momentum)
    if limit is None:
        return None
    return limit, f"{_FORMULAS[method].format(L='λmax')} at the minimum"


def lr_scale(surface, method: str, top_factor: float, momentum: float = MOMENTUM) -> tuple[float, float]:
    """(scale, top) of a learning-rate slider: a typical good rate, and where the slider ends.

    The scale is 2/L for gradient descent; (1 − β)·2/L with momentum β (the same effective step
    lr/(1 − β)); 1/((1 − β)·L) for schedule-free SGD (whose fast iterate sees the curvature
    through y = (1 − β)·z + β·x); a tenth of the distance from the start to the minimum for Adam
    (whose step is about lr long). The top lies beyond the stability limit (``top_factor`` times
    the scale, at least 1.2 times the limit; for schedule-free at least 3 times the scale, past
    its measured limit of about 1.7 times), so that divergence is one slider move away.

    >>> import lrlab
    >>> lr_scale(lrlab.quadratic_bowl(), "gd", 1.5)
    (2.0, 3.0)
    """
    _, big = curvatures(surface)
    if method == "adam":
        scale = float(np.linalg.norm(np.asarray(surface.start) - np.asarray(surface.minimum))) / 10.0
    elif method in ("momentum", "nesterov"):
        scale = (1.0 - momentum) * 2.0 / big
    elif method == "schedule_free":
        scale = 1.0 / ((1.0 - momentum) * big)
    else:
        scale = 2.0 / big
    top = top_factor * scale
    if method == "schedule_free":
        top = max(top, 3.0 * scale)
    return scale, max(top, 1.2 * (stability_limit(surface, method, momentum) or 0.0))
