"""Satisfaction: the one-click rating, the five-criteria survey and the counter kiosk.

- The rating (docs/api.md ``POST /dossiers/{code}/rating``): ``{"score": 1|2|3, "comment"?}``
  (3 very satisfied, 2 satisfied, 1 not satisfied), once per dossier, by the owner, after
  the result is returned — or, at the counter, by one tap on the unit's kiosk on the day the
  result is handed back (the same ``dossiers.Rating``: once whichever way it came).
- The survey (``POST /dossiers/{code}/survey``): the five criteria of the national
  satisfaction index, each 1|2|3, plus a comment; once per dossier, owner only, after return.

Both feed Decision 766/QĐ-TTg's "Mức độ hài lòng" group (``reports/satisfaction.py``,
shared/domain/reports.md). Each writes its event through ``dossiers.audit.record_event``.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import SATISFACTION, Dossier, Rating, Status
from motcua.dossiers.scope import get_visible, visible_dossiers
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, InvalidInput, NotFound
from motcua.feedback.models import CRITERIA, CRITERION_KEYS, Kiosk, Survey

SCORES = SATISFACTION  # a rating's and each survey answer's scores and their words
COMMENT_MAX = 2000
KIOSK_RECENT = dt.timedelta(minutes=30)  # what the kiosk offers by itself: dossiers returned this recently


def _own_dossier(user: User, code: str) -> Dossier:
    """The dossier ``code`` if ``user`` owns it; anyone else gets 404 (nothing to rate)."""
    dossier = visible_dossiers(user).filter(code=str(code)[:80], owner_id=user.pk).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{str(code)[:80]}”.", code="dossier_not_found")
    return dossier


def _valid_score(score, field: str = "score") -> int:
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise InvalidInput("Mức đánh giá phải là 1, 2 hoặc 3.", code="invalid_score",
                           fields={field: ["3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng."]})
    return score


def _valid_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput("Ý kiến quá dài.", code="comment_too_long", fields={"comment": [f"Tối đa {COMMENT_MAX} ký tự."]})
    return comment


def _locked_returned(dossier: Dossier) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.status != Status.RESULT_RETURNED:
        raise Conflict("Chỉ đánh giá được sau khi đã nhận kết quả giải quyết.", code="not_returned_yet",
                       fields={"status": [dossier.status]})
    return dossier


def _record_rating(dossier: Dossier, score: int, comment: str, *, actor=None, actor_name: str = "",
                   channel: str = "online") -> Rating:
    try:
        with transaction.atomic():
            dossier = _locked_returned(dossier)
            if Rating.objects.filter(dossier=dossier).exists():
                raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated")
            rating = Rating.objects.create(dossier=dossier, score=score, comment=comment)
            changes: dict[str, dict[str, int | str]] = {"rating": {"score": score}}
            if channel != "online":
                changes["rating"]["channel"] = channel
            record_event(dossier.pk, action=Action.RATE, actor=actor, actor_name=actor_name, changes=changes)
    except IntegrityError:  # two ratings at once: the database's one-to-one decides
        raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated") from None
    return rating


def rate_dossier(user: User, code: str, score: int, comment: str = "") -> Rating:
    """Record the owner's rating of dossier ``code``."""
    score = _valid_score(score)
    comment = _valid_comment(comment)
    return _record_rating(_own_dossier(user, code), score, comment, actor=user)


def get_rating(user: User, code: str) -> Rating:
    """The rating of a dossier ``user`` may see (owner, officers of its units)."""
    dossier = get_visible(user, code)
    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is None:
        raise NotFound("Hồ sơ này chưa được đánh giá.", code="rating_not_found")
    return rating


# ------------------------------------------------------------------ the five-criteria survey

def clean_criteria(criteria) -> dict[str, int]:
    """The five answers, each 1|2|3; anything missing, extra or out of range → 422 naming it."""
    if not isinstance(criteria, dict):
        raise InvalidInput("Phiếu khảo sát chưa có câu trả lời.", code="invalid_survey",
                           fields={"criteria": ["Cần trả lời đủ năm tiêu chí."]})
    errors: dict[str, list[str]] = {}
    for key in criteria:
        if key not in CRITERION_KEYS:
            errors[f"criteria.{str(key)[:40]}"] = ["Không có tiêu chí này."]
    cleaned = {}
    for key, label in CRITERIA:
        value = criteria.get(key)
        if value is None:
            errors[f"criteria.{key}"] = [f"Chưa chọn mức hài lòng về “{label}”."]
        elif isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
            errors[f"criteria.{key}"] = ["Mức đánh giá phải là 1, 2 hoặc 3."]
        else:
            cleaned[key] = value
    if errors:
        raise InvalidInput("Phiếu khảo sát chưa hợp lệ: cần chọn một mức cho mỗi tiêu chí.", code="invalid_survey",
                           fields=errors)
    return cleaned


def answer_survey(user: User, code: str, criteria, comment: str = "") -> Survey:
    """Record the owner's survey of dossier ``code``: once, after the result is returned."""
    cleaned = clean_criteria(criteria)
    comment = _valid_comment(comment)
    dossier = _own_dossier(user, code)
    try:
        with transaction.atomic():
            dossier = _locked_returned(dossier)
            if Survey.objects.filter(dossier=dossier).exists():
                raise Conflict("Bạn đã trả lời phiếu khảo sát của hồ sơ này.", code="already_surveyed")
            survey = Survey.objects.create(dossier=dossier, comment=comment, **cleaned)
            record_event(dossier.pk, action=Action.SURVEY, actor=user, changes={"survey": cleaned})
    except IntegrityError:
        raise Conflict("Bạn đã trả lời phiếu khảo sát của hồ sơ này.", code="already_surveyed") from None
    return survey


def may_survey(dossier: Dossier) -> bool:
    return dossier.status == Status.RESULT_RETURNED and not Survey.objects.filter(dossier=dossier).exists()


def get_survey(user: User, code: str) -> Survey:
    dossier = get_visible(user, code)
    survey = Survey.objects.filter(dossier=dossier).first()
    if survey is None:
        raise NotFound("Hồ sơ này chưa có phiếu khảo sát.", code="survey_not_found")
    return survey


# ------------------------------------------------------------------ the counter kiosk

def kiosk_for_token(token: str | None) -> Kiosk | None:
    if not token or len(token) > 64:
        return None
    return Kiosk.objects.select_related("unit").filter(token=token, active=True).first()


def code_from_scan(text: str) -> str:
    """A dossier code typed in or read from a QR code (the tracking link ends with the code)."""
    text = (text or "").strip()[:300]
    parts = [p for p in text.replace("?", "/").split("/") if p]
    return (parts[-1] if parts else "").strip()[:80]


def _kiosk_dossiers(kiosk: Kiosk):
    from django.db.models import Q

    return Dossier.objects.select_related("procedure").filter(Q(unit_id=kiosk.unit_id) | Q(current_unit_id=kiosk.unit_id))


def kiosk_dossier(kiosk: Kiosk, code: str, now: dt.datetime | None = None) -> Dossier:
    """The dossier the kiosk may take a rating for: of its unit, its result handed back today
    (local day), not yet rated. Otherwise a clear error (404 / 409), nothing written."""
    code = code_from_scan(code)
    if not code:
        raise InvalidInput("Vui lòng nhập hoặc quét mã hồ sơ.", code="code_required", fields={"code": ["Bắt buộc."]})
    dossier = _kiosk_dossiers(kiosk).filter(code=code).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{code}” tại đơn vị này.", code="dossier_not_found")
    if dossier.status != Status.RESULT_RETURNED or dossier.returned_at is None:
        raise Conflict("Hồ sơ này chưa trả kết quả: chỉ đánh giá sau khi nhận kết quả.", code="not_returned_yet")
    now = now or timezone.now()
    if timezone.localdate(dossier.returned_at) != timezone.localdate(now):
        raise Conflict("Tại quầy chỉ đánh giá trong ngày nhận kết quả; bạn có thể đánh giá trên trang hồ sơ của mình.",
                       code="kiosk_day_passed")
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict("Hồ sơ này đã được đánh giá. Cảm ơn bạn!", code="already_rated")
    return dossier


def rate_at_kiosk(kiosk: Kiosk, code: str, score, now: dt.datetime | None = None) -> Rating:
    """One tap on the kiosk: the rating of the dossier just returned, bound to it once."""
    score = _valid_score(score)
    dossier = kiosk_dossier(kiosk, code, now)
    return _record_rating(dossier, score, "", actor_name=f"Máy đánh giá tại quầy: {kiosk.name}"[:200], channel="kiosk")


def kiosk_recent(kiosk: Kiosk, now: dt.datetime | None = None, limit: int = 5) -> list[Dossier]:
    """The dossiers of the kiosk's unit returned in the last minutes and not yet rated: what the
    tablet offers by itself (code and procedure only, never a name)."""
    now = now or timezone.now()
    return list(_kiosk_dossiers(kiosk)
                .filter(status=Status.RESULT_RETURNED, returned_at__gte=now - KIOSK_RECENT, rating__isnull=True)
                .order_by("-returned_at")[:limit])
