"""The five-criteria satisfaction survey of a returned dossier, and the counter kiosks.

The criteria are those of the national satisfaction index (SIPAS, shared/domain/reports.md
group "Mức độ hài lòng"): access to the service, the procedure, the officers, the result, the
handling of feedback — each on the national three-point scale (3 rất hài lòng, 2 hài lòng,
1 không hài lòng), as the one-click rating.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import SATISFACTION_SCALE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CRITERIA: tuple[tuple[str, StrOrPromise], ...] = (
    ("access", _("Tiếp cận dịch vụ")),
    ("procedure", pgettext_lazy("tiêu chí khảo sát", "Thủ tục hành chính")),
    ("officers", _("Cán bộ, công chức giải quyết")),
    ("result", _("Kết quả giải quyết")),
    ("feedback", _("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")),
)
CRITERION_KEYS = tuple(key for key, _label in CRITERIA)
SCALE = dict(SATISFACTION_SCALE)


class Survey(models.Model):
    """The owner's answers for one returned dossier (at most one: the one-to-one decides)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="survey",
                                   verbose_name=_("hồ sơ"))
    access = models.PositiveSmallIntegerField(_("tiếp cận dịch vụ"))
    procedure = models.PositiveSmallIntegerField(pgettext_lazy("tiêu chí khảo sát", "thủ tục hành chính"))
    officers = models.PositiveSmallIntegerField(_("cán bộ, công chức giải quyết"))
    result = models.PositiveSmallIntegerField(_("kết quả giải quyết"))
    feedback = models.PositiveSmallIntegerField(_("tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"))
    comment = models.TextField(_("ý kiến khác"), blank=True)
    created_at = models.DateTimeField(_("thời điểm trả lời"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("phiếu khảo sát mức độ hài lòng")
        verbose_name_plural = pgettext_lazy("số nhiều", "phiếu khảo sát mức độ hài lòng")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(access__in=(1, 2, 3), procedure__in=(1, 2, 3), officers__in=(1, 2, 3),
                                   result__in=(1, 2, 3), feedback__in=(1, 2, 3)),
                name="survey_scores_one_to_three"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"

    def scores(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in CRITERION_KEYS}

    def labelled(self) -> list[tuple[StrOrPromise, StrOrPromise]]:
        return [(label, SCALE.get(getattr(self, key), "")) for key, label in CRITERIA]

    @property
    def unhappy(self) -> bool:
        return 1 in self.scores().values()


def new_kiosk_token() -> str:
    return secrets.token_urlsafe(32)


class Kiosk(models.Model):
    """A tablet on a unit's counter that takes the one-tap rating of the dossier just returned,
    without a login. An administrator creates it for a unit and opens its activation link once
    on the tablet (a long-lived cookie holds the token); switching it off stops it at once."""

    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên thiết bị"), max_length=100, help_text=_("Ví dụ: Máy tính bảng quầy số 2."))
    token = models.CharField(_("mã kích hoạt"), max_length=64, unique=True, default=new_kiosk_token, editable=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("máy đánh giá tại quầy")
        verbose_name_plural = pgettext_lazy("số nhiều", "máy đánh giá tại quầy")

    def __str__(self) -> str:
        return self.name
