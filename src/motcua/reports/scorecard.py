"""The QĐ 766/QĐ-TTg scorecard (docs/api.md ``/reports/scorecard``; shared/domain/reports.md).

The groups, their weights and their indicators are data (:data:`GROUPS`), because the
sources disagree and the decision may be amended: the group maxima (CKMB 18, TDGQ 20,
CLGQ 12, TTTT 10, MDHL 18, MDSH 22 = 100) are an interface (docs/api.md); the indicators' formulas and
thresholds come from "Mô tả công thức tính chỉ số 766" [T]; where no threshold is given,
full points need 100 %.

Scoring (one rule, :func:`points`): full points at or above the threshold, else
``ratio × max ÷ threshold``; a zero denominator scores 0 with ratio ``None``.

Sources: ``system`` — computed here from the system's own dossiers, catalog, payments,
files, ratings, surveys and feedback (5.2–5.4: ``reports/satisfaction.py``; for 5.2 and 5.3 an
administrator's entry for the period, from the province's fuller PAKN system, wins); ``entered`` — an administrator typed it in (:class:`ScorecardEntry`,
with the data's source), summed over the entries inside the period; ``unavailable`` —
neither (scores 0, says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from django.db.models import Count, Q, QuerySet, Sum

from motcua import dossier_flags
from motcua.catalog.models import OnlineLevel, Procedure
from motcua.reports import indicators, services
from motcua.reports.services import ReportQuery, rate

SYSTEM, ENTERED, UNAVAILABLE = "system", "entered", "unavailable"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    max: float
    threshold: float = 100.0  # percent
    compute: str = ""  # the name of a system computation below; "" → entered or unavailable
    enterable: bool = False  # computed, but an administrator's entry for the period wins (a fuller source)
    note: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    max: int
    indicators: tuple[Indicator, ...]


GROUPS: tuple[Group, ...] = (
    Group("CKMB", "Công khai, minh bạch", 18, (
        Indicator("1.1", "Thủ tục hành chính được công bố đúng hạn", 6),
        Indicator("1.2", "Thủ tục hành chính được cập nhật, công khai đúng hạn", 4),
        Indicator("1.3", "Thủ tục hành chính công khai đầy đủ các bộ phận (Điều 8 khoản 2 NĐ 63/2010)", 2,
                  compute="catalog_complete"),
        Indicator("1.4", "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", 6, compute="synced",
                  note="Hồ sơ tiếp nhận trong kỳ đã được Cổng DVCQG xác nhận đồng bộ (DongBoHoSoMC)."),
    )),
    Group("TDGQ", "Tiến độ, kết quả giải quyết", 20, (
        Indicator("2.1", "Hồ sơ xử lý trước hạn, đúng hạn", 20, compute="in_time",
                  note="Yêu cầu bổ sung hơn một lần tính là quá hạn; thời gian chờ bổ sung không tính."),
    )),
    Group("CLGQ", "Cung cấp dịch vụ công trực tuyến", 12, (
        Indicator("3.1", "Thủ tục hành chính cung cấp dịch vụ công trực tuyến", 4, 80, compute="procedures_online"),
        Indicator("3.2", "Dịch vụ công trực tuyến có phát sinh hồ sơ", 4, compute="procedures_used_online"),
        Indicator("3.3", "Hồ sơ tiếp nhận trực tuyến", 4, 50, compute="online_submission",
                  note="Hồ sơ tiếp nhận trong kỳ nộp trực tuyến (KenhThucHien = 2) và đã đồng bộ lên Cổng DVCQG; "
                       "thủ tục có kết quả là giấy tờ thì hồ sơ phải có tệp kết quả điện tử (MaGiayToKetQua và "
                       "DuongDanTepTinKetQua). Tỷ lệ đã nhân với tỷ lệ đồng bộ (chỉ số 1.4)."),
    )),
    Group("TTTT", "Thanh toán trực tuyến", 10, (
        Indicator("3.5", "Thủ tục có phí, lệ phí được tích hợp thanh toán trực tuyến", 5, 80, compute="fees_payable_online"),
        Indicator("3.6", "Hồ sơ có phí, lệ phí được thanh toán trực tuyến", 5, compute="dossiers_paid_online"),
    )),
    Group("MDHL", "Mức độ hài lòng", 18, (
        Indicator("5.2", "Phản ánh, kiến nghị được xử lý đúng hạn", 6, compute="feedback_on_time", enterable=True,
                  note="Phản ánh, kiến nghị về hồ sơ đến hạn hoặc được trả lời trong kỳ, trả lời đúng hạn; "
                       "số liệu quản trị viên nhập (từ hệ thống PAKN của tỉnh) được dùng thay khi có."),
        Indicator("5.3", "Người dân hài lòng với việc xử lý phản ánh, kiến nghị", 6, compute="feedback_satisfied",
                  enterable=True,
                  note="Phiếu khảo sát trong kỳ chọn “hài lòng” hoặc “rất hài lòng” ở tiêu chí tiếp nhận, xử lý góp ý, "
                       "phản ánh, kiến nghị."),
        Indicator("5.4", "Mức độ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính", 6, 90, compute="satisfaction",
                  note="100 % − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ bị đánh giá không hài lòng, có tiêu chí khảo sát "
                       "không hài lòng hoặc có phản ánh, kiến nghị)."),
    )),
    Group("MDSH", "Số hóa hồ sơ", 22, (
        Indicator("4.1", "Hồ sơ được cấp kết quả điện tử", 6, compute="electronic_results",
                  note="Hồ sơ giải quyết xong trong kỳ có tệp kết quả điện tử (DanhSachGiayToKetQua)."),
        Indicator("4.2", "Hồ sơ được số hóa (thành phần hồ sơ và kết quả)", 4, 80, compute="digitised",
                  note="Hồ sơ tiếp nhận trong kỳ có giấy tờ được số hóa (DuocSoHoa = 1) và, khi đã giải quyết, có kết quả điện tử."),
        Indicator("4.3", "Hồ sơ khai thác, sử dụng lại dữ liệu đã số hóa", 4, 80, compute="reused",
                  note="Giấy tờ dùng lại dữ liệu đã số hóa của hồ sơ khác (DuocTaiSuDung = 1 hoặc 2)."),
        Indicator("4.4", "Hồ sơ liên kết với kho dữ liệu của công dân trên Cổng DVCQG", 4, compute="from_store",
                  note="Giấy tờ lấy từ kho dữ liệu của công dân (DuocLayTuKhoDMQG = 1)."),
        Indicator("4.5", "Hồ sơ khai thác Cơ sở dữ liệu quốc gia về dân cư, VNeID", 4, compute="population_data",
                  note="Chủ hồ sơ đăng nhập bằng VNeID, giấy tờ lấy từ kho dữ liệu, hoặc đã tra cứu CSDL quốc gia về dân cư cho hồ sơ."),
    )),
)

ENTERABLE = {i.key: i for g in GROUPS for i in g.indicators if not i.compute or i.enterable}
INDICATORS = {i.key: i for g in GROUPS for i in g.indicators}


def points(numerator: int, denominator: int, threshold: float, maximum: float) -> tuple[float | None, float]:
    """``(ratio %, points)``: full points at or above the threshold, ratio × max ÷ threshold below."""
    if not denominator:
        return None, 0.0
    ratio = rate(numerator, denominator)
    if ratio >= threshold:
        return ratio, float(maximum)
    earned = Decimal(str(ratio)) * Decimal(str(maximum)) / Decimal(str(threshold))
    return ratio, float(earned.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------ system computations: (numerator, denominator)

def _catalog_complete(query: ReportQuery, ctx: dict) -> tuple[int, int]:
    """Procedures the unit performs whose entry has every part: papers, steps, time, legal
    basis, result, fee. Counted in (procedure, level) pairs, as 3.1 and the catalog count."""
    pairs = list(indicators.performed_pairs(query).select_related("procedure"))
    ids = {pl.procedure_id for pl in pairs}
    with_papers = set(Procedure.objects.filter(pk__in=ids, documents__isnull=False).values_list("pk", flat=True))
    with_fee_lines = set(Procedure.objects.filter(pk__in=ids, fee_lines__isnull=False).values_list("pk", flat=True))
    complete = 0
    for pl in pairs:
        p = pl.procedure
        has_fee = p.fee_amount > 0 or bool(p.fee_note) or p.pk in with_fee_lines
        if p.pk in with_papers and p.steps and p.processing_time_value and p.legal_basis and p.result and has_fee:
            complete += 1
    return complete, len(pairs)


def synced_dossiers(query: ReportQuery, ctx: dict | None = None) -> tuple[int, int]:
    """1.4: of the dossiers received in the period, those the national portal acknowledged — the
    sync records the national sync writes (``dossiers.NationalRecord.synced_at``)."""
    start, end = query.bounds
    new = query.counted().filter(services.new(start, end))
    counts = new.aggregate(total=Count("pk"), synced=Count("pk", filter=dossier_flags.synced_q()))
    return counts["synced"], counts["total"]


def online_submission_dossiers(query: ReportQuery, part: str) -> QuerySet:
    """3.3: the dossiers received in the period (``part`` "denominator") and, of them, those the
    national portal counts as online (``part`` "numerator"): ``dossier_flags.online_submission_q``
    (received online; a paper result's file with its code and link) and acknowledged by the
    portal (``dossier_flags.synced_q``, 1.4's condition) — the rate times the sync rate."""
    start, end = query.bounds
    dossiers = query.counted().filter(services.new(start, end))
    if part == NUMERATOR:
        dossiers = dossiers.filter(dossier_flags.online_submission_q() & dossier_flags.synced_q())
    return dossiers


def _online_submission(query: ReportQuery, ctx: dict) -> tuple[int, int]:
    counts = online_submission_dossiers(query, DENOMINATOR).aggregate(
        total=Count("pk"), online=Count("pk", filter=dossier_flags.online_submission_q() & dossier_flags.synced_q()))
    return counts["online"], counts["total"]


def _in_time(query: ReportQuery, ctx: dict) -> tuple[int, int]:
    sc = ctx["report"]["scorecard"]["2.1"]
    return sc["in_time"], sc["total"]


def _ratio(name: str):
    def compute(query: ReportQuery, ctx: dict) -> tuple[int, int]:
        ratio = ctx["ratios"][name]
        return ratio["numerator"], ratio["denominator"]
    return compute


def _fees_payable_online(query: ReportQuery, ctx: dict) -> tuple[int, int]:
    """Online-capable (procedure, level) pairs with a fee, counted as integrated when a gateway is enabled."""
    fee = Q(procedure__fee_amount__gt=0) | Q(procedure__fee_lines__amount__gt=0)
    pairs = indicators.performed_pairs(query).filter(fee)
    with_fee = set(pairs.values_list("procedure_id", "level"))
    online = set(pairs.exclude(procedure__online_level=OnlineLevel.NONE).values_list("procedure_id", "level"))
    from motcua.payments.registry import register as gateways

    return (len(online) if gateways.enabled() else 0), len(with_fee)


def _satisfaction(query: ReportQuery, ctx: dict) -> tuple[int, int]:
    """Handled dossiers that were neither overdue nor "not satisfied": rated 1, a survey
    criterion at 1, or feedback (PAKN) about it (``reports.satisfaction.disliked``)."""
    from motcua.reports.satisfaction import disliked

    sc = ctx["report"]["scorecard"]["2.1"]
    handled, in_time = sc["total"], sc["in_time"]
    start, end = query.bounds
    conditions = services.scorecard_conditions(start, end)
    disliked_in_time = (query.period_dossiers()
                        .filter(conditions["sc_in_time"]).filter(disliked()).count())
    return max(in_time - disliked_in_time, 0), handled


def digitisation_base(query: ReportQuery, counted_among: str) -> QuerySet:
    """The dossiers a digitisation indicator counts out of: resolved in the period (4.1) or
    received in it (4.2–4.5)."""
    start, end = query.bounds
    base = query.counted()
    if counted_among == dossier_flags.RESOLVED:
        return base.filter(services.received(start, end) & services.resolved(start, end))
    return base.filter(services.new(start, end))


def _digitisation(query: ReportQuery, ctx: dict) -> dict:
    """4.1–4.5 in two queries: each indicator's condition is ``dossier_flags``' (the same homes
    the national record's flags are built from)."""
    if "digitisation" in ctx:
        return ctx["digitisation"]
    counts: dict = {}
    for among in (dossier_flags.RESOLVED, dossier_flags.RECEIVED):
        wanted = {k: i for k, i in dossier_flags.DIGITISATION.items() if i.counted_among == among}
        row = digitisation_base(query, among).aggregate(
            total=Count("pk"), **{f"n{k.replace('.', '_')}": Count("pk", filter=i.condition()) for k, i in wanted.items()})
        for key in wanted:
            counts[key] = (row[f"n{key.replace('.', '_')}"], row["total"])
    ctx["digitisation"] = counts
    return counts


def _digitisation_indicator(key: str):
    def compute(query: ReportQuery, ctx: dict) -> tuple[int, int]:
        return _digitisation(query, ctx)[key]
    return compute


def indicator_dossiers(query: ReportQuery, key: str, part: str) -> QuerySet:
    """The dossiers behind a digitisation indicator's numerator (``part`` "numerator") or
    denominator ("denominator"): their number is the scorecard's, from the same conditions."""
    indicator = dossier_flags.DIGITISATION[key]
    dossiers = digitisation_base(query, indicator.counted_among)
    if part == NUMERATOR:
        dossiers = dossiers.filter(indicator.condition())
    return dossiers


def _satisfaction_module():
    from motcua.reports import satisfaction

    return satisfaction


COMPUTATIONS: dict[str, Callable[[ReportQuery, dict], tuple[int, int]]] = {
    "catalog_complete": _catalog_complete,
    "synced": synced_dossiers,
    "in_time": _in_time,
    "procedures_online": _ratio("procedures_online"),
    "procedures_used_online": _ratio("procedures_used_online"),
    "online_submission": _online_submission,
    "fees_payable_online": _fees_payable_online,
    "dossiers_paid_online": _ratio("dossiers_paid_online"),
    "satisfaction": _satisfaction,
    "feedback_on_time": lambda query, ctx: _satisfaction_module().feedback_on_time(query, ctx),
    "feedback_satisfied": lambda query, ctx: _satisfaction_module().feedback_handling_satisfied(query, ctx),
    "electronic_results": _digitisation_indicator("4.1"),
    "digitised": _digitisation_indicator("4.2"),
    "reused": _digitisation_indicator("4.3"),
    "from_store": _digitisation_indicator("4.4"),
    "population_data": _digitisation_indicator("4.5"),
}
# The indicators with a list of their dossiers (the dashboard links their figures to it).
DRILLDOWN = tuple(dossier_flags.DIGITISATION)
NUMERATOR, DENOMINATOR = "numerator", "denominator"


def entered_values(query: ReportQuery) -> dict[str, dict]:
    """The administrator's entries inside the period, summed per indicator (over the subtree with ``children``)."""
    from motcua.reports.models import ScorecardEntry

    units = query.unit_ids()
    rows = (ScorecardEntry.objects.filter(unit_id__in=units, period_from__gte=query.date_from, period_to__lte=query.date_to)
            .values("indicator").annotate(numerator=Sum("numerator"), denominator=Sum("denominator")))
    sources: dict[str, set[str]] = {}
    for key, source in ScorecardEntry.objects.filter(
            unit_id__in=units, period_from__gte=query.date_from, period_to__lte=query.date_to).values_list("indicator", "source"):
        sources.setdefault(key, set()).add(source)
    return {r["indicator"]: {"numerator": int(r["numerator"]), "denominator": int(r["denominator"]),
                             "entered_source": "; ".join(sorted(sources.get(r["indicator"], ())))} for r in rows}


def scorecard(query: ReportQuery) -> dict:
    """The whole scorecard for the query's unit and period (docs/api.md)."""
    report = query.report()
    ctx = {"report": report, "ratios": {r["key"]: r for r in indicators.indicators(query, report)["ratios"]}}
    entered = entered_values(query)
    groups = []
    for group in GROUPS:
        items = []
        for ind in group.indicators:
            extra: dict = {}
            if ind.compute and not (ind.enterable and ind.key in entered):
                numerator, denominator = COMPUTATIONS[ind.compute](query, ctx)
                source = SYSTEM
            elif ind.key in entered:
                numerator, denominator = entered[ind.key]["numerator"], entered[ind.key]["denominator"]
                source = ENTERED
                extra["entered_source"] = entered[ind.key]["entered_source"]
            else:
                numerator = denominator = 0
                source = UNAVAILABLE
            ratio, earned = points(numerator, denominator, ind.threshold, ind.max)
            items.append({"key": ind.key, "name": ind.name, "numerator": numerator, "denominator": denominator,
                          "ratio": ratio, "threshold": ind.threshold, "points": earned, "max": ind.max,
                          "source": source, "note": ind.note, **extra})
        groups.append({"key": group.key, "name": group.name, "max": group.max,
                       "points": round(sum(i["points"] for i in items), 2), "indicators": items})
    return {
        "unit": query.unit.code, "unit_name": query.unit.name, "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(), "children": query.children,
        "points": round(sum(g["points"] for g in groups), 2), "max": 100, "groups": groups,
    }
