"""The catalog from the national procedure database (``motcua national catalog pull``, issue 18 §4;
shared/domain/national-systems.md §1.5).

Reads ``LayDanhSachTTHC``, ``LayDanhMucLinhVuc``, ``LayDanhMucCoQuan`` (share services) and
``LayThuTuc`` for each listed procedure (integration service), checks every answer's shape
before anything is compared, maps each procedure into the catalog's terms and compares it with
the catalog in force:

* **new**: a national procedure performed at a local level (province, district, commune) that the
  catalog does not have (matched by ``national_code``, or a local ``code`` equal to ``MATTHC``);
* **changed**: what differs in the national record (name, field, levels, applicants, time and
  times per channel, fees and their codes, papers and their codes, steps, result and result
  codes, legal basis). A change to what a dossier was received under — name, levels, time,
  fees, papers, result, legal basis — makes a new version (``catalog.versions``) when dossiers
  were received under the procedure; other changes (codes, notes, steps, applicants) and
  procedures without dossiers are updated in place;
* **withdrawn**: a procedure in force with a national code that the national list no longer has
  (or whose ``TRANGTHAI`` is not 1): its ``valid_to`` becomes yesterday; never deleted. A
  province's own procedures (no national code) are never withdrawn.

Never overwritten: what the province set locally (``catalog.versions.LOCAL_FIELDS``: the online
form, cut-off time, online level, delivery options, interlinking, description) and the units'
shorter committed times. Units are reported, not changed: a unit without a national identifier
that one national agency's name matches is suggested, a unit whose identifier the national list
does not know is named (the operator sets ``national_id`` in the admin: it is the prefix of new
dossier codes).

A malformed answer, an error answer or an unreachable portal changes nothing: the pull stops
with what was wrong (service, path, problem), recorded as a failed pull.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation

from motcua.catalog import versions
from motcua.catalog.models import (
    CopyType,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    TimeUnit,
    Unit,
)
from motcua.catalog.text import fold
from motcua.national.contrib.dvcqg.client import PortalClient, PortalError

CHANNELS = {"1": "counter", "2": "online", "3": "post"}
CHANNEL_LABELS = {"counter": "trực tiếp", "online": "trực tuyến", "post": "bưu chính công ích"}
SOURCE = "CSDL quốc gia về TTHC"
#: What a dossier was received under: a change to one of these makes a new version.
VERSIONED = ("name", "levels", "processing_time", "fee_amount", "fees", "documents", "result", "legal_basis")
LABELS = {
    "name": "tên thủ tục", "field": "lĩnh vực", "levels": "cấp thực hiện", "applicants": "đối tượng thực hiện",
    "processing_time": "thời hạn giải quyết", "channel_times": "thời hạn theo cách thức thực hiện",
    "fee_amount": "phí, lệ phí", "fees": "các khoản phí, lệ phí", "documents": "thành phần hồ sơ",
    "steps": "trình tự thực hiện", "result": "kết quả", "results": "mã kết quả", "legal_basis": "căn cứ pháp lý",
    "national_code": "mã quốc gia",
}
TEXT_MAX = {"name": 400, "applicants": 300, "result": 400}


class MalformedAnswer(Exception):
    """An answer that is not what the service's documented shape says: nothing was changed."""

    def __init__(self, service: str, path: str, problem: str):
        self.service, self.path, self.problem = service, path, problem
        super().__init__(f"{service}: {path}: {problem}" if path else f"{service}: {problem}")


class PullFailed(Exception):
    """The national portal could not be asked or refused: nothing was changed."""


# ------------------------------------------------------------------ reading and checking

def _rows(answer, service: str) -> list[dict]:
    if not answer.ok:
        raise PullFailed(f"{service}: Cổng DVCQG trả lời lỗi {answer.text()}")
    raw = answer.raw.get("result")
    if isinstance(raw, dict):
        raw = raw.get("data")
    if not isinstance(raw, list):
        raise MalformedAnswer(service, "result", "phải là một danh sách")
    for i, row in enumerate(raw):
        if not isinstance(row, dict):
            raise MalformedAnswer(service, f"result[{i}]", "phải là một đối tượng")
    return raw


def _text(row: dict, key: str, service: str, path: str, *, required: bool = False, limit: int = 2000) -> str:
    value = row.get(key)
    if value is None or value == "":
        if required:
            raise MalformedAnswer(service, f"{path}.{key}", "thiếu")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MalformedAnswer(service, f"{path}.{key}", "phải là chuỗi ký tự")
    text = str(value).replace("\x00", "").strip()
    if len(text) > limit:
        raise MalformedAnswer(service, f"{path}.{key}", f"dài quá {limit} ký tự")
    return text


def _list(row: dict, key: str, service: str, path: str) -> list[dict]:
    value = row.get(key)
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MalformedAnswer(service, f"{path}.{key}", "phải là một danh sách đối tượng")
    return value


def _number(row: dict, key: str, service: str, path: str) -> Decimal:
    value = row.get(key)
    if value in (None, ""):
        return Decimal(0)
    if isinstance(value, bool):
        raise MalformedAnswer(service, f"{path}.{key}", "phải là một số")
    text = str(value).strip().replace(" ", "")
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # "15.000" (đồng)
        text = text.replace(".", "")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise MalformedAnswer(service, f"{path}.{key}", f"“{str(value)[:40]}” không phải là số") from None
    if not number.is_finite() or number < 0 or number > 10**12:
        raise MalformedAnswer(service, f"{path}.{key}", "phải là số không âm")
    return number


@dataclass
class NationalData:
    codes: list[str]
    fields: dict[str, dict]          # MALINHVUC → {name, sector}
    agencies: list[dict]             # {code, name, level}
    procedures: dict[str, dict]      # MATTHC → the mapped entry (None: not performed locally)
    unpublished: set[str] = field(default_factory=set)


def read(client: PortalClient) -> NationalData:
    """Every answer the pull needs, checked; raises :class:`MalformedAnswer` or :class:`PullFailed`."""
    try:
        listed = _rows(client.call("LayDanhSachTTHC", share=True), "LayDanhSachTTHC")
        codes = []
        for i, row in enumerate(listed):
            code = _text(row, "MATTHC", "LayDanhSachTTHC", f"result[{i}]", required=True, limit=60)
            _text(row, "TENTTHC", "LayDanhSachTTHC", f"result[{i}]", required=True, limit=1000)
            if code not in codes:
                codes.append(code)
        if not codes:
            raise MalformedAnswer("LayDanhSachTTHC", "result", "danh sách thủ tục rỗng (không rút toàn bộ danh mục)")
        fields = {}
        for i, row in enumerate(_rows(client.call("LayDanhMucLinhVuc", share=True), "LayDanhMucLinhVuc")):
            code = _text(row, "MALINHVUC", "LayDanhMucLinhVuc", f"result[{i}]", required=True, limit=40)
            fields[code] = {"name": _text(row, "TENLINHVUC", "LayDanhMucLinhVuc", f"result[{i}]", required=True, limit=200),
                            "sector": _text(row, "MANGANH", "LayDanhMucLinhVuc", f"result[{i}]", limit=200)}
        agencies = []
        for i, row in enumerate(_rows(client.call("LayDanhMucCoQuan", share=True), "LayDanhMucCoQuan")):
            agencies.append({"code": _text(row, "MADONVI", "LayDanhMucCoQuan", f"result[{i}]", required=True, limit=40),
                             "name": _text(row, "TENDONVI", "LayDanhMucCoQuan", f"result[{i}]", required=True, limit=300),
                             "level": _text(row, "CAPDONVI", "LayDanhMucCoQuan", f"result[{i}]", limit=40)})
        procedures, unpublished = {}, set()
        for code in codes:
            rows = _rows(client.call("LayThuTuc", maTTHC=code), "LayThuTuc")
            service = f"LayThuTuc({code})"
            if len(rows) != 1:
                raise MalformedAnswer(service, "result", f"cần đúng một thủ tục, nhận được {len(rows)}")
            row = rows[0]
            if _text(row, "MATTHC", service, "result[0]", required=True, limit=60) != code:
                raise MalformedAnswer(service, "result[0].MATTHC", "không phải thủ tục được hỏi")
            status = _text(row, "TRANGTHAI", service, "result[0]", limit=10)
            if status not in ("", "1"):
                unpublished.add(code)
                continue
            procedures[code] = map_procedure(row, service, fields)
    except PortalError as exc:
        raise PullFailed(f"Không lấy được danh mục từ Cổng DVCQG: {exc.message}") from None
    return NationalData(codes, fields, agencies, procedures, unpublished)


# ------------------------------------------------------------------ mapping

def _levels(row, service) -> list[str]:
    found = set()
    for i, item in enumerate(_list(row, "CAPTHUCHIEN", service, "result[0]")):
        name = fold(_text(item, "TENCAP", service, f"result[0].CAPTHUCHIEN[{i}]", limit=100))
        if "tinh" in name.split():
            found.add(Level.PROVINCE)
        elif "huyen" in name.split():
            found.add(Level.DISTRICT)
        elif "xa" in name.split():
            found.add(Level.COMMUNE)
    order = list(Level.values)
    return sorted(found, key=order.index)


def _time(number: Decimal, unit_text: str) -> tuple[str, str]:
    unit = fold(unit_text)
    if number == 0:
        return "0", TimeUnit.SAME_DAY
    value = format(number.normalize(), "f")
    return value, TimeUnit.WORKING_HOURS if "gio" in unit.split() else TimeUnit.WORKING_DAYS


def _fee_per(unit_text: str) -> str:
    """``DONVI`` "Đồng/trang" → "trang"; "Đồng" → ""."""
    return unit_text.split("/", 1)[1].strip()[:100] if "/" in unit_text else ""


def _channel_times(row, service) -> list[dict]:
    out = []
    for i, way in enumerate(_list(row, "CACHTHUCTHUCHIEN", service, "result[0]")):
        path = f"result[0].CACHTHUCTHUCHIEN[{i}]"
        channel = CHANNELS.get(_text(way, "KENH", service, path, limit=5))
        if channel is None:
            raise MalformedAnswer(service, f"{path}.KENH", "phải là 1, 2 hoặc 3")
        for j, time in enumerate(_list(way, "THOIGIAN", service, path)):
            tpath = f"{path}.THOIGIAN[{j}]"
            value, unit = _time(_number(time, "THOIGIANGIAIQUYET", service, tpath),
                                _text(time, "DONVITINH", service, tpath, limit=100))
            fees = []
            for k, fee in enumerate(_list(time, "PHILEPHI", service, tpath)):
                fpath = f"{tpath}.PHILEPHI[{k}]"
                amount = _number(fee, "SOTIEN", service, fpath)
                if amount != amount.to_integral_value():
                    raise MalformedAnswer(service, f"{fpath}.SOTIEN", "phải là số đồng nguyên")
                fees.append({"code": _text(fee, "MAPHILEPHI", service, fpath, limit=60),
                             "name": _text(fee, "MOTA", service, fpath)[:300] or "Phí, lệ phí",
                             "amount": int(amount), "per": _fee_per(_text(fee, "DONVI", service, fpath, limit=200))})
            out.append({"channel": channel, "value": value, "unit": unit,
                        "note": _text(time, "MOTA", service, tpath)[:400], "fees": fees})
    return out


def _documents(row, service) -> list[dict]:
    out = []
    for i, case in enumerate(_list(row, "THANHPHANHOSO", service, "result[0]")):
        path = f"result[0].THANHPHANHOSO[{i}]"
        condition = _text(case, "TRUONGHOP", service, path)[:400]
        for j, paper in enumerate(_list(case, "GIAYTO", service, path)):
            ppath = f"{path}.GIAYTO[{j}]"
            originals = int(_number(paper, "SOBANCHINH", service, ppath))
            copies = int(_number(paper, "SOBANSAO", service, ppath))
            copy_type = (CopyType.ORIGINAL_OR_CERTIFIED if originals and copies else
                         CopyType.COPY if copies else CopyType.ORIGINAL)
            out.append({"code": _text(paper, "MAGIAYTO", service, ppath, limit=60),
                        "name": _text(paper, "TENGIAYTO", service, ppath, required=True)[:400],
                        "count": max(1, min(originals or copies, 100)), "copy_type": copy_type,
                        "condition": condition, "mandatory": not condition,
                        "template_name": _text(paper, "TENMAUDON", service, ppath)[:200],
                        "template_url": _text(paper, "URL", service, ppath)[:400],
                        "result_substitute": _text(paper, "MA_KQ_THAYTHE", service, ppath, limit=60)})
    return out


def _legal_basis(row, service) -> list[str]:
    out = []
    for i, law in enumerate(_list(row, "CANCUPHAPLY", service, "result[0]")):
        path = f"result[0].CANCUPHAPLY[{i}]"
        name = _text(law, "TENVANBAN", service, path)
        number = _text(law, "SOVANBAN", service, path, limit=100)
        if not name and not number:
            raise MalformedAnswer(service, path, "thiếu TENVANBAN và SOVANBAN")
        out.append(name if number in name else f"{name} số {number}".strip() if name else number)
    return out


def map_procedure(row: dict, service: str, fields: dict[str, dict]) -> dict | None:
    """One ``LayThuTuc`` row in the catalog's terms; ``None`` when no local level performs it."""
    levels = _levels(row, service)
    name = _text(row, "TENTTHC", service, "result[0]", required=True)
    if len(name) > TEXT_MAX["name"]:
        raise MalformedAnswer(service, "result[0].TENTTHC", f"dài quá {TEXT_MAX['name']} ký tự")
    domains = _list(row, "LINHVUCTHUCHIEN", service, "result[0]")
    if not domains:
        raise MalformedAnswer(service, "result[0].LINHVUCTHUCHIEN", "thiếu lĩnh vực")
    field_code = _text(domains[0], "MALINHVUC", service, "result[0].LINHVUCTHUCHIEN[0]", required=True, limit=40)
    field_name = _text(domains[0], "TENLINHVUC", service, "result[0].LINHVUCTHUCHIEN[0]", limit=200) or \
        fields.get(field_code, {}).get("name", "")
    channel_times = _channel_times(row, service)
    main = next((t for t in channel_times if t["channel"] == "counter"), channel_times[0] if channel_times else None)
    fees = main["fees"] if main else []
    steps = []
    for i, case in enumerate(_list(row, "TRINHTUTHUCHIEN", service, "result[0]")):
        for j, step in enumerate(_list(case, "TRINHTU", service, f"result[0].TRINHTUTHUCHIEN[{i}]")):
            text = _text(step, "TENTRINHTU", service, f"result[0].TRINHTUTHUCHIEN[{i}].TRINHTU[{j}]")
            if text:
                steps.append(text)
    results = []
    for i, result in enumerate(_list(row, "KETQUATHUCHIEN", service, "result[0]")):
        path = f"result[0].KETQUATHUCHIEN[{i}]"
        results.append({"code": _text(result, "MAKETQUA", service, path, limit=60),
                        "name": _text(result, "TENKETQUA", service, path, required=True)[:400],
                        "template_name": _text(result, "TENTEP", service, path)[:200],
                        "template_url": _text(result, "URL", service, path)[:400]})
    applicants = "; ".join(_text(a, "TENDOITUONG", service, f"result[0].DOITUONGTHUCHIEN[{i}]")
                           for i, a in enumerate(_list(row, "DOITUONGTHUCHIEN", service, "result[0]")))
    entry = {
        "name": name,
        "field": {"code": field_code, "name": field_name, "sector": fields.get(field_code, {}).get("sector", "")},
        "levels": levels,
        "applicants": applicants[:TEXT_MAX["applicants"]],
        "processing_time": {"value": main["value"], "unit": main["unit"]} if main else {"value": "0", "unit": TimeUnit.WORKING_DAYS},
        "processing_time_note": main["note"] if main else "",
        "channel_times": channel_times,
        "fee_amount": fees[0]["amount"] if fees else 0,
        "fees": fees,
        "documents": _documents(row, service),
        "steps": steps,
        "result": "; ".join(r["name"] for r in results)[:TEXT_MAX["result"]],
        "results": results,
        "legal_basis": _legal_basis(row, service),
        "online": any(t["channel"] == "online" for t in channel_times),
        "requirements": _text(row, "YEUCAU", service, "result[0]", limit=20000),
    }
    return entry if levels else None


# ------------------------------------------------------------------ comparing

def _local(procedure: Procedure) -> dict:
    """The catalog's procedure in the same terms as :func:`map_procedure`."""
    return {
        "name": procedure.name,
        "field": procedure.field.code,
        "levels": procedure.level_list,
        "applicants": procedure.applicants,
        "processing_time": {"value": format(Decimal(procedure.processing_time_value).normalize(), "f"),
                            "unit": procedure.processing_time_unit},
        "processing_time_note": procedure.processing_time_note,
        "channel_times": procedure.channel_times,
        "fee_amount": procedure.fee_amount,
        "fees": [{"code": f.code, "name": f.name, "amount": f.amount, "per": f.per} for f in procedure.fee_lines.all()],
        "documents": [{"code": d.code, "name": d.name, "count": d.count, "template_name": d.template_name,
                       "template_url": d.template_url, "result_substitute": d.result_substitute,
                       "condition": d.condition} for d in procedure.documents.all()],
        "steps": procedure.steps,
        "result": procedure.result,
        "results": procedure.results,
        "legal_basis": procedure.legal_basis,
    }


def _substance(key: str, value):
    """What a dossier was received under, without the codes and notes."""
    if key == "fees":
        return [(f["name"], f["amount"]) for f in value]
    if key == "documents":
        return [(d["name"], d["count"]) for d in value]
    return value


def _comparable(key: str, value):
    if key == "documents":
        return [{k: d.get(k, "") for k in ("code", "name", "count", "template_name", "template_url",
                                           "result_substitute", "condition")} for d in value]
    if key == "fees":
        return [{k: f.get(k, "") for k in ("code", "name", "amount", "per")} for f in value]
    return value


def _show(key: str, value) -> str:
    """A value as the diff prints it."""
    if key == "processing_time":
        if value["unit"] == TimeUnit.SAME_DAY:
            return "trong ngày"
        return f"{value['value']} {TimeUnit(value['unit']).label}"
    if key == "fee_amount":
        return f"{value:,} đồng".replace(",", ".")
    if key == "fees":
        return "; ".join(f"{f['name']}: {f['amount']:,} đồng".replace(",", ".") + (f" ({f['code']})" if f.get("code") else "")
                         for f in value) or "không"
    if key == "documents":
        return "; ".join(d["name"] + (f" ({d['code']})" if d.get("code") else "") for d in value) or "không"
    if key == "results":
        return "; ".join(r["name"] + (f" ({r['code']})" if r.get("code") else "") for r in value) or "không"
    if key == "levels":
        return ", ".join(str(Level(v).label) for v in value) or "không"
    if key == "channel_times":
        return "; ".join(f"{CHANNEL_LABELS[t['channel']]}: " + _show("processing_time", t) for t in value) or "không"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "không"
    return str(value) if value not in ("", None) else "không"


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Plan:
    """What the pull found: the diff printed and recorded, and what applying does."""

    new: list[dict] = field(default_factory=list)          # {code, name, entry}
    changed: list[dict] = field(default_factory=list)      # {code, name, pk, entry, changes, new_version}
    withdrawn: list[dict] = field(default_factory=list)    # {code, name, pk}
    skipped: int = 0                                        # national procedures no local level performs
    warnings: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """The diff as stored and shown on the operator's page (no entries, no primary keys)."""
        return {
            "new": [{"code": n["code"], "name": n["name"]} for n in self.new],
            "changed": [{"code": c["code"], "name": c["name"], "new_version": c["new_version"], "changes": c["changes"]}
                        for c in self.changed],
            "withdrawn": [{"code": w["code"], "name": w["name"]} for w in self.withdrawn],
            "skipped": self.skipped, "warnings": self.warnings, "units": self.units,
        }


def _local_field(entry_field: dict) -> Field | None:
    found = Field.objects.filter(code=entry_field["code"]).first()
    if found is None and entry_field["name"]:
        folded = fold(entry_field["name"])
        found = next((f for f in Field.objects.all() if fold(f.name) == folded), None)
    return found


def _agency_key(name: str) -> str:
    text = fold(name)
    for prefix in ("uy ban nhan dan ", "ubnd "):
        text = text.removeprefix(prefix)
    return text


def plan(data: NationalData, *, day: dt.date | None = None) -> Plan:
    from motcua.dossiers.models import Dossier

    day = day or timezone.localdate()
    result = Plan()
    in_force = list(Procedure.objects.valid_on(day).select_related("field")
                    .prefetch_related("levels", "documents", "fee_lines"))
    by_national = {p.national_code: p for p in in_force if p.national_code}
    by_code = {p.code: p for p in in_force}
    for code in data.codes:
        entry = data.procedures.get(code)
        if code in data.unpublished:
            continue
        local = by_national.get(code) or by_code.get(code)
        if entry is None:
            if local is None:
                result.skipped += 1
            continue
        if local is None:
            result.new.append({"code": code, "name": entry["name"], "entry": entry})
            continue
        mine = _local(local)
        changes = []
        for key in ("name", "field", "levels", "applicants", "processing_time", "channel_times", "fee_amount", "fees",
                    "documents", "steps", "result", "results", "legal_basis"):
            theirs = entry[key]
            if key == "field":
                found = _local_field(theirs)
                theirs = found.code if found is not None else theirs["code"]
            if _comparable(key, theirs) == _comparable(key, mine[key]):
                continue
            changes.append({"key": key, "label": LABELS[key], "before": _short(_show(key, mine[key])),
                            "after": _short(_show(key, theirs)),
                            "substantive": key in VERSIONED and _substance(key, theirs) != _substance(key, mine[key])})
        if local.national_code != code:
            changes.append({"key": "national_code", "label": LABELS["national_code"], "before": _show("", local.national_code),
                            "after": code, "substantive": False})
        if not changes:
            continue
        substantive = any(c["substantive"] for c in changes)
        result.changed.append({
            "code": local.code, "name": local.name, "pk": local.pk, "entry": entry, "changes": changes,
            "new_version": substantive and Dossier.objects.filter(procedure_id=local.pk).exists(),
        })
        if substantive:
            for commitment in local.commitments.valid_on(day).select_related("unit"):
                law = entry["processing_time"]
                if (commitment.time_unit == law["unit"] and Decimal(commitment.time_value) >= Decimal(law["value"])):
                    result.warnings.append(
                        f"{local.code}: thời hạn cam kết của {commitment.unit.name} ({commitment.time_value:g} "
                        f"{commitment.get_time_unit_display()}) không còn ngắn hơn thời hạn mới ({_show('processing_time', law)}).")
    listed = set(data.codes) - data.unpublished
    for p in in_force:
        if p.national_code and p.national_code not in listed and p.code not in listed:
            result.withdrawn.append({"code": p.code, "name": p.name, "pk": p.pk})
    # Units: reported, never changed.
    known = {a["code"] for a in data.agencies}
    by_name: dict[str, list[dict]] = {}
    for agency in data.agencies:
        by_name.setdefault(_agency_key(agency["name"]), []).append(agency)
    for unit in Unit.objects.valid_on(day).order_by("path"):
        if unit.national_id and unit.national_id not in known:
            result.units.append(f"{unit.name} ({unit.code}): mã định danh {unit.national_id} không có trong danh mục cơ quan quốc gia.")
        elif not unit.national_id:
            matches = by_name.get(_agency_key(unit.name), [])
            if len(matches) == 1:
                result.units.append(f"{unit.name} ({unit.code}): chưa có mã định danh; danh mục quốc gia có "
                                    f"“{matches[0]['name']}” mã {matches[0]['code']}.")
    return result


# ------------------------------------------------------------------ applying

def _columns(entry: dict, field_obj: Field) -> dict:
    time = entry["processing_time"]
    return {
        "name": entry["name"], "field": field_obj, "applicants": entry["applicants"],
        "processing_time_value": Decimal(time["value"]), "processing_time_unit": time["unit"],
        "processing_time_note": entry["processing_time_note"], "channel_times": entry["channel_times"],
        "fee_amount": entry["fee_amount"], "steps": entry["steps"], "result": entry["result"],
        "results": entry["results"], "legal_basis": entry["legal_basis"],
    }


def _documents_rows(entry: dict, old: list | None = None) -> list[dict]:
    """The papers to store; a paper the catalog already had (same code, or same name) keeps what
    the province said about it (mandatory, copy type), which the national record does not carry."""
    old = old or []
    rows = []
    for d in entry["documents"]:
        mine = next((o for o in old if (d["code"] and o.code == d["code"]) or fold(o.name) == fold(d["name"])), None)
        rows.append({
            "code": d["code"], "name": d["name"], "count": d["count"], "condition": d["condition"],
            "template_name": d["template_name"], "template_url": d["template_url"],
            "result_substitute": d["result_substitute"],
            "copy_type": mine.copy_type if mine else d["copy_type"],
            "mandatory": mine.mandatory if mine else d["mandatory"],
        })
    return rows


def _fee_rows(entry: dict, old: list | None = None) -> list[dict]:
    old = old or []
    rows = []
    for f in entry["fees"]:
        mine = next((o for o in old if (f["code"] and o.code == f["code"]) or fold(o.name) == fold(f["name"])), None)
        rows.append({"code": f["code"], "name": f["name"], "amount": f["amount"], "per": f["per"],
                     "note": mine.note if mine else ""})
    return rows


def _field_for(entry: dict) -> Field:
    found = _local_field(entry["field"])
    if found is not None:
        return found
    return Field.objects.create(code=entry["field"]["code"], name=entry["field"]["name"] or entry["field"]["code"],
                                sector=entry["field"]["sector"])


@transaction.atomic
def apply(result: Plan, *, day: dt.date | None = None) -> None:
    day = day or timezone.localdate()
    now = timezone.now()
    for item in result.new:
        entry = item["entry"]
        procedure = Procedure.objects.create(
            code=item["code"], national_code=item["code"], **_columns(entry, _field_for(entry)),
            description=entry["requirements"][:5000],
            online_level=OnlineLevel.PARTIAL if entry["online"] else OnlineLevel.NONE,
            valid_from=day, source=SOURCE, national_pulled_at=now,
        )
        versions.set_levels(procedure, entry["levels"])
        versions.set_documents(procedure, _documents_rows(entry))
        versions.set_fees(procedure, _fee_rows(entry))
    for item in result.changed:
        entry = item["entry"]
        procedure = Procedure.objects.get(pk=item["pk"])
        old_documents, old_fees = list(procedure.documents.all()), list(procedure.fee_lines.all())
        columns = {**_columns(entry, _field_for(entry)), "national_pulled_at": now,
                   "national_code": procedure.national_code or next(c["after"] for c in item["changes"] if c["key"] == "national_code")}
        documents, fees = _documents_rows(entry, old_documents), _fee_rows(entry, old_fees)
        if item["new_version"]:
            versions.new_version(procedure, columns, levels=entry["levels"], documents=documents, fees=fees, day=day)
            continue
        for name, value in columns.items():
            setattr(procedure, name, value)
        procedure.save()
        versions.set_levels(procedure, entry["levels"])
        versions.set_documents(procedure, documents)
        versions.set_fees(procedure, fees)
    for item in result.withdrawn:
        Procedure.objects.filter(pk=item["pk"]).update(valid_to=day - dt.timedelta(days=1))


# ------------------------------------------------------------------ the whole pull

def pull(*, dry_run: bool, client: PortalClient | None = None):
    """Read, compare, apply unless ``dry_run``; record the pull. Returns ``(CatalogPull, Plan | None)``."""
    from motcua.national.models import CatalogPull

    record = CatalogPull.objects.create(dry_run=dry_run)
    found = None
    try:
        own = client is None
        client = client or PortalClient()
        try:
            data = read(client)
        finally:
            if own:
                client.close()
        with translation.override("vi"):  # the diff is kept and shown in Vietnamese, whatever the caller's language
            found = plan(data)
        if not dry_run:
            apply(found)
    except (MalformedAnswer, PullFailed) as exc:
        record.problem = str(exc)[:2000]
        record.outcome = CatalogPull.Outcome.FAILED
    else:
        record.outcome = CatalogPull.Outcome.DRY_RUN if dry_run else CatalogPull.Outcome.APPLIED
        record.diff = found.summary()
        record.new, record.changed, record.withdrawn = len(found.new), len(found.changed), len(found.withdrawn)
    record.finished_at = timezone.now()
    record.save()
    return record, found
