"""The README's three setup routes install the same packages.

`make` and plain pip install pyproject.toml's extras; conda installs environment.yml. A package
added to one and forgotten in the other breaks a route that nobody runs in CI (the conda route's
`python -m pytest` once failed for want of nbval), so the two lists are compared here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_packages() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra if not r.startswith("lrlab")}
    return names


def environment_packages() -> set[str]:
    names = set()
    text = (REPO / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"\s*-\s+([A-Za-z0-9_.-]+)", line.split("#")[0])
        if match:
            names.add(_name(match.group(1)))
    return names - {"python", "pip", "-e"}


def test_environment_yml_names_the_same_packages_as_pyproject():
    conda, pip = environment_packages(), pyproject_packages()
    assert conda - pip == set(), f"in environment.yml only: {sorted(conda - pip)}"
    assert pip - conda == set(), f"in pyproject.toml only: {sorted(pip - conda)}"


def test_environment_yml_installs_lrlab_itself():
    assert re.search(r"^\s*-\s+-e \.\s", (REPO / "environment.yml").read_text(encoding="utf-8"), re.M)
