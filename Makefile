# The two commands of the README: `make lab` opens the course, `make test` runs every test.
# Both build a virtual environment inside the repository (.venv) and install into it; nothing
# is registered outside the repository. Re-running is fast: pip runs again only when
# pyproject.toml or constraints.txt changed since the last install.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# constraints.txt pins the versions the course was executed and tested with.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: lab test venv bench constraints clean execute nav app student grade

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "lrlab needs Python 3.10 or newer; this is " + sys.version.split()[0] + ". Try: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[test]"
	@touch $@

$(VENV)/.installed-lab: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[lab]"
	@touch $@

$(VENV)/.installed-app: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[app]"
	@touch $@

venv: $(VENV)/.installed-test $(VENV)/.installed-lab

# One pytest run (options in pyproject.toml): tests/, the doctests in lrlab/, and every notebook in
# notebooks/ re-executed by nbval in full mode. MPLBACKEND is unset so the notebooks' kernels use
# matplotlib's inline backend, as they did when their outputs were stored.
test: $(VENV)/.installed-test
	env -u MPLBACKEND $(BIN)/python -m pytest

# Re-execute the notebooks in fresh kernels and store their outputs, without machine-specific
# metadata (tools/execute.py; it runs tools/nav.py first). One notebook: make execute NB=notebooks/03_x.ipynb
NB ?=
execute: $(VENV)/.installed-lab
	$(BIN)/python tools/execute.py $(NB)

# Regenerate only the navigation cells and the chapter map (tools/nav.py; --check to just compare).
nav: $(VENV)/.installed-test
	$(BIN)/python tools/nav.py

# Jupyter refuses to run as root without --allow-root (containers, lab machines); pass it only then.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/00_start_here.ipynb

# The classroom app: the explorer served by Voila on http://127.0.0.1:$(APP_PORT), code hidden,
# widgets live, idle kernels of closed pages culled (tools/app.py says how).
APP_PORT ?= 8866
app: $(VENV)/.installed-app
	env -u MPLBACKEND $(BIN)/python tools/app.py --port $(APP_PORT)

# The classroom kit. `make student` writes the student edition (every notebook without its
# solutions) to build/student (tools/student.py). `make grade SUBMISSIONS=folder [CHAPTER=03]`
# runs every submitted notebook and writes folder/grades.csv (tools/grade.py). Grading RUNS the
# students' code with your permissions: isolate it (README, "In a classroom lab").
student: $(VENV)/.installed-lab
	$(BIN)/python tools/student.py

SUBMISSIONS ?=
CHAPTER ?=
grade: $(VENV)/.installed-lab
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [CHAPTER=03]" >&2; exit 2; }
	env -u MPLBACKEND $(BIN)/python tools/grade.py "$(SUBMISSIONS)" $(if $(CHAPTER),--chapter $(CHAPTER))

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_browser.py

# Re-pin constraints.txt to the newest versions pyproject.toml allows (then run make test).
constraints:
	rm -rf .venv-pin && $(PYTHON) -m venv .venv-pin
	.venv-pin/bin/python -m pip install --quiet --disable-pip-version-check -e ".[lab,test]"
	{ sed -n '1,4p' constraints.txt; .venv-pin/bin/python -m pip freeze --exclude-editable | grep -v '^-e' | sed 's/$$/ ; python_version >= "3.11"/'; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-pin

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
