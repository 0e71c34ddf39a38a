"""``python -m analysis``: the suite's command line (see :mod:`analysis.cli`)."""

from .cli import main

raise SystemExit(main())
