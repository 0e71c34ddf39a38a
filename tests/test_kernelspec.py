"""Every notebook stores the kernelspec of this environment's own ``python3`` kernel.

JupyterLab rewrites ``metadata.kernelspec`` from the running kernel's spec; a notebook
that stores anything else is marked modified as soon as it is opened. The installed
spec is read as ``jupyter kernelspec list --json`` reads it (in this process).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from analysis.refresh import clean, installed_kernelspec
from analysis.report_plan import NOTEBOOKS, discover


def listed_python3() -> dict[str, str]:
    """What ``jupyter kernelspec list --json`` reports for ``python3``, as notebook metadata."""
    spec = KernelSpecManager().get_all_specs()["python3"]["spec"]
    return {"display_name": spec["display_name"], "language": spec["language"],
            "name": "python3"}


def test_installed_kernelspec_is_the_listed_one() -> None:
    assert installed_kernelspec() == listed_python3()


@pytest.mark.parametrize("path", discover(NOTEBOOKS), ids=lambda p: p.stem)
def test_notebook_stores_the_installed_kernelspec(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert dict(nb.metadata["kernelspec"]) == listed_python3()


def test_refresh_writes_the_installed_kernelspec() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.metadata["papermill"] = {"duration": 1.0}
    clean(nb)
    assert dict(nb.metadata["kernelspec"]) == listed_python3()
    assert "papermill" not in nb.metadata
