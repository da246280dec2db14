"""Satisfaction ratings: the applicant rates a dossier once, after the result is returned.

CONTRACT §2: ``{"score": 1|2|3, "comment"?}`` (3 very satisfied, 2 satisfied, 1 not
satisfied). The score feeds Decision 766/QĐ-TTg indicator 5.4 ("hài lòng TTHC",
``shared/domain/reports.md``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from motcua.accounts.models import User
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import Dossier, Rating, Status
from motcua.dossiers.scope import get_visible, visible_dossiers
from motcua.dossiers.workflow import Action
from motcua.errors import Conflict, InvalidInput, NotFound

SCORES = {3: "Rất hài lòng", 2: "Hài lòng", 1: "Không hài lòng"}
COMMENT_MAX = 2000


def _own_dossier(user: User, code: str) -> Dossier:
    """The dossier ``code`` if ``user`` owns it; anyone else gets 404 (nothing to rate)."""
    dossier = visible_dossiers(user).filter(code=code, owner_id=user.pk).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
    return dossier


def rate_dossier(user: User, code: str, score: int, comment: str = "") -> Rating:
    """Record the owner's rating of dossier ``code``."""
    if score not in SCORES or isinstance(score, bool):
        raise InvalidInput("Mức đánh giá phải là 1, 2 hoặc 3.", code="invalid_score",
                           fields={"score": ["3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng."]})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput("Ý kiến quá dài.", fields={"comment": [f"Tối đa {COMMENT_MAX} ký tự."]})
    dossier = _own_dossier(user, code)
    try:
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if dossier.status != Status.RESULT_RETURNED:
                raise Conflict("Chỉ đánh giá được sau khi đã nhận kết quả giải quyết.", code="not_returned_yet",
                               fields={"status": [dossier.status]})
            if Rating.objects.filter(dossier=dossier).exists():
                raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated")
            rating = Rating.objects.create(dossier=dossier, score=score, comment=comment)
            record_event(dossier.pk, action=Action.RATE, actor=user, changes={"rating": {"score": score}})
    except IntegrityError:  # two ratings at once: the database's one-to-one decides
        raise Conflict("Hồ sơ này đã được đánh giá.", code="already_rated") from None
    return rating


def get_rating(user: User, code: str) -> Rating:
    """The rating of a dossier ``user`` may see (owner, officers of its units)."""
    dossier = get_visible(user, code)
    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is None:
        raise NotFound("Hồ sơ này chưa được đánh giá.", code="rating_not_found")
    return rating
