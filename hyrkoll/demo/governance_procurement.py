"""Demo joint procurements: the next round, open for declarations (13 regions have declared, most
join), and a past round (2020) in which every region declared, to show the history."""

from __future__ import annotations

import datetime
import random

from hyrkoll.accounts.models import Role, User
from hyrkoll.governance.models import Declaration, Procurement
from hyrkoll.organisation.models import Region

NEXT_NAME = "Nationell upphandling av hyrpersonal 2028"
PAST_NAME = "Nationell upphandling av hyrpersonal 2021"
BODIES = [
    "Regionstyrelsen",
    "Regionfullmäktige",
    "Hälso- och sjukvårdsnämnden",
    "Regionstyrelsens arbetsutskott",
]
# The regions that have declared in the next round so far (15); two do not join, so 13 of 15.
NEXT_DECLARING = ["14", "24", "01", "03", "05", "07", "10", "12", "13", "17", "18", "19", "20", "22", "25"]
NEXT_NOT_JOINING = {"13", "22"}
PAST_NOT_JOINING = {"01"}


def _filers() -> dict[int, User]:
    """A region administrator per region (a national user for a region without one)."""
    fallback = User.objects.filter(scope="national").order_by("pk").first()
    filers: dict[int, User] = {}
    admins = User.objects.filter(role_assignments__role=Role.REGION_ADMIN, region__isnull=False).order_by(
        "pk"
    )
    for user in admins:
        filers.setdefault(user.region_id, user)
    for region_id in Region.objects.values_list("pk", flat=True):
        if region_id not in filers and fallback is not None:
            filers[region_id] = fallback
    return filers


def load_procurement_demo(rng: random.Random, today: datetime.date, counts: dict[str, int]) -> None:
    regions = {region.code: region for region in Region.objects.order_by("code")}
    filers = _filers()
    upcoming = Procurement.objects.create(
        name=NEXT_NAME,
        declaration_deadline=today + datetime.timedelta(days=28),
        starts_on=today + datetime.timedelta(days=120),
        min_regions=15,
        sub_areas="doctors,nurses",
        description=(
            "Gemensam upphandling av bemanningstjänster (läkare samt sjuksköterskor och barnmorskor) "
            "som ersätter det nuvarande avtalet. Upphandlingen genomförs bara om minst 15 regioner ansluter."
        ),
    )
    past = Procurement.objects.create(
        name=PAST_NAME,
        declaration_deadline=datetime.date(2020, 11, 30),
        starts_on=datetime.date(2021, 3, 1),
        min_regions=15,
        sub_areas="doctors,nurses",
        description="Föregående gemensamma upphandling, som ledde till det nuvarande ramavtalet.",
    )
    rows = []
    for number, code in enumerate(NEXT_DECLARING):
        joins = code not in NEXT_NOT_JOINING
        sub_areas = "doctors,nurses" if rng.random() < 0.8 else rng.choice(["doctors", "nurses"])
        rows.append(
            Declaration(
                procurement=upcoming,
                region=regions[code],
                joins=joins,
                sub_areas=sub_areas if joins else "",
                decided_by=rng.choice(BODIES),
                decided_on=today - datetime.timedelta(days=3 + 4 * number + rng.randrange(3)),
                filed_by=filers[regions[code].pk],
            )
        )
    for code, region in regions.items():
        joins = code not in PAST_NOT_JOINING
        rows.append(
            Declaration(
                procurement=past,
                region=region,
                joins=joins,
                sub_areas="doctors,nurses" if joins else "",
                decided_by=rng.choice(BODIES),
                decided_on=datetime.date(2020, 9, 1) + datetime.timedelta(days=rng.randrange(85)),
                filed_by=filers[region.pk],
            )
        )
    Declaration.objects.bulk_create(rows)
    counts["joint procurements"] = 2
    counts["declarations of intent"] = len(rows)
