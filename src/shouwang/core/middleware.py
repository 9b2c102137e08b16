import uuid

from django.conf import settings
from django.utils import translation

from .changelog import change_context
from .choices import ChangeSource


class ChangeContextMiddleware:
    """Every write made while serving a request is logged with its user and request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = ChangeSource.API if request.path.startswith("/api/") else ChangeSource.WEB
        request.id = uuid.uuid4()
        with change_context(source=source, request=request, request_id=request.id):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request.id)
        return response


class LanguageMiddleware:
    """Chinese unless the user chose otherwise (the cookie set by the language switch).

    The browser's Accept-Language is deliberately ignored: the office's language is the
    default, not whatever a borrowed phone happens to be set to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _ in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
