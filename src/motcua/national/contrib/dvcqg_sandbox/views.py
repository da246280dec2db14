"""The simulator's endpoints (see the package docstring for the protocol)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import time

import httpx
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.national.contrib.dvcqg.config import sandbox_identity
from motcua.national.contrib.dvcqg_sandbox import catalog, filings
from motcua.national.contrib.dvcqg_sandbox.models import (
    SandboxCatalog,
    SandboxDossier,
    SandboxFault,
    SandboxFiling,
    SandboxPush,
    SandboxQuestion,
    SandboxSession,
    SandboxStep,
)

DATE = re.compile(r"^\d{14}$")
DATE_FIELDS = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi")
FETCH_TIMEOUT = 10


def _answer(code: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error_code": code, "message": message, **extra}, json_dumps_params={"ensure_ascii": False})


def _on():
    if not settings.DVCQG_SANDBOX:
        raise Http404


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


# ------------------------------------------------------------------ faults

def _take_fault(service: str) -> SandboxFault | None:
    with transaction.atomic():
        fault = (SandboxFault.objects.select_for_update().filter(remaining__gt=0)
                 .filter(service__in=["", service]).order_by("id").first())
        if fault is None:
            return None
        SandboxFault.objects.filter(pk=fault.pk).update(remaining=fault.remaining - 1)
    return fault


def _apply_fault(fault: SandboxFault):
    """An answer that replaces the real one, or None to go on (after a delay)."""
    if fault.mode == "slow":
        time.sleep(fault.delay)  # the fault being simulated is the wait itself
        return None
    if fault.mode == "http":
        return HttpResponse("Service Unavailable", status=fault.error_code or 503)
    if fault.mode == "malformed":  # a success whose rows are not what the service's shape says
        return _answer(0, "Thành công.", result=[{"KHONGRO": fault.message or "?"}])
    if fault.mode == "expire_session":
        SandboxSession.objects.all().delete()
        return _answer(-1, "Phiên làm việc không hợp lệ hoặc đã hết hạn.")
    return _answer(fault.error_code, fault.message or "Lỗi hệ thống.")


# ------------------------------------------------------------------ login

@csrf_exempt
@require_POST
def auth(request):
    _on()
    body = _body(request) or {}
    username, password, dstcode, _ = sandbox_identity()
    if request.headers.get("dstcode", "") != dstcode:
        return _answer(-1, "Mã hệ thống (dstcode) không đúng.")
    if body.get("username") != username or not secrets.compare_digest(str(body.get("password", "")), password):
        return _answer(-1, "Sai tên đăng nhập hoặc mật khẩu.")
    token = secrets.token_urlsafe(24)
    SandboxSession.objects.filter(expires_at__lt=timezone.now()).delete()
    SandboxSession.objects.create(
        token=token, expires_at=timezone.now() + dt.timedelta(seconds=settings.DVCQG_SANDBOX_SESSION_SECONDS))
    return _answer(0, "Đăng nhập thành công.", session=token)


def _session_ok(token) -> bool:
    return bool(token) and SandboxSession.objects.filter(token=str(token), expires_at__gt=timezone.now()).exists()


# ------------------------------------------------------------------ data calls

@csrf_exempt
@require_POST
def integration(request):
    return _dispatch(request, INTEGRATION)


@csrf_exempt
@require_POST
def share(request):
    return _dispatch(request, SHARE)


def _dispatch(request, services: dict):
    _on()
    body = _body(request)
    if body is None:
        return _answer(-1, "Dữ liệu không phải JSON.")
    service = str(body.get("service") or "")
    fault = _take_fault(service)
    if fault is not None:
        answer = _apply_fault(fault)
        if answer is not None:
            return answer
    if not _session_ok(body.get("session")):
        return _answer(-1, "Phiên làm việc không hợp lệ hoặc đã hết hạn.")
    if body.get("madonvi") != sandbox_identity()[3]:
        return _answer(-1, "Mã đơn vị (madonvi) không đúng.")
    handler = services.get(service)
    if handler is None:
        return _answer(-1, f"Dịch vụ “{service}” không được hỗ trợ.")
    return handler(body)


def tra_cuu_ho_so(body):
    code = str(body.get("mahoso") or body.get("MaHoSo") or "")
    held = SandboxDossier.objects.filter(ma_ho_so=code).first()
    if held is None:
        return _answer(0, "Không tìm thấy hồ sơ.", result=[])
    steps = list(SandboxStep.objects.filter(ma_ho_so=code).order_by("id").values_list("data", flat=True))
    return _answer(0, "Thành công.", result=[{**held.data, "DanhSachTienDo": steps}])


def _problems(item) -> list[str]:
    if not isinstance(item, dict):
        return ["phần tử không phải đối tượng"]
    found = []
    if not str(item.get("MaHoSo") or "").strip():
        found.append("thiếu MaHoSo")
    for name in DATE_FIELDS:
        value = item.get(name, "")
        if value not in ("", None) and not DATE.match(str(value)):
            found.append(f"{name} phải có dạng yyyyMMddHHmmss")
    if str(item.get("TrangThaiHoSo")) not in {str(n) for n in range(1, 11)}:
        found.append("TrangThaiHoSo phải từ 1 đến 10")
    if str(item.get("KenhThucHien")) not in {"1", "2", "3"}:
        found.append("KenhThucHien phải là 1, 2 hoặc 3")
    return found


def _file_urls(item: dict) -> list[str]:
    urls = [f.get("DuongDanTaiTepTin") for f in item.get("TaiLieuNop") or [] if isinstance(f, dict)]
    urls += [f.get("DuongDanTepTinKetQua") for f in item.get("DanhSachGiayToKetQua") or [] if isinstance(f, dict)]
    return [u for u in urls if u]


def fetch(url: str) -> dict:
    """Download one file link as the national portal would: status, SHA-256, size."""
    try:
        response = httpx.get(url, timeout=FETCH_TIMEOUT)
    except httpx.HTTPError as exc:
        return {"url": url, "status": 0, "error": type(exc).__name__}
    return {"url": url, "status": response.status_code, "sha256": hashlib.sha256(response.content).hexdigest(),
            "size": len(response.content), "content_type": response.headers.get("content-type", "")}


def dong_bo_ho_so(body):
    data = body.get("data")
    updating = body.get("isUpdating")
    if updating not in ("True", "False"):
        return _answer(-1, "isUpdating phải là chuỗi \"True\" hoặc \"False\".")
    if not isinstance(data, list) or not data:
        return _answer(-1, "Thiếu data.")
    for item in data:
        problems = _problems(item)
        if problems:
            return _answer(-1, "Dữ liệu không hợp lệ: " + "; ".join(problems) + ".")
    codes = [str(item["MaHoSo"]) for item in data]
    held = {d.ma_ho_so: d for d in SandboxDossier.objects.filter(ma_ho_so__in=codes)}  # one read for the call
    for code in codes:
        if updating == "False" and code in held:
            return _answer(3, f"Hồ sơ {code} đã tồn tại trên hệ thống.")
        if updating == "True" and code not in held:
            return _answer(-1, f"Hồ sơ {code} chưa có trên hệ thống: không thể cập nhật.")
    new: dict[str, SandboxDossier] = {}
    for code, item in zip(codes, data, strict=True):
        files = [fetch(url) for url in _file_urls(item)]
        if code in held:
            dossier = held[code]
            dossier.data, dossier.files, dossier.updates = item, files, dossier.updates + 1
            dossier.save()
        elif code in new:  # twice in one call: the later one is an update of the first
            new[code].data, new[code].files, new[code].updates = item, files, new[code].updates + 1
        else:
            new[code] = SandboxDossier(ma_ho_so=code, data=item, files=files)
    SandboxDossier.objects.bulk_create(new.values())
    return _answer(0, "Đồng bộ hồ sơ thành công.")


def cap_nhat_tien_do(body):
    data = body.get("data")
    if not isinstance(data, list) or not data:
        return _answer(-1, "Thiếu data.")
    codes = {str(item.get("MaHoSo") or "") for item in data if isinstance(item, dict)}
    held = set(SandboxDossier.objects.filter(ma_ho_so__in=codes).values_list("ma_ho_so", flat=True))
    for item in data:
        if not isinstance(item, dict) or str(item.get("MaHoSo") or "") not in held:
            return _answer(-1, "Không tìm thấy hồ sơ để cập nhật tiến độ.")
        if str(item.get("TrangThai")) not in {str(n) for n in range(1, 11)}:
            return _answer(-1, "TrangThai phải từ 1 đến 10.")
    SandboxStep.objects.bulk_create([SandboxStep(ma_ho_so=item["MaHoSo"], data=item) for item in data])
    return _answer(0, "Cập nhật tiến độ hồ sơ thành công.")


def accept_array(service, required: tuple[str, ...] = ()):
    """A push of ``data`` items, each kept as received (a test counts them); ``required``: the
    keys each item must carry, not empty (shared/domain/national-systems.md §1.6)."""
    def handler(body):
        data = body.get("data")
        if not isinstance(data, list):
            return _answer(-1, "data phải là một mảng.")
        for i, item in enumerate(data):
            missing = [key for key in required if not isinstance(item, dict) or item.get(key) in (None, "")]
            if missing:
                return _answer(-1, f"data[{i}] thiếu {', '.join(missing)}.")
        SandboxPush.objects.bulk_create([SandboxPush(service=service, data=item) for item in data])
        return _answer(0, "Đồng bộ thành công.")
    return handler


def lay_danh_sach_hoi_dap(body):
    """``LayDanhSachHoiDapGuiTuDVCQG``: every question asked on the portal for the province's units,
    with its answer once one came back (``TRALOIID``, ``NOIDUNGTRALOI``). The demo's first look
    finds one waiting, so ``make run`` shows a question from the national portal in the unit's queue."""
    if not SandboxQuestion.objects.exists():
        filings.new_question()
    return _answer(0, "Thành công.", result=[q.row for q in SandboxQuestion.objects.order_by("id")])


def ket_qua_hoi_dap(body):
    """``DongBoKetQuaHoiDapGuiTuDVCQG``: kept as received, and each answer put on its question."""
    answer = accept_array("DongBoKetQuaHoiDapGuiTuDVCQG", ("HOIDAPID", "MADONVI", "NGAYTRALOI", "NOIDUNGTRALOI"))(body)
    if json.loads(answer.content).get("error_code") == 0:
        for item in body["data"]:
            question = SandboxQuestion.objects.filter(hoi_dap_id=str(item["HOIDAPID"])).first()
            if question is not None:
                question.row = {**question.row, "TRALOIID": f"TL-{question.pk}", "NOIDUNGTRALOI": item["NOIDUNGTRALOI"]}
                question.answer, question.answered_at = item, timezone.now()
                question.save()
    return answer


INTEGRATION = {
    "TraCuuHoSo": tra_cuu_ho_so,
    "DongBoHoSoMC": dong_bo_ho_so,
    "CapNhatTienDoHoSoMC": cap_nhat_tien_do,
    "DongBoDanhGia": accept_array("DongBoDanhGia"),
    "DongBoHoiDap": accept_array("DongBoHoiDap", ("HOIDAPID", "NOIDUNG", "MADONVI")),
    "DongBoKetQuaHoiDapGuiTuDVCQG": ket_qua_hoi_dap,
    "LayDanhSachHoiDapGuiTuDVCQG": lay_danh_sach_hoi_dap,
}


def _edition() -> int:
    state = SandboxCatalog.objects.order_by("id").first()
    return state.edition if state else 1


def lay_danh_sach_tthc(body):
    return _answer(0, "Thành công.", result=[{"MATTHC": code, "TENTTHC": record["TENTTHC"]}
                                              for code, record in catalog.procedures(_edition()).items()])


def lay_thu_tuc(body):
    code = str(body.get("maTTHC") or body.get("MATTHC") or "")
    record = catalog.procedures(_edition()).get(code)
    return _answer(0, "Thành công.", result=[record] if record else [])


INTEGRATION["LayThuTuc"] = lay_thu_tuc
SHARE = {
    "LayDanhSachTTHC": lay_danh_sach_tthc,
    "LayDanhMucLinhVuc": lambda body: _answer(0, "Thành công.", result=catalog.fields()),
    "LayDanhMucCoQuan": lambda body: _answer(0, "Thành công.", result=catalog.agencies()),
}


def set_edition(edition: int) -> None:
    """Publish edition ``edition`` of the simulated procedure database (the demo page's button)."""
    SandboxCatalog.objects.all().delete()
    SandboxCatalog.objects.create(edition=edition)


# ------------------------------------------------------------------ dossiers filed on the national portal

@csrf_exempt
@require_http_methods(["GET", "POST"])
def pull(request):
    """The pull mode's queue: the filings not yet handed out, as ``POST /national/dossiers`` bodies.
    The demo's first look finds one filing ready (a birth registration filed on the "national
    portal"), so ``make run`` shows a dossier from the national portal in the counter's queue."""
    _on()
    if not SandboxFiling.objects.exists():
        filings.new_filing()
    with transaction.atomic():
        waiting = list(SandboxFiling.objects.select_for_update().filter(delivered_at__isnull=True).order_by("id")[:100])
        SandboxFiling.objects.filter(pk__in=[f.pk for f in waiting]).update(delivered_at=timezone.now())
    return _answer(0, "Thành công.", result=[f.body for f in waiting])


@require_http_methods(["GET", "POST"])
def root(request):
    """A page for the demo: what the simulated portal holds; "file a dossier on the national portal"
    (the button files a birth registration at Thị trấn Yên Thế and forwards it at once); which
    edition of the procedure database it serves, and a button to publish the other one."""
    _on()
    if request.method == "POST" and request.POST.get("danh_muc") in ("1", "2"):
        set_edition(int(request.POST["danh_muc"]))
        return redirect(request.path)
    if request.method == "POST":
        filing = filings.new_filing()
        try:
            forwarded = filings.forward(filing).status_code in (200, 201)
        except httpx.HTTPError:
            forwarded = False
        return redirect(f"{request.path}?gui={'1' if forwarded else '0'}&ma={filing.ma_ho_so}")
    return render(request, "dvcqg_sandbox/root.html", {
        "dossiers": SandboxDossier.objects.order_by("-updated_at")[:20],
        "count": SandboxDossier.objects.count(),
        "steps": SandboxStep.objects.count(),
        "pushes": SandboxPush.objects.count(),
        "filings": SandboxFiling.objects.order_by("-created_at")[:10],
        "sent": request.GET.get("gui"), "code": request.GET.get("ma", "")[:80],
        "edition": _edition(),
    })
