"""The API's language. Django's ``LocaleMiddleware`` gives every URL outside
``i18n_patterns`` the default language when that language has no URL prefix (ours: Dutch at
``/``, English at ``/en/``), so ``/api/`` would ignore ``Accept-Language``. API clients
choose with that header (RFC 9110, section 12.5.4), not with a path, so this middleware
activates the language it asks for (or the language cookie's) on ``/api/`` paths; Dutch
remains the default. It must come after ``LocaleMiddleware``, which then sets the response's
``Content-Language`` from it."""

from django.utils import translation

API_PREFIX = "/api/"


def api_language(get_response):
    def middleware(request):
        if request.path_info.startswith(API_PREFIX):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return get_response(request)

    return middleware
