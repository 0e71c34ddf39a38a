"""Deterministic output files: JSON summaries and graph exports (no plotting here).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     print(write_json({"b": float("nan"), "a": 1}, d, "x").read_text(encoding="utf-8"))
{
  "a": 1,
  "b": null
}
<BLANKLINE>
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["output_path", "write_json", "write_gexf", "write_graphml"]


def output_path(output_dir: str | Path) -> Path:
    """Create and return the output folder."""
    path = Path(output_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean(obj: Any) -> Any:
    """Make ``obj`` JSON-safe: NaN/NA -> None, numpy scalars -> Python, keys -> str."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if obj is None or obj is pd.NA or obj is pd.NaT:
        return None
    if hasattr(obj, "item") and not isinstance(obj, str):
        obj = obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, pd.Timestamp):
        return obj.date().isoformat()
    return obj


def write_json(obj: Any, output_dir: str | Path, name: str) -> Path:
    """Write ``obj`` as sorted, indented UTF-8 JSON ``<output_dir>/<name>.json``."""
    path = output_path(output_dir) / f"{name}.json"
    text = json.dumps(_clean(obj), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# --- graph exports -------------------------------------------------------------------------
def _scalar_graph(graph: nx.Graph) -> nx.Graph:
    """Copy with only str/int/float/bool attribute values (others as str, None dropped)."""
    def clean(data: dict) -> dict:
        out = {}
        for k, v in data.items():
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                continue
            if hasattr(v, "item") and not isinstance(v, str):
                v = v.item()
            out[str(k)] = v if isinstance(v, str | bool | int | float) else str(v)
        return out

    out = graph.__class__()
    out.graph.update(clean(graph.graph))
    out.add_nodes_from((n, clean(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from((u, v, clean(d)) for u, v, d in graph.edges(data=True))
    return out


def write_gexf(graph: nx.Graph, output_dir: str | Path, name: str) -> Path:
    """Write ``<output_dir>/<name>.gexf`` for Gephi: dynamic mode, ``start``/``end`` dates
    on nodes and edges (Gephi's timeline), ``weight`` on edges; return the path.

    >>> import tempfile
    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2, "start": "2006-08-25", "end": "2007-07-26"})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     h = nx.read_gexf(write_gexf(g, d, "net"))
    >>> h["JPN"]["AUS"]["weight"], h.graph["mode"]
    (2.0, 'dynamic')
    """
    path = output_path(output_dir) / f"{name}.gexf"
    scalar = _scalar_graph(graph)
    scalar.graph["mode"] = "dynamic"
    nx.write_gexf(scalar, path, encoding="utf-8", prettyprint=True)
    return path


def write_graphml(graph: nx.Graph, output_dir: str | Path, name: str) -> Path:
    """Write ``<output_dir>/<name>.graphml`` with scalar attributes only; return the path.

    >>> import tempfile
    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2, "cities": "Canberra;Tokyo"})])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     h = nx.read_graphml(write_graphml(g, d, "net"))
    >>> h["JPN"]["AUS"]["weight"], h["JPN"]["AUS"]["cities"]
    (2, 'Canberra;Tokyo')
    """
    path = output_path(output_dir) / f"{name}.graphml"
    nx.write_graphml(_scalar_graph(graph), path, encoding="utf-8", prettyprint=True)
    return path
