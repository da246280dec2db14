"""A paper's component state (trạng thái thành phần hồ sơ): the one home of whether a paper of a
dossier was digitised, and whether it reuses an earlier dossier's paper or result.

The states are those of deployed systems (shared/domain/national-systems.md §3.5):
0 not digitised, 1 digitised, 2 reused from another dossier's paper, 3 reused from another
dossier's result. The national record's ``TaiLieuNop`` flags (``DuocSoHoa``, ``DuocTaiSuDung``,
``DuocLayTuKhoDMQG``, ``HoSoCoThanhPhanSoHoa``) and the QĐ 766 digitisation indicators (4.2,
4.3, 4.4) are computed from here, never from a copy: :func:`component_state` for one paper,
:func:`state_q` for the same rule as a query condition on ``DossierFile``.

What exists today: a paper handed in at the counter without a file is not digitised (0); a
stored file is digitised (1); a file that links an earlier copy (``reused_from``: the same bytes
of the same citizen, or a paper taken from the citizen's store) is reused — from a result (3)
or from a paper (2). Digitisation at the counter (OCR into PDF/A, issue 19) extends this
function, not a second one.
"""

from __future__ import annotations

from enum import IntEnum

from django.db.models import Q

from motcua.documents.models import DossierFile


class ComponentState(IntEnum):
    NOT_DIGITISED = 0
    DIGITISED = 1
    REUSED_PAPER = 2
    REUSED_RESULT = 3


REUSED = (ComponentState.REUSED_PAPER, ComponentState.REUSED_RESULT)


def component_state(record: DossierFile | None) -> ComponentState:
    """The state of one paper: ``None`` (handed in on paper, no file) is not digitised."""
    if record is None:
        return ComponentState.NOT_DIGITISED
    if record.reused_from_id is not None:
        return ComponentState.REUSED_RESULT if record.reused_from.is_result else ComponentState.REUSED_PAPER
    return ComponentState.DIGITISED


def state_q(state: ComponentState, prefix: str = "") -> Q:
    """:func:`component_state` as a condition on ``DossierFile`` rows (``prefix``: the path to
    them, e.g. ``"files__"`` from a dossier). Not digitised has no file, so no condition."""
    p = prefix
    if state == ComponentState.REUSED_RESULT:
        return Q(**{f"{p}reused_from__is_result": True})
    if state == ComponentState.REUSED_PAPER:
        return Q(**{f"{p}reused_from__isnull": False, f"{p}reused_from__is_result": False})
    if state == ComponentState.DIGITISED:
        return Q(**{f"{p}reused_from__isnull": True})
    return Q(pk__in=[])


def reused_q(prefix: str = "") -> Q:
    """Either reused state (QĐ 766 indicator 4.3: a dossier that reuses digitised data)."""
    return Q(**{f"{prefix}reused_from__isnull": False})


def from_national_store(record: DossierFile | None) -> bool:
    """Was this paper taken from the citizen's store on the national portal (``DuocLayTuKhoDMQG``,
    QĐ 766 indicator 4.4)? Motcua does not read that store yet: never."""
    return False


def national_flags(record: DossierFile | None) -> dict[str, int]:
    """The ``TaiLieuNop`` flags of one paper: ``DuocSoHoa`` (1 digitised), ``DuocTaiSuDung``
    (0 none, 1 reused digitised data, 2 replaced by an earlier result), ``DuocLayTuKhoDMQG``."""
    state = component_state(record)
    return {
        "DuocSoHoa": 0 if state == ComponentState.NOT_DIGITISED else 1,
        "DuocTaiSuDung": {ComponentState.REUSED_PAPER: 1, ComponentState.REUSED_RESULT: 2}.get(state, 0),
        "DuocLayTuKhoDMQG": 1 if from_national_store(record) else 0,
    }
