"""disarmament-notebooks: analysis package for UNGA votes, consultation networks and
policy-evaluation ratings in arms control, disarmament and non-proliferation.

The notebooks in ``notebooks/`` narrate; this package computes.

>>> from analysis import data
>>> data.load_families()["family"].tolist()[:2]
['ethical_imperatives', 'humanitarian_consequences']
"""

__version__ = "0.1.0"
