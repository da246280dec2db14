"""Input the application cannot store or read is answered 4xx before any view runs.

One middleware, :class:`BadInputMiddleware`, guards every page and API endpoint:

- **Text the databases cannot store**: NUL (U+0000; PostgreSQL text cannot hold it) and
  lone surrogates (U+D800–U+DFFF; UTF-8 cannot encode them, whether they come as
  ``%ED%A0%80`` or as a ``\\ud800`` JSON escape) anywhere in the path, the query string,
  the cookies, a form field, an uploaded file's name, or any key or value of a JSON body
  → 400 ``invalid_text``, ``fields`` naming where (``path``, ``unit``,
  ``applicant.full_name`` …). Uploaded file *bytes* are binary and never inspected.
- **Bodies over the limits**: a JSON or form body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` →
  413 ``too_large``; an uploaded file over ``UPLOAD_MAX_BYTES`` → 413 ``file_too_large``
  (a body whose declared length is already over is refused before it is read; while a
  multipart body is read, a file part stops being read as soon as it grows past the
  limit); too many fields or files, or a broken multipart body → 400. A JSON body nested
  too deeply to parse → 400 ``invalid_json``.
- **The last resort**: a ``DataError`` (a value the database refused: too long, out of
  range) or a ``UnicodeEncodeError`` that escapes a view → 400 ``unstorable_input``,
  logged as one line naming the route and the error's class only: a traceback would
  carry the request's data (an applicant's ID number) into the log.

Machine clients (``/api/…``, or a request with a JSON body) get the docs/api.md error
body; browsers get the Vietnamese error page.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db.utils import DataError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import UnreadablePostError
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Room for the multipart boundaries, part headers and small text fields beside a file.
MULTIPART_SLACK = 64 * 1024
_FIELD_NAME_MAX = 200

INVALID_TEXT = "Chứa ký tự không hợp lệ (ký tự NUL hoặc mã UTF-16 thay thế đứng riêng)."


class Rejected(Exception):
    """Why a request is refused: status, code, message and the fields concerned."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


# ------------------------------------------------------------------ the text rule

def is_storable(text: str) -> bool:
    """Whether both databases can store ``text``: no NUL, and encodable as UTF-8."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_name(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced, short enough to name a field."""
    cleaned = "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in str(text))
    return cleaned[:_FIELD_NAME_MAX]


def _invalid_text(field: str) -> Rejected:
    return Rejected(400, "invalid_text", "Dữ liệu gửi lên chứa ký tự không hợp lệ.",
                    {printable_name(field) or "body": [INVALID_TEXT]})


def unstorable_in_json(value) -> str | None:
    """The path (``applicant.full_name``, ``items.0``) of the first key or string in a
    parsed JSON value that cannot be stored, or None when all can."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not is_storable(item):
                return path or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if not is_storable(key):
                    return child_path
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}" if path else str(i), child) for i, child in enumerate(item))
    return None


def _decode_strict(raw: bytes, field: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid_text(field) from None
    if "\x00" in text:
        raise _invalid_text(field)
    return text


def check_urlencoded(raw: bytes, where: str) -> None:
    """Each name and value of a query string or form body, percent-decoded, must be UTF-8
    text without NUL. (Django itself replaces bad bytes with U+FFFD and keeps NUL.)"""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name, _sep, value = pair.partition(b"=")
        field = _decode_strict(unquote_to_bytes(name.replace(b"+", b" ")), where)
        _decode_strict(unquote_to_bytes(value.replace(b"+", b" ")), field or where)


def check_path(path_info: str) -> None:
    """The path as Django decoded it. Bytes that are not UTF-8 (a surrogate's ``%ED%A0%80``)
    Django keeps percent-encoded ("repercent"), so a path still holding ``%XX`` escapes must
    decode as UTF-8 once more."""
    if "\x00" in path_info:
        raise _invalid_text("path")
    if "%" in path_info:
        _decode_strict(unquote_to_bytes(path_info), "path")


def _wsgi_bytes(value: str) -> bytes:
    """A WSGI environ string back to the bytes that came over the wire (PEP 3333: latin-1)."""
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------ uploads

class UploadLimitHandler(FileUploadHandler):
    """Stops reading a file part once it exceeds the limit; the middleware then answers 413."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.motcua_upload_too_large = True
            oversize = getattr(self.request, "motcua_oversize_files", None)
            if oversize is None:
                oversize = self.request.motcua_oversize_files = {}
            oversize[self.field_name] = self.file_name or ""
            raise SkipFile  # Django closes (and deletes) the partial file and skips the rest
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_limit() -> int:
    return settings.UPLOAD_MAX_BYTES


def file_too_large(limit: int | None = None) -> Rejected:
    from motcua.uploads import too_large

    error = too_large(upload_limit() if limit is None else limit)
    return Rejected(error.status, error.code, error.message, error.fields)


def body_too_large() -> Rejected:
    return Rejected(413, "too_large", "Nội dung gửi lên quá lớn.")


def answers_oversize_upload(view):
    """Mark a page view that answers a file over the limit on its own page: it runs with the
    other fields and files, and :func:`oversize_files` names the file parts left out."""
    view.answers_oversize_upload = True
    return view


def oversize_files(request) -> dict[str, str]:
    """``{field name: file name}`` of the file parts over the limit that were left out."""
    return dict(getattr(request, "motcua_oversize_files", None) or {})


def _check_multipart(request) -> None:
    limit = upload_limit()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # A form sent by a browser may carry several papers, each under the limit: its body is read
    # up to what a dossier may hold, each file part stopping at the limit (a page then says which
    # file was too large); anything else is refused by its declared length, unread.
    ceiling = max(limit, settings.DOSSIER_UPLOAD_MAX_BYTES) if not wants_json(request) else limit
    if length > ceiling + MULTIPART_SLACK:
        raise file_too_large(limit)
    request.upload_handlers.insert(0, UploadLimitHandler(request, limit))
    try:
        form, files = request.POST, request.FILES
    except RequestDataTooBig:
        raise body_too_large() from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise Rejected(400, "bad_request", "Gửi quá nhiều trường hoặc tệp trong một yêu cầu.") from None
    except (MultiPartParserError, UnreadablePostError):
        raise Rejected(400, "bad_multipart", "Nội dung multipart/form-data không hợp lệ.") from None
    if getattr(request, "motcua_upload_too_large", False):
        raise file_too_large(limit)
    for name, values in form.lists():
        if not is_storable(name):
            raise _invalid_text(name)
        for value in values:
            if not is_storable(value):
                raise _invalid_text(name)
    for name, uploads in files.lists():
        if not is_storable(name):
            raise _invalid_text(name)
        for upload in uploads:
            if not is_storable(upload.name or ""):
                raise _invalid_text(f"{name}.filename")


# ------------------------------------------------------------------ the request

def check_request(request) -> None:
    """Raise :class:`Rejected` for a request no view should see."""
    check_path(request.path_info)
    check_urlencoded(_wsgi_bytes(request.META.get("QUERY_STRING", "")), "query")
    for name, value in request.COOKIES.items():
        if not (is_storable(name) and is_storable(value)):
            raise _invalid_text(f"cookie.{name}")
    if request.method not in BODY_METHODS:
        return
    if request.content_type == "multipart/form-data":
        _check_multipart(request)
        return
    try:
        body = request.body
    except RequestDataTooBig:
        raise body_too_large() from None
    if not body:
        return
    if request.content_type == "application/x-www-form-urlencoded":
        check_urlencoded(body, "form")
        return
    try:
        parsed = json.loads(body)
    except RecursionError:
        raise Rejected(400, "invalid_json", "Nội dung JSON lồng quá sâu.") from None
    except ValueError:
        return  # not JSON: whoever reads the body answers (the API: 400 invalid_json)
    where = unstorable_in_json(parsed)
    if where is not None:
        raise _invalid_text(where)


def wants_json(request) -> bool:
    """Machine clients get the API's error body (docs/api.md#errors): the API, and any request with a JSON body."""
    return request.path_info.startswith(API_PREFIX) or request.content_type == "application/json"


def respond(request, rejected: Rejected):
    if wants_json(request):
        body = {"error": {"code": rejected.code, "message": rejected.message, "fields": rejected.fields}}
        return JsonResponse(body, status=rejected.status, json_dumps_params={"ensure_ascii": False})
    if rejected.status == 400:
        from motcua.portal.views import bad_request

        return bad_request(request)
    from motcua.formatting import file_size

    context = {"status": rejected.status, "title": _("Nội dung gửi lên quá lớn"),
               "message": _("Tệp hoặc nội dung gửi lên vượt quá giới hạn cho phép (mỗi tệp tối đa %(limit)s). "
                            "Vui lòng gửi tệp nhỏ hơn.") % {"limit": file_size(upload_limit())},
               "back": request.path}
    return render(request, "error.html", context, status=rejected.status)


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else "?"


class BadInputMiddleware:
    """Checks each request once (see the module); turns database rejections into a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except Rejected as rejected:
            if rejected.status != 413 or wants_json(request):
                return respond(request, rejected)
            # A page's body over the limits is answered once the user is known (process_view),
            # so the page shows them signed in; a view marked with answers_oversize_upload answers
            # a file over the limit on its own page.
            request.motcua_rejected = rejected
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rejected = getattr(request, "motcua_rejected", None)
        if rejected is None:
            return None
        if (rejected.code == "file_too_large" and oversize_files(request)
                and getattr(view_func, "answers_oversize_upload", False)):
            return None
        return respond(request, rejected)

    def process_exception(self, request, exception):
        if not isinstance(exception, (DataError, UnicodeEncodeError)):
            return None
        logger.warning("Refused a value the database cannot store: %s %s (%s)",
                       request.method, _route(request), type(exception).__name__)
        return respond(request, Rejected(
            400, "unstorable_input",
            "Dữ liệu gửi lên có giá trị không lưu được (quá dài, quá lớn hoặc chứa ký tự không hợp lệ).",
        ))
