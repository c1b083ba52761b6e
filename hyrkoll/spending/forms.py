"""The period filter of the page: a first and a last month (``?from=YYYY-MM&to=YYYY-MM``).

Both are optional: without them the page shows the last 12 complete months; without ``from`` it
is the 12 months ending at ``to``. A month that cannot be read or a last month before the first
is an error on its field (the page shows it beside the field and no figures).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hyrkoll.followup.indicators import Period, add_months
from hyrkoll.lib.dates import last_complete_month

FIRST_YEAR, LAST_YEAR = 2000, 2100


class MonthInput(forms.DateInput):
    """``<input type="month">`` with the value as YYYY-MM (a text box where the browser has none)."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"pattern": "[0-9]{4}-[0-9]{2}", **(attrs or {})}, format="%Y-%m")


def month_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m"],
        widget=MonthInput(),
        help_text=_("YYYY-MM"),
        error_messages={"invalid": _("Give the month as YYYY-MM, e.g. 2025-06.")},
    )


def default_period(today: datetime.date | None = None) -> Period:
    """The last 12 complete months before ``today``'s month."""
    today = today or timezone.localdate()
    return Period.rolling12(last_complete_month(today))


class PeriodForm(forms.Form):
    """``from`` and ``to`` are Python keywords, so the fields are added in ``__init__``."""

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["from"] = month_field(_("From month"))
        self.fields["to"] = month_field(_("To month (inclusive)"))

    def _check_year(self, name: str, month: datetime.date | None) -> None:
        if month is not None and not FIRST_YEAR <= month.year <= LAST_YEAR:
            self.add_error(
                name,
                _("Give a month between %(first)s-01 and %(last)s-12.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        self._check_year("from", start)
        self._check_year("to", end)
        if self.errors:
            return data
        end = end or default_period(self.today).end
        start = start or add_months(end, -11)
        if end < start:
            self.add_error("to", _("The last month cannot be before the first month."))
            return data
        data["period"] = Period(start, end)
        return data

    def period(self) -> Period | None:
        """The chosen period, or ``None`` while the form has errors."""
        if not self.is_valid():
            return None
        period: Period = self.cleaned_data["period"]
        return period
