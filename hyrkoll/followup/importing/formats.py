"""The file kinds the follow-up imports: their columns with the Swedish aliases, and the codes.

The canonical cost file has one row per ledger line::

    region,period,cost_type,profession,care_area,amount_sek[,supplier_org_no,unit]

and the metrics file ``region,period,metric,profession,care_area,value``. Column names and values
are matched after :func:`fold` (lower case, å/ä/ö/é folded, spaces and hyphens as underscores), so
``Vårdområde``, ``vardomrade`` and ``VÅRDOMRÅDE`` are one name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hyrkoll.followup.models import CostCareArea, CostProfession, CostType, ImportKind, MetricKind


def fold(text: str) -> str:
    """Lower case, Swedish letters folded to ASCII, spaces and hyphens as underscores."""
    text = text.strip().lower().lstrip("\ufeff")
    for swedish, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        text = text.replace(swedish, plain)
    return "_".join(text.replace("-", " ").split())


# Column name (folded) → canonical column, one table per file kind.
COST_HEADERS = {
    "region": "region",
    "lan": "region",
    "period": "period",
    "manad": "period",
    "cost_type": "cost_type",
    "kostnadstyp": "cost_type",
    "profession": "profession",
    "yrke": "profession",
    "yrkesgrupp": "profession",
    "care_area": "care_area",
    "vardomrade": "care_area",
    "amount_sek": "amount_sek",
    "amount": "amount_sek",
    "belopp": "amount_sek",
    "belopp_sek": "amount_sek",
    "supplier_org_no": "supplier_org_no",
    "leverantor_orgnr": "supplier_org_no",
    "unit": "unit",
    "enhet": "unit",
}
METRIC_HEADERS = {
    "region": "region",
    "lan": "region",
    "period": "period",
    "manad": "period",
    "metric": "metric",
    "indikator": "metric",
    "profession": "profession",
    "yrke": "profession",
    "yrkesgrupp": "profession",
    "care_area": "care_area",
    "vardomrade": "care_area",
    "value": "value",
    "varde": "value",
}

# Value (folded) → code.
COST_TYPES = {
    **{code: code for code in CostType.values},
    "hyrd": CostType.HIRED,
    "hyrda": CostType.HIRED,
    "hyrpersonal": CostType.HIRED,
    "egen": CostType.OWN,
    "egen_personal": CostType.OWN,
    "intern_pool": CostType.INTERNAL_POOL,
    "bemanningspool": CostType.INTERNAL_POOL,
    "overtid": CostType.OVERTIME,
}
PROFESSIONS = {
    **{code: code for code in CostProfession.values},
    "": "",
    "lakare": CostProfession.DOCTOR,
    "sjukskoterska": CostProfession.NURSE,
    "sjukskoterskor": CostProfession.NURSE,
    "ovrig": CostProfession.OTHER,
    "ovriga": CostProfession.OTHER,
}
CARE_AREAS = {
    **{code: code for code in CostCareArea.values},
    "": "",
    "primarvard": CostCareArea.PRIMARY,
    "psykiatri": CostCareArea.PSYCHIATRY,
    "somatik": CostCareArea.SOMATIC,
    "somatisk_vard": CostCareArea.SOMATIC,
}
METRICS = {
    **{code: code for code in MetricKind.values},
    "hyrda_arsarbetare": MetricKind.HIRED_FTE,
    "egna_arsarbetare": MetricKind.OWN_FTE,
    "personalomsattning": MetricKind.TURNOVER_PCT,
    "sjukfranvaro": MetricKind.SICK_LEAVE_PCT,
    "kontinuitet": MetricKind.CONTINUITY_PCT,
}
COST_TYPES, PROFESSIONS, CARE_AREAS, METRICS = (
    {alias: str(code) for alias, code in table.items()}
    for table in (COST_TYPES, PROFESSIONS, CARE_AREAS, METRICS)
)
PERCENT_METRICS = frozenset({MetricKind.TURNOVER_PCT, MetricKind.SICK_LEAVE_PCT, MetricKind.CONTINUITY_PCT})
NON_NEGATIVE_COST_TYPES = frozenset({CostType.HIRED, CostType.OWN})


@dataclass(frozen=True)
class FileKind:
    kind: str
    headers: dict[str, str]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    code_column: str  # cost_type or metric
    codes: dict[str, str]
    value_column: str  # amount_sek or value
    max_digits: int  # of the stored value, incl. two decimals

    @property
    def limit(self) -> Decimal:
        """No single value, and no sum, may reach this: it could not be stored."""
        return Decimal(10) ** (self.max_digits - 2)

    @property
    def key_columns(self) -> tuple[str, str, str, str, str]:
        """The columns whose values make the key that lines add up under."""
        return ("region", "period", self.code_column, "profession", "care_area")

    @property
    def has_suppliers(self) -> bool:
        """Whether hired lines with a supplier also add up per supplier and unit (costs only)."""
        return "supplier_org_no" in self.optional

    def may_be_negative(self, code: str) -> bool:
        """Whether the sum of one key may be below zero (a single line always may: a correction)."""
        if self.kind == ImportKind.COSTS:
            return code not in NON_NEGATIVE_COST_TYPES
        return code in PERCENT_METRICS


COSTS = FileKind(
    kind=ImportKind.COSTS,
    headers=COST_HEADERS,
    required=("region", "period", "cost_type", "profession", "care_area", "amount_sek"),
    optional=("supplier_org_no", "unit"),
    code_column="cost_type",
    codes=COST_TYPES,
    value_column="amount_sek",
    max_digits=16,
)
METRICS_FILE = FileKind(
    kind=ImportKind.METRICS,
    headers=METRIC_HEADERS,
    required=("region", "period", "metric", "profession", "care_area", "value"),
    optional=(),
    code_column="metric",
    codes=METRICS,
    value_column="value",
    max_digits=14,
)


def file_kind(kind: str) -> FileKind:
    return COSTS if kind == ImportKind.COSTS else METRICS_FILE
