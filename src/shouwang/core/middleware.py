import logging
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation

from .api.errors import api_error_response, is_api
from .changelog import change_context
from .choices import ChangeSource

_request_id: ContextVar[str] = ContextVar("shouwang_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Puts the request id on every log record, so an error's id leads to its traceback."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused or bad request (4xx) is one line: Django logs a page's 403 with the
    PermissionDenied's traceback, and a hundred of those hide the one real error."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = record.exc_text = None
        return True


class RequestIdMiddleware:
    """First in the chain: every request gets an id (logged, and sent as X-Request-ID), and
    every error under /api/ answers JSON, whichever layer produced it (a 404 of the URL
    resolver, a 500 of a middleware, a 503 while the database is away)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        token = _request_id.set(str(request.id))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        if is_api(request) and response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
            response = api_error_response(request, response.status_code, headers=response)
        response["X-Request-ID"] = str(request.id)
        return response


class ChangeContextMiddleware:
    """Every write made while serving a request is logged with its user and request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = ChangeSource.API if is_api(request) else ChangeSource.WEB
        with change_context(source=source, request=request, request_id=request.id):
            return self.get_response(request)


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
