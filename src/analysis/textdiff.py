"""Text similarity and readable diffs for Japanese (and any) text.

Similarity
    Cosine similarity of character 2-gram counts. Each text is first normalised with
    :func:`normalise_text`: Unicode NFKC (full-width letters, digits and brackets
    become their ordinary forms), then whitespace and punctuation are removed, so only
    the words count. Character n-grams need no word segmentation, which Japanese
    lacks. 1.0 means the same 2-grams in the same proportions; 0.0 means none shared.

Matching
    :func:`match_texts` pairs the texts of two lists one-to-one, maximising the summed
    similarity (``scipy.optimize.linear_sum_assignment``) over the pairs whose score
    reaches the threshold :data:`SIMILARITY_THRESHOLD` (0.5). The threshold lies
    between what light edits score (a phrase deleted from a sentence: about 0.8) and
    what unrelated sentences of one policy field score through shared stock phrases
    such as 取組を強化する (up to about 0.4).

Diff
    :func:`diff_segments` runs ``difflib.SequenceMatcher`` on characters (no junk
    heuristic) and merges the result into phrases: an unchanged run shorter than
    ``min_equal`` characters between two changes is folded into the change, and
    neighbouring changes become one deleted phrase followed by one inserted phrase.
    :func:`diff_html` marks them with ``<del>``/``<ins>`` (inline styles; every text
    escaped with ``html.escape``), :func:`diff_text` with ``[-deleted-]{+inserted+}``.

>>> round(similarity("取組を強化する。", "取組を強化する"), 2)
1.0
>>> diff_text("国際的な核軍縮を追求する取組", "現実的な取組")
'[-国際的な核軍縮を追求する-]{+現実的な+}取組'
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

__all__ = [
    "SIMILARITY_THRESHOLD", "NGRAM", "normalise_text", "ngram_counts", "similarity_matrix",
    "similarity", "match_texts", "diff_segments", "diff_html", "diff_text", "wrap_text",
]

#: Minimum cosine similarity (character 2-grams) for two texts to be matched by text.
SIMILARITY_THRESHOLD = 0.5
#: Length of the character n-grams.
NGRAM = 2

# Punctuation and brackets removed before comparing (after NFKC, so full-width forms of
# ASCII punctuation are already ASCII here).
_PUNCT = re.compile(
    r"[\s\u3000、。，．・「」『』【】〔〕〈〉《》“”‘’…―‐\-,.;:!?()\[\]{}'\"/]+")

DEL_STYLE = "background-color:#fbd3d3;color:#7a1010;text-decoration:line-through;"
INS_STYLE = "background-color:#cdeccd;color:#0b4d0b;text-decoration:none;"


def normalise_text(text: object) -> str:
    """NFKC, then whitespace and punctuation removed (the long-vowel mark ー is kept).

    >>> normalise_text("生物兵器禁止条約（ＢＷＣ）、 推進する。")
    '生物兵器禁止条約BWC推進する'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)))


def _ngrams(text: str, n: int) -> list[str]:
    if len(text) < n:
        return [text] if text else []
    return [text[i:i + n] for i in range(len(text) - n + 1)]


def ngram_counts(texts: Sequence[str] | pd.Series, n: int = NGRAM) -> pd.DataFrame:
    """Character n-gram counts of normalised texts: one row per text, one column per n-gram.

    >>> ngram_counts(["abc", "bcd"]).to_numpy().tolist()
    [[1, 1, 0], [0, 1, 1]]
    """
    series = pd.Series(list(texts), dtype="object").map(normalise_text)
    grams = series.map(lambda s: _ngrams(s, n)).explode().dropna()
    counts = pd.crosstab(grams.index, grams.to_numpy())
    counts = counts.reindex(range(len(series)), fill_value=0)
    counts.index.name = None
    counts.columns.name = None
    return counts.astype("int64")


def similarity_matrix(texts_a: Sequence[str] | pd.Series, texts_b: Sequence[str] | pd.Series,
                      n: int = NGRAM) -> pd.DataFrame:
    """Cosine similarity of character n-gram counts, texts_a (rows) x texts_b (columns).

    Row and column labels are the index of the inputs when they are Series, else 0..n-1.
    A text with no characters left after normalisation scores 0 against everything.

    >>> similarity_matrix(["核軍縮", "不拡散"], ["核軍縮"]).round(2).to_numpy().tolist()
    [[1.0], [0.0]]
    """
    a, b = list(texts_a), list(texts_b)
    counts = ngram_counts(a + b, n)
    mat = counts.to_numpy(dtype=float)
    norms = np.linalg.norm(mat, axis=1)
    unit = np.divide(mat, norms[:, None], out=np.zeros_like(mat), where=norms[:, None] > 0)
    # rounded so that identical texts score exactly 1.0 despite floating-point error
    sims = np.clip(np.round(unit[: len(a)] @ unit[len(a):].T, 12), 0.0, 1.0)
    rows = texts_a.index if isinstance(texts_a, pd.Series) else pd.RangeIndex(len(a))
    cols = texts_b.index if isinstance(texts_b, pd.Series) else pd.RangeIndex(len(b))
    return pd.DataFrame(sims, index=rows, columns=cols)


def similarity(a: str, b: str, n: int = NGRAM) -> float:
    """Cosine similarity of the character n-gram counts of two texts (0..1).

    >>> round(similarity("大量破壊兵器等の拡散防止", "大量破壊兵器の拡散防止"), 3)
    0.858
    """
    return float(similarity_matrix([a], [b], n).iat[0, 0])


def match_texts(texts_a: pd.Series, texts_b: pd.Series,
                threshold: float = SIMILARITY_THRESHOLD, n: int = NGRAM) -> pd.DataFrame:
    """One-to-one matching of two labelled lists of texts by best total similarity.

    Only pairs scoring at least ``threshold`` can be matched; among them the assignment
    maximises the sum of scores. Returns columns ``key_a``, ``key_b``, ``similarity``
    (the matched pairs, sorted by ``key_a``'s position in ``texts_a``).

    >>> a = pd.Series(["核軍縮の取組", "通常兵器の取組"], index=["1", "2"])
    >>> b = pd.Series(["通常兵器の取組を強化", "核軍縮の取組を強化"], index=["x", "y"])
    >>> match_texts(a, b)[["key_a", "key_b"]].to_numpy().tolist()
    [['1', 'y'], ['2', 'x']]
    """
    empty = pd.DataFrame({"key_a": pd.Series(dtype="object"),
                          "key_b": pd.Series(dtype="object"),
                          "similarity": pd.Series(dtype="float64")})
    if len(texts_a) == 0 or len(texts_b) == 0:
        return empty
    sims = similarity_matrix(texts_a, texts_b, n)
    values = sims.to_numpy()
    eligible = values >= threshold
    rows, cols = linear_sum_assignment(np.where(eligible, values, 0.0), maximize=True)
    keep = eligible[rows, cols]
    rows, cols = rows[keep], cols[keep]
    if len(rows) == 0:
        return empty
    return pd.DataFrame({"key_a": sims.index[rows].to_numpy(dtype=object),
                         "key_b": sims.columns[cols].to_numpy(dtype=object),
                         "similarity": values[rows, cols]}).reset_index(drop=True)


def diff_segments(a: str, b: str, min_equal: int = 3) -> list[tuple[str, str]]:
    """Phrase-level diff of ``a`` -> ``b``: a list of (op, text), op in equal/delete/insert.

    Character diff by ``difflib.SequenceMatcher`` (autojunk off); unchanged runs shorter
    than ``min_equal`` characters lying between two changes are folded into the change,
    and each group of adjacent changes is given as one deleted then one inserted phrase.

    >>> diff_segments("核軍縮の取組", "核不拡散の取組")
    [('equal', '核'), ('delete', '軍縮'), ('insert', '不拡散'), ('equal', 'の取組')]
    """
    a, b = str(a), str(b)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # (equal_text or None, deleted, inserted) per opcode
    raw: list[list[str | None]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            raw.append([a[i1:i2], "", ""])
        else:
            raw.append([None, a[i1:i2], b[j1:j2]])
    # fold short equal runs that sit between two changes
    for k in range(1, len(raw) - 1):
        eq = raw[k][0]
        if (eq is not None and len(eq) < min_equal and raw[k - 1][0] is None
                and raw[k + 1][0] is None):
            raw[k] = [None, eq, eq]
    segments: list[tuple[str, str]] = []
    pending_del, pending_ins = "", ""

    def flush() -> None:
        nonlocal pending_del, pending_ins
        if pending_del:
            segments.append(("delete", pending_del))
        if pending_ins:
            segments.append(("insert", pending_ins))
        pending_del, pending_ins = "", ""

    for eq, deleted, inserted in raw:
        if eq is None:
            pending_del += deleted or ""
            pending_ins += inserted or ""
        else:
            flush()
            if segments and segments[-1][0] == "equal":
                segments[-1] = ("equal", segments[-1][1] + eq)
            else:
                segments.append(("equal", eq))
    flush()
    return segments


def diff_html(a: str, b: str, min_equal: int = 3) -> str:
    """The diff of ``a`` -> ``b`` as HTML: deleted phrases in ``<del>``, inserted in ``<ins>``.

    Every piece of text is escaped with :func:`html.escape`; styles are inline so the
    markup renders the same in JupyterLab, nbconvert HTML and GitHub.

    >>> diff_html("a<b", "a>b").count("&lt;"), diff_html("a<b", "a>b").count("<del")
    (1, 1)
    """
    parts = []
    for op, text in diff_segments(a, b, min_equal):
        esc = html.escape(text)
        if op == "delete":
            parts.append(f'<del style="{DEL_STYLE}">{esc}</del>')
        elif op == "insert":
            parts.append(f'<ins style="{INS_STYLE}">{esc}</ins>')
        else:
            parts.append(esc)
    return "".join(parts)


def diff_text(a: str, b: str, min_equal: int = 3) -> str:
    """The diff of ``a`` -> ``b`` in plain text: ``[-deleted-]`` and ``{+inserted+}``.

    >>> diff_text("同じ", "同じ")
    '同じ'
    """
    marks = {"delete": "[-{}-]", "insert": "{{+{}+}}", "equal": "{}"}
    return "".join(marks[op].format(text) for op, text in diff_segments(a, b, min_equal))


def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# characters that must not begin a line (Japanese line-breaking rule, simplified)
_NO_LINE_START = set("、。，．,.」』）)】〕・ー々っゃゅょァィゥェォッャュョ!?！？:：;；")


def wrap_text(text: object, width: int = 16, max_lines: int | None = None) -> str:
    """Wrap text to ``width`` display columns (a full-width character counts 2).

    Works for Japanese, which has no spaces to break at; closing brackets and
    punctuation are kept off the start of a line. With ``max_lines`` the text is cut
    and ends with an ellipsis.

    >>> wrap_text("中期目標を概ね達成することができた", 12)
    '中期目標を概\\nね達成するこ\\nとができた'
    """
    s = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    lines: list[str] = []
    current, used = "", 0
    for ch in s:
        if ch == "\n":
            lines.append(current)
            current, used = "", 0
            continue
        w = _char_width(ch)
        if used + w > width and current and ch not in _NO_LINE_START:
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current or not lines:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)
