"""One way to make a PDF: a Typst template from ``printing/typst/`` plus JSON data.

Templates read their data with ``#let data = json(bytes(sys.inputs.data))``: user text is
never spliced into Typst source, so a name like ``#exit()`` or ``$x$`` prints as itself.
Only the fonts embedded in the ``typst`` wheel are used (``ignore_system_fonts``), so a
document looks the same on every machine; Libertinus Serif covers Vietnamese.

QR codes travel inside ``data`` as raw pixels (:func:`qr_image`) and are drawn by
``common.typ``'s ``qr-image``. Other files (a logo, a scanned seal) go through ``files``:
they are written next to a copy of the templates in a temporary directory that serves as
the Typst root for that one compilation.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
import threading
from pathlib import Path

import segno
import typst

TEMPLATE_DIR = Path(__file__).parent / "typst"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_local = threading.local()


class TemplateNotFound(LookupError):
    """No ``<name>.typ`` in ``printing/typst/``."""


def _template_source(template_name: str) -> bytes:
    if not _SAFE_NAME.match(template_name):
        raise TemplateNotFound(template_name)
    path = TEMPLATE_DIR / f"{template_name}.typ"
    if not path.is_file():
        raise TemplateNotFound(template_name)
    return path.read_bytes()


def _compiler() -> typst.Compiler:
    """A compiler per thread, rooted at the template directory (fonts load once: ~3× faster)."""
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TEMPLATE_DIR), ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def render_pdf(template_name: str, data: dict, files: dict[str, bytes] | None = None) -> bytes:
    """Compile ``printing/typst/<template_name>.typ`` with ``data`` into PDF bytes.

    ``data`` must be JSON-serialisable; the template sees it as ``sys.inputs.data``.
    ``files`` maps plain file names (no folders) to their content; the template refers
    to them by name, e.g. ``image("logo.png")``.
    """
    source = _template_source(template_name)
    inputs = {"data": json.dumps(data, ensure_ascii=False, default=str)}
    if not files:
        return _compiler().compile(source, format="pdf", sys_inputs=inputs)
    for name in files:
        if not _SAFE_NAME.match(name) or name.endswith(".typ"):
            raise ValueError(f"unsafe file name for a template: {name!r}")
    with tempfile.TemporaryDirectory(prefix="motcua-typst-") as tmp:
        root = Path(tmp)
        for template in TEMPLATE_DIR.glob("*.typ"):
            shutil.copyfile(template, root / template.name)
        for name, content in files.items():
            (root / name).write_bytes(content)
        # A fresh compiler: a long-lived one would keep every temporary path in its cache.
        return typst.compile(source, root=str(root), format="pdf", ignore_system_fonts=True, sys_inputs=inputs)


@functools.lru_cache(maxsize=4096)
def qr_image(url: str) -> dict:
    """The QR code of ``url`` as raw pixels: ``{"size": n, "pixels": [0|255, …]}``, n × n.

    One pixel per module (error correction M, a quiet zone of 2 modules); the template
    draws it with ``qr-image`` (``scaling: "pixelated"``), so the PDF holds a tiny image
    that prints sharp at any size, and tests can read the modules back from the PDF.
    segno picks the best of the eight masks in pure Python (~30 ms a code), so codes are
    cached: a poster's procedure URLs do not change between prints. Do not mutate the result.
    """
    rows = list(segno.make(url, error="m").matrix_iter(scale=1, border=2))
    return {"size": len(rows), "pixels": [0 if dark else 255 for row in rows for dark in row]}
