"""Error bodies of the API: always JSON with a message and the request id, never a page."""

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def _message(status):
    return {
        400: _("The request could not be understood."),
        401: _("Log in first."),
        403: _("You do not have the right to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        429: _("Too many requests; try again shortly."),
        503: _("The service is briefly unavailable; try again shortly."),
    }.get(status, _("Something went wrong on the server. It has been logged under this request id."))


def api_error_response(request, status, headers=None):
    """A JSON body for an error `status`; keeps Retry-After (and Allow) from `headers`."""
    request_id = str(getattr(request, "id", "") or "")
    with translation.override(getattr(request, "LANGUAGE_CODE", None) or translation.get_language()):
        body = {"detail": _message(status), "request_id": request_id}
    response = JsonResponse(body, status=status)
    for name in ("Retry-After", "Allow"):
        if headers is not None and headers.has_header(name):
            response[name] = headers[name]
    return response
