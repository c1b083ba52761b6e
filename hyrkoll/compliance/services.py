"""Deviations, suspensions and direct purchases: every change goes through here.

Like the ordering workflow, each step checks who acts, validates its input, changes state with a
compare-and-set update where two people could act at once, writes the audit trail, and raises
:class:`WorkflowError` with a message for the user when the step is not allowed (nothing is changed
then).

The steps live in one module per register (``services_deviations``, ``services_suspensions``,
``services_purchases``); this module is where callers import them from. None of those modules
imports this one.
"""

from __future__ import annotations

from hyrkoll.compliance.services_deviations import (
    DEFAULT_DEVIATIONS_BEFORE_PENALTY,
    WINDOW_MONTHS,
    DeviationCount,
    counting_window,
    deviation_counts,
    deviations_before_penalty,
    escalation_step,
    record_deviation,
    withdraw_deviation,
)
from hyrkoll.compliance.services_purchases import (
    WARNING_PCT,
    PurchaseFigures,
    PurchaseYear,
    eligible_needs,
    eligible_needs_in_year,
    purchase_figures,
    purchase_year,
    register_purchase,
    threshold_on,
    year_figures,
    year_threshold,
)
from hyrkoll.compliance.services_suspensions import lift_suspension, suspend
from hyrkoll.compliance.suspensions import is_suspended, suspended_supplier_ids
from hyrkoll.ordering.workflow import WorkflowError

__all__ = [
    "DEFAULT_DEVIATIONS_BEFORE_PENALTY",
    "WARNING_PCT",
    "WINDOW_MONTHS",
    "DeviationCount",
    "PurchaseFigures",
    "PurchaseYear",
    "WorkflowError",
    "counting_window",
    "deviation_counts",
    "deviations_before_penalty",
    "escalation_step",
    "eligible_needs",
    "eligible_needs_in_year",
    "is_suspended",
    "lift_suspension",
    "purchase_figures",
    "purchase_year",
    "record_deviation",
    "register_purchase",
    "suspend",
    "suspended_supplier_ids",
    "threshold_on",
    "withdraw_deviation",
    "year_figures",
    "year_threshold",
]
