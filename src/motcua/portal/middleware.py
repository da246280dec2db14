"""Vietnamese first: the page language comes from the language switch, not the browser.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; many phones in
Vietnam are set to English while their owners read Vietnamese best. So the site speaks
Vietnamese (``LANGUAGE_CODE``) until the visitor picks English with the switch, which
sets the language cookie.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant


def language_of(request) -> str:
    """The language the visitor chose with the switch, else the site's default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` that ignores ``Accept-Language``."""

    def process_request(self, request):
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()
