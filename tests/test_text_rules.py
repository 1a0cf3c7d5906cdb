"""Rules of the course's text that a test can hold (see notebooks/AUTHORING.md).

- One notation: symbols that the notation table in 00 gives one meaning must not appear with
  another (η is never the rate; ρ is only the silver ratio of chapter 14; T_n is never a
  Chebyshev polynomial, T is the budget).
- Retired wrong statements: phrasings that were once in the course and were wrong must never
  come back (each entry says what was wrong with it).
- No answer in sight before the learner predicts: the expected value of a predict-then-run
  check is never written as arithmetic on literals in the exercise cell, and the stored output
  of every exercise cell is the untouched starter's: only "not attempted yet" messages.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import exercises  # noqa: E402
import nbtools  # noqa: E402

NOTEBOOKS = nbtools.notebook_paths()


def _markdown(nb) -> str:
    return "\n".join(nbtools.source(c) for c in nb.cells if c.cell_type == "markdown")


def _all_text(nb) -> str:
    return "\n".join(nbtools.source(c) for c in nb.cells)


#: (regex, which notebooks may use it (name prefixes), why) for the markdown of every notebook.
NOTATION = [
    (r"\\eta\b|η", (), "the learning rate is lr(t), never η (notation table in 00)"),
    (r"\\rho\b|ρ", ("00", "14"), "ρ is only the silver ratio 1 + √2 (chapter 14); the contraction is r, the end fraction α"),
    (r"\bT_n\b|T_\{n\}", ("00", "14"), "the Chebyshev polynomial is C_n: T is the budget"),
    (r"(?<![`_\w])step[ -]sizes?(?![`_\w])", ("00", "14"),
     "the learning rate is never called the step size; `step_size` is the steps between drops"),
]

#: (exact phrase, why it was retired). Matched in every cell's source, case-sensitively.
RETIRED = [
    ("about lr·σ²/2", "the floor is lr·σ²/(2(2 − lr·h)) ≈ lr·σ²/4 per direction"),
    ("2·lr σ²/2 = 0.08", "that is 0.16; the floor after the drop is 0.081"),
    ("about lr·σ²/2 for a small lr", "the floor is about lr·σ²/4 per direction"),
    ("\\approx \\mathrm{lr}\\,\\sigma^2/2$ per direction", "the floor is about lr·σ²/4 per direction"),
    ("\\frac{\\mathrm{lr}\\,\\sigma^2}{2} \\text{ per direction", "the floor is about lr·σ²/4 per direction"),
    ("2\\cdot\\mathrm{lr}\\,\\sigma^2/2 = 0.08", "that is 0.16"),
    ("make later stages longer", "practical step schedules make later stages shorter (ResNet, Goyal et al.)"),
    ("its distance to the start shrinks", "the distance to the minimum shrinks"),
    ("divided by 10 at fixed iterations — the multistep recipe", "ResNet's ImageNet drops came when the error plateaued"),
    ("\"divide the learning rate by 10 when the validation error stops improving\"", "a paraphrase, not a quotation"),
    ("(the very first update does nothing, as in the Transformer paper)", "the paper does not say where its step number starts; implementations (the Annotated Transformer) count from 1"),
    ("a rate that is unstable for a few steps does no harm", "the steep coordinate grows to about 1e6: only an exact quadratic forgives it"),
    ("Without noise, decay buys nothing here", "shown on one valley; chapter 14's schedules speed up noise-free descent"),
    ("ahead of step decay and far ahead of a constant rate", "after tuning both end about 2× higher than linear and cosine"),
    ('Feed the rule a smoothed or held-out loss.', "06's own table: 22.8 / 19.6 / 21.4 cuts for raw / ema / true; the guards are min_lr and cooldown"),
    ('Feed it a smoothed (EMA) or held-out loss.', "06's own table: a smoothed signal does not stop repeated cuts"),
    ('the divergences sit on the steep outer walls', '11 of the 65 divergences start at |x| ≤ 1'),
    ('longest warmup that still keeps the rate above', "impossible at the panel's default peak"),
    ('as runs at the "edge of stability" do', "edge of stability is Cohen et al.'s phenomenon, not a bounded oscillation"),
    ('cycle $k$ ends at $T_0 (m^{k} - 1)/(m - 1)$', 'cycles are counted from 1 and the multiplier is T_mult'),
    ('the noise, not the rounding, decides', 'asserted without a run (now shown)'),
    ("Leslie Smith's test (2017) trains for a few steps while raising the rate exponentially", "Smith's test ramps linearly; the exponential ramp is fastai's"),
    ('a tuned cosine does slightly better here', '17-19% lower is not slightly'),
    ('each coordinate moves by at most about lr per step', "Adam's step is bounded by about lr·(1 − β1)/√(1 − β2) ≈ 3.2·lr"),
    ('Its steps are bounded by about lr', "Adam's step is bounded by about 3.2·lr at the defaults"),
    ('ln(\\dots)/(\\mu T)', 'a placeholder, not a formula'),
    ('divide the rate by $1/(1-\\beta)$', 'multiply the rate by 1 − β'),
    ('That tolerance of large peaks is what Smith and Topin called', 'misattributed wording'),
    ('The largest stable step is smallest at the start', 'from (−1.2, 1) GD converges at every rate up to 0.00199, 1.5 × 2/λ_max(start): the minimum limits the rate'),
    ('has a sharp edge', "the period-2 orbit's loss grows continuously past 2/L"),
    ('4% in the rate separates convergence', 'the transition is continuous'),
    ('a slightly smaller rate does as well', 'the smaller rate does better (33 steps against 35)'),
    ('check_array(gd_1d(', "the learner's function is called inside the check (check_call)"),
    ('check_array(worst_factor(', "the learner's function is called inside the check (check_call)"),
    ('check_array(my_rosen_grad(', "the learner's function is called inside the check (check_call)"),
    ('check_array(forward_diff(', "the learner's function is called inside the check (check_call)"),
    ('abs(1 - 0.55 * 4.0)', 'the expected value showed the answer'),
    ('check_value(your_component, 1,', 'the expected value showed the answer'),
    ('How small is the step $h$', 'the finite-difference step is δ; h is a curvature'),
    ('what is the largest learning rate for which gradient', 'no largest converging rate exists: at 2/h GD bounces forever'),
    ('$q = 1 - \\mathrm{lr}\\cdot h$', "q is one-cycle's pct_start; the per-step factor is r"),
    ('\\varepsilon_{\\text{mach}}', "roundoff is u (machine epsilon is 2u); ε is Adam's constant"),
    ('hint="(kappa - 1)/(kappa + 1)"', "a hint that gives the answer's formula before the learner predicts"),
    ('solve r^t = 1e-6 for t', 'a hint that gives the whole calculation'),
    ('Try rates between and above them.', 'the old Rosenbrock panel could not show it'),
    ('nothing to gain from decaying at all', '1/μ then 1/L lands on the minimum of a quadratic in two steps'),
    ('several time constants of the small rate', 'the best drop leaves about 2.5 τ'),
    ('Checking it with 20,000 seeds', '20,000 runs from one seeded generator'),
    ('ending almost 2× lower', 'about 1.7 to 1.9× lower'),
    ('while a constant rate is not', "measured: the constant's window is narrowest, but not by much"),
    ('shrinks back by exactly the factors it grew by', 'what holds is that the order of the factors does not matter'),
    ('hint="σ²/(h²T); the start x0 does not matter"', "a hint that gives the answer's formula"),
    ('hint="a geometric series: lr0 / (1 − decay_rate)"', "a hint that gives the answer's formula"),
    ('add the two directions (h = 1 and h = 0.25), with σ = 2', 'a hint that gives the whole calculation'),
    ("at 2.2 this run's loss climbs into the thousands at the peak", "the loss peaks at step 87, after the rate's peak at 59"),
    ('The smoothed minimum itself costs a factor of 2–3', '2.6 at the median seed, past the cliff for unlucky ones'),
    ('i ≥ 99 · ln(2 / 1e-6)', 'a hint that gives the whole calculation'),
    ('multiplies the error by $1 - \\mathrm{lr}\\cdot\\lambda = 0$ from the second step on', "the cosine's rates are 0.999, 0.996, ...: not an exact zero"),
    ("below $a = 1$ Nesterov's radius is well under", 'fails at small lr·λ (0.944 vs 0.949 at 0.01)'),
    ('(2 + 2β) / λ_max, with λ_max = max_curvature', "a hint that gives the answer's formula"),
    ('predicted_limit("momentum", 0.8, lam=4.0), rtol', 'the expected value computed in plain sight'),
    ('v_inf = lr σ² / (h (2 − lr h))', "a hint that gives the answer's formula"),
    ('floor_of_any_schedule(1000.0, 0.5, 1.0, 100), rtol', 'the expected value computed in plain sight'),
    ('the Robbins–Monro family comes closest to the floor, and', 'only from T = 100 on'),
    ('abs stops seeing progress', "one step's gain falls below the bar from step 38; records continue to step 74"),
    ('forgives the bad steps right after a cut (steps 8–9)', 'step 8 is an improvement: only step 9 is forgiven'),
    ('Below the window nothing diverges', 'at 0.00126 cosine alone loses 5% of its starts'),
    ('the cycles last 10, 20, 40, 80, ... steps; each restart is at the end of one', 'a hint that gives the whole calculation'),
    ('The constant rate never leaves its basin', 'the tuned constant ends in the global basin on 20% of starts'),
    ('No constant rate does better than staying put (the three scores printed are the same)', 'one scored 0.980 on 8 tuning starts (luck of chaotic runs)'),
    ('every decay in the draw beats every constant rate, by escaping the first basin', 'the decays win by settling, not by escaping more'),
    ('On the valley and Rosenbrock the best cells touch the diverged region', 'true on Rosenbrock, for 3 of 8 schedules on the valley'),
    ('is the one contestant not taught yet', 'chapter 12 already ran WSD'),
    ('On Rosenbrock the sharper places are the lower ones;', 'only on the valley floor between x = 0 and the minimum'),
    ("then set A's `order` to `increasing`", "on the explorer's unturned valley the increasing order converges"),
    ('Nothing was recorded from Keras, optax or Hugging Face', 'Keras, optax and transformers are recorded (tests/golden/snippets.json)'),
    ('the lowest, first rate is skipped', "OneCycleLR's first rate is 0.004; the lowest, lr(5), is still used"),
    ('the rate jumped back up the cosine', 'CosineAnnealingLR is recursive: with the optimizer loaded it does not jump (recorded)'),
    ("The stretched cosine jumps up by the cosine's difference", 'raising T_max after loading continues the recursion (recorded)'),
    ('is the third kind, *coupled*', "'coupled' meant two things"),
    ('overshoot by as much as they travel', 'at 2/h a step travels 2|x| and lands at −x'),
    ('the $\\delta^1$ terms of the two Taylor expansions cancel', 'the δ¹ terms add up to the signal; the δ⁰ and δ² terms cancel'),
    ('about a thousand times higher', '675 times, printed'),
    ('what binds a constant rate is the curvature where the run must settle', "from steep starts the start's curvature binds too (runs diverge below the minimum's limit)"),
    ('a step multiplies the error along that direction by about', 'away from the minimum it is a small displacement that a step multiplies'),
    ('at `step_size` = 20, visibly short of the minimum', 'the gap is frozen noise, not unspent distance'),
    ('Its formula has no step with a rate of 0.', "at n = 0 the paper's formula gives min(∞, 0) = 0"),
    ('every schedule starts at $\\mathrm{lr}_0 = 1$', '1/√t with warmup starts at 0'),
    ('Try `lr0` = 1.9 with `decay_rate` = 0.5.', "not on the slider's grid, and no reason given"),
    ('about 1.7 to 1.9 times lower', '1.66 to 1.86, as printed'),
    ('restoring jumps back to a point that is no better', 'much worse: 0.1276, 4.8 times the floor'),
    ('and at that rate the other basins cannot hold them either', "the two runs sit exactly on basin 2's minimum: zero gradient, no rate moves them"),
    ('(here about $1.6 \\times 2/\\lambda_{\\max}$);', '1.59 to 2.00 times, by basin'),
    ('u \\approx 2.2 \\times 10^{-16}$ (the unit roundoff', 'the unit roundoff is 2⁻⁵³ ≈ 1.1e-16; 2.2e-16 is machine epsilon, 2u'),
    ('about where the rounding prediction puts them', 'only within an order of magnitude'),
    ('wide enough that the top of the range diverges', 'some decays survive the top value'),
    ('one too small to move', 'it moves; it is too small to leave the first basin'),
    ('never more than about $3.2\\,\\mathrm{lr}$', "Adam's step reaches 6.57 lr after a quiet stretch; the supremum is 7.27 lr at the defaults"),
    ('moves the coordinate by $3.16\\,\\mathrm{lr}$, the bound', "3.16 lr is Kingma & Ba's approximate value, not a bound"),
    ('bounded (by about $3.2\\,\\mathrm{lr}$, measured above)', 'the bound is 7.27 lr'),
    ('lives on another scale altogether', "1 to 4.64 times GD's on the quadratics, 316 on Rosenbrock"),
    ("So the schedule's *shape* transfers between optimizers", 'only one shape was run'),
    ('one-cycle only visits its peak for a few steps', '52 of 200 steps above 2/L at lr_max 2.37'),
    ('its floor set where the two parts cross', 'they cross at lr 0.029, not at the bottom of the U'),
    ("evaluated at the optimizer's `iterations`, the number of updates", 'with gradient_accumulation_steps Keras evaluates the schedule per micro-batch (recorded)'),
    ('Keras, optax and Hugging Face count optimizer updates', 'Keras counts batches; an HF schedule counts scheduler.step() calls'),
    ('by the end of the second epoch the rate is where it started', 'back at lr0 after 2 × epochs batches, in general well inside the first epoch'),
    ('`GradScaler.step(optimizer)` skips the update and lowers the scale', 'scaler.update() lowers the scale'),
    ("a sharp edge", "the period-2 orbit's loss grows continuously past 2/L"),
    ("the constant rate wins where the start limits the rate", "on Rosenbrock the constant ties WSD within noise"),
    ("the decays stay orders of magnitude ahead of the constant rate", "false for one-cycle"),
    ("drops by an order of magnitude", "0.0221 → 0.0035 is about 6×"),
    ("The loss at the edge is the price of the rate", "edge of stability is Cohen et al.'s phenomenon"),
    ("## The edge of stability, measured", "Rosenbrock parks in a two-step orbit; not Cohen et al.'s setting"),
    ("every rate stayed below the stability limit", "contradicted by chapter 12's valley winner"),
    ("At $\\mathrm{lr}_0 = 2$ every run blows up", "shown for one seed only; warmup raises the usable peak (07)"),
    ("fastai's and Lightning's range tests skip the first 10 points", "fastai's current version does not"),
    ("how short can the warmup get before A diverges like B?", "divergence is not monotone in the warmup length"),
]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2] if p.stem[0].isdigit() else p.stem)
def test_notation_has_one_meaning(path):
    text = _markdown(nbtools.read(path))
    for pattern, allowed, why in NOTATION:
        if path.name.startswith(allowed):
            continue
        found = [m.group(0) for m in re.finditer(pattern, text)]
        assert not found, f"{path.name}: {found[:3]} — {why}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2] if p.stem[0].isdigit() else p.stem)
def test_retired_statements_stay_retired(path):
    text = _all_text(nbtools.read(path))
    back = [(phrase, why) for phrase, why in RETIRED if phrase in text]
    assert not back, f"{path.name}: {back}"


_LITERAL_CALLS = {"abs", "min", "max", "round", "pow", "float", "int"}


def _literal_arithmetic(node) -> bool:
    """Is ``node`` a number computed from literals only (``0.3 * (1 - 0.95)``, ``abs(1 - 0.55 * 4)``)?"""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in _LITERAL_CALLS:
            return False
        if isinstance(sub, (ast.Attribute, ast.Subscript, ast.Lambda, ast.ListComp, ast.GeneratorExp)):
            return False
        if isinstance(sub, ast.Call) and not (isinstance(sub.func, ast.Name) and sub.func.id in _LITERAL_CALLS):
            return False
    return not isinstance(node, ast.Constant) or isinstance(node.value, (int, float))


def _exercise_cells(nb):
    for number, indices in exercises.exercises(nb).items():
        for index in indices:
            yield number, index, nb.cells[index]


CHAPTERS = [p for p in nbtools.chapter_paths() if exercises.exercises(nbtools.read(p))]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_no_answer_in_sight_in_a_predict_cell(path):
    nb = nbtools.read(path)
    for number, index, cell in _exercise_cells(nb):
        tree = ast.parse(nbtools.source(cell))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("check_value", "check_array"):
                expected = call.args[1] if len(call.args) > 1 else next(
                    (k.value for k in call.keywords if k.arg == "expected"), None)
                assert expected is None or not _literal_arithmetic(expected), (
                    f"{path.name} exercise {number} (cell {index}): the expected value "
                    f"{ast.unparse(expected)!r} shows the answer; compute it with lrlab or from a run")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_stored_exercise_outputs_are_the_untouched_starters(path):
    nb = nbtools.read(path)
    for number, index, cell in _exercise_cells(nb):
        outcome = exercises.cell_outcome(cell)
        assert outcome is None or outcome.result == exercises.NOT_ATTEMPTED, (
            f"{path.name} exercise {number} (cell {index}): stored output says {outcome}")
