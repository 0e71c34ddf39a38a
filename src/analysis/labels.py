"""Every text a reader sees, in English and Japanese: one registry, :data:`LABELS`.

A key names one string, namespaced by where it is used: ``col.<column>`` (a column
header shared by several tables), ``col.<area>.<column>`` (a header of one area: ``unga``,
``eval``, ``network``), ``value.<kind>.<code>`` (a coded value shown to the reader, e.g.
``value.status.voted``), ``<area>.title.*``, ``<area>.axis.*``, ``<area>.legend.*`` (figure
text) and ``<area>.text.*`` (sentence templates, :meth:`str.format` placeholders, counts
in natural Japanese: 「{n}件」). Both languages are required for every entry and their
placeholders must agree (``tests/test_labels.py`` enforces both).

The language is checked once per run, by :func:`analysis.style.setup`; functions here
trust it, but an unknown language still fails clearly (ParameterError) at the first
lookup.

>>> label("col.year", "ja")
'年'
>>> fmt("eval.level_n", "en", level=3)
'Level 3'
>>> import pandas as pd
>>> translate_values(pd.Series(["voted", "no record", "other"]), "value.status",
...                  "ja").tolist()
['投票', '記録なし', 'other']
>>> label("no.such.key", "en")
Traceback (most recent call last):
...
KeyError: "no label 'no.such.key' in analysis.labels.LABELS"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .params import LANGS, ParameterError

__all__ = ["LABELS", "label", "fmt", "has", "slug", "value_label", "translate_values",
           "header", "display_frame", "join", "other_language", "data_text", "plain_text",
           "name_column", "wraps_by_words",
           "shows_era"]

_UNGA_RULE_EN = (
    "The figure used for a resolution is the one of the strongest source kind: the "
    "UN's own record first (a UN document, un_official, or the tally of the UN's "
    "per-country record, un_record), then government_official > news > dataset > "
    "secondary; between sources of the same kind the most complete figure wins (most of "
    "yes, no, abstain, non_voting given), then the first source_id in alphabetical order. "
    "Sources that give no count at all are ignored.")
_UNGA_RULE_JA = (
    "各決議で採用する数値は、最も強い種類の出典のものです。国連自身の記録（国連文書、"
    "または国連の国別投票記録の集計）を最優先とし、以下、政府の公式資料、報道、"
    "データセット、二次資料の順とします。同じ種類の出典の間では、賛成・反対・棄権・"
    "不参加のうち示されている数が最も多いものを、それでも並ぶ場合は出典IDの順で"
    "最初のものを採ります。票数を一つも示さない出典は除きます。")
_UNGA_COMPLETION_EN = (
    "Counts the chosen figure does not give are taken from the next source "
    "in the same order that gives them and agrees with the chosen figure on "
    "every count both give; the Rule column names it.")
_UNGA_COMPLETION_JA = (
    "採用した数値に欠けている票数は、同じ順で次の出典のうち、その票数を示し、"
    "両方が示す票数がすべて一致するものから補います（表の「選択規則」列に記録）。")

LABELS: dict[str, dict[str, str]] = {
    # --- punctuation -----------------------------------------------------------------
    "sep.list": {"en": ", ", "ja": "、"},
    "word.none": {"en": "none", "ja": "なし"},

    # --- column headers shared by several tables ------------------------------------
    "col.year": {"en": "Year", "ja": "年"},
    "col.session": {"en": "Session", "ja": "会期"},
    "col.date": {"en": "Date", "ja": "日付"},
    "col.yes": {"en": "Yes", "ja": "賛成"},
    "col.no": {"en": "No", "ja": "反対"},
    "col.abstain": {"en": "Abstain", "ja": "棄権"},
    "col.non_voting": {"en": "Non-voting",
        "ja": "投票不参加"},
    "col.support_share": {"en": "Support share", "ja": "賛成率"},
    "col.change": {"en": "Change", "ja": "変化"},
    "col.country": {"en": "Country", "ja": "国"},
    "col.votes": {"en": "Votes", "ja": "票数"},
    "col.rounds": {"en": "Rounds", "ja": "協議回数"},
    "col.region": {"en": "Region", "ja": "地域"},
    "col.level": {"en": "Level", "ja": "水準"},
    "col.cycle": {"en": "Cycle", "ja": "評価年度"},
    "col.objective": {"en": "Objective", "ja": "目標"},

    # --- UNGA tables (notebook 01) ----------------------------------------------------
    "col.unga.symbol": {"en": "Symbol", "ja": "決議番号"},
    "col.unga.resolution": {"en": "Symbol", "ja": "決議番号"},
    "col.unga.resolution_id": {"en": "Resolution", "ja": "決議ID"},
    "col.unga.title": {"en": "Title", "ja": "表題"},
    "col.unga.previous_share": {"en": "Previous share", "ja": "前会期の賛成率"},
    "col.unga.direction": {"en": "Direction", "ja": "方向"},
    "col.unga.change_pts": {"en": "Change (pts)", "ja": "変化（ポイント）"},
    "col.unga.yes_change": {"en": "Change in yes", "ja": "賛成数の変化"},
    "col.unga.status": {"en": "Status", "ja": "状態"},
    "col.unga.count_source": {"en": "Source of the figure", "ja": "数値の出典"},
    "col.unga.count_source_id": {"en": "Source id", "ja": "出典ID"},
    "col.unga.change_points": {"en": "Change (points)", "ja": "変化（ポイント）"},
    "col.unga.rule": {"en": "Rule", "ja": "選択規則"},
    "col.unga.title_changed": {"en": "Title changed", "ja": "表題変更"},
    "col.unga.first_session": {"en": "First session", "ja": "最初の会期"},
    "col.unga.last_session": {"en": "Last session", "ja": "最後の会期"},
    "col.unga.first_year": {"en": "From", "ja": "開始年"},
    "col.unga.last_year": {"en": "To", "ja": "終了年"},
    "col.unga.sessions": {"en": "Sessions", "ja": "会期数"},
    "col.unga.source_a": {"en": "Source A", "ja": "出典A"},
    "col.unga.source_b": {"en": "Source B", "ja": "出典B"},
    "col.unga.figure_a": {"en": "Figure A", "ja": "数値A"},
    "col.unga.figure_b": {"en": "Figure B", "ja": "数値B"},
    "col.unga.yes_diff": {"en": "Yes A-B", "ja": "賛成差A-B"},
    "col.unga.no_diff": {"en": "No A-B", "ja": "反対差A-B"},
    "col.unga.abstain_diff": {"en": "Abstain A-B", "ja": "棄権差A-B"},
    "col.unga.used_source": {"en": "Figure used from", "ja": "採用した出典"},
    "col.unga.used_figure": {"en": "Figure used", "ja": "採用した数値"},
    "col.unga.label": {"en": "Label", "ja": "ラベル"},
    "col.unga.n_no": {"en": "No (n)", "ja": "反対数"},
    "unga.text.n_disagreements": {"en": "{n} disagreement(s)", "ja": "出典間の不一致：{n}件"},
    "unga.text.n_swings": {"en": "{n} change(s) of vote", "ja": "投票を変えた例：{n}件"},
    "unga.text.no_coincidence": {"en": "No vote shared with {country} in the chosen years.",
                                 "ja": "選んだ年には{country}と共通の投票がありません。"},
    "col.unga.n_named": {"en": "States named", "ja": "名前の挙がった国の数"},
    "col.unga.countries": {"en": "States", "ja": "国"},
    "col.unga.complete": {"en": "Complete list", "ja": "全数"},
    "col.unga.source": {"en": "Source", "ja": "出典"},
    "col.unga.shared": {"en": "Votes both cast", "ja": "両国が投票した票数"},
    "col.unga.n_abstain": {"en": "Abstain (n)", "ja": "棄権数"},
    "col.unga.previous_session": {"en": "Previous session", "ja": "前会期"},
    "col.unga.previous_year": {"en": "Previous year", "ja": "前年"},
    "col.unga.previous_vote": {"en": "Previous vote", "ja": "前回の投票"},
    "col.unga.vote": {"en": "Vote", "ja": "投票"},
    "col.unga.both": {"en": "Yes on both", "ja": "両方に賛成"},
    "col.unga.only_a": {"en": "Yes on A only", "ja": "Aのみ賛成"},
    "col.unga.only_b": {"en": "Yes on B only", "ja": "Bのみ賛成"},
    "col.unga.neither": {"en": "Yes on neither", "ja": "どちらにも賛成せず"},
    "col.unga.only_a_states": {"en": "States: A only", "ja": "Aのみ賛成の国"},
    "col.unga.only_b_states": {"en": "States: B only", "ja": "Bのみ賛成の国"},
    "col.unga.value": {"en": "Value", "ja": "値"},
    "col.unga.n": {"en": "Votes compared", "ja": "比較した票数"},
    "col.unga.group": {"en": "Group", "ja": "区分"},

    # --- UNGA coded values ---------------------------------------------------------------
    "value.status.voted": {"en": "voted", "ja": "投票"},
    "value.status.partial_counts": {"en": "partial counts", "ja": "票数一部不明"},
    "value.status.counts_unknown": {"en": "counts unknown", "ja": "票数不明"},
    "value.status.adopted_without_a_vote": {"en": "adopted without a vote",
                                            "ja": "無投票採択"},
    "value.status.no_record": {"en": "no record", "ja": "記録なし"},
    "value.vote.yes": {"en": "Yes", "ja": "賛成"},
    "value.vote.no": {"en": "No", "ja": "反対"},
    "value.vote.abstain": {"en": "Abstain", "ja": "棄権"},
    "value.vote.non_voting": {"en": "non-voting",
        "ja": "投票不参加"},
    "value.direction.fall": {"en": "fall", "ja": "低下"},
    "value.direction.rise": {"en": "rise", "ja": "上昇"},
    "value.source_id.compiled": {"en": "compiled", "ja": "参照表の値"},
    "value.source_kind.un_official": {"en": "UN document", "ja": "国連文書"},
    "value.source_kind.un_record": {"en": "UN per-country record", "ja": "国連の国別投票記録"},
    "value.source_kind.government_official": {"en": "government", "ja": "政府公式資料"},
    "value.source_kind.news": {"en": "news", "ja": "報道"},
    "value.source_kind.dataset": {"en": "dataset", "ja": "データセット"},
    "value.source_kind.secondary": {"en": "secondary", "ja": "二次資料"},
    "unga.rule.only": {"en": "only source with a figure ({kind})",
                       "ja": "数値を示す唯一の出典（{kind}）"},
    "unga.rule.strongest": {"en": "strongest source kind: {kind} (next: {next_kind}, {next_id})",
                            "ja": "出典の種類で優先：{kind}（次点：{next_kind}、{next_id}）"},
    "unga.rule.fuller": {"en": "same kind ({kind}) as {next_id}; most complete figure ({n} "
                               "counts vs {n_next})",
                         "ja": "{next_id}と同じ種類（{kind}）で、より揃った数値（{n}項目対"
                               "{n_next}項目）"},
    "unga.rule.first": {"en": "same kind ({kind}) and completeness as {next_id}; first source_id",
                        "ja": "{next_id}と種類（{kind}）も揃い方も同じため、出典IDの順で先のもの"},
    "unga.rule.completed": {"en": "; {cols} completed from {ids} (agreeing on every count both "
                                  "give)",
                            "ja": "。{cols}は{ids}から補完（共通する票数はすべて一致）"},
    "value.source_id.per_country": {"en": "per_country", "ja": "国別記録"},

    # --- UNGA text -------------------------------------------------------------------------
    "unga.rule.reconcile": {"en": _UNGA_RULE_EN, "ja": _UNGA_RULE_JA},
    "unga.rule.completion": {"en": _UNGA_COMPLETION_EN, "ja": _UNGA_COMPLETION_JA},
    "unga.text.needs_votes": {
        "en": "These sections need per-country votes: set votes_source to a UN "
              "Digital Library voting CSV or an unvotes folder.",
        "ja": "この節には国別の投票データが必要です。votes_source に国連デジタル"
              "ライブラリの投票CSVまたは unvotes のフォルダを指定してください。"},
    "unga.text.no_family_votes": {
        "en": "The per-country data hold no vote of this family in the chosen years.",
        "ja": "国別データには、選んだ年のこの決議群の投票がありません。"},
    "unga.text.change": {"en": "{year}: {change:+.1f} pts",
                         "ja": "{year}年: {change:+.1f}ポイント"},
    "unga.text.sessions": {
        "en": "Sessions covered: {sessions} ({first_year}-{last_year}); with full counts: "
              "{with_counts}",
        "ja": "対象会期: {sessions}会期（{first_year}～{last_year}年）、全票数のある会期: "
              "{with_counts}会期"},
    "unga.text.highest": {"en": "Highest support share: {share:.1%} ({year}, session "
                                "{session})",
                          "ja": "賛成率の最高: {share:.1%}（{year}年、第{session}回総会）"},
    "unga.text.lowest": {"en": "Lowest support share: {share:.1%} ({year}, session "
                               "{session})",
                         "ja": "賛成率の最低: {share:.1%}（{year}年、第{session}回総会）"},
    "unga.text.latest": {
        "en": "Latest figures: {year} (session {session}, {symbol}): {yes} yes, {no} no, "
              "{abstain} abstain; support share {share:.1%}; source: {source}",
        "ja": "最新の数値: {year}年（第{session}回総会、{symbol}）賛成{yes}、反対{no}、"
              "棄権{abstain}、賛成率{share:.1%}、出典: {source}"},
    "unga.text.no_symbol": {"en": "symbol not recorded",
        "ja": "決議番号未確認"},
    "unga.text.gaps": {"en": "Sessions without a full figure: {gaps}",
                       "ja": "全票数のない会期: {gaps}"},
    "unga.text.gap": {"en": "{year} ({status})", "ja": "{year}年（{status}）"},

    # --- UNGA figures ------------------------------------------------------------------------
    "unga.axis.support_share": {"en": "Support share (yes / (yes + no + abstain))",
                                "ja": "賛成率（賛成 /（賛成 + 反対 + 棄権））"},
    "unga.legend.no_figure": {"en": "No figure (gap)", "ja": "数値なし（欠落）"},
    "unga.legend.partial": {"en": "Partial counts", "ja": "票数の一部のみ"},
    "unga.title.support": {"en": "{name}: plenary votes and support share",
                           "ja": "{name}：本会議の投票結果と賛成率"},
    "unga.title.coincidence": {"en": "Coincidence with {country} on nuclear votes, by {period}",
                               "ja": "核関連決議における{country}との投票一致度（{period}別）"},
    "value.period.year": {"en": "calendar year", "ja": "暦年"},
    "value.period.session": {"en": "session", "ja": "会期"},
    "unga.title.heatmap": {"en": "{index}: states most active on nuclear votes{years}",
                           "ja": "{index}：核関連決議で投票の多い国{years}"},
    "value.index.state_dept": {"en": "Voting coincidence (US State Dept., method since 2017)",
        "ja": "投票一致率（米国務省方式・2017年改定後の算定法）"},
    "value.index.state_dept_votes_only": {
        "en": "Voting coincidence (US State Dept., votes-only method before 2017)",
        "ja": "投票一致率（米国務省方式・2016年以前の算定法、賛否のみ）"},
    "value.index.agreement": {
        "en": "Agreement score (Voeten, all votes incl. unanimous; abstain = half)",
        "ja": "一致度（Voeten方式。全会一致の投票を含み、棄権は0.5として計算）"},
    "value.index.s_score": {"en": "S-score (Signorino & Ritter)",
        "ja": "Sスコア（Signorino・Ritter）"},

    # --- consultation network (notebook 02) ---------------------------------------------
    "value.region.african": {"en": "African", "ja": "アフリカ"},
    "value.region.asia_pacific": {"en": "Asia-Pacific", "ja": "アジア太平洋"},
    "value.region.eastern_european": {"en": "Eastern European", "ja": "東欧"},
    "value.region.latin_american_and_caribbean": {"en": "Latin American and Caribbean",
                                                  "ja": "ラテンアメリカ・カリブ"},
    "value.region.western_european_and_others": {"en": "Western European and Others",
                                                 "ja": "西欧その他"},
    "value.region.organisations": {"en": "Organisations", "ja": "国際機関"},
    "value.region.unknown": {"en": "Unknown group", "ja": "グループ不明"},
    "value.track.astop": {"en": "ASTOP", "ja": "アジア不拡散協議(ASTOP)"},
    "value.track.npdi_ministerial": {"en": "NPDI ministerial", "ja": "NPDI外相会合"},
    "value.track.npdi_senior_officials": {"en": "NPDI senior officials",
                                          "ja": "NPDI高級実務者会合"},
    "value.track.trilateral_jua": {"en": "Japan-US-Australia", "ja": "日米豪"},
    "value.track.dnp_bilateral": {"en": "Bilateral D&NP consultation",
                                  "ja": "二国間軍縮・不拡散協議"},
    "value.track.eu_troika_wg": {"en": "Japan-EU troika working group",
                                 "ja": "日EUトロイカ作業部会"},
    "value.track.eu_dialogue": {"en": "Japan-EU dialogue", "ja": "日EU不拡散・軍縮対話"},
    "value.track.us_commission": {"en": "Japan-US commission",
                                  "ja": "日米軍備管理・軍縮・不拡散・検証委員会"},
    "value.track.us_nonproliferation_dialogue": {"en": "Japan-US non-proliferation dialogue",
                                                 "ja": "日米不拡散協議"},
    "value.track.nato_working_level": {"en": "Japan-NATO working level",
                                       "ja": "日NATO事務レベル協議"},
    "value.venue.japan": {"en": "Held in Japan", "ja": "日本で開催"},
    "value.venue.abroad": {"en": "Held abroad", "ja": "海外で開催"},
    "value.venue.video": {"en": "Video conference", "ja": "テレビ会議"},
    "value.venue.unknown": {"en": "Venue unknown", "ja": "開催地不明"},
    "value.format.bilateral": {"en": "bilateral", "ja": "二国間"},
    "value.format.trilateral": {"en": "trilateral", "ja": "三者"},
    "value.format.multilateral": {"en": "multilateral", "ja": "多国間"},
    "value.verification.corroborated": {"en": "corroborated", "ja": "裏付けあり"},
    "value.verification.corroborated_month": {"en": "corroborated (month only)",
                                              "ja": "裏付けあり（月まで）"},
    "value.verification.indirect": {"en": "indirect", "ja": "間接的な裏付け"},
    "value.verification.not_found": {"en": "not found", "ja": "裏付けなし"},
    "value.verification.conflict": {"en": "sources conflict", "ja": "出典間で矛盾"},
    "value.verification.counterpart_corrected": {"en": "counterpart corrected",
                                                 "ja": "相手国を訂正"},
    "value.verification.primary": {"en": "primary source", "ja": "一次資料"},
    "value.verification.secondary": {"en": "secondary source", "ja": "二次資料"},
    "col.network.meeting_id": {"en": "Meeting", "ja": "会合ID"},
    "col.network.format": {"en": "Format", "ja": "形式"},
    "col.network.track": {"en": "Track", "ja": "枠組み"},
    "col.network.counterparts": {"en": "Counterparts", "ja": "相手"},
    "col.network.city": {"en": "City", "ja": "都市"},
    "col.network.venue": {"en": "Venue", "ja": "開催地"},
    "col.network.participants_complete": {"en": "Participants complete",
                                          "ja": "参加者の記載が完全"},
    "col.network.verification_status": {"en": "Verification", "ja": "裏付けの状況"},
    "col.network.weak": {"en": "Weakly verified", "ja": "裏付け不十分"},
    "col.network.weak_rounds": {"en": "Weakly verified rounds", "ja": "裏付け不十分な協議"},
    "col.network.partners": {"en": "Partners", "ja": "相手の数"},
    "col.network.group_meetings": {"en": "Group meetings", "ja": "三者・多国間会合"},
    "col.network.group_members": {"en": "Group members",
        "ja": "三者・多国間会合の参加国・機関数"},
    "col.network.group_participations": {"en": "Participations in group meetings",
                                         "ja": "三者・多国間会合への参加回数"},
    "col.network.code": {"en": "Code", "ja": "コード"},
    "col.network.name_en": {"en": "Name", "ja": "名称(英語)"},
    "col.network.name_ja": {"en": "Name (Japanese)", "ja": "名称"},
    "col.network.degree": {"en": "Partners met (degree)", "ja": "協議相手数(次数)"},
    "col.network.co_degree": {"en": "Co-participants", "ja": "同席した相手の数"},
    "col.network.co_weighted_degree": {"en": "Co-participations", "ja": "同席の回数"},
    "col.network.betweenness": {"en": "Betweenness", "ja": "媒介中心性"},
    "col.network.community": {"en": "Community", "ja": "コミュニティ"},
    "network.text.summary": {
        "en": "{period}: {rounds} bilateral rounds with {partners} partners "
              "({weak} of them weakly verified; {japan} held in Japan, {abroad} abroad).",
        "ja": "{period}:二国間協議{rounds}回、相手{partners}か国・機関"
              "(うち裏付け不十分のもの{weak}回、日本開催{japan}回、海外開催{abroad}回)。"},
    "network.text.group_summary": {
        "en": "{meetings} trilateral or multilateral meetings with {members} states and "
              "organisations listed ({incomplete} with an incomplete participant list).",
        "ja": "三者・多国間会合{meetings}回、参加国・機関{members}か国・機関"
              "(うち参加者の記載が不完全な会合{incomplete}回)。"},
    "network.text.empty": {
        "en": "No meetings in the register for {period} (dated meetings run from "
              "{first} to {last}); the tables and figures below are empty.",
        "ja": "{period}の会合は登録簿にありません(日付のある会合は{first}年から{last}年まで)。"
              "以下の表と図は空です。"},
    "network.text.empty_register": {
        "en": "No dated meetings in the register; the tables and figures below are empty.",
        "ja": "登録簿に日付のある会合がありません。以下の表と図は空です。"},
    "network.text.gap_partner": {
        "en": "{name} ({code}, {region}): last round on {last} ({rounds} in {before}); "
              "none in {window}.",
        "ja": "{name}({code}、{region}):最後の協議は{last}({before}に{rounds}回)、"
              "{window}はなし。"},
    "network.text.gap_region": {"en": "{region}: no bilateral round in {window}.",
                                "ja": "{region}:{window}に二国間協議なし。"},
    "network.text.no_partner_gaps": {
        "en": "No partner gap: every partner met in {period} before {window} was met again "
              "in {window}.",
        "ja": "相手の空白なし:{period}のうち{window}より前に協議した相手とは、"
              "すべて{window}にも協議しています。"},
    "network.text.window_covers_period": {
        "en": "The last {gap_years} years ({window}) cover the whole period {period}, so no "
              "partner can have lapsed; widen the period (an earlier start_year) to see "
              "lapsed partners.",
        "ja": "直近{gap_years}年({window})が期間{period}全体を含むため、途絶えた相手は"
              "ありえません。期間を広げる(start_year を早める)と確認できます。"},
    "network.text.no_region_gaps": {
        "en": "Every UN regional group had a bilateral round in {window}.",
        "ja": "{window}には、すべての国連地域グループと二国間協議がありました。"},
    "network.title.timeline": {"en": "Consultations by partner and date",
                               "ja": "協議相手別・日付別の協議"},
    "network.title.network": {"en": "Japan's bilateral consultation partners",
                              "ja": "日本の二国間協議の相手"},
    "network.title.coparticipation": {
        "en": "Co-participation in trilateral and multilateral meetings",
        "ja": "三者・多国間会合での同席関係"},
    "network.title.coverage": {"en": "Regional coverage (UN regional groups)",
                               "ja": "地域別の協議状況(国連地域グループ)"},
    "network.legend.weak": {"en": "Weakly verified (hollow)", "ja": "裏付け不十分(白抜き)"},
    "network.legend.group_formats": {"en": "Trilateral and multilateral formats",
                                     "ja": "三者・多国間の枠組み"},
    "network.legend.node_size": {"en": "Node size = rounds", "ja": "円の大きさ=協議回数"},
    "network.legend.node_size_meetings": {"en": "Node size = meetings attended",
                                          "ja": "円の大きさ=参加した会合の数"},
    "network.legend.all_weak": {"en": "All rounds weakly verified (dashed)",
                                "ja": "すべて裏付け不十分な協議(破線)"},
    "network.legend.colour_region": {"en": "Colour = UN regional group",
                                     "ja": "色=国連地域グループ"},
    "network.legend.bilateral_rounds": {"en": "Bilateral rounds", "ja": "二国間協議の回数"},
    "network.legend.group_participations": {"en": "Participations in group meetings",
                                            "ja": "三者・多国間会合への参加回数"},
    "network.partners.one": {"en": "{n} partner", "ja": "相手{n}か国・機関"},
    "network.partners.many": {"en": "{n} partners", "ja": "相手{n}か国・機関"},
    "network.axis.count": {"en": "Count", "ja": "回数"},
    "network.empty_plot": {"en": "No meetings in the period",
                           "ja": "この期間の会合はありません"},
    "value.track.export_control_seminar": {"en": "Asian Export Control Seminar",
                                           "ja": "アジア輸出管理セミナー"},
    # register coverage (network.register_coverage) and seed counts (seed_count_check)
    "col.network.rows": {"en": "Rows", "ja": "件数"},
    "col.network.mofa_2008_table": {"en": "2008 MOFA table", "ja": "2008年の外務省の表"},
    "col.network.own_page": {"en": "Page of the meeting", "ja": "その会合のページ"},
    "col.network.list_on_other_page": {"en": "Only in a list on another page",
                                       "ja": "他のページの一覧のみ"},
    "col.network.indirect": {"en": "Indirect evidence", "ja": "間接的な根拠"},
    "col.network.report": {"en": "News or third-party report", "ja": "報道・第三者の報告"},
    "col.network.inferred": {"en": "Date, round or counterpart inferred",
                             "ja": "日付・回次・相手を推定"},
    "col.network.completeness": {"en": "Completeness", "ja": "網羅性"},
    "col.network.evidence": {"en": "Rests on", "ja": "根拠"},
    "col.network.fact": {"en": "Fact", "ja": "事実"},
    "col.network.printed_ja": {"en": "As printed", "ja": "原文"},
    "col.network.from_year": {"en": "From", "ja": "開始年"},
    "col.network.as_of_year": {"en": "As of", "ja": "時点"},
    "col.network.value": {"en": "Count in the source", "ja": "出典の回数"},
    "col.network.highest_round": {"en": "Highest round in the register",
                                  "ja": "登録簿の最大の回次"},
    "col.network.meetings": {"en": "Meetings", "ja": "会合"},
    "col.network.verdict": {"en": "Check", "ja": "照合結果"},
    "value.completeness.complete_2008_table": {
        "en": "complete (2008 MOFA table)", "ja": "網羅(2008年の外務省の表)"},
    "value.completeness.minimum": {"en": "a minimum", "ja": "最低限"},
    "value.completeness.undated": {"en": "undated", "ja": "日付不明"},
    "value.evidence.mofa_2008_table": {"en": "2008 MOFA table", "ja": "2008年の外務省の表"},
    "value.evidence.own_page": {"en": "page of the meeting", "ja": "その会合のページ"},
    "value.evidence.list_on_other_page": {"en": "only in a list on another page",
                                          "ja": "他のページの一覧のみ"},
    "value.evidence.indirect": {"en": "indirect evidence", "ja": "間接的な根拠"},
    "value.evidence.report": {"en": "news or third-party report", "ja": "報道・第三者の報告"},
    "value.verdict.consistent": {"en": "consistent", "ja": "整合"},
    "value.verdict.differs": {"en": "differs", "ja": "不一致"},
    "network.text.coverage_complete": {
        "en": "{period}: {rows} rows; complete for the director-general-level bilateral "
              "rounds, which MOFA's 2008 table lists ({table} rows from it).",
        "ja": "{period}:{rows}件。局長級の二国間協議は2008年の外務省の表に基づき網羅"
              "(うち同表の{table}件)。"},
    "network.text.coverage_minimum": {
        "en": "{period}: {rows} rows; a minimum, not a complete register: only the meetings "
              "found in the stored sources ({inferred} with an inferred date, round or "
              "counterpart).",
        "ja": "{period}:{rows}件。網羅的な登録簿ではなく最低限の件数(保存された資料で"
              "確認できた会合のみ。日付・回次・相手を推定したもの{inferred}件)。"},
    "network.text.coverage_undated": {"en": "Undated: {rows} rows.",
                                      "ja": "日付不明:{rows}件。"},
    "network.text.seed_count": {
        "en": "「{printed}」: the source counts {value} ({period}); the register "
              "holds {rows} rows of those years, highest round {round}: {verdict}.",
        "ja": "「{printed}」:出典の回数は{value}回({period}年)。登録簿の同期間の"
              "会合は{rows}件、最大の回次は{round}:{verdict}。"},

    # --- evaluations (notebook 03) -------------------------------------------------------
    "col.eval.cycle_id": {"en": "Cycle", "ja": "評価年度"},
    "col.eval.evaluation_year": {"en": "Evaluation year", "ja": "評価実施年"},
    "col.eval.evaluation_year_ja": {"en": "Year (Japanese era)", "ja": "年度"},
    "col.eval.period_covered_ja": {"en": "Period covered", "ja": "対象期間"},
    "col.eval.document_ja": {"en": "Document", "ja": "文書"},
    "col.eval.policy_name_ja": {"en": "Policy", "ja": "施策・分野"},
    "col.eval.status": {"en": "Status", "ja": "状況"},
    "col.eval.evidence_level": {"en": "Evidence", "ja": "根拠"},
    "col.eval.n_objectives": {"en": "Objectives", "ja": "目標数"},
    "col.eval.n_rated": {"en": "Rated", "ja": "評価あり"},
    "col.eval.objective_no": {"en": "Objective", "ja": "目標"},
    "col.eval.wording": {"en": "Wording", "ja": "文言"},
    "col.eval.wording_ja": {"en": "Wording", "ja": "文言"},
    "col.eval.scale": {"en": "Scale", "ja": "尺度"},
    "col.eval.level": {"en": "Level", "ja": "水準"},
    "col.eval.label": {"en": "Label", "ja": "区分"},
    "col.eval.reason": {"en": "Reason", "ja": "理由"},
    "col.eval.mapping_status": {"en": "Mapping", "ja": "対応"},
    "col.eval.cycles": {"en": "Cycles using it", "ja": "使用した評価年度"},
    "col.eval.ratings": {"en": "Ratings", "ja": "評価"},
    "col.eval.n_ratings": {"en": "Number of ratings", "ja": "評価数"},
    "col.eval.from_cycle": {"en": "From", "ja": "前"},
    "col.eval.to_cycle": {"en": "To", "ja": "後"},
    "col.eval.objective_from": {"en": "Objective (from)", "ja": "目標(前)"},
    "col.eval.objective_to": {"en": "Objective (to)", "ja": "目標(後)"},
    "col.eval.similarity": {"en": "Similarity", "ja": "類似度"},
    "col.eval.basis": {"en": "Matched by", "ja": "対応付け"},
    "col.eval.diff": {"en": "Rewrite", "ja": "書き換え"},
    "col.eval.level_from": {"en": "Level (from)", "ja": "水準(前)"},
    "col.eval.level_to": {"en": "Level (to)", "ja": "水準(後)"},
    "col.eval.transition": {"en": "Transition", "ja": "推移"},
    "col.eval.indicator_id": {"en": "Indicator", "ja": "指標"},
    "col.eval.name": {"en": "Name", "ja": "名称"},
    "col.eval.indicator_type": {"en": "Type", "ja": "種類"},
    "col.eval.reference_period": {"en": "Period", "ja": "期間"},
    "col.eval.target_value": {"en": "Target", "ja": "目標値"},
    "col.eval.actual_value": {"en": "Actual", "ja": "実績値"},
    "col.eval.actual_text": {"en": "Actual (as printed)", "ja": "実績(記載)"},
    "col.eval.unit": {"en": "Unit", "ja": "単位"},
    "col.eval.linked_dataset": {"en": "Linked dataset", "ja": "連結データ"},
    "col.eval.symbol": {"en": "Symbol", "ja": "文書記号"},
    "col.eval.source": {"en": "Source", "ja": "出典"},
    "col.eval.name_ja": {"en": "Name (Japanese)", "ja": "名称"},
    "col.eval.name_en": {"en": "Name (English translation)", "ja": "名称(英訳)"},
    "col.eval.value_source": {"en": "Value from", "ja": "値の出典"},
    "value.mapping.mapped": {"en": "mapped", "ja": "対応あり"},
    "value.mapping.unmapped_no_vocabulary_entry": {"en": "unmapped: no vocabulary entry",
                                                   "ja": "対応なし：語彙表に該当なし"},
    "value.mapping.unmapped_vocabulary_gives_no_level": {
        "en": "unmapped: vocabulary gives no level", "ja": "対応なし：語彙表に水準なし"},
    "value.mapping.unmapped_ambiguous_vocabulary_entries": {
        "en": "unmapped: ambiguous vocabulary entries", "ja": "対応なし：語彙表の候補が競合"},
    "value.mapping.not_rated": {"en": "not rated", "ja": "評価なし"},
    "value.change.unchanged": {"en": "unchanged", "ja": "変更なし"},
    "value.change.rewritten": {"en": "rewritten", "ja": "書き換え"},
    "value.change.dropped": {"en": "dropped", "ja": "削除"},
    "value.change.new": {"en": "new", "ja": "新設"},
    "value.transition.up": {"en": "up", "ja": "上昇"},
    "value.transition.same": {"en": "same", "ja": "変化なし"},
    "value.transition.down": {"en": "down", "ja": "低下"},
    "value.transition.new": {"en": "new", "ja": "新設"},
    "value.transition.dropped": {"en": "dropped", "ja": "削除"},
    "value.transition.unmapped": {"en": "unmapped", "ja": "対応なし"},
    "value.basis.text": {"en": "text", "ja": "文言の類似"},
    "value.basis.number": {"en": "number", "ja": "目標番号"},
    "value.value_source.evaluation_document": {"en": "evaluation document", "ja": "評価書"},
    "value.value_source.text_only": {"en": "text only", "ja": "文章のみ"},
    "value.cycle_status.cycle_only": {"en": "cycle known, no objectives",
                                      "ja": "年度のみ判明、目標なし"},
    "value.cycle_status.plan_only": {"en": "plan only", "ja": "計画のみ"},
    "value.cycle_status.objectives_only": {"en": "objectives only", "ja": "目標のみ"},
    "value.cycle_status.rated": {"en": "rated", "ja": "評価済み"},
    # evaluation coverage per fiscal year (evaluations.coverage_table / coverage_counts)
    "col.eval.fiscal_year": {"en": "Fiscal year", "ja": "年度"},
    "col.eval.coverage_status": {"en": "Evaluation document", "ja": "評価書"},
    "col.eval.judgement_ja": {"en": "Judgement (as printed)", "ja": "評価結果(原文)"},
    "col.eval.n_judgements": {"en": "Judgements", "ja": "評価結果の数"},
    "col.eval.source_url": {"en": "Address", "ja": "所在"},
    "col.eval.searched": {"en": "Searched for with", "ja": "検索語"},
    "col.eval.years": {"en": "Fiscal years", "ja": "年度数"},
    "col.eval.fiscal_years": {"en": "Which years", "ja": "該当年度"},
    "value.coverage.read": {"en": "read",
        "ja": "評価結果確認済み"},
    "value.coverage.found_not_read": {"en": "found, judgement not read",
        "ja": "所在確認（評価結果未確認）"},
    "value.coverage.not_found": {"en": "not found", "ja": "未発見"},
    "eval.text.coverage": {
        "en": "Fiscal years {first}-{last} ({n} years): evaluation read for {read}, found "
              "but its judgement not read for {found}, not found for {missing}.",
        "ja": "{first}〜{last}年度({n}年度):評価結果を確認{read}年度、所在は確認したが"
              "評価結果は未確認{found}年度、未発見{missing}年度。"},
    # the outside view (evaluations.outside_view)
    "col.eval.edition": {"en": "Edition", "ja": "版"},
    "col.eval.covered_from": {"en": "Covers from", "ja": "対象(開始年)"},
    "col.eval.covered_to": {"en": "Covers to", "ja": "対象(終了年)"},
    "col.eval.area": {"en": "Area", "ja": "分野"},
    "col.eval.measure": {"en": "Measure", "ja": "指標の種類"},
    "col.eval.value": {"en": "Value", "ja": "値"},
    "col.eval.maximum": {"en": "Maximum", "ja": "満点"},
    "col.eval.value_as_printed": {"en": "As printed", "ja": "原文の表記"},
    "col.eval.states_assessed": {"en": "States assessed", "ja": "評価対象国"},
    "col.eval.maximum_changed": {"en": "Maximum changed", "ja": "満点の変更"},
    "col.eval.judgements": {"en": "Ministry's judgements", "ja": "外務省の評価結果"},
    "col.eval.levels": {"en": "Common levels", "ja": "共通水準"},
    "value.measure.score": {"en": "score", "ja": "評点"},
    "value.measure.rank": {"en": "rank", "ja": "順位"},
    "value.measure.percent": {"en": "percent of the maximum",
        "ja": "評点率"},
    "value.area.nuclear_disarmament": {"en": "nuclear disarmament", "ja": "核軍縮"},
    "value.area.non_proliferation": {"en": "non-proliferation", "ja": "核不拡散"},
    "value.area.nuclear_security": {"en": "nuclear security", "ja": "核セキュリティ"},
    "eval.text.outside_view": {
        "en": "Hiroshima Report {edition} (covers {covered}), {area}: {measure} {printed}; "
              "ministry's evaluation of those years: {cycle} ({levels}).",
        "ja": "ひろしまレポート{edition}年版({covered}年が対象)、{area}:{measure} {printed}。"
              "同じ年を対象とする外務省の評価:{cycle}({levels})。"},
    "eval.text.outside_view_no_figure": {
        "en": "Hiroshima Report {edition} (covers {covered}), {area}: no figure printed.",
        "ja": "ひろしまレポート{edition}年版({covered}年が対象)、{area}:数値の記載なし。"},
    "eval.text.outside_view_no_cycle": {
        "en": "Hiroshima Report {edition} (covers {covered}), {area}: {measure} {printed}; "
              "no evaluation cycle of the ministry covering those years is in the tables "
              "(see the coverage per fiscal year).",
        "ja": "ひろしまレポート{edition}年版({covered}年が対象)、{area}:{measure} {printed}。"
              "同じ年を対象とする外務省の評価は表にない(年度別の所在を参照)。"},
    "eval.text.no_judgement": {"en": "no judgement found", "ja": "評価結果は見つかっていない"},
    "eval.text.cycles": {
        "en": "{n} cycles, evaluation years {first}-{last}; with judgements: {rated}; "
              "with objectives: {with_objectives}",
        "ja": "評価サイクル{n}件（評価年度 {first}〜{last}年）。評価結果あり{rated}件、"
              "目標あり{with_objectives}件"},
    "eval.text.mapping": {
        "en": "{rows} rows: {levelled} phrases with a level; wording in use: {used}, of which "
              "unmapped: {unmapped} ({judgements} judgements)",
        "ja": "{rows}行：段階の付いた表現{levelled}件。使われている文言{used}件のうち"
              "対応付けなし{unmapped}件（評価{judgements}件）"},
    "eval.text.similarity": {
        "en": "Similarity: cosine over character {ngram}-grams; threshold {threshold}",
        "ja": "類似度：文字{ngram}-gramのコサイン類似度（しきい値 {threshold}）"},
    "eval.text.transitions": {"en": "{transition} {n}", "ja": "{transition}{n}件"},
    "eval.text.transitions_all": {
        "en": "Level transitions of the {total} objectives compared: {items}.",
        "ja": "比較した目標{total}件の水準の推移：{items}。"},
    "eval.text.indicators": {
        "en": "{n} indicators; numeric targets: {targets}; numeric actuals printed: "
              "{actuals}; linked to another dataset: {linked}",
        "ja": "測定指標{n}件。数値の目標{targets}件、数値の実績{actuals}件、"
              "他のデータに結び付く指標{linked}件"},
    "eval.text.no_rated": {"en": "No cycle of the selection has a judgement.",
                           "ja": "選択した評価年度に評価結果はない。"},
    "eval.text.latest": {
        "en": "Latest rated cycle: {cycle} ({year}), {n} objectives with a judgement.",
        "ja": "最新の評価年度：{cycle}（{year}）、評価のある目標{n}件。"},
    "eval.text.objective_level": {"en": "  objective {obj}: level {level} ({status}) — {wording}",
                                  "ja": "  目標{obj}：水準{level}（{status}）— {wording}"},
    "eval.text.objective_unmapped": {"en": "  objective {obj}: no level ({status}) — {wording}",
                                     "ja": "  目標{obj}：水準なし（{status}）— {wording}"},
    "eval.text.linked": {
        "en": "{ind} ({dataset}, {year}): {yes} yes, {no} no, {abstain} abstentions "
              "({symbol}; source: {source}); highest yes count in earlier years: {prior}.",
        "ja": "{ind}（{dataset}、{year}年）：賛成{yes}、反対{no}、棄権{abstain}"
              "（{symbol}、出典：{source}）。それ以前の年の最多賛成数：{prior}。"},
    "eval.text.linked_missing": {"en": "{ind} ({dataset}, {year}): no value ({note}).",
                                 "ja": "{ind}（{dataset}、{year}年）：値なし（{note}）。"},
    "eval.text.no_symbol": {"en": "no symbol", "ja": "文書記号なし"},
    "eval.text.change": {"en": "{a} -> {b}: {counts}", "ja": "{a} → {b}：{counts}"},
    "eval.text.change_count": {"en": "{change} {n}", "ja": "{change}{n}件"},
    "eval.title.heatmap": {"en": "Normalised achievement level by cycle and objective",
                           "ja": "評価年度・目標別の達成水準（共通尺度）"},
    "eval.level_n": {"en": "Level {level}", "ja": "水準{level}"},
    "eval.unmapped": {"en": "unmapped", "ja": "対応なし"},
    "eval.not_rated": {"en": "not rated", "ja": "評価なし"},
    "eval.legend.unmapped": {"en": "unmapped wording (no common level)",
                             "ja": "対応なし（共通尺度に置けない文言）"},
    "eval.legend.not_rated": {"en": "objective without a judgement", "ja": "評価のない目標"},
    "eval.legend.no_objective": {"en": "no such objective in the cycle",
                                 "ja": "その年度にない目標"},
    "eval.empty_cycle": {"en": "no objectives or judgements recorded ({status})",
                         "ja": "目標・評価の記録なし（{status}）"},
    "eval.axis.objective": {"en": "Objective (numbering of each cycle's document)",
                            "ja": "目標（各年度の文書の番号）"},
    "eval.axis.cycle": {"en": "Evaluation cycle", "ja": "評価年度"},
    "eval.title.indicators": {"en": "Indicators: target and actual values",
                              "ja": "測定指標：目標値と実績値"},
    "eval.legend.target": {"en": "Target", "ja": "目標値"},
    "eval.legend.actual": {"en": "Actual (printed in the evaluation)",
                           "ja": "実績値（評価書の記載）"},
    "eval.legend.linked": {"en": "Actual from linked UNGA data (yes votes)",
                           "ja": "実績値（国連総会データの賛成票数）"},
    "eval.axis.value": {"en": "Value (log scale; units differ by row)",
                        "ja": "値（対数目盛、単位は行ごとに異なる）"},
    "eval.no_target": {"en": "no numeric target printed", "ja": "数値目標の記載なし"},
    "eval.no_values": {"en": "no numeric indicator values", "ja": "数値の指標なし"},
    "eval.linked_value": {"en": "{value} yes ({year})", "ja": "賛成{value}（{year}年）"},

    # --- country briefing (notebook 04) -----------------------------------------------------
    "value.group.african": {"en": "African Group", "ja": "アフリカ・グループ"},
    "value.group.asia_pacific": {"en": "Asia-Pacific Group", "ja": "アジア太平洋グループ"},
    "value.group.eastern_european": {"en": "Eastern European Group", "ja": "東欧グループ"},
    "value.group.latin_american_and_caribbean": {
        "en": "Latin American and Caribbean Group (GRULAC)",
        "ja": "ラテンアメリカ・カリブ・グループ（GRULAC）"},
    "value.group.western_european_and_others": {
        "en": "Western European and Others Group (WEOG)", "ja": "西欧その他グループ（WEOG）"},
    "value.vote.absent": {"en": "Absent", "ja": "欠席"},
    "value.vote.not_member": {"en": "Not yet a member", "ja": "国連未加盟"},
    "value.vote.no_record": {"en": "Vote not recorded", "ja": "投票記録なし"},
    "value.vote.adopted_without_vote": {"en": "Adopted without a vote", "ja": "無投票採択"},
    "value.vote_source.record": {"en": "UN per-country record", "ja": "国連の国別投票記録"},
    "value.vote_source.named": {"en": "named in a document", "ja": "文書に国名の記載"},
    "brief.text.date": {"en": "{y:04d}-{m:02d}-{d:02d}", "ja": "{y}年{m}月{d}日"},
    "brief.text.header": {
        "en": "{name} ({code}): UN regional group: {group}; UN member since {admitted}.",
        "ja": "{name}（{code}）：国連地域グループは{group}、{admitted}から国連加盟国。"},
    "brief.text.name_from_iso": {
        "en": " (The name is the ISO 3166 name in this language; the ministry's register "
              "names no such state.)",
        "ja": "（国名はISO 3166の日本語訳。協議登録簿に外務省の表記がない国です。）"},
    "brief.text.group_unknown": {"en": "not in the data", "ja": "データになし"},
    "brief.text.no_group": {"en": "The data hold no UN regional group for this state.",
                            "ja": "この国の国連地域グループはデータにありません。"},
    "brief.text.group": {"en": "UN regional group: {group} ({n} member states in the data).",
                         "ja": "国連地域グループ：{group}（データ上の加盟国数 {n}か国）。"},
    "brief.text.group_note": {"en": "Note in the data: {note}",
                              "ja": "データの注記（英語）：{note}"},
    "brief.text.group_median": {
        "en": "{period}: median coincidence with Japan of the {group}: {median:.2f} "
              "({name}: {value:.2f}).",
        "ja": "{period}：{group}の日本との投票一致度の中央値は{median:.2f}"
              "（{name}は{value:.2f}）。"},
    "brief.text.no_changes": {
        "en": "No change of vote on the followed resolutions in the period.",
        "ja": "対象期間中、これらの決議への投票態度の変化はありません。"},
    "brief.text.n_changes": {"en": "Changes of vote: {n}", "ja": "投票態度の変化：{n}件"},
    "brief.text.change": {"en": "{family}: {previous} in {previous_year}, {vote} in {year}",
                          "ja": "{family}：{previous_year}年の{previous}から{year}年に{vote}へ"},
    "brief.text.votes_basis": {
        "en": "Votes: the UN per-country record (bundled roll calls, {first}-{last}); for "
              "later sessions the data name no vote of this state.",
        "ja": "投票データ：国連の国別投票記録（同梱の記録投票、{first}～{last}年）。"
              "それ以降の会期について、この国の投票を記したデータはありません。"},
    "brief.text.votes_basis_named": {
        "en": "Votes: the UN per-country record (bundled roll calls, {first}-{last}); later "
              "sessions where a document names the state's vote: {named}.",
        "ja": "投票データ：国連の国別投票記録（同梱の記録投票、{first}～{last}年）。"
              "それ以降は、文書に国名と投票の記載がある会期のみ（{named}回総会）。"},
    "brief.text.period_year": {"en": "{year}", "ja": "{year}年"},
    "brief.text.period_session": {"en": "Session {session} ({year})",
                                  "ja": "第{session}回総会（{year}年）"},
    "brief.text.position": {
        "en": "{period}: {name} {value:.2f} ({index}, over {n} votes); rank {rank} of "
              "{n_states} states (1 = closest to Japan), closer to Japan than {below:.0%} "
              "of the others; median of all states {median:.2f}.",
        "ja": "{period}：{name}は{value:.2f}（{index}、対象{n}票）。{n_states}か国中"
              "{rank}位（1位が日本に最も近い）で、他国の{below:.0%}より日本に近い。"
              "全加盟国の中央値は{median:.2f}。"},
    "brief.text.no_coincidence": {
        "en": "{name} shares no arms-control vote with Japan in the chosen years.",
        "ja": "選んだ年には、{name}と日本が共に投票した軍縮関連決議はありません。"},
    "brief.text.japan_itself": {
        "en": "This briefing is on Japan itself: its coincidence with Japan is not computed.",
        "ja": "対象国が日本のため、日本との投票一致度は算出しません。"},
    "brief.text.consultations": {
        "en": "Meetings with {name} in the register: {n} ({bilateral} bilateral, {group} "
              "trilateral or multilateral); the register's dated meetings run {first}-{last} "
              "and after 2007 it is a minimum, not a complete list.",
        "ja": "登録簿にある{name}との会合：{n}件（二国間{bilateral}件、三者・多国間{group}件）。"
              "登録簿の対象は{first}～{last}年で、2008年以降は網羅的ではなく確認できた会合のみ。"},
    "brief.text.no_consultations": {
        "en": "No consultation with {name} in the register (dated meetings {first}-{last}; "
              "after 2007 the register is a minimum, not a complete list).",
        "ja": "登録簿に{name}との協議はありません（登録簿の対象は{first}～{last}年。"
              "2008年以降は網羅的ではありません）。"},
    "brief.text.weak": {"en": "weak", "ja": "弱い"},
    "brief.text.undated": {"en": "undated", "ja": "日付不明"},
    "col.brief.family": {"en": "Resolution", "ja": "決議"},
    "col.brief.sessions": {"en": "Sessions with a position", "ja": "態度の判明した会期"},
    "col.brief.absent": {"en": "Absent", "ja": "欠席"},
    "col.brief.latest": {"en": "Latest position", "ja": "直近の投票"},
    "col.brief.previous_year": {"en": "From (year)", "ja": "変化前（年）"},
    "col.brief.previous_vote": {"en": "Previous vote", "ja": "変化前の投票"},
    "col.brief.vote": {"en": "Vote", "ja": "投票"},
    "col.brief.meeting": {"en": "Meeting", "ja": "会合"},
    "col.brief.format": {"en": "Format", "ja": "形式"},
    "col.brief.city": {"en": "City", "ja": "開催地"},
    "col.brief.level": {"en": "Level (as recorded)", "ja": "レベル"},
    "col.brief.others": {"en": "Other participants", "ja": "他の参加国・機関"},
    "col.brief.weak": {"en": "Weakly verified", "ja": "裏付け不十分"},
    "col.brief.value": {"en": "Coincidence", "ja": "一致度"},
    "col.brief.median": {"en": "Median, all states", "ja": "全加盟国の中央値"},
    "col.brief.rank": {"en": "Rank", "ja": "順位"},
    "col.brief.n_states": {"en": "States", "ja": "国数"},
    "col.brief.below": {"en": "Closer to Japan than (% of states)",
                        "ja": "日本により近い（他国に対する割合、%）"},
    "col.brief.period": {"en": "Period", "ja": "期間"},
    "brief.title.votes": {"en": "{name}: votes on the resolutions Japan follows",
                          "ja": "{name}の投票態度：日本が注目する決議"},
    "brief.title.coincidence": {"en": "{name}: coincidence with Japan on arms-control votes",
                                "ja": "{name}と日本の投票一致度（軍縮関連決議）"},
    "brief.legend.median": {"en": "Median of all states", "ja": "全加盟国の中央値"},
    "brief.legend.iqr": {"en": "Middle half of all states (25th-75th percentile)",
                         "ja": "全加盟国の中間50%（25～75パーセンタイル）"},
    "brief.legend.group_median": {"en": "Median of its regional group",
                                  "ja": "所属地域グループの中央値"},
    "brief.axis.year": {"en": "Year", "ja": "年"},
    "brief.axis.session_year": {"en": "Year the session opened", "ja": "会期の開始年"},
    "brief.empty_plot": {"en": "No vote in the chosen years", "ja": "選んだ年の投票はありません"},

    # --- overview (notebook 00) ------------------------------------------------------------
    "overview.title.unga": {"en": "UNGA support: {name}", "ja": "国連総会での支持：{name}"},
    "overview.title.rounds": {"en": "Consultation rounds per year", "ja": "年別の協議回数"},
    "overview.title.ratings": {"en": "Ratings, {cycle} evaluation", "ja": "{cycle} 評価の判定"},
    "overview.axis.share": {"en": "Support share (%)", "ja": "賛成率（%）"},
    "overview.axis.level": {"en": "Common level (1-5)", "ja": "共通水準（1〜5）"},
    "overview.legend.bilateral": {"en": "Bilateral", "ja": "二国間"},
    "overview.legend.group": {"en": "Group meetings",
        "ja": "三者・多国間会合"},
    "overview.no_level": {"en": "no level", "ja": "水準なし"},
    "overview.text.trend": {
        "en": "; trend over the last {n} counted sessions: {trend:+.2f} points a year",
        "ja": "。直近{n}会期の傾向：年{trend:+.2f}ポイント"},
    "overview.text.votes": {
        "en": "Latest counted session {year}: {yes} yes, {no} no, {abstain} abstentions "
              "(support {share:.1f}%){trend}.",
        "ja": "直近の集計会期（{year}年）：賛成{yes}、反対{no}、棄権{abstain}"
              "（賛成率{share:.1f}%）{trend}。"},
    "overview.text.consultations": {
        "en": "{start}-{end}: {rounds} bilateral rounds with {partners} partners ({weak} "
              "weakly verified); regional groups with no round: {regions}.",
        "ja": "{start}〜{end}年：二国間協議{rounds}回、相手{partners}か国・機関"
              "（うち裏付け不十分のもの{weak}回）。協議のない地域グループ：{regions}。"},
    "overview.text.ratings": {
        "en": "Latest rated cycle {cycle} ({year}): {objectives} objectives, {mapped} "
              "placed on the common scale, {unmapped} unmapped.",
        "ja": "直近の政策評価（{cycle}、{year}年）：目標{objectives}件のうち共通尺度に対応"
              "{mapped}件、対応なし{unmapped}件。"},
    # the report site (analysis.site): header, front page, run log
    "site.name": {"en": "Disarmament diplomacy notebooks", "ja": "軍縮・不拡散外交ノートブック"},
    "site.nav_aria": {"en": "Pages of this report", "ja": "このレポートのページ"},
    "site.switch": {"en": "English", "ja": "日本語"},
    "site.badge": {"en": "EN", "ja": "日本語"},
    "site.figure_alt": {"en": "A figure of the page {page}", "ja": "「{page}」の図"},
    "site.nav.index": {"en": "Front page", "ja": "トップ"},
    "site.nav.log": {"en": "Run log", "ja": "実行記録"},
    "site.nav.00_overview": {"en": "Overview", "ja": "概観"},
    "site.nav.01_unga_votes": {"en": "UN General Assembly votes", "ja": "国連総会の投票"},
    "site.nav.02_consultation_network": {"en": "Consultations", "ja": "軍縮・不拡散協議"},
    "site.nav.03_evaluation_ratings": {"en": "Evaluation ratings", "ja": "政策評価"},
    "site.nav.04_country_briefing": {"en": "Country briefing", "ja": "国別ブリーフィング"},
    "site.answers.00_overview": {
        "en": "The headline figures of the three areas side by side, for the chosen "
              "resolution family and period.",
        "ja": "選んだ決議群と期間について、三つの分野の主な数字を並べて示します。"},
    "site.answers.01_unga_votes": {
        "en": "How support for the resolution family moved from session to session, who "
              "voted no or abstained, and how closely states vote with each other.",
        "ja": "決議群への支持が会期ごとにどう推移したか、反対・棄権した国はどこか、"
              "各国の投票がどれだけ一致しているかを示します。"},
    "site.answers.02_consultation_network": {
        "en": "Whom Japan consults on disarmament and non-proliferation, where and how "
              "often, and which regions and partners go without consultations.",
        "ja": "日本が軍縮・不拡散について、どの国・機関と、どこで、どの程度協議してきたか、"
              "協議のない地域や相手はどこかを示します。"},
    "site.answers.03_evaluation_ratings": {
        "en": "How the ministry rated the achievement of its objectives in each evaluation "
              "cycle, on one scale, and how the objectives were rewritten.",
        "ja": "外務省の政策評価が各評価サイクルで目標の達成度をどう判定したかを共通の尺度で"
              "比べ、目標の書き換えをたどります。"},
    "site.answers.04_country_briefing": {
        "en": "One page on a partner state before a consultation: its votes, its voting "
              "coincidence with Japan and Japan's consultations with it.",
        "ja": "協議の前に相手国を一枚で把握するための資料です。投票行動、日本との投票一致率、"
              "日本との協議の記録をまとめます。"},
    "site.front.title": {"en": "Disarmament diplomacy: the report",
                         "ja": "軍縮・不拡散外交レポート"},
    "site.front.lead": {
        "en": "UN General Assembly votes, Japan's disarmament and non-proliferation "
              "consultations, and the ministry's policy evaluations, computed from the "
              "bundled public records.",
        "ja": "国連総会の投票、日本の軍縮・不拡散協議、外務省の政策評価を、"
              "同梱の公開資料から集計しました。"},
    "site.front.headlines": {"en": "Headline figures",
        "ja": "主要な数値"},
    "site.front.pages": {"en": "The pages of this report", "ja": "このレポートの各ページ"},
    "site.front.open": {"en": "Open the page", "ja": "ページを開く"},
    "site.front.failed": {"en": "This page could not be made in this run: {error}",
                          "ja": "この実行ではこのページを作成できませんでした：{error}"},
    "site.front.no_figure": {"en": "No figure in this run.", "ja": "この実行では図がありません。"},
    "site.front.about": {"en": "About the data", "ja": "データについて"},
    "site.front.data_date": {"en": "Data as of", "ja": "データの時点"},
    "site.front.data_date_text": {
        "en": "latest UN General Assembly session with a vote: {session}; latest "
              "consultation in the register: {meeting}; latest policy evaluation with "
              "judgements: {cycle}",
        "ja": "投票結果のある最新の国連総会：{session}年／登録簿の最新の協議：{meeting}／"
              "評価結果のある最新の政策評価：{cycle}"},
    "site.front.sources": {"en": "Sources", "ja": "出典"},
    "site.front.sources_text": {
        "en": "Every row of the bundled tables names the public document it comes from; "
              "the data dictionary (data/README.md) describes each table.",
        "ja": "同梱の各表は、行ごとに出典の公開文書を記録しています。各表の説明は"
              "データ辞書（data/README.md）にあります。"},
    "site.front.parameters": {"en": "Parameters of this run", "ja": "この実行のパラメータ"},
    "site.front.other_language": {"en": "This report in English", "ja": "このレポートの日本語版"},
    "site.log.title": {"en": "Run log", "ja": "実行記録"},
    "site.log.summary": {
        "en": "Run {run_id}: status {status}, {n} notebook(s), {seconds:.1f} s. Versions "
              "and data checksums are in run.json.",
        "ja": "実行 {run_id}：状態 {status}、ノートブック{n}件、{seconds:.1f}秒。"
              "バージョンとデータのチェックサムは run.json にあります。"},
    "site.log.notebook": {"en": "Notebook", "ja": "ノートブック"},
    "site.log.status": {"en": "Status", "ja": "状態"},
    "site.log.duration": {"en": "Duration", "ja": "所要時間"},
    "site.log.files": {"en": "Files", "ja": "ファイル"},
    "site.log.parameters": {"en": "Parameters", "ja": "パラメータ"},
    "site.log.checksums": {"en": "Data checksums (sha256)", "ja": "データのチェックサム（sha256）"},
    "site.log.versions": {"en": "Versions", "ja": "バージョン"},
    "value.run_status.ok": {"en": "completed", "ja": "完了"},
    "value.run_status.failed": {"en": "failed", "ja": "失敗"},
    "value.run_status.interrupted": {"en": "interrupted", "ja": "中断"},
    "value.run_status.running": {"en": "running", "ja": "実行中"},
    "site.choose.title": {"en": "Choose a language", "ja": "言語を選択"},
    "brief.index.title": {"en": "Country briefings", "ja": "国別ブリーフィング"},
    "brief.index.summary": {"en": "{n} countries in this run.", "ja": "この実行の対象：{n}か国。"},
    "brief.index.search": {"en": "Search (English or Japanese name, or ISO code):",
                           "ja": "検索（日本語名・英語名・ISOコード）："},
    "brief.index.one_group": {"en": "UN member states", "ja": "国連加盟国"},
    "value.bool.true": {"en": "yes", "ja": "はい"},
    "value.bool.false": {"en": "no", "ja": "いいえ"},
    "table.empty": {"en": "(no row for this selection)",
                    "ja": "（この条件に該当する行はありません）"},
    "table.dash_note": {"en": "—: not in the data (unknown, not applicable or not found).",
                        "ja": "—：データなし（不明、該当なし、または未確認）。"},
    # --- figures that hold up on every family and period (issue 14) ------------------------
    "unga.legend.consensus": {"en": "Adopted without a vote (consensus, green band)",
                              "ja": "無投票採択（コンセンサス、緑の帯）"},
    "unga.legend.gap": {"en": "No figure (gap, hatched band)", "ja": "数値なし（欠落、斜線の帯）"},
    "unga.legend.partial_dotted": {"en": "Partial counts (dotted bar)",
                                   "ja": "票数の一部のみ（点模様の棒）"},
    "unga.text.consensus_short": {"en": "consensus", "ja": "無投票採択"},
    "unga.text.no_counts_plot": {"en": "no session with vote counts in the period",
                                 "ja": "この期間に票数のある会期なし"},
    "overview.text.no_trend": {
        "en": "; {n} counted session(s) in the period, too few to state a trend "
              "(at least {minimum} needed)",
        "ja": "。期間内の集計会期は{n}会期で、傾向を示すには少なすぎる（{minimum}会期以上が必要）"},
    "overview.legend.no_level": {"en": "no common level (unmapped, hatched)",
        "ja": "共通水準なし（対応なし、斜線）"},
    "eval.unit.none": {"en": "unit not given", "ja": "単位の記載なし"},
    "value.indicator_type.achievement_stated": {"en": "achievement stated",
                                                "ja": "達成状況の記述"},
    "value.indicator_type.measurement_qualitative": {"en": "qualitative measure",
                                                     "ja": "定性的な測定指標"},
    "value.indicator_type.input_resource": {"en": "input (resources)", "ja": "投入（資源）"},
    "eval.unit.votes": {"en": "yes votes", "ja": "賛成票"},
    "eval.axis.value_unit": {"en": "Value ({unit})", "ja": "値（{unit}）"},
}

# Per-language typography (not text): how long labels wrap, which year a cycle shows.
_WRAP_BY_WORDS = {"en": True, "ja": False}
_SHOWS_ERA = {"en": False, "ja": True}


def _lang_error(lang: object) -> ParameterError:
    return ParameterError("lang", "one of " + ", ".join(LANGS), lang)


def has(key: str) -> bool:
    """True when ``key`` is in the registry.

    >>> has("col.year"), has("col.nothing")
    (True, False)
    """
    return key in LABELS


def label(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang``. KeyError names a missing key; ParameterError a
    language that is not 'en' or 'ja'."""
    try:
        entry = LABELS[key]
    except KeyError:
        raise KeyError(f"no label {key!r} in analysis.labels.LABELS") from None
    try:
        return entry[lang]
    except (KeyError, TypeError):
        raise _lang_error(lang) from None


def fmt(key: str, lang: str, **kw: Any) -> str:
    """:func:`label` filled in with ``kw`` (:meth:`str.format`).

    >>> fmt("unga.text.change", "ja", year=2020, change=-1.25)
    '2020年: -1.2ポイント'
    """
    return label(key, lang).format(**kw)


def slug(value: object) -> str:
    """The key part of a coded value: lower case, runs of other characters than letters
    and digits turned into one ``_``.

    >>> slug("unmapped: no vocabulary entry"), slug("Asia-Pacific"), slug("NPDI_ministerial")
    ('unmapped_no_vocabulary_entry', 'asia_pacific', 'npdi_ministerial')
    """
    return re.sub(r"[^0-9a-z]+", "_", str(value).lower()).strip("_")


def value_label(value: object, namespace: str, lang: str) -> str:
    """The label of one coded ``value`` of ``namespace`` (e.g. ``value.region``), or the
    value itself as text when the registry has none (data, not a code).

    >>> value_label("Asia-Pacific", "value.region", "ja"), value_label("X", "value.region", "ja")
    ('アジア太平洋', 'X')
    """
    key = f"{namespace}.{slug(value)}"
    return label(key, lang) if key in LABELS else str(value)


def translate_values(values: pd.Series, namespace: str, lang: str) -> pd.Series:
    """``values`` with every coded value of ``namespace`` replaced by its label in
    ``lang``; values without an entry (data) and missing values are kept as they are."""
    if lang not in LANGS:
        raise _lang_error(lang)
    prefix = namespace + "."
    words = {k[len(prefix):]: v[lang] for k, v in LABELS.items() if k.startswith(prefix)}
    out = values.astype("object")
    table = {v: words.get(slug(v), v) for v in pd.unique(out.dropna())}  # distinct codes
    return out.map(table, na_action="ignore")


def header(column: object, lang: str, area: str | None = None) -> object:
    """The header of ``column``: ``col.<area>.<column>``, else ``col.<column>``, else the
    column name unchanged.

    >>> header("status", "ja", "unga"), header("year", "ja", "eval"), header("x", "ja")
    ('状態', '年', 'x')
    """
    if not isinstance(column, str):
        return column
    for key in ((f"col.{area}.{column}",) if area else ()) + (f"col.{column}",):
        if key in LABELS:
            return label(key, lang)
    return column


def display_frame(frame: pd.DataFrame, lang: str, area: str | None = None,
                  values: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` for the reader: coded columns translated (``values`` maps a
    column to its namespace, e.g. ``{"venue": "value.venue"}``), then headers, index and
    column names through :func:`header`.

    >>> f = pd.DataFrame({"venue": ["japan", "abroad"], "weak": [True, False]})
    >>> out = display_frame(f, "ja", "network", {"venue": "value.venue"})
    >>> list(out.columns), out.iloc[0, 0]
    (['開催地', '裏付け不十分'], '日本で開催')
    """
    out = frame.copy()
    for col, namespace in (values or {}).items():
        if col in out.columns:
            out[col] = translate_values(out[col], namespace, lang)
    names = out.index.name, out.columns.name
    out.columns = pd.Index([header(c, lang, area) for c in out.columns])
    out.index.name = header(names[0], lang, area)
    out.columns.name = header(names[1], lang, area)
    return out


#: Unicode FIRST STRONG ISOLATE / POP DIRECTIONAL ISOLATE: around a data value quoted in a
#: sentence, so that :func:`analysis.present.say` can mark its language on the page
ISOLATE = ("\u2068", "\u2069")


def data_text(value: object) -> str:
    """``value`` as text quoted from the data inside a sentence (a source's name, a
    Japanese wording in an English sentence): isolated with :data:`ISOLATE`, which plain
    text does not show and :func:`analysis.present.say` turns into an element carrying
    the value's language.

    >>> data_text("UN press release") == "\u2068UN press release\u2069"
    True
    """
    return f"{ISOLATE[0]}{value}{ISOLATE[1]}"


def plain_text(text: str) -> str:
    """``text`` without the isolates of :func:`data_text`.

    >>> plain_text(data_text("x") + "!")
    'x!'
    """
    return text.replace(ISOLATE[0], "").replace(ISOLATE[1], "")


def other_language(lang: str) -> str:
    """The suite's other language.

    >>> other_language("ja")
    'en'
    """
    if lang not in LANGS:
        raise _lang_error(lang)
    return next(x for x in LANGS if x != lang)


def join(items: Iterable[object], lang: str) -> str:
    """``items`` as text joined by the list separator of ``lang``.

    >>> join(["a", "b"], "en"), join(["a", "b"], "ja")
    ('a, b', 'a、b')
    """
    return label("sep.list", lang).join(map(str, items))


def name_column(lang: str, base: str = "name") -> str:
    """The column holding ``base`` in ``lang`` (``name_en`` / ``name_ja``).

    >>> name_column("ja")
    'name_ja'
    """
    if lang not in LANGS:
        raise _lang_error(lang)
    return f"{base}_{lang}"


def wraps_by_words(lang: str) -> bool:
    """True when long labels of ``lang`` wrap at spaces (English), False when they wrap
    by display width (Japanese)."""
    try:
        return _WRAP_BY_WORDS[lang]
    except KeyError:
        raise _lang_error(lang) from None


def shows_era(lang: str) -> bool:
    """True when a cycle is labelled with its Japanese-era year (Japanese text)."""
    try:
        return _SHOWS_ERA[lang]
    except KeyError:
        raise _lang_error(lang) from None
