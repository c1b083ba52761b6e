"""The load benchmark's suppliers' systems (``make bench-scale``): each logs in with its API token and
polls its call-offs, offers, assignments, time reports, invoices and the event feed; now and then it
offers a fitting consultant on an open call-off and reports a week's time on an active assignment.
A refusal the system could not have foreseen (the call-off closed, its deadline passed, the same
consultant or week reported meanwhile by another user of the supplier) is counted under its own
request name, not as a failure.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from locust import FastHttpUser, between, task

from bench.scale.journey import PASSWORD, SUPPLIERS, think_time


class SupplierSystem(FastHttpUser):
    """A supplier's system on the API with its token: it mostly polls (call-offs, one call-off, its
    offers, assignments, time reports, invoices, the feed) and now and then writes: an offer of one of
    its consultants on an open call-off it has not answered, and a week's time on an active assignment.

    A write the system could not have known would be refused (another user of the same supplier was a
    moment quicker, the call-off closed in between) is counted under a name of its own, ``… (refused:
    …)``, as a success; the journey chooses so that these stay rare. Any other answer is a failure.
    """

    weight = 4
    wait_time = between(*think_time())
    # An offer this close to the response deadline could arrive after it: not tried.
    DEADLINE_MARGIN = dt.timedelta(minutes=1)

    def on_start(self) -> None:
        self.competences: dict[str, dict[str, Any]] | None = None  # code → the API's competence
        self.consultants: list[dict[str, Any]] | None = None  # the supplier's own, read once
        username = f"leverantor.{random.randint(1, SUPPLIERS)}"
        with self.client.post(
            "/api/v1/token/",
            json={"username": username, "password": PASSWORD},
            name="/api/v1/token/",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"token for {username}: {r.status_code}")
                self.headers = {}
                return
            self.headers = {"Authorization": f"Token {r.json()['token']}"}

    def api(self, path: str, name: str) -> Any:
        with self.client.get(path, name=name, headers=self.headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {path}")
                return {}
            return r.json()

    def results(self, path: str, name: str) -> list[dict[str, Any]]:
        page = self.api(path, name=name)
        return page.get("results", []) if isinstance(page, dict) else []

    def every_page(self, path: str, name: str) -> list[dict[str, Any]]:
        """All rows of a list, following its ``next`` links."""
        rows: list[dict[str, Any]] = []
        url: str | None = path
        while url:
            page = self.api(url, name=name)
            if not isinstance(page, dict):
                break
            rows += page.get("results", [])
            url = page.get("next")
        return rows

    @task(3)
    def call_offs(self) -> None:
        results = self.results("/api/v1/call-offs/?limit=50", name="/api/v1/call-offs/")
        if results:
            pk = random.choice(results)["id"]
            self.api(f"/api/v1/call-offs/{pk}/", name="/api/v1/call-offs/[id]/")

    @task(2)
    def offers_and_work(self) -> None:
        self.api("/api/v1/offers/?limit=50", name="/api/v1/offers/")
        self.api("/api/v1/assignments/?limit=50", name="/api/v1/assignments/")
        self.api("/api/v1/time-reports/?limit=50", name="/api/v1/time-reports/")
        self.api("/api/v1/invoices/?limit=50", name="/api/v1/invoices/")

    @task(1)
    def events(self) -> None:
        self.api("/api/v1/events/?limit=100", name="/api/v1/events/")

    # --- Offering -------------------------------------------------------------------------------------

    @task(2)
    def offer(self) -> None:
        """The open call-offs; on one not yet answered whose deadline is ahead, a fitting consultant."""
        open_ = self.results("/api/v1/call-offs/?status=open&limit=50", name="/api/v1/call-offs/?status=open")
        now = dt.datetime.now(dt.UTC)
        answerable = [
            call_off
            for call_off in open_
            if call_off["status"] == "open"
            and not call_off["my_offers"]
            and dt.datetime.fromisoformat(call_off["response_deadline"]) > now + self.DEADLINE_MARGIN
        ]
        random.shuffle(answerable)
        for call_off in answerable:
            consultant = self.fitting_consultant(call_off)
            if consultant is not None:
                self.submit_offer(call_off, consultant)
                return

    def fitting_consultant(self, call_off: dict[str, Any]) -> dict[str, Any] | None:
        """One of the supplier's consultants of the call-off's profession with its competence, or (for
        a competence without a specialist certificate) another at its level; None if there is none."""
        if self.competences is None:
            rows = self.every_page("/api/v1/competences/?limit=500", name="/api/v1/competences/")
            self.competences = {row["code"]: row for row in rows}
        if self.consultants is None:
            self.consultants = self.every_page("/api/v1/consultants/?limit=500", name="/api/v1/consultants/")
        wanted = self.competences.get(call_off["competence"]["code"])
        if wanted is None:
            return None
        offered = {offer["consultant"] for offer in call_off["my_offers"]}
        mine = [
            c
            for c in self.consultants
            if c["profession"] == wanted["profession"] and c["id"] not in offered and c["licence_number"]
        ]
        exact = [c for c in mine if c["competence"] == wanted["code"]]
        if exact:
            return random.choice(exact)
        if wanted["requires_specialist_certificate"]:
            return None
        level = [
            c
            for c in mine
            if c["competence"] and self.competences.get(c["competence"], {}).get("level") == call_off["level"]
        ]
        return random.choice(level) if level else None

    def submit_offer(self, call_off: dict[str, Any], consultant: dict[str, Any]) -> None:
        """POST the offer (201); a 409 is re-read against the call-off: closed, past its deadline or
        the consultant offered by another user of the supplier meanwhile is a refusal, not a failure."""
        payload = {
            "call_off": call_off["id"],
            "consultant": consultant["id"],
            "licence_number": consultant["licence_number"],
            "competence": consultant["competence"],
            "hlr_trained_on": consultant["hlr_trained_on"],
            "available_from": call_off["starts_on"],
            "available_to": call_off["ends_on"],
            "references": "Avdelningschef, 070-1111111\nVerksamhetschef, 070-2222222",
        }
        with self.client.post(
            "/api/v1/offers/", json=payload, name="/api/v1/offers/", headers=self.headers, catch_response=True
        ) as r:
            if r.status_code == 201:
                return
            if r.status_code != 409:
                r.failure(f"{r.status_code} for POST /api/v1/offers/: {r.text[:200]}")
                return
            reason = self.offer_refusal(call_off["id"], consultant["id"])
            if reason is None:
                r.failure(f"409 for POST /api/v1/offers/ on an open call-off: {r.text[:200]}")
                return
            # Counted apart: Locust reports the request under request_meta's name when the block ends.
            r.request_meta["name"] = f"/api/v1/offers/ (refused: {reason})"
            r.success()

    def offer_refusal(self, call_off_id: int, consultant_id: int) -> str | None:
        """Why a 409 was right, from the call-off as it is now (None: it was not)."""
        now = self.api(f"/api/v1/call-offs/{call_off_id}/", name="/api/v1/call-offs/[id]/")
        if not now:
            return None
        if now["status"] != "open":
            return "call-off closed"
        if dt.datetime.fromisoformat(now["response_deadline"]) <= dt.datetime.now(dt.UTC):
            return "deadline passed"
        if any(offer["consultant"] == consultant_id for offer in now["my_offers"]):
            return "consultant offered meanwhile"
        return None

    # --- Time reports -------------------------------------------------------------------------------

    @task(1)
    def report_time(self) -> None:
        """A week of an active assignment that has ended and has no report yet: its working days in the
        assignment's period at the assignment's extent (hours per week over five days)."""
        assignments = self.results(
            "/api/v1/assignments/?status=active&limit=50", name="/api/v1/assignments/?status=active"
        )
        random.shuffle(assignments)
        for assignment in assignments[:3]:
            starts = dt.date.fromisoformat(assignment["starts_on"])
            last = dt.date.fromisoformat(assignment["ends_on"])
            if assignment["cancelled_from"]:
                last = min(last, dt.date.fromisoformat(assignment["cancelled_from"]) - dt.timedelta(days=1))
            reported = self.reported_weeks(assignment["id"])
            first = starts - dt.timedelta(days=starts.weekday())
            today = dt.date.today()
            weeks = [
                week
                for week in (first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1))
                if week + dt.timedelta(days=6) < today and week not in reported
            ]
            if weeks:
                self.submit_week(assignment, random.choice(weeks), starts, last)
                return

    def reported_weeks(self, assignment_id: int) -> set[dt.date]:
        rows = self.every_page(
            f"/api/v1/time-reports/?assignment={assignment_id}&limit=200",
            name="/api/v1/time-reports/?assignment",
        )
        return {dt.date.fromisoformat(row["week"]) for row in rows}

    def submit_week(self, assignment: dict[str, Any], week: dt.date, starts: dt.date, last: dt.date) -> None:
        daily = (Decimal(assignment["hours_per_week"]) / 5).quantize(Decimal("0.01"))
        days = [week + dt.timedelta(days=n) for n in range(5)]
        payload = {
            "assignment": assignment["id"],
            "week": week.isoformat(),
            "days": [
                {"date": day.isoformat(), "normal_hours": str(daily)} for day in days if starts <= day <= last
            ],
        }
        with self.client.post(
            "/api/v1/time-reports/",
            json=payload,
            name="/api/v1/time-reports/",
            headers=self.headers,
            catch_response=True,
        ) as r:
            if r.status_code == 201:
                return
            # Refused as a 400 when another user of the supplier reported the week a moment earlier.
            if r.status_code == 400 and week in self.reported_weeks(assignment["id"]):
                r.request_meta["name"] = "/api/v1/time-reports/ (refused: week reported meanwhile)"
                r.success()
                return
            r.failure(f"{r.status_code} for POST /api/v1/time-reports/: {r.text[:200]}")
