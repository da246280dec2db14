"""Page numbers for list endpoints: ``?page=`` from 1, ``page_size`` up to 100."""

from __future__ import annotations

import math

from motcua.errors import NotFound

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def paginate(queryset, page: int, page_size: int = DEFAULT_PAGE_SIZE, *, count: int | None = None) -> tuple[list, dict]:
    """Slice ``queryset``; ``page`` past the last page (when there is one) → 404."""
    total = queryset.count() if count is None else count
    pages = max(1, math.ceil(total / page_size))
    if page > pages:
        raise NotFound(
            f"Trang {page} không tồn tại (chỉ có {pages} trang).", code="page_out_of_range",
            fields={"page": [f"Từ 1 đến {pages}."]},
        )
    start = (page - 1) * page_size
    items = list(queryset[start:start + page_size])
    return items, {"count": total, "page": page, "pages": pages, "page_size": page_size}
