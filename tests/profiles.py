"""How much generated work the tests do: a small profile by default, the full one with
``--full-profile`` (CI's SQLite pass; docs/testing.md).

Property tests (hypothesis) take their example counts from :func:`examples`, tests over
large generated files their sizes from :func:`size`; both are marked ``large`` so that
``pytest -m large --full-profile`` runs just them, at full size.
"""

from __future__ import annotations

FULL = False  # set by tests/conftest.py's pytest_configure from --full-profile


def examples(full: int, *, small: int | None = None) -> int:
    """Hypothesis ``max_examples``: ``full`` in the full profile, a fifth of it (at least 3) otherwise."""
    return full if FULL else (small if small is not None else max(3, full // 5))


def size(full: int, small: int) -> int:
    """A generated file's or data set's size: ``full`` in the full profile, ``small`` otherwise."""
    return full if FULL else small
