"""The simulator's two doors (see the package's docstring). It keeps nothing and logs nothing."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.national.contrib.population.client import DANCU, QLDC, SANDBOX_TOKEN, SOAP_ENV
from motcua.national.contrib.population_sandbox.citizens import CITIZENS, FAILING, GATEWAY_TIMEOUT, SLOW

MAX_BODY = 64 * 1024


def _authorised(request) -> bool:
    return request.headers.get("Authorization", "") == f"Bearer {SANDBOX_TOKEN}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _answer(number: str) -> bytes:
    """The SOAP answer for ``number``: its ``CongDan``, or an empty collection."""
    ET.register_namespace("soapenv", SOAP_ENV)
    ET.register_namespace("dc", DANCU)
    envelope = ET.Element(f"{{{SOAP_ENV}}}Envelope")
    body = ET.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    collection = ET.SubElement(body, f"{{{DANCU}}}CongdanCollection")
    person = CITIZENS.get(number)
    if person is not None:
        def sub(parent, name, text=None):
            element = ET.SubElement(parent, f"{{{DANCU}}}{name}")
            if text is not None:
                element.text = text
            return element

        citizen = sub(collection, "CongDan")
        sub(citizen, "SoDinhDanh", number)
        sub(citizen, "SoCMND", "")
        sub(citizen, "ThuDienTu", person["ThuDienTu"])
        name = sub(citizen, "HoVaTen")
        for part in ("Ho", "ChuDem", "Ten"):
            sub(name, part, person[part])
        sub(citizen, "GioiTinh", person["GioiTinh"])
        sub(citizen, "DanToc", person["DanToc"])
        born = sub(citizen, "NgayThangNamSinh")
        sub(born, "Nam", person["NgayThangNam"][:4])
        sub(born, "NgayThangNam", person["NgayThangNam"])
        sub(citizen, "QuocTich", "VN")
        for place in ("ThuongTru", "NoiOHienTai"):
            if person[place]:
                address = sub(citizen, place)
                for key, value in person[place].items():
                    sub(address, key, value)
                sub(address, "QuocGia", "VN")
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(envelope, encoding="utf-8")


def _fault() -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Body>'
            '<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Lỗi hệ thống CSDL dân cư</faultstring>'
            '</soapenv:Fault></soapenv:Body></soapenv:Envelope>').encode()


def _slow() -> None:
    """Answer only after the client has given up (its own timeout, and a little more)."""
    threading.Event().wait(float(settings.POPULATION_TIMEOUT) + 1.0)


def _number_from_soap(raw: bytes) -> str | None:
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return None
    operation = next((e for e in root.iter() if _local(e.tag) == "TraCuuThongTinCongDan" and e.tag.startswith(f"{{{QLDC}}}")), None)
    if operation is None:
        return None
    names = [_local(c.tag) for c in operation]
    if names[:5] != ["MaYeuCau", "MaDVC", "MaTichHop", "MaCanBo", "SoDinhDanh"]:
        return None  # the order the gateway expects
    values = {_local(c.tag): (c.text or "").strip() for c in operation}
    if not values["MaYeuCau"] or not values["MaCanBo"]:
        return None
    return values["SoDinhDanh"]


@csrf_exempt
@require_POST
def soap(request):
    if not _authorised(request):
        return HttpResponse("Unauthorized", status=401, content_type="text/plain")
    if len(request.body) > MAX_BODY:
        return HttpResponse(_fault(), status=500, content_type="text/xml; charset=utf-8")
    number = _number_from_soap(request.body)
    if number is None:
        return HttpResponse(_fault(), status=500, content_type="text/xml; charset=utf-8")
    if number == GATEWAY_TIMEOUT:
        return HttpResponse("Gateway Timeout", status=504, content_type="text/plain")
    if number == SLOW:
        _slow()
    if number == FAILING:
        return HttpResponse(_fault(), status=500, content_type="text/xml; charset=utf-8")
    return HttpResponse(_answer(number), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def json_proxy(request):
    if not _authorised(request):
        return JsonResponse({"error_code": -1, "message": "Unauthorized"}, status=401)
    try:
        body = json.loads(request.body[:MAX_BODY])
    except ValueError:
        body = None
    required = ("SoDinhDanh", "MaTichHop", "MaDVC", "MaCanBo", "MaYeuCau")
    if not isinstance(body, dict) or any(not isinstance(body.get(k), str) or not body.get(k) for k in required):
        return JsonResponse({"error_code": -1, "message": "Thiếu tham số"})
    number = body["SoDinhDanh"]
    if number == GATEWAY_TIMEOUT:
        return HttpResponse("Gateway Timeout", status=504, content_type="text/plain")
    if number == SLOW:
        _slow()
    if number == FAILING:
        return JsonResponse({"error_code": -1, "message": "Lỗi hệ thống CSDL dân cư"})
    return JsonResponse({"error_code": 0, "message": _answer(number).decode("utf-8")})
