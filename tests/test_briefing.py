"""The country briefing (analysis.briefing, notebook 04's computations) on the bundled
data, with oracles read from the bundled unvotes CSV (data/unga/unvotes/) and from the
UN regional-group list (data/unga/regional_groups.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import briefing as br
from analysis import coincidence as co
from analysis.bundle import load_bundle
from analysis.labels import data_text
from analysis.params import ParameterError


@pytest.fixture(scope="module")
def b():
    return load_bundle()


@pytest.fixture(scope="module")
def arms(b):
    return br.arms_control_votes(b.votes)


def votes_of(b, country: str, start=None, end=None) -> pd.DataFrame:
    return br.family_votes_table(b.votes, b.resolutions, b.families, b.members, b.named_votes,
                                 country, start, end)


def vote(table: pd.DataFrame, family: str, year: int) -> str:
    return table.loc[(table["family"] == family) & (table["year"] == year), "vote"].item()


# --- the regional groups ----------------------------------------------------------------------
def test_every_member_has_one_regional_group(b):
    """The DGACM list: 54 African, 54 Asia-Pacific (55 listed, Türkiye counted with WEOG
    for elections), 23 Eastern European, 33 Latin American and Caribbean, 29 WEOG
    (Türkiye and the United States included)."""
    g = b.regional_groups
    assert sorted(g["iso3"]) == sorted(b.members["iso3"])
    assert g["un_regional_group"].value_counts().to_dict() == {
        "African": 54, "Asia-Pacific": 54, "Latin American and Caribbean": 33,
        "Western European and Others": 29, "Eastern European": 23}
    group = g.set_index("iso3")["un_regional_group"]
    assert group["JPN"] == "Asia-Pacific" and group["KOR"] == "Asia-Pacific"
    assert group["TUR"] == group["USA"] == group["AUS"] == "Western European and Others"
    assert group["RUS"] == "Eastern European" and group["SSD"] == "African"
    assert group["MEX"] == "Latin American and Caribbean"
    assert g["source_url"].str.startswith("https://github.com/openclimatedata/").all()


def test_regional_groups_agree_with_the_counterparts_table(b):
    """The consultation register's own column (sourced separately) says the same."""
    cp = b.counterparts[b.counterparts["un_regional_group"].notna()]
    ours = b.regional_groups.set_index("iso3")["un_regional_group"]
    assert (cp["un_regional_group"].astype(str).to_numpy()
            == ours.reindex(cp["code"].astype(str)).to_numpy()).all()


# --- the state ----------------------------------------------------------------------------------
def test_profile_and_header(b):
    p = br.profile(b.members, b.regional_groups, b.counterparts, "SSD")
    assert p["admitted"] == pd.Timestamp("2011-07-14")
    assert (p["name_ja"], p["name_ja_source"]) == ("南スーダン", "iso")  # not in the register
    assert br.header_line(p, "en") == ("South Sudan (SSD): UN regional group: African Group; "
                                       "UN member since 2011-07-14.")
    assert br.header_line(p, "ja").startswith("南スーダン（SSD）：国連地域グループはアフリカ")
    assert br.header_line(p, "ja").endswith(
        "（国名はISO 3166の日本語訳。協議登録簿に外務省の表記がない国です。）")
    assert "ISO" not in br.header_line(p, "en")
    usa = br.profile(b.members, b.regional_groups, b.counterparts, "USA")
    assert br.display_name(usa, "ja") == "米国" and usa["name_ja_source"] == "register"
    # no usable Japanese name: the English one stands in, quoted as English data
    tza = br.profile(b.members, b.regional_groups, b.counterparts, "TZA")
    assert tza["name_ja"] is None and tza["name_ja_source"] is None
    assert br.header_line(tza, "ja").startswith(
        data_text("United Republic of Tanzania") + "（TZA）")
    assert br.sentence_name(usa, "ja") == "米国"
    assert "observer" in br.group_lines(usa, b.regional_groups, "en")[1]
    no_group = br.profile(b.members, b.regional_groups.iloc[:0], b.counterparts, "KOR")
    assert "not in the data" in br.header_line(no_group, "en")
    assert br.group_lines(no_group, b.regional_groups, "ja") == [
        "この国の国連地域グループはデータにありません。"]
    with pytest.raises(ParameterError, match="country"):
        br.profile(b.members, b.regional_groups, b.counterparts, "ROK")


# --- votes on the followed families -------------------------------------------------------
def test_votes_match_the_unvotes_csv(b):
    """Oracles read from data/unga/unvotes/un_votes.csv: rcid 4630 (A/RES/60/65, 2005),
    5413 (A/RES/70/40, 2015), 9069 (A/RES/74/63, 2019), 9127 (A/RES/74/41, TPNW 2019)."""
    kor, usa, aus = votes_of(b, "KOR"), votes_of(b, "USA"), votes_of(b, "AUS")
    assert [vote(kor, "japan_nuclear", y) for y in (2005, 2015, 2019)] == \
        ["yes", "abstain", "abstain"]
    assert [vote(usa, "japan_nuclear", y) for y in (2005, 2015, 2019)] == \
        ["no", "abstain", "abstain"]
    assert vote(aus, "japan_nuclear", 2015) == "yes" and vote(aus, "tpnw", 2019) == "no"
    assert (kor.loc[kor["year"] <= 2019, "source"].isin(["record", ""])).all()


def test_absent_not_member_and_later_sessions(b):
    ssd = votes_of(b, "SSD")
    assert vote(ssd, "japan_nuclear", 2010) == "not_member"  # admitted 2011-07-14
    assert vote(ssd, "japan_nuclear", 2019) == "yes"  # rcid 9069
    assert vote(ssd, "tpnw", 2019) == "absent"  # a member with no row in rcid 9127
    assert vote(ssd, "japan_nuclear", 2023) == "no_record"
    # the small-arms resolution was adopted without a vote in several sessions
    assert "adopted_without_vote" in set(ssd.loc[ssd["family"] == "small_arms", "vote"])
    # after the record, a vote is known where a document names the state (named_votes.csv)
    aus = votes_of(b, "AUS")
    row = aus[(aus["family"] == "tpnw") & (aus["year"] == 2023)].iloc[0]
    assert (row["vote"], row["source"]) == ("abstain", "named")
    assert set(ssd["vote"]) <= set(br.VOTE_CODES)
    assert not ssd.isna().any().any()


def test_year_range_and_tally(b):
    t = votes_of(b, "KOR", 2014, 2016)
    assert set(t["year"]) == {2014, 2015, 2016}
    # every family's vote agrees with the per-country tally (A/RES/70/40: 166-3-16)
    whole = co.whole_votes(b.votes)
    tally = whole[whole["resolution"].str.replace(" ", "") == "A/RES/70/40"]["vote"]
    assert tally.astype(str).value_counts().to_dict() == {"yes": 166, "abstain": 16, "no": 3}


def test_changes_and_sentences(b):
    changes = br.vote_changes(votes_of(b, "KOR"))
    row = changes[changes["family"] == "japan_nuclear"].iloc[0]
    assert (row["previous_year"], row["previous_vote"], row["year"], row["vote"]) == \
        (2014, "yes", 2015, "abstain")
    lines = br.change_lines(changes, b.families, "ja")
    assert "核兵器廃絶決議（日本提出）：2014年の賛成から2015年に棄権へ" in lines
    assert br.change_lines(changes.iloc[:0], b.families, "en") == [
        "No change of vote on the followed resolutions in the period."]


def test_overview_has_no_missing_values(b):
    for lang in ("en", "ja"):
        ov = br.vote_overview(votes_of(b, "SSD"), b.families, lang)
        assert len(ov) == len(b.families) and not ov.isna().any().any()
    ov = br.vote_overview(votes_of(b, "KOR"), b.families, "ja")
    assert ov.loc[ov["family"] == "核兵器廃絶決議（日本提出）", "latest"].item() == "棄権 (2019)"


# --- coincidence with Japan -----------------------------------------------------------------------
def test_coincidence_profile_against_the_pairwise_index(b, arms):
    prof = br.coincidence_profile(arms, "KOR", "state_dept", b.regional_groups)
    assert prof["year"].min() == 1991  # admitted 1991-09-17
    every = co.coincidence_with(arms[arms["year"] == 2019], "JPN", index="state_dept")
    every = every[every["value"].notna()]
    row = prof[prof["year"] == 2019].iloc[0]
    kor = every.loc[every["country"] == "KOR", "value"].item()
    assert row["value"] == pytest.approx(kor)
    assert row["median"] == pytest.approx(float(np.median(every["value"])))
    assert row["n_states"] == len(every)
    assert row["rank"] == 1 + (every["value"] > kor).sum()
    assert row["below"] == pytest.approx((every["value"] < kor).sum() / (len(every) - 1))
    asia = set(b.regional_groups.loc[b.regional_groups["un_regional_group"] == "Asia-Pacific",
                                     "iso3"])
    assert row["group_median"] == pytest.approx(
        float(np.median(every.loc[every["country"].isin(asia), "value"])))


def test_position_sentences(b, arms):
    prof = br.coincidence_profile(arms, "USA", "agreement")
    assert set(prof["by"]) == {"session"} and prof["year"].max() == 2019
    line = br.position_line(prof, "米国", "agreement", "ja")
    assert line.startswith("第74回総会（2019年）：米国は") and "nan" not in line
    table = br.position_table(prof, "en")
    assert len(table) == 10 and list(table.columns)[0] == "Period"
    assert not table.isna().any().any()
    empty = br.coincidence_profile(arms[arms["year"] < 2000], "SSD")
    assert br.position_line(empty, "South Sudan", "state_dept", "en") == \
        "South Sudan shares no arms-control vote with Japan in the chosen years."
    with pytest.raises(ParameterError, match="country"):
        br.coincidence_profile(arms, "JPN")


# --- consultations ------------------------------------------------------------------------------
def test_consultations(b):
    """data/consultations/meetings.csv: Korea is a participant of 18 meetings, 5 of them
    bilateral (日韓軍縮・不拡散協議)."""
    t = br.consultations_with(b.consultations, b.participants, b.counterparts, "KOR", "ja")
    assert len(t) == 18 and (t["format"] == "bilateral").sum() == 5
    assert t["meeting"].str.contains("日韓軍縮・不拡散協議").sum() == 5
    assert not t.isna().any().any()
    lines = br.consultation_lines(t, b.consultations, "韓国", "ja")
    assert lines[0].startswith("登録簿にある韓国との会合：18件（二国間5件、三者・多国間13件）")
    narrow = br.consultations_with(b.consultations, b.participants, b.counterparts, "KOR",
                                   "en", 2006, 2007)
    assert list(narrow["date"]) == ["2006-02-13", "2006-12-16", "2007-01-25", "2007-10-26"]
    none = br.consultations_with(b.consultations, b.participants, b.counterparts, "SSD", "en")
    assert none.empty
    assert br.consultation_lines(none, b.consultations, "South Sudan", "en")[0].startswith(
        "No consultation with South Sudan in the register")


# --- figures ------------------------------------------------------------------------------------
@pytest.mark.slow  # draws figures: seconds each (the fast tier stays under 90 s)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_figures_draw_without_missing_glyphs_and_names_literally(b, arms, lang, tmp_path):
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis import briefing_plots as bp
    from analysis import style

    style.setup(lang)
    name = r"$x$ and $\undefinedcommand$"  # drawn literally, never as mathtext
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [bp.plot_votes(votes_of(b, "SSD"), b.families, lang, name=name),
                bp.plot_votes(votes_of(b, "SSD").iloc[:0], b.families, lang, name=name),
                bp.plot_coincidence_profile(br.coincidence_profile(arms, "RUS", "s_score"),
                                            lang, name=name, index="s_score"),
                bp.plot_coincidence_profile(br.coincidence_profile(arms.iloc[:0], "RUS"),
                                            lang, name=name)]
        for k, fig in enumerate(figs):
            fig.canvas.draw()
            texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
            assert any(r"\$x\$" in t for t in texts)
            style.save_figure(fig, tmp_path, f"fig{k}")
    legend = figs[0].axes[0].get_legend()
    shown = [t.get_text() for t in legend.get_texts()]
    assert ("欠席" if lang == "ja" else "Absent") in shown
    plt.close("all")
