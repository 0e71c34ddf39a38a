"""``python -m analysis refresh-notebooks``: re-execute notebooks in place (nbval baseline).

The stored outputs of ``notebooks/*.ipynb`` are what ``pytest --nbval`` compares
against. This command runs each notebook top to bottom with its default parameters,
in the notebook's own folder, with the environment's ``python3`` kernel (as nbval
with ``--nbval-current-env`` does), coalescing streams as nbval does, and strips
timing and papermill metadata so the stored files carry no timestamps or paths. Each
notebook stores the kernelspec of that installed kernel, exactly as JupyterLab writes
it, so opening a notebook in JupyterLab does not mark it modified.
Review ``git diff notebooks/`` before committing the result.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat

from .report_config import UsageError, parse_only
from .report_plan import NOTEBOOKS, discover, select_notebooks

KERNEL = "python3"
STRIP_NB_METADATA = ("papermill", "widgets", "execution")


def installed_kernelspec(name: str = KERNEL) -> dict[str, str]:
    """The notebook metadata of this environment's kernel ``name``, as JupyterLab stores it.

    >>> sorted(installed_kernelspec())
    ['display_name', 'language', 'name']
    """
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def clean(nb: Any) -> Any:
    """Remove run-specific metadata (timings, papermill records) from a notebook and store
    the installed kernel's kernelspec."""
    for key in STRIP_NB_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = installed_kernelspec()
    for cell in nb.cells:
        for key in ("execution", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    return nb


def refresh(path: Path, timeout: int = 600) -> None:
    """Execute the notebook at ``path`` in place with its defaults."""
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, coalesce_streams=True)
    client.execute()
    nbformat.write(clean(nb), str(path))


def register(sub: Any) -> None:
    """Add the ``refresh-notebooks`` sub-command."""
    p = sub.add_parser("refresh-notebooks",
                       help="re-execute the notebooks in place (the nbval baseline)",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("--only", help="comma-separated notebook numbers, e.g. 01,03")
    p.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    p.set_defaults(func=_cmd)


def _cmd(args: Any) -> int:
    try:
        chosen = select_notebooks(discover(NOTEBOOKS), parse_only(args.only), "--only")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for nb in chosen:
        print(f"refreshing {nb.name}", file=sys.stderr, flush=True)
        refresh(nb, args.timeout)
    return 0
