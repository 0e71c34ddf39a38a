r"""Presentation: the plot theme, Japanese fonts, figure files, and text made safe to show.

``setup(lang)`` checks the language (once per run: functions downstream trust it), applies
the seaborn theme and then the IPAexGothic font shipped inside the ``matplotlib-fontja``
wheel (seaborn's theme resets fonts, so the order matters), so Japanese renders with no
missing glyph on any machine, with pip alone. Labels live in :mod:`analysis.labels`;
JSON and graph files are written by :mod:`analysis.outputs` (no matplotlib there).

>>> setup("ja")
'ja'
>>> plain("cost $5 and $6")
'cost \\$5 and \\$6'
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .outputs import output_path
from .params import check_lang

__all__ = ["FIG_DPI", "setup", "save_figure", "plain", "html_escape", "md_escape"]

FIG_DPI = 110


def plain(text: object) -> str:
    """``text`` (any value; None -> '') drawn literally by matplotlib: every ``$`` is
    escaped, so a name from the data is never parsed as mathtext.

    Use it for every string from data or parameters drawn in a figure (titles, tick
    labels, legend entries, annotations).
    """
    return "" if text is None else str(text).replace("$", r"\$")


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


def save_figure(fig: Any, output_dir: str | Path, name: str) -> Path:
    """Save ``fig`` as ``<output_dir>/<name>.png`` without timestamps; return the path."""
    path = output_path(output_dir) / f"{name}.png"
    fig.savefig(path, bbox_inches="tight", metadata={"Software": None})
    return path

