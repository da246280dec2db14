"""The e-mails an applicant receives, in Vietnamese. Never the ID number (docs/architecture.md: personal
data stays out of messages): only name, dossier code, procedure, unit, times and the link."""

from __future__ import annotations

import datetime as dt
import unicodedata
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
REFUSED = "refused"
PAID = "paid"
KINDS = (RECEIVED, SUPPLEMENT_REQUESTED, RESOLVED, RESCHEDULED, REFUSED, PAID)


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
            REFUSED: _("Hồ sơ %(code)s không được tiếp nhận"),
            PAID: _("Hồ sơ %(code)s: đã thanh toán phí, lệ phí"),
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
        elif kind == REFUSED:
            lines += [
                _("%(unit)s không tiếp nhận hồ sơ %(code)s, thủ tục %(what)s.")
                % {"unit": dossier.unit.name, "code": dossier.code, "what": what},
                _("Lý do: %(note)s") % {"note": note or _("xem hướng dẫn của cơ quan tiếp nhận.")},
            ]
        elif kind == PAID:
            lines += [
                _("Phí, lệ phí của hồ sơ %(code)s, thủ tục %(what)s, đã được thanh toán.")
                % {"code": dossier.code, "what": what},
                _("Biên lai có trong trang hồ sơ của Ông/Bà."),
            ]
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


def unaccented(text: str) -> str:
    """Vietnamese without diacritics (``Hồ sơ`` → ``Ho so``), as brandname SMS are sent."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def status_phrase(dossier: Dossier, kind: str) -> str:
    """A few words for what happened, for SMS and Zalo templates."""
    with translation.override("vi"):
        phrases = {
            RECEIVED: _("đã được tiếp nhận"),
            SUPPLEMENT_REQUESTED: _("cần bổ sung, hoàn thiện"),
            RESOLVED: _("không được giải quyết") if dossier.status == Status.REJECTED else _("đã có kết quả"),
            RESCHEDULED: _("được hẹn lại ngày trả kết quả"),
            REFUSED: _("không được tiếp nhận"),
            PAID: _("đã thanh toán phí, lệ phí"),
        }
        return str(phrases[kind])


def sms_text(dossier: Dossier, kind: str) -> str:
    """The SMS: the dossier code, what happened, the date that matters and the tracking link,
    without diacritics and without the applicant's name (a phone may be shared)."""
    with translation.override("vi"):
        text = _("Ho so %(code)s %(what)s.") % {"code": dossier.code, "what": status_phrase(dossier, kind)}
        if kind in (RECEIVED, RESCHEDULED):
            text += " " + _("Hen tra: %(at)s.") % {"at": f"{dossier.due_at.astimezone(VN_TZ):%d/%m/%Y}"}
        text += " " + _("Tra cuu: %(url)s") % {"url": tracking_url(dossier.code)}
    return unaccented(str(text))


def template_data(dossier: Dossier, kind: str) -> dict[str, str]:
    """The parameters of the Zalo ZNS templates (registered with these names)."""
    when = dossier.due_at if kind in (RECEIVED, RESCHEDULED) else timezone_now()
    return {
        "ma_ho_so": dossier.code,
        "thu_tuc": dossier.procedure.name[:100],
        "don_vi": dossier.unit.name[:100],
        "trang_thai": status_phrase(dossier, kind),
        "thoi_gian": f"{when.astimezone(VN_TZ):%H:%M %d/%m/%Y}",
        "tra_cuu": tracking_url(dossier.code),
    }


def timezone_now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()
