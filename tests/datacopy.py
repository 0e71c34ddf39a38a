"""Test helpers: a temporary copy of the bundled data/ and row appends to its CSVs."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from analysis import data

ROOT = Path(__file__).resolve().parents[1]
AREA = "arms_control_disarmament_nonproliferation"
SYNTHETIC = "synthetic test row"


def copy_data(root: Path) -> Path:
    """Copy the bundled data/ to ``root``/data and return the copy."""
    target = root / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def append_rows(path: Path, rows: list[dict]) -> None:
    """Append ``rows`` (dicts; missing columns empty) to the CSV table at ``path``."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    text = path.read_text(encoding="utf-8-sig")
    with path.open("a", encoding="utf-8", newline="") as fh:
        if not text.endswith("\n"):
            fh.write("\n")
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writerows({k: row.get(k, "") for k in header} for row in rows)


def add_synthetic_cycle(root: Path, objective_1: str) -> Path:
    """A data copy with, by CSV rows only, a rated cycle X30 of two objectives."""
    target = copy_data(root)
    ev_dir = target / "evaluations"
    append_rows(ev_dir / "cycles.csv", [{
        "cycle_id": "X30", "policy_area": AREA, "evaluation_year": "2030",
        "evaluation_year_ja": "令和12年度", "status": "rated", "source": SYNTHETIC}])
    append_rows(ev_dir / "objectives.csv", [
        {"cycle_id": "X30", "objective_no": "1", "source": SYNTHETIC, "text_ja": objective_1},
        {"cycle_id": "X30", "objective_no": "2", "source": SYNTHETIC,
         "text_ja": "宇宙空間における軍備管理の議論に貢献する。"}])
    append_rows(ev_dir / "ratings.csv", [
        {"cycle_id": "X30", "objective_no": "1", "source": SYNTHETIC,
         "wording_ja": "中期目標を概ね達成することができた"},
        {"cycle_id": "X30", "objective_no": "2", "source": SYNTHETIC,
         "wording_ja": "目標超過達成"}])
    assert data.validate_all(target) == []
    return target
