"""The officer's side of a dossier's papers: digitisation's progress (the papers section,
refreshed while a scan is being read), a paper's metadata, "Số hóa lại", and the search of
the digitised papers' text (``/can-bo/tim-giay-to/``). Each calls its one service:
``documents.digitisation``; scope is ``dossiers.scope``'s."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.documents import digitisation, store
from motcua.documents import services as documents
from motcua.documents.components import component_state
from motcua.documents.models import RESULT_KIND, DigitisationStatus
from motcua.dossiers import scope
from motcua.errors import DomainError, NotFound
from motcua.signing import services as signing
from motcua.accounts.decorators import staff_required
from motcua.office.views import _partial, _visible_or_404


class PaperRow:
    """One file of the papers section as the officer sees it."""

    def __init__(self, record, may_digitise: bool, jobs=(), may_resign: bool = False):
        self.record = record
        self.jobs = list(jobs)  # the result's signing jobs (motcua.signing), oldest first
        self.signature_check = getattr(record, "signature_check", None)  # a signed paper's verdict
        self.may_resign = may_resign
        self.digitisation = digitisation.digitisation_of(record)
        self.state = component_state(record)
        self.facts = store.paper_facts(record)
        self.validity = store.validity(record)
        self.may_digitise = may_digitise

    @property
    def pending(self) -> bool:
        return self.digitisation is not None and self.digitisation.status == DigitisationStatus.PENDING

    @property
    def unrecognised(self) -> bool:
        d = self.digitisation
        return d is not None and d.status == DigitisationStatus.DONE and not d.recognised

    @property
    def may_retry(self) -> bool:
        d = self.digitisation
        return self.may_digitise and d is not None and (d.status == DigitisationStatus.FAILED or self.unrecognised)

    @property
    def signing(self) -> bool:
        return any(j.status == "pending" for j in self.jobs)

    @property
    def checking(self) -> bool:
        return self.signature_check is not None and not self.signature_check.done

    @property
    def validity_words(self) -> str:
        return store.Entry(self.record, self.validity, None).validity_words


def papers_context(request, dossier) -> dict:
    """The papers section of the office dossier page."""
    may = digitisation.may_digitise(request.user, dossier)
    files = documents.list_documents(request.user, dossier.code)
    jobs: dict = {}
    for job in signing.jobs_of(dossier):
        jobs.setdefault(job.file_id, []).append(job)
    may_resign = any(signing.may_retry(request.user, j) for js in jobs.values() for j in js)
    rows = [PaperRow(f, may, jobs.get(f.pk, ()), may_resign) for f in files]
    return {
        "paper_rows": [r for r in rows if not r.record.is_result],
        "result_rows": [r for r in rows if r.record.is_result],
        "papers_pending": any(r.pending or r.signing or r.checking for r in rows),
        "paper_kinds": list(dossier.procedure.documents.order_by("order", "id").values_list("name", flat=True)),
        "result_kind": RESULT_KIND,
        "may_upload": scope.handles(request.user, dossier),
        "may_digitise": may,
    }


@staff_required
@require_GET
def papers_section(request, code: str):
    """The papers section alone (htmx polls it while a scan is being digitised)."""
    dossier = _visible_or_404(request, code)
    return render(request, "office/_papers.html", {"d": dossier, **papers_context(request, dossier)})


def _back(code: str):
    return redirect(reverse("office:dossier", args=[code]) + "#papers")


@staff_required
@require_POST
def paper_describe(request, code: str, file_id: int):
    """Set a paper's metadata (number, owner's ID number, issuer, dates, validity)."""
    _visible_or_404(request, code)
    raw = {name: request.POST.get(name, "") for name in digitisation.METADATA_FIELDS if name != "valid_forever"}
    raw["valid_forever"] = request.POST.get("valid_forever") == "1"
    try:
        record = digitisation.describe(request.user, code, file_id, raw)
    except NotFound:
        raise Http404(code) from None
    except DomainError as error:
        messages.error(request, _error_text(error))
        return _back(code)
    messages.success(request, _("Đã lưu thông tin giấy tờ “%(name)s”.") % {"name": record.name})
    return _back(code)


def _error_text(error: DomainError) -> str:
    details = "; ".join(m for messages_ in error.fields.values() for m in messages_)
    return f"{error.message} {details}".strip()


@staff_required
@require_POST
def paper_redigitise(request, code: str, file_id: int):
    """Digitise a failed (or unrecognised) paper again."""
    _visible_or_404(request, code)
    try:
        digitisation.retry(request.user, code, file_id)
    except NotFound:
        raise Http404(code) from None
    except DomainError as error:
        messages.error(request, _error_text(error))
        return _back(code)
    messages.success(request, _("Đã gửi số hóa lại."))
    return _back(code)


@staff_required
@require_POST
def result_resign(request, code: str, job_id: int):
    """Sign a result again after signing gave up (a leader of the unit, or an administrator)."""
    dossier = _visible_or_404(request, code)
    try:
        job = signing.retry(request.user, job_id)
    except NotFound:
        raise Http404(code) from None
    except DomainError as error:
        messages.error(request, _error_text(error))
        return _back(code)
    if job.file.dossier_id != dossier.pk:
        raise Http404(code)
    messages.success(request, _("Đã gửi ký số lại."))
    return _back(code)


@staff_required
@require_GET
def paper_search(request):
    """The text of the digitised papers of the dossiers in the officer's scope."""
    query = request.GET.get("q", "")[:200]
    found = digitisation.search(request.user, query) if query.strip() else []
    template = "office/_paper_search_results.html" if _partial(request) else "office/paper_search.html"
    return render(request, template, {"q": query, "found": found, "searched": bool(query.strip())})
