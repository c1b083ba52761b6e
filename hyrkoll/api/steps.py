"""Workflow steps through the API: their refusals as HTTP errors, and those errors in the schema.

Every change of state is a call to ``hyrkoll.ordering.workflow`` (or the assignment and invoice
services), which checks who acts and moves the status. The views only translate the refusals:

- ``WorkflowError`` when the caller lacks the role for the step → **403**, with the message as
  ``detail``;
- ``WorkflowError`` otherwise (wrong state, deadline passed, already awarded …) → **409**, or the
  ``refused`` error the view names (400 when creating);
- Django ``ValidationError`` (the model's own validation) → **400** with the errors per field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.settings import api_settings

from hyrkoll.api.schema import ErrorSerializer
from hyrkoll.ordering import workflow

T = TypeVar("T")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The step is not possible in the current state."
    default_code = "conflict"


class WorkflowBadRequest(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


def _field_errors(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    }


def run_step(
    step: Callable[[], T], *, permitted: Callable[[], bool], refused: type[APIException] = Conflict
) -> T:
    """Run a workflow step and turn its refusals into API errors (see the module docstring).

    ``permitted`` asks ``hyrkoll.ordering.permissions`` whether the caller holds the role the step
    needs; it is consulted only after a refusal, to tell a permission problem from a state problem.
    """
    try:
        return step()
    except workflow.WorkflowError as error:
        if not permitted():
            raise PermissionDenied(str(error)) from None
        raise refused(str(error)) from None
    except DjangoValidationError as error:
        raise ValidationError(_field_errors(error)) from None


def error_responses(*codes: int, created: Any = None, ok: Any = None) -> dict[int, Any]:
    """The schema's responses of a step: 200/201 with ``ok``/``created``, and the error ``codes``."""
    descriptions = {
        400: "Invalid input; the errors are given per field.",
        403: "The caller may not take this step (e.g. not an authorised orderer, not the call-off unit).",
        404: "Not found among the rows visible to the caller.",
        409: "The step is not possible in the current state (e.g. already submitted, the call-off is "
        "closed or its response deadline has passed, already awarded).",
    }
    responses: dict[int, Any] = {}
    if ok is not None:
        responses[200] = ok
    if created is not None:
        responses[201] = created
    for code in codes:
        responses[code] = OpenApiResponse(
            response=None if code == 400 else ErrorSerializer, description=descriptions[code]
        )
    return responses
