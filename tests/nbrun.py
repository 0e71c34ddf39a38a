"""Test helpers of the notebook tests: execute a notebook of the suite with papermill, and
the text its outputs show."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(notebook: Path, out: Path, **parameters) -> tuple[dict, nbformat.NotebookNode]:
    """Execute ``notebook`` into ``out`` (its ``output_dir``) and return the JSON summary
    it writes (``<stem>.json``) and the executed notebook."""
    import papermill

    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{notebook.stem}.ipynb"
    papermill.execute_notebook(str(notebook), str(executed), kernel_name="python3",
                               cwd=str(NOTEBOOKS), progress_bar=False,
                               parameters={"output_dir": str(out), **parameters})
    summary = json.loads((out / f"{notebook.stem}.json").read_text(encoding="utf-8"))
    return summary, nbformat.read(executed, as_version=4)


def text_outputs(nb: nbformat.NotebookNode, *, html: bool = False) -> str:
    """The text of ``nb``'s outputs, one part a line: every stream, and the text/plain of
    every displayed value (with ``html``, its text/html before it)."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            elif "data" in output:
                if html:
                    parts.append(output["data"].get("text/html", ""))
                parts.append(output["data"].get("text/plain", ""))
    return "\n".join(parts)


def errors(nb: nbformat.NotebookNode) -> list[dict]:
    """The error outputs of ``nb``."""
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
