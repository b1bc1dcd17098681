"""The trash seen through each API dialect: a DELETE moves the contact there (status and body as
the vendor's), and every list, search and detail then answers as it does for a record that is gone."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from contacts.models import Contact
from contacts.services import contact_delete, group_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_contact: Any, alice: Any, project: Any) -> dict[str, Contact]:
    """A live person and company, and a person and a company that are in the trash."""
    group_create(user=alice, name="Vip", code="vip")
    live_firm = make_contact(is_company=True, name="Keptco")
    live = make_contact(
        first_name="Livia", last_name="Kept", company=live_firm, items=[{"kind": "tel", "value": "+1 202 555 0101"}]
    )
    gone_firm = make_contact(is_company=True, name="Trashco")
    gone = make_contact(
        first_name="Trashy",
        last_name="Gone",
        tags=["vip"],
        items=[{"kind": "tel", "value": "+1 202 555 0199"}, {"kind": "email", "value": "trashy@gone.example"}],
    )
    contact_delete(contact=gone, user=alice)
    contact_delete(contact=gone_firm, user=alice)
    return {"live": live, "live_firm": live_firm, "gone": gone, "gone_firm": gone_firm}


@pytest.fixture
def key(api_key: str) -> str:
    return api_key


def shows(response: Any, *names: str) -> list[bool]:
    assert response.status_code == 200, response
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode()
    return [name in body for name in names]


def trashed(contact: Contact) -> bool:
    return Contact.objects.get(pk=contact.pk).deleted_at is not None


# Redmine


def redmine(client: Client, key: str, method: str, path: str, **params: Any) -> Any:
    return (
        client.generic(method, f"/redmine/{path}", HTTP_X_REDMINE_API_KEY=key, **params)
        if method != "GET"
        else (client.get(f"/redmine/{path}", params, HTTP_X_REDMINE_API_KEY=key))
    )


def test_redmine_lists_searches_and_tags_leave_out_the_trash(client, key, world, project):
    assert shows(redmine(client, key, "GET", "contacts.json"), "Livia", "Trashy", "Trashco") == [True, False, False]
    assert shows(redmine(client, key, "GET", "contacts.xml"), "Livia", "Trashy") == [True, False]
    assert shows(redmine(client, key, "GET", "contacts.json", search="trashy")) == []
    assert '"total_count":0' in redmine(client, key, "GET", "contacts.json", search="trashy").content.decode()
    projects = redmine(client, key, "GET", f"projects/{project.identifier}/contacts.json")
    assert shows(projects, "Livia", "Trashy") == [True, False]
    assert shows(redmine(client, key, "GET", "contacts_tags.json"), "vip") == [False]
    assert shows(redmine(client, key, "GET", "contacts.csv"), "Livia", "Trashy") == [True, False]
    assert shows(redmine(client, key, "GET", "contacts.vcf"), "Livia", "Trashy") == [True, False]


def test_redmine_answers_404_for_a_contact_in_the_trash(client, key, world):
    for fmt in ("json", "xml", "vcf"):
        assert redmine(client, key, "GET", f"contacts/{world['gone'].pk}.{fmt}").status_code == 404
    assert redmine(client, key, "PUT", f"contacts/{world['gone'].pk}.json").status_code == 404
    assert redmine(client, key, "DELETE", f"contacts/{world['gone'].pk}.json").status_code == 404


def test_redmine_delete_moves_to_the_trash(client, key, world):
    response = redmine(client, key, "DELETE", f"contacts/{world['live'].pk}.json")
    assert (response.status_code, response.content) == (204, b"")
    assert trashed(world["live"])
    assert redmine(client, key, "GET", f"contacts/{world['live'].pk}.json").status_code == 404


def test_redmine_shows_no_company_name_for_a_company_in_the_trash(client, key, world, make_contact):
    person = make_contact(first_name="Wile", company=world["live_firm"])
    contact_delete(contact=world["live_firm"], user=world["live_firm"].author)
    body = redmine(client, key, "GET", f"contacts/{person.pk}.json").json()["contact"]
    assert body["company"] is None


# ONLYOFFICE


def onlyoffice(client: Client, key: str, method: str, path: str, **params: Any) -> Any:
    if method == "GET":
        return client.get(f"/api/2.0/{path}", params, HTTP_AUTHORIZATION=key)
    return client.generic(method, f"/api/2.0/{path}", HTTP_AUTHORIZATION=key)


def test_onlyoffice_lists_and_search_leave_out_the_trash(client, key, world, project):
    everything = onlyoffice(client, key, "GET", "crm/contact/filter")
    assert shows(everything, "Livia", "Keptco", "Trashy", "Trashco") == [True, True, False, False]
    assert everything.json()["total"] == 2
    assert onlyoffice(client, key, "GET", "crm/contact/filter", filterValue="trashy").json()["response"] == []
    assert shows(onlyoffice(client, key, "GET", f"crm/contact/project/{project.pk}"), "Livia", "Trashy") == [
        True,
        False,
    ]
    assert shows(onlyoffice(client, key, "GET", "crm/contact/filter.xml"), "Livia", "Trashy") == [True, False]
    by_phone = onlyoffice(client, key, "GET", "crm/contact/bycontactinfo", infoType="Phone", data="+12025550199")
    assert shows(by_phone, "Trashy") == [False]


def test_onlyoffice_answers_404_for_a_contact_in_the_trash(client, key, world):
    for path in (f"crm/contact/{world['gone'].pk}", f"crm/contact/{world['gone_firm'].pk}.xml"):
        assert onlyoffice(client, key, "GET", path).status_code == 404
    assert onlyoffice(client, key, "DELETE", f"crm/contact/{world['gone'].pk}").status_code == 404


def test_onlyoffice_delete_answers_with_the_contact_and_moves_it_to_the_trash(client, key, world):
    response = onlyoffice(client, key, "DELETE", f"crm/contact/{world['live'].pk}")
    assert response.status_code == 200 and response.json()["response"]["DisplayName"] == "Livia Kept"
    assert trashed(world["live"])
    assert onlyoffice(client, key, "GET", f"crm/contact/{world['live'].pk}").status_code == 404


def test_onlyoffice_shows_no_company_for_a_person_whose_company_is_in_the_trash(client, key, world, alice):
    contact_delete(contact=world["live_firm"], user=alice)
    person = onlyoffice(client, key, "GET", f"crm/contact/{world['live'].pk}").json()["response"]
    assert "Keptco" not in str(person)


# incwo


def incwo(client: Client, key: str, project: Any, method: str, path: str) -> Any:
    auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    return client.generic(method, f"/incwo/{project.pk}/{path}", HTTP_AUTHORIZATION=auth)


def test_incwo_lists_leave_out_the_trash(client, key, world, project):
    assert shows(incwo(client, key, project, "GET", "contacts.xml"), "Livia", "Trashy") == [True, False]
    assert shows(incwo(client, key, project, "GET", "firms.xml"), "Keptco", "Trashco") == [True, False]


def test_incwo_answers_404_for_a_record_in_the_trash(client, key, world, project):
    assert incwo(client, key, project, "GET", f"contacts/{world['gone'].pk}.xml").status_code == 404
    assert incwo(client, key, project, "GET", f"firms/{world['gone_firm'].pk}.xml").status_code == 404
    assert incwo(client, key, project, "DELETE", f"contacts/{world['gone'].pk}.xml").status_code == 404


def test_incwo_delete_moves_to_the_trash(client, key, world, project):
    response = incwo(client, key, project, "DELETE", f"firms/{world['live_firm'].pk}.xml")
    assert response.status_code == 200
    assert trashed(world["live_firm"])
    person = incwo(client, key, project, "GET", f"contacts/{world['live'].pk}.xml")
    assert shows(person, "Keptco") == [False]


# Incoplax


def incoplax(client: Client, key: str, method: str, path: str, **params: Any) -> Any:
    if method == "GET":
        return client.get(f"/rest/v1/addressbook/{path}", params, HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.generic(method, f"/rest/v1/addressbook/{path}", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_incoplax_lists_groups_and_lookup_leave_out_the_trash(client, key, world):
    assert shows(incoplax(client, key, "GET", "contacts"), "Livia", "Trashy") == [True, False]
    assert shows(incoplax(client, key, "GET", "combined_contacts"), "Livia", "Trashy") == [True, False]
    group = incoplax(client, key, "GET", "contactgroups").json()
    assert [g["opts"]["abonentcount"] for g in group if g["code"] == "vip"] == [0]
    auth = f"Bearer {key}"
    for body in ('"+1 202 555 0199"', str(world["gone"].pk)):
        lookup = client.generic(
            "LOOKUP", "/rest/v1/addressbook/contacts", body, "application/json", HTTP_AUTHORIZATION=auth
        )
        assert lookup.status_code == 404
    found = client.generic(
        "LOOKUP", "/rest/v1/addressbook/contacts", '"+1 202 555 0101"', "application/json", HTTP_AUTHORIZATION=auth
    )
    assert found.json() == [str(world["live"].uuid)]


def test_incoplax_answers_404_for_a_contact_in_the_trash(client, key, world):
    assert incoplax(client, key, "GET", f"contacts/{world['gone'].uuid}").status_code == 404
    assert incoplax(client, key, "DELETE", f"contacts/{world['gone'].uuid}").status_code == 404


def test_incoplax_delete_moves_to_the_trash(client, key, world):
    response = incoplax(client, key, "DELETE", f"contacts/{world['live'].uuid}")
    assert (response.status_code, response.content) == (204, b"")
    assert trashed(world["live"])
    assert incoplax(client, key, "GET", f"contacts/{world['live'].uuid}").status_code == 404
