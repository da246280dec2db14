"""One error shape for the whole API (docs/api.md)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError as NinjaValidationError

try:  # ninja ≥ 1.2
    from ninja.errors import Throttled
except ImportError:  # pragma: no cover
    Throttled = None

from motcua.errors import DomainError, error_body

STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid_input", 429: "throttled",
}


def _field_path(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "body", "form", "file", "header", "cookie"}:
        parts = parts[1:]
    if parts and parts[0] in {"payload", "data", "body", "filters"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "body"


_MESSAGES = {
    "missing": "Bắt buộc.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "float_parsing": "Phải là số.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
    "string_too_long": "Quá dài.",
    "string_too_short": "Quá ngắn.",
    "datetime_parsing": "Thời điểm không hợp lệ (dạng ISO 8601, ví dụ 2026-04-29T10:00:00+07:00).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (dạng ISO 8601, ví dụ 2026-04-29T10:00:00+07:00).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "literal_error": "Giá trị không được chấp nhận.",
    "enum": "Giá trị không được chấp nhận.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "string_type": "Phải là chuỗi ký tự.",
    "bool_parsing": "Phải là true hoặc false.",
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_body(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            path = _field_path(err.get("loc", ()))
            message = _MESSAGES.get(err.get("type", ""), err.get("msg", "Không hợp lệ."))
            if err.get("type") in {"greater_than_equal", "less_than_equal", "string_too_long"} and err.get("ctx"):
                message = f"{message} ({', '.join(f'{k}={v}' for k, v in err['ctx'].items())})"
            fields.setdefault(path, []).append(message)
        return api.create_response(
            request, error_body("invalid_input", "Dữ liệu gửi lên chưa hợp lệ.", fields), status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, error_body("unauthorized", "Vui lòng đăng nhập hoặc gửi mã truy cập (Bearer token) hợp lệ."), status=401
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body("not_found", "Không tìm thấy."), status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, error_body("forbidden", "Bạn không có quyền thực hiện thao tác này."), status=403)

    if Throttled is not None:
        @api.exception_handler(Throttled)
        def throttled(request, exc):
            response = api.create_response(
                request, error_body("throttled", "Quá nhiều yêu cầu, vui lòng thử lại sau ít phút."), status=429
            )
            if getattr(exc, "wait", None):
                response["Retry-After"] = str(int(exc.wait))
            return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = STATUS_CODES.get(exc.status_code, "error")
        message = str(exc) or code
        if exc.status_code == 400 and ("JSON" in message or "parse" in message):
            return api.create_response(request, error_body("invalid_json", "Nội dung gửi lên không phải JSON hợp lệ."), status=400)
        return api.create_response(request, error_body(code, message), status=exc.status_code)
