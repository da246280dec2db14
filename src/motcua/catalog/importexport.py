"""Import and export the whole catalog as JSON (format ``motcua-catalog/1``).

A province loads its own list with ``motcua import-catalog FILE`` or in the admin. The
import validates every entry first and writes nothing when any entry is bad; it is
idempotent (entries are matched by ``code``; their documents, fees and levels replaced).

The national codes the catalog pull stores travel too: the procedure's ``national_code``,
each paper's ``code`` (``MAGIAYTO``) and ``result_substitute`` (``MA_KQ_THAYTHE``), each fee's
``code`` (``MAPHILEPHI``), the coded ``results`` (``MAKETQUA``) and the ``channel_times`` (time
and fees per channel). A file written before these existed (no such key) keeps what the
catalog holds: a paper or fee of the same name keeps its code, the results and channel times
stay; a key that is present, even empty, is what the catalog gets.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from motcua.catalog.models import (
    CopyType,
    FeeLine,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureCommitment,
    ProcedureLevel,
    TimeUnit,
    Unit,
)
from motcua.catalog.formfields import definition_problems, normalised
from motcua.catalog.text import fold, public_text
from motcua.catalog.versions import set_documents
from motcua.errors import InvalidInput

FORMAT = "motcua-catalog/1"


def _date(value, path, problems):
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        problems.setdefault(path, []).append("Ngày phải có dạng YYYY-MM-DD.")
        return None


def _time(value, path, problems):
    if value in (None, ""):
        return None
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        problems.setdefault(path, []).append("Giờ phải có dạng HH:MM.")
        return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _list_of_dicts(data: dict, key: str, problems, prefix: str = "") -> list[tuple[int, dict]]:
    """The entries of ``data[key]`` that are objects; anything else is reported (at
    ``prefix.key``: the path of ``data`` itself)."""
    items = data.get(key, [])
    where = f"{prefix}.{key}" if prefix else key
    if items is None:
        return []
    if not isinstance(items, list):
        problems.setdefault(where, []).append("Phải là một danh sách.")
        return []
    good = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            good.append((i, item))
        else:
            problems.setdefault(f"{where}[{i}]", []).append("Phải là một đối tượng JSON.")
    return good


# Longest accepted text per key (the database columns' sizes).
_MAX_LENGTH = {
    "code": 60, "national_code": 60, "name": 400, "applicants": 300, "fee_note": 400, "result": 400, "source": 400,
}
_DOCUMENT_MAX_LENGTH = {"name": 400, "condition": 400, "template_name": 200, "template_url": 400}
_FEE_MAX_LENGTH = {"name": 300, "per": 100, "note": 400}
_RESULT_MAX_LENGTH = {"name": 400, "template_name": 200, "template_url": 400}
CHANNELS = ("counter", "online", "post")  # channel_times' channels (the national CACHTHUCTHUCHIEN)

# A national code (procedure 1.003560.000.00.00.H56, paper, fee, result KQ.G07.000122): letters
# without diacritics, digits and . - _ /, no spaces, at most 60 characters.
CODE_MAX = 60
_CODE = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z._/-]*[0-9A-Za-z])?$")
CODE_RULE = (f"Mã chỉ gồm chữ cái không dấu, chữ số và các dấu . - _ /, không có khoảng trắng, "
             f"bắt đầu và kết thúc bằng chữ hoặc số, tối đa {CODE_MAX} ký tự.")


def _check_code(value, path: str, problems, what: str) -> str:
    """``value`` as a national code ("" for none); a bad one is reported at ``path``."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        problems.setdefault(path, []).append(f"{what} phải là chuỗi ký tự.")
        return ""
    if len(value) > CODE_MAX or not _CODE.match(value):
        problems.setdefault(path, []).append(f"{what} “{value[:80]}” không hợp lệ. {CODE_RULE}")
        return ""
    return value


def _check_unique_codes(codes: list[tuple[str, str]], problems, what: str) -> None:
    """Each code once in a list: ``codes`` is ``[(path, code)]``."""
    seen: set[str] = set()
    for path, code in codes:
        if code and code in seen:
            problems.setdefault(path, []).append(f"{what} “{code}” bị trùng trong thủ tục.")
        seen.add(code)


def _check_results(p: dict, path: str, problems) -> None:
    codes = []
    for j, result in _list_of_dicts(p, "results", problems, path):
        where = f"{path}.results[{j}]"
        if not result.get("name") or not isinstance(result.get("name"), str):
            problems.setdefault(f"{where}.name", []).append("Thiếu tên kết quả.")
        codes.append((f"{where}.code", _check_code(result.get("code"), f"{where}.code", problems, "Mã kết quả")))
        _check_texts(result, _RESULT_MAX_LENGTH, where, problems)
    _check_unique_codes(codes, problems, "Mã kết quả")


def _check_channel_times(p: dict, path: str, problems) -> None:
    for j, way in _list_of_dicts(p, "channel_times", problems, path):
        where = f"{path}.channel_times[{j}]"
        if way.get("channel") not in CHANNELS:
            problems.setdefault(f"{where}.channel", []).append(f"Chọn một trong {list(CHANNELS)}.")
        if way.get("unit") not in TimeUnit.values:
            problems.setdefault(f"{where}.unit", []).append(f"Chọn một trong {TimeUnit.values}.")
        try:
            if isinstance(way.get("value"), bool):
                raise InvalidOperation
            value = Decimal(str(way.get("value")))
            if not value.is_finite() or value < 0 or value >= 100000:
                raise InvalidOperation
        except InvalidOperation:
            problems.setdefault(f"{where}.value", []).append("Thời hạn là số không âm.")
        if not isinstance(way.get("note", ""), str) or len(way.get("note") or "") > 400:
            problems.setdefault(f"{where}.note", []).append("Ghi chú là chuỗi tối đa 400 ký tự.")
        for k, fee in _list_of_dicts(way, "fees", problems, where):
            fpath = f"{where}.fees[{k}]"
            if not fee.get("name") or not _is_int(fee.get("amount")) or not 0 <= fee["amount"] <= 2_147_483_647:
                problems.setdefault(fpath, []).append("Mỗi khoản phí cần name và amount (số nguyên không âm).")
            _check_code(fee.get("code"), f"{fpath}.code", problems, "Mã phí, lệ phí")
            _check_texts(fee, _FEE_MAX_LENGTH, fpath, problems)


def _check_texts(entry: dict, limits: dict[str, int], path: str, problems) -> None:
    for key, limit in limits.items():
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.setdefault(f"{path}.{key}", []).append("Phải là chuỗi ký tự.")
        elif len(value) > limit:
            problems.setdefault(f"{path}.{key}", []).append(f"Tối đa {limit} ký tự.")


def _list_of_strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _bad(problems: dict[str, list[str]], path: str, message: str) -> None:
    problems.setdefault(path, []).append(message)


def validate_catalog(data: dict) -> dict[str, list[str]]:
    """Every problem of ``data``, keyed by a JSON path; empty when the catalog is valid.

    The checks run in the file's order (fields, procedures, replacements, commitments), each
    concern its own function, so the problems come out in the order of the file."""
    problems: dict[str, list[str]] = {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        _bad(problems, "format", f"Tệp phải có \"format\": \"{FORMAT}\".")
        return problems
    field_codes = _check_fields(data, problems)
    codes: set[str] = set()
    procedures = _list_of_dicts(data, "procedures", problems)
    for i, p in procedures:
        _check_procedure(p, f"procedures[{i}]", field_codes, codes, problems)
    known = codes | set(Procedure.objects.values_list("code", flat=True))
    _check_replacements(procedures, known, problems)
    _check_commitments(data, known, problems)
    return problems


def _check_fields(data: dict, problems) -> set[str]:
    """The file's fields; the codes of the fields a procedure may name (the catalog's and the file's)."""
    field_codes = set(Field.objects.values_list("code", flat=True))
    for i, f in _list_of_dicts(data, "fields", problems):
        if not f.get("code") or not f.get("name") or not isinstance(f.get("code"), str) or not isinstance(f.get("name"), str):
            _bad(problems, f"fields[{i}]", "Lĩnh vực cần code và name.")
        elif len(f["code"]) > 40 or len(f["name"]) > 200 or len(str(f.get("sector") or "")) > 200:
            _bad(problems, f"fields[{i}]", "code tối đa 40, name và sector tối đa 200 ký tự.")
        else:
            field_codes.add(f["code"])
    return field_codes


def _check_procedure(p: dict, path: str, field_codes: set[str], codes: set[str], problems) -> None:
    """One procedure of the file; ``codes`` collects the file's procedure codes (a duplicate is a problem)."""
    code = p.get("code")
    if not code or not isinstance(code, str):
        _bad(problems, f"{path}.code", "Thiếu mã thủ tục.")
    elif code in codes:
        _bad(problems, f"{path}.code", f"Mã “{code}” bị trùng.")
    else:
        codes.add(code)
    if not p.get("name"):
        _bad(problems, f"{path}.name", "Thiếu tên thủ tục.")
    _check_texts(p, _MAX_LENGTH, path, problems)
    _check_code(p.get("national_code"), f"{path}.national_code", problems, "Mã thủ tục quốc gia")
    if p.get("field") not in field_codes:
        _bad(problems, f"{path}.field", f"Lĩnh vực “{p.get('field')}” không có.")
    _check_levels(p, path, problems)
    _check_processing_time(p, path, problems)
    _check_fees(p, path, problems)
    _check_documents(p, path, problems)
    _check_results(p, path, problems)
    _check_channel_times(p, path, problems)
    _check_other_keys(p, path, problems)


def _check_levels(p: dict, path: str, problems) -> None:
    """The levels that perform the procedure, the interlinked levels and the online level."""
    levels = p.get("levels") or []
    if not isinstance(levels, list) or not levels or any(lv not in Level.values for lv in levels):
        _bad(problems, f"{path}.levels", f"Cần ít nhất một cấp trong {Level.values}.")
    elif len(set(levels)) != len(levels):
        _bad(problems, f"{path}.levels", "Mỗi cấp chỉ ghi một lần.")
    interlinked_levels = p.get("interlinked_levels") or []
    if not isinstance(interlinked_levels, list) or any(lv not in Level.values for lv in interlinked_levels):
        _bad(problems, f"{path}.interlinked_levels", f"Chỉ gồm các cấp trong {Level.values}.")
    if p.get("online_level", "none") not in OnlineLevel.values:
        _bad(problems, f"{path}.online_level", f"Chọn một trong {OnlineLevel.values}.")


def _check_processing_time(p: dict, path: str, problems) -> None:
    """``processing_time``: ``{"value", "unit", "note"}``, a positive value with one decimal at most."""
    pt = p.get("processing_time")
    if not isinstance(pt, dict):
        _bad(problems, f"{path}.processing_time", "Cần thời hạn giải quyết: {\"value\", \"unit\", \"note\"}.")
        return
    if pt.get("unit") not in TimeUnit.values:
        _bad(problems, f"{path}.processing_time.unit", f"Chọn một trong {TimeUnit.values}.")
    if not pt:
        return
    try:
        if isinstance(pt.get("value", 0), bool):
            raise InvalidOperation
        value = Decimal(str(pt.get("value", 0)))
        if not value.is_finite():
            raise InvalidOperation
        if value < 0 or (pt.get("unit") != TimeUnit.SAME_DAY and value <= 0):
            _bad(problems, f"{path}.processing_time.value", "Thời hạn phải lớn hơn 0.")
        elif value >= 100000 or value != value.quantize(Decimal("0.1")):
            _bad(problems, f"{path}.processing_time.value", "Thời hạn tối đa 99999,9 (một chữ số thập phân).")
    except InvalidOperation:
        _bad(problems, f"{path}.processing_time.value", "Thời hạn phải là số.")
    if not isinstance(pt.get("note", ""), str) or len(pt.get("note") or "") > 400:
        _bad(problems, f"{path}.processing_time.note", "Ghi chú là chuỗi tối đa 400 ký tự.")


def _check_fees(p: dict, path: str, problems) -> None:
    """``fee_amount`` and the fee lines (``fees``)."""
    fee = p.get("fee_amount", 0)
    if not _is_int(fee) or fee < 0 or fee > 2_147_483_647:
        _bad(problems, f"{path}.fee_amount", "Phí là số nguyên không âm (đồng).")
    for j, line in _list_of_dicts(p, "fees", problems, path):
        if not line.get("name") or not _is_int(line.get("amount")) or not 0 <= line["amount"] <= 2_147_483_647:
            _bad(problems, f"{path}.fees[{j}]", "Mỗi dòng phí cần name và amount (số nguyên không âm).")
        _check_texts(line, _FEE_MAX_LENGTH, f"{path}.fees[{j}]", problems)
        _check_code(line.get("code"), f"{path}.fees[{j}].code", problems, "Mã phí, lệ phí")


def _check_documents(p: dict, path: str, problems) -> None:
    """The required papers (``documents``), their codes unique within the procedure."""
    paper_codes = []
    for j, doc in _list_of_dicts(p, "documents", problems, path):
        paper_codes.append((f"{path}.documents[{j}].code",
                            _check_code(doc.get("code"), f"{path}.documents[{j}].code", problems, "Mã giấy tờ")))
        _check_code(doc.get("result_substitute"), f"{path}.documents[{j}].result_substitute", problems,
                    "Mã kết quả thay thế")
        if not doc.get("name"):
            _bad(problems, f"{path}.documents[{j}].name", "Thiếu tên giấy tờ.")
        if doc.get("copy_type", CopyType.ORIGINAL) not in CopyType.values:
            _bad(problems, f"{path}.documents[{j}].copy_type", f"Chọn một trong {CopyType.values}.")
        if not _is_int(doc.get("count", 1)) or not 1 <= doc.get("count", 1) <= 32767:
            _bad(problems, f"{path}.documents[{j}].count", "Số lượng là số nguyên dương.")
        if not isinstance(doc.get("mandatory", True), bool):
            _bad(problems, f"{path}.documents[{j}].mandatory", "Phải là true hoặc false.")
        _check_texts(doc, _DOCUMENT_MAX_LENGTH, f"{path}.documents[{j}]", problems)
    _check_unique_codes(paper_codes, problems, "Mã giấy tờ")


def _check_other_keys(p: dict, path: str, problems) -> None:
    """Steps and legal basis, the yes/no keys, the online form, the cut-off and the validity dates."""
    for key in ("steps", "legal_basis"):
        if not _list_of_strings(p.get(key, [])):
            _bad(problems, f"{path}.{key}", "Phải là danh sách chuỗi ký tự.")
    for key in ("interlinked", "transfer_across_provinces", "result_by_post", "result_electronic"):
        if key in p and not isinstance(p[key], bool):
            _bad(problems, f"{path}.{key}", "Phải là true hoặc false.")
    for where, messages in definition_problems(p.get("form"), f"{path}.form").items():
        problems.setdefault(where, []).extend(messages)
    _time(p.get("cutoff_time"), f"{path}.cutoff_time", problems)
    valid_from = _date(p.get("valid_from"), f"{path}.valid_from", problems)
    valid_to = _date(p.get("valid_to"), f"{path}.valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        _bad(problems, f"{path}.valid_to", "Ngày hết hiệu lực phải sau ngày có hiệu lực.")


def _check_replacements(procedures: list[tuple[int, dict]], known: set[str], problems) -> None:
    """``replaced_by``: a procedure of the file or of the catalog, not the procedure itself."""
    for i, p in procedures:
        replaced_by = p.get("replaced_by")
        if replaced_by not in (None, "") and (replaced_by not in known or replaced_by == p.get("code")):
            _bad(problems, f"procedures[{i}].replaced_by", f"Thủ tục thay thế “{replaced_by}” không có.")


def _check_commitments(data: dict, known: set[str], problems) -> None:
    """The units' shorter commitments: a known unit and procedure, a time, a decision, a cut-off, dates."""
    unit_codes = set(Unit.objects.values_list("code", flat=True))
    for i, c in _list_of_dicts(data, "commitments", problems):
        if c.get("unit") not in unit_codes:
            _bad(problems, f"commitments[{i}].unit", f"Đơn vị “{c.get('unit')}” không có.")
        if c.get("procedure") not in known:
            _bad(problems, f"commitments[{i}].procedure", f"Thủ tục “{c.get('procedure')}” không có.")
        if c.get("time_unit", TimeUnit.WORKING_DAYS) not in TimeUnit.values:
            _bad(problems, f"commitments[{i}].time_unit", f"Chọn một trong {TimeUnit.values}.")
        try:
            if isinstance(c.get("time_value"), bool):
                raise InvalidOperation
            value = Decimal(str(c.get("time_value")))
            if not value.is_finite() or value < 0 or value >= 100000:
                raise InvalidOperation
        except InvalidOperation:
            _bad(problems, f"commitments[{i}].time_value", "Thời hạn cam kết là số không âm.")
        if not isinstance(c.get("decision", ""), str) or len(c.get("decision") or "") > 300:
            _bad(problems, f"commitments[{i}].decision", "Quyết định là chuỗi tối đa 300 ký tự.")
        _time(c.get("cutoff_time"), f"commitments[{i}].cutoff_time", problems)
        _date(c.get("valid_from"), f"commitments[{i}].valid_from", problems)
        _date(c.get("valid_to"), f"commitments[{i}].valid_to", problems)


def _for_the_public(value, key: str = ""):
    """Every text the public sees without the data file's provenance markers (``[U]``,
    ``[S]``) and instructions to administrators; ``source`` (where each fact comes from,
    for whoever maintains the catalog) keeps them."""
    if isinstance(value, dict):
        return {k: (v if k == "source" else _for_the_public(v, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_the_public(v, key) for v in value]
    if isinstance(value, str) and "[" in value:
        return public_text(value)
    return value


def _result_row(entry: dict) -> dict:
    return {"code": entry.get("code") or "", "name": entry.get("name") or "",
            "template_name": entry.get("template_name") or "", "template_url": entry.get("template_url") or ""}


@transaction.atomic
def import_catalog(data: dict) -> dict[str, int]:
    """Validate, then write the catalog. Returns counts; raises InvalidInput on any problem."""
    problems = validate_catalog(data)
    if problems:
        raise InvalidInput("Danh mục thủ tục chưa hợp lệ.", code="invalid_catalog", fields=problems)
    data = _for_the_public(data)
    for f in (data.get("fields") or []):
        Field.objects.update_or_create(code=f["code"], defaults={"name": f["name"], "sector": f.get("sector") or ""})
    fields = {f.code: f for f in Field.objects.all()}
    replaced: list[tuple[Procedure, str]] = []
    for p in (data.get("procedures") or []):
        pt = p.get("processing_time") or {}
        existing = Procedure.objects.filter(code=p["code"]).first()
        known: dict[str, dict] = {"documents": {}, "fees": {}}
        if existing is not None:  # a file without the code keys keeps the codes the catalog holds
            known["documents"] = {fold(d.name): (d.code, d.result_substitute) for d in existing.documents.all()}
            known["fees"] = {fold(f.name): f.code for f in existing.fee_lines.all()}
        kept = {key: p[key] if key in p else (getattr(existing, key) if existing is not None else [])
                for key in ("results", "channel_times")}
        procedure, _ = Procedure.objects.update_or_create(
            code=p["code"],
            defaults={
                "national_code": p.get("national_code") or "",
                "name": p["name"],
                "field": fields[p["field"]],
                "description": p.get("description") or "",
                "applicants": p.get("applicants") or "",
                "online_level": p.get("online_level", OnlineLevel.NONE),
                "processing_time_value": Decimal(str(pt.get("value", 0))),
                "processing_time_unit": pt.get("unit", TimeUnit.WORKING_DAYS),
                "processing_time_note": pt.get("note") or "",
                "cutoff_time": dt.time.fromisoformat(p["cutoff_time"]) if p.get("cutoff_time") else None,
                "fee_amount": p.get("fee_amount", 0),
                "fee_note": p.get("fee_note") or "",
                "steps": (p.get("steps") or []),
                "result": p.get("result") or "",
                "results": [_result_row(r) for r in (kept["results"] or [])],
                "channel_times": kept["channel_times"] or [],
                "legal_basis": (p.get("legal_basis") or []),
                "interlinked": p.get("interlinked", False),
                "interlinked_levels": (p.get("interlinked_levels") or []),
                "transfer_across_provinces": p.get("transfer_across_provinces", False),
                "result_by_post": p.get("result_by_post", True),
                "result_electronic": p.get("result_electronic", False),
                "form": normalised(p.get("form") or []),
                "valid_from": dt.date.fromisoformat(p["valid_from"]) if p.get("valid_from") else None,
                "valid_to": dt.date.fromisoformat(p["valid_to"]) if p.get("valid_to") else None,
                "source": p.get("source") or "",
            },
        )
        procedure.levels.all().delete()
        ProcedureLevel.objects.bulk_create([ProcedureLevel(procedure=procedure, level=lv) for lv in p["levels"]])
        set_documents(procedure, [  # each paper keeps the blank form the province stored for it
            {"name": d["name"], "copy_type": d.get("copy_type", CopyType.ORIGINAL), "count": d.get("count", 1),
             "mandatory": d.get("mandatory", True), "condition": d.get("condition") or "",
             "template_name": d.get("template_name") or "", "template_url": d.get("template_url") or "",
             "code": (d.get("code") or "") if "code" in d else known["documents"].get(fold(d["name"]), ("", ""))[0],
             "result_substitute": ((d.get("result_substitute") or "") if "result_substitute" in d
                                   else known["documents"].get(fold(d["name"]), ("", ""))[1])}
            for d in (p.get("documents") or [])
        ])
        procedure.fee_lines.all().delete()
        FeeLine.objects.bulk_create([
            FeeLine(procedure=procedure, order=i, name=f["name"], amount=f["amount"], per=f.get("per") or "",
                    note=f.get("note") or "",
                    code=(f.get("code") or "") if "code" in f else known["fees"].get(fold(f["name"]), ""))
            for i, f in enumerate((p.get("fees") or []))
        ])
        replaced.append((procedure, p.get("replaced_by") or ""))
    for procedure, code in replaced:
        successor = Procedure.objects.filter(code=code).first() if code else None
        if procedure.replaced_by_id != (successor.pk if successor else None):
            procedure.replaced_by = successor
            procedure.save(update_fields=["replaced_by"])
    for c in (data.get("commitments") or []):
        ProcedureCommitment.objects.update_or_create(
            unit=Unit.objects.get(code=c["unit"]), procedure=Procedure.objects.get(code=c["procedure"]),
            valid_from=dt.date.fromisoformat(c["valid_from"]) if c.get("valid_from") else None,
            defaults={"time_value": Decimal(str(c["time_value"])), "time_unit": c.get("time_unit", TimeUnit.WORKING_DAYS),
                      "decision": c.get("decision") or "",
                      "cutoff_time": dt.time.fromisoformat(c["cutoff_time"]) if c.get("cutoff_time") else None,
                      "valid_to": dt.date.fromisoformat(c["valid_to"]) if c.get("valid_to") else None},
        )
    return {"fields": len((data.get("fields") or [])), "procedures": len((data.get("procedures") or [])),
            "commitments": len((data.get("commitments") or []))}


def export_catalog() -> dict:
    """The whole catalog in the import format (round-trips through :func:`import_catalog`)."""
    procedures = (
        Procedure.objects.select_related("field", "replaced_by")
        .prefetch_related("levels", "documents", "fee_lines")
        .order_by("code")
    )
    return {
        "format": FORMAT,
        "fields": [{"code": f.code, "name": f.name, "sector": f.sector} for f in Field.objects.order_by("code")],
        "procedures": [
            {
                "code": p.code, "national_code": p.national_code, "name": p.name, "field": p.field.code,
                "levels": p.level_list, "online_level": p.online_level,
                "processing_time": {"value": float(p.processing_time_value), "unit": p.processing_time_unit,
                                    "note": p.processing_time_note},
                "cutoff_time": p.cutoff_time.strftime("%H:%M") if p.cutoff_time else None,
                "fee_amount": p.fee_amount, "fee_note": p.fee_note,
                "fees": [{"code": f.code, "name": f.name, "amount": f.amount, "per": f.per, "note": f.note}
                         for f in p.fee_lines.all()],
                "documents": [
                    {"code": d.code, "name": d.name, "copy_type": d.copy_type, "count": d.count, "mandatory": d.mandatory,
                     "condition": d.condition, "template_name": d.template_name, "template_url": d.template_url,
                     "result_substitute": d.result_substitute}
                    for d in p.documents.all()
                ],
                "steps": p.steps, "result": p.result, "results": p.results, "channel_times": p.channel_times,
                "legal_basis": p.legal_basis, "applicants": p.applicants,
                "description": p.description, "interlinked": p.interlinked, "interlinked_levels": p.interlinked_levels,
                "transfer_across_provinces": p.transfer_across_provinces,
                "result_by_post": p.result_by_post, "result_electronic": p.result_electronic,
                "form": p.form,
                "valid_from": p.valid_from.isoformat() if p.valid_from else None,
                "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                "replaced_by": p.replaced_by.code if p.replaced_by is not None else None,
                "source": p.source,
            }
            for p in procedures
        ],
        "commitments": [
            {"unit": c.unit.code, "procedure": c.procedure.code, "time_value": float(c.time_value),
             "time_unit": c.time_unit, "decision": c.decision,
             "cutoff_time": c.cutoff_time.strftime("%H:%M") if c.cutoff_time else None,
             "valid_from": c.valid_from.isoformat() if c.valid_from else None,
             "valid_to": c.valid_to.isoformat() if c.valid_to else None}
            for c in ProcedureCommitment.objects.select_related("unit", "procedure").order_by("unit__code", "procedure__code", "valid_from")
        ],
    }
