"""Who may upload the follow-up's cost and staffing files, for which region, and queueing an upload
as a background job – one rule for the web upload page and the API (``/api/v1/cost-imports/``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hyrkoll.accounts.models import Role, Scope
from hyrkoll.followup import jobs
from hyrkoll.followup.models import CostImport
from hyrkoll.organisation.models import Region


def is_national_coordinator(user: Any) -> bool:
    return bool(user.is_superuser or (user.scope == Scope.NATIONAL and user.has_role(Role.COORDINATOR)))


def is_region_user(user: Any) -> bool:
    return bool(user.scope == Scope.REGION and user.region_id)


def can_upload(user: Any) -> bool:
    """The national coordinator, or a region's controller (for their own region)."""
    if not user.is_authenticated:
        return False
    if is_national_coordinator(user):
        return True
    return is_region_user(user) and user.has_role(Role.CONTROLLER)


def upload_region(user: Any) -> Region | None:
    """A region's controller always uploads for their own region (nothing in the request changes
    it); the national coordinator's files are national (``None``)."""
    return None if is_national_coordinator(user) else user.region


def queue_upload(user: Any, cleaned_data: dict[str, Any]) -> CostImport:
    """Store the uploaded file as a queued import (``ImportUploadForm``'s cleaned data) and, where the
    setting says so, start it right after the commit."""
    with transaction.atomic():
        cost_import = jobs.enqueue(
            user,
            cleaned_data["file"],
            kind=cleaned_data["kind"],
            replace=cleaned_data["replace"],
            region=upload_region(user),
            definition_note=cleaned_data["definition_note"],
        )
        jobs.start_inline_after_commit(cost_import.pk)
    return cost_import
