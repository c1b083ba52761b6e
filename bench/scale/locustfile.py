"""The load benchmark's journeys (``make bench-scale``): real users of the data set, each logged in
once, following the links a person or a system would follow.

Users are ``<region>.<role>`` (``vgr`` is region 14, other regions their county code), the national
``nationell.*`` and the suppliers' ``leverantor.<n>``; the password is the demo's. Requests are named
by URL pattern (``/ordering/needs/[id]/``) so the printout groups them. Anything but the expected
status (200, or the redirect after a form) counts as a failure.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re

from locust import task

from bench.scale.journey import REGIONS, Journey, ids, options
from bench.scale.supplier_system import SupplierSystem

__all__ = ["Approver", "CallOffUnit", "Controller", "Coordinator", "Orderer", "SupplierSystem"]


class Orderer(Journey):
    """Registers needs and follows them: start page, the need list with filters, a need, the form."""

    weight = 5
    roles = ("bestallare", "bestallare2", "bestallare3")

    @task(3)
    def follow_needs(self) -> None:
        self.get("/", name="/ (start)")
        status = random.choice(["", "?status=published", "?status=awarded", "?sort=-since"])
        listing = self.get(f"/ordering/needs/{status}", name="/ordering/needs/?filters")
        needs = ids(listing, r'href="/ordering/needs/(\d+)/"')
        if needs:
            self.get(f"/ordering/needs/{random.choice(needs)}/", name="/ordering/needs/[id]/")

    @task(1)
    def register_need(self) -> None:
        form = self.get("/ordering/needs/new/", name="/ordering/needs/new/")
        units, professions = options(form, "unit"), dict(options(form, "profession"))
        groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', form, re.S)
        if not units or not groups:
            return
        label, group = random.choice(groups)
        competences = re.findall(r'<option value="(\d+)"', group)
        profession = next((pk for pk, name in professions.items() if name == label), "")
        starts = dt.date.today() + dt.timedelta(days=random.randint(30, 120))
        data = {
            "unit": random.choice(units)[0],
            "profession": profession,
            "competence": random.choice(competences),
            "starts_on": starts.isoformat(),
            "ends_on": (starts + dt.timedelta(weeks=random.randint(2, 12))).isoformat(),
            "hours_per_week": "40",
            "reason": random.choice(["vacancy", "parental_leave", "sick_leave", "peak"]),
            "required_skills": "Belastningstest",
        }
        self.post_form("/ordering/needs/new/", "/ordering/needs/new/", form, data)


class Approver(Journey):
    """Works the approval queue: the queue, a need's page, and a decision on it."""

    weight = 2
    # Taken in turn from the top. An approver decides the needs at or below their level; with 20 users
    # there are two approvers, and two drawn at random were often both below every waiting need's
    # level: run 35 decided nothing in 423 visits of the queue, runs 32–34 6, 18 and 41 times.
    roles = ("hsdirektor", "omradeschef", "verksamhetschef", "enhetschef")
    started = itertools.count()

    def username(self) -> str:
        role = self.roles[next(Approver.started) % len(self.roles)]
        return f"{random.choice(REGIONS)}.{role}"

    @task
    def decide(self) -> None:
        queue = self.get(
            "/ordering/needs/?status=awaiting_approval&queue=approvals",
            name="/ordering/needs/?queue=approvals",
        )
        waiting = ids(queue, r'href="/ordering/needs/(\d+)/"')
        if not waiting:
            listing = self.get("/ordering/needs/", name="/ordering/needs/?filters")
            waiting = ids(listing, r'href="/ordering/needs/(\d+)/"')[:5]
        if not waiting:
            return
        pk = random.choice(waiting)
        page = self.get(f"/ordering/needs/{pk}/", name="/ordering/needs/[id]/")
        if f"/ordering/needs/{pk}/decide/" in page and random.random() < 0.5:
            data = {"outcome": "approve", "reason": "Belastningstest: inom budget."}
            self.post_form(f"/ordering/needs/{pk}/decide/", "/ordering/needs/[id]/decide/", page, data)


class CallOffUnit(Journey):
    """The call-off unit: its queues and call-offs, a need with its offers, the award confirmation."""

    weight = 3
    roles = ("avropsenhet",)

    @task(3)
    def assess_offers(self) -> None:
        queue = random.choice(["", "?queue=assess", "?queue=deadline", "?status=open"])
        listing = self.get(f"/ordering/call-offs/{queue}", name="/ordering/call-offs/?filters")
        needs = ids(listing, r'href="/ordering/needs/(\d+)/"')
        if not needs:
            return
        page = self.get(f"/ordering/needs/{random.choice(needs)}/", name="/ordering/needs/[id]/")
        awardable = ids(page, r'href="/ordering/offers/(\d+)/award/"')
        offers = ids(page, r'href="/ordering/offers/(\d+)/"')
        if awardable:
            self.get(f"/ordering/offers/{awardable[0]}/award/", name="/ordering/offers/[id]/award/")
        elif offers:
            self.get(f"/ordering/offers/{random.choice(offers)}/", name="/ordering/offers/[id]/")

    @task(1)
    def internal_search(self) -> None:
        queue = self.get(
            "/ordering/needs/?status=internal_search&queue=internal", name="/ordering/needs/?queue=internal"
        )
        waiting = ids(queue, r'href="/ordering/needs/(\d+)/"')
        if not waiting:
            return
        pk = random.choice(waiting)
        page = self.get(f"/ordering/needs/{pk}/", name="/ordering/needs/[id]/")
        if f"/ordering/needs/{pk}/internal-exhausted/" in page:
            data = {
                "reason": "Poolen och grannenheterna tillfrågade.",
                "override_reason": "Ej tillgänglig hela perioden.",
            }
            self.post_form(
                f"/ordering/needs/{pk}/internal-exhausted/",
                "/ordering/needs/[id]/internal-exhausted/",
                page,
                data,
            )

    @task(2)
    def time_and_invoices(self) -> None:
        listing = self.get("/assignments/", name="/assignments/")
        assignments = ids(listing, r'href="/assignments/(\d+)/"')
        if assignments:
            self.get(f"/assignments/{random.choice(assignments)}/", name="/assignments/[id]/")
        invoices = self.get(
            random.choice(["/invoices/", "/invoices/?status=received&deviations=open"]),
            name="/invoices/?filters",
        )
        found = ids(invoices, r'href="/invoices/(\d+)/"')
        if found:
            self.get(f"/invoices/{random.choice(found)}/", name="/invoices/[id]/")


class Controller(Journey):
    """Controllers: a region's (its own dashboard) or the national reader (the national dashboard and
    any region's, which a region's controller sees only once the coordinator has published them); both
    the Bemanningstrend report as a page, Excel and PDF."""

    weight = 3

    def username(self) -> str:
        self.region = random.choice(REGIONS)
        self.national = random.random() < 1 / 3
        return "nationell.lasare" if self.national else f"{self.region}.controller"

    @task
    def follow_up(self) -> None:
        """The Bemanningstrend report, its two files, then the dashboards: one pass per task, so even a
        short run measures the PDF."""
        self.get("/follow-up/report/", name="/follow-up/report/")
        self.get("/follow-up/report/xlsx/", name="/follow-up/report/xlsx/")
        self.get("/follow-up/report/pdf/", name="/follow-up/report/pdf/")
        region = random.choice(REGIONS) if self.national else self.region
        self.get(
            f"/follow-up/regions/{'14' if region == 'vgr' else region}/", name="/follow-up/regions/[code]/"
        )
        if self.national:
            self.get("/follow-up/", name="/follow-up/ (national)")


class Coordinator(Journey):
    """The national coordinator and reader: registers, the audit trail, the national view."""

    weight = 1

    def username(self) -> str:
        return random.choice(["nationell.samordnare", "nationell.lasare"])

    @task
    def registers(self) -> None:
        path = random.choice(
            [
                "/governance/registers/hiring-stops/",
                "/governance/registers/dispensations/",
                "/governance/decisions/",
                "/agreement/suppliers/",
                "/compliance/direct-purchases/",
            ]
        )
        self.get(path, name=path)
        self.get("/audit/", name="/audit/")
        self.get("/follow-up/", name="/follow-up/ (national)")
