"""A small neural network trained with minibatch SGD under a schedule: the course's real model.

The model is a multilayer perceptron with one hidden layer, a classifier. For a row of
inputs x (d features), H hidden units and K classes:

  a = x W1 + b1,   h = act(a),   z = h W2 + b2,   p = softmax(z),   act = ReLU or tanh,

and its loss on a batch of B examples with labels y_i is the mean cross-entropy

  L = −(1/B) · Σ_i log p_i[y_i]

or, with ``objective="mse"`` (:func:`init_mlp`), the squared error of the outputs z against the
one-hot labels, L = (1/2B) · Σ_i ‖z_i − onehot(y_i)‖², whose δz is (z − onehot(y)) / B
(:meth:`MLP.sharpness` on it shows the edge of stability most clearly; :func:`train_mlp` uses
the cross-entropy).

Backpropagation gives the gradient. With δz = (p − onehot(y)) / B (one row per example):

  ∂L/∂W2 = hᵀ δz,   ∂L/∂b2 = Σ_i δz_i,   δa = (δz W2ᵀ) ⊙ act′(a),
  ∂L/∂W1 = xᵀ δa,   ∂L/∂b1 = Σ_i δa_i,     act′(a) = [a > 0] (ReLU) or 1 − h² (tanh).

The weights start random (He normal, variance 2/d, for a ReLU layer; Glorot normal, variance
2/(fan_in + fan_out), for a tanh layer and for the output layer), the biases at 0. All the
parameters θ live in one flat vector: W1, b1, W2, b2, in that order.

:func:`train_mlp` runs minibatch SGD: each epoch shuffles the training set and cuts it into
batches of ``batch_size`` (the last one smaller, as PyTorch's DataLoader does by default).
Update t, counted from 0 across all epochs, uses lr_t = schedule(t) with the update rules of
:mod:`lrlab.rules` (PyTorch's SGD; the loop, the rate plan and the stopping of runs are the
same pieces :func:`lrlab.descend` uses), g_t being the gradient of the minibatch loss:

  gd        θ_{t+1} = θ_t − lr_t · g_t
  momentum  b_t = μ · b_{t−1} + g_t  (b_0 = g_0),   θ_{t+1} = θ_t − lr_t · b_t

After every epoch the loss and accuracy on the training and validation sets are measured; a
ReduceOnPlateau is fed the validation loss there, once per epoch, and its rate holds for the
whole next epoch. Divergence is an outcome: a run whose minibatch loss stops being finite or
exceeds BLOWUP_FACTOR times its starting loss stops, is marked ``diverged``, and no warning
escapes. :func:`mlp_lr_range_test` is the LR range test of :func:`lrlab.lr_range_test` on
this model, with minibatch losses. :func:`load_digits` loads the data the course trains on.

Everything random (the initial weights, the order of the batches, the split of the data)
comes from a Generator seeded by ``seed``; runs trained together in one call share both, so
that they differ only in their schedules, unless ``seed`` is a list with one seed per run.
``load_digits(augment=True)`` adds one-pixel shifts of every training image (:func:`shift_images`).
:meth:`MLP.sharpness` estimates the largest Hessian eigenvalue by power iteration on
finite-difference Hessian-vector products.

>>> data = load_digits()
>>> data
Dataset(name='digits', train=1438, val=359, features=64, classes=10)
>>> run = train_mlp(data, 0.1, epochs=3, hidden=16)
>>> print(f"val accuracy {run.val_accuracy[0]:.2f} before training, {run.final_val_accuracy:.2f} after 3 epochs")
val accuracy 0.16 before training, 0.91 after 3 epochs
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field

import numpy as np

from . import _validate as check
from .optim import RANGE_TEST_RULES, LRRangeResult, read_range_test
from .rules import Stops, make_rule, rate_plan

__all__ = [
    "ACTIVATIONS",
    "OBJECTIVES",
    "TRAIN_METHODS",
    "BLOWUP_FACTOR",
    "Dataset",
    "load_digits",
    "MLP",
    "init_mlp",
    "TrainingRun",
    "train_mlp",
    "mlp_lr_range_test",
    "shift_images",
]

ACTIVATIONS = ("relu", "tanh")
#: The losses an :class:`MLP` can have: the mean cross-entropy of softmax(z), or half the mean
#: squared error of the outputs z against the one-hot labels.
OBJECTIVES = ("cross_entropy", "mse")
TRAIN_METHODS = ("gd", "momentum")

#: A run counts as diverged once a minibatch loss is not finite or exceeds this many times the
#: loss on the training set before the first update (for 10 classes at chance, log 10 ≈ 2.3:
#: a loss of 230 gives the right class a probability of about e^-230 on average).
BLOWUP_FACTOR = 100.0
#: The widest hidden layer accepted (the course uses 16 to 64 units; 4096 already makes every step slow).
MAX_HIDDEN = 4096
_TOO_BIG = "the network's weights would take minutes to train or run out of memory"


# --------------------------------------------------------------------------- the data


def _features(name: str, X) -> np.ndarray:
    X = check.real_array(name, X)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must be a 2-D array (examples, features) with at least one of each, got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name} must hold finite numbers, got {X[~np.isfinite(X)].flat[0]!r} among them")
    return X


def _labels(name: str, y, n: int) -> np.ndarray:
    try:
        arr = np.asarray(y)
    except ValueError:  # ragged nested lists
        raise ValueError(f"{name} must be an array of class labels, got {y!r:.80}") from None
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer class labels 0, 1, ..., got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name} must have one label per example, shape ({n},), got shape {arr.shape}")
    if arr.min() < 0:
        raise ValueError(f"{name} must hold class labels >= 0, got {int(arr.min())!r} among them")
    return arr.astype(np.int64)


def _readonly(arr: np.ndarray) -> np.ndarray:
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A classification data set split into a training and a validation set.

    X_train (n_train, d), y_train (n_train,), X_val (n_val, d), y_val (n_val,): features as
    floats, labels as integers 0 .. classes − 1; ``name`` labels it. The arrays are copied
    and made read-only. ``classes`` is the number of classes (the largest label + 1).

    >>> import numpy as np
    >>> Dataset(np.eye(4), np.array([0, 1, 0, 1]), np.eye(4)[:2], np.array([1, 0]), name="toy")
    Dataset(name='toy', train=4, val=2, features=4, classes=2)
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    name: str = "data"

    def __post_init__(self):
        X_train = _features("X_train", self.X_train)
        X_val = _features("X_val", self.X_val)
        if X_val.shape[1] != X_train.shape[1]:
            raise ValueError(
                f"X_val must have as many features as X_train ({X_train.shape[1]}), got {X_val.shape[1]}"
            )
        y_train = _labels("y_train", self.y_train, X_train.shape[0])
        y_val = _labels("y_val", self.y_val, X_val.shape[0])
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {self.name!r} ({type(self.name).__name__})")
        for key, value in (("X_train", X_train), ("y_train", y_train), ("X_val", X_val), ("y_val", y_val)):
            object.__setattr__(self, key, _readonly(value))

    @property
    def features(self) -> int:
        return self.X_train.shape[1]

    @property
    def classes(self) -> int:
        return int(max(self.y_train.max(), self.y_val.max())) + 1

    def steps_per_epoch(self, batch_size) -> int:
        """The number of updates in one epoch: ⌈n_train / batch_size⌉ (the last batch may be smaller).

        >>> load_digits().steps_per_epoch(32)
        45
        """
        batch_size = check.integer("batch_size", batch_size, 1)
        return -(-len(self.y_train) // batch_size)

    def shuffles(self, epochs, seed=0) -> np.ndarray:
        """The order in which :func:`train_mlp` visits the training examples, one row per epoch.

        Row e is a permutation of 0 .. n_train − 1, drawn from a Generator seeded by ``seed``
        (the stream train_mlp uses for the batch order; the initial weights use another). Epoch
        e's batches are consecutive slices of batch_size indices of row e.

        >>> load_digits().shuffles(2, seed=0).shape
        (2, 1438)
        """
        epochs = check.integer("epochs", epochs, 1)
        seed = check.integer("seed", seed, 0)
        rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[1])  # seeded: the batch-order stream
        n = len(self.y_train)
        return np.stack([rng.permutation(n) for _ in range(epochs)])

    def __repr__(self):
        return (
            f"Dataset(name={self.name!r}, train={len(self.y_train)}, val={len(self.y_val)}, "
            f"features={self.features}, classes={self.classes})"
        )


def load_digits(validation=0.2, seed=0, augment=False) -> Dataset:
    """The handwritten digits bundled with scikit-learn, split and standardized.

    1797 greyscale images of 8 × 8 pixels (values 0..16), digits 0 to 9: the test part of
    the UCI *Optical Recognition of Handwritten Digits* data set (Alpaydin & Kaynak, 1998;
    licence CC BY 4.0), shipped inside scikit-learn, so nothing is downloaded. Needs
    scikit-learn (``pip install scikit-learn``, or the ``lrlab[digits]`` extra).

    validation  the fraction of each class held out for validation, in (0, 1): the split is
                stratified, so both sets keep the ten classes in the same proportions,
    seed        seeds the Generator that picks the validation examples,
    augment     False, or True to add four shifted copies of every training image: moved by one
                pixel up, down, left and right (the row or column that enters is blank, 0), so the
                training set is 5 times larger and no two of its images are the same; the
                validation set is never augmented. Deterministic: no randomness is involved.

    Each pixel is standardized with the training set's statistics, x ← (x − mean) / std
    (a pixel that is constant on the training set is only centred); the validation set
    gets the same transformation, so that nothing about it leaks into training.

    >>> data = load_digits(validation=0.25, seed=1)
    >>> data.X_train.shape, data.X_val.shape, np.bincount(data.y_val)[:3].tolist()
    ((1347, 64), (450, 64), [44, 46, 44])
    >>> bool(np.allclose(data.X_train.mean(axis=0), 0.0)), sorted(set(data.X_train.std(axis=0).round(6).tolist()))
    (True, [0.0, 1.0])
    >>> load_digits(augment=True)
    Dataset(name='digits+shifts', train=7190, val=359, features=64, classes=10)
    """
    validation = check.in_interval("validation", validation, 0.0, 1.0, low_open=True, high_open=True)
    seed = check.integer("seed", seed, 0)
    if not isinstance(augment, (bool, np.bool_)):
        raise TypeError(f"augment must be True or False, got {augment!r} ({type(augment).__name__})")
    try:
        from sklearn.datasets import load_digits as sklearn_digits  # here, so that `import lrlab` stays light
    except ImportError:
        raise ImportError(
            "load_digits needs scikit-learn, which bundles the digits: pip install scikit-learn "
            "(or pip install 'lrlab[digits]')"
        ) from None
    X, y = sklearn_digits(return_X_y=True)
    rng = np.random.default_rng(seed)  # seeded: the same split every run
    held_out = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):  # ten classes: stratify by drawing each class's share
        members = np.flatnonzero(y == label)
        held_out[rng.permutation(members)[: int(round(validation * len(members)))]] = True
    if held_out.all() or not held_out.any():
        raise ValueError(f"validation={validation!r} leaves one of the two sets empty")
    X_train, X_val = X[~held_out], X[held_out]
    y_train = y[~held_out]
    if augment:
        X_train = shift_images(X_train)
        y_train = np.tile(y_train, 5)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std[std == 0] = 1.0
    name = "digits+shifts" if augment else "digits"
    return Dataset((X_train - mean) / std, y_train, (X_val - mean) / std, y[held_out], name=name)


def shift_images(X, side=8) -> np.ndarray:
    """Each flattened side × side image of X, then copies shifted by one pixel up, down, left, right.

    X (n, side²) → (5n, side²): the n originals, then the n images moved up (row 0 leaves,
    a blank row 0.0 enters at the bottom), then down, left and right, in that order.

    >>> img = np.arange(9.0).reshape(1, 9)
    >>> shift_images(img, side=3).reshape(5, 3, 3)[1:3].tolist()
    [[[3.0, 4.0, 5.0], [6.0, 7.0, 8.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]]
    """
    side = check.integer("side", side, 1)
    X = _features("X", X)
    if X.shape[1] != side * side:
        raise ValueError(f"X must have side² = {side * side} columns (flattened {side}×{side} images), got {X.shape[1]}")
    img = X.reshape(-1, side, side)
    out = [img]
    for axis, step in ((1, -1), (1, 1), (2, -1), (2, 1)):  # up, down, left, right
        moved = np.roll(img, step, axis=axis)
        edge = 0 if step == 1 else -1  # the row or column that wrapped round is blanked
        if axis == 1:
            moved[:, edge, :] = 0.0
        else:
            moved[:, :, edge] = 0.0
        out.append(moved)
    return np.concatenate(out).reshape(-1, side * side)


# --------------------------------------------------------------------------- the model


def _layout(d: int, hidden: int, k: int):
    """Slices of the flat vector for W1, b1, W2, b2 and their shapes."""
    sizes = [(d, hidden), (hidden,), (hidden, k), (k,)]
    out, start = [], 0
    for shape in sizes:
        n = math.prod(shape)
        out.append((slice(start, start + n), shape))
        start += n
    return out, start


def _unpack(theta: np.ndarray, layout):
    """Views (runs, *shape) into a (runs, P) parameter array."""
    return [theta[:, s].reshape(theta.shape[0], *shape) for s, shape in layout]


def _forward(theta, layout, activation, X, y, grad=False, predictions=False, objective="cross_entropy"):
    """Mean loss of each run (runs,), and optionally its gradient (runs, P) and the predictions.

    The loss is the cross-entropy, or with objective="mse" half the squared error of z against onehot(y).

    theta (runs, P); X (B, d) and y (B,) are shared by every run, or X (runs, B, d) and y (runs, B)
    give each run its own batch. The runs are a stack of matrices, so one np.matmul call does
    every run at once.
    """
    W1, b1, W2, b2 = _unpack(theta, layout)
    a = np.matmul(X, W1) + b1[:, None, :]  # (runs, B, H)
    h = np.maximum(a, 0.0) if activation == "relu" else np.tanh(a)
    z = np.matmul(h, W2) + b2[:, None, :]  # (runs, B, K)
    labels = np.broadcast_to(y, z.shape[:-1])[..., None]  # (runs, B, 1)
    if objective == "mse":
        r = z - (labels == np.arange(z.shape[-1]))  # z − onehot(y)
        loss = 0.5 * (r * r).sum(axis=-1).mean(axis=-1)
    else:
        z = z - z.max(axis=-1, keepdims=True)  # log-softmax, shifted so that exp cannot overflow
        log_norm = np.log(np.exp(z).sum(axis=-1))  # (runs, B)
        loss = (log_norm - np.take_along_axis(z, labels, axis=-1)[..., 0]).mean(axis=-1)
    out = [loss]
    if grad:
        B = y.shape[-1]
        if objective == "mse":
            dz = r / B  # (z − onehot(y)) / B
        else:
            dz = np.exp(z - log_norm[..., None])  # p
            dz -= labels == np.arange(z.shape[-1])  # p − onehot(y)
            dz /= B
        da = np.matmul(dz, np.swapaxes(W2, 1, 2))
        da *= (a > 0) if activation == "relu" else (1.0 - h * h)
        g = np.empty_like(theta)
        gW1, gb1, gW2, gb2 = _unpack(g, layout)
        np.matmul(np.swapaxes(X, -1, -2), da, out=gW1)
        gb1[...] = da.sum(axis=1)
        np.matmul(np.swapaxes(h, 1, 2), dz, out=gW2)
        gb2[...] = dz.sum(axis=1)
        out.append(g)
    if predictions:
        out.append(z.argmax(axis=-1))
    return tuple(out) if len(out) > 1 else out[0]


@dataclass(frozen=True, eq=False, repr=False)
class MLP:
    """A one-hidden-layer classifier with its parameters: softmax(act(x W1 + b1) W2 + b2).

    features, hidden, classes  the layer sizes d, H, K,
    activation                 "relu" or "tanh",
    params                     the flat parameter vector θ = (W1, b1, W2, b2), of size
                               H(d + 1) + K(H + 1), read-only; W1, b1, W2, b2 are views,
    objective                  the loss: "cross_entropy" (the default) or "mse", half the mean
                               squared error of z = act(x W1 + b1) W2 + b2 against onehot(y).

    Build one with :func:`init_mlp`; :meth:`with_params` gives the same network with other
    parameters. ``loss``, ``loss_and_grad``, ``predict`` and ``accuracy`` take a batch X (B, d).
    """

    features: int
    hidden: int
    classes: int
    activation: str
    params: np.ndarray
    objective: str = "cross_entropy"

    def __post_init__(self):
        for name in ("features", "hidden", "classes"):
            object.__setattr__(self, name, check.integer(name, getattr(self, name), 1))
        check.choice("activation", self.activation, ACTIVATIONS)
        check.choice("objective", self.objective, OBJECTIVES)
        params = np.array(self.params, dtype=np.float64)
        if params.shape != (self.size,):
            raise ValueError(f"params must have shape ({self.size},) for these layer sizes, got shape {params.shape}")
        object.__setattr__(self, "params", _readonly(params))

    @property
    def size(self) -> int:
        """The number of parameters, H(d + 1) + K(H + 1)."""
        return self.hidden * (self.features + 1) + self.classes * (self.hidden + 1)

    def _layout(self):
        return _layout(self.features, self.hidden, self.classes)[0]

    @property
    def W1(self):
        return _unpack(self.params[None], self._layout())[0][0]

    @property
    def b1(self):
        return _unpack(self.params[None], self._layout())[1][0]

    @property
    def W2(self):
        return _unpack(self.params[None], self._layout())[2][0]

    @property
    def b2(self):
        return _unpack(self.params[None], self._layout())[3][0]

    def with_params(self, params) -> MLP:
        """The same architecture with the parameters ``params`` (a flat vector of size ``size``)."""
        return MLP(self.features, self.hidden, self.classes, self.activation, params, self.objective)

    def _batch(self, X, y=None):
        X = check.real_array("X", X)
        if X.ndim != 2 or X.shape[1] != self.features:
            raise ValueError(f"X must have shape (examples, {self.features}), got shape {X.shape}")
        if y is None:
            return X, np.zeros(len(X), dtype=np.int64)
        y = _labels("y", y, len(X))
        if y.max() >= self.classes:
            raise ValueError(f"y must hold labels below classes={self.classes}, got {int(y.max())!r} among them")
        return X, y

    def loss(self, X, y) -> float:
        """The mean loss (cross-entropy, or squared error for objective="mse") on the batch (X, y)."""
        X, y = self._batch(X, y)
        with np.errstate(all="ignore"):
            return float(_forward(self.params[None], self._layout(), self.activation, X, y,
                                  objective=self.objective)[0])

    def loss_and_grad(self, X, y):
        """(the mean loss on (X, y), its gradient with respect to ``params``), by backpropagation."""
        X, y = self._batch(X, y)
        with np.errstate(all="ignore"):
            loss, g = _forward(self.params[None], self._layout(), self.activation, X, y, grad=True,
                               objective=self.objective)
        return float(loss[0]), g[0]

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row of X."""
        X, y = self._batch(X)
        with np.errstate(all="ignore"):
            return _forward(self.params[None], self._layout(), self.activation, X, y, predictions=True)[1][0]

    def accuracy(self, X, y) -> float:
        """The fraction of rows of X whose predicted class is y."""
        X, y = self._batch(X, y)
        return float(np.mean(self.predict(X) == y))

    def hessian_vector_product(self, X, y, v, delta=1e-6) -> np.ndarray:
        """H v, the Hessian of the mean loss on (X, y) times a vector v, by central differences.

        (∇f(θ + δu) − ∇f(θ − δu)) / (2δ) · ‖v‖ with u = v / ‖v‖ and δ = ``delta``: a difference
        of two backpropagations, exact up to O(δ²) where f is smooth. A ReLU kink crossed between
        θ − δu and θ + δu adds an error of order 1/δ to the few entries it touches; a small δ
        (1e-6: the gradients still differ in about 10 digits) makes a crossing rare. The two
        gradients are one batched call. v has the shape of ``params``; a zero v gives zeros.

        >>> net = init_mlp(4, 3, hidden=5, seed=0)
        >>> X, y = np.random.default_rng(0).normal(size=(8, 4)), np.arange(8) % 3
        >>> Hv = net.hessian_vector_product(X, y, np.ones(net.size))
        >>> Hv.shape, bool(np.all(np.isfinite(Hv)))
        ((43,), True)
        """
        X, y = self._batch(X, y)
        v = check.real_array("v", v)
        if v.shape != (self.size,):
            raise ValueError(f"v must have the shape of params, ({self.size},), got shape {v.shape}")
        if not np.isfinite(v).all():
            raise ValueError("v must hold finite numbers")
        delta = check.positive("delta", delta)
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            return np.zeros(self.size)
        u = v / norm
        pair = np.stack([self.params + delta * u, self.params - delta * u])
        with np.errstate(all="ignore"):
            _, g = _forward(pair, self._layout(), self.activation, X, y, grad=True, objective=self.objective)
        return (g[0] - g[1]) / (2.0 * delta) * norm

    def sharpness(self, X, y, iters=20, delta=1e-6, seed=0) -> float:
        """The largest eigenvalue of the Hessian of the loss on (X, y), by power iteration.

        From a random unit vector v_0 (seeded by ``seed``), ``iters`` times: w = H v_i
        (:meth:`hessian_vector_product`, step ``delta``), λ_i = v_iᵀ w, v_{i+1} = w / ‖w‖. Returns the last
        λ_i. Power iteration finds the eigenvalue of largest magnitude; near a minimum of a
        training loss that is the largest positive one, the *sharpness* of chapter 14. It
        converges at the rate |λ₂/λ₁| per iteration, so a few tens of iterations give a few
        digits when the top eigenvalue stands out.

        >>> net = init_mlp(4, 3, hidden=5, seed=0)
        >>> X, y = np.random.default_rng(0).normal(size=(8, 4)), np.arange(8) % 3
        >>> print(f"{net.sharpness(X, y, iters=50):.4f}")
        1.0935
        """
        X, y = self._batch(X, y)
        iters = check.steps_count("iters", iters, 1, 10_000, "each iteration is two backpropagations")
        delta = check.positive("delta", delta)
        seed = check.integer("seed", seed, 0)
        v = np.random.default_rng(seed).normal(size=self.size)  # seeded: the same start every call
        v /= np.linalg.norm(v)
        lam = 0.0
        with _one_blas_thread():  # small matrices: one BLAS thread is faster (see train_mlp)
            for _ in range(iters):
                w = self.hessian_vector_product(X, y, v, delta)
                lam = float(v @ w)
                norm = float(np.linalg.norm(w))
                if norm == 0.0 or not math.isfinite(norm):
                    break
                v = w / norm
        return lam

    def __repr__(self):
        return (
            f"MLP(features={self.features}, hidden={self.hidden}, classes={self.classes}, "
            f"activation={self.activation!r}, parameters={self.size}"
            + ("" if self.objective == "cross_entropy" else f", objective={self.objective!r}")
            + ")"
        )


def _init_params(d, hidden, k, activation, rng) -> np.ndarray:
    std1 = math.sqrt(2.0 / d) if activation == "relu" else math.sqrt(2.0 / (d + hidden))
    std2 = math.sqrt(2.0 / (hidden + k))
    return np.concatenate(
        [
            rng.normal(0.0, std1, d * hidden),
            np.zeros(hidden),
            rng.normal(0.0, std2, hidden * k),
            np.zeros(k),
        ]
    )


def init_mlp(features, classes, hidden=32, activation="relu", seed=0, objective="cross_entropy") -> MLP:
    """A fresh network: He normal (ReLU) or Glorot normal (tanh) hidden weights, Glorot normal
    output weights, zero biases, drawn from a Generator seeded by ``seed``; its loss is
    ``objective``, "cross_entropy" or "mse" (see :class:`MLP`). The weights do not depend on it.

    >>> net = init_mlp(64, 10, hidden=32)
    >>> net
    MLP(features=64, hidden=32, classes=10, activation='relu', parameters=2410)
    >>> print(f"{net.W1.std():.3f} vs sqrt(2/64) = {np.sqrt(2 / 64):.3f}")
    0.174 vs sqrt(2/64) = 0.177
    """
    features = check.steps_count("features", features, 1, 100_000, _TOO_BIG)
    classes = check.steps_count("classes", classes, 2, 100_000, _TOO_BIG)
    hidden = check.steps_count("hidden", hidden, 1, MAX_HIDDEN, _TOO_BIG)
    activation = check.choice("activation", activation, ACTIVATIONS)
    seed = check.integer("seed", seed, 0)
    objective = check.choice("objective", objective, OBJECTIVES)
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[0])  # the init stream of `seed`
    params = _init_params(features, hidden, classes, activation, rng)
    return MLP(features, hidden, classes, activation, params, objective)


# --------------------------------------------------------------------------- training


@dataclass(frozen=True, eq=False)
class TrainingRun:
    """What a training run did.

    For a single run the per-step arrays stop where the run stopped:
      lrs             (k,)  the rate of update t, t = 0 .. k − 1, where k = stopped_at,
      losses          (k,)  the minibatch loss update t computed its gradient from (the loss at
                            the parameters before the update; for a diverged run the last one
                            is the first bad loss),
    and the per-epoch arrays hold epoch 0 (before training) and every completed epoch:
      train_loss, train_accuracy, val_loss, val_accuracy   (e + 1,)  on the whole sets,
      diverged        bool, whether the run blew up (then no epoch after the blow-up is recorded),
      stopped_at      int, the number of updates done (epochs · steps_per_epoch unless diverged),
      models          the final network of each run (a tuple of MLP; ``model`` for a single run),
      plateaus        the ReduceOnPlateau copies that ran (empty without one).
    For a batch of n runs (a list of schedules), every array gets a run axis after the step or
    epoch axis, padded with NaN after each run stopped; diverged and stopped_at have shape (n,).
    """

    lrs: np.ndarray
    losses: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    diverged: bool | np.ndarray
    stopped_at: int | np.ndarray
    method: str
    epochs: int
    steps_per_epoch: int
    models: tuple = field(repr=False)
    plateaus: tuple = field(default=(), repr=False)

    @property
    def batched(self) -> bool:
        return self.lrs.ndim == 2

    @property
    def steps(self) -> int:
        """The planned number of updates, epochs · steps_per_epoch."""
        return self.epochs * self.steps_per_epoch

    @property
    def model(self) -> MLP:
        """The final network of a single run."""
        if self.batched:
            raise ValueError("a batched run has one model per run: use run.models[i]")
        return self.models[0]

    def _final(self, values, bad):
        if not self.batched:
            return bad if self.diverged else float(values[-1])
        return np.where(self.diverged, bad, values[-1])

    @property
    def final_val_loss(self):
        """The validation loss after the last epoch (inf for a diverged run)."""
        return self._final(self.val_loss, math.inf)

    @property
    def final_val_accuracy(self):
        """The validation accuracy after the last epoch (nan for a diverged run)."""
        return self._final(self.val_accuracy, math.nan)

    def __repr__(self):
        if self.batched:
            n = self.lrs.shape[1]
            return (
                f"TrainingRun(method={self.method!r}, runs={n}, epochs={self.epochs}, "
                f"steps={self.steps}, diverged={int(np.sum(self.diverged))} of {n})"
            )
        if self.diverged:
            return (
                f"TrainingRun(method={self.method!r}, epochs={self.epochs}, steps={self.steps}, "
                f"diverged=True, stopped_at={self.stopped_at})"
            )
        return (
            f"TrainingRun(method={self.method!r}, epochs={self.epochs}, steps={self.steps}, diverged=False, "
            f"val_loss={self.final_val_loss:.4f}, val_accuracy={self.final_val_accuracy:.4f})"
        )


def _check_seeds(seed, schedule):
    """An int >= 0, or a list of them, one per run of a list of schedules."""
    if not isinstance(seed, (list, tuple, np.ndarray)):
        return check.integer("seed", seed, 0)
    if not isinstance(schedule, (list, tuple)):
        raise TypeError(f"seed as a list needs a list of schedules, one per seed; got one schedule and seed={seed!r:.80}")
    seeds = [check.integer(f"seed[{i}]", s, 0) for i, s in enumerate(np.asarray(seed, dtype=object).ravel().tolist())]
    if np.ndim(np.asarray(seed, dtype=object)) != 1 or len(seeds) != len(schedule):
        raise ValueError(f"seed as a list must hold one integer per schedule ({len(schedule)}), got {seed!r:.80}")
    return tuple(seeds)


def _check_data(data) -> Dataset:
    if not isinstance(data, Dataset):
        raise TypeError(
            f"data must be an lrlab.network.Dataset (from load_digits(), say), got {data!r:.80} ({type(data).__name__})"
        )
    return data


def _one_blas_thread():
    """A context in which BLAS uses one thread (threadpoolctl, if installed; else nothing changes).

    The network's matrices are small: on a busy two-core machine, BLAS threads that wait for
    each other made training 3 to 5 times slower than one thread. The limit holds only while
    a run trains, and is lifted after it.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover - without it, BLAS keeps its own threads
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _loop(data, plan, steps, batch_size, hidden, activation, method, momentum, seed, evaluate):
    """The training loop for a stack of runs sharing the initial weights and the batch order."""
    with _one_blas_thread():
        return _loop_body(data, plan, steps, batch_size, hidden, activation, method, momentum, seed, evaluate)


def _loop_body(data, plan, steps, batch_size, hidden, activation, method, momentum, seed, evaluate):
    """The loop over a :class:`lrlab.rules.RatePlan` (one column per run). Returns the raw record."""
    d, k = data.features, data.classes
    layout, P = _layout(d, hidden, k)
    n = plan.runs
    seeds = [seed] * n if isinstance(seed, int) else list(seed)
    distinct = sorted(set(seeds))
    per_epoch = data.steps_per_epoch(batch_size)
    n_epochs = -(-steps // per_epoch)
    inits, shuffles = {}, {}
    for s in distinct:
        init_seq = np.random.SeedSequence(s).spawn(2)[0]  # seeded: the init stream (shuffles uses the other)
        inits[s] = _init_params(d, hidden, k, activation, np.random.default_rng(init_seq))
        shuffles[s] = data.shuffles(n_epochs, s)
    theta0 = np.stack([inits[s] for s in seeds])  # (runs, P)
    shared = len(distinct) == 1  # one batch order for all runs: the batches are shared, not stacked
    orders = shuffles[distinct[0]] if shared else np.stack([shuffles[s] for s in seeds], axis=1)  # (epochs, [runs,] n)
    theta = theta0.copy()
    rule = make_rule(method, momentum)
    state = rule.init(theta)
    X, y = data.X_train, data.y_train

    lrs = np.full((steps, n), np.nan)
    losses = np.full((steps, n), np.nan)
    stops = Stops(n, steps)
    active = stops.active  # updated in place as runs stop
    epochs_done = np.zeros(n, dtype=int)
    keys = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")
    record = {key: np.full((steps // per_epoch + 1, n), np.nan) for key in keys}

    def measure(epoch, t):
        """Record the losses and accuracies after `epoch` epochs (t updates); stop runs that blew up."""
        tl, tp = _forward(theta, layout, activation, data.X_train, data.y_train, predictions=True)
        vl, vp = _forward(theta, layout, activation, data.X_val, data.y_val, predictions=True)
        stops.stop(~(np.isfinite(tl) & (tl <= limit)), t)  # the last update of the epoch blew it up
        row = {
            "train_loss": tl,
            "train_accuracy": (tp == data.y_train).mean(axis=-1),
            "val_loss": vl,
            "val_accuracy": (vp == data.y_val).mean(axis=-1),
        }
        for key, value in row.items():
            record[key][epoch, active] = value[active]
        return vl

    with np.errstate(all="ignore"):  # overflow in a diverging run is an outcome, handled below
        start_loss = _forward(theta, layout, activation, X, y)  # each run's own, at its initial weights
        limit = BLOWUP_FACTOR * start_loss
        if evaluate:
            measure(0, 0)
        t = 0
        for perm in orders:
            # shuffled once per epoch: each batch is then a contiguous slice (of each run's own order)
            X_epoch, y_epoch = X[perm], y[perm]  # (n, d) shared, or (runs, n, d)
            for start in range(0, len(y), batch_size):
                if t >= steps:
                    break
                batch = slice(start, start + batch_size)
                xb, yb = (X_epoch[batch], y_epoch[batch]) if shared else (X_epoch[:, batch], y_epoch[:, batch])
                loss, g = _forward(rule.query(theta, state), layout, activation, xb, yb, grad=True)
                lr = np.where(active, plan.rates(t), 0.0)  # a stopped run stays parked
                bad = ~(np.isfinite(loss) & (loss <= limit))
                lrs[t, active] = lr[active]
                losses[t, active] = loss[active]
                theta, state = rule.update(g, state, theta, lr, t)
                t += 1
                if stops.stop(bad, t):
                    # Park stopped runs at the start so they cost no overflow in later steps.
                    theta, state = stops.park(theta, state, rule, theta0)
                    if not active.any():
                        break
            if not active.any():
                break
            if t % per_epoch == 0:  # a whole epoch is done
                if evaluate:
                    plan.feed(measure(t // per_epoch, t), active)
                epochs_done[active] += 1
    return {
        "lrs": lrs,
        "losses": losses,
        "record": record,
        "stopped_at": stops.stopped_at,
        "epochs_done": epochs_done,
        "diverged": stops.diverged,
        "theta": theta,
        "layout": (d, hidden, k),
    }


def train_mlp(
    data,
    schedule,
    epochs=20,
    batch_size=32,
    hidden=32,
    activation="relu",
    method="gd",
    momentum=0.9,
    seed=0,
) -> TrainingRun:
    """Train a one-hidden-layer network with minibatch SGD under a schedule.

    data        a :class:`Dataset` (from :func:`load_digits`, say),
    schedule    a positive number (a constant rate), an lrlab schedule of the update step t
                (counted from 0 over all epochs: a budget is epochs · data.steps_per_epoch(batch_size)
                steps), a ReduceOnPlateau (a fresh copy is fed the validation loss after each
                epoch; the object passed in is not changed), or a list of these, one per run:
                the runs are trained together in one vectorized loop; or an array of rates of
                shape (steps,) or (steps, runs) (see :func:`lrlab.rules.rate_plan`),
    epochs      passes over the training set, >= 1,
    batch_size  examples per update, >= 1,
    hidden      hidden units H, >= 1, and activation "relu" or "tanh",
    method      "gd" (SGD) or "momentum" (SGD with momentum μ in [0, 1), PyTorch's rule),
    seed        seeds the initial weights and the order of the batches: one integer, shared by
                all runs (they then differ only in their schedules), or, with a list of
                schedules, a list of as many integers, one per run (the same schedule under
                several seeds, trained together; runs with equal seeds share weights and batches).

    Returns a :class:`TrainingRun`. A run whose loss blows up (see BLOWUP_FACTOR) stops and is
    marked ``diverged``, without stopping the other runs and without a warning. While it trains,
    BLAS is limited to one thread (the matrices are small; see ``_one_blas_thread``).

    >>> data = load_digits()
    >>> runs = train_mlp(data, [0.05, 5.0], epochs=2, hidden=16)
    >>> runs
    TrainingRun(method='gd', runs=2, epochs=2, steps=90, diverged=1 of 2)
    >>> runs.final_val_accuracy.round(2).tolist(), runs.stopped_at.tolist()
    ([0.78, nan], [90, 5])
    >>> seeds = train_mlp(data, [0.05, 0.05], epochs=2, hidden=16, seed=[0, 1])  # one rate, two seeds
    >>> seeds.final_val_accuracy.round(2).tolist()
    [0.78, 0.77]
    """
    data = _check_data(data)
    epochs = check.integer("epochs", epochs, 1)
    batch_size = check.integer("batch_size", batch_size, 1)
    hidden = check.steps_count("hidden", hidden, 1, MAX_HIDDEN, _TOO_BIG)
    activation = check.choice("activation", activation, ACTIVATIONS)
    method = check.choice("method", method, TRAIN_METHODS)
    momentum = check.in_interval("momentum", momentum, 0.0, 1.0, low_open=False, high_open=True)
    seed = _check_seeds(seed, schedule)
    per_epoch = data.steps_per_epoch(batch_size)
    steps = epochs * per_epoch
    if steps > check.MAX_STEPS:
        raise ValueError(
            f"epochs × steps per epoch must be at most {check.MAX_STEPS}, got epochs={epochs} × {per_epoch} = {steps} "
            "updates: every update is stored and takes time; use fewer epochs or a larger batch_size"
        )
    plan = rate_plan(schedule, steps)

    raw = _loop(data, plan, steps, batch_size, hidden, activation, method, momentum, seed, evaluate=True)
    d, h, k = raw["layout"]
    models = tuple(MLP(d, h, k, activation, theta) for theta in raw["theta"])
    used = plan.used()
    if plan.batched:
        return TrainingRun(
            raw["lrs"], raw["losses"], *(raw["record"][key] for key in
                                         ("train_loss", "train_accuracy", "val_loss", "val_accuracy")),
            raw["diverged"], raw["stopped_at"], method, epochs, per_epoch, models, used,
        )
    s, e = int(raw["stopped_at"][0]), int(raw["epochs_done"][0])
    return TrainingRun(
        raw["lrs"][:s, 0],
        raw["losses"][:s, 0],
        *(raw["record"][key][: e + 1, 0] for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy")),
        bool(raw["diverged"][0]),
        s,
        method,
        epochs,
        per_epoch,
        models,
        used,
    )


def mlp_lr_range_test(
    data,
    lr_min=1e-4,
    lr_max=10.0,
    steps=100,
    batch_size=32,
    hidden=32,
    activation="relu",
    method="gd",
    momentum=0.9,
    smoothing=0.9,
    diverge_factor=4.0,
    rule="steepest",
    skip_start=0,
    seed=0,
) -> LRRangeResult:
    """The LR range test on the network: one short run whose rate grows exponentially per update.

    The same rules as :func:`lrlab.lr_range_test`, with the minibatch loss of each update:
    lr_i = lr_min · (lr_max / lr_min)^(i / (steps − 1)) for update i (the run goes on through
    as many epochs as the steps need); the minibatch losses are smoothed with the bias-corrected
    moving average a_i = β · a_{i−1} + (1 − β) · loss_i, smoothed_i = a_i / (1 − β^(i+1)),
    β = smoothing; the test stops at the first i where smoothed_i > diverge_factor ·
    min(smoothed_0..i) (that point is kept) or when the run diverges. ``rule`` picks the
    suggestion: "steepest" (where the smoothed loss falls fastest against log lr, before its
    minimum) or "min/10" (a tenth of the rate at the lowest smoothed loss), leaving the first
    ``skip_start`` rates out of the reading (minibatch noise makes early flukes). The network, its
    initial weights and its batch order are those :func:`train_mlp` uses with the same
    ``hidden``, ``activation`` and ``seed``. Returns an :class:`lrlab.LRRangeResult`, whose
    ``losses`` are the minibatch losses (those are what the rule reads). As on a surface, no
    rate is suggested (a ValueError says why) when the smoothed loss never fell below the first
    minibatch loss, at the initial weights: lr_min is then already too large.

    >>> result = mlp_lr_range_test(load_digits())
    >>> print(f"{len(result.lrs)} rates tried, up to {result.lrs[-1]:.2f}; suggested {result.suggested_lr:.3f}")
    91 rates tried, up to 3.51; suggested 0.272
    """
    data = _check_data(data)
    lr_min = check.positive("lr_min", lr_min)
    if lr_min < 1e-12:
        raise ValueError(f"lr_min must be at least 1e-12, got {lr_min!r}: smaller rates move no float64 loss, "
                         "and the ramp's ratio lr_max/lr_min would overflow")
    lr_max = check.positive("lr_max", lr_max)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must exceed lr_min ({lr_min!r}), got lr_max={lr_max!r}")
    steps = check.steps_count("steps", steps, 2)
    batch_size = check.integer("batch_size", batch_size, 1)
    hidden = check.steps_count("hidden", hidden, 1, MAX_HIDDEN, _TOO_BIG)
    activation = check.choice("activation", activation, ACTIVATIONS)
    method = check.choice("method", method, TRAIN_METHODS)
    momentum = check.in_interval("momentum", momentum, 0.0, 1.0, low_open=False, high_open=True)
    smoothing = check.in_interval("smoothing", smoothing, 0.0, 1.0, low_open=False, high_open=True)
    diverge_factor = check.in_interval("diverge_factor", diverge_factor, 1.0, math.inf, low_open=True, high_open=True)
    rule = check.choice("rule", rule, tuple(RANGE_TEST_RULES))
    skip_start = check.integer("skip_start", skip_start, 0)
    if skip_start >= steps:
        raise ValueError(f"skip_start must be less than steps={steps} (it leaves the first skip_start of the "
                         f"{steps} rates out of the reading), got skip_start={skip_start!r}")
    seed = check.integer("seed", seed, 0)

    ramp = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))
    raw = _loop(data, rate_plan(ramp, steps), steps, batch_size, hidden, activation, method, momentum, seed,
                evaluate=False)
    k = int(raw["stopped_at"][0])
    lrs, losses = raw["lrs"][:k, 0], raw["losses"][:k, 0]
    finite = np.flatnonzero(np.isfinite(losses))
    keep = finite[-1] + 1 if finite.size else 0  # drop a non-finite end
    lrs, losses = lrs[:keep], losses[:keep]
    if len(losses) == 0:  # pragma: no cover - the first loss is at the initial weights, always finite
        raise ValueError(f"the run diverged at the first rate (lr_min={lr_min!r}); lower lr_min")
    return read_range_test(lrs, losses, smoothing, diverge_factor, rule, bool(raw["diverged"][0]), skip_start)
