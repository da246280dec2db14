"""The applicant's satisfaction: the one-click rating and the five-criteria survey of a dossier, each
once, by its owner, after the result is returned (docs/api.md)."""

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


class SurveyCriteria(Schema):
    access: int = PydField(..., description="Tiếp cận dịch vụ: 3 rất hài lòng, 2 hài lòng, 1 không hài lòng")
    procedure: int = PydField(..., description="Thủ tục hành chính")
    officers: int = PydField(..., description="Cán bộ, công chức giải quyết")
    result: int = PydField(..., description="Kết quả giải quyết")
    feedback: int = PydField(..., description="Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")


class SurveyIn(Schema):
    criteria: dict = PydField(..., description="access, procedure, officers, result, feedback: 1|2|3 each")
    comment: str | None = PydField(None, max_length=feedback.COMMENT_MAX)


class SurveyOut(Schema):
    code: str
    criteria: SurveyCriteria
    comment: str
    created_at: str | None


def survey_body(survey) -> dict:
    return {"code": survey.dossier.code, "criteria": survey.scores(), "comment": survey.comment,
            "created_at": local_iso(survey.created_at)}


@router.post("/dossiers/{code}/survey", auth=token_or_session, response={201: SurveyOut},
             summary="Khảo sát mức độ hài lòng theo năm tiêu chí (một lần, sau khi nhận kết quả)")
def answer_survey(request, code: str, payload: SurveyIn):
    survey = feedback.answer_survey(request.auth, code, payload.criteria, payload.comment or "")
    return 201, survey_body(survey)


@router.get("/dossiers/{code}/survey", auth=token_or_session, response={200: SurveyOut},
            summary="Phiếu khảo sát của hồ sơ")
def get_survey(request, code: str):
    return survey_body(feedback.get_survey(request.auth, code))
