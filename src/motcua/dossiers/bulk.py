"""Writers of many dossiers with one statement (the importer's ``INSERT … SELECT``) and what must
keep up with them: an app above the dossiers whose tables follow every dossier row (the reports'
per-day counters, kept by triggers a row) registers here in its ready() what it reads of a
dossier and how it adds a whole batch at once. The dossiers never import those apps (issue 22 §4).
"""

from __future__ import annotations

import contextlib
from typing import Callable, ContextManager

# (the columns of a dossier the follower reads, its context manager around a bulk insert)
_FOLLOWERS: list[tuple[tuple[str, ...], Callable[..., ContextManager]]] = []


def register(columns: tuple[str, ...], inserting_in_bulk: Callable[..., ContextManager]) -> None:
    """``inserting_in_bulk(cursor, dossiers)``: ``dossiers`` is the SQL of a FROM item naming the
    rows inserted inside ``d``, with (at least) ``columns``."""
    if all(follower is not inserting_in_bulk for _, follower in _FOLLOWERS):
        _FOLLOWERS.append((tuple(columns), inserting_in_bulk))


def read_columns() -> tuple[str, ...]:
    """Every column some follower reads, each once, in the order they were registered."""
    return tuple(dict.fromkeys(c for columns, _ in _FOLLOWERS for c in columns))


@contextlib.contextmanager
def inserting_in_bulk(cursor, dossiers: str):
    """Inside, the writer inserts the rows ``dossiers`` reads; every follower's own context
    is entered around it (in its transaction: see each follower)."""
    with contextlib.ExitStack() as stack:
        for _, follower in _FOLLOWERS:
            stack.enter_context(follower(cursor, dossiers))
        yield
