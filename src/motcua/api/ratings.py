"""The applicant's satisfaction rating of a dossier: once, after the result is returned (CONTRACT §2)."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field as PydField

from motcua.api.auth import token_or_session
from motcua.api.timefmt import local_iso
from motcua.feedback import services as feedback

router = Router(tags=["ratings"])


class RatingIn(Schema):
    score: int = PydField(..., ge=1, le=3, strict=True, description="3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng")
    comment: str | None = PydField(None, max_length=feedback.COMMENT_MAX)


class RatingOut(Schema):
    code: str
    score: int
    label: str
    comment: str
    created_at: str | None


def rating_body(rating) -> dict:
    return {"score": rating.score, "label": feedback.SCORES[rating.score], "comment": rating.comment,
            "created_at": local_iso(rating.created_at)}


@router.post("/dossiers/{code}/rating", auth=token_or_session, response={201: RatingOut},
             summary="Đánh giá mức độ hài lòng (một lần, sau khi nhận kết quả)")
def rate(request, code: str, payload: RatingIn):
    rating = feedback.rate_dossier(request.auth, code, payload.score, payload.comment or "")
    return 201, {"code": code, **rating_body(rating)}


@router.get("/dossiers/{code}/rating", auth=token_or_session, response={200: RatingOut}, summary="Đánh giá của hồ sơ")
def get_rating(request, code: str):
    return {"code": code, **rating_body(feedback.get_rating(request.auth, code))}
