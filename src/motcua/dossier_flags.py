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
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from motcua.accounts.signon import signed_on_nationally, signed_on_nationally_exists
from motcua.dossiers.models import Dossier, NationalRecord
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
    return PAID_ON_PROVINCE_GATEWAY if paid_online_orders().filter(dossier=dossier).exists() else NOT_PAID_ONLINE


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
