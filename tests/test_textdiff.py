"""Text similarity, matching and phrase diffs (analysis.textdiff) on hand-made cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import textdiff as td


def test_normalise_text_nfkc_and_punctuation():
    assert td.normalise_text("「ＢＷＣ」及び（ＣＷＣ）、 推進する。") == "BWC及びCWC推進する"
    assert td.normalise_text("システム") == "システム"  # long-vowel mark kept
    assert td.normalise_text(None) == ""


def test_ngram_counts_hand_made():
    counts = td.ngram_counts(["核軍縮", "軍縮"])
    assert list(counts.columns) == ["核軍", "軍縮"]
    assert counts.to_numpy().tolist() == [[1, 1], [0, 1]]


def test_similarity_values_written_out():
    # abcd -> {ab, bc, cd}; abce -> {ab, bc, ce}: two shared of three each -> 2/3
    assert td.similarity("abcd", "abce") == pytest.approx(2 / 3)
    assert td.similarity("核軍縮", "核軍縮。") == pytest.approx(1.0)
    assert td.similarity("核軍縮", "地雷") == 0.0
    assert td.similarity("", "地雷") == 0.0
    # full-width and half-width letters are the same after NFKC
    assert td.similarity("ＣＴＢＴ発効", "CTBT発効") == pytest.approx(1.0)
    # 核軍縮の取組 -> 核軍 軍縮 縮の の取 取組; 核不拡散の取組 -> 核不 不拡 拡散 散の の取 取組
    expected = 2 / (math.sqrt(5) * math.sqrt(6))
    assert td.similarity("核軍縮の取組", "核不拡散の取組") == pytest.approx(expected)


def test_similarity_matrix_keeps_labels():
    a = pd.Series(["核軍縮", "地雷"], index=["x", "y"])
    b = pd.Series(["地雷", "核軍縮", "小型武器"], index=["p", "q", "r"])
    m = td.similarity_matrix(a, b)
    assert list(m.index) == ["x", "y"] and list(m.columns) == ["p", "q", "r"]
    assert m.loc["x", "q"] == pytest.approx(1.0)
    assert m.loc["y", "p"] == pytest.approx(1.0)
    assert m.loc["x", "r"] == 0.0


def test_match_texts_one_to_one_and_threshold():
    a = pd.Series(["核軍縮の取組を強化する", "地雷の除去を進める", "宇宙の利用"],
                  index=["1", "2", "3"])
    b = pd.Series(["地雷の除去を進める", "核軍縮の取組を強化する", "核軍縮の取組を強化する。"],
                  index=["A", "B", "C"])
    m = td.match_texts(a, b)
    # one-to-one: "1" gets one of B/C, the other stays free; "3" scores below threshold
    assert m["key_a"].tolist() == ["1", "2"]
    assert m.loc[m["key_a"] == "2", "key_b"].item() == "A"
    assert m.loc[m["key_a"] == "1", "key_b"].item() in {"B", "C"}
    assert (m["similarity"] >= td.SIMILARITY_THRESHOLD).all()
    # a high threshold leaves nothing matched
    assert td.match_texts(a, b, threshold=1.01).empty
    assert td.match_texts(a.iloc[:0], b).empty


def test_match_texts_pairs_similar_variants():
    # every pair scores above the threshold (0.73-0.94); the assignment keeps the best total
    a = pd.Series(["核兵器のない世界の実現", "核兵器のない世界"], index=["x", "y"])
    b = pd.Series(["核兵器のない世界の実現に向け", "核兵器のない世界へ"], index=["p", "q"])
    m = td.match_texts(a, b).set_index("key_a")["key_b"].to_dict()
    assert m == {"x": "p", "y": "q"}


def test_diff_segments_hand_made():
    assert td.diff_segments("核軍縮の取組", "核不拡散の取組") == [
        ("equal", "核"), ("delete", "軍縮"), ("insert", "不拡散"), ("equal", "の取組")]
    assert td.diff_segments("同じ文", "同じ文") == [("equal", "同じ文")]
    assert td.diff_segments("", "新しい") == [("insert", "新しい")]
    assert td.diff_segments("古い", "") == [("delete", "古い")]


def test_diff_merges_short_common_runs_into_phrases():
    a, b = "国際的な核軍縮を追求する取組", "現実的な取組"
    # character diff keeps 的な (2 characters) in common; merged into one phrase
    assert td.diff_segments(a, b, min_equal=1)[:3] == [
        ("delete", "国際"), ("insert", "現実"), ("equal", "的な")]
    assert td.diff_text(a, b) == "[-国際的な核軍縮を追求する-]{+現実的な+}取組"


def test_diff_text_and_html_markup():
    a = "「核兵器のない世界」の実現に向け、国際的な核軍縮を追求するための現実的な取組"
    b = "「核兵器のない世界」の実現に向け、現実的な取組"
    assert td.diff_text(a, b) == ("「核兵器のない世界」の実現に向け、"
                                  "[-国際的な核軍縮を追求するための-]現実的な取組")
    h = td.diff_html(a, b)
    assert h.count("<del") == 1 and "<ins" not in h
    assert '<del style="' in h and "国際的な核軍縮を追求するための</del>" in h


def test_diff_html_escapes_everything():
    h = td.diff_html("a <b> & c", "a <i> & c")
    assert "<b>" not in h and "<i>" not in h
    assert "&lt;b&gt;" in h or "&lt;" in h
    assert "&amp;" in h
    assert h.count("<del") == 1 and h.count("<ins") == 1


def test_wrap_text_widths_and_line_start_rule():
    text = "中期目標を概ね達成することができたと評価。"
    out = td.wrap_text(text, 10)
    lines = out.split("\n")
    assert "".join(lines) == text
    assert all(not line.startswith(("。", "、")) for line in lines)
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 12 for line in lines)
    assert td.wrap_text("abc def", 20) == "abc def"
    assert td.wrap_text("あいうえおかきくけこ", 4, max_lines=2) == "あい\nう…"
    assert td.wrap_text(None) == ""
