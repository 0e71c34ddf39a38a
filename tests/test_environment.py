"""The two environment descriptions agree, and CI runs the README's test command.

``pyproject.toml`` ``[project].dependencies`` is the reference list of runtime
dependencies. ``environment.yml`` must name the same packages with the same minimum
versions, in conda-forge spelling. The documented differences are:

- conda-forge names: ``matplotlib`` -> ``matplotlib-base`` (matplotlib without the Qt
  backends), ``pandera`` -> ``pandera-base`` (pandera without the optional extras);
- packages not on conda-forge go in the ``pip:`` section: ``matplotlib-fontja``; so does
  ``dask[distributed]``, whose extra (the distributed scheduler) conda cannot express in
  one entry -- the two lists must agree on the extras too;
- the ``pip:`` section also installs the suite itself, ``-e .[test]``;
- ``python`` (from ``requires-python``) and ``pip`` are conda-only entries.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

CONDA_NAMES = {"matplotlib": "matplotlib-base", "pandera": "pandera-base"}
PIP_ONLY = {"matplotlib-fontja", "dask"}
SELF_INSTALL = "-e .[test]"
SPEC = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[a-z0-9,_-]+\])?"
                  r"\s*>=\s*(?P<version>\d+(\.\d+)*)$")


def parse_spec(text: str, where: str) -> tuple[str, str]:
    """``"pandas>=2.2"`` -> ``("pandas", "2.2")``; every entry must state a minimum.
    Extras stay with the version: ``"dask[distributed]>=2024.8"`` ->
    ``("dask", "[distributed]2024.8")``, so both lists must ask for the same extras."""
    m = SPEC.match(text.strip())
    assert m, f"{where}: {text!r} is not of the form name>=version"
    return normalise(m["name"]), (m["extras"] or "") + m["version"]


def normalise(name: str) -> str:
    """Package names compare case-insensitively with '_' and '.' as '-' (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def pyproject() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def environment() -> dict:
    with (ROOT / "environment.yml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def runtime(pyproject: dict) -> dict[str, str]:
    deps = pyproject["project"]["dependencies"]
    parsed = [parse_spec(d, "pyproject.toml [project].dependencies") for d in deps]
    names = [n for n, _ in parsed]
    assert len(names) == len(set(names)), f"duplicate dependencies in pyproject.toml: {names}"
    return dict(parsed)


def split_environment(env: dict) -> tuple[dict[str, str], list[str], list[str]]:
    """(conda name -> minimum version, conda entries without version, pip entries)."""
    conda: dict[str, str] = {}
    bare: list[str] = []
    pip: list[str] | None = None
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            assert set(entry) == {"pip"}, f"environment.yml: unexpected mapping {entry!r}"
            assert pip is None, "environment.yml: two pip: sections"
            pip = [str(e) for e in entry["pip"]]
            continue
        if ">=" not in str(entry):
            bare.append(str(entry))
            continue
        name, version = parse_spec(str(entry), "environment.yml dependencies")
        assert name not in conda, f"environment.yml: {name} listed twice"
        conda[name] = version
    assert pip is not None, "environment.yml has no pip: section"
    return conda, bare, pip


def test_channels_are_conda_forge_only(environment: dict) -> None:
    assert environment["channels"] == ["conda-forge"]
    assert environment["name"] == "disarmament-notebooks"


def test_mapping_refers_to_real_dependencies(runtime: dict[str, str]) -> None:
    # a renamed or removed dependency must take its mapping entry with it
    assert set(CONDA_NAMES) <= set(runtime)
    assert PIP_ONLY <= set(runtime)


def test_conda_dependencies_match_pyproject(runtime: dict[str, str],
                                            environment: dict) -> None:
    conda, _, _ = split_environment(environment)
    conda.pop("python", None)
    expected = {CONDA_NAMES.get(n, n): v for n, v in runtime.items() if n not in PIP_ONLY}
    missing = sorted(set(expected) - set(conda))
    extra = sorted(set(conda) - set(expected))
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    assert not extra, f"in environment.yml but not in pyproject.toml: {extra}"
    versions = {n: (expected[n], conda[n]) for n in expected if expected[n] != conda[n]}
    assert not versions, f"minimum versions differ (pyproject, environment.yml): {versions}"


def test_pip_section_holds_the_pip_only_packages_and_the_suite(runtime: dict[str, str],
                                                               environment: dict) -> None:
    _, bare, pip = split_environment(environment)
    assert "pip" in bare, "environment.yml must install pip for its pip: section"
    assert SELF_INSTALL in pip, f"environment.yml pip: section lacks {SELF_INSTALL!r}"
    others = [p for p in pip if p != SELF_INSTALL]
    parsed = dict(parse_spec(p, "environment.yml pip:") for p in others)
    assert parsed == {n: runtime[n] for n in PIP_ONLY}
    # a package must not be installed twice, once by conda and once by pip
    conda, _, _ = split_environment(environment)
    assert not set(parsed) & set(conda)


def test_unversioned_conda_entries_are_only_pip(environment: dict) -> None:
    _, bare, _ = split_environment(environment)
    assert bare == ["pip"]


def test_python_version_matches_requires_python(pyproject: dict, environment: dict) -> None:
    conda, _, _ = split_environment(environment)
    requires = pyproject["project"]["requires-python"]
    assert requires == f">={conda['python']}"


def test_test_extras_are_declared(pyproject: dict) -> None:
    # `-e .[test]` in environment.yml needs the extra to exist
    assert "test" in pyproject["project"]["optional-dependencies"]


def ci_commands() -> list[str]:
    """The commands of .ci/run, without comments, blank lines and shell set-up."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = []
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if not text or text.startswith(("set ", "cd ")):
            continue
        commands.append(" ".join(shlex.split(text)))
    return commands


def test_ci_runs_make_test() -> None:
    run = ROOT / ".ci" / "run"
    assert run.stat().st_mode & 0o111, ".ci/run must be executable"
    assert ci_commands() == ["make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test:", makefile, re.MULTILINE), "Makefile has no test target"


def readme_commands() -> list[str]:
    """The shell commands in README.md's fenced code blocks (comments stripped)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(?:bash|sh|shell|console)?\n(.*?)^```", text,
                        re.MULTILINE | re.DOTALL)
    lines = (ln.split("#", 1)[0].strip() for b in blocks for ln in b.splitlines())
    return [ln.removeprefix("$ ") for ln in lines if ln]


def test_readme_gives_the_command_ci_runs() -> None:
    # the README's test command is the one line of .ci/run
    assert "make test" in readme_commands(), "README.md does not give `make test`"
    assert ci_commands()[-1] in readme_commands()
