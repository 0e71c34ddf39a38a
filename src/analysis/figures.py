"""``python -m analysis figures``: regenerate the README's figures in ``docs/figures/``.

The figures are drawn by the same package functions the notebooks call, on the bundled
data, so the README never shows a picture the code no longer makes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import matplotlib

FIGURES_DIR = Path(__file__).resolve().parents[2] / "docs" / "figures"


def make_figures(out: Path = FIGURES_DIR, lang: str = "en") -> list[Path]:
    """Draw the README figures into ``out``; return the paths written."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import evaluation_plots, evaluations, network, network_plots, style, unga
    from .bundle import load_bundle
    from .unga_plots import plot_support

    style.setup(lang)
    written = []
    tables = load_bundle()
    tallies = unga.per_country_tallies(tables.votes, tables.resolutions)
    series = unga.family_series(tables.resolutions, tables.vote_counts, "japan_nuclear",
                                tallies=tallies)
    fig = plot_support(series, lang, name=unga.family_names(tables.families,
                                                             "japan_nuclear")[lang])
    written.append(style.save_figure(fig, out, "unga_support"))
    register, counterparts = tables.consultations, tables.counterparts
    graph = network.japan_graph(register, counterparts, 2006, 2007)
    fig = network_plots.draw_network(graph, lang=lang, layout_seed=42)
    written.append(style.save_figure(fig, out, "consultation_network"))
    table = evaluations.rating_table(tables)
    fig = evaluation_plots.plot_level_heatmap(table, tables.cycles, lang=lang)
    written.append(style.save_figure(fig, out, "evaluation_ratings"))
    plt.close("all")
    return written


def register(sub: Any) -> None:
    """Add the ``figures`` sub-command."""
    p = sub.add_parser("figures", help="regenerate the README figures in docs/figures/")
    p.add_argument("--out", default=str(FIGURES_DIR), help="folder (default: docs/figures)")
    p.add_argument("--lang", default="en", choices=["en", "ja"])
    p.set_defaults(func=lambda a: _cmd(a))


def _cmd(args: Any) -> int:
    for path in make_figures(Path(args.out), args.lang):
        print(f"wrote {path.name}", file=sys.stderr)
    return 0
