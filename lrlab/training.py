"""The rates a training loop really gives its updates: a schedule read through the loop's clock.

A framework's scheduler counts its own ``step()`` calls, not the optimizer's updates. Update
number j therefore uses lr(c_j), where c_j is the number of ``scheduler.step()`` calls made
before it. The loop is right when c_j = j; gradient accumulation stepped per micro-batch,
several processes stepping one budget, skipped updates (mixed precision) and calling
``scheduler.step()`` before ``optimizer.step()`` each give another c_j. Chapter 16 shows each
against recorded PyTorch runs.

A loop is described per iteration (one micro-batch, or one batch): whether the iteration
applies an update, and how many ``scheduler.step()`` calls it makes.

>>> import numpy as np, lrlab
>>> micro = np.arange(12)
>>> scheduler_counts((micro + 1) % 4 == 0)          # accumulation 4, scheduler stepped per micro-batch
array([ 3,  7, 11])
>>> warmup = lrlab.linear_warmup(lrlab.constant(0.1), 8, start_factor=0.1)
>>> update_rates(warmup, (micro + 1) % 4 == 0).round(5).tolist()
[0.04375, 0.08875, 0.1]
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _validate as check
from .schedules import as_schedule


#: At most this many ``scheduler.step()`` calls per loop iteration, and this restored step: far beyond any
#: real loop, and small enough that the counts stay exact integers.
MAX_TICKS = 10**6
MAX_START = 10**12


def _mask(applied) -> np.ndarray:
    try:
        mask = np.asarray(applied)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise TypeError(f"applied must be a 1-D array of booleans, one per loop iteration, got {applied!r:.80}") from error
    if mask.ndim != 1 or mask.size == 0:
        raise ValueError(f"applied must be 1-D and not empty, one entry per loop iteration, got shape {mask.shape}")
    if mask.dtype != np.bool_:
        raise TypeError(f"applied must be an array of booleans (True where the update is applied), got dtype {mask.dtype}")
    return mask


def _ticks(ticks, size: int) -> np.ndarray:
    if isinstance(ticks, (bool, np.bool_)):
        raise TypeError(f"ticks must be an integer or an array of integers, got {ticks!r}")
    if isinstance(ticks, numbers.Integral):
        count = check.integer("ticks", ticks, 0)
        if count > MAX_TICKS:
            raise ValueError(f"ticks must be at most {MAX_TICKS} scheduler.step() calls per iteration, got {count}")
        return np.full(size, count, dtype=np.int64)
    try:
        values = np.asarray(ticks)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise TypeError(f"ticks must be an integer or a 1-D array of integers, got {ticks!r:.80}") from error
    if values.dtype.kind not in "iu":
        raise TypeError(f"ticks must be an integer or an array of integers, got {ticks!r:.80} (dtype {values.dtype})")
    if values.shape != (size,):
        raise ValueError(f"ticks must hold one count per loop iteration, {size} of them, got shape {values.shape}")
    if (values < 0).any():
        raise ValueError(f"ticks must be >= 0 (scheduler.step() calls per iteration), got {int(values.min())} among them")
    if (values > MAX_TICKS).any():
        raise ValueError(f"ticks must be at most {MAX_TICKS} per iteration, got {int(values.max())} among them")
    return values.astype(np.int64)


def scheduler_counts(applied, ticks=1, tick_first=False) -> np.ndarray:
    """The scheduler's count c_j when each applied update j happens.

    applied     a 1-D boolean array, one entry per loop iteration: True where the iteration's
                ``optimizer.step()`` changes the weights (False: an accumulation micro-batch, or
                an update skipped by a gradient scaler),
    ticks       the ``scheduler.step()`` calls each iteration makes: an integer >= 0 for every
                iteration, or an array of them (e.g. ``n`` for a wrapper that steps the scheduler
                once per process),
    tick_first  True if an iteration's ``scheduler.step()`` calls come before its
                ``optimizer.step()`` (the order PyTorch warns about).

    Returns an integer array with one count per applied update.

    >>> scheduler_counts([True] * 4)                    # the right loop: c_j = j
    array([0, 1, 2, 3])
    >>> scheduler_counts([True] * 4, ticks=2)           # stepped twice per update
    array([0, 2, 4, 6])
    >>> scheduler_counts([True] * 4, tick_first=True)   # stepped before the update: lr(0) is skipped
    array([1, 2, 3, 4])
    >>> scheduler_counts([False, False, True, True])    # two skipped updates still moved the clock
    array([2, 3])
    """
    mask = _mask(applied)
    steps = _ticks(ticks, mask.size)
    if not isinstance(tick_first, (bool, np.bool_)):
        raise TypeError(f"tick_first must be True or False, got {tick_first!r}")
    before = np.cumsum(steps) - steps  # the calls made by the earlier iterations
    return (before + steps if tick_first else before)[mask]


def update_rates(schedule, applied, ticks=1, tick_first=False, start=0) -> np.ndarray:
    """The rate each applied update uses: ``schedule(start + scheduler_counts(...))``.

    schedule    an lrlab schedule (or a positive number, a constant rate),
    applied, ticks, tick_first   the loop, as in :func:`scheduler_counts`,
    start       the scheduler's count when this stretch of the loop begins, >= 0: 0 for a
                fresh run, the restored step t for a resumed one.

    >>> import lrlab
    >>> s = lrlab.cosine(0.1, 10)
    >>> update_rates(s, [True] * 3, start=4).round(6).tolist()   # resumed at t = 4
    [0.065451, 0.05, 0.034549]
    >>> update_rates(s, [True] * 3).round(6).tolist()            # t not restored (a closed-form schedule)
    [0.1, 0.097553, 0.090451]
    """
    schedule = as_schedule(schedule)
    start = check.integer("start", start, 0)
    if start > MAX_START:
        raise ValueError(f"start must be at most {MAX_START} (the restored step of a run), got {start}")
    return schedule(start + scheduler_counts(applied, ticks, tick_first))
