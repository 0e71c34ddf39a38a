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
import numpy as np
import pandas as pd
import seaborn as sns

from .outputs import output_path
from .params import check_lang

__all__ = ["FIG_DPI", "setup", "save_figure", "plain", "html_escape", "md_escape",
           "year_axis", "value_limits", "overlapping"]

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


def year_axis(ax: Any, years: Any, axis: str = "x", pad: float = 0.6,
              min_span: float = 4.0, nbins: int = 12) -> None:
    """Years on ``axis`` of ``ax``: integer ticks only, limits that fit ``years`` (padded by
    ``pad``, at least ``min_span`` years wide, so one year is not drawn on a 1950-2100
    axis). Empty ``years`` leave the limits alone.

    >>> fig, ax = plt.subplots()
    >>> year_axis(ax, [2019])
    >>> [float(x) for x in ax.get_xlim()], [int(t) for t in ax.get_xticks()][1:4]
    ([2017.0, 2021.0], [2018, 2019, 2020])
    >>> plt.close(fig)
    """
    from matplotlib.ticker import MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=nbins, integer=True, min_n_ticks=1,
                                         steps=[1, 2, 5, 10]))
    vals = np.asarray(pd.to_numeric(pd.Series(list(years)), errors="coerce"), dtype=float)
    vals = vals[np.isfinite(vals)]
    if not len(vals):
        return
    lo, hi = float(vals.min()) - pad, float(vals.max()) + pad
    if hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    (ax.set_xlim if axis == "x" else ax.set_ylim)(float(lo), float(hi))


def value_limits(values: Any, min_span: float, lower: float | None = None,
                 upper: float | None = None, pad: float = 0.1) -> tuple[float, float]:
    """Axis limits that hold every finite value of ``values``: the data range padded by
    ``pad`` of its span, widened to at least ``min_span`` (so a flat series does not get
    a 99.5-100 axis) and kept within ``lower``..``upper`` when given. No finite value:
    ``(lower or 0, upper or min_span)``.

    >>> value_limits([1.0, 1.0], 0.1, upper=1.0)
    (0.9, 1.0)
    >>> value_limits([0.676, 0.699], 0.1, upper=1.0)
    (0.6375, 0.7375)
    """
    vals = np.asarray(pd.to_numeric(pd.Series(list(values), dtype="object"),
                                    errors="coerce"), dtype=float)
    vals = vals[np.isfinite(vals)]
    if not len(vals):
        lo = 0.0 if lower is None else float(lower)
        return lo, (lo + min_span) if upper is None else float(upper)
    lo, hi = float(vals.min()), float(vals.max())
    span = hi - lo
    lo, hi = lo - pad * span, hi + pad * span
    if hi - lo < min_span:
        mid = (lo + hi) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    if upper is not None and hi > upper:
        lo, hi = lo - (hi - upper), float(upper)
    if lower is not None and lo < lower:
        lo, hi = float(lower), min(hi + (lower - lo), upper if upper is not None else np.inf)
    return round(lo, 12), round(hi, 12)


def overlapping(artists: list[Any], renderer: Any = None) -> list[tuple[int, int]]:
    """Index pairs of ``artists`` (texts, patches, ...) whose drawn boxes overlap.

    Draws the figure of the first artist when no ``renderer`` is given.
    """
    if not artists:
        return []
    if renderer is None:
        fig = artists[0].figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
    boxes = [a.get_window_extent(renderer) for a in artists]
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
            if boxes[i].width > 0 and boxes[j].width > 0 and boxes[i].overlaps(boxes[j])]
