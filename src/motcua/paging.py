"""Counting big lists without reading them: counts stop at ``COUNT_CAP``.

An officer's "all dossiers" list or an API client's unfiltered query can match hundreds of
thousands of rows; an exact ``COUNT(*)`` over them costs more than the page itself. Lists
count up to ``COUNT_CAP`` (shown as "hơn 10.000"), enough to page through 500 pages of 20;
past that the user narrows the list with a filter. Small lists count exactly, as before.
"""

from __future__ import annotations

import math

from django.core.paginator import EmptyPage, Paginator
from django.utils.functional import cached_property

from motcua.errors import NotFound

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


class OpenEndedPaginator:
    """Pages of a list that is never counted (an officer's whole archive): each page reads
    ``per_page + 1`` rows to know whether a next page exists. Template-compatible with
    Django's ``Page`` where it matters (``number``, ``object_list``, ``has_next`` …);
    ``paginator.count`` is None."""

    count = None
    count_capped = False

    def __init__(self, object_list, per_page: int):
        self.object_list = object_list
        self.per_page = per_page

    def page(self, number) -> "OpenEndedPage":
        from django.core.paginator import PageNotAnInteger

        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("page")
        if number < 1:
            raise EmptyPage("page")
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start:start + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("page")
        return OpenEndedPage(rows[: self.per_page], number, len(rows) > self.per_page, self)


class OpenEndedPage:
    def __init__(self, object_list: list, number: int, more: bool, paginator: OpenEndedPaginator):
        self.object_list, self.number, self._more, self.paginator = object_list, number, more, paginator

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# Page numbers for the list endpoints of the API and the JSON lists of the pages (reports,
# inspection): ``?page=`` from 1, ``page_size`` up to 100.
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def paginate(queryset, page: int, page_size: int = DEFAULT_PAGE_SIZE, *, count: int | None = None,
             capped: bool = False) -> tuple[list, dict]:
    """Slice ``queryset``; ``page`` past the last page (when there is one) → 404.

    With ``capped`` the count stops at ``COUNT_CAP`` (big dossier lists): the body
    then says ``"count_capped": true`` and ``count`` is a floor; pages past the cap → 404
    (narrow the list with a filter instead)."""
    is_floor = False
    if count is not None:
        total = count
    elif capped:
        total, is_floor = capped_count(queryset)
    else:
        total = queryset.count()
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        raise NotFound(
            f"Trang {page} không tồn tại (chỉ có {pages} trang).", code="page_out_of_range",
            fields={"page": [f"Từ 1 đến {pages}."]},
        )
    start = (page - 1) * page_size
    items = list(queryset[start:start + page_size])
    meta = {"count": total, "page": page, "pages": pages, "page_size": page_size}
    if capped:
        meta["count_capped"] = is_floor
    return items, meta
