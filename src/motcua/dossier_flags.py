"""The dossier-level facts that the national record sends (``DongBoHoSoMC``) and the QĐ 766
scorecard counts: one home for each, read by both (``national/`` and ``reports/`` import this
module; it imports neither).

* the owner's account was verified with VNeID (``TaiKhoanDuocXacThucVoiVNeID``; 766 4.5):
  ``accounts.signon``, an actual sign-in through the national sign-on;
* the fee was paid online (``DuocThanhToanTrucTuyen``; 766 3.6): a paid order through an
  online gateway, not cash at the counter;
* the national databases used (``DSKetNoiCSDL[].MaCSDL``; 766 4.5): what the dossier's national
  record lists (a population-database lookup for it, the national portal it came from).

A paper's own flags (``DuocSoHoa``, ``DuocTaiSuDung``, ``DuocLayTuKhoDMQG``) are
``documents.components``'.

The QĐ 766 digitisation group ("Số hóa hồ sơ", 766DOC 4.1–4.5; shared/domain/national-systems.md
§1.8) is counted here from those same homes, as conditions over dossiers (:data:`DIGITISATION`):
what the national portal would count from the fields the sync sends it, counted from what the
builder (``national/contrib/dvcqg/record.py``) builds those fields from —

* 4.1 electronic result: a result file (``DanhSachGiayToKetQua`` with its link);
* 4.2 digitised dossier: a paper held electronically (``TaiLieuNop`` with ``DuocSoHoa`` 1) and,
  once resolved, a result file;
* 4.3 reuse: a paper reused from another dossier (``DuocTaiSuDung`` 1 or 2);
* 4.4 the citizen's store: a paper taken from it (``DuocLayTuKhoDMQG`` 1);
* 4.5 population data: the owner signed in through VNeID (``TaiKhoanDuocXacThucVoiVNeID`` 1),
  or a paper from the store, or the population database looked up for it (its ``MaCSDL`` in
  ``DSKetNoiCSDL``).

QĐ 766 indicator 3.3 "online submission" (766DOC 3.3; shared/domain/national-systems.md §1.8) is
counted here too (:func:`online_submission_q`): a dossier counts as online only with
``KenhThucHien`` 2 (received online), and when its procedure's result is a paper document —
the catalog of its procedure version holds a coded result (``Procedure.coded_result``, the
``MAKETQUA`` the builder sends as ``MaGiayToKetQua``) — only once it carries a result file
(``DanhSachGiayToKetQua`` with ``MaGiayToKetQua`` and its ``DuongDanTepTinKetQua``). The rate is
multiplied by the sync rate (1.4): the national portal counts only what it was sent, so the
numerator is those of them it acknowledged (:func:`synced_q`, 1.4's own condition) over all
received — (online and synced ÷ synced) × (synced ÷ received).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast

from motcua.accounts.signon import signed_on_nationally, signed_on_nationally_exists
from motcua.documents.components import FROM_STORE, HELD, RESULT, REUSED, dossiers_with
from motcua.dossiers.models import Channel, Dossier, NationalRecord
from motcua.payments.constants import CASH, OrderStatus

# Gateways that are not online payment (cash recorded at the counter).
OFFLINE_GATEWAYS = (CASH, "counter")
# ``DuocThanhToanTrucTuyen``: 0 not paid online, 1 paid on the national portal's payment
# platform, 2 paid through the province's own gateway (766DOC 3.6).
NOT_PAID_ONLINE, PAID_ON_NATIONAL_PORTAL, PAID_ON_PROVINCE_GATEWAY = 0, 1, 2
# ``MaCSDL`` of the national portal itself (HV sends "7" for DVCQG; the code list is unconfirmed).
NATIONAL_PORTAL_DATABASE = "7"


def paid_online_orders():
    """The paid orders that count as paid online."""
    from motcua.payments.models import PaymentOrder

    return PaymentOrder.objects.filter(status=OrderStatus.PAID).exclude(gateway__in=OFFLINE_GATEWAYS)


def paid_online_exists(dossier_ref: str = "pk") -> Exists:
    """A condition on dossiers: the fee was paid online."""
    return Exists(paid_online_orders().filter(dossier=OuterRef(dossier_ref)))


def paid_online(dossier: Dossier) -> int:
    """``DuocThanhToanTrucTuyen`` of ``dossier``."""
    return paid_online_code(paid_online_orders().filter(dossier=dossier).exists())


def paid_online_code(paid: bool) -> int:
    """``DuocThanhToanTrucTuyen`` of a dossier whose fee was (``paid``) or was not paid online
    (:func:`paid_online_exists` read for many dossiers at once)."""
    return PAID_ON_PROVINCE_GATEWAY if paid else NOT_PAID_ONLINE


def owner_verified_by_vneid(dossier: Dossier) -> bool:
    """``TaiKhoanDuocXacThucVoiVNeID``: the owner's account signed in through the national sign-on."""
    return dossier.owner_id is not None and signed_on_nationally(dossier.owner)


def owner_verified_exists() -> Exists:
    """A condition on dossiers: the same rule."""
    return signed_on_nationally_exists("owner_id")


def databases_used(dossier: Dossier) -> list[str]:
    """``MaCSDL`` of each national database the dossier used, in the order first used."""
    record = NationalRecord.objects.filter(dossier=dossier).only("databases").first()
    return list(record.databases) if record is not None else []


def used_databases_q() -> Q:
    """A condition on dossiers: some national database was used."""
    return Q(national__databases__isnull=False) & ~Q(national__databases=[])


def record_database_use(dossier: Dossier, code: str) -> None:
    """Note that ``dossier`` used national database ``code`` (a population lookup for it …)."""
    record, _ = NationalRecord.objects.get_or_create(dossier=dossier, defaults={"national_code": dossier.code})
    if code not in record.databases:
        record.databases = [*record.databases, code]
        record.save(update_fields=["databases"])


def population_database() -> str:
    """``MaCSDL`` of the national population database (``MOTCUA_POPULATION_MACSDL``; the code list
    is unconfirmed, so it is a setting)."""
    return settings.POPULATION_MACSDL


def database_used_q(code: str) -> Q:
    """A condition on dossiers: national database ``code`` is among those their record lists.
    (The list is JSON; its text holds each code quoted, on SQLite and PostgreSQL alike.)"""
    listed = (NationalRecord.objects.filter(dossier=OuterRef("pk"))
              .annotate(listed=Cast("databases", TextField())).filter(listed__contains=f'"{code}"'))
    return Q(Exists(listed))


# ------------------------------------------------------------------ QĐ 766 "Số hóa hồ sơ" (4.1–4.5)

RESOLVED, RECEIVED = "resolved", "received"


@dataclass(frozen=True)
class DigitisationIndicator:
    """One indicator of the group: which dossiers it counts out of (``RESOLVED``: resolved in the
    period; ``RECEIVED``: received in it) and the condition a dossier meets to count."""

    key: str
    counted_among: str
    condition: Callable[[], Q]


def electronic_result_q() -> Q:
    return Q(dossiers_with(RESULT))


def digitised_q() -> Q:
    return Q(dossiers_with(HELD)) & (Q(resolved_at__isnull=True) | Q(dossiers_with(RESULT)))


def reused_q() -> Q:
    return Q(dossiers_with(REUSED))


def from_store_q() -> Q:
    return Q(dossiers_with(FROM_STORE))


def population_data_q() -> Q:
    return Q(owner_verified_exists()) | from_store_q() | database_used_q(population_database())


DIGITISATION = {i.key: i for i in (
    DigitisationIndicator("4.1", RESOLVED, electronic_result_q),
    DigitisationIndicator("4.2", RECEIVED, digitised_q),
    DigitisationIndicator("4.3", RECEIVED, reused_q),
    DigitisationIndicator("4.4", RECEIVED, from_store_q),
    DigitisationIndicator("4.5", RECEIVED, population_data_q),
)}


# ------------------------------------------------------------------ QĐ 766 3.3 "online submission"

def synced_q() -> Q:
    """A condition on dossiers: the national portal acknowledged them (1.4, the sync records
    ``dossiers.NationalRecord.synced_at`` the national sync writes)."""
    return Q(national__synced_at__isnull=False)


def paper_result_procedures() -> list[int]:
    """The procedure versions whose result is a paper document: their catalog holds a coded
    result (``Procedure.coded_result``, what ``MaGiayToKetQua`` is filled from)."""
    from motcua.catalog.models import Procedure

    return [p.pk for p in Procedure.objects.only("pk", "results") if p.coded_result()]


def paper_result_q() -> Q:
    """A condition on dossiers: their procedure's result is a paper document."""
    return Q(procedure_id__in=paper_result_procedures())


def online_submission_q() -> Q:
    """A condition on dossiers: 766's online dossier — received online (``KenhThucHien`` 2) and,
    for a procedure whose result is a paper document, carrying its result file (with its code and
    link in ``DanhSachGiayToKetQua``)."""
    return Q(channel=Channel.ONLINE) & (~paper_result_q() | Q(dossiers_with(RESULT)))
