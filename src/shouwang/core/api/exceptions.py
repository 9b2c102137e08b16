"""API errors as JSON: a message per field for bad input, `detail` otherwise."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from ..idempotency import KeyTaken


def as_drf_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, KeyTaken):  # before ValidationError: a conflict, and nothing of the other record
        return Response({"detail": str(exc), "code": "key_taken", "request_id": str(getattr(context.get("request"), "id", ""))},
                        status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("Still in use by other records; remove those first.")}, status=status.HTTP_409_CONFLICT
        )
    response = drf_handler(exc, context)
    request = context.get("request")
    if response is not None and isinstance(response.data, dict) and "detail" in response.data and request is not None:
        response.data["request_id"] = str(getattr(request, "id", ""))
    return response
