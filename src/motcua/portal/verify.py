"""``/xac-thuc/`` and ``/xac-thuc/{token}/`` (docs/pages.md): anyone verifies a document.

Upload a PDF: every signature's verdict in plain Vietnamese and whether Motcua issued this
exact file (:func:`motcua.signing.verify.verify_pdf`, the one function the API and the CLI
call too). Open the link of the QR code printed on a result: its title, issuing unit, date and
status only — never the applicant — and the upload to check the copy in hand against it.
``/xac-thuc/demo-pki/…``: the demo PKI's timestamp authority, OCSP and CRLs, only while
``MOTCUA_SIGNING_DEMO`` is on (``make run``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.errors import DomainError
from motcua.signing.models import IssuedDocument
from motcua.signing.verify import read_upload, verify_pdf


def _verify_upload(request, context: dict) -> int:
    try:
        context["result"] = verify_pdf(read_upload(request.FILES.get("file")))
    except DomainError as error:
        context["error"] = error.message
        return error.status
    return 200


def document_status(document: IssuedDocument) -> str:
    roles = set(document.versions.exclude(signed_by="").values_list("signed_by", flat=True))
    if {"leader", "agency"} <= roles:
        signed = _("đã ký số bởi người có thẩm quyền và cơ quan")
    elif "agency" in roles:
        signed = _("đã ký số bởi cơ quan")
    elif "leader" in roles:
        signed = _("đã ký số bởi người có thẩm quyền")
    else:
        signed = _("chưa ký số")
    issued = _("Đã cấp") if document.issued_at else _("Chưa trả kết quả")
    return f"{issued}, {signed}"


@require_http_methods(["GET", "POST"])
def verify_page(request):
    context: dict = {}
    status = _verify_upload(request, context) if request.method == "POST" else 200
    return render(request, "portal/verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def issued_page(request, token: str):
    document = (IssuedDocument.objects.select_related("unit").filter(token=str(token)[:40]).first())
    if document is None:
        return render(request, "portal/verify.html", {"unknown_token": True}, status=404)
    context: dict = {"document": document, "document_status": document_status(document)}
    status = _verify_upload(request, context) if request.method == "POST" else 200
    result = context.get("result")
    if result is not None:
        context["same_document"] = result.issued is not None and result.issued.token == document.token
    return render(request, "portal/verify.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def demo_pki(request, rest: str):
    """The demo PKI's services (certomancer's own application) while MOTCUA_SIGNING_DEMO is on."""
    if not settings.SIGNING_DEMO:
        raise Http404(rest)
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    from motcua.signing import demo_pki as pki_files
    from motcua.signing import keys

    directory = keys.demo_directory()
    if not (directory / pki_files.MANIFEST).exists():
        keys.demo_pki_if_on()  # made once, on first use
    app = _animator(str(directory), (directory / pki_files.MANIFEST).stat().st_mtime)
    builder = EnvironBuilder(path="/" + rest, method=request.method, data=request.body if request.method == "POST" else None,
                             content_type=request.content_type or None)
    response = app.dispatch(Request(builder.get_environ()))
    body = response.get_data()
    return HttpResponse(body, status=response.status_code, content_type=response.mimetype or "application/octet-stream")


_ANIMATORS: dict = {}


def _animator(directory: str, version: float):
    """certomancer's application for the PKI in ``directory`` (made again when the PKI was)."""
    if _ANIMATORS.get(directory, (None,))[0] != version:
        from motcua.signing import demo_pki as pki_files

        _ANIMATORS[directory] = (version, pki_files.animator(directory))
    return _ANIMATORS[directory][1]
