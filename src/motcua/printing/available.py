"""Which printed forms a dossier has: the one home of that rule.

The office dossier page, the API (``GET /dossiers/{code}``: ``printed_forms``), the citizen's
pages and the public tracking page list what :func:`printable_forms` returns, and the PDF
builders (:mod:`motcua.printing.dossier_forms`) refuse a form :func:`has_form` says the
dossier does not have yet, so a link is never shown to a form that answers 404.

Only the dossier's own fields decide (no query), so a list of dossiers costs nothing more:

* Mẫu 01 receipt and the control sheet: once the dossier is received (not ``submitted``,
  not ``refused``);
* Mẫu 02 supplementation request: once supplementation was requested;
* Mẫu 03 refusal: once the dossier was refused;
* Mẫu 04 apology: once the due time was rescheduled.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

from motcua.dossiers.models import Dossier, Status
from motcua.printing.editions import APPLICANT_FORMS, DOSSIER_FORMS, form_heading, receipt_day

# The address of each dossier form under /giay-to/ (printing/urls.py).
URL_NAMES = {key: f"printing:{key}" for key in DOSSIER_FORMS}

_NEVER_RECEIVED = (Status.SUBMITTED, Status.REFUSED)


@dataclass(frozen=True)
class PrintedForm:
    """One printed form a dossier has: its key, its heading as printed, and its address."""

    key: str
    number: str        # "01" … as in the form set of the dossier's receipt day
    title: str         # the Vietnamese title printed on the form
    label: str         # the title in the page's language
    url: str           # site path of the PDF, e.g. /giay-to/ho-so/X/giay-tiep-nhan.pdf
    for_applicant: bool

    def as_json(self) -> dict:
        return {"key": self.key, "number": self.number, "title": self.title, "url": self.url,
                "for_applicant": self.for_applicant}


def has_form(dossier: Dossier, key: str) -> bool:
    """Whether ``dossier`` has reached the step that produces form ``key``."""
    received = dossier.status not in _NEVER_RECEIVED and dossier.refused_at is None
    if key in ("receipt", "control_sheet"):
        return received
    if key == "supplement_request":
        return dossier.supplement_requests > 0
    if key == "refusal":
        return dossier.status == Status.REFUSED or dossier.refused_at is not None
    if key == "apology":
        return dossier.reschedules > 0
    return False


def printable_forms(dossier: Dossier, *, applicant: bool = False) -> list[PrintedForm]:
    """The printed forms ``dossier`` has, in the order of the form set.

    With ``applicant``, only the forms addressed to the applicant (not the internal control
    sheet): what the owner may print and what the tracking page names.
    """
    day = receipt_day(dossier)
    forms = []
    for key in DOSSIER_FORMS:
        if applicant and key not in APPLICANT_FORMS:
            continue
        if not has_form(dossier, key):
            continue
        heading = form_heading(key, day)
        forms.append(PrintedForm(
            key=key, number=heading["number"], title=heading["title"], label=gettext(heading["title"]),
            url=reverse(URL_NAMES[key], args=[dossier.code]), for_applicant=key in APPLICANT_FORMS,
        ))
    return forms
