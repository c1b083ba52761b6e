"""Joint procurements: filing declarations of intent, the refusals, the live count, the decision
document's permissions, the coordinator's editing and the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import make_user
from hyrkoll.accounts.models import Role, Scope
from hyrkoll.audit.models import AuditAction, AuditEvent
from hyrkoll.governance import services_procurement as services
from hyrkoll.governance.models import Declaration, Procurement
from hyrkoll.organisation.models import Region

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def procurement(db: Any) -> Procurement:
    return Procurement.objects.create(
        name="Nationell upphandling 2028",
        declaration_deadline=TODAY + datetime.timedelta(days=20),
        starts_on=TODAY + datetime.timedelta(days=90),
        min_regions=3,
        sub_areas="doctors,nurses",
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages are asserted in English
    client.force_login(user)
    return client


def declare_url(procurement: Procurement) -> str:
    return reverse("governance:declaration_create", args=[procurement.pk])


def post_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "joins": "yes",
        "sub_areas": ["doctors"],
        "decided_by": "Regionstyrelsen",
        "decided_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def message_texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def declare_for(region: Region, procurement: Procurement, joins: bool, filer: Any) -> Declaration:
    return Declaration.objects.create(
        procurement=procurement,
        region=region,
        joins=joins,
        sub_areas="doctors" if joins else "",
        decided_by="Regionstyrelsen",
        decided_on=TODAY,
        filed_by=filer,
    )


# --- Filing -------------------------------------------------------------------------------------


def test_region_admin_files_declaration_with_pdf(world: dict[str, Any], procurement: Procurement) -> None:
    client = client_for(world["admin_a"])
    assert client.get(declare_url(procurement)).status_code == 200
    document = SimpleUploadedFile("beslut.pdf", PDF, content_type="application/pdf")
    response = client.post(declare_url(procurement), post_data(document=document))
    assert response.status_code == 302
    declaration = Declaration.objects.get(procurement=procurement)
    assert declaration.region == world["region_a"] and declaration.joins
    assert declaration.sub_area_codes() == ["doctors"]
    assert declaration.filed_by == world["admin_a"]
    assert declaration.document.read().startswith(b"%PDF-")
    event = AuditEvent.objects.get(object_id=str(declaration.pk), action=AuditAction.CREATE)
    assert event.actor == world["admin_a"] and event.region_id == world["region_a"].pk


def test_steering_group_member_may_declare_and_orderer_may_not(
    world: dict[str, Any], procurement: Procurement
) -> None:
    orderer = client_for(world["orderer_a"])
    response = orderer.post(declare_url(procurement), post_data())
    assert response.status_code == 302 and not Declaration.objects.exists()
    member = make_user(
        "styrgrupp.a", scope=Scope.REGION, region=world["region_a"], roles=(Role.STEERING_GROUP,)
    )
    response = client_for(member).post(declare_url(procurement), post_data(joins="no", sub_areas=[]))
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert not declaration.joins and declaration.sub_areas == ""


def assert_refused(response: Any, text: str) -> None:
    assert response.status_code == 400
    assert any(text in message for message in message_texts(response)), message_texts(response)
    assert not Declaration.objects.exists()
    assert not AuditEvent.objects.filter(content_type__model="declaration").exists()


def test_declaration_for_another_region_is_refused(world: dict[str, Any], procurement: Procurement) -> None:
    response = client_for(world["admin_a"]).post(
        declare_url(procurement), post_data(region=str(world["region_b"].pk))
    )
    assert_refused(response, "own region")


def test_second_declaration_is_refused(world: dict[str, Any], procurement: Procurement) -> None:
    first = declare_for(world["region_a"], procurement, True, world["admin_a"])
    response = client_for(world["admin_a"]).post(
        declare_url(procurement), post_data(joins="no", sub_areas=[])
    )
    assert response.status_code == 400
    assert any("already declared" in m for m in message_texts(response))
    assert list(Declaration.objects.all()) == [first]
    assert Declaration.objects.get().joins


def test_unique_constraint_backs_the_service(
    world: dict[str, Any], procurement: Procurement, monkeypatch: Any
) -> None:
    """A race: the existence check passes, the insert hits the unique constraint → DeclarationError."""
    declare_for(world["region_a"], procurement, True, world["admin_a"])
    real_filter = Declaration.objects.filter

    class NoneExists:
        def exists(self) -> bool:
            return False

    monkeypatch.setattr(
        Declaration.objects,
        "filter",
        lambda *args, **kwargs: NoneExists() if "region_id" in kwargs else real_filter(*args, **kwargs),
    )
    with pytest.raises(services.DeclarationError, match="already declared"):
        services.file_declaration(
            world["admin_a"],
            procurement,
            joins=False,
            decided_by="Regionstyrelsen",
            decided_on=TODAY,
        )
    assert Declaration.objects.count() == 1


def test_declaration_after_deadline_is_refused(world: dict[str, Any], procurement: Procurement) -> None:
    procurement.declaration_deadline = TODAY - datetime.timedelta(days=1)
    procurement.save()
    response = client_for(world["admin_a"]).post(declare_url(procurement), post_data())
    assert_refused(response, "deadline")


def test_declaration_after_start_is_refused(world: dict[str, Any], procurement: Procurement) -> None:
    procurement.declaration_deadline = TODAY
    procurement.starts_on = TODAY
    procurement.save()
    response = client_for(world["admin_a"]).post(declare_url(procurement), post_data())
    assert_refused(response, "started")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("beslut.txt", b"just text", "text/plain"),
        ("beslut.pdf", b"PK\x03\x04 not a pdf", "application/pdf"),
        ("beslut.docx", PDF, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_attachment_that_is_not_a_pdf_is_refused(
    world: dict[str, Any], procurement: Procurement, name: str, content: bytes, content_type: str
) -> None:
    document = SimpleUploadedFile(name, content, content_type=content_type)
    response = client_for(world["admin_a"]).post(declare_url(procurement), post_data(document=document))
    assert_refused(response, "not a PDF")
    assert "Decision document" in message_texts(response)[0]


def test_attachment_too_large_is_refused(
    world: dict[str, Any], procurement: Procurement, settings: Any, tmp_path: Any
) -> None:
    settings.GOVERNANCE_MAX_ATTACHMENT_BYTES = 1000
    document = SimpleUploadedFile("beslut.pdf", PDF + b"0" * 1000, content_type="application/pdf")
    response = client_for(world["admin_a"]).post(declare_url(procurement), post_data(document=document))
    assert_refused(response, "larger than")
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_joining_without_sub_areas_is_refused(world: dict[str, Any], procurement: Procurement) -> None:
    response = client_for(world["admin_a"]).post(declare_url(procurement), post_data(sub_areas=None))
    assert response.status_code == 400
    assert "Choose the sub-areas" in response.content.decode()
    assert not Declaration.objects.exists()
    # The service enforces it too, without the form.
    with pytest.raises(services.DeclarationError) as error:
        services.file_declaration(
            world["admin_a"], procurement, joins=True, sub_areas=[], decided_by="RS", decided_on=TODAY
        )
    assert error.value.field == "sub_areas"
    assert not Declaration.objects.exists()


# --- The live count -----------------------------------------------------------------------------


def test_live_count_and_proceeds(world: dict[str, Any], procurement: Procurement) -> None:
    regions = list(Region.objects.order_by("code")[:4])
    coordinator = client_for(world["coordinator"])
    url = reverse("governance:procurement_detail", args=[procurement.pk])
    declare_for(regions[0], procurement, True, world["coordinator"])
    declare_for(regions[1], procurement, False, world["coordinator"])
    declare_for(regions[2], procurement, True, world["coordinator"])
    status = services.count_status(procurement)
    assert (status.joining, status.needed, status.declared, status.proceeds) == (2, 3, 3, False)
    page = coordinator.get(url).content.decode()
    assert '<strong id="joining-count">2</strong>' in page
    assert "Does not proceed yet" in page
    assert "Not yet declared" in page and "Does not join" in page
    declare_for(regions[3], procurement, True, world["coordinator"])
    assert services.count_status(procurement).proceeds
    page = coordinator.get(url).content.decode()
    assert '<strong id="joining-count">3</strong>' in page and "Proceeds" in page
    listing = coordinator.get(reverse("governance:procurements")).content.decode()
    assert "3 of 3" in listing


def test_count_is_final_after_deadline(world: dict[str, Any], procurement: Procurement) -> None:
    procurement.declaration_deadline = TODAY - datetime.timedelta(days=1)
    procurement.save()
    status = services.count_status(procurement)
    assert status.final and not status.proceeds and status.label == "Does not proceed"


def test_detail_shows_accession_timeline_without_inline_styles(
    world: dict[str, Any], procurement: Procurement
) -> None:
    from hyrkoll.agreement.models import RegionAccession, SubArea

    doctors = SubArea.objects.filter(code="doctors").first()
    RegionAccession.objects.get_or_create(
        region=world["region_a"], sub_area=doctors, defaults={"acceded_on": datetime.date(2024, 2, 15)}
    )
    response = client_for(world["admin_b"]).get(
        reverse("governance:procurement_detail", args=[procurement.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'role="img"' in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'id="accession-table"' in page
    accession = RegionAccession.objects.get(region=world["region_a"], sub_area__code="doctors")
    assert accession.acceded_on.isoformat() in page


# --- The decision document ----------------------------------------------------------------------


def test_document_download_permissions(world: dict[str, Any], procurement: Procurement) -> None:
    services.file_declaration(
        world["admin_a"],
        procurement,
        joins=True,
        sub_areas=["doctors"],
        decided_by="Regionstyrelsen",
        decided_on=TODAY,
        document=SimpleUploadedFile("beslut.pdf", PDF, content_type="application/pdf"),
    )
    declaration = Declaration.objects.get()
    url = reverse("governance:declaration_document", args=[declaration.pk])
    detail = reverse("governance:procurement_detail", args=[procurement.pk])
    assert client_for(world["admin_b"]).get(url).status_code == 404
    assert url not in client_for(world["admin_b"]).get(detail).content.decode()
    assert client_for(world["supplier_user_a"]).get(url).status_code == 404
    for user in (world["coordinator"], world["admin_a"], world["orderer_a"]):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf"
    assert url in client_for(world["coordinator"]).get(detail).content.decode()
    assert Client().get(url).status_code == 302  # not signed in


# --- The coordinator's editing ------------------------------------------------------------------


def test_only_the_coordinator_creates_and_edits_procurements(world: dict[str, Any]) -> None:
    data = {
        "name": "Upphandling 2030",
        "declaration_deadline": "2029-06-30",
        "starts_on": "2029-09-01",
        "min_regions": "15",
        "sub_areas": "doctors, nurses",
        "description": "",
    }
    create = reverse("governance:procurement_create")
    for user in (world["admin_a"], world["orderer_a"], world["supplier_user_a"]):
        assert client_for(user).post(create, data).status_code == 403
    assert not Procurement.objects.exists()

    coordinator = client_for(world["coordinator"])
    response = coordinator.post(create, data)
    assert response.status_code == 302
    procurement = Procurement.objects.get()
    assert procurement.sub_areas == "doctors,nurses"
    assert AuditEvent.objects.filter(object_id=str(procurement.pk), action=AuditAction.CREATE).exists()

    edit = reverse("governance:procurement_edit", args=[procurement.pk])
    assert client_for(world["admin_a"]).post(edit, {**data, "min_regions": "1"}).status_code == 403
    # Start before the deadline: refused by the model constraint, nothing changed.
    response = coordinator.post(edit, {**data, "starts_on": "2029-01-01"})
    assert response.status_code == 200
    assert "cannot start before the declaration deadline" in response.content.decode()
    response = coordinator.post(edit, {**data, "sub_areas": "doctors,dentists"})
    assert response.status_code == 200 and "dentists" in response.content.decode()
    procurement.refresh_from_db()
    assert procurement.starts_on == datetime.date(2029, 9, 1) and procurement.sub_areas == "doctors,nurses"
    response = coordinator.post(edit, {**data, "min_regions": "16"})
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.min_regions == 16
    assert AuditEvent.objects.filter(object_id=str(procurement.pk), action=AuditAction.UPDATE).exists()


def test_pages_need_sign_in(procurement: Procurement) -> None:
    assert Client().get(reverse("governance:procurements")).status_code == 302
    assert Client().get(reverse("governance:procurement_detail", args=[procurement.pk])).status_code == 302


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_procurements_with_declarations_and_count(
    world: dict[str, Any], procurement: Procurement
) -> None:
    declare_for(world["region_a"], procurement, True, world["admin_a"])
    declare_for(world["region_b"], procurement, False, world["admin_b"])
    client = APIClient()
    client.force_authenticate(world["admin_b"])
    response = client.get("/api/v1/procurements/")
    assert response.status_code == 200
    body = response.json()
    items = body["results"] if isinstance(body, dict) else body
    (item,) = items
    assert item["name"] == procurement.name
    assert item["joining_count"] == 1 and item["min_regions"] == 3 and item["proceeds"] is False
    assert item["sub_areas"] == ["doctors", "nurses"]
    by_region = {d["region"]: d for d in item["declarations"]}
    assert by_region["14"]["joins"] is True and by_region["14"]["sub_areas"] == ["doctors"]
    assert by_region["14"]["decided_by"] == "Regionstyrelsen"
    assert by_region["14"]["decided_on"] == TODAY.isoformat()
    assert by_region["01"]["joins"] is False
    assert APIClient().get("/api/v1/procurements/").status_code in (401, 403)
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/procurements/"]["get"]["tags"] == ["governance"]
