"""How long a call-off may run: the agreement's maximum in months, from the call-off's start.

A leaf module (agreement parameters only), shared by the ordering workflow and the assignment
services (extensions may not run past the same end).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hyrkoll.agreement.models import AgreementParameter, ParameterKey
from hyrkoll.lib.dates import shift_months
from hyrkoll.ordering.models import Need

_parameter = AgreementParameter.value_in_force


def max_call_off_months(starts_on: datetime.date) -> int:
    return int(_parameter(ParameterKey.MAX_CALL_OFF_MONTHS, starts_on, Decimal(12)))


def latest_call_off_end(starts_on: datetime.date) -> datetime.date:
    """The last day a call-off starting ``starts_on`` may run, extensions included."""
    return shift_months(starts_on, max_call_off_months(starts_on)) - datetime.timedelta(days=1)


def max_call_off_days(need: Need) -> int:
    return (latest_call_off_end(need.starts_on) - need.starts_on).days + 1
