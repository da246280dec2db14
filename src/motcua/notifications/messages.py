"""The e-mails an applicant receives, in Vietnamese. Never the ID number (DESIGN: personal
data stays out of messages): only name, dossier code, procedure, unit, times and the link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, Status
from motcua.links import tracking_url
from motcua.worktime.calendar import VN_TZ

RECEIVED = "received"
SUPPLEMENT_REQUESTED = "supplement_requested"
RESOLVED = "resolved"
RESCHEDULED = "rescheduled"
KINDS = (RECEIVED, SUPPLEMENT_REQUESTED, RESOLVED, RESCHEDULED)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def moment(value: dt.datetime | None) -> str:
    """``10 giờ 05 phút, ngày 29/04/2026`` in Vietnam's time."""
    if value is None:
        return ""
    local = value.astimezone(VN_TZ)
    return _("%(h)02d giờ %(m)02d phút, ngày %(d)s") % {"h": local.hour, "m": local.minute, "d": f"{local:%d/%m/%Y}"}


def _without_id_number(dossier: Dossier, text: str) -> str:
    """An officer's note, with the applicant's ID number masked should it appear in it."""
    text = " ".join(str(text or "").split())
    if dossier.applicant_id_number:
        text = text.replace(dossier.applicant_id_number, "************")
    return text


def compose(dossier: Dossier, kind: str, note: str = "") -> Message:
    """The subject and body of notification ``kind`` about ``dossier``."""
    with translation.override("vi"):
        note = _without_id_number(dossier, note)
        what = f"“{dossier.procedure.name}”"
        subjects = {
            RECEIVED: _("Hồ sơ %(code)s đã được tiếp nhận"),
            SUPPLEMENT_REQUESTED: _("Hồ sơ %(code)s cần bổ sung, hoàn thiện"),
            RESOLVED: _("Hồ sơ %(code)s đã có kết quả giải quyết"),
            RESCHEDULED: _("Hồ sơ %(code)s: thư xin lỗi và hẹn lại ngày trả kết quả"),
        }
        lines = [_("Kính gửi Ông/Bà %(name)s,") % {"name": dossier.applicant_name}, ""]
        if kind == RECEIVED:
            lines += [
                _("%(unit)s đã tiếp nhận hồ sơ %(code)s, thủ tục %(what)s.")
                % {"unit": dossier.unit.name, "code": dossier.code, "what": what},
                _("Thời điểm tiếp nhận: %(at)s.") % {"at": moment(dossier.received_at)},
                _("Hẹn trả kết quả: %(at)s.") % {"at": moment(dossier.due_at)},
            ]
        elif kind == SUPPLEMENT_REQUESTED:
            lines += [
                _("Hồ sơ %(code)s, thủ tục %(what)s, cần được bổ sung, hoàn thiện.") % {"code": dossier.code, "what": what},
                _("Nội dung cần bổ sung: %(note)s") % {"note": note or _("xem phiếu yêu cầu bổ sung.")},
                _("Thời gian chờ bổ sung không tính vào thời hạn giải quyết."),
            ]
        elif kind == RESOLVED:
            if dossier.status == Status.REJECTED:
                lines += [
                    _("Hồ sơ %(code)s, thủ tục %(what)s, không được giải quyết.") % {"code": dossier.code, "what": what},
                    _("Lý do: %(note)s") % {"note": note or _("xem văn bản trả lời của cơ quan giải quyết.")},
                ]
            else:
                lines += [
                    _("Hồ sơ %(code)s, thủ tục %(what)s, đã được giải quyết xong.") % {"code": dossier.code, "what": what},
                    _("Mời Ông/Bà nhận kết quả theo hình thức: %(how)s.") % {"how": dossier.get_delivery_display()},
                ]
        elif kind == RESCHEDULED:
            lines += [
                _("%(unit)s thành thật xin lỗi Ông/Bà vì hồ sơ %(code)s, thủ tục %(what)s, chưa giải quyết xong đúng hẹn.")
                % {"unit": dossier.current_unit.name, "code": dossier.code, "what": what},
                _("Ngày hẹn trả kết quả mới: %(at)s.") % {"at": moment(dossier.due_at)},
            ]
            if note:
                lines.append(_("Lý do: %(note)s") % {"note": note})
        else:
            raise ValueError(f"unknown notification kind {kind!r}")
        lines += [
            "",
            _("Tra cứu tình trạng hồ sơ: %(url)s") % {"url": tracking_url(dossier.code)},
            "",
            _("Thư này được gửi tự động từ hệ thống Một cửa, vui lòng không trả lời."),
        ]
        subject = subjects[kind] % {"code": dossier.code}
    return Message(subject=subject, body="\n".join(lines) + "\n")
