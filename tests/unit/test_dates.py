import datetime

import pytest

from hyrkoll.lib.dates import months_between, shift_months

date = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 3, 31), -1, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 12, 15), 1, datetime.date(2026, 1, 15)),
        (datetime.date(2026, 1, 15), -13, datetime.date(2024, 12, 15)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
    ],
)
def test_shift_months_clamps_to_the_last_day(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert shift_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            date(2025, 11, 1),
            date(2026, 2, 1),
            [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)],
        ),
        (date(2025, 11, 17), date(2025, 12, 3), [date(2025, 11, 1), date(2025, 12, 1)]),  # days within months
        (date(2025, 1, 31), date(2025, 1, 31), [date(2025, 1, 1)]),
        (date(2025, 2, 1), date(2025, 1, 31), []),
    ],
)
def test_months_between(start: date, end: date, expected: list[date]) -> None:
    assert months_between(start, end) == expected
