"""Versions of a procedure: the one home of "a changed procedure keeps its earlier version for
the dossiers received under it".

A new version takes over the procedure's code (its public page, the API, intake); the earlier
version keeps its row — so every dossier, draft and figure that points at it stays as it was —
under an archived code (``<code>~<yyyymmdd>``, the day its successor came into force), with
``valid_to`` the day before and ``replaced_by`` the new version. What the province set locally
is carried over to the new version, never replaced: the online form, the cut-off time, the
online level, the delivery options, the one-stop interlinking, and the shorter times units
committed to (``ProcedureCommitment`` rows still in force are copied). A paper keeps the blank
form the province stored or asked Motcua to draw for it (``LOCAL_DOCUMENT_FIELDS``,
``catalog.blankforms``) when the new list has a paper of the same code or name — so do a catalog
import and a national pull, which replace a procedure's papers through :func:`set_documents`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.catalog.text import fold
from motcua.catalog.models import (
    FeeLine,
    Procedure,
    ProcedureCommitment,
    ProcedureLevel,
    RequiredDocument,
)

#: What a province sets on a procedure itself; a new version (and a national pull) keeps them.
LOCAL_FIELDS = ("form", "cutoff_time", "online_level", "result_by_post", "result_electronic",
                "interlinked", "interlinked_levels", "description")


def archived_code(code: str, day: dt.date) -> str:
    """The code the earlier version keeps (unique: one version a day at most)."""
    suffix = f"~{day:%Y%m%d}"
    max_length = Procedure._meta.get_field("code").max_length
    assert max_length is not None
    return code[: max_length - len(suffix)] + suffix


def set_levels(procedure: Procedure, levels) -> None:
    levels = set(levels)
    procedure.levels.exclude(level__in=levels).delete()
    have = set(procedure.levels.values_list("level", flat=True))
    ProcedureLevel.objects.bulk_create([ProcedureLevel(procedure=procedure, level=lv) for lv in sorted(levels - have)])


#: What a province sets on a paper itself: the blank form it uploaded, or asked Motcua to draw.
LOCAL_DOCUMENT_FIELDS = ("template_blank", "template_file", "template_filename", "template_content_type",
                         "template_size", "template_generated_from")


def _local_values(earlier: list[RequiredDocument], row: dict) -> dict:
    """The local fields of the earlier paper that ``row`` is (same national code, or same name)."""
    code, name = row.get("code") or "", fold(row.get("name"))
    same = next((d for d in earlier if code and d.code == code), None) or next(
        (d for d in earlier if fold(d.name) == name), None)
    if same is None:
        return {}
    return {f: getattr(same, f) for f in LOCAL_DOCUMENT_FIELDS if f not in row}


def set_documents(procedure: Procedure, documents: list[dict], *, earlier: list[RequiredDocument] | None = None) -> None:
    """Replace ``procedure``'s papers with ``documents``; each keeps the local fields of the paper
    it was (of ``earlier``, by default the procedure's papers until now)."""
    earlier = list(procedure.documents.all()) if earlier is None else earlier
    procedure.documents.all().delete()
    RequiredDocument.objects.bulk_create([RequiredDocument(procedure=procedure, order=i, **{**_local_values(earlier, d), **d})
                                          for i, d in enumerate(documents)])


def set_fees(procedure: Procedure, fees: list[dict]) -> None:
    procedure.fee_lines.all().delete()
    FeeLine.objects.bulk_create([FeeLine(procedure=procedure, order=i, **f) for i, f in enumerate(fees)])


@transaction.atomic
def new_version(procedure: Procedure, values: dict, *, levels, documents: list[dict], fees: list[dict],
                day: dt.date) -> Procedure:
    """Put a new version of ``procedure`` in force on ``day`` with ``values`` (the procedure's own
    columns), ``levels``, ``documents`` and ``fees``; the earlier version is archived (see the
    module's docstring). Returns the new version."""
    old = Procedure.objects.select_for_update().get(pk=procedure.pk)
    code = old.code
    old.code = archived_code(code, day)
    old.valid_to = day - dt.timedelta(days=1)
    old.save(update_fields=["code", "valid_to", "search_text", "search_name", "updated_at"])
    new = Procedure(code=code)
    for f in Procedure._meta.concrete_fields:
        if f.primary_key or f.name in ("code", "valid_to", "replaced_by", "updated_at"):
            continue
        setattr(new, f.attname, getattr(old, f.attname))
    for name, value in values.items():
        if name not in LOCAL_FIELDS:
            setattr(new, name, value)
    new.valid_from = day
    new.save()
    set_levels(new, levels)
    set_documents(new, documents, earlier=list(old.documents.all()))
    set_fees(new, fees)
    kept = ProcedureCommitment.objects.valid_on(day).filter(procedure=old)
    ProcedureCommitment.objects.bulk_create([
        ProcedureCommitment(unit_id=c.unit_id, procedure=new, time_value=c.time_value, time_unit=c.time_unit,
                            cutoff_time=c.cutoff_time, decision=c.decision, valid_from=day, valid_to=c.valid_to)
        for c in kept
    ])
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    return new
