"""``python -m analysis``: the suite's command line (see :mod:`analysis.cli`)."""

from .cli import main

if __name__ == "__main__":  # not when a spawned Dask worker imports it
    raise SystemExit(main())
