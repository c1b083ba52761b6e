"""The ordering workflow: every change of a need's or call-off's status goes through here.

Each step checks who acts, moves the status with a compare-and-set update (two people acting on
the same need at once cannot both succeed), writes the need's history and the audit trail, and
raises :class:`WorkflowError` with a message for the user when the step is not allowed.

The steps live in submodules by responsibility (:mod:`.status` the shared helpers, :mod:`.orderer`,
:mod:`.internal`, :mod:`.decisions`, :mod:`.off_agreement`, :mod:`.publication`, :mod:`.offers`,
:mod:`.awarding`); this package re-exports them, so callers keep using ``workflow.publish`` and the
like. :class:`WorkflowError`, the call-off length and the suspension refusal are leaf modules
beside the package (:mod:`hyrkoll.ordering.errors`, :mod:`hyrkoll.ordering.call_off_length`,
:mod:`hyrkoll.ordering.suspension`): the assignment services import those, never this package,
which imports the assignment services for the award.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from hyrkoll.ordering.call_off_length import latest_call_off_end, max_call_off_days, max_call_off_months
from hyrkoll.ordering.checks import run_checks
from hyrkoll.ordering.errors import WorkflowError
from hyrkoll.ordering.notifications import (
    notify_call_off_filled,
    notify_call_off_published,
    notify_decision_requested,
    notify_orderer_awarded,
)
from hyrkoll.ordering.suspension import refuse_if_suspended
from hyrkoll.ordering.workflow import (
    awarding,
    decisions,
    internal,
    off_agreement,
    offers,
    orderer,
    publication,
    status,
)
from hyrkoll.ordering.workflow.awarding import award, close_unfilled, missing_deviation_reason
from hyrkoll.ordering.workflow.decisions import decide, steering_review
from hyrkoll.ordering.workflow.internal import (
    describe_outcome,
    exhaust_internal,
    facts_of,
    record_internal_attempt,
)
from hyrkoll.ordering.workflow.off_agreement import (
    OffAgreementFigures,
    approved_off_agreement_total,
    off_agreement_figures,
    off_agreement_premium,
    off_agreement_value,
)
from hyrkoll.ordering.workflow.offers import rank_key, ranked_offers, submit_offer
from hyrkoll.ordering.workflow.orderer import cancel, price_need, save_draft, submit
from hyrkoll.ordering.workflow.publication import admitted_suppliers, publish
from hyrkoll.ordering.workflow.status import add_working_days, sub_area_of, unit_chain

__all__ = [
    "OffAgreementFigures",
    "WorkflowError",
    "add_working_days",
    "admitted_suppliers",
    "approved_off_agreement_total",
    "award",
    "cancel",
    "close_unfilled",
    "decide",
    "describe_outcome",
    "exhaust_internal",
    "facts_of",
    "latest_call_off_end",
    "max_call_off_days",
    "max_call_off_months",
    "missing_deviation_reason",
    "notify_call_off_filled",
    "notify_call_off_published",
    "notify_decision_requested",
    "notify_orderer_awarded",
    "off_agreement_figures",
    "off_agreement_premium",
    "off_agreement_value",
    "price_need",
    "publish",
    "rank_key",
    "ranked_offers",
    "record_internal_attempt",
    "refuse_if_suspended",
    "run_checks",
    "save_draft",
    "steering_review",
    "sub_area_of",
    "submit",
    "submit_offer",
    "unit_chain",
]

_PARTS = (status, orderer, internal, decisions, off_agreement, publication, offers, awarding)


class _Workflow(types.ModuleType):
    """Setting a name on the package sets it in the submodules too.

    When the workflow was one module, ``mock.patch.object(workflow, "notify_call_off_filled", ...)``
    (the demo's quiet mail) or ``monkeypatch.setattr(workflow, "publish", ...)`` changed what the
    steps call. A submodule that holds the same object under the same name gets the new value, so
    such a patch (and its undo) still reaches the steps.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        missing = object()
        old = self.__dict__.get(name, missing)
        super().__setattr__(name, value)
        if old is missing or name not in __all__:
            return
        for part in _PARTS:
            if vars(part).get(name, missing) is old:
                setattr(part, name, value)


sys.modules[__name__].__class__ = _Workflow
