"""National connections: the national public-service portal (DVCQG), VNPost, the population
database. One app in the plugin shape (``base.py``, ``registry.py``, ``contrib/<system>/`` and
``contrib/<system>_sandbox/``); see docs/architecture.md, "A national connection"."""
