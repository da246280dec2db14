"""Forms of the workbench. They only carry and redisplay what was typed: every rule
(applicant checks, who may do what, deadlines) is decided by the dossier services, whose
:class:`~motcua.errors.DomainError` fields are attached back to these forms."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Channel, Delivery
from motcua.errors import DomainError
from motcua.worktime.calendar import VN_TZ

COUNTER_CHANNELS = [(Channel.DIRECT.value, Channel.DIRECT.label), (Channel.POSTAL.value, Channel.POSTAL.label)]


class IntakeForm(forms.Form):
    """A dossier taken in at the counter (direct) or arriving by post (postal)."""

    unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"), required=False)
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    procedure = forms.CharField(label=_("Thủ tục"), required=False, max_length=60)
    channel = forms.ChoiceField(label=_("Kênh nộp"), choices=COUNTER_CHANNELS, initial=Channel.DIRECT, required=False)
    delivery = forms.ChoiceField(label=_("Nhận kết quả"), choices=Delivery.choices, initial=Delivery.COUNTER, required=False)
    full_name = forms.CharField(label=_("Họ và tên người nộp"), required=False, max_length=300)
    id_number = forms.CharField(label=_("Số định danh cá nhân (12 số)"), required=False, max_length=40)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=40)
    email = forms.CharField(label=_("Thư điện tử (không bắt buộc)"), required=False, max_length=300)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=400)
    owner = forms.CharField(
        label=_("Tài khoản của người dân (hỗ trợ nộp trực tuyến)"), required=False, max_length=254,
        help_text=_("Ghi số điện thoại, thư điện tử hoặc số định danh mà người dân dùng để đăng nhập: hồ sơ được nộp "
                    "trực tuyến vào tài khoản của họ."),
    )

    # Service field paths (``applicant.full_name``) → form fields.
    FIELD_MAP = {"applicant.full_name": "full_name", "applicant.id_number": "id_number",
                 "applicant.phone": "phone", "applicant.email": "email", "applicant.address": "address"}

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k, "") for k in ("full_name", "id_number", "phone", "email", "address")}

    def attach(self, error: DomainError, *, skip: tuple[str, ...] = ()) -> None:
        """Show a service error: its message on top, each field's messages beside the field
        (except the fields in ``skip``, which the view has already explained)."""
        self.add_error(None, error.message)
        for path, messages in (error.fields or {}).items():
            name = self.FIELD_MAP.get(path, path)
            if name in self.fields and name not in skip:
                for message in messages:
                    self.add_error(name, message)


class ActionForm(forms.Form):
    """The fields any workflow action may need; the transition table says which are required."""

    action = forms.CharField(max_length=30)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea)
    assignee = forms.CharField(label=_("Cán bộ xử lý"), required=False, max_length=150)
    to_unit = forms.CharField(label=_("Chuyển đến đơn vị"), required=False, max_length=40)
    due_at = forms.CharField(label=_("Ngày hẹn trả mới"), required=False, max_length=40)
    delivery = forms.CharField(label=_("Hình thức trả kết quả"), required=False, max_length=12)

    def payload(self) -> dict:
        """The body for ``apply_action``: only what was filled in; a ``datetime-local``
        value is a Vietnam time."""
        data = self.cleaned_data
        payload = {k: data[k] for k in ("note", "assignee", "to_unit", "delivery") if data.get(k)}
        papers = [p[:400] for p in self.data.getlist("papers")[:60]] if hasattr(self.data, "getlist") else []
        if papers:
            payload["papers"] = papers  # a supplement request's papers (checked by its handler)
        if data.get("due_at"):
            payload["due_at"] = local_moment(data["due_at"])
        return payload


def local_moment(value: str) -> str:
    """``2026-05-08T17:00`` (a ``datetime-local`` field, Vietnam time) → ISO with +07:00.

    Anything unreadable is passed on unchanged, for the service to reject with its message.
    """
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.isoformat()
