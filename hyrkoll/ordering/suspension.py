"""Refusing a step for a supplier suspended from the agreement (offers, awards, extensions).

A leaf module, so the assignment services can refuse a suspended supplier without importing the
ordering workflow.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from hyrkoll.agreement.models import Supplier
from hyrkoll.compliance.suspensions import is_suspended
from hyrkoll.ordering.errors import WorkflowError


def refuse_if_suspended(supplier: Supplier, on: datetime.date) -> None:
    if is_suspended(supplier, on):
        raise WorkflowError(
            _("%(supplier)s is suspended from the agreement on %(date)s.")
            % {"supplier": supplier, "date": on}
        )
