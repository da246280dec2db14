"""Looking a citizen up at the counter, and the dossier that lookup served.

:func:`lookup` is the one way in: it checks the number, asks the gateway (``client.py``), writes
the audit row whatever happens, and answers with what the page says — the citizen's fields to
pre-fill, or a plain Vietnamese message telling the officer to type the data by hand. The
gateway's faults never raise past it and never block an intake.

:func:`attach` joins a lookup to the dossier taken in with it: the lookup's officer, a found
citizen, the same ID number, not yet joined, recent. The dossier's national record then names
the population database (``dossier_flags.record_database_use``: ``DSKetNoiCSDL`` and the
scorecard's 4.5), and the trail records it through the one audit writer.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua import dossier_flags
from motcua.dossiers.audit import record_event
from motcua.identifiers import ID_NUMBER, normalise_id_number
from motcua.dossiers.workflow import Action
from motcua.national.contrib.population import client
from motcua.national.contrib.population.models import Outcome, PopulationLookup, subject_digest

log = logging.getLogger(__name__)

ATTACH_WITHIN = dt.timedelta(hours=4)  # a lookup joins a dossier taken in the same sitting
PURPOSE_MAX = 300

NOT_CONNECTED = _("Chưa kết nối Cơ sở dữ liệu quốc gia về dân cư: vui lòng nhập thông tin người nộp bằng tay. "
                   "Quản trị viên cấu hình MOTCUA_POPULATION_URL, MOTCUA_POPULATION_TOKEN để kết nối.")
BAD_NUMBER = _("Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số.")
MESSAGES = {
    Outcome.FOUND: _("Đã điền thông tin từ Cơ sở dữ liệu quốc gia về dân cư. Vui lòng đối chiếu với giấy tờ của người nộp "
                   "và bổ sung số điện thoại."),
    Outcome.NOT_FOUND: _("Không tìm thấy công dân có số định danh này trong Cơ sở dữ liệu quốc gia về dân cư. "
                       "Vui lòng kiểm tra lại số, hoặc nhập thông tin bằng tay."),
    Outcome.TIMEOUT: _("Cổng kết nối Cơ sở dữ liệu quốc gia về dân cư không trả lời kịp. Vui lòng nhập thông tin "
                     "người nộp bằng tay; hồ sơ vẫn được tiếp nhận bình thường."),
    Outcome.ERROR: _("Không tra cứu được Cơ sở dữ liệu quốc gia về dân cư lúc này. Vui lòng nhập thông tin người nộp "
                   "bằng tay; hồ sơ vẫn được tiếp nhận bình thường."),
}


@dataclass
class LookupResult:
    ok: bool                      # a citizen was found
    message: str                  # what the page says
    fields: dict[str, str] = field(default_factory=dict)  # the intake form's fields to fill
    citizen: client.Citizen | None = None
    lookup_id: int | None = None  # the audit row (None: no lookup was made)
    outcome: str = ""


def connected() -> bool:
    return client.gateway() is not None


def lookup(officer, id_number: str, *, purpose: str, unit=None, dossier=None, service_code: str = "") -> LookupResult:
    """Look ``id_number`` up for ``purpose`` (and ``dossier``, if any) as ``officer``."""
    number = normalise_id_number(id_number)
    if not ID_NUMBER.fullmatch(number):
        return LookupResult(False, str(BAD_NUMBER))
    target = client.gateway()
    if target is None:
        return LookupResult(False, str(NOT_CONNECTED))
    query = client.Query(request_id=client.new_request_id(), service_code=service_code or client.DEFAULT_SERVICE_CODE,
                         officer=officer.username, id_number=number)
    started = time.monotonic()
    citizen = None
    try:
        citizen = client.look_up(target, query)
        outcome = Outcome.FOUND if citizen is not None else Outcome.NOT_FOUND
    except client.GatewayTimeout:
        outcome = Outcome.TIMEOUT
    except client.GatewayFault as fault:
        outcome = Outcome.ERROR
        log.warning("population lookup %s failed: %s", query.request_id, fault)
    if citizen is not None and normalise_id_number(citizen.id_number) != number:
        outcome, citizen = Outcome.ERROR, None  # an answer about someone else is no answer
        log.warning("population lookup %s: the answer is about another number", query.request_id)
    elapsed = int((time.monotonic() - started) * 1000)
    row = PopulationLookup.objects.create(
        officer=officer, unit=unit, dossier=dossier, purpose=purpose[:PURPOSE_MAX], mode=target.mode,
        outcome=outcome, request_id=query.request_id, subject=subject_digest(number), duration_ms=elapsed)
    log.info("population lookup %s: %s in %d ms", query.request_id, outcome, elapsed)
    if dossier is not None and outcome == Outcome.FOUND:
        _record_use(row, dossier)
    return LookupResult(outcome == Outcome.FOUND, str(MESSAGES[outcome]), citizen.form_fields() if citizen else {},
                        citizen, row.pk, outcome)


def attach(lookup_id, officer, dossier) -> bool:
    """Join lookup ``lookup_id`` to ``dossier`` taken in with it; False when it does not belong."""
    try:
        pk = int(lookup_id)
    except (TypeError, ValueError):
        return False
    with transaction.atomic():
        row = (PopulationLookup.objects.select_for_update()
               .filter(pk=pk, officer=officer, outcome=Outcome.FOUND, dossier__isnull=True,
                       at__gte=timezone.now() - ATTACH_WITHIN).first())
        if row is None or row.subject != subject_digest(normalise_id_number(dossier.applicant_id_number)):
            return False
        row.dossier = dossier
        row.save(update_fields=["dossier"])
        _record_use(row, dossier)
    return True


def _record_use(row: PopulationLookup, dossier) -> None:
    """The dossier used the population database: its national record says so; the trail too."""
    with transaction.atomic():
        dossier_flags.record_database_use(dossier, dossier_flags.population_database())
        record_event(dossier.pk, action=Action.POPULATION_LOOKUP, actor=row.officer,
                     note=f"Mã yêu cầu {row.request_id}", changes={"population_lookup": row.request_id})
