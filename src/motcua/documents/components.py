"""The component state of a dossier's papers: the one home of "was this paper digitised,
reused, taken from the store" — read by the national sync's flags and by the QĐ 766
scorecard's digitisation group alike, so the two never disagree.

Component states (shared/domain/national-systems.md §3.5, HV ``Events/HoSo/Constant.cs``):

====  ==================================================  ===============================
 0    not digitised: received on paper only (ticked at     no file
      the counter) — no electronic copy is held
 1    digitised: an electronic copy is held (uploaded,      a file of its own
      or the counter's scan, with or without its OCR)
 2    reused from another dossier's paper                  ``reused_from`` a paper
 3    reused from another dossier's result                 ``reused_from`` a result
====  ==================================================  ===============================

National flags of one submitted file (§1.2 ``TaiLieuNop``): ``DuocSoHoa`` 1 for a file
held electronically (state ≥ 1); ``DuocTaiSuDung`` 0 none, 1 reused digitised data
(state 2), 2 replaced by a previous result (state 3); ``DuocLayTuKhoDMQG`` 1 when the
citizen took it from their document store (``from_store``); ``MaKetQuaThayThe`` the
national result code (``MAKETQUA``, e.g. ``KQ.G07.000122``) of the result that replaced it:
the code the earlier dossier's procedure gives that result (``Procedure.coded_result``), else
the paper's own ``MA_KQ_THAYTHE`` in the catalog, else empty (HV sends the result code
here). The dossier's ``HoSoCoThanhPhanSoHoa`` is 1 when one of its papers is held
electronically.

The scorecard (QĐ 766 group "Số hóa", §1.8) counts from the same conditions
(:func:`file_condition`, :func:`dossiers_with`): 4.3 reuse = a paper in state 2 or 3,
4.4 store = a paper with ``DuocLayTuKhoDMQG`` 1. (766DOC words 4.3 through ``DuocSoHoa`` /
``HoSoCoThanhPhanSoHoa``; as every electronic file carries ``DuocSoHoa`` 1, that literal
reading would count every dossier with a file, so reuse is read from ``DuocTaiSuDung``,
which is what the indicator's name — "khai thác, sử dụng lại dữ liệu đã số hóa" — means.)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from django.db.models import Exists, OuterRef, Q

from motcua.documents.models import DossierFile
from motcua.documents.papers import RECEIVED_KEY, same_name


class ComponentState(IntEnum):
    NOT_DIGITISED = 0
    DIGITISED = 1
    REUSED_PAPER = 2
    REUSED_RESULT = 3

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    ComponentState.NOT_DIGITISED: "Chưa số hóa",
    ComponentState.DIGITISED: "Đã số hóa",
    ComponentState.REUSED_PAPER: "Dùng lại giấy tờ của hồ sơ khác",
    ComponentState.REUSED_RESULT: "Dùng lại kết quả của hồ sơ khác",
}

# DuocTaiSuDung by component state: 0 none, 1 reused digitised data, 2 replaced by a result.
REUSE_CODE = {
    ComponentState.NOT_DIGITISED: 0,
    ComponentState.DIGITISED: 0,
    ComponentState.REUSED_PAPER: 1,
    ComponentState.REUSED_RESULT: 2,
}


def component_state(record: DossierFile | None) -> ComponentState:
    """The state of the paper ``record`` holds (None: a paper received without a file)."""
    if record is None:
        return ComponentState.NOT_DIGITISED
    if record.reused_from_id is not None:
        return ComponentState.REUSED_RESULT if record.reused_from.is_result else ComponentState.REUSED_PAPER
    return ComponentState.DIGITISED


def file_condition(*states: ComponentState) -> Q:
    """The condition over ``DossierFile`` rows (papers, not results) in one of ``states``;
    the same rule as :func:`component_state`, for counting in the database."""
    q = Q(pk__in=[])
    for state in states:
        if state == ComponentState.DIGITISED:
            q |= Q(reused_from__isnull=True)
        elif state == ComponentState.REUSED_PAPER:
            q |= Q(reused_from__isnull=False, reused_from__is_result=False)
        elif state == ComponentState.REUSED_RESULT:
            q |= Q(reused_from__isnull=False, reused_from__is_result=True)
        # NOT_DIGITISED has no file row: nothing to match.
    return Q(is_result=False) & q


HELD = file_condition(ComponentState.DIGITISED, ComponentState.REUSED_PAPER, ComponentState.REUSED_RESULT)
REUSED = file_condition(ComponentState.REUSED_PAPER, ComponentState.REUSED_RESULT)
FROM_STORE = Q(is_result=False, from_store=True)
# The dossier's result files (``DanhSachGiayToKetQua``: each sent with a link the portal downloads).
RESULT = Q(is_result=True)


def result_files(dossier):
    """The result files of ``dossier``, oldest first: what ``DanhSachGiayToKetQua`` lists."""
    return DossierFile.objects.filter(RESULT, dossier=dossier).order_by("uploaded_at", "id")


def dossiers_with(condition: Q) -> Exists:
    """``Exists`` over the outer dossier's files matching ``condition`` (use in ``filter``)."""
    return Exists(DossierFile.objects.filter(condition, dossier=OuterRef("pk")))


@dataclass(frozen=True)
class FileFlags:
    """The national flags of one submitted file (§1.2 ``TaiLieuNop``)."""

    state: ComponentState
    digitised: int  # DuocSoHoa
    reuse: int  # DuocTaiSuDung
    from_store: int  # DuocLayTuKhoDMQG
    replacing_result: str  # MaKetQuaThayThe: the result code (MAKETQUA) of the result that replaced it

    def national(self) -> dict:
        return {"DuocSoHoa": self.digitised, "DuocTaiSuDung": self.reuse,
                "DuocLayTuKhoDMQG": self.from_store, "MaKetQuaThayThe": self.replacing_result}


def file_flags(record: DossierFile, paper=None) -> FileFlags:
    """The flags of ``record``; ``paper``: the catalog's paper it is (``RequiredDocument``), whose
    ``MA_KQ_THAYTHE`` names the result that may replace it when the earlier result's own
    procedure holds no coded result."""
    state = component_state(record)
    replacing = ""
    if state == ComponentState.REUSED_RESULT:
        earlier = record.reused_from
        replacing = (earlier.dossier.procedure.coded_result(earlier.name).get("code")
                     or (paper.result_substitute if paper is not None else "") or "")
    return FileFlags(
        state=state,
        digitised=int(state >= ComponentState.DIGITISED),
        reuse=REUSE_CODE[state],
        from_store=int(bool(record.from_store) and not record.is_result),
        replacing_result=replacing,
    )


@dataclass(frozen=True)
class Component:
    """One paper of a dossier as received: its name, state, and the file (if any)."""

    name: str
    state: ComponentState
    file: DossierFile | None


def dossier_components(dossier) -> list[Component]:
    """The dossier's papers (not its result): each file with its state, then each paper
    ticked at the counter with no file (state 0), in the order received."""
    files = list(DossierFile.objects.filter(dossier=dossier, is_result=False)
                 .select_related("reused_from", "reused_from__dossier__procedure").order_by("uploaded_at", "id"))
    items = [Component(f.kind or f.name, component_state(f), f) for f in files]
    with_file = {same_name(f.kind) for f in files if f.kind}
    for name in (dossier.data or {}).get(RECEIVED_KEY) or []:
        if isinstance(name, str) and same_name(name) not in with_file:
            items.append(Component(name, ComponentState.NOT_DIGITISED, None))
            with_file.add(same_name(name))
    return items


def has_digitised_component(dossier) -> bool:
    """``HoSoCoThanhPhanSoHoa``: one of the dossier's papers is held electronically."""
    return DossierFile.objects.filter(HELD, dossier=dossier).exists()
