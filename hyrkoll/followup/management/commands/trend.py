"""``hyrkoll trend``: the Bemanningstrend indicators for a period, as JSON or a table.

    hyrkoll trend --from 2022-01 --to 2022-06 [--compare-previous-year] [--format json|table]
    hyrkoll trend --rolling12 2025-03 [--compare-previous-year] [--format json|table]
    ... [--region 14 --region 01]

The JSON is ``indicators.trend()``: ``{"period": {"from", "to"}, "national": M, "regions": {...}}``.
Run by operators: the national view, every region (those with data, or the ``--region`` ones).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hyrkoll.followup import indicators
from hyrkoll.followup.indicators import Period, parse_month
from hyrkoll.organisation.models import Region


def _month(option: str, text: str) -> Any:
    try:
        return parse_month(text)
    except ValueError:
        raise CommandError(f"{option}: {text!r} is not a month; use YYYY-MM, e.g. 2025-03.") from None


def _text(value: float | None, decimals: int = 0, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:{'+' if sign else ''},.{decimals}f}".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Print the Bemanningstrend indicators (hired cost, own personnel cost, hired as a share of own) "
        "for the nation and each region, for a range of months or the rolling 12 months ending a month."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", metavar="YYYY-MM", help="First month of the period.")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM", help="Last month of the period.")
        parser.add_argument(
            "--rolling12",
            metavar="YYYY-MM",
            help="The rolling 12 months ending this month (instead of --from/--to).",
        )
        parser.add_argument(
            "--compare-previous-year",
            action="store_true",
            help="Add the same months one year earlier and the change.",
        )
        parser.add_argument("--format", choices=("json", "table"), default="json")
        parser.add_argument(
            "--region",
            action="append",
            dest="regions",
            metavar="CODE",
            help="Only this region (county code, e.g. 14) in 'regions'; repeatable. Default: all.",
        )

    def period(self, options: dict[str, Any]) -> Period:
        start, end, rolling = options.get("start"), options.get("end"), options.get("rolling12")
        if rolling and (start or end):
            raise CommandError("Give either --rolling12 or --from/--to, not both.")
        if rolling:
            return Period.rolling12(_month("--rolling12", rolling))
        if not start and not end:
            raise CommandError("Give a period: --from YYYY-MM --to YYYY-MM, or --rolling12 YYYY-MM.")
        if not start or not end:
            raise CommandError("--from and --to go together: give both.")
        period = Period(_month("--from", start), _month("--to", end))
        if period.start > period.end:
            raise CommandError(f"--from {start} is after --to {end}.")
        return period

    def handle(self, *args: Any, **options: Any) -> None:
        period = self.period(options)
        codes = options.get("regions")
        names = dict(Region.objects.values_list("code", "name"))
        if codes:
            unknown = sorted(set(codes) - set(names))
            if unknown:
                raise CommandError(f"--region: unknown county code(s): {', '.join(unknown)}.")
            codes = sorted(set(codes))
        compare = options["compare_previous_year"]
        result = indicators.trend(period, compare_previous_year=compare, region_codes=codes or None)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.table(result, names, compare))

    def table(self, result: dict[str, Any], names: dict[str, str], compare: bool) -> str:
        headers = ["Region", "Hired (SEK)", "Own (SEK)", "Share %"]
        if compare:
            headers += ["Prev. share %", "Change pp", "Hired change %"]
        rows = []
        entries = [("Riket (national)", result["national"])]
        entries += [(f"{code} {names.get(code, '')}".strip(), m) for code, m in result["regions"].items()]
        for label, m in entries:
            row = [label, _text(m["hired_sek"]), _text(m["own_sek"]), _text(m["share_pct"], 2)]
            if compare:
                row += [
                    _text(m["previous"]["share_pct"], 2),
                    _text(m["change"]["share_pp"], 2, sign=True),
                    _text(m["change"]["hired_pct"], 2, sign=True),
                ]
            rows.append(row)
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells: list[str]) -> str:
            first = cells[0].ljust(widths[0])
            rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
            return "  ".join([first, *rest]).rstrip()

        period = result["period"]
        out = [f"Period {period['from']} – {period['to']}", line(headers), "  ".join("-" * w for w in widths)]
        out += [line(row) for row in rows]
        return "\n".join(out)
