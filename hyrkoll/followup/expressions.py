"""SQL expressions the follow-up tables' constraints use."""

from __future__ import annotations

from typing import Any

from django.db.models import Func, IntegerField


class DayOfMonth(Func):
    """The day of the month of a date, computed by the database itself.

    Django's ``period__day`` calls a Python function for every row on SQLite (``django_date_extract``);
    in a CHECK constraint that is one call per stored row – 45,360 for the benchmark ledger's monthly
    rows, a fifth of their insert. SQLite's own ``strftime`` reads the stored ISO date instead.
    """

    arity = 1
    output_field = IntegerField()
    template = "EXTRACT(DAY FROM %(expressions)s)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%d', %(expressions)s) AS INTEGER)", **extra
        )
