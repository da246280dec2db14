"""Page numbers for list endpoints: ``?page=`` from 1, ``page_size`` up to 100."""

from __future__ import annotations

import math

from motcua.errors import NotFound
from motcua.paging import capped_count

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def paginate(queryset, page: int, page_size: int = DEFAULT_PAGE_SIZE, *, count: int | None = None,
             capped: bool = False) -> tuple[list, dict]:
    """Slice ``queryset``; ``page`` past the last page (when there is one) → 404.

    With ``capped`` the count stops at ``paging.COUNT_CAP`` (big dossier lists): the body
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
