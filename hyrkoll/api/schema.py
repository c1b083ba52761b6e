"""The OpenAPI description of the error answers every API view can give.

drf-spectacular documents only the success answer (and what ``extend_schema`` adds). The API also
answers, without a view having to say so:

- **401** without credentials or with an invalid token (every view that authenticates);
- **403** when a write is refused (the caller lacks the role, or a session without its CSRF token)
  and on every operation of a view whose permissions go beyond "signed in";
- **400** when a query parameter is malformed or out of range (or holds a NUL character);
- **404** for an id the caller cannot see – another tenant's row answers exactly like a missing one.

``ApiAutoSchema`` adds these (with DRF's ``{"detail": …}`` body, or the messages per parameter for a
400) unless the view documents the code
itself. Every API view uses it (``schema = ApiAutoSchema()``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="The reason, in the user's language.")


# DRF's answer to invalid input: the messages per parameter or field.
FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self._error_answers().items():
            if code not in responses:
                body = FIELD_ERRORS if code == "400" else ErrorSerializer
                answer = OpenApiResponse(response=body, description=description)
                responses[code] = self._get_response_for_code(answer, code, direction=direction)
        return responses

    def _error_answers(self) -> dict[str, str]:
        answers: dict[str, str] = {}
        permissions = self.view.get_permissions()
        if self.view.get_authenticators():
            answers["401"] = "Not signed in: no credentials, or an invalid token."
        restricted = any(not isinstance(p, (AllowAny, IsAuthenticated)) for p in permissions)
        open_to_all = all(isinstance(p, AllowAny) for p in permissions)
        if not open_to_all and (self.method not in SAFE_METHODS or restricted):
            answers["403"] = "The caller may not do this (their scope or role does not allow it)."
        if self._has_query_parameters():
            answers["400"] = (
                "A query parameter is malformed or out of range; the errors are given per parameter."
            )
        if "{" in self.path:
            answers["404"] = "Not found among the rows visible to the caller."
        return answers

    def _has_query_parameters(self) -> bool:
        """Whether the operation takes a query parameter the view parses (and refuses with 400 when it
        is malformed, out of range or holds a NUL). Pagination's limit and offset fall back to their
        defaults instead."""
        return any(
            parameter.get("in") == "query" and parameter["name"] not in {"limit", "offset"}
            for parameter in self._get_parameters()
        )
