"""pytest configuration shared by tests/ and the nbval run over notebooks/.

Test tiers: every test that starts a kernel or a subprocess is marked ``slow``;
``pytest -m "not slow"`` (``make test-fast``) runs the rest. The nbval items of
notebooks/ run a kernel, so they are marked slow here, and a test outside the slow tier
that tries to start a process fails with a message saying so.
"""

from __future__ import annotations

import subprocess

import pytest


def pytest_collectstart(collector):
    """nbval: compare text outputs, not HTML renderings.

    pandas' HTML for a DataFrame changes between pandas versions (teachopencadd #332);
    the text/plain repr of the same frame is compared instead, and the values
    themselves are asserted in tests/. Images are never compared by nbval.
    """
    if getattr(collector, "fspath", None) and str(collector.fspath).endswith(".ipynb"):
        collector.skip_compare += ("text/html", "application/javascript",
                                   "application/vnd.jupyter.widget-view+json")


def pytest_collection_modifyitems(config, items):
    """Every nbval item (a notebook cell run in a kernel) belongs to the slow tier."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_tier_starts_no_process(request, monkeypatch):
    """Outside the slow tier, starting a subprocess (or a kernel) is an error."""
    if request.node.get_closest_marker("slow") is None:
        def refuse(self, args, *_a, **_k):
            raise AssertionError(f"{request.node.nodeid} starts a process ({args!r}); mark "
                                 "it @pytest.mark.slow")

        monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)
    yield
