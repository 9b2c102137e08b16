"""The schema tells the truth: only list actions are paginated, and every operation documents
the error bodies `exception_handler` produces (400 with field messages, 403, 404)."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", {
    "detail": serializers.CharField(),
    "request_id": serializers.CharField(),
})


# 400: each field (or `non_field_errors`) with its list of messages (an object for a nested
# field); a bad request not tied to a field carries `detail` and `request_id` (strings). A field
# may itself be called `request_id` (the change log's filter), so no name is typed apart.
FIELD_ERRORS = {
    "type": "object",
    "description": "field -> list of messages; or detail and request_id",
    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}]},
}


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self):
        # A detail action answering a list (an incident's log, an obligation's deliveries) is
        # not paginated; only the list action is.
        if getattr(self.view, "action", "list") != "list":
            return None
        return super()._get_paginator()

    def _is_filtered_list(self):
        return self.method == "GET" and bool(self._get_filter_parameters() or self.get_override_parameters())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        is_write = self.method in ("POST", "PUT", "PATCH")
        if (is_write or self._is_filtered_list()) and "400" not in responses:
            responses["400"] = self._get_response_for_code(FIELD_ERRORS, "400")
        responses.setdefault("403", self._get_response_for_code(ErrorSerializer, "403"))
        if "{" in self.path and "404" not in responses:
            responses["404"] = self._get_response_for_code(ErrorSerializer, "404")
        return responses
