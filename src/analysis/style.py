"""Plot style, Japanese fonts, labels in two languages, and deterministic outputs.

``setup(lang)`` applies the seaborn theme and then the IPAexGothic font shipped inside
the ``matplotlib-fontja`` wheel (seaborn's theme resets fonts, so the order matters),
so Japanese renders with no missing glyph on any machine, with pip alone.

>>> setup("ja")
'ja'
>>> t("support_share", "ja")
'支持率'
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .params import check_lang

# Labels shared by several notebooks. Notebook-specific labels live in their modules.
LABELS: dict[str, dict[str, str]] = {
    "yes": {"en": "Yes", "ja": "賛成"},
    "no": {"en": "No", "ja": "反対"},
    "abstain": {"en": "Abstain", "ja": "棄権"},
    "non_voting": {"en": "Non-voting", "ja": "投票せず"},
    "support_share": {"en": "Support share", "ja": "支持率"},
    "year": {"en": "Year", "ja": "年"},
    "session": {"en": "Session", "ja": "会期"},
    "votes": {"en": "Votes", "ja": "票数"},
    "rounds": {"en": "Rounds", "ja": "協議回数"},
    "region": {"en": "Region", "ja": "地域"},
    "level": {"en": "Level", "ja": "水準"},
    "cycle": {"en": "Cycle", "ja": "評価年度"},
    "objective": {"en": "Objective", "ja": "目標"},
    "unmapped": {"en": "unmapped", "ja": "対応なし"},
    "country": {"en": "Country", "ja": "国"},
}

FIG_DPI = 110


def t(key: str, lang: str, table: dict[str, dict[str, str]] | None = None) -> str:
    """Label ``key`` in ``lang`` ('en' or 'ja'), from ``table`` or the shared LABELS."""
    check_lang(lang)
    source = table if table is not None and key in table else LABELS
    return source[key][lang]


def html_escape(text: object) -> str:
    """``text`` (any value; None -> '') safe inside HTML, as an element's text or an
    attribute value: ``& < > " '`` become entities.

    Use it for every string from data or parameters shown with ``IPython.display.HTML``.

    >>> html_escape('<script>alert("1")</script>')
    '&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;'
    >>> html_escape(None), html_escape(3)
    ('', '3')
    """
    return "" if text is None else html.escape(str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_escape(text: object) -> str:
    r"""``text`` (any value; None -> '') shown literally inside Markdown: HTML escaped,
    Markdown punctuation backslash-escaped (no emphasis, link, heading or list can form),
    line breaks turned into spaces so the text stays inline.

    Use it for every string from data or parameters shown with
    ``IPython.display.Markdown``.

    >>> print(md_escape("**bold** [link](javascript:x) <b>"))
    \*\*bold\*\* \[link\]\(javascript:x\) &lt;b&gt;
    """
    if text is None:
        return ""
    flat = re.sub(r"\r\n|[\r\n\u2028\u2029]", " ", str(text))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def setup(lang: str = "en") -> str:
    """Apply the suite's plot and display style; return the checked language."""
    import matplotlib_fontja

    check_lang(lang)
    sns.set_theme(style="whitegrid", context="notebook")
    matplotlib_fontja.japanize()
    plt.rcParams.update({
        "figure.dpi": FIG_DPI,
        "savefig.dpi": FIG_DPI,
        "svg.hashsalt": "disarmament-notebooks",
        "axes.unicode_minus": False,
        "figure.max_open_warning": 0,
    })
    pd.set_option("display.width", 120)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.max_rows", 100)
    return lang


def output_path(output_dir: str | Path) -> Path:
    """Create and return the output folder."""
    path = Path(output_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_figure(fig: Any, output_dir: str | Path, name: str) -> Path:
    """Save ``fig`` as ``<output_dir>/<name>.png`` without timestamps; return the path."""
    path = output_path(output_dir) / f"{name}.png"
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    return path


def _clean(obj: Any) -> Any:
    """Make ``obj`` JSON-safe: NaN/NA -> None, numpy scalars -> Python, keys -> str."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if obj is None or obj is pd.NA or obj is pd.NaT:
        return None
    if hasattr(obj, "item") and not isinstance(obj, str):
        obj = obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, pd.Timestamp):
        return obj.date().isoformat()
    return obj


def write_json(obj: Any, output_dir: str | Path, name: str) -> Path:
    """Write ``obj`` as sorted, indented UTF-8 JSON ``<output_dir>/<name>.json``."""
    path = output_path(output_dir) / f"{name}.json"
    text = json.dumps(_clean(obj), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path
