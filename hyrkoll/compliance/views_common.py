"""Helpers shared by the compliance pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest

from hyrkoll.compliance import permissions
from hyrkoll.compliance.services import WorkflowError


def require_region_or_nation(request: HttpRequest) -> None:
    if not permissions.can_read_region_data(request.user):
        raise PermissionDenied


def run_form_step(form: BaseForm, step: Callable[[], Any]) -> Any:
    """Run a service step; its refusal becomes an error on the form (nothing was changed)."""
    try:
        return step()
    except WorkflowError as error:
        form.add_error(None, str(error))
        return None
