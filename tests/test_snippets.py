"""The framework code that chapters 15 and 16 show is exactly what was recorded from the real libraries.

``tools/record_snippets.py`` runs each snippet with PyTorch, Keras, optax or Hugging Face and
writes its source, its printed output and the library's version to ``tests/golden/snippets.json``.
These tests need none of those libraries: they check that the recording is complete and agrees
with the script, and that every snippet a notebook shows (its stored output) is byte for byte a
recorded source followed by its recorded output.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORDING = json.loads((ROOT / "tests" / "golden" / "snippets.json").read_text(encoding="utf-8"))
RECORDED = {s["name"]: s for s in RECORDING["snippets"]}
NOTEBOOKS = [ROOT / "notebooks" / "15_from_lrlab_to_the_frameworks.ipynb",
             ROOT / "notebooks" / "16_schedules_in_a_real_training_loop.ipynb"]
OUTPUT_MARK = "# ── output ──\n"

# what issue 16 asks the chapters to show, recorded from the real library
REQUIRED = {
    "torch_training_loop",            # optimizer.step() then scheduler.step(), get_last_lr()
    "torch_state_dict_resume",        # saving and loading state_dict() to resume
    "torch_initial_lr_keyerror",      # the KeyError on initial_lr
    "torch_lambdalr_bridge",          # LambdaLR from an lrlab schedule
    "torch_sequential_warmup_cosine",  # SequentialLR warmup then cosine
    "torch_plateau",                  # ReduceLROnPlateau.step(val_loss)
    "torch_onecycle",                 # OneCycleLR per batch, and its error past total_steps
    "torch_linearlr_default_and_zero",  # LinearLR's default 1/3 and its refusal of 0
    "torch_accumulation",             # gradient accumulation, right and wrong
    "torch_two_groups",               # a two-group optimizer
    "torch_step_order_warning",       # scheduler.step() before optimizer.step(): the warning
    "torch_grad_scaler_skip",         # skipped updates
    "torch_adamw_decay",              # AdamW's decay times the scheduled rate
    "torch_plateau_with_warmup",      # plateau beside a time schedule
}


def load_script():
    spec = importlib.util.spec_from_file_location("record_snippets", ROOT / "tools" / "record_snippets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def stored_stdout(cell):
    return "".join("".join(o["text"]) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def shown(path):
    """(cell, snippet name) for every show("name") call in the notebook's code cells."""
    return [(cell, name) for cell in cells(path) if cell["cell_type"] == "code"
            for name in re.findall(r'^show\("([^"]+)"\)', text(cell), flags=re.M)]


def test_recording_is_well_formed():
    assert RECORDING["generated_by"] == "python tools/record_snippets.py"
    assert len(RECORDED) == len(RECORDING["snippets"]), "snippet names must be unique"
    for name, s in RECORDED.items():
        assert set(s) == {"name", "library", "title", "source", "output", "warnings", "version"}, name
        version = RECORDING["libraries"][s["library"]]
        assert not version.startswith("not installed"), f"{name} is recorded but its library is not installed"
        assert s["version"] == version, name
        assert s["output"].strip(), f"{name} printed nothing"
        assert s["source"].endswith("\n") and not s["source"].startswith("\n"), name


def test_recording_agrees_with_the_script():
    script = {s["name"]: s for s in load_script().SNIPPETS}
    for name, s in RECORDED.items():
        assert name in script, f"{name} is recorded but no longer in tools/record_snippets.py: rerun it"
        for key in ("library", "title", "source"):
            assert s[key] == script[name][key], f"{name}: {key} differs from the script: rerun tools/record_snippets.py"
    for name, s in script.items():
        if not RECORDING["libraries"][s["library"]].startswith("not installed"):
            assert name in RECORDED, f"{name} is in the script but not recorded: rerun tools/record_snippets.py"


def test_every_required_snippet_is_recorded_from_pytorch():
    missing = REQUIRED - set(RECORDED)
    assert not missing, f"not recorded: {sorted(missing)}"
    assert all(RECORDED[name]["library"] == "torch" for name in REQUIRED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_snippet_shown_is_the_recorded_one(path):
    calls = shown(path)
    assert calls, f"{path.name} shows no recorded snippet"
    for cell, name in calls:
        assert name in RECORDED, f"{path.name} shows {name!r}, which is not recorded"
        s = RECORDED[name]
        block = s["source"] + OUTPUT_MARK + s["output"]
        out = stored_stdout(cell)
        assert block in out, f"{path.name}: the stored output of show({name!r}) is not the recorded source and output"
        for warning in s["warnings"]:
            assert warning in out, f"{path.name}: show({name!r}) does not show the recorded warning"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_framework_code_outside_the_recording(path):
    # a fenced code block in the text must be a recorded source, byte for byte
    sources = {s["source"] for s in RECORDED.values()}
    for cell in cells(path):
        if cell["cell_type"] == "markdown":
            for block in re.findall(r"```(?:python)?\n(.*?)```", text(cell), flags=re.S):
                assert block in sources, f"{path.name}: a code block in the text is not a recorded snippet"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_values_read_from_the_recording_exist(path):
    # recorded_numbers("name", "line start") must name a recorded snippet and one of its output lines
    for cell in cells(path):
        for name, start in re.findall(r'recorded_numbers\(\s*"([^"]+)",\s*"([^"{}]*)"\)', text(cell)):
            assert name in RECORDED, f"{path.name} reads {name!r}, which is not recorded"
            lines = RECORDED[name]["output"].splitlines()
            assert any(line.startswith(start) for line in lines), f"{path.name}: {name!r} printed no line {start!r}"


def test_every_recorded_snippet_is_shown_and_show_is_defined_once_the_same_way():
    seen = {name for path in NOTEBOOKS for _, name in shown(path)}
    assert set(RECORDED) <= seen, f"recorded but never shown: {sorted(set(RECORDED) - seen)}"
    definitions = []
    for path in NOTEBOOKS:
        for cell in cells(path):
            match = re.search(r"^def show\(name\):\n(?:    .*\n|\n)*", text(cell) + "\n", flags=re.M)
            if match:
                definitions.append(match.group(0).strip())
    assert len(definitions) == len(NOTEBOOKS) and len(set(definitions)) == 1, "show() must be the same in 15 and 16"
