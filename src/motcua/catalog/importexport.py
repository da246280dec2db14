"""Import and export the whole catalog as JSON (format ``motcua-catalog/1``).

A province loads its own list with ``motcua import-catalog FILE`` or in the admin. The
import validates every entry first and writes nothing when any entry is bad; it is
idempotent (entries are matched by ``code``; their documents, fees and levels replaced).
"""

from __future__ import annotations

import datetime as dt
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
    RequiredDocument,
    TimeUnit,
    Unit,
)
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


def validate_catalog(data: dict) -> dict[str, list[str]]:
    """Every problem of ``data``, keyed by a JSON path; empty when the catalog is valid."""
    problems: dict[str, list[str]] = {}

    def bad(path, message):
        problems.setdefault(path, []).append(message)

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        bad("format", f"Tệp phải có \"format\": \"{FORMAT}\".")
        return problems
    field_codes = set(Field.objects.values_list("code", flat=True))
    for i, f in enumerate(data.get("fields", [])):
        if not f.get("code") or not f.get("name"):
            bad(f"fields[{i}]", "Lĩnh vực cần code và name.")
        else:
            field_codes.add(f["code"])
    codes = set()
    for i, p in enumerate(data.get("procedures", [])):
        path = f"procedures[{i}]"
        code = p.get("code")
        if not code or not isinstance(code, str):
            bad(f"{path}.code", "Thiếu mã thủ tục.")
        elif code in codes:
            bad(f"{path}.code", f"Mã “{code}” bị trùng.")
        codes.add(code)
        if not p.get("name"):
            bad(f"{path}.name", "Thiếu tên thủ tục.")
        if p.get("field") not in field_codes:
            bad(f"{path}.field", f"Lĩnh vực “{p.get('field')}” không có.")
        levels = p.get("levels") or []
        if not levels or any(lv not in Level.values for lv in levels):
            bad(f"{path}.levels", f"Cần ít nhất một cấp trong {Level.values}.")
        if p.get("online_level", "none") not in OnlineLevel.values:
            bad(f"{path}.online_level", f"Chọn một trong {OnlineLevel.values}.")
        pt = p.get("processing_time") or {}
        if pt.get("unit") not in TimeUnit.values:
            bad(f"{path}.processing_time.unit", f"Chọn một trong {TimeUnit.values}.")
        try:
            value = Decimal(str(pt.get("value", 0)))
            if value < 0 or (pt.get("unit") != TimeUnit.SAME_DAY and value <= 0):
                bad(f"{path}.processing_time.value", "Thời hạn phải lớn hơn 0.")
        except InvalidOperation:
            bad(f"{path}.processing_time.value", "Thời hạn phải là số.")
        fee = p.get("fee_amount", 0)
        if not isinstance(fee, int) or fee < 0:
            bad(f"{path}.fee_amount", "Phí là số nguyên không âm (đồng).")
        for j, line in enumerate(p.get("fees", [])):
            if not line.get("name") or not isinstance(line.get("amount"), int) or line["amount"] < 0:
                bad(f"{path}.fees[{j}]", "Mỗi dòng phí cần name và amount (số nguyên không âm).")
        for j, doc in enumerate(p.get("documents", [])):
            if not doc.get("name"):
                bad(f"{path}.documents[{j}].name", "Thiếu tên giấy tờ.")
            if doc.get("copy_type", CopyType.ORIGINAL) not in CopyType.values:
                bad(f"{path}.documents[{j}].copy_type", f"Chọn một trong {CopyType.values}.")
            if not isinstance(doc.get("count", 1), int) or doc.get("count", 1) < 1:
                bad(f"{path}.documents[{j}].count", "Số lượng là số nguyên dương.")
        _time(p.get("cutoff_time"), f"{path}.cutoff_time", problems)
        _date(p.get("valid_from"), f"{path}.valid_from", problems)
        _date(p.get("valid_to"), f"{path}.valid_to", problems)
    unit_codes = set(Unit.objects.values_list("code", flat=True))
    known = codes | set(Procedure.objects.values_list("code", flat=True))
    for i, c in enumerate(data.get("commitments", [])):
        if c.get("unit") not in unit_codes:
            bad(f"commitments[{i}].unit", f"Đơn vị “{c.get('unit')}” không có.")
        if c.get("procedure") not in known:
            bad(f"commitments[{i}].procedure", f"Thủ tục “{c.get('procedure')}” không có.")
        if c.get("time_unit", TimeUnit.WORKING_DAYS) not in TimeUnit.values:
            bad(f"commitments[{i}].time_unit", f"Chọn một trong {TimeUnit.values}.")
    return problems


@transaction.atomic
def import_catalog(data: dict) -> dict[str, int]:
    """Validate, then write the catalog. Returns counts; raises InvalidInput on any problem."""
    problems = validate_catalog(data)
    if problems:
        raise InvalidInput("Danh mục thủ tục chưa hợp lệ.", code="invalid_catalog", fields=problems)
    for f in data.get("fields", []):
        Field.objects.update_or_create(code=f["code"], defaults={"name": f["name"], "sector": f.get("sector", "")})
    fields = {f.code: f for f in Field.objects.all()}
    replaced: list[tuple[Procedure, str]] = []
    for p in data.get("procedures", []):
        pt = p.get("processing_time") or {}
        procedure, _ = Procedure.objects.update_or_create(
            code=p["code"],
            defaults={
                "national_code": p.get("national_code", ""),
                "name": p["name"],
                "field": fields[p["field"]],
                "description": p.get("description", ""),
                "applicants": p.get("applicants", ""),
                "online_level": p.get("online_level", OnlineLevel.NONE),
                "processing_time_value": Decimal(str(pt.get("value", 0))),
                "processing_time_unit": pt.get("unit", TimeUnit.WORKING_DAYS),
                "processing_time_note": pt.get("note", ""),
                "cutoff_time": dt.time.fromisoformat(p["cutoff_time"]) if p.get("cutoff_time") else None,
                "fee_amount": p.get("fee_amount", 0),
                "fee_note": p.get("fee_note", ""),
                "steps": p.get("steps", []),
                "result": p.get("result", ""),
                "legal_basis": p.get("legal_basis", []),
                "interlinked": p.get("interlinked", False),
                "interlinked_levels": p.get("interlinked_levels", []),
                "result_by_post": p.get("result_by_post", True),
                "result_electronic": p.get("result_electronic", False),
                "valid_from": dt.date.fromisoformat(p["valid_from"]) if p.get("valid_from") else None,
                "valid_to": dt.date.fromisoformat(p["valid_to"]) if p.get("valid_to") else None,
                "source": p.get("source", ""),
            },
        )
        procedure.levels.all().delete()
        ProcedureLevel.objects.bulk_create([ProcedureLevel(procedure=procedure, level=lv) for lv in p["levels"]])
        procedure.documents.all().delete()
        RequiredDocument.objects.bulk_create([
            RequiredDocument(
                procedure=procedure, order=i, name=d["name"], copy_type=d.get("copy_type", CopyType.ORIGINAL),
                count=d.get("count", 1), mandatory=d.get("mandatory", True), condition=d.get("condition", ""),
                template_name=d.get("template_name", ""), template_url=d.get("template_url", ""),
            )
            for i, d in enumerate(p.get("documents", []))
        ])
        procedure.fee_lines.all().delete()
        FeeLine.objects.bulk_create([
            FeeLine(procedure=procedure, order=i, name=f["name"], amount=f["amount"], per=f.get("per", ""), note=f.get("note", ""))
            for i, f in enumerate(p.get("fees", []))
        ])
        if p.get("replaced_by"):
            replaced.append((procedure, p["replaced_by"]))
    for procedure, code in replaced:
        procedure.replaced_by = Procedure.objects.filter(code=code).first()
        procedure.save(update_fields=["replaced_by"])
    for c in data.get("commitments", []):
        ProcedureCommitment.objects.update_or_create(
            unit=Unit.objects.get(code=c["unit"]), procedure=Procedure.objects.get(code=c["procedure"]),
            valid_from=dt.date.fromisoformat(c["valid_from"]) if c.get("valid_from") else None,
            defaults={"time_value": Decimal(str(c["time_value"])), "time_unit": c.get("time_unit", TimeUnit.WORKING_DAYS),
                      "decision": c.get("decision", "")},
        )
    return {"fields": len(data.get("fields", [])), "procedures": len(data.get("procedures", [])),
            "commitments": len(data.get("commitments", []))}


def export_catalog() -> dict:
    """The whole catalog in the import format (round-trips through :func:`import_catalog`)."""
    procedures = Procedure.objects.select_related("field", "replaced_by").prefetch_related("levels", "documents", "fee_lines")
    return {
        "format": FORMAT,
        "fields": [{"code": f.code, "name": f.name, "sector": f.sector} for f in Field.objects.all()],
        "procedures": [
            {
                "code": p.code, "national_code": p.national_code, "name": p.name, "field": p.field.code,
                "levels": p.level_list, "online_level": p.online_level,
                "processing_time": {"value": float(p.processing_time_value), "unit": p.processing_time_unit,
                                    "note": p.processing_time_note},
                "cutoff_time": p.cutoff_time.strftime("%H:%M") if p.cutoff_time else None,
                "fee_amount": p.fee_amount, "fee_note": p.fee_note,
                "fees": [{"name": f.name, "amount": f.amount, "per": f.per, "note": f.note} for f in p.fee_lines.all()],
                "documents": [
                    {"name": d.name, "copy_type": d.copy_type, "count": d.count, "mandatory": d.mandatory,
                     "condition": d.condition, "template_name": d.template_name, "template_url": d.template_url}
                    for d in p.documents.all()
                ],
                "steps": p.steps, "result": p.result, "legal_basis": p.legal_basis, "applicants": p.applicants,
                "description": p.description, "interlinked": p.interlinked, "interlinked_levels": p.interlinked_levels,
                "result_by_post": p.result_by_post, "result_electronic": p.result_electronic,
                "valid_from": p.valid_from.isoformat() if p.valid_from else None,
                "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                "replaced_by": p.replaced_by.code if p.replaced_by_id else None,
                "source": p.source,
            }
            for p in procedures
        ],
        "commitments": [
            {"unit": c.unit.code, "procedure": c.procedure.code, "time_value": float(c.time_value),
             "time_unit": c.time_unit, "decision": c.decision,
             "valid_from": c.valid_from.isoformat() if c.valid_from else None}
            for c in ProcedureCommitment.objects.select_related("unit", "procedure")
        ],
    }
