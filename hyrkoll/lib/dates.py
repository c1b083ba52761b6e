"""Calendar arithmetic shared by the agreement's rules (call-off length, HLR, karens, extensions)."""

from __future__ import annotations

import calendar
import datetime


def shift_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier, if negative), clamped to the month's last day:
    31 January + 1 month = 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``start``'s month through ``end`` (empty if end < start)."""
    result, current = [], start.replace(day=1)
    while current <= end:
        result.append(current)
        current = shift_months(current, 1)
    return result


def month_end(month: datetime.date) -> datetime.date:
    """The last day of ``month``'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def last_complete_month(today: datetime.date) -> datetime.date:
    """The first day of the month before ``today``'s (the last month that is over)."""
    return shift_months(today.replace(day=1), -1)
