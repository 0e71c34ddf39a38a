"""Reliability round 2 (issue 13): hostile files, encodings and options.

Every file a user names (data files, ``--data-dir`` tables, ``--config``,
``votes_source``, ``validate`` arguments) goes through :mod:`analysis.csvio`'s opener:
a device, a FIFO, a folder, a symbolic link loop or a huge file without a line end gives
a one-line error at once, with bounded memory. A file mixing UTF-8 and CP932 lines is
refused at the first line that does not decode as the rest. Every option error of
``report`` exits 2 with a bounded one-line message, never a traceback; invisible
characters in messages are shown as escapes.

No test here starts a process (a FIFO's writer is a thread); each call runs under a time
guard, so that a hang fails instead of blocking the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis import cli, csvio, nbparams, report_config, votes_io
from analysis import data as d
from analysis.bundle import load_bundle
from analysis.errors import DataError, visible
from analysis.report_config import UsageError, coerce_cli_value, load_config
from analysis.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
PROPS = settings(max_examples=EXAMPLES, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow, HealthCheck.filter_too_much])


class Hang(BaseException):  # noqa: N818 - no `except Exception` may swallow it
    """A call still running when the guard's time is up."""


@contextlib.contextmanager
def guard(seconds: float = 20) -> Iterator[None]:
    """Fail (interrupting the call) when the body runs longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds:g} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def one_line(text: str, limit: int = 2000) -> None:
    assert "Traceback" not in text
    lines = [x for x in text.splitlines() if x.strip()]
    assert lines and all(len(x) < limit for x in lines), text[:500]


# --- class 1: special and endless files -----------------------------------------------------


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """A device, a FIFO (a thread keeps writing into it once anyone opens it), a folder,
    a symbolic link loop, a huge sparse file with no line end, a path longer than the
    system allows."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer() -> None:  # a FIFO with a writer: an endless stream of bytes
        with contextlib.suppress(OSError):
            fd = os.open(fifo, os.O_WRONLY)  # blocks until a reader opens the FIFO
            with contextlib.suppress(OSError):
                while not stop.is_set():
                    os.write(fd, b"x" * 65536)
            os.close(fd)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as fh:
        fh.write(b"undl_id,ms_vote")  # a header that never ends: 3 GiB without a newline
        fh.truncate(3 * 1024**3)
    yield {"device": Path("/dev/zero"), "fifo": fifo, "folder": folder, "loop": loop,
           "huge": huge, "long": tmp_path / ("x" * 5000 + ".csv")}
    stop.set()
    # release a writer still waiting for a reader: open the FIFO for reading, briefly
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    thread.join(5)


KINDS = ["device", "fifo", "folder", "loop", "huge", "long"]
WORDS = {"device": "a device", "fifo": "a FIFO", "folder": "a directory",
         "loop": "a symbolic link loop", "huge": "", "long": "longer than the system allows"}


@pytest.mark.parametrize("kind", KINDS)
def test_validate_refuses_special_files_in_one_line(kind: str, specials: dict[str, Path],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = specials[kind]
    with guard():
        code = cli.main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    one_line(out + err, 400)
    if kind == "folder":  # a folder is an unvotes folder: its files are missing
        assert "no such file" in out
    elif kind == "huge":
        assert "no line end in the first 1 MiB" in out or "at most 2,048 MiB" in out
    else:
        assert WORDS[kind] in out


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_bundled_table_is_a_problem(kind: str, specials: dict[str, Path],
                                              tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("unvotes"))
    target = data / "unga" / "families.csv"
    target.unlink()
    if kind == "long":
        return  # a table has a fixed name: --data-dir cannot make it too long
    target.symlink_to(specials[kind]) if kind != "loop" else target.symlink_to(target)
    with guard():
        with pytest.raises(DataError) as info:
            d.load_families(data)
        problems = d.validate_all(data)
    message = str(info.value)
    one_line(message, 400)
    assert "families.csv" in message
    assert WORDS[kind] in message or "at most 64 MiB" in message
    assert any("families.csv" in str(p) for p in problems)


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_votes_source_is_a_data_error(kind: str, specials: dict[str, Path]) -> None:
    with guard():
        with pytest.raises(DataError) as info:
            _ = load_bundle(votes_source=specials[kind]).votes
    one_line(str(info.value), 400)


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_config_is_a_usage_error(kind: str, specials: dict[str, Path]) -> None:
    with guard():
        with pytest.raises(UsageError) as info:
            load_config(specials[kind])
    one_line(str(info.value), 500)


def test_open_user_file_never_blocks_on_a_fifo_without_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "lonely"
    os.mkfifo(fifo)
    with guard(5), pytest.raises(DataError, match="a FIFO"):
        csvio.read_bytes(fifo)


def test_reads_are_capped(tmp_path: Path) -> None:
    big = tmp_path / "families.csv"
    with open(big, "wb") as fh:
        fh.write(b"family\n")
        fh.truncate(csvio.MAX_TABLE_BYTES + 1)
    with pytest.raises(DataError, match="expected a file of at most 64 MiB"):
        csvio.read_text(big)
    head = tmp_path / "head.csv"
    head.write_bytes(b"a" * (csvio.MAX_HEADER_BYTES + 10) + b"\nrow\n")
    with pytest.raises(DataError, match="no line end in the first 1 MiB"):
        votes_io.detect_format(head)


# --- class 2: mixed encodings -----------------------------------------------------------------

TEXT = st.text(alphabet="東京核兵器廃絶決議日本提出軍縮ｱｲｳ", min_size=1, max_size=8)
LATIN = st.text(alphabet="CÔTEDIVOIRÉüßñ", min_size=1, max_size=8)


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@PROPS
@given(lines=st.lists(st.one_of(TEXT, LATIN), min_size=1, max_size=8), odd=TEXT,
       at=st.integers(0, 8))
@example(lines=["CÔTE D'IVOIRE"], odd="東京", at=1)
def test_one_cp932_line_in_a_utf8_file_is_refused_at_its_row(lines: list[str], odd: str,
                                                              at: int) -> None:
    at = min(at, len(lines))
    bad = odd.encode("cp932")
    # an ASCII file with one CP932 line is a CP932 file: mixed means UTF-8 text elsewhere
    assume(_not_utf8(bad) and not all(t.isascii() for t in lines))
    rows = [f"{i},{t}".encode() for i, t in enumerate(lines)]
    rows.insert(at, b"x," + bad)
    raw = b"id,name\n" + b"\n".join(rows) + b"\n"
    with pytest.raises(DataError) as info:
        csvio.decode_bytes(raw, "t.csv")
    assert info.value.row == at + 2  # header = row 1
    assert "in one encoding throughout" in info.value.expected
    assert "CP932 (Shift-JIS) among lines of UTF-8 text" in info.value.found


@PROPS
@given(lines=st.lists(TEXT, min_size=2, max_size=8), odd=st.one_of(TEXT, LATIN),
       at=st.integers(0, 8))
def test_one_utf8_line_in_a_cp932_file_is_refused_at_its_row(lines: list[str], odd: str,
                                                              at: int) -> None:
    at = min(at, len(lines))
    rows = [t.encode("cp932") for t in lines]
    assume(all(map(_not_utf8, rows)) and not odd.isascii())
    rows.insert(at, odd.encode("utf-8"))
    raw = b"name\n" + b"\n".join(rows) + b"\n"
    with pytest.raises(DataError) as info:
        csvio.decode_bytes(raw, "t.csv")
    assert info.value.row == at + 2
    assert "a line of UTF-8 text among lines that are not UTF-8" in info.value.found


def test_mixed_votes_file_is_never_loaded_as_mojibake(tmp_path: Path) -> None:
    """The issue's example: CÔTE D'IVOIRE in UTF-8, one row saved in CP932."""
    text = (FIXTURES / "undl" / "undl_2026.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    first = lines[1].replace("AUS,AUSTRALIA", "CIV,CÔTE D'IVOIRE")
    second = lines[2].split(",")
    second[2] = "日本"
    raw = (lines[0] + first).encode() + ",".join(second).encode("cp932") \
        + "".join(lines[3:]).encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    with pytest.raises(DataError) as info:
        votes_io.load_votes(path, cache=False)
    assert info.value.row == 3 and "one encoding throughout" in str(info.value)
    assert [str(p) for p in validate_file(path)] == [str(info.value)]


def test_mixed_bundled_table_names_its_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "unga", data / "unga",
                    ignore=shutil.ignore_patterns("unvotes"))
    fam = data / "unga" / "families.csv"
    lines = fam.read_bytes().split(b"\n")
    lines[2] = lines[2].decode().encode("cp932", errors="replace")
    fam.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError) as info:
        d.load_families(data)
    assert info.value.row == 3


# --- class 3: every option error exits 2 ------------------------------------------------------

NOTEBOOKS = ["--jobs", "1"]


def report(*args: str) -> int:
    """``report`` in this process; argparse errors exit 2 by SystemExit."""
    try:
        with guard(60):
            return cli.main(["report", *args])
    except SystemExit as exc:
        return int(exc.code)


BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
    for i in range(8)) + "runs: {en: {parameters: {lang: *i}}}\n"


@pytest.mark.parametrize(("args", "config", "needle"), [
    (["-p", "focus_countries", "[!!timestamp 2020-01-01]"], None, "a date"),
    (["-p", "focus_countries", "[&a [*a]]"], None, "recursive alias"),
    (["-p", "focus_countries", "[!!set {a}]"], None, "JSON cannot hold"),
    (["-p", "focus_countries", "[" * 5000], None, "nested"),
    (["-p", "layout_seed", "4294967296"], None, "0..4294967295"),
    (["-p", "gap_years", str(10**30)], None, "64 bits"),
    (["-p", "min_rounds", "1e400"], None, "expected int"),
    (["-p", "lang", "x" * 100_000], None, "characters)"),
    (["-p", "votes_source", "x" * 5000], None, "at most 4096 characters"),
    (["-p", "x" * 100_000, "1"], None, "unknown parameter"),
    (["-p", "lang", "en\u200b"], None, "\\u200b"),
    (["--timeout", "nan"], None, "--timeout"),
    (["--timeout", "0"], None, "--timeout"),
    (["--timeout", "inf"], None, "--timeout"),
    (["--timeout", "-5"], None, "--timeout"),
    (["--jobs", "0"], None, "--jobs"),
    (["--jobs", str(10**30)], None, "--jobs"),
    (["--keep", "-1"], None, "--keep"),
    (["--run", "x" * 100_000], None, "no such run"),
    (["--only", "9" * 100_000], None, "no notebook"),
    ([], "folder", "a directory"),
    ([], BOMB, "aliases are expanded"),
    ([], "runs: {en: {parameters: {start_year: 2020-01-01}}}\n", "a date"),
    ([], "runs: {en: {notebooks: []}}\n", "no notebook selected"),
    ([], b"runs:\n  ja:\n    parameters:\n      lang: \x93\xfa\x96\x7b\n", "lang"),
    ([], b"\xff\xfe\x00r", "UTF-16"),
])
def test_option_errors_exit_2_with_a_bounded_message(args: list[str], config: object,
                                                     needle: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    extra: list[str] = []
    if config == "folder":
        extra = ["--config", str(tmp_path)]
    elif isinstance(config, str):
        (tmp_path / "c.yml").write_text(config, encoding="utf-8")
        extra = ["--config", str(tmp_path / "c.yml")]
    elif isinstance(config, bytes):  # a Shift-JIS file from a Windows editor, UTF-16
        (tmp_path / "c.yml").write_bytes(config)
        extra = ["--config", str(tmp_path / "c.yml")]
    code = report(*extra, *args, "--out", str(tmp_path / "reports"))
    err = capsys.readouterr().err
    assert code == 2, err[:500]
    one_line(err, 1000)
    assert needle in err, err[:500]
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


@PROPS
@given(name=st.sampled_from(["lang", "layout_seed", "focus_countries", "start_year",
                             "family", "votes_source", "min_rounds"]),
       value=st.one_of(st.text(max_size=30),
                       st.sampled_from(["nan", "inf", "-inf", "1e400", str(2**64), "[", "{",
                                        "[!!python/name:os.system]", "[*x]", "[&a [*a]]",
                                        "{a: !!binary x}", "[2020-01-01]", "[.nan]"])))
def test_any_parameter_value_exits_2_without_traceback(name: str, value: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    # a parameter no notebook declares keeps every case at exit 2 (nothing ever runs)
    code = report("-p", name, value, "-p", "no_such_parameter", "1",
                  "--out", str(tmp_path / "reports"))
    err = capsys.readouterr().err
    assert code == 2, err[:500]
    one_line(err, 2000)


def test_check_values_bounds_every_number() -> None:
    specs = nbparams.parse_parameters("n = 1  # range: 1..\nf = 0.5\n")
    problems = nbparams.check_values({"n": 2**63, "f": float("inf")}, specs, "00_x.ipynb")
    assert any("64 bits" in p for p in problems)
    assert any("finite" in p for p in problems)
    assert nbparams.check_values({"n": 2**63 - 1, "f": 1e300}, specs, "00_x.ipynb") == []


def test_load_yaml_refuses_a_bomb_before_building_it() -> None:
    names = ["a"] + [f"a{i}" for i in range(6)]
    text = "x: &a [" + ",".join(["1"] * 50) + "]\n" + "".join(
        f"y{i}: &{names[i + 1]} [{', '.join(['*' + names[i]] * 50)}]\n" for i in range(6))
    with guard(5), pytest.raises(ValueError, match="aliases are expanded"):
        report_config.load_yaml(text)


def test_coerce_cli_value_shows_a_bounded_excerpt() -> None:
    with pytest.raises(UsageError) as info:
        coerce_cli_value("[" + "x" * 100_000)
    assert len(str(info.value)) < 400


# --- class 5: invisible characters are shown --------------------------------------------------


@pytest.mark.parametrize("char", ["\ufeff", "\u200b", "\u202e", "\x1b", "\u2028", "\xa0"])
def test_invisible_characters_are_visible_in_problems(char: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = Path("data")
    shutil.copytree(ROOT / "data" / "unga", data / "unga",
                    ignore=shutil.ignore_patterns("unvotes"))
    vc = data / "unga" / "vote_counts.csv"
    lines = vc.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[4] = f"1{char}2"  # the yes column
    lines[1] = ",".join(cells)
    vc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        d.load_vote_counts(data)
    text = str(info.value)
    assert char not in text
    assert visible(char) in text and visible(char).startswith("\\")
