"""The translation catalogues are complete and compiled (issue 7, §5 "English").

Motcua's own texts are Vietnamese; ``locale/en`` translates every one of them, and
``locale_django/vi`` gives Vietnamese to the texts of Django's admin and forms that Django's
own Vietnamese catalogue lacks. How to update them: ``docs/translations.md``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.db_agnostic  # PostgreSQL cannot change it (docs/testing.md)

CATALOGUES = sorted(Path(p) for base in settings.LOCALE_PATHS for p in Path(base).glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}")


def test_there_is_an_english_and_a_vietnamese_catalogue():
    languages = {path.parents[1].name for path in CATALOGUES}
    assert {"en", "vi"} <= languages


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parents[3].name}/{p.parents[1].name}")
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if not e.obsolete and "fuzzy" in e.flags]
    assert (missing, fuzzy) == ([], [])


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parents[3].name}/{p.parents[1].name}")
def test_translations_keep_the_placeholders(path):
    """A translation that drops or renames ``%(code)s`` breaks the page or the e-mail."""
    wrong = []
    for entry in polib.pofile(str(path)).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in ([entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()):
            if sorted(PLACEHOLDER.findall(text)) != wanted and not (entry.msgid_plural and "%(" not in text):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parents[3].name}/{p.parents[1].name}")
def test_the_compiled_catalogue_matches_its_source(path):
    """The .mo the server reads is committed: it must say what the .po says."""
    def contents(entries):
        return {(e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
                for e in entries if e.msgid}

    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages (docs/translations.md)"
    source = [e for e in polib.pofile(str(path)) if not e.obsolete and e.translated() and "fuzzy" not in e.flags]
    assert contents(polib.mofile(str(mo_path))) == contents(source)


def test_the_english_catalogue_holds_every_text_of_the_code(tmp_path, settings):
    """Extract the texts again from a copy of the code (``makemessages``, as
    docs/translations.md does it) and compare: every text marked for translation in the code
    has its English, so no English page shows Vietnamese."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("needs GNU gettext (apt-get install gettext), as makemessages does")
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "motcua"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "locale_django"))
    settings.LOCALE_PATHS = [copy / "locale"]
    import os

    here = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    fresh = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(source / "locale/en/LC_MESSAGES/django.po"))
                 if e.translated() and "fuzzy" not in e.flags and not e.obsolete}
    untranslated = sorted(e.msgid for e in fresh if not e.obsolete and (e.msgctxt, e.msgid) not in committed)
    assert untranslated == [], f"{len(untranslated)} texts have no English yet (docs/translations.md)"


def test_english_pages_read_english(client, demo):
    """A sample of what the staff see, in English: no Vietnamese words left."""
    from django.urls import reverse

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.login(username="motcua.yt", password="motcua-demo")
    text = client.get(reverse("office:home")).content.decode()
    assert "Workbench" in text
    assert "Bàn làm việc" not in text and "Hàng hồ sơ" not in text
