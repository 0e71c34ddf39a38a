"""The label registry (analysis.labels): complete entries in both languages, every key
used in the package present, no language text chosen outside the registry, computation
modules free of matplotlib, and data text drawn literally (never as mathtext)."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import matplotlib
import networkx as nx
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from analysis import labels, style  # noqa: E402
from analysis.labels import LABELS, fmt, label  # noqa: E402
from analysis.params import ParameterError  # noqa: E402

SRC = Path(labels.__file__).resolve().parent
MODULES = sorted(p for p in SRC.glob("*.py") if p.name != "labels.py")
# a name from the data that mathtext cannot parse: drawing it as math raises
MATH = r"$x$ and $\undefinedcommand$"


def _fields(text: str) -> set[str]:
    names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    return {re.split(r"[.\[]", f, maxsplit=1)[0] for f in names}


# --- the registry --------------------------------------------------------------------------
@pytest.mark.parametrize("key", sorted(LABELS))
def test_entry_has_both_languages_with_the_same_placeholders(key):
    entry = LABELS[key]
    assert set(entry) == {"en", "ja"}, f"{key}: languages {sorted(entry)}"
    for lang in ("en", "ja"):
        assert isinstance(entry[lang], str) and entry[lang], f"{key}: empty {lang}"
    assert _fields(entry["en"]) == _fields(entry["ja"]), f"{key}: placeholders differ"


def test_keys_are_namespaced():
    bad = [k for k in LABELS if not re.fullmatch(r"[a-z]+(\.[a-z0-9_]+)+", k)]
    assert not bad


def _source_keys() -> dict[str, set[str]]:
    """Literal keys of label("...")/fmt("...") calls and value namespaces, per module."""
    found: dict[str, set[str]] = {}
    call = re.compile(r"\b(?:label|fmt)\(\s*\"([^\"{}]+)\"")
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        found[path.name] = set(call.findall(text))
    return found


def test_every_key_used_in_the_package_exists():
    used = _source_keys()
    assert sum(map(len, used.values())) > 50  # the scan finds the calls
    missing = {m: sorted(k for k in keys if k not in LABELS) for m, keys in used.items()}
    assert not {m: k for m, k in missing.items() if k}


def test_every_value_namespace_used_in_the_package_exists():
    spaces = set()
    for path in MODULES:
        spaces |= set(re.findall(r"\"(value\.[a-z_]+)\"", path.read_text(encoding="utf-8")))
    assert spaces
    assert not [s for s in spaces if not any(k.startswith(s + ".") for k in LABELS)]


def _lang_comparisons(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq)
                                                 for op in node.ops):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Name) and s.id == "lang" for s in sides):
                lines.append(node.lineno)
    return lines


def _text_tables(tree: ast.Module) -> list[str]:
    """Module-level LABELS / *_JA tables and dict literals keyed by both languages."""
    out = []
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        out += [t.id for t in targets if isinstance(t, ast.Name)
                and (t.id == "LABELS" or t.id.endswith("_JA") or t.id == "_TEXT")]
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):  # {"en": "text", "ja": "text"} (data values pass)
            text = {k.value for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant | ast.JoinedStr)}
            if {"en", "ja"} <= text:
                out.append(f"dict at line {node.lineno}")
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_language_text_outside_the_registry(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not _lang_comparisons(tree), f"{path.name}: compares lang (use analysis.labels)"
    assert not _text_tables(tree), f"{path.name}: holds its own label table"


def test_the_scan_finds_a_text_choice():
    tree = ast.parse('x = "Year" if lang == "en" else "年"\nT_JA = {"en": "a", "ja": "b"}\n')
    assert _lang_comparisons(tree) == [1]
    assert _text_tables(tree) == ["T_JA", "dict at line 2"]


def test_lookups_name_what_is_wrong():
    with pytest.raises(KeyError, match="unga.nothing"):
        label("unga.nothing", "en")
    with pytest.raises(ParameterError, match="lang"):
        label("col.year", "fr")
    with pytest.raises(ParameterError, match="lang"):
        labels.translate_values(pd.Series(["voted"]), "value.status", "fr")
    assert fmt("network.partners.many", "ja", n=3) == "相手3か国・機関"


def test_translate_values_keeps_data_and_missing_values():
    out = labels.translate_values(pd.Series(["mapped", "unmapped: no vocabulary entry",
                                             "free text", None]), "value.mapping", "ja")
    assert out.tolist()[:3] == ["対応あり", "対応なし：語彙表に該当なし", "free text"]
    assert pd.isna(out.iloc[3])
    assert labels.translate_values(pd.Series(["japan"]), "value.venue", "en")[0] == \
        "Held in Japan"


def test_display_frame_headers_by_area():
    frame = pd.DataFrame({"status": ["rated"], "year": [2020], "other": [1]})
    assert list(labels.display_frame(frame, "ja", "eval").columns) == ["状況", "年", "other"]
    assert list(labels.display_frame(frame, "ja", "unga").columns) == ["状態", "年", "other"]


# --- computation modules import no plotting library ---------------------------------------
@pytest.mark.slow
def test_computation_modules_do_not_import_matplotlib():
    code = ("import analysis.network, analysis.unga, analysis.coincidence, "
            "analysis.evaluations, analysis.overview, analysis.data, analysis.outputs, "
            "analysis.labels, analysis.briefing, sys; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
            "assert 'seaborn' not in sys.modules, 'seaborn imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


# --- data text is drawn literally ------------------------------------------------------------
def _texts(fig) -> list[str]:
    fig.canvas.draw()  # mathtext would raise on \undefinedcommand
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def _literal(texts: list[str]) -> bool:
    return any(MATH in t.replace(r"\$", "$") for t in texts)


def test_plain_escapes_dollars():
    assert style.plain(MATH) == r"\$x\$ and \$\undefinedcommand\$"
    assert style.plain(None) == ""


def test_data_names_with_dollars_are_not_mathtext():
    from analysis import evaluation_plots, network_plots, unga_plots

    style.setup("en")
    series = pd.DataFrame({"session": [1, 2], "year": [2000, 2001], "symbol": ["a", "b"],
                           "yes": [10, 12], "no": [1, 1], "abstain": [0, 1],
                           "support_share": [10 / 11, 12 / 14], "status": ["voted", "voted"]})
    series["change"] = series["support_share"].diff()
    fig = unga_plots.plot_support(series, "en", name=MATH)
    assert _literal(_texts(fig))

    coin = pd.DataFrame({"country": [MATH, MATH], "group": [2000, 2001],
                         "index": "agreement", "value": [0.5, 0.6], "n": [3, 3]})
    assert _literal(_texts(unga_plots.plot_coincidence(coin, "en", country=MATH)))

    g = nx.Graph([("JPN", "AAA", {"weight": 2})])
    g.nodes["AAA"].update(name_en=MATH, name_ja=MATH, region="African")
    assert _literal(_texts(network_plots.draw_network(g, lang="ja", layout_seed=1)))

    table = pd.DataFrame({"cycle_id": ["A"], "cycle_order": [0], "objective_no": ["1"],
                          "objective_order": [0], "text_ja": ["x"], "wording_ja": [MATH],
                          "level": pd.array([pd.NA], dtype="Int64"),
                          "mapping_status": ["unmapped: no vocabulary entry"]})
    assert _literal(_texts(evaluation_plots.plot_level_heatmap(table, lang="en", wrap=60)))
    plt.close("all")


def _no_math(fig) -> list[str]:
    """Every text of ``fig`` drawn; no text from the data is parsed as mathtext (tick
    labels matplotlib writes itself, such as ``$10^{1}$`` on a log scale, may be).
    Returns the texts."""
    texts = _texts(fig)
    for t in fig.findobj(matplotlib.text.Text):
        if "undefinedcommand" not in t.get_text():
            continue
        _, ismath = t._preprocess_math(t.get_text())
        assert not ismath, f"drawn as mathtext: {t.get_text()!r}"
    return texts


@pytest.mark.slow  # draws figures: seconds each (the fast tier stays under 90 s)
def test_every_plot_draws_dollar_names_literally():
    """The plots the first test leaves out: timeline, regional coverage, agreement heatmap,
    indicators and the overview, with a $-pair in every name the data gives them."""
    from analysis import (
        evaluation_plots,
        evaluations,
        network,
        network_plots,
        overview,
        overview_plots,
        unga_plots,
    )
    from analysis.bundle import load_bundle

    style.setup("en")
    b = load_bundle()
    cps = b.counterparts.copy()
    cps["name_en"] = MATH
    cps["name_ja"] = MATH
    rows = network.select_period(b.consultations, 2006, 2007)
    assert _literal(_no_math(network_plots.plot_timeline(rows, cps, lang="en")))
    cov = pd.DataFrame({"partners": [1], "rounds": [2]}, index=pd.Index([MATH], name="region"))
    assert _literal(_no_math(network_plots.plot_regional_coverage(cov)))
    m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=[MATH, "B"], columns=[MATH, "B"])
    m.attrs["index"] = "agreement"
    assert _literal(_no_math(unga_plots.plot_agreement_heatmap(m, "en", years=MATH)))
    ind = b.indicators.assign(unit=MATH, name_en=MATH, name_ja=MATH, reference_period=MATH)
    values = evaluations.indicator_values(ind)
    assert len(values)
    assert _literal(_no_math(evaluation_plots.plot_indicators(values, lang="en")))
    facts = overview.overview_facts(b)
    _no_math(overview_plots.plot_overview(facts, "en", names={"en": MATH}))
    plt.close("all")
