"""The command line, run as users run it: ``python -m analysis ...`` in a subprocess
(slow tier), and the parser's names in this process (fast tier)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from analysis import cli
from analysis import data as d
from analysis.tables import TABLES

slow = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "fixtures" / "bad"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != d.ENV_VAR}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def analysis(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run("-m", "analysis", *args, cwd=cwd)


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


@slow
def test_help_lists_the_commands() -> None:
    proc = analysis("--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: python -m analysis")
    for command in ("validate", "report"):
        assert f"    {command} " in proc.stdout
    assert "Exit codes: 0 ok, 1 problems found" in proc.stdout.replace("\n", " ")


@slow
def test_validate_bundled_data_is_clean() -> None:
    proc = analysis("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "OK: every bundled table valid.\n"
    assert proc.stderr == ""


@slow
def test_validate_file_prints_every_problem(tmp_path: Path) -> None:
    shutil.copyfile(BAD / "several_problems.csv", tmp_path / "resolutions.csv")
    proc = analysis("validate", "resolutions.csv", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "resolutions.csv:2:source_kind: expected one of un_official, un_record, "
        "government_official, news, dataset, secondary, found 'rumour'",
        "resolutions.csv:3:japan_vote: expected one of yes, no, abstain, found 'Y'",
        "resolutions.csv:4:date: expected a date YYYY-MM-DD, found '2005-12-32'",
    ]
    assert proc.stderr == "3 problem(s) found in 1 path(s).\n"


@slow
def test_validate_data_dir_prints_problems_of_every_table(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    row = len(d.load_table("resolutions")) + 2
    res = data / TABLES["resolutions"].path
    added = (BAD / "unknown_family.csv").read_text(encoding="utf-8").splitlines()[1]
    res.write_text(res.read_text(encoding="utf-8") + added + "\n", encoding="utf-8")
    shutil.copyfile(BAD / "unknown_counterpart.csv", data / TABLES["meetings"].path)
    shutil.copyfile(BAD / "invalid_iso3.csv", data / TABLES["counterparts"].path)
    # meetings row 2 lists ASEAN;AUS;XYZ;KOR;USA; the replaced counterparts.csv has AUS, XYZ
    proc = analysis("validate", "--data-dir", "data", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "data/consultations/counterparts.csv:3:code: expected an ISO 3166 alpha-3 code, "
        "found 'XYZ'",
        "data/consultations/meetings.csv:2:counterparts: expected codes listed in "
        "consultations/counterparts.csv, found 'ASEAN'",
        "data/consultations/meetings.csv:2:counterparts: expected codes listed in "
        "consultations/counterparts.csv, found 'KOR'",
        "data/consultations/meetings.csv:2:counterparts: expected codes listed in "
        "consultations/counterparts.csv, found 'USA'",
        f"data/unga/resolutions.csv:{row}:family: expected a value present in "
        "unga/families.csv (family), found space_weapons",
    ]
    assert proc.stderr == "5 problem(s) found in every bundled table.\n"
    no_traceback(proc)


@pytest.mark.parametrize("args", [("validate", "--bogus"), ("frobnicate",), ("--bogus",)],
                         ids=["unknown-option", "unknown-command", "unknown-global-option"])
@slow
def test_usage_error_exits_2(args: tuple[str, ...]) -> None:
    proc = analysis(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("usage: python -m analysis")
    assert "python -m analysis" in proc.stderr.splitlines()[-1]
    assert ": error: " in proc.stderr.splitlines()[-1]
    no_traceback(proc)


@slow
def test_bad_files_never_show_a_traceback(tmp_path: Path) -> None:
    """Every bad fixture, named as its table, in one run: exit 1, messages, no traceback."""
    from test_bad_input import CASES

    paths = []
    for case in CASES:
        if case.mode != "load" or not case.expected:
            continue
        folder = tmp_path / Path(case.fixture).stem
        folder.mkdir()
        target = folder / Path(TABLES[case.table].path).name
        shutil.copyfile(BAD / case.fixture, target)
        paths.append(str(target.relative_to(tmp_path)))
    paths.append("no_such_folder/resolutions.csv")
    proc = analysis("validate", *paths, cwd=tmp_path)
    assert proc.returncode == 1
    no_traceback(proc)
    printed = {line.split(":", 1)[0] for line in proc.stdout.splitlines()}
    assert printed == set(paths)
    assert proc.stderr.endswith(f"found in {len(paths)} path(s).\n")


@slow
def test_data_error_from_any_command_is_one_message(tmp_path: Path) -> None:
    """A DataError escaping a sub-command is printed as its lines, exit 1, no traceback."""
    script = (
        "import sys\n"
        "from analysis import cli\n"
        "from analysis.errors import DataError\n"
        "def register(sub):\n"
        "    p = sub.add_parser('boom')\n"
        "    def fail(args):\n"
        "        raise DataError('data/unga/resolutions.csv', 5, 'yes',\n"
        "                        'a non-negative integer', '-3')\n"
        "    p.set_defaults(func=fail)\n"
        "cli._EXTRA_COMMANDS.append(register)\n"
        "sys.exit(cli.main(['boom']))\n"
    )
    proc = run("-c", script, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == ("data/unga/resolutions.csv:5:yes: expected a non-negative integer, "
                           "found -3\n")
    no_traceback(proc)


# --- the program's name, in this process ---------------------------------------------------


def _help(main, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_python_m_analysis_names_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert _help(cli.main, capsys).startswith("usage: python -m analysis [-h] COMMAND")
    assert _help(cli.main, capsys, "report").startswith("usage: python -m analysis report ")


def test_console_script_names_itself(capsys: pytest.CaptureFixture[str]) -> None:
    [script] = entry_points(group="console_scripts", name="disarmament-notebooks")
    main = script.load()
    assert _help(main, capsys).startswith("usage: disarmament-notebooks [-h] COMMAND")
    assert _help(main, capsys, "validate").startswith("usage: disarmament-notebooks validate ")
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("disarmament-notebooks: error: ")
    assert "python -m analysis" not in err


@slow
def test_validate_special_files_in_a_real_process(tmp_path: Path) -> None:
    """Issue 13: /dev/zero once ended in a MemoryError after 5 GB, a FIFO hung validate for
    ever, a symbolic link loop printed a traceback. Now: one line each, exit 1, at once
    (the run's own timeout of 300 s would fail the test long before a hang ends)."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    proc = analysis("validate", "/dev/zero", str(fifo), str(loop))
    no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines == ["/dev/zero: expected a regular file or a folder, found a device",
                     f"{fifo}: expected a regular file or a folder, found a FIFO (named pipe)",
                     f"{loop}: expected a readable file, found a symbolic link loop"]
