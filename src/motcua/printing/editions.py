"""The form sets of TT 01/2018/TT-VPCP and TT 03/2025/TT-VPCP: numbers and titles by date.

Forms are keyed by a stable name (``receipt``, ``supplement_request``, ``refusal``,
``apology``, ``control_sheet``, ``register``); the number and title printed on them
follow the form set in force on the dossier's receipt date: TT 01/2018 before
15/9/2025, TT 03/2025 Phụ lục I from then (``shared/domain/forms.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

from motcua.dossiers.models import Dossier
from motcua.errors import NotFound
from motcua.worktime.calendar import VN_TZ

TT_2025_FROM = dt.date(2025, 9, 15)


@dataclass(frozen=True)
class Edition:
    """A form set: the circular that defines it and the day it took effect."""

    key: str
    circular: str
    appendix: str


TT_01_2018 = Edition("2018", "Thông tư số 01/2018/TT-VPCP", "")
TT_03_2025 = Edition("2025", "Thông tư số 03/2025/TT-VPCP", "Phụ lục I")


@dataclass(frozen=True)
class FormSpec:
    key: str
    number_2018: str
    title_2018: str
    number_2025: str
    title_2025: str


FORMS: dict[str, FormSpec] = {
    spec.key: spec
    for spec in (
        FormSpec("receipt", "01", N_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
                 "01", N_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")),
        FormSpec("supplement_request", "02", N_("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
                 "02", N_("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
        FormSpec("refusal", "03", N_("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
                 "03", N_("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
        FormSpec("apology", "04", N_("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
                 "04", N_("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết")),
        FormSpec("control_sheet", "05", N_("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
                 "06", N_("Phiếu kiểm soát quá trình giải quyết hồ sơ")),
        FormSpec("register", "06", N_("Sổ theo dõi hồ sơ"), "07", N_("Sổ theo dõi hồ sơ")),
    )
}

DOSSIER_FORMS = ("receipt", "supplement_request", "refusal", "apology", "control_sheet")
# Forms addressed to the applicant, which the owner may print too.
APPLICANT_FORMS = frozenset({"receipt", "supplement_request", "refusal", "apology"})
# Forms the agency signs digitally where the unit turns it on (issue 19 §1: receipt, refusal,
# apology, supplement request; signing.services.sign_printed_form). The control sheet is internal.
AGENCY_SIGNED_FORMS = frozenset({"receipt", "supplement_request", "refusal", "apology"})


def edition_on(day: dt.date) -> Edition:
    """The form set in force on ``day``: TT 03/2025 from 15/9/2025, TT 01/2018 before."""
    return TT_03_2025 if day >= TT_2025_FROM else TT_01_2018


def form_heading(key: str, day: dt.date) -> dict:
    """Number, title and legal reference of form ``key`` for a dossier received on ``day``."""
    spec = FORMS[key]
    edition = edition_on(day)
    number = spec.number_2025 if edition is TT_03_2025 else spec.number_2018
    title = spec.title_2025 if edition is TT_03_2025 else spec.title_2018
    reference = f"{edition.appendix}, {edition.circular}" if edition.appendix else edition.circular
    return {
        "key": key,
        "edition": edition.key,
        "number": number,
        "title": title,
        "number_label": f"Mẫu số {number} – {reference}",
    }


class FormNotAvailable(NotFound):
    """The dossier has not reached the step that produces this form."""

    code = "form_not_available"


def receipt_day(dossier: Dossier) -> dt.date:
    return dossier.received_at.astimezone(VN_TZ).date()
