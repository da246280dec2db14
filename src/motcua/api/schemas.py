"""Schemas shared by every API module: the docs/api.md error body and bounded dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from motcua import dates


def _in_range(value):
    if not dates.in_range(value):
        raise PydanticCustomError("date_out_of_range", dates.OUT_OF_RANGE)
    return value


Moment = Annotated[dt.datetime, AfterValidator(_in_range)]
"""An ISO 8601 moment in the accepted years (``motcua.dates``); outside them → 422."""
Day = Annotated[dt.date, AfterValidator(_in_range)]
"""A ``YYYY-MM-DD`` date in the accepted years (``motcua.dates``); outside them → 422."""


class ErrorDetail(Schema):
    code: str = Field(..., description="snake_case, e.g. `invalid_input`, `not_found`, `conflict`")
    message: str = Field(..., description="Human text (Vietnamese)")
    fields: dict[str, list[str]] = Field(..., description="For invalid input: the path of each field → its messages")


class ErrorOut(Schema):
    """CONTRACT §2: every error of the API has this body."""

    error: ErrorDetail
