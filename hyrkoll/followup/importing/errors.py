"""The errors of one file: each names its row and field; the first MAX_ERRORS are kept, all counted."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hyrkoll.followup.importing.values import text
from hyrkoll.followup.models import CostImport

MAX_ERRORS = 1000  # stored and shown; the rest are counted


class ErrorList:
    """The file's errors as ``{"row", "field", "value", "message"}``; the first MAX_ERRORS kept."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: int | None, field: str, value: Any, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append({"row": row, "field": field, "value": text(value), "message": message})

    def stored(self) -> list[dict[str, Any]]:
        if self.count <= len(self.items):
            return self.items
        more = self.count - len(self.items)
        return [
            *self.items,
            {
                "row": None,
                "field": "",
                "value": "",
                "message": _("… and %(count)d more errors.") % {"count": more},
                "more": more,
            },
        ]

    def __bool__(self) -> bool:
        return self.count > 0


def error_count(cost_import: CostImport) -> int:
    """How many errors the import had, counting those not stored."""
    errors = cost_import.errors or []
    if errors and errors[-1].get("more"):
        return len(errors) - 1 + int(errors[-1]["more"])
    return len(errors)


def format_error(error: dict[str, Any]) -> str:
    """One stored error as a line of text (for the command line)."""
    if error.get("row") and error.get("field"):
        return _("Row %(row)d, %(field)s: %(message)s") % error
    if error.get("field"):
        return _("%(field)s: %(message)s") % error
    return str(error.get("message", ""))
