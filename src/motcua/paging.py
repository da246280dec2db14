"""Counting big lists without reading them: counts stop at ``COUNT_CAP``.

An officer's "all dossiers" list or an API client's unfiltered query can match hundreds of
thousands of rows; an exact ``COUNT(*)`` over them costs more than the page itself. Lists
count up to ``COUNT_CAP`` (shown as "hơn 10.000"), enough to page through 500 pages of 20;
past that the user narrows the list with a filter. Small lists count exactly, as before.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def capped_count(queryset, cap: int | None = None) -> tuple[int, bool]:
    """``(count, capped)``: the exact count when it is at most ``cap`` (``COUNT_CAP`` by
    default), else ``(cap, True)``. One ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``: the
    database stops at ``cap + 1`` rows."""
    cap = COUNT_CAP if cap is None else cap
    n = queryset.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


class CappedPaginator(Paginator):
    """Django's paginator over a capped count (``count_capped`` tells when it is a floor)."""

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def count_capped(self) -> bool:
        return self._capped[1]
