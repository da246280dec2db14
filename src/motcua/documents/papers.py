"""The papers of a dossier (thành phần hồ sơ): which the procedure asks for, which were
received, which mandatory ones are missing. The one home of "what was handed in".

A paper counts as received when the counter officer ticked it at intake
(``dossier.data["received_papers"]``, the names of the procedure's required documents)
or when a file was uploaded for it (``DossierFile.kind``: online filing, supplementation).
The receipt (Mẫu 01) lists exactly these; the counter's intake page warns, with
:func:`missing_mandatory`, before taking in a dossier that lacks a mandatory one.
"""

from __future__ import annotations

from collections.abc import Iterable

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.documents.models import DossierFile
from motcua.dossiers.models import Dossier

RECEIVED_KEY = "received_papers"


def same_name(name: str) -> str:
    return " ".join(str(name or "").split()).casefold()


def procedure_papers(procedure: Procedure) -> list[RequiredDocument]:
    """The procedure's required documents, in the catalog's order (read once for many dossiers
    when the procedure's ``documents`` were prefetched)."""
    return sorted(procedure.documents.all(), key=lambda paper: (paper.order, paper.id))


def paper_named(papers: list[RequiredDocument], text: str) -> RequiredDocument | None:
    """The paper among ``papers`` (a procedure's, :func:`procedure_papers`) that ``text`` names:
    by its name (spacing and case aside), else by its national code (``MAGIAYTO``), as the
    national portal names a paper it forwards. None when it names none."""
    key = same_name(text)
    if not key:
        return None
    return (next((doc for doc in papers if same_name(doc.name) == key), None)
            or next((doc for doc in papers if doc.code and same_name(doc.code) == key), None))


def ticked(procedure: Procedure, names: Iterable[str]) -> list[str]:
    """The names in ``names`` that are papers of ``procedure``, in its order, each once."""
    wanted = {same_name(n) for n in names}
    return [doc.name for doc in procedure_papers(procedure) if same_name(doc.name) in wanted]


def missing_mandatory(procedure: Procedure, names: Iterable[str]) -> list[RequiredDocument]:
    """The mandatory papers of ``procedure`` that are not among ``names``."""
    have = {same_name(n) for n in names}
    return [doc for doc in procedure_papers(procedure) if doc.mandatory and same_name(doc.name) not in have]


def received_names(dossier: Dossier) -> set[str]:
    """The (normalised) names of the papers received for ``dossier``: ticked or uploaded."""
    names = {same_name(n) for n in (dossier.data or {}).get(RECEIVED_KEY) or [] if isinstance(n, str)}
    names |= {same_name(k) for k in DossierFile.objects.filter(dossier=dossier, is_result=False)
              .exclude(kind="").values_list("kind", flat=True)}
    return names


def received_papers(dossier: Dossier) -> list[RequiredDocument]:
    """The procedure's papers that were received for ``dossier``, in the catalog's order."""
    have = received_names(dossier)
    return [doc for doc in procedure_papers(dossier.procedure) if same_name(doc.name) in have]
