"""The citizen's document store (kho giấy tờ): the papers and results of their own dossiers,
each with its validity, ready to be reused in a later dossier (``services.reuse_document``
refuses a paper past its validity).

Validity comes from the paper's metadata (``valid_until``, ``valid_forever``) as the officer
who digitised it, or issued the result, recorded it: ``permanent``, ``valid`` (until a day),
``expired``, or ``unknown`` when nobody said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from motcua.documents.models import DossierFile
from motcua.worktime.calendar import VN_TZ


class Validity(StrEnum):
    PERMANENT = "permanent"
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


VALIDITY_WORDS = {
    Validity.PERMANENT: "Có hiệu lực vĩnh viễn",
    Validity.VALID: "Còn hiệu lực",
    Validity.EXPIRED: "Hết hiệu lực",
    Validity.UNKNOWN: "Chưa ghi thời hạn hiệu lực",
}


def today() -> dt.date:
    return timezone.now().astimezone(VN_TZ).date()


def paper_facts(record: DossierFile) -> DossierFile:
    """The row whose metadata describes ``record``'s paper: its own when set, else the
    first copy's (a reuse inherits what was recorded when the paper was digitised)."""
    if record.reused_from_id and not _described(record):
        return record.reused_from
    return record


def _described(record: DossierFile) -> bool:
    return bool(record.valid_forever or record.valid_until or record.paper_code or record.issuer or record.issued_on)


def validity(record: DossierFile, on: dt.date | None = None) -> Validity:
    """The paper's validity on day ``on`` (today in Vietnam by default)."""
    facts = paper_facts(record)
    if facts.valid_forever:
        return Validity.PERMANENT
    if facts.valid_until is None:
        return Validity.UNKNOWN
    return Validity.VALID if facts.valid_until >= (on or today()) else Validity.EXPIRED


@dataclass(frozen=True)
class Entry:
    """One paper of the store as the citizen sees it."""

    record: DossierFile
    validity: Validity
    digitised: str | None

    @property
    def validity_words(self) -> str:
        facts = paper_facts(self.record)
        words = VALIDITY_WORDS[self.validity]
        if self.validity in (Validity.VALID, Validity.EXPIRED):
            words += f" (đến {facts.valid_until:%d/%m/%Y})"
        return words

    @property
    def facts(self) -> DossierFile:
        return paper_facts(self.record)


def entries(user) -> list[Entry]:
    """The store of ``user``: every paper and result of their own dossiers, newest first, one
    entry per stored file (the same paper reused in three dossiers is listed once, at its
    latest use)."""
    from motcua.documents.digitisation import status_of
    from motcua.documents.services import my_documents

    seen: set[str] = set()
    found = []
    on = today()
    for record in my_documents(user):
        if record.file.name in seen:
            continue
        seen.add(record.file.name)
        found.append(Entry(record, validity(record, on), status_of(record)))
    return found
