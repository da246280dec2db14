"""Statistics report endpoints (CONTRACT §5)."""

from ninja import Router

router = Router(tags=["reports"])
