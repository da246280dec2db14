"""The province gateway's population-database lookup, spoken over HTTP (shared/domain/national-systems.md §4).

Two variants, chosen by ``MOTCUA_POPULATION_MODE``:

* ``soap`` (Hà Giang's LGSP, OpenCPS ``QLCDIntegrationActionImpl``): ``POST`` of a SOAP 1.1
  envelope whose body is ``qldc:TraCuuThongTinCongDan`` (``qldc`` = ``http://dancuquocgia.bca``)
  with, in this order, ``MaYeuCau`` (a unique request id), ``MaDVC`` (the DVCQG service code the
  lookup is for), ``MaTichHop`` (``037`` in every deployment seen), ``MaCanBo`` (the officer's
  username), ``SoDinhDanh``, then ``SoCMND``, ``HoVaTen`` and ``NgayThangNamSinh/NgayThangNam``
  (left empty: the lookup is by ID number). The answer is SOAP.
* ``json`` (Thanh Hóa's proxy ``…/apiCSDLDanCu/ChiaSeThongTinCongDan``): ``POST`` of
  ``{HoVaTen, SoDinhDanh, SoCMND, NgayThangNam, Nam, MaTichHop, MaDVC, MaCanBo, MaYeuCau}``; the
  answer is ``{error_code, message}`` whose ``message`` holds the SOAP answer as text.

Both carry ``Authorization: Bearer MOTCUA_POPULATION_TOKEN``. The SOAP answer's
``Envelope/Body/CongdanCollection/CongDan`` (namespace ``http://www.mic.gov.vn/dancu/1.0``) is read
by local names (gateways re-prefix it): an empty collection means no such citizen.

A timeout, or the gateway answering 504/408, is :class:`GatewayTimeout`; a refused connection,
another HTTP error, a SOAP fault, ``error_code`` ≠ 0 or an unreadable body is
:class:`GatewayError`. Answers are parsed with the standard library's expat (2.4.1 and later refuse
entity expansion bombs; ElementTree never fetches external entities) and read only up to
:data:`ANSWER_MAX_BYTES`. Nothing here logs: the caller logs the request id and the outcome.
"""

from __future__ import annotations

import json
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.urls import reverse

from motcua.links import public_url
from motcua.national.contrib.population.plugin import population

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
QLDC = "http://dancuquocgia.bca"
DANCU = "http://www.mic.gov.vn/dancu/1.0"
OPERATION = "TraCuuThongTinCongDan"
INTEGRATION_CODE = "037"   # MaTichHop: the value of every deployment seen [I]
DEFAULT_SERVICE_CODE = "VPCP"  # MaDVC when the procedure has no national code (Thanh Hóa's proxy sends it) [I]
ANSWER_MAX_BYTES = 512 * 1024
SOAP, JSON = "soap", "json"
MODES = (SOAP, JSON)
# The simulator's own token: it accepts nothing else (never in production: check --deploy).
SANDBOX_TOKEN = "motcua-population-sandbox"


class GatewayFault(Exception):
    code = "population_error"


class GatewayTimeout(GatewayFault):
    code = "population_timeout"


class GatewayError(GatewayFault):
    code = "population_error"


@dataclass(frozen=True)
class Gateway:
    url: str
    mode: str
    token: str
    sandbox: bool

    def __repr__(self) -> str:  # never print the token
        return f"Gateway(url={self.url!r}, mode={self.mode!r}, sandbox={self.sandbox})"


def gateway() -> Gateway | None:
    """The gateway in force, or None when the population database is not connected."""
    plugin = population()
    mode = settings.POPULATION_MODE if settings.POPULATION_MODE in MODES else SOAP
    if plugin.uses_sandbox():
        return Gateway(public_url(reverse(f"national:population_sandbox:{mode}")), mode, SANDBOX_TOKEN, True)
    if plugin.missing():
        return None
    return Gateway(settings.POPULATION_URL, mode, settings.POPULATION_TOKEN, False)


def new_request_id() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Query:
    request_id: str   # MaYeuCau
    service_code: str  # MaDVC
    officer: str      # MaCanBo
    id_number: str    # SoDinhDanh


@dataclass(frozen=True)
class Citizen:
    """What the intake form takes from the answer, and what the officer checks it against."""

    id_number: str
    full_name: str
    birth_date: str   # as the database gives it (yyyyMMdd or a year)
    gender: str
    address: str      # where the citizen lives now, else the permanent residence
    email: str

    @property
    def birth_date_text(self) -> str:
        """``19900512`` → ``12/05/1990``; a year alone as it is."""
        d = self.birth_date
        return f"{d[6:8]}/{d[4:6]}/{d[:4]}" if len(d) == 8 and d.isdigit() else d

    def form_fields(self) -> dict[str, str]:
        """The intake form's fields this answer fills (never the phone: the database has none)."""
        fields = {"full_name": self.full_name, "id_number": self.id_number, "address": self.address, "email": self.email}
        return {k: v for k, v in fields.items() if v}


# ------------------------------------------------------------------ requests

def soap_request(query: Query) -> bytes:
    ET.register_namespace("soapenv", SOAP_ENV)
    ET.register_namespace("qldc", QLDC)
    envelope = ET.Element(f"{{{SOAP_ENV}}}Envelope")
    ET.SubElement(envelope, f"{{{SOAP_ENV}}}Header")
    body = ET.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    operation = ET.SubElement(body, f"{{{QLDC}}}{OPERATION}")
    for name, value in (("MaYeuCau", query.request_id), ("MaDVC", query.service_code), ("MaTichHop", INTEGRATION_CODE),
                        ("MaCanBo", query.officer), ("SoDinhDanh", query.id_number), ("SoCMND", ""), ("HoVaTen", "")):
        ET.SubElement(operation, f"{{{QLDC}}}{name}").text = value
    born = ET.SubElement(operation, f"{{{QLDC}}}NgayThangNamSinh")
    ET.SubElement(born, f"{{{QLDC}}}NgayThangNam").text = ""
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(envelope, encoding="utf-8", xml_declaration=False)


def json_request(query: Query) -> dict:
    return {"HoVaTen": "", "SoDinhDanh": query.id_number, "SoCMND": "", "NgayThangNam": "", "Nam": "",
            "MaTichHop": INTEGRATION_CODE, "MaDVC": query.service_code, "MaCanBo": query.officer,
            "MaYeuCau": query.request_id}


# ------------------------------------------------------------------ answers

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element | None, *path: str) -> str:
    for name in path:
        element = _child(element, name)
    return " ".join((element.text or "").split()) if element is not None else ""


def _name(person: ET.Element) -> str:
    name = _child(person, "HoVaTen")
    if name is None:
        return ""
    parts = [_text(name, part) for part in ("Ho", "ChuDem", "Ten")]
    joined = " ".join(p for p in parts if p)
    return joined or " ".join((name.text or "").split())


def _address(person: ET.Element, which: str) -> str:
    return _text(person, which, "ChiTiet")


def read_soap(body: bytes | str) -> Citizen | None:
    """The first ``CongDan`` of a SOAP answer; None when the collection is empty."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise GatewayError("unreadable XML") from None
    if any(_local(e.tag) == "Fault" for e in root.iter()):
        raise GatewayError("SOAP fault")
    if not any(_local(e.tag) == "CongdanCollection" for e in root.iter()):
        raise GatewayError("no CongdanCollection")
    person = next((e for e in root.iter() if _local(e.tag) == "CongDan"), None)
    if person is None or not _text(person, "SoDinhDanh"):
        return None
    born = _text(person, "NgayThangNamSinh", "NgayThangNam") or _text(person, "NgayThangNamSinh", "Nam")
    return Citizen(
        id_number=_text(person, "SoDinhDanh"), full_name=_name(person), birth_date=born,
        gender=_text(person, "GioiTinh"),
        address=_address(person, "NoiOHienTai") or _address(person, "ThuongTru"),
        email=_text(person, "ThuDienTu"),
    )


def read_json(body: bytes) -> Citizen | None:
    try:
        answer = json.loads(body)
    except ValueError:
        raise GatewayError("unreadable JSON") from None
    if not isinstance(answer, dict):
        raise GatewayError("not a JSON object")
    if str(answer.get("error_code")) not in ("0", "00"):
        raise GatewayError(f"error_code {str(answer.get('error_code'))[:10]}")
    message = answer.get("message")
    if not isinstance(message, str) or not message.strip():
        raise GatewayError("no answer in message")
    return read_soap(message.encode("utf-8"))


# ------------------------------------------------------------------ the call

def look_up(target: Gateway, query: Query, timeout: float | None = None) -> Citizen | None:
    """Ask the gateway; the citizen, None (not found), or :class:`GatewayFault`."""
    timeout = settings.POPULATION_TIMEOUT if timeout is None else timeout
    headers = {"Authorization": f"Bearer {target.token}", "Accept": "application/json, text/xml"}
    if target.mode == JSON:
        content, headers["Content-Type"] = json.dumps(json_request(query)).encode(), "application/json; charset=utf-8"
    else:
        content = soap_request(query)
        headers.update({"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{QLDC}/{OPERATION}"'})
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            with client.stream("POST", target.url, content=content, headers=headers) as response:
                if response.status_code in (408, 504):
                    raise GatewayTimeout(f"HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise GatewayError(f"HTTP {response.status_code}")
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > ANSWER_MAX_BYTES:
                        raise GatewayError("answer too large")
    except httpx.TimeoutException:
        raise GatewayTimeout("timeout") from None
    except httpx.HTTPError as error:
        raise GatewayError(type(error).__name__) from None
    return read_json(body) if target.mode == JSON else read_soap(body)
