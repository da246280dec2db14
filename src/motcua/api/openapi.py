"""The OpenAPI document declares every status an operation answers, with its body.

Each operation's own success responses come from its ``response=`` declaration; the error
answers every operation can give (docs/api.md) are added here once, all with the one
``ErrorOut`` body: 400 (text the database cannot store, ``motcua.badinput``; bad JSON),
401/403 (operations that need a caller), 404 (unknown code, unit or page), 409 and 413 on
writes, 415 on the upload, 422 (invalid input), 429 on the token endpoint.
"""

from __future__ import annotations

from ninja import NinjaAPI

from motcua.api.schemas import ErrorOut

ERROR_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ (ký tự không lưu được, JSON hỏng)",
    401: "Chưa đăng nhập hoặc mã truy cập không hợp lệ",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Thao tác không được phép ở trạng thái hiện tại, hoặc trùng",
    413: "Nội dung gửi lên quá lớn",
    415: "Loại tệp không được chấp nhận",
    422: "Dữ liệu chưa hợp lệ (fields nêu từng trường)",
    429: "Quá nhiều yêu cầu (Retry-After)",
}


def error_statuses(path: str, method: str, operation: dict) -> list[int]:
    statuses = [400, 404, 422]
    if operation.get("security"):
        statuses += [401, 403]
    if method in ("post", "put", "patch", "delete"):
        statuses += [409, 413]
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        statuses.append(415)
    if path.endswith("/auth/token"):
        statuses += [401, 429]
    return sorted(set(statuses))


class MotcuaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in error_statuses(path, method, operation):
                    responses.setdefault(str(status), {"description": ERROR_DESCRIPTIONS[status], "content": body})
        return schema
