"""Static files as browsers should get them: fingerprinted, compressed, cached for good.

``motcua serve`` runs ``collectstatic`` before it starts (``server/management/commands/serve.py``):
each file is copied into ``MOTCUA_DATA_DIR/static`` under a name carrying a hash of its content
(``motcua/site.3f2a9c1b7e04.css``), with a ``.gz`` copy beside it (and ``.br`` where the ``brotli`` package is installed), and
``{% static %}`` names that copy. WhiteNoise serves it compressed (by the browser's
``Accept-Encoding``) with ``Cache-Control: max-age=315360000, public, immutable``: a changed
file has a new name, so the old one may be kept for good.

Where nothing was collected (the tests, a development checkout), ``{% static %}`` names the
file itself and WhiteNoise finds it in the apps' folders (``WHITENOISE_USE_FINDERS``, set in
settings.py from whether a manifest exists), uncompressed, with a short max-age.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage

MANIFEST = "staticfiles.json"


class FingerprintedStaticStorage(CompressedManifestStaticFilesStorage):
    manifest_name = MANIFEST
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected: the file under its own name, from the apps' folders
            return name
