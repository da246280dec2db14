"""Fixtures of the national connections' tests: the national portal's simulator switched on and
served by the live server (one per test session: pytest-django's), the client pointed at it,
and helpers that walk dossiers through their workflow."""

from __future__ import annotations

import importlib

import pytest
from django.urls import clear_url_caches, include, path

from tests.files.conftest import APPLICANT, JPEG, PDF, TO_RESULT_RETURNED, advance, media_dir, online_dossier  # noqa: F401

NATIONAL_PORTAL_USER = "cong.dvcqg"


def reload_urls() -> None:
    """Evaluate ``national/urls.py`` again (it mounts the simulator by the setting) and remount it."""
    import motcua.national.urls
    import motcua.urls

    importlib.reload(motcua.national.urls)
    for i, pattern in enumerate(motcua.urls.urlpatterns):
        if getattr(pattern, "urlconf_module", None) is motcua.national.urls or (
                getattr(pattern, "pattern", None) is not None and str(pattern.pattern) == "lien-thong/"):
            motcua.urls.urlpatterns[i] = path("lien-thong/", include("motcua.national.urls"))
    clear_url_caches()


@pytest.fixture
def portal_sandbox(settings, live_server, transactional_db):
    """``MOTCUA_DVCQG_SANDBOX=true`` as ``make run`` sets it, no ``MOTCUA_DVCQG_URL``: the client
    talks HTTP to the simulator on the live server, whose address is the public one (the file
    links the simulator downloads point there too)."""
    from django.core.cache import cache

    settings.DVCQG_SANDBOX = True
    settings.DVCQG_URL = ""
    settings.PUBLIC_URL = live_server.url
    settings.DVCQG_TIMEOUT = 10
    reload_urls()
    cache.delete("national:dvcqg:session")
    yield settings
    settings.DVCQG_SANDBOX = False
    reload_urls()


@pytest.fixture
def service_account(demo):
    """The national portal's service account of Yên Bái (CONTRACT §1 ``create-user --role national_portal``)."""
    from django.core.management import call_command

    call_command("create_user", NATIONAL_PORTAL_USER, "--role", "national_portal", "--unit", "YB", verbosity=0)
    from motcua.accounts.models import User

    return User.objects.get(username=NATIONAL_PORTAL_USER)


def drain_all(limit: int = 1000):
    """Send everything due, as the worker would, in this thread."""
    from motcua.national.contrib.dvcqg.sync import drain

    return drain("test", limit=limit)


def held(code: str):
    """The simulated portal's record of dossier ``code`` and the progress steps it received."""
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxDossier, SandboxStep

    dossier = SandboxDossier.objects.filter(ma_ho_so=code).first()
    steps = list(SandboxStep.objects.filter(ma_ho_so=code).order_by("id").values_list("data", flat=True))
    return dossier, steps
