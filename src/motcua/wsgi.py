import datetime as _dt
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load the lunar holiday tables once, before gunicorn forks its workers (``--preload``),
    so no dossier waits half a second for the first calendar of a process."""
    import holidays

    year = _dt.date.today().year
    holidays.country_holidays("VN", years=list(range(year - 5, year + 6)))


_warm_up()
