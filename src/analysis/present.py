"""Tables as a reader sees them: no index column, numbers formatted, gaps explained.

The notebooks translate a table's headers and coded values with the area's own display
function (``unga.for_display``, ``evaluations.display_table``, ``labels.display_frame``)
and hand the result to :func:`table`, which renders it for the page:

- the pandas index is dropped (a named index becomes the first column);
- whole numbers get thousands separators, fractions of a column named like a share are
  percentages, other decimals two places; ``True``/``False`` are words of the language;
- dates are printed ``YYYY-MM-DD`` on one line;
- a missing value prints as a dash, and a note under the table says what it means;
- a cell written in the other language (English data on a Japanese page, Japanese on an
  English one) is marked with its ``lang``, so screen readers and fonts treat it right;
- every string is HTML-escaped.

>>> import pandas as pd
>>> t = table(pd.DataFrame({"年": [2024], "賛成率": [0.8312], "出典": ["UN press release"],
...                         "賛成": [1520], "備考": [None]}), "ja",
...           percent=["賛成率"])
>>> print(t.to_text())
  年 賛成率             出典  賛成 備考
2024  83.1% UN press release 1,520    —
—：データなし（不明、該当なし、または未確認）。
>>> '<td lang="en">UN press release</td>' in t._repr_html_()
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .labels import ISOLATE, label, other_language, plain_text
from .params import LANGS, ParameterError

DASH = "—"
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_SHARE_NAME = re.compile(r"share|rate|率|割合", re.I)
_NUMERIC = re.compile(r"[-+−]?[\d,]+(?:\.\d+)?%?|—")
_URL = r"https?://[^\s;]+"
_URLS = re.compile(f"{_URL}(?:\\s*;\\s*{_URL})*")
_YEAR_NAME = re.compile(r"year|session|年|会期|edition|版", re.I)


def text_language(text: str) -> str | None:
    """``"ja"`` for text that is mostly Japanese (kana or kanji), ``"en"`` for text that is
    mostly Latin words (two or more), None for numbers, codes and single words.

    >>> text_language("UN press release"), text_language("国連"), text_language("C001")
    ('en', 'ja', None)
    >>> text_language("Printed in the R6 (令和6年度) document for objectives 2 and 3")
    'en'
    """
    cjk = len(_KANA_KANJI.findall(text))
    words = _LATIN_WORD.findall(text)
    latin = sum(map(len, words))
    if cjk and 2 * cjk >= latin:
        return "ja"
    return "en" if len(words) >= 2 else None


_EN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’./-]*(?:[ ,:;()&/-]+[A-Za-z0-9][A-Za-z0-9'’./-]*)+")
_JA_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々〆ー][\u3000-\u30ff\u3400-\u9fff"
                     r"\uff00-\uffef々〆ー0-9０-９]*")


def mark_runs(text: str, lang: str) -> str:
    """``text`` quoted from the data as HTML for a page in ``lang``: escaped, with each run
    in the other language (two or more English words on a Japanese page, Japanese on an
    English page) inside an element carrying that language.

    >>> mark_runs("出典: UN press release <1>", "ja")
    '出典: <span lang="en">UN press release</span> &lt;1&gt;'
    >>> mark_runs("Printed as 中期目標を概ね達成", "en")
    'Printed as <span lang="ja">中期目標を概ね達成</span>'
    """
    other = other_language(lang)
    pattern = _EN_RUN if other == "en" else _JA_RUN
    parts, pos = [], 0
    for m in pattern.finditer(text):
        if other == "en" and len(_LATIN_WORD.findall(m.group(0))) < 2:
            continue
        parts.append(html.escape(text[pos:m.start()]))
        parts.append(f'<span lang="{other}">{html.escape(m.group(0))}</span>')
        pos = m.end()
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def _number(value: float, percent: bool, digits: int | None = None) -> str:
    if percent:
        return f"{value:.1%}"
    if digits is None:
        digits = 0 if float(value).is_integer() else 2
    return f"{value:,.{digits}f}"


def decimals(values: pd.Series) -> int:
    """The decimals a column of numbers needs (0, 1 or 2) to show each value to two
    places, so that a column prints alike (``-7.1``, ``-5.0``, not ``-7.10``, ``-5``).

    >>> decimals(pd.Series([-7.1, -5.0, 5.2])), decimals(pd.Series([1.0, 2.0]))
    (1, 0)
    """
    v = pd.to_numeric(values, errors="coerce").dropna().astype(float).round(2)
    for k in (0, 1):
        if (v.round(k) == v).all():
            return k
    return 2


def cell_text(value: object, lang: str, percent: bool = False, plain: bool = False,
              digits: int | None = None) -> str:
    """One value as printed in a table of ``lang`` (``plain``: whole numbers without a
    thousands separator, for years).

    >>> cell_text(1234.0, "en"), cell_text(0.5, "en", percent=True), cell_text(None, "ja")
    ('1,234', '50.0%', '—')
    >>> cell_text(True, "ja"), cell_text(pd.Timestamp("2006-02-22"), "en")
    ('はい', '2006-02-22')
    """
    if isinstance(value, (list, tuple, set, np.ndarray)):
        items = [cell_text(v, lang) for v in value]
        return label("sep.list", lang).join(items) if items else DASH
    if value is None or value is pd.NA or value is pd.NaT:
        return DASH
    if isinstance(value, (bool, np.bool_)):
        return label(f"value.bool.{str(bool(value)).lower()}", lang)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, np.integer)):
        return str(int(value)) if plain else f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return DASH
        if plain and float(value).is_integer():
            return str(int(value))
        return _number(float(value), percent, digits)
    text = str(value)
    return text if text.strip() else DASH


def links(text: str) -> str:
    """Addresses (one, or several separated by ``;``) as links named by their site.

    >>> links("https://www.un.org/press/en/2019/ga12223.doc.htm")
    '<a href="https://www.un.org/press/en/2019/ga12223.doc.htm">www.un.org</a>'
    """
    from urllib.parse import urlsplit

    out = []
    for url in re.findall(_URL, text):
        host = urlsplit(url).netloc or url
        out.append(f'<a href="{html.escape(url)}">{html.escape(host)}</a>')
    return " ".join(out)


@dataclass(frozen=True)
class Table:
    """A rendered table: HTML for pages, plain text for ``repr`` (stable for nbval)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lang: str
    note: str | None = None
    nowrap: tuple[bool, ...] = ()

    def to_text(self) -> str:
        """The table as aligned plain text (one line saying so when it has no row)."""
        if not self.rows:
            return label("table.empty", self.lang)
        cols = list(zip(self.header, *self.rows, strict=True)) if self.rows else \
            [(h,) for h in self.header]
        widths = [max(_width(c) for c in col) for col in cols]
        lines = [" ".join(_pad(c, w) for c, w in zip(row, widths, strict=True))
                 for row in (self.header, *self.rows)]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        e = html.escape
        if not self.rows:  # a header over nothing reads as a broken table
            return f'<p class="table-note">{e(label("table.empty", self.lang))}</p>'
        other = other_language(self.lang)

        numeric = [bool(self.rows) and all(_NUMERIC.fullmatch(r[i]) for r in self.rows)
                   for i in range(len(self.header))]

        def td(text: str, tag: str = "td", nowrap: bool = False, num: bool = False) -> str:
            classes = " ".join(c for c, on in (("nowrap", nowrap or len(text) <= 12),
                                               ("num", num)) if on)
            attrs = f' class="{classes}"' if classes else ""
            if _URLS.fullmatch(text):
                return f"<{tag}{attrs}>{links(text)}</{tag}>"
            if text_language(text) == other:
                return f'<{tag}{attrs} lang="{other}">{e(text)}</{tag}>'
            return f"<{tag}{attrs}>{mark_runs(text, self.lang)}</{tag}>"

        head = "".join(td(h, "th", num=n) for h, n in zip(self.header, numeric, strict=True))
        flags = self.nowrap or (False,) * len(self.header)
        body = "".join("<tr>" + "".join(td(c, nowrap=w, num=n) for c, w, n in
                                        zip(r, flags, numeric, strict=True))
                       + "</tr>" for r in self.rows)
        note = f'<p class="table-note">{e(self.note)}</p>' if self.note else ""
        return (f'<div class="site-table"><table class="dataframe">'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>")


def _width(text: str) -> int:
    return sum(2 if _KANA_KANJI.match(ch) or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return " " * (width - _width(text)) + text


def table(frame: pd.DataFrame, lang: str, percent: Iterable[str] | None = None,
          empty_note: bool = True) -> Table:
    """``frame`` (headers already in ``lang``) as a :class:`Table` for the reader.

    ``percent`` names the columns holding fractions to print as percentages; by default
    every float column whose header says share or rate (賛成率, ``support share``) whose
    values lie in [0, 1].

    Raises ParameterError for a language other than 'en' or 'ja'.
    """
    if lang not in LANGS:
        raise ParameterError("lang", "one of " + ", ".join(LANGS), lang)
    out = frame
    if out.index.name is not None or any(n is not None for n in out.index.names[1:]):
        out = out.reset_index()
    header = tuple(str(c) for c in out.columns)
    if percent is None:
        pct = {c for i, c in enumerate(header) if _SHARE_NAME.search(c)
               and pd.api.types.is_float_dtype(out.iloc[:, i])
               and out.iloc[:, i].dropna().between(0, 1).all()}
    else:
        pct = set(map(str, percent))
    columns = []
    for pos, name in enumerate(header):
        values = out.iloc[:, pos]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.astype(object)
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        plain = bool(_YEAR_NAME.search(name)) or bool(
            len(numbers) and pd.api.types.is_numeric_dtype(values)
            and numbers.between(1900, 2100).all() and (numbers % 1 == 0).all())
        digits = decimals(values) if pd.api.types.is_float_dtype(values) else None
        columns.append([cell_text(v, lang, name in pct, plain, digits)
                        for v in values.tolist()])
    rows = tuple(zip(*columns, strict=True)) if columns else ()
    has_gap = any(DASH == c for r in rows for c in r)
    nowrap = tuple(bool(len(col)) and all(re.fullmatch(r"\d{4}-\d\d(-\d\d)?|—", c)
                                          for c in col) for col in columns)
    note = label("table.dash_note", lang) if has_gap and empty_note else None
    return Table(header, tuple(tuple(r) for r in rows), lang, note, nowrap)


def show(frame: pd.DataFrame, lang: str, percent: Iterable[str] | None = None) -> None:
    """Display ``frame`` as :func:`table` in the notebook (IPython); returns None, so a
    call ending a cell is not shown twice.

    Raises ParameterError for a language other than 'en' or 'ja'.
    """
    from IPython.display import display

    display(table(frame, lang, percent))


_QUOTED = re.compile(f"{ISOLATE[0]}(.*?){ISOLATE[1]}", re.S)


@dataclass(frozen=True)
class Sentences:
    """Printed sentences: plain text for ``repr``, paragraphs for pages, where each value
    quoted from the data (:func:`analysis.labels.data_text`) carries its language."""

    lines: tuple[str, ...]
    lang: str

    def __repr__(self) -> str:
        return "\n".join(plain_text(x) for x in self.lines)

    def _repr_html_(self) -> str:
        other = other_language(self.lang)

        def mark(match: re.Match) -> str:
            value = match.group(1)
            if text_language(value) == other:
                return f'<span lang="{other}">{html.escape(value)}</span>'
            return mark_runs(value, self.lang)

        paragraphs = []
        for line in self.lines:
            parts, pos = [], 0
            for m in _QUOTED.finditer(line):
                parts.append(html.escape(line[pos:m.start()]))
                parts.append(mark(m))
                pos = m.end()
            parts.append(html.escape(line[pos:]))
            paragraphs.append(f"<p>{''.join(parts)}</p>")
        return f'<div class="site-say">{"".join(paragraphs)}</div>'


def say(text: str | Iterable[str], lang: str) -> None:
    """Display sentences printed from the data (a string, or one sentence per item) in
    the notebook; returns None, so a call ending a cell is not shown twice.

    >>> from analysis.labels import data_text
    >>> s = Sentences(("出典: " + data_text("UN press release"),), "ja")
    >>> repr(s)
    '出典: UN press release'
    >>> s._repr_html_().endswith('<p>出典: <span lang="en">UN press release</span></p></div>')
    True

    Raises ParameterError for a language other than 'en' or 'ja'.
    """
    from IPython.display import display

    if lang not in LANGS:
        raise ParameterError("lang", "one of " + ", ".join(LANGS), lang)
    lines = (text,) if isinstance(text, str) else tuple(text)
    display(Sentences(tuple(x for line in lines for x in str(line).split("\n")), lang))
