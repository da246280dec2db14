import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load the lunar holiday tables once, before gunicorn forks its workers (``--preload``),
    so no dossier waits for the first calendar of a process: the import of the ``holidays``
    package (≈0.5–0.9 s) and the statutory days of every year a calendar knows, in the very
    cache that ``worktime.services.build_calendar`` reads (no database needed)."""
    from motcua.worktime.services import default_years, public_holidays

    public_holidays(default_years())


_warm_up()
