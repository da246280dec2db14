"""The audit table of population-database lookups (issue 18 §7): every lookup made, with the
officer, the dossier or the purpose, the time and the outcome. Never the ID number itself: its
keyed digest (:func:`subject_digest`), so that an auditor who has a citizen's number can find
their lookups, while the table read alone names nobody. Rows are never changed except to join
the dossier taken in with the lookup."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Outcome(models.TextChoices):
    FOUND = "found", _("Tìm thấy")
    NOT_FOUND = "not_found", _("Không tìm thấy")
    TIMEOUT = "timeout", _("Cổng kết nối không trả lời kịp")
    ERROR = "error", _("Lỗi kết nối")


def subject_digest(id_number: str) -> str:
    """The keyed digest of an ID number (HMAC-SHA256 with the site's secret key)."""
    key = ("population-lookup:" + settings.SECRET_KEY).encode()
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()


class PopulationLookup(models.Model):
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("cán bộ tra cứu"))
    unit = models.ForeignKey("catalog.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("đơn vị"))
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="population_lookups", verbose_name=_("hồ sơ"))
    purpose = models.CharField(_("mục đích tra cứu"), max_length=300)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    mode = models.CharField(_("giao thức"), max_length=10)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices)
    request_id = models.CharField(_("mã yêu cầu (MaYeuCau)"), max_length=64, unique=True)
    subject = models.CharField(_("mã băm số định danh được tra cứu"), max_length=64, db_index=True)
    duration_ms = models.PositiveIntegerField(_("thời gian chờ (ms)"), default=0)

    class Meta:
        verbose_name = _("lượt tra cứu CSDL dân cư")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt tra cứu CSDL dân cư")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.request_id} ({self.get_outcome_display()})"
