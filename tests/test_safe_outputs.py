"""Safe outputs: escaped text in HTML and Markdown, and file modes of downloads and caches.

1. Every string from data or parameters shown through HTML or Markdown is escaped: a
   title, name or note holding ``<script>alert(1)</script>``, ``**bold**`` or
   ``[link](javascript:x)`` must come out as that text -- no element, emphasis or link is
   created. Checked for each function whose output the notebooks display as HTML
   (``evaluations.changes_html``, ``textdiff.diff_html``; the DataFrames of
   ``unga.for_display``, ``evaluations.display_table``, ``network.register_table``, which
   Jupyter and nbconvert render with pandas' escaping ``_repr_html_``), for the helpers
   ``style.html_escape`` / ``style.md_escape`` (Markdown rendered with mistune, the renderer
   of nbconvert), and by an audit of the notebooks' code cells and stored outputs.
2. Downloaded (``analysis.fetch``) and cached (``analysis.votes_cache``) files are written
   to a temporary file beside the target and moved into place with ``os.replace``, with
   the default mode: never wider than the user's umask (0o077 and 0o027 checked), also
   when they replace an older file with wider permissions.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import mistune
import nbformat
import pandas as pd
import pytest

from analysis import data, evaluations, fetch, network, style, textdiff, unga, votes_io
from analysis.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PAYLOADS = ["<script>alert(1)</script>", "**bold**", "[link](javascript:x)"]
PAYLOAD = " ".join(PAYLOADS) + " & \"quoted\" 'text'"
FORBIDDEN_TAGS = {"script", "a", "strong", "em", "b", "i", "img", "iframe", "h1", "h2", "li"}


class _Reader(HTMLParser):
    """Elements, attributes and text of an HTML fragment (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(fragment: str) -> _Reader:
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    return reader


def assert_shown_as_text(fragment: str, texts: list[str], allowed_tags: set[str]) -> None:
    """The rendered fragment shows each of ``texts`` literally and creates no other markup."""
    page = read_html(fragment)
    shown = "".join(page.text)
    for text in texts:
        assert text in shown, (text, shown[:500])
    unexpected = set(page.tags) - allowed_tags
    assert not unexpected, unexpected
    links = [v for k, v in page.attrs if k in ("href", "src", "action", "formaction")]
    assert not any(v and "javascript:" in v.lower() for v in links), page.attrs
    assert "<script" not in fragment.lower()


# --- the helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*PAYLOADS, PAYLOAD])
def test_html_escape_shows_the_text(text: str) -> None:
    out = style.html_escape(text)
    assert_shown_as_text(f"<td>{out}</td>", [text], {"td"})
    assert_shown_as_text(f'<td title="{out}">x</td>', ["x"], {"td"})  # safe in attributes
    assert read_html(f'<td title="{out}">x</td>').attrs == [("title", text)]


@pytest.mark.parametrize("text", [*PAYLOADS, PAYLOAD, "# heading", "1. item", "- item",
                                  "> quote", "a\n\n# b", "`code`", "<b>x</b>", "x_y_z",
                                  "a\\*b", "~~strike~~", "| a | b |"])
def test_md_escape_renders_as_the_same_text(text: str) -> None:
    rendered = mistune.html(style.md_escape(text))
    flat = re.sub(r"\r\n|[\r\n]", " ", text)
    assert_shown_as_text(rendered, [flat], {"p"})
    assert read_html(rendered).tags == ["p"]


def test_unescaped_markdown_would_not_be_safe() -> None:
    """The reason for md_escape: Markdown passes HTML through and makes links."""
    page = read_html(mistune.html("**bold** [link](javascript:x) <script>alert(1)</script>"))
    assert {"script", "a", "strong"} <= set(page.tags)


def test_helpers_take_any_value() -> None:
    assert style.html_escape(None) == style.md_escape(None) == ""
    assert style.md_escape(2024) == "2024"
    assert style.html_escape(1.5) == "1.5"


# --- the functions whose output the notebooks show as HTML ---------------------------------


def test_diff_html_escapes_both_sides() -> None:
    out = textdiff.diff_html(PAYLOAD, PAYLOAD.replace("bold", "bolder") + " <i>new</i>")
    assert_shown_as_text(out, PAYLOADS[:1] + PAYLOADS[2:], {"del", "ins"})
    assert "<i>new</i>" in "".join(read_html(out).text)
    assert "**bold**" in "".join(read_html(textdiff.diff_html(PAYLOAD, PAYLOAD)).text)


def _rating_table(texts: dict[str, str]) -> pd.DataFrame:
    """The bundled rating table with the objective texts of the first two cycles with
    objectives replaced by ``texts[position]`` ('a' for the first, 'b' for the second)."""
    cycles = evaluations.select_cycles(data.load_cycles(),
                                       "arms_control_disarmament_nonproliferation", None)
    objectives = data.load_objectives()
    ids = [c for c in cycles["cycle_id"] if c in set(objectives["cycle_id"])][:2]
    for cid, key in zip(ids, ("a", "b"), strict=True):
        rows = objectives.index[objectives["cycle_id"] == cid]
        objectives.loc[rows, "text_ja"] = [texts[key] + f" {i}" for i in range(len(rows))]
    return evaluations.build_rating_table(cycles, objectives, data.load_ratings(),
                                          data.load_vocabulary())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_changes_html_shows_objective_texts_as_text(lang: str) -> None:
    table = _rating_table({"a": PAYLOAD, "b": PAYLOAD + " revised"})
    changes = evaluations.objective_changes(table)
    out = evaluations.changes_html(changes, lang)
    assert_shown_as_text(out, PAYLOADS, {"table", "thead", "tbody", "tr", "th", "td", "del",
                                         "ins", "span"})


def test_changes_html_escapes_every_cell() -> None:
    changes = pd.DataFrame({
        "from_cycle": [PAYLOADS[0]], "to_cycle": [PAYLOADS[1]], "objective_from": [PAYLOADS[2]],
        "objective_to": [PAYLOAD], "similarity": [0.5], "basis": [PAYLOAD],
        "change": [PAYLOADS[0]], "text_from": [PAYLOAD], "text_to": [None],
        "diff_text": [None], "diff_html": [None],
    })
    out = evaluations.changes_html(changes, "en")
    assert_shown_as_text(out, [*PAYLOADS, PAYLOAD], {"table", "thead", "tbody", "tr", "th",
                                                      "td"})


def frame_html(frame: pd.DataFrame) -> str:
    """What Jupyter (and nbconvert's HTML) shows for a displayed DataFrame."""
    with pd.option_context("display.max_colwidth", None):
        out = frame._repr_html_()
    assert out is not None
    return out


TABLE_TAGS = {"div", "style", "table", "thead", "tbody", "tr", "th", "td"}


def test_for_display_frames_show_titles_as_text() -> None:
    frame = pd.DataFrame({"year": [2024, 2025], "title": [PAYLOAD, PAYLOADS[1]],
                          "symbol": [PAYLOADS[2], "A/RES/79/51"], "status": ["ok", PAYLOADS[0]],
                          "note": [PAYLOADS[0], None]})
    for lang in ("en", "ja"):
        out = frame_html(unga.for_display(frame, lang))
        assert_shown_as_text(out, [*PAYLOADS, PAYLOAD], TABLE_TAGS)


def test_display_table_shows_names_as_text() -> None:
    frame = pd.DataFrame({"cycle_id": [PAYLOADS[0]], "wording_ja": [PAYLOAD],
                          PAYLOADS[1]: [PAYLOADS[2]]})
    out = frame_html(evaluations.display_table(frame, "ja"))
    assert_shown_as_text(out, [*PAYLOADS, PAYLOAD], TABLE_TAGS)


def test_register_table_shows_counterpart_names_and_cities_as_text() -> None:
    register = data.load_consultations()
    counterparts = data.load_counterparts()
    first = register.index[register["year"] == 2006][0]
    code = register.at[first, "counterparts"].split(";")[0]
    register.loc[first, "city"] = PAYLOADS[2]
    for col in ("name_en", "name_ja"):
        counterparts.loc[counterparts["code"] == code, col] = PAYLOAD
    for lang in ("en", "ja"):
        table = network.register_table(register, counterparts, 2006, 2006, lang=lang)
        assert_shown_as_text(frame_html(table), [*PAYLOADS, PAYLOAD], TABLE_TAGS)


# --- audit of the notebooks ------------------------------------------------------------------

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# every call that puts text into HTML or Markdown output, and what it may wrap
RISKY = re.compile(r"\b(Markdown|HTML|Latex|display_html|display_markdown)\s*\(|to_html\s*\("
                   r"|escape\s*=\s*False|\.style\b|_repr_html_")
ALLOWED = {"HTML(ev.changes_html("}  # changes_html escapes every text (tested above)


def test_notebooks_display_markup_only_through_escaping_functions() -> None:
    assert NOTEBOOKS
    for nb_path in NOTEBOOKS:
        nb = nbformat.read(nb_path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for m in RISKY.finditer(cell.source):
                call = cell.source[m.start():m.start() + 40]
                assert any(call.startswith(a) for a in ALLOWED), (
                    f"{nb_path.name} cell {i}: {call!r}: show data through style.html_escape "
                    "or style.md_escape")


def test_package_modules_do_not_switch_escaping_off() -> None:
    for name in ("unga", "network", "evaluations", "textdiff", "overview", "style",
                 "coincidence", "unga_plots", "network_plots", "evaluation_plots", "briefing",
                 "briefing_plots"):
        source = (ROOT / "src" / "analysis" / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"escape\s*=\s*False|\.style\.(format|to_html)|Markdown\(", source), \
            name


def test_stored_notebook_outputs_hold_no_script() -> None:
    for nb_path in NOTEBOOKS:
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                html_out = out.get("data", {}).get("text/html", "")
                text = "".join(html_out) if isinstance(html_out, list) else html_out
                assert "<script" not in text.lower(), nb_path.name
                assert "javascript:" not in text.lower(), nb_path.name


# --- file modes of downloads and caches ------------------------------------------------------


@pytest.fixture(params=[0o077, 0o027], ids=["umask077", "umask027"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def replaces(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, Path, int, bytes | None]]:
    """Record each os.replace: source, target, the source's mode and the target's bytes
    (None when absent) at the moment of the move, then do it."""
    calls: list[tuple[Path, Path, int, bytes | None]] = []
    real = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        s, t = Path(src), Path(dst)
        calls.append((s, t, mode(s), t.read_bytes() if t.exists() else None))
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    return calls


def test_download_is_atomic_and_keeps_the_umask(tmp_path: Path, umask: int,
                                                replaces: list) -> None:
    source = tmp_path / "src" / "2026_02_06_ga_voting.csv"
    source.parent.mkdir()
    shutil.copyfile(FIXTURES / "undl" / "undl_2026.csv", source)
    dest = tmp_path / "cache" / "downloads"  # both folders are created
    saved = fetch.fetch_undl(source.as_uri(), dest, min_bytes=1000)
    assert saved == dest / source.name
    assert saved.read_bytes() == source.read_bytes()
    assert mode(saved) == 0o666 & ~umask
    assert mode(dest) == mode(dest.parent) == 0o777 & ~umask
    assert sorted(p.name for p in dest.iterdir()) == [source.name]  # no temporary left
    [(tmp, target, tmp_mode, before)] = replaces
    assert target == saved and tmp.parent == dest and tmp.name.startswith(".")
    assert tmp_mode == 0o666 & ~umask and before is None


def test_download_replacing_a_wider_file_does_not_keep_its_mode(tmp_path: Path, umask: int,
                                                                replaces: list) -> None:
    source = tmp_path / "ga_voting.csv"
    shutil.copyfile(FIXTURES / "undl" / "undl_2026.csv", source)
    dest = tmp_path / "dest"
    dest.mkdir()
    old = dest / "ga_voting.csv"
    old.write_bytes(b"an earlier download\n")
    old.chmod(0o666)
    saved = fetch.fetch_undl(source.as_uri(), dest, min_bytes=1000)
    assert saved == old and mode(saved) == 0o666 & ~umask
    [(_, target, _, before)] = replaces
    assert target == old and before == b"an earlier download\n"  # whole until the move


def test_cache_file_is_atomic_and_keeps_the_umask(tmp_path: Path, umask: int,
                                                  replaces: list) -> None:
    source = FIXTURES / "undl" / "undl_2026.csv"
    folder = tmp_path / "cache" / "votes"  # both folders are created
    frame = votes_io.load_votes(source, cache=folder)
    [written] = list(folder.iterdir())
    assert written.suffix == ".parquet"
    assert mode(written) == 0o666 & ~umask
    assert mode(folder) == mode(folder.parent) == 0o777 & ~umask
    [(tmp, target, tmp_mode, before)] = replaces
    assert target == written and tmp.parent == folder and tmp_mode == 0o666 & ~umask
    assert before is None
    pd.testing.assert_frame_equal(votes_io.load_votes(source, cache=folder), frame)
    assert len(replaces) == 1  # read back, not rewritten


def test_rewritten_cache_file_does_not_keep_a_wider_mode(tmp_path: Path, umask: int,
                                                         replaces: list) -> None:
    source = tmp_path / "votes.csv"
    shutil.copyfile(FIXTURES / "undl" / "undl_2026.csv", source)
    folder = tmp_path / "cache"
    votes_io.load_votes(source, cache=folder)
    [written] = list(folder.iterdir())
    written.chmod(0o666)
    source.write_bytes(source.read_bytes() + b"\n")  # a changed source: the cache is rebuilt
    votes_io.load_votes(source, cache=folder)
    assert [p.name for p in folder.iterdir()] == [written.name]
    assert mode(written) == 0o666 & ~umask
    assert len(replaces) == 2


# --- messages printed to a terminal ----------------------------------------------------------


def test_problem_lines_escape_terminal_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "families.csv"
    path.write_bytes(b"family\x1b[2J\x1b[31m,\x07name\n1,2\n")
    lines = [str(p) for p in validate_file(path)]
    assert lines and not any(re.search(r"[\x00-\x1f\x7f-\x9f]", line) for line in lines)
