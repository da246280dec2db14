"""Statistics report endpoints (CONTRACT §5): JSON, and Biểu 06 as .xlsx and .pdf."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router

from motcua.api.auth import token_or_session
from motcua.reports import export
from motcua.reports.services import report_for_user

router = Router(tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, unit: str, date_from: str, date_to: str, children: str) -> dict:
    return report_for_user(request.auth, unit, date_from, date_to, children)


def _file_name(report: dict, extension: str) -> str:
    return f"bieu06-{report['unit']}-{report['from']}-{report['to']}.{extension}"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/reports/tthc", auth=token_or_session, summary="Báo cáo tình hình giải quyết TTHC (JSON)")
def tthc(request,
         unit: str = Query("", max_length=40, description="Mã đơn vị"),
         date_from: str = Query("", alias="from", max_length=20, description="Từ ngày (YYYY-MM-DD)"),
         date_to: str = Query("", alias="to", max_length=20, description="Đến ngày (YYYY-MM-DD)"),
         children: str = Query("", max_length=5, description="1: cộng cả các đơn vị trực thuộc")):
    """CONTRACT §5. Leaders and inspectors: their units and the units below them; admins: all."""
    return _report(request, unit, date_from, date_to, children)


@router.get("/reports/tthc.xlsx", auth=token_or_session, summary="Biểu số 06/VPCP/KSTT (Excel)")
def tthc_xlsx(request,
              unit: str = Query("", max_length=40),
              date_from: str = Query("", alias="from", max_length=20),
              date_to: str = Query("", alias="to", max_length=20),
              children: str = Query("", max_length=5)):
    report = _report(request, unit, date_from, date_to, children)
    return _attachment(export.to_xlsx(report), XLSX, _file_name(report, "xlsx"))


@router.get("/reports/tthc.pdf", auth=token_or_session, summary="Biểu số 06/VPCP/KSTT (PDF)")
def tthc_pdf(request,
             unit: str = Query("", max_length=40),
             date_from: str = Query("", alias="from", max_length=20),
             date_to: str = Query("", alias="to", max_length=20),
             children: str = Query("", max_length=5)):
    report = _report(request, unit, date_from, date_to, children)
    return _attachment(export.to_pdf(report), "application/pdf", _file_name(report, "pdf"))
