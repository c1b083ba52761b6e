"""What the compliance services share: the refusal that names a field."""

from __future__ import annotations

from hyrkoll.ordering.workflow import WorkflowError


def field_error(label: str, message: str) -> WorkflowError:
    """A refusal naming the field, as the forms do."""
    return WorkflowError(f"{label}: {message}")
