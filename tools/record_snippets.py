"""Run the framework snippets that chapters 15 and 16 show, and record their source and output.

The chapters show short, complete PyTorch programs (and the Keras, optax, Hugging Face and Accelerate
equivalents where they differ), but a learner needs none of those libraries: this script runs
every snippet with the real library and writes its exact source, its exact printed output and
the library's version to ``tests/golden/snippets.json``. The notebooks print each snippet from
that file, and ``tests/test_snippets.py`` checks that every snippet a notebook shows is
byte-identical to a recorded one, so CI needs no framework either.

A snippet is a complete program: it imports what it uses, catches the error it demonstrates and
prints it (``type: message``), and prints every value the text quotes. Snippets that use
``lrlab`` import it from this repository (the script puts the repository first on ``sys.path``).
Where a library cannot be installed, the recording says so (``"libraries"`` gives the reason in
place of the version) and its snippets are left out rather than guessed.

To regenerate, in a throwaway virtual environment outside the repository (none of these
libraries is a dependency of lrlab)::

    python3 -m venv /tmp/fw
    /tmp/fw/bin/pip install torch==2.13.0 numpy keras jax optax transformers accelerate
    /tmp/fw/bin/python tools/record_snippets.py           # rewrites tests/golden/snippets.json
    /tmp/fw/bin/python tools/record_snippets.py --check   # exits 1 if the file is not what it would write

Do not edit the JSON by hand; change the snippets below and rerun.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import platform
import sys
import textwrap
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "golden" / "snippets.json"
COMMAND = "python tools/record_snippets.py"
LIBRARIES = {"torch": "torch", "keras": "keras", "jax": "jax", "optax": "optax", "transformers": "transformers",
             "accelerate": "accelerate"}

SNIPPETS: list[dict] = []


def snippet(name: str, library: str, title: str, source: str) -> None:
    """Register one snippet: ``source`` is a complete program for ``library``."""
    SNIPPETS.append({"name": name, "library": library, "title": title,
                     "source": textwrap.dedent(source).strip("\n") + "\n"})


# --------------------------------------------------------------------------------------
# PyTorch
# --------------------------------------------------------------------------------------

snippet("torch_training_loop", "torch", "the training loop: optimizer.step(), then scheduler.step()", """
import torch

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
x, y = torch.randn(16, 4), torch.randn(16, 1)

for t in range(5):
    lr = scheduler.get_last_lr()[0]  # the rate update t is about to use
    loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()   # the update x_t -> x_{t+1}, at lr(t)
    scheduler.step()   # the clock: t -> t + 1
    print(f"t = {t}: lr {lr:.3f}, loss {loss.item():.4f}")
print("after 5 updates: last_epoch =", scheduler.last_epoch, ", get_last_lr() =", scheduler.get_last_lr())
""")

snippet("torch_lambdalr_bridge", "torch", "any lrlab schedule as a PyTorch scheduler: LambdaLR", """
import torch
import lrlab

schedule = lrlab.linear_warmup(lrlab.cosine(0.1, total_steps=6), warmup_steps=3)
optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
# LambdaLR multiplies the optimizer's lr (0.1) by the function of the step
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: schedule(t) / 0.1)

for t in range(10):
    print(f"t = {t}: PyTorch {scheduler.get_last_lr()[0]:.6f}   lrlab {schedule(t):.6f}")
    optimizer.step()
    scheduler.step()
""")

snippet("torch_sequential_warmup_cosine", "torch", "SequentialLR: a linear warmup, then a cosine", """
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.1, end_factor=1.0, total_iters=3)
cosine = CosineAnnealingLR(optimizer, T_max=5)
scheduler = SequentialLR(optimizer, [warmup, cosine], milestones=[3])

rates = []
for t in range(9):
    rates.append(round(scheduler.get_last_lr()[0], 6))
    optimizer.step()
    scheduler.step()
print(rates)
""")

snippet("torch_cosine_then_constant", "torch", "SequentialLR: a cosine, then a constant piece that holds its final rate", """
import torch
from torch.optim.lr_scheduler import ConstantLR, CosineAnnealingLR, SequentialLR

holds = {"ConstantLR(optimizer), its defaults": lambda optimizer: ConstantLR(optimizer),
         "ConstantLR(optimizer, factor=0.1, total_iters=1000)": lambda optimizer: ConstantLR(optimizer, factor=0.1, total_iters=1000)}
for label, make_hold in holds.items():
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    cosine = CosineAnnealingLR(optimizer, T_max=4, eta_min=0.01)
    scheduler = SequentialLR(optimizer, [cosine, make_hold(optimizer)], milestones=[4])
    rates = []
    for t in range(12):
        rates.append(round(scheduler.get_last_lr()[0], 6))
        optimizer.step()
        scheduler.step()
    print(f"{label}: {rates}")
""")

snippet("torch_linearlr_default_and_zero", "torch", "LinearLR: the default start_factor is 1/3, and 0 is refused", """
import torch
from torch.optim.lr_scheduler import LinearLR

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.3)
print("default start_factor:", LinearLR(optimizer).start_factor)
try:
    LinearLR(optimizer, start_factor=0.0, total_iters=5)
except ValueError as e:
    print(f"{type(e).__name__}: {e}")
""")

snippet("torch_onecycle", "torch", "OneCycleLR stepped per batch, and one step past total_steps", """
import torch
from torch.optim.lr_scheduler import OneCycleLR

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps=6, cycle_momentum=False)
for t in range(7):
    print(f"t = {t}: lr {scheduler.get_last_lr()[0]:.6f}")
    optimizer.step()
    try:
        scheduler.step()
    except ValueError as e:
        print(f"scheduler.step() after update {t}: {type(e).__name__}: {e}")
        break
""")

snippet("torch_plateau", "torch", "ReduceLROnPlateau.step(val_loss), once per epoch", """
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
scheduler = ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
val_losses = [1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.69, 0.69, 0.69, 0.69]
for epoch, val_loss in enumerate(val_losses):
    # ... an epoch of optimizer.step() calls ...
    scheduler.step(val_loss)  # the metric, not the clock
    print(f"epoch {epoch}: val_loss {val_loss}, lr for the next epoch {optimizer.param_groups[0]['lr']:g}")
""")

snippet("torch_step_order_warning", "torch", "scheduler.step() before optimizer.step(): the warning, and the rate skipped", """
import warnings
import torch

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=3)
used = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for t in range(4):
        scheduler.step()   # wrong order: the clock moves first
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
for w in caught:
    print(f"{w.category.__name__}: {w.message}")
print("rates the four updates used:", [round(lr, 6) for lr in used])
""")

snippet("torch_accumulation", "torch", "gradient accumulation: step the scheduler per update, not per micro-batch", """
import warnings
import torch
from torch.optim.lr_scheduler import LinearLR

accumulation = 4  # micro-batches per optimizer update
for where in ("per micro-batch (wrong)", "per update (right)"):
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    scheduler = LinearLR(optimizer, start_factor=0.1, total_iters=8)  # an 8-update warmup
    rates = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for micro in range(3 * accumulation):  # 12 micro-batches = 3 updates
            # loss = model(batch) / accumulation; loss.backward()  (gradients add up)
            if (micro + 1) % accumulation == 0:
                rates.append(round(optimizer.param_groups[0]["lr"], 6))
                optimizer.step()
                optimizer.zero_grad()
                if where.startswith("per update"):
                    scheduler.step()
            if where.startswith("per micro-batch"):
                scheduler.step()
    print(f"{where}: rates of updates 0, 1, 2 = {rates}; last_epoch = {scheduler.last_epoch}")
    for w in caught:
        print(f"   {w.category.__name__}: {str(w.message)[:59]}…")
""")

snippet("torch_grad_scaler_skip", "torch", "a skipped update (mixed precision) still moves the scheduler's clock", """
import warnings
import torch

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.25, total_iters=4)
scaler = torch.amp.GradScaler("cpu")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for t in range(4):
        loss = model(torch.ones(1, 2)).sum()
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        if t < 2:
            model.weight.grad[0, 0] = float("inf")  # an overflow, as in float16
        before = model.weight.detach().clone()
        lr = optimizer.param_groups[0]["lr"]
        scaler.step(optimizer)  # skipped when a gradient is inf or nan
        scaler.update()
        scheduler.step()
        moved = not torch.equal(before, model.weight)
        print(f"iteration {t}: lr {lr:.4f}, update applied: {moved}")
for w in caught:
    print(f"{w.category.__name__}: {w.message}")
print("scheduler.last_epoch =", scheduler.last_epoch)
""")

snippet("torch_two_groups", "torch", "two parameter groups: each keeps its own base rate", """
import math
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR

backbone, head = torch.nn.Linear(4, 4), torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD([{"params": backbone.parameters(), "lr": 0.01},  # the pretrained part
                             {"params": head.parameters()}], lr=0.1)          # the new head: the default lr
scheduler = CosineAnnealingLR(optimizer, T_max=4)
for t in range(5):
    print(f"t = {t}: rates {[round(lr, 6) for lr in scheduler.get_last_lr()]}")
    optimizer.step()
    scheduler.step()
print("base_lrs:", scheduler.base_lrs)

optimizer = torch.optim.SGD([{"params": backbone.parameters(), "lr": 0.01},
                             {"params": head.parameters(), "lr": 0.1}])
frozen_then_on = lambda t: 0.0 if t < 2 else 1.0          # backbone: frozen for 2 updates
warm = lambda t: min(1.0, (t + 1) / 3)                   # head: a 3-update warmup
scheduler = LambdaLR(optimizer, [frozen_then_on, warm])  # one function per group
for t in range(4):
    print(f"LambdaLR with a list, t = {t}: rates {[round(lr, 6) for lr in scheduler.get_last_lr()]}")
    optimizer.step()
    scheduler.step()
""")

snippet("torch_state_dict_resume", "torch", "saving and loading state_dict() to resume", """
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


def make(T_max):
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    return model, optimizer, CosineAnnealingLR(optimizer, T_max=T_max)


model, optimizer, scheduler = make(T_max=10)
for t in range(4):
    optimizer.step()
    scheduler.step()
checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}
print("scheduler state:", {k: v for k, v in checkpoint["scheduler"].items() if not k.startswith("_get")})
print("optimizer param_groups[0] has initial_lr:", checkpoint["optimizer"]["param_groups"][0]["initial_lr"])
print(f"rate of update 4 in the first run: {scheduler.get_last_lr()[0]:.6f}")

model, optimizer, scheduler = make(T_max=10)  # a new process: fresh objects, then all three states loaded
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler.load_state_dict(checkpoint["scheduler"])
print(f"after load_state_dict: last_epoch {scheduler.last_epoch}, rate {scheduler.get_last_lr()[0]:.6f}")

model, optimizer, scheduler = make(T_max=20)  # resume, meaning to train longer
scheduler.load_state_dict(checkpoint["scheduler"])
print(f"built with T_max=20, then loaded: T_max = {scheduler.T_max}")
""")

snippet("torch_initial_lr_keyerror", "torch", "last_epoch without the optimizer's state: KeyError 'initial_lr'", """
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
try:
    CosineAnnealingLR(optimizer, T_max=10, last_epoch=3)  # "resume at step 4" on a fresh optimizer
except KeyError as e:
    print(f"{type(e).__name__}: {e}")
""")

snippet("torch_resume_without_scheduler_state", "torch", "resuming with the optimizer's state but not the scheduler's: recursive against closed form", """
import math
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR

cosine = lambda t: 0.5 * (1 + math.cos(math.pi * min(t, 10) / 10))  # closed form: lrlab.cosine(1.0, 10)
kinds = {"CosineAnnealingLR (recursive)": lambda optimizer: CosineAnnealingLR(optimizer, T_max=10),
         "LambdaLR(cosine) (closed form)": lambda optimizer: LambdaLR(optimizer, cosine)}
for kind, make_scheduler in kinds.items():
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = make_scheduler(optimizer)
    for t in range(4):
        optimizer.step()
        scheduler.step()
    checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}  # the scheduler's state is forgotten

    model = torch.nn.Linear(2, 1)  # the resumed process builds everything as at the start ...
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = make_scheduler(optimizer)
    model.load_state_dict(checkpoint["model"])  # ... and loads the model and the optimizer
    optimizer.load_state_dict(checkpoint["optimizer"])
    used, reported = [], []
    for update in range(4, 8):
        used.append(round(optimizer.param_groups[0]["lr"], 6))
        reported.append(round(scheduler.get_last_lr()[0], 6))
        optimizer.step()
        scheduler.step()
    print(f"{kind}: updates 4-7 used {used}")
    print(f"{kind}: get_last_lr() said {reported}")
""")

snippet("torch_resume_exercise", "torch", "exercise 4, recorded: CosineAnnealingLR(T_max=20) resumed after 7 updates without its state", """
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = CosineAnnealingLR(optimizer, T_max=20)
for t in range(7):
    optimizer.step()
    scheduler.step()
checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}  # the scheduler's state is forgotten

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = CosineAnnealingLR(optimizer, T_max=20)
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
for update in range(7, 11):
    print(f"update {update}: rate {optimizer.param_groups[0]['lr']:.6f}")
    optimizer.step()
    scheduler.step()
""")

snippet("torch_extend_on_resume", "torch", "a cosine of 100 updates resumed at update 60 as one of 150: recursive against closed form", """
import math
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LambdaLR


def cosine(T):
    return lambda t: 0.5 * (1 + math.cos(math.pi * min(t, T) / T))  # closed form: lrlab.cosine(1.0, T)


for kind in ("CosineAnnealingLR, T_max raised after loading", "LambdaLR, rebuilt with the longer cosine"):
    recursive = kind.startswith("Cosine")
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    scheduler = CosineAnnealingLR(optimizer, T_max=100) if recursive else LambdaLR(optimizer, cosine(100))
    for t in range(60):
        optimizer.step()
        scheduler.step()
    checkpoint = {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    scheduler = CosineAnnealingLR(optimizer, T_max=150) if recursive else LambdaLR(optimizer, cosine(150))
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])  # restores last_epoch = 60 (and T_max = 100)
    if recursive:
        scheduler.T_max = 150                           # the new length, set after loading
    used = []
    for update in range(60, 150):
        used.append(round(optimizer.param_groups[0]["lr"], 6))
        optimizer.step()
        scheduler.step()
    print(f"{kind}: updates 60-63 used {used[:4]}")
    print(f"{kind}: updates 100, 120, 149 used {[used[100 - 60], used[120 - 60], used[149 - 60]]}")
""")

snippet("torch_plateau_times_warmup", "torch", "plateau and warmup combined right: one LambdaLR, times a scale the validation loss moves", """
import torch
from torch.optim.lr_scheduler import LambdaLR, ReduceLROnPlateau

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
holder = torch.optim.SGD([torch.zeros(1)], lr=1.0)   # never stepped: its lr is the plateau's scale
plateau = ReduceLROnPlateau(holder, factor=0.5, patience=0)
warmup = lambda t: min(1.0, (t + 1) / 4)
scheduler = LambdaLR(optimizer, lambda t: warmup(t) * holder.param_groups[0]["lr"])
for epoch, val_loss in enumerate([1.0, 0.8, 0.8, 0.8, 0.7]):
    used = []
    for batch in range(2):  # two updates per epoch
        used.append(round(optimizer.param_groups[0]["lr"], 6))
        optimizer.step()
        scheduler.step()    # per update: lr0 × warmup(t) × the current scale
    plateau.step(val_loss)  # per epoch: the validation loss moves the scale, not the clock
    print(f"epoch {epoch}: rates used {used}; val_loss {val_loss}, scale now {holder.param_groups[0]['lr']:g}")
""")

snippet("torch_plateau_with_warmup", "torch", "reduce-on-plateau next to a LambdaLR warmup on one optimizer", """
import torch
from torch.optim.lr_scheduler import LambdaLR, ReduceLROnPlateau, SequentialLR

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
warmup = LambdaLR(optimizer, lambda t: min(1.0, (t + 1) / 4))
plateau = ReduceLROnPlateau(optimizer, factor=0.5, patience=0)
for epoch, val_loss in enumerate([1.0, 1.0, 1.0, 1.0]):
    optimizer.step()
    warmup.step()             # once per update (one update per epoch here)
    plateau.step(val_loss)    # once per epoch
    print(f"epoch {epoch}: lr {optimizer.param_groups[0]['lr']:.4f}; get_last_lr(): warmup "
          f"{warmup.get_last_lr()[0]:.4f}, plateau {plateau.get_last_lr()[0]:.4f}")

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
try:
    warmup = LambdaLR(optimizer, lambda t: min(1.0, (t + 1) / 4))
    chained = SequentialLR(optimizer, [warmup, ReduceLROnPlateau(optimizer)], milestones=[4])
    for epoch in range(6):
        optimizer.step()
        chained.step()
    print("SequentialLR with ReduceLROnPlateau ran; lr", optimizer.param_groups[0]["lr"])
except Exception as e:
    print(f"SequentialLR with ReduceLROnPlateau: {type(e).__name__}: {e}")
""")

snippet("torch_adamw_decay", "torch", "AdamW: the weight decay is multiplied by the scheduled rate", """
import math
import torch

w = torch.nn.Parameter(torch.ones(1))
optimizer = torch.optim.AdamW([w], lr=0.1, weight_decay=0.5)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
shrink = 1.0
for t in range(10):
    shrink *= 1 - scheduler.get_last_lr()[0] * 0.5  # (1 - lr(t) * weight_decay)
    w.grad = torch.zeros(1)  # no gradient: only the decay moves w
    optimizer.step()
    scheduler.step()
print(f"w after 10 updates: {w.item():.6f};  product of (1 - lr(t) * wd): {shrink:.6f};  "
      f"constant lr 0.1: {(1 - 0.1 * 0.5) ** 10:.6f}")
""")

# --------------------------------------------------------------------------------------
# Hugging Face transformers, optax, Keras
# --------------------------------------------------------------------------------------

snippet("hf_cosine_with_warmup", "transformers", "Hugging Face: get_cosine_schedule_with_warmup, and past its end", """
import torch
from transformers import get_cosine_schedule_with_warmup

optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
scheduler = get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=2, num_training_steps=6)
rates = []
for t in range(10):
    rates.append(round(scheduler.get_last_lr()[0], 6))
    optimizer.step()
    scheduler.step()
print(type(scheduler).__name__, rates)
""")

snippet("optax_inject_hyperparams", "optax", "optax: log the current rate with inject_hyperparams", """
import jax.numpy as jnp
import optax

schedule = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=0.1, warmup_steps=2, decay_steps=6)
optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
params = {"w": jnp.ones(2)}
state = optimizer.init(params)
for t in range(8):
    grads = {"w": jnp.ones(2)}
    updates, state = optimizer.update(grads, state, params)  # uses schedule(count), then count += 1
    params = optax.apply_updates(params, updates)
    print(f"update {t}: learning_rate {float(state.hyperparams['learning_rate']):.6f}, count {int(state.count)}")
""")

snippet("accelerate_prepared_scheduler", "accelerate", "Accelerate: the prepared scheduler steps only with a real update, n times per call", """
import inspect
import torch
from accelerate import Accelerator
from accelerate.scheduler import AcceleratedScheduler

accelerator = Accelerator(gradient_accumulation_steps=4, cpu=True)
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=8)
model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)
rates = []
for micro in range(12):  # 12 micro-batches = 3 updates
    with accelerator.accumulate(model):
        accelerator.backward(model(torch.ones(1, 2)).sum())
        if accelerator.sync_gradients:
            rates.append(round(optimizer.param_groups[0]["lr"], 6))
        optimizer.step()   # no update until the 4th micro-batch
        scheduler.step()   # called per micro-batch, as the wrong loop did
        optimizer.zero_grad()
print(f"{accelerator.num_processes} process: rates of updates 0, 1, 2 = {rates}; last_epoch = {scheduler.scheduler.last_epoch}")
print("# the installed source of AcceleratedScheduler.step:")
print(inspect.getsource(AcceleratedScheduler.step), end="")
""")

snippet("optax_plateau_same_call", "optax", "optax: reduce_on_plateau scales the update of the call that received the value", """
import jax.numpy as jnp
import optax

plateau = optax.contrib.reduce_on_plateau(factor=0.5, patience=1)
params = {"w": jnp.ones(1)}
state = plateau.init(params)
for call, loss in enumerate([1.0, 0.9, 0.9, 0.9, 0.9]):
    updates, state = plateau.update({"w": jnp.ones(1)}, state, params, value=jnp.asarray(loss))
    print(f"call {call}: value {loss}, this call's update scaled by {float(updates['w'][0]):g}, scale now {float(state.scale):g}")
""")

snippet("keras_schedule_and_plateau", "keras", "Keras: a LearningRateSchedule, and the plateau callback refusing it", """
import numpy as np
import keras

schedule = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=4, warmup_target=0.1, warmup_steps=2)
print("CosineDecay with warmup:", [round(float(schedule(t)), 6) for t in range(8)])

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule), loss="mse")
x, y = np.ones((8, 2)), np.zeros((8, 1))
callback = keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0)
try:
    model.fit(x, y, epochs=2, verbose=0, callbacks=[callback])
    print("fit ran")
except Exception as e:
    print(f"{type(e).__name__}: {e}")
""")


snippet("keras_gradient_accumulation", "keras", "Keras: with gradient_accumulation_steps, the schedule counts micro-batches", """
import numpy as np
import keras

keras.utils.set_random_seed(0)
schedule = keras.optimizers.schedules.PolynomialDecay(0.12, decay_steps=12, end_learning_rate=0.0)  # lr(t) = 0.12 - 0.01 t
model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")])
optimizer = keras.optimizers.SGD(learning_rate=schedule, gradient_accumulation_steps=4)
model.compile(optimizer=optimizer, loss=lambda y_true, y_pred: keras.ops.mean(y_pred))  # x = 1: every gradient is 1, so an update moves the weight by its rate


class LogRates(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.weight = float(self.model.layers[0].kernel.value[0, 0])

    def on_train_batch_end(self, batch, logs=None):
        weight = float(self.model.layers[0].kernel.value[0, 0])
        if weight != self.weight:
            print(f"micro-batch {batch}: update applied with rate {self.weight - weight:.6f}, optimizer.iterations = {int(self.model.optimizer.iterations)}")
        self.weight = weight


x = np.ones((12, 1), dtype="float32")  # 12 micro-batches of one example = 3 updates
model.fit(x, np.zeros((12, 1)), batch_size=1, epochs=1, shuffle=False, verbose=0, callbacks=[LogRates()])
print("schedule at updates 0, 1, 2:", [round(float(schedule(j)), 6) for j in range(3)])
print("schedule at micro-batches 3, 7, 11:", [round(float(schedule(t)), 6) for t in (3, 7, 11)])
""")


# --------------------------------------------------------------------------------------
# Running and recording
# --------------------------------------------------------------------------------------


def library_versions() -> dict[str, str]:
    """Each library's version, or why it is not available."""
    versions = {}
    for key, module in LIBRARIES.items():
        try:
            versions[key] = importlib.import_module(module).__version__
        except Exception as e:  # noqa: BLE001 (any failure to import is reported as such)
            versions[key] = f"not installed: {type(e).__name__}: {e}"
    return versions


def run(source: str) -> tuple[str, list[str]]:
    """Execute ``source`` in a fresh namespace; return what it printed, and the warnings it let out.

    A warning the snippet does not catch itself would reach a learner's screen (stderr): it is
    recorded as ``"Category: message"`` beside the output, and the notebooks show it too.
    """
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(source, "<snippet>", "exec"), {"__name__": "__snippet__"})  # noqa: S102
    return out.getvalue(), [f"{w.category.__name__}: {w.message}" for w in caught]


def record() -> dict:
    os.environ.setdefault("KERAS_BACKEND", "jax")  # Keras 3 needs a backend; jax is the light one here
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    sys.path.insert(0, str(ROOT))  # the snippets that import lrlab use this repository's
    versions = library_versions()
    snippets = []
    for item in SNIPPETS:
        needed = [item["library"]] + (["jax"] if item["library"] in ("optax", "keras") else [])
        if any(versions[lib].startswith("not installed") for lib in needed):
            continue  # left out, not guessed: the recording says why in "libraries"
        output, escaped = run(item["source"])
        snippets.append(dict(item, output=output, warnings=escaped, version=versions[item["library"]]))
    return {
        "generated_by": COMMAND,
        "python": platform.python_version(),
        "keras_backend": os.environ["KERAS_BACKEND"],
        "libraries": versions,
        "snippets": snippets,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the recording is not what this would write")
    args = parser.parse_args(argv)
    text = json.dumps(record(), indent=1, ensure_ascii=False) + "\n"
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.relative_to(ROOT)} is {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
