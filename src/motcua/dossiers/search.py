"""What a staff member's search words find among dossiers: the one condition the office's
search box (``office.views.home``, ``?q=``) and the API's ``GET /dossiers?q=`` both filter with
(issue 22 §3), always inside the caller's scope (``dossiers.scope``), never instead of it.

A dossier matches when the words are
* part of its code (any case): ``YT-2612``;
* its procedure's code: ``1.004873``;
* part of its procedure's name, without case or diacritics: ``tinh trang hon nhan``;
* part of its applicant's name (any case);
* its applicant's ID number, however separated: ``015 190 000 456``;
* its applicant's phone in any spelling: ``+84 987 654 321`` finds ``0987654321``
  (``identifiers.canonical_phone``, the one spelling stored).
"""

from __future__ import annotations

from django.db.models import Q

from motcua.catalog.text import fold
from motcua.identifiers import canonical_phone, normalise_id_number

MAX_LENGTH = 100  # what a search box or ``q`` keeps of the words


def search_q(words: str) -> Q:
    """The condition on ``Dossier`` for ``words`` (stripped, cut to :data:`MAX_LENGTH`);
    empty words match every dossier (no search)."""
    text = (words or "").strip()[:MAX_LENGTH]
    if not text:
        return Q()
    match = (Q(code__icontains=text) | Q(procedure__code=text) | Q(applicant_name__icontains=text)
             | Q(applicant_id_number=normalise_id_number(text)))
    if folded := fold(text):
        match |= Q(procedure__search_name__contains=folded)
    if phone := canonical_phone(text):
        match |= Q(applicant_phone=phone)
    return match
