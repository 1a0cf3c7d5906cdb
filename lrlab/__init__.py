"""lrlab: learning-rate schedules, problem surfaces and a descent loop, for the lrlab course.

Importing lrlab loads NumPy and nothing else: no plotting library, no widgets, no global
state changed. ``lrlab.viz`` (matplotlib) and ``lrlab.widgets`` (ipywidgets) load their
libraries only when they are imported themselves.

>>> import lrlab
>>> s = lrlab.linear_warmup(lrlab.cosine(1.0, total_steps=90), warmup_steps=10)
>>> run = lrlab.descend(lrlab.elongated_valley(condition_number=10), s, steps=100)
>>> print(f"{run.losses[0]:.3f} -> {run.final_loss:.2e}, diverged: {run.diverged}")
3.013 -> 3.10e-05, diverged: False
"""

from . import schedules
from .network import MLP, Dataset, TrainingRun, init_mlp, load_digits, mlp_lr_range_test, train_mlp
from .optim import METHODS, LRRangeResult, Trajectory, descend, lr_range_test
from .plateau import ReduceOnPlateau
from .schedules import *  # noqa: F403 (every schedule: schedules.__all__ is the one list)
from .surfaces import (
    NoisyQuadratic,
    Quadratic,
    Surface,
    MultiBasin,
    elongated_valley,
    multi_basin,
    noisy_quadratic,
    quadratic_bowl,
    rosenbrock,
)
from .training import scheduler_counts, update_rates

__version__ = "0.1.0"

__all__ = [
    *schedules.__all__,
    "ReduceOnPlateau",
    "Surface",
    "Quadratic",
    "NoisyQuadratic",
    "quadratic_bowl",
    "elongated_valley",
    "rosenbrock",
    "noisy_quadratic",
    "MultiBasin",
    "multi_basin",
    "METHODS",
    "Trajectory",
    "descend",
    "LRRangeResult",
    "lr_range_test",
    "Dataset",
    "MLP",
    "TrainingRun",
    "init_mlp",
    "load_digits",
    "train_mlp",
    "mlp_lr_range_test",
    "scheduler_counts",
    "update_rates",
]
