"""Times on the API: ISO 8601 in Vietnam's legal time zone (docs/api.md#times: times with an offset)."""

from __future__ import annotations

import datetime as dt

from motcua.worktime.calendar import VN_TZ


def local_iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(VN_TZ).isoformat() if value else None
