"""Changes to the agreement register that span several rows: price-list versions and prices.

Each function runs in one transaction, validates before it writes, and records the change in the
audit trail with the state before and after.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from hyrkoll.agreement.models import FrameworkAgreement, Price, PriceList, Supplement
from hyrkoll.audit import services as audit
from hyrkoll.audit.models import AuditAction


def price_key(level_code: str, zone: int) -> str:
    return f"{level_code}/zone{zone}"


def price_table(price_list: PriceList) -> dict[str, Any]:
    """Prices and supplements of a version as plain data (for the audit trail and comparisons)."""
    prices = {
        price_key(p.level.code, p.zone): str(p.hourly_sek)
        for p in price_list.prices.select_related("level").order_by("level__code", "zone")
    }
    supplements = {
        f"{s.kind}/{s.sub_area_code or '*'}": str(s.amount_sek)
        for s in price_list.supplements.order_by("kind", "sub_area_code")
    }
    return {"prices": prices, "supplements": supplements}


@transaction.atomic
def create_price_list_version(
    actor: Any,
    agreement: FrameworkAgreement,
    *,
    version: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    note: str,
    copy_from: PriceList | None,
) -> PriceList:
    """A new version, optionally a copy of an earlier one.

    An open-ended earlier version is closed the day before the new one starts (that is what a new
    version means); any other overlap is refused by ``PriceList.clean``.
    """
    open_ended = (
        PriceList.objects.select_for_update()
        .filter(agreement=agreement, valid_to__isnull=True, valid_from__lt=valid_from)
        .first()
    )
    if open_ended is not None:
        before = audit.snapshot(open_ended)
        open_ended.valid_to = valid_from - datetime.timedelta(days=1)
        open_ended.save()
        audit.record(
            actor, AuditAction.UPDATE, open_ended, before=before, reason=f"Closed by version {version}"
        )
    price_list = PriceList(
        agreement=agreement, version=version, valid_from=valid_from, valid_to=valid_to, note=note
    )
    price_list.full_clean()
    price_list.save()
    if copy_from is not None:
        Price.objects.bulk_create(
            Price(price_list=price_list, level_id=p.level_id, zone=p.zone, hourly_sek=p.hourly_sek)
            for p in copy_from.prices.all()
        )
        # No prefetch: a prefetched ``regions`` cache would make ``set()`` on the copy a no-op.
        for supplement in copy_from.supplements.all():
            region_ids = list(supplement.regions.values_list("pk", flat=True))
            supplement.pk = None
            supplement._state.adding = True
            supplement.price_list = price_list
            supplement.save()
            supplement.regions.set(region_ids)
    after = {**audit.snapshot(price_list), **price_table(price_list)}
    reason = f"Copied from version {copy_from.version}" if copy_from else ""
    audit.record(actor, AuditAction.CREATE, price_list, after=after, reason=reason)
    return price_list


@transaction.atomic
def update_prices(
    actor: Any,
    price_list: PriceList,
    prices: dict[tuple[int, int], Decimal | None],
    supplements: dict[int, Decimal],
    reason: str,
) -> bool:
    """Set hourly prices ``{(level_id, zone): amount or None to remove}`` and supplement amounts.

    Returns whether anything changed; only then is an audit event written.
    """
    before = price_table(price_list)
    existing = {(p.level_id, p.zone): p for p in price_list.prices.all()}
    for (level_id, zone), amount in prices.items():
        current = existing.get((level_id, zone))
        if amount is None:
            if current is not None:
                current.delete()
        elif current is None:
            Price.objects.create(price_list=price_list, level_id=level_id, zone=zone, hourly_sek=amount)
        elif current.hourly_sek != amount:
            current.hourly_sek = amount
            current.full_clean()
            current.save(update_fields=["hourly_sek"])
    for supplement in Supplement.objects.filter(price_list=price_list, pk__in=supplements):
        amount = supplements[supplement.pk]
        if supplement.amount_sek != amount:
            supplement.amount_sek = amount
            supplement.save(update_fields=["amount_sek"])
    after = price_table(price_list)
    if after == before:
        return False
    audit.record(actor, AuditAction.UPDATE, price_list, before=before, after=after, reason=reason)
    return True
