"""The national portal's download of one file (see ``files.py``): no login, one file, expiring."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.documents.services import open_document
from motcua.errors import NotFound
from motcua.national.contrib.dvcqg.files import file_for_token


@require_safe
@never_cache
def download_file(request, token: str):
    record = file_for_token(token)
    if record is None:
        raise Http404
    try:
        handle = open_document(record)
    except NotFound:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=record.name, content_type=record.content_type)
    response["X-Robots-Tag"] = "noindex"
    return response
