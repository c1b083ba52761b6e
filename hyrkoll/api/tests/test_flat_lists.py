"""Lists read as flat rows (``base.FlatListMixin``) give what the serializer gives row by row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from hyrkoll.accounts.models import User
from hyrkoll.agreement.models import Profession, Supplier
from hyrkoll.consultants.models import Consultant

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_consultants(supplier_a: Supplier, consultants: dict[str, Consultant]) -> list[Consultant]:
    """Supplier A's consultants: conftest's with competence and dates, one without, three of the same
    name; and conftest's consultant of supplier B."""
    nurse = Profession.objects.get(code="nurse")
    people = [Consultant(supplier=supplier_a, first_name="Åsa", last_name="Öberg", profession=nurse)]
    people += [
        Consultant(supplier=supplier_a, first_name="Anna", last_name="Andersson", profession=nurse)
        for _ in range(3)
    ]
    return [*consultants.values(), *Consultant.objects.bulk_create(people)]


def test_consultant_list_rows_are_the_serializer_rows(
    client_for: Callable[[User], APIClient], supplier_user: User, many_consultants: list[Consultant]
) -> None:
    client = client_for(supplier_user)

    listed = client.get("/api/v1/consultants/").json()

    own = [person for person in many_consultants if person.supplier_id == supplier_user.supplier_id]
    assert listed["count"] == len(own) == 5
    details = [client.get(f"/api/v1/consultants/{row['id']}/").json() for row in listed["results"]]
    assert listed["results"] == details
    assert [row["last_name"] for row in listed["results"]] == ["Andersson"] * 3 + ["Dahl", "Öberg"]
    assert details[3]["competence"] == "spec_general_medicine"
    assert details[3]["licensed_on"] == "2010-06-01"
    assert details[4]["competence"] is None and details[4]["specialist_since"] is None


def test_consultants_of_the_same_name_come_once_each_page_by_page(
    client_for: Callable[[User], APIClient], supplier_user: User, many_consultants: list[Consultant]
) -> None:
    client = client_for(supplier_user)

    paged = [
        client.get(f"/api/v1/consultants/?limit=1&offset={offset}").json()["results"] for offset in range(5)
    ]

    ids = [page[0]["id"] for page in paged]
    same_name = sorted(person.pk for person in many_consultants if person.last_name == "Andersson")
    assert ids[:3] == same_name
    assert len(set(ids)) == 5
