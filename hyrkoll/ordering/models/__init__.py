"""Needs (behov), their approval, call-offs (avrop) to suppliers, offers and consultant checks.

The life of a need is one status field changed only by ``hyrkoll.ordering.workflow``; every step
is a ``NeedEvent`` in the need's history and an event in the audit trail.
"""

from __future__ import annotations

from hyrkoll.ordering.models.call_offs import (
    CallOff,
    CallOffRecipient,
    CallOffStatus,
    RegionCallOffStatusTally,
    SupplierCallOffTally,
)
from hyrkoll.ordering.models.history import (
    OUTCOME_RECORDED,
    AttemptOutcome,
    Decision,
    DecisionOutcome,
    EventKind,
    InternalAttempt,
    NeedEvent,
)
from hyrkoll.ordering.models.needs import (
    OPEN_NEED_STATUSES,
    Need,
    NeedReason,
    NeedStatus,
    RegionNeedStatusTally,
)
from hyrkoll.ordering.models.offers import (
    CheckCode,
    Offer,
    OfferCheck,
    OfferStatus,
    SupplierOfferTally,
)

__all__ = [
    "AttemptOutcome",
    "CallOff",
    "CallOffRecipient",
    "CallOffStatus",
    "CheckCode",
    "Decision",
    "DecisionOutcome",
    "EventKind",
    "InternalAttempt",
    "Need",
    "NeedEvent",
    "NeedReason",
    "NeedStatus",
    "OPEN_NEED_STATUSES",
    "OUTCOME_RECORDED",
    "Offer",
    "OfferCheck",
    "OfferStatus",
    "RegionCallOffStatusTally",
    "RegionNeedStatusTally",
    "SupplierCallOffTally",
    "SupplierOfferTally",
]
