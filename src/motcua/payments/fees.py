"""The fee of a dossier: the one function that turns a procedure's fee lines into an amount.

The catalog holds each procedure's fee lines (``catalog.FeeLine``: a name, an amount in
whole đồng and what it is counted ``per``: trang, bản, trường hợp …) or, for an older entry,
a single ``fee_amount``. The amount due is Σ amount × quantity. Quantities are what the
counter officer counted (pages, copies); without them the first line counts once and the
others (the "from the third page on" tiers, extra copies) not at all. An applicant the fee
note exempts (``exempt``, decided by the counter officer) owes nothing. A zero total never
becomes an order (``services.create_order`` answers 409 ``no_fee``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from motcua.catalog.models import Procedure
from motcua.catalog.text import fold
from motcua.errors import InvalidInput

MAX_QUANTITY = 10_000


@dataclass(frozen=True)
class FeeItem:
    name: str
    unit_amount: int
    quantity: int
    per: str
    amount: int

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Fee:
    items: tuple[FeeItem, ...]
    exempt: bool = False

    @property
    def total(self) -> int:
        return 0 if self.exempt else sum(item.amount for item in self.items)

    def lines_json(self) -> list[dict]:
        return [item.as_json() for item in self.items]


def fee_rows(procedure: Procedure) -> list[tuple[str, int, str]]:
    """``(name, amount, per)`` of each fee line of ``procedure`` (a single ``fee_amount`` as one)."""
    lines = list(procedure.fee_lines.all())
    if not lines and procedure.fee_amount:
        return [("Phí, lệ phí", procedure.fee_amount, "")]
    return [(line.name, line.amount, line.per) for line in lines]


#: A dossier's channel as the catalog's ``channel_times`` names it (the national CACHTHUCTHUCHIEN).
CATALOG_CHANNEL = {"direct": "counter", "online": "online", "postal": "post"}


def fee_codes(procedure: Procedure, channel: str = "") -> dict[str, str]:
    """The national code (``MAPHILEPHI``) of each fee of ``procedure``, by its name (folded:
    case and diacritics aside): the fee lines' own codes first, then the fees the national record
    lists for the dossier's ``channel`` (``direct``, ``online``, ``postal``), then for any channel.
    A fee line without a code has none here."""
    codes: dict[str, str] = {}

    def add(name, code) -> None:
        key, code = fold(str(name or "")), str(code or "").strip()
        if key and code and key not in codes:
            codes[key] = code

    for line in procedure.fee_lines.all():
        add(line.name, line.code)
    times = [t for t in (procedure.channel_times or []) if isinstance(t, dict)]
    wanted = CATALOG_CHANNEL.get(channel, "")
    for way in sorted(times, key=lambda t: t.get("channel") != wanted):
        for fee in way.get("fees") or []:
            if isinstance(fee, dict):
                add(fee.get("name"), fee.get("code"))
    return codes


def default_quantities(rows: list) -> list[int]:
    """One of the first line, none of the others (tiers, extra copies)."""
    return [1] + [0] * (len(rows) - 1) if rows else []


def fee_for(procedure: Procedure, quantities: list[int] | None = None, *, exempt: bool = False) -> Fee:
    """The fee of one dossier of ``procedure``.

    ``quantities[i]`` is how many of fee line ``i`` (the order of ``GET /procedures/{code}``'s
    ``fees``) the applicant owes; ``None``: one of the first line, none of the others.
    """
    rows = fee_rows(procedure)
    if quantities is None:
        quantities = default_quantities(rows)
    if len(quantities) != len(rows):
        raise InvalidInput("Số lượng không khớp với các khoản phí của thủ tục.",
                           fields={"quantities": [f"Cần {len(rows)} số, theo thứ tự các khoản phí của thủ tục."]})
    bad = [i for i, q in enumerate(quantities) if not isinstance(q, int) or isinstance(q, bool) or not 0 <= q <= MAX_QUANTITY]
    if bad:
        raise InvalidInput("Số lượng không hợp lệ.",
                           fields={f"quantities.{i}": [f"Số nguyên từ 0 đến {MAX_QUANTITY}."] for i in bad})
    items = tuple(FeeItem(name, amount, q, per, amount * q) for (name, amount, per), q in zip(rows, quantities) if q)
    return Fee(items, exempt=exempt)
