"""The parameter contract: the notebooks' parameters cells as papermill reads them, the
rules they declare, the data domains, and the same messages in the notebook and runner."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

from analysis import nbparams
from analysis.bundle import load_bundle
from analysis.params import LANGS, YEAR_RANGE, ParameterError

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_papermill_reads_every_parameter(nb: Path) -> None:
    """``papermill --help-notebook`` lists what the contract declares (no annotated
    line is skipped), with the rule and help text as the help."""
    ours = nbparams.notebook_parameters(nb)
    theirs = pm.inspect_notebook(str(nb))
    assert list(theirs) == list(ours)
    for name, spec in ours.items():
        assert spec.help and spec.help in theirs[name]["help"], name


def test_shared_parameters_are_declared_alike() -> None:
    """A parameter several notebooks declare has one rule everywhere (type, default,
    range, choices, domain), so ``-p start_year 2010`` means the same in each."""
    seen: dict[str, tuple] = {}
    for nb in NOTEBOOKS:
        for name, s in nbparams.notebook_parameters(nb).items():
            if name == "output_dir":
                continue
            rule = (s.default, s.types, s.choices, s.low, s.high, s.not_below, s.domain,
                    s.item_domain)
            assert seen.setdefault(name, rule) == rule, (nb.name, name)
    assert {"start_year", "end_year", "lang"} <= set(seen)
    # the package's own year check (analysis.params) accepts the same range
    assert (seen["start_year"][3], seen["start_year"][4]) == tuple(map(float, YEAR_RANGE))
    assert seen["lang"][2] == LANGS


def test_every_notebook_runs_its_defaults_through_the_contract(bundle) -> None:
    for nb in NOTEBOOKS:
        specs = nbparams.notebook_parameters(nb)
        defaults = {n: s.default for n, s in specs.items()}
        domains = nbparams.resolve_domains(specs, bundle)
        assert nbparams.check_values(defaults, specs, nb.name, domains) == [], nb.name


def test_data_domains_and_suggestions(bundle) -> None:
    specs = nbparams.notebook_parameters(NOTEBOOKS[1])  # 01_unga_votes
    domains = nbparams.resolve_domains(specs, bundle)
    assert set(domains) == {"families", "members"}
    assert len(domains["members"]) == 193
    problems = nbparams.check_values({"family": "japan_nuclar",
                                      "focus_countries": ["USA", "ROK", "XXX"]},
                                     specs, "01_unga_votes.ipynb", domains)
    assert problems[0].endswith("found 'japan_nuclar' (did you mean 'japan_nuclear'?)")
    assert "found 'ROK' (did you mean 'KOR'?)" in problems[1]
    assert problems[2].startswith("01_unga_votes.ipynb: parameter focus_countries: expected "
                                  "items each the ISO 3166 alpha-3 code of a UN member, "
                                  "found 'XXX'")
    assert nbparams.check_values({"fmaily": "tpnw"}, specs, "01.ipynb", domains)[0] \
        .startswith("01.ipynb: unknown parameter fmaily (did you mean 'family'?)")


def test_cycles_domain(bundle) -> None:
    specs = nbparams.notebook_parameters(NOTEBOOKS[3])  # 03_evaluation_ratings
    domains = nbparams.resolve_domains(specs, bundle)
    assert nbparams.check_values({"cycles": ["H18", "R6"]}, specs, "03", domains) == []
    assert "found 'R7'" in nbparams.check_values({"cycles": ["R7"]}, specs, "03", domains)[0]


def test_apply_normalises_codes_and_raises_the_runners_messages(bundle) -> None:
    ns = {"family": "japan_nuclear", "start_year": None, "end_year": None, "lang": "en",
          "votes_source": None, "focus_countries": ["usa", "chn"],
          "coincidence_index": "state_dept", "output_dir": "output"}
    nbparams.apply("01_unga_votes", ns, bundle)
    assert ns["focus_countries"] == ["USA", "CHN"]
    ns["lang"] = "jp"
    with pytest.raises(ParameterError) as info:
        nbparams.apply("01_unga_votes", ns, bundle)
    assert str(info.value) == ("01_unga_votes.ipynb: parameter lang: expected one of en, ja, "
                               "found 'jp' (did you mean 'ja'?)")


def test_year_range_rule() -> None:
    specs = nbparams.notebook_parameters(NOTEBOOKS[2])  # 02: no data domain
    assert nbparams.check_values({"start_year": 2010}, specs, "02") == []
    assert nbparams.check_values({"start_year": 2010, "end_year": 2000}, specs, "02") == [
        "02: parameter end_year: expected a value >= start_year (2010), found 2000"]
    assert "expected a value in 1945..2100" in nbparams.check_values(
        {"start_year": 1900}, specs, "02")[0]
