"""Specifications of every bundled table (columns, types, allowed values, keys).

The data dictionary in ``data/README.md`` describes the same columns in prose; the
test ``tests/test_tables.py`` checks that every column here is documented there.

>>> TABLES["resolutions"].path
'unga/resolutions.csv'
"""

from __future__ import annotations

from .schema import PARTIAL_DATE, Col, TableSpec

VOTE_VALUES = ("yes", "no", "abstain")
# Source kinds, strongest first: the one ranking of sources used everywhere (the count
# used for a resolution is the strongest source's). "un_record" is a tally of the UN's
# own per-country record (the bundled unvotes rows, or UN Digital Library records), which
# ranks with the UN's own documents above government and news summaries.
SOURCE_RANK: dict[str, int] = {"un_official": 1, "un_record": 1, "government_official": 2,
                               "news": 3, "dataset": 4, "secondary": 5}
SOURCE_KINDS = tuple(SOURCE_RANK)
#: the five UN regional groups, as the tables name them
UN_REGIONAL_GROUPS = ("African", "Asia-Pacific", "Eastern European",
                      "Latin American and Caribbean", "Western European and Others")
FAMILY_PATTERN = r"^[a-z][a-z0-9_]*$"
ISO3_OR_ORG = r"^([A-Z]{3}|EU|NATO|ASEAN)$"
CODES_LIST = r"^([A-Z]{2,5})(;[A-Z]{2,5})*$"
#: what a meeting row rests on (consultations/meetings.csv ``evidence``), strongest first
EVIDENCE_KINDS = ("mofa_2008_table", "own_page", "list_on_other_page", "indirect", "report")
INFERRED_PATTERN = r"^(year|month|day|round|counterpart)(;(year|month|day|round|counterpart))*$"

FAMILIES = TableSpec(
    "families", "unga/families.csv",
    [
        Col("family", required=True, pattern=FAMILY_PATTERN),
        Col("name_en", required=True),
        Col("name_ja", required=True),
        Col("name_ja_basis", required=True,
            allowed=("official", "official_with_addition", "translation")),
        Col("lead_sponsors", pattern=r"^[A-Z]{3}(;[A-Z]{3})*$"),
        Col("source", required=True),
        Col("source_url"),
        Col("note"),
    ],
    key=["family"],
    description="Resolution families: the recurring resolutions the suite follows.",
)

RESOLUTIONS = TableSpec(
    "resolutions", "unga/resolutions.csv",
    [
        Col("resolution_id", required=True, pattern=r"^[a-z][a-z0-9_]*_\d+$"),
        Col("family", required=True, pattern=FAMILY_PATTERN),
        Col("session", "int", required=True, minimum=1),
        Col("year", "int", required=True, minimum=1946),
        Col("date", "date"),
        Col("symbol", pattern=r"^A/RES/(ES-\d+/)?\d+/\d+( [A-Z]{1,2})?$"),
        Col("symbol_status", required=True, allowed=("given", "unverified", "missing")),
        Col("title", required=True),
        Col("adopted_without_vote", "bool"),
        Col("japan_vote", allowed=VOTE_VALUES),
        Col("us_vote", allowed=VOTE_VALUES),
        Col("source", required=True),
        Col("source_detail"),
        Col("source_kind", required=True, allowed=SOURCE_KINDS),
        Col("source_url"),
        Col("other_urls"),
        Col("note"),
    ],
    key=["resolution_id"],
    description="One row per plenary vote (or adoption) of a family's resolution; its "
                "counts live in vote_counts (one row per source).",
)

VOTE_COUNTS = TableSpec(
    "vote_counts", "unga/vote_counts.csv",
    [
        Col("resolution_id", required=True),
        Col("source_id", required=True, pattern=r"^[a-z0-9_]+$"),
        Col("source", required=True),
        Col("source_kind", required=True, allowed=SOURCE_KINDS),
        Col("yes", "int", minimum=0),
        Col("no", "int", minimum=0),
        Col("abstain", "int", minimum=0),
        Col("non_voting", "int", minimum=0),
        Col("source_url"),
        Col("note"),
    ],
    key=["resolution_id", "source_id"],
    description="Plenary counts per source, long form, so disagreements stay visible.",
)

MEMBERSHIP = TableSpec(
    "membership", "unga/membership.csv",
    [
        Col("date_from", "date", required=True),
        Col("members", "int", required=True, minimum=1, maximum=250),
        Col("event"),
        Col("source", required=True),
        Col("source_url"),
    ],
    key=["date_from"],
    description="Number of UN member states from a date on.",
)

MEMBERS = TableSpec(
    "members", "unga/members.csv",
    [
        Col("iso3", required=True, pattern=r"^[A-Z]{3}$"),
        Col("name", required=True),
        Col("admitted", "date", required=True),
        Col("source", required=True),
        Col("source_url", required=True),
    ],
    key=["iso3"],
    description="The UN's member states (ISO 3166 alpha-3) and their admission dates.",
)

CONTINUITY = TableSpec(
    "continuity", "unga/continuity.csv",
    [
        Col("layout", required=True, allowed=("unvotes", "undl")),
        Col("source_code", pattern=r"^[A-Z]{2,3}$"),
        Col("source_name"),
        Col("date_from", "date"),
        Col("date_to", "date"),
        Col("country", required=True, pattern=r"^[A-Z]{3}$"),
        Col("relation", required=True,
            allowed=("same_state", "seat_continued", "historic", "merged_into")),
        Col("note", required=True),
        Col("source", required=True),
        Col("source_url"),
    ],
    key=["layout", "source_code", "source_name", "date_from"],
    description="How a state's code in a voting dataset maps to the project's one code.",
)

NAMED_VOTES = TableSpec(
    "named_votes", "unga/named_votes.csv",
    [
        Col("resolution_id", required=True),
        Col("country", required=True, pattern=r"^[A-Z]{3}$"),
        Col("vote", required=True, allowed=VOTE_VALUES),
        Col("list_complete", "bool", required=True),
        Col("name_as_printed", required=True),
        Col("source", required=True),
        Col("source_kind", required=True, allowed=SOURCE_KINDS),
        Col("source_url", required=True),
        Col("note"),
    ],
    key=["resolution_id", "country", "source"],
    description="States named with their vote in a document, where no per-country record "
                "is bundled (2020 on).",
)

REGIONAL_GROUPS = TableSpec(
    "regional_groups", "unga/regional_groups.csv",
    [
        Col("iso3", required=True, pattern=r"^[A-Z]{3}$"),
        Col("un_regional_group", required=True, allowed=UN_REGIONAL_GROUPS),
        Col("note"),
        Col("source", required=True),
        Col("source_url", required=True),
        Col("corroborating_urls"),
    ],
    key=["iso3"],
    description="The UN regional group of every member state (the group that counts for "
                "elections).",
)

MEETINGS = TableSpec(
    "meetings", "consultations/meetings.csv",
    [
        Col("meeting_id", required=True, pattern=r"^C\d{3,}$"),
        Col("date", pattern=PARTIAL_DATE),
        Col("date_end", "date"),
        Col("date_precision", required=True,
            allowed=("day", "month", "year", "approximate", "unknown")),
        Col("date_note"),
        Col("date_alternative", "date"),
        Col("counterparts", pattern=CODES_LIST),
        Col("counterpart_label_en", required=True),
        Col("participants_complete", "bool", required=True),
        Col("name_ja", required=True),
        Col("name_en", required=True),
        Col("name_en_basis", required=True, allowed=("official", "translation")),
        Col("listed_as"),
        Col("round_no", "int", minimum=1),
        Col("city"),
        Col("host", pattern=r"^([A-Z]{3}|VTC)$"),
        Col("level"),
        Col("japan_rep"),
        Col("counterpart_rep"),
        Col("format", required=True, allowed=("bilateral", "trilateral", "multilateral")),
        Col("track", required=True, allowed=(
            "DNP_bilateral", "US_commission", "US_nonproliferation_dialogue", "EU_troika_WG",
            "EU_dialogue", "ASTOP", "NPDI_ministerial", "NPDI_senior_officials",
            "trilateral_JUA", "NATO_working_level", "export_control_seminar")),
        Col("in_2008_mofa_list", allowed=("yes", "no")),
        Col("verification_status", required=True, allowed=(
            "corroborated", "corroborated_month", "indirect", "not_found", "conflict",
            "counterpart_corrected", "primary", "secondary")),
        Col("verification_detail"),
        Col("evidence", required=True, allowed=EVIDENCE_KINDS),
        Col("inferred", pattern=INFERRED_PATTERN),
        Col("correction_evidence"),
        Col("source", required=True),
        Col("source_url"),
        Col("corroborating_urls"),
        Col("notes"),
    ],
    key=["meeting_id"],
    description="Japan's disarmament and non-proliferation consultations, one row per meeting.",
)

COUNTERPARTS = TableSpec(
    "counterparts", "consultations/counterparts.csv",
    [
        Col("code", required=True, pattern=ISO3_OR_ORG),
        Col("kind", required=True, allowed=("state", "organisation")),
        Col("name_en", required=True),
        Col("name_ja", required=True),
        Col("un_regional_group", allowed=(
            "African", "Asia-Pacific", "Eastern European", "Latin American and Caribbean",
            "Western European and Others")),
        Col("regional_group_note"),
        Col("source_url"),
    ],
    key=["code"],
    description="States and organisations met, with their UN regional group.",
)

CYCLES = TableSpec(
    "cycles", "evaluations/cycles.csv",
    [
        Col("cycle_id", required=True, pattern=r"^[A-Z]\d+$"),
        Col("policy_area", required=True, pattern=FAMILY_PATTERN),
        Col("evaluation_year", "int", required=True, minimum=2000),
        Col("evaluation_year_ja", required=True),
        Col("period_covered_ja"),
        Col("period_start_fy", "int", minimum=1990),
        Col("period_end_fy", "int", minimum=1990),
        Col("document_ja"),
        Col("policy_id"),
        Col("policy_name_ja"),
        Col("parent_policy_ja"),
        Col("status", required=True,
            allowed=("rated", "objectives_only", "plan_only", "cycle_only")),
        Col("evidence_level"),
        Col("source", required=True),
        Col("source_url"),
        Col("notes"),
    ],
    key=["cycle_id"],
    description="Evaluation cycles of the policy area.",
)

OBJECTIVES = TableSpec(
    "objectives", "evaluations/objectives.csv",
    [
        Col("cycle_id", required=True),
        Col("objective_no", required=True),
        Col("text_ja", required=True),
        Col("text_en"),
        Col("text_en_basis", allowed=("official", "translation")),
        Col("source", required=True),
        Col("source_url"),
        Col("notes"),
    ],
    key=["cycle_id", "objective_no"],
    description="Objectives per cycle, as printed, with an English translation marked as such.",
)

RATINGS = TableSpec(
    "ratings", "evaluations/ratings.csv",
    [
        Col("cycle_id", required=True),
        Col("objective_no", required=True),
        Col("wording_ja", required=True),
        Col("judgement_sentence_ja"),
        Col("source", required=True),
        Col("source_url"),
        Col("notes"),
    ],
    key=["cycle_id", "objective_no"],
    description="The judgement of each objective, wording exactly as printed.",
)

VOCABULARY = TableSpec(
    "vocabulary", "evaluations/vocabulary.csv",
    [
        Col("wording_ja", required=True),
        Col("scale", required=True, pattern=FAMILY_PATTERN),
        Col("level", "int", minimum=1, maximum=5),
        Col("level_label_en"),
        Col("reason", required=True),
        Col("source_url"),
    ],
    key=["wording_ja"],
    description="Each era's judgement wording mapped to the common ordinal level 1-5.",
)

INDICATORS = TableSpec(
    "indicators", "evaluations/indicators.csv",
    [
        Col("indicator_id", required=True),
        Col("cycle_id", required=True),
        Col("objective_no"),
        Col("name_ja", required=True),
        Col("name_en"),
        Col("indicator_type", required=True),
        Col("reference_period"),
        Col("target_value", "float"),
        Col("actual_value", "float"),
        Col("actual_text"),
        Col("unit"),
        Col("linked_dataset", pattern=r"^unga:[a-z][a-z0-9_]*$"),
        Col("linked_years", pattern=r"^\d{4}([;-]\d{4})*$"),
        Col("source_kind", required=True),
        Col("source", required=True),
        Col("source_url"),
        Col("notes"),
    ],
    key=["indicator_id"],
    description="Measurement indicators of the evaluations: target vs actual where numeric.",
)

SEED_COUNTS = TableSpec(
    "seed_counts", "consultations/seed_counts.csv",
    [
        Col("fact", required=True, pattern=FAMILY_PATTERN),
        Col("printed_ja", required=True),
        Col("track", required=True, allowed=MEETINGS.col("track").allowed),
        Col("city"),
        Col("from_year", "int", required=True, minimum=1946),
        Col("as_of_year", "int", required=True, minimum=1946),
        Col("as_of_note", required=True),
        Col("value", "int", required=True, minimum=0),
        Col("source", required=True),
        Col("source_url"),
        Col("note"),
    ],
    key=["fact"],
    description="Counts of meetings stated by a source, checked against the register.",
)

COVERAGE_STATUSES = ("read", "found_not_read", "not_found")

EVALUATION_COVERAGE = TableSpec(
    "evaluation_coverage", "evaluations/coverage.csv",
    [
        Col("fiscal_year", "int", required=True, minimum=2000),
        Col("evaluation_year_ja", required=True),
        Col("cycle_id"),
        Col("objective_no"),
        Col("status", required=True, allowed=COVERAGE_STATUSES),
        Col("document_ja"),
        Col("judgement_ja"),
        Col("source", required=True),
        Col("source_url"),
        Col("searched"),
        Col("note"),
    ],
    key=["fiscal_year", "objective_no"],
    description="What is known of the ministry's evaluation of the policy area in each "
                "fiscal year: read, found but not read, or not found (with the searches).",
)

HIROSHIMA_AREAS = ("nuclear_disarmament", "non_proliferation", "nuclear_security")
HIROSHIMA_MEASURES = ("score", "rank", "percent")

HIROSHIMA_REPORT = TableSpec(
    "hiroshima_report", "evaluations/hiroshima_report.csv",
    [
        Col("edition", "int", required=True, minimum=2000),
        Col("covered_from", "int", required=True, minimum=2000),
        Col("covered_to", "int", required=True, minimum=2000),
        Col("area", required=True, allowed=HIROSHIMA_AREAS),
        Col("measure", allowed=HIROSHIMA_MEASURES),
        Col("value", "float", minimum=0),
        Col("maximum", "float", minimum=0),
        Col("value_as_printed"),
        Col("states_assessed"),
        Col("source", required=True),
        Col("source_url"),
        Col("note"),
    ],
    key=["edition", "area", "measure"],
    description="Japan's figures in the Hiroshima Report editions (an outside view), "
                "as printed.",
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (FAMILIES, RESOLUTIONS, VOTE_COUNTS, MEMBERSHIP, MEMBERS, CONTINUITY, NAMED_VOTES,
              REGIONAL_GROUPS,
              MEETINGS, COUNTERPARTS, SEED_COUNTS, CYCLES,
              OBJECTIVES, RATINGS, VOCABULARY, INDICATORS, EVALUATION_COVERAGE,
              HIROSHIMA_REPORT)
}
