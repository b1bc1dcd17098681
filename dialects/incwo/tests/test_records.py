"""Every route of contacts and firms, the partial-update rules, firm links, and values kept as sent."""

from __future__ import annotations

import zoneinfo
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from dialects.incwo.tests.conftest import addresses_xml, items_xml, xml
from dialects.xml import parse_tree

pytestmark = pytest.mark.django_db


def ids(body: bytes, tag: str) -> list[int]:
    return [int(element.findtext("id")) for element in parse_tree(body).findall(tag)]


def test_contact_routes_list_show_create_update_and_delete(api, jean):
    assert ids(api.get("contacts.xml").content, "contact") == [jean.pk]
    assert parse_tree(api.get(f"contacts/{jean.pk}.xml").content).findtext("first_name") == "Jean"
    created = api.post("contacts.xml", xml("contact", first_name="Anne", last_name="Roy"))
    assert created.status_code == 201
    new_id = int(parse_tree(created.content).findtext("id"))
    assert created["Location"].endswith(f"/incwo/{jean.projects.get().pk}/contacts/{new_id}.xml")
    updated = api.put(f"contacts/{new_id}.xml", xml("contact", job_title="CEO"))
    assert (updated.status_code, parse_tree(updated.content).findtext("job_title")) == (200, "CEO")
    deleted = api.delete(f"contacts/{new_id}.xml")
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert api.get(f"contacts/{new_id}.xml").status_code == 404
    assert Contact.objects.get(pk=new_id).deleted_at is not None


def test_firm_routes_list_show_create_update_and_delete(api, acme, jean):
    assert ids(api.get("firms.xml").content, "firm") == [acme.pk]
    assert parse_tree(api.get(f"firms/{acme.pk}.xml").content).findtext("siren") == "732829320"
    created = api.post("firms.xml", xml("firm", name="Initech", siren="123456789", tva="FR11123456789"))
    assert created.status_code == 201
    firm = Contact.objects.get(pk=int(parse_tree(created.content).findtext("id")))
    assert (firm.is_company, firm.registration_number, firm.vat_number) == (True, "123456789", "FR11123456789")
    assert api.put(f"firms/{firm.pk}.xml", xml("firm", name="Initrode")).status_code == 200
    assert Contact.objects.get(pk=firm.pk).name == "Initrode"
    assert api.delete(f"firms/{firm.pk}.xml").status_code == 200
    assert api.get(f"firms/{firm.pk}.xml").status_code == 404
    assert Contact.objects.get(pk=firm.pk).deleted_at is not None


def test_a_firm_is_not_a_contact_and_a_contact_is_not_a_firm(api, acme, jean):
    assert acme.pk not in ids(api.get("contacts.xml").content, "contact")
    assert jean.pk not in ids(api.get("firms.xml").content, "firm")
    assert api.get(f"contacts/{acme.pk}.xml").status_code == 404
    assert api.get(f"firms/{jean.pk}.xml").status_code == 404
    assert api.delete(f"contacts/{acme.pk}.xml").status_code == 404


def test_firm_id_links_a_contact_to_its_firm_and_empty_unlinks_it(api, acme, jean, make_contact):
    other = make_contact(is_company=True, name="Globex")
    response = api.put(f"contacts/{jean.pk}.xml", xml("contact", firm_id=other.pk))
    shown = parse_tree(response.content)
    assert (shown.findtext("firm_id"), shown.findtext("firm_name")) == (str(other.pk), "Globex")
    assert Contact.objects.get(pk=jean.pk).company_id == other.pk
    cleared = parse_tree(api.put(f"contacts/{jean.pk}.xml", "<contact><firm_id></firm_id></contact>").content)
    assert (cleared.findtext("firm_id"), cleared.findtext("firm_name")) == ("", "")
    assert b"<firm_id></firm_id>" in api.get(f"contacts/{jean.pk}.xml").content


def test_firm_id_of_another_business_file_or_of_a_person_is_refused(api, jean, make_contact, other_project, outsider):
    elsewhere = make_contact(user=outsider, is_company=True, name="Far", projects=[other_project])
    for firm_id in (elsewhere.pk, jean.pk, 10**6):
        response = api.put(f"contacts/{jean.pk}.xml", xml("contact", firm_id=firm_id))
        assert response.status_code == 422
        assert f"Firm {firm_id} is not a firm of this business file".encode() in response.content
    assert Contact.objects.get(pk=jean.pk).company_id is not None


def test_put_changes_only_the_fields_sent(api, jean):
    before = Contact.objects.get(pk=jean.pk)
    api.put(f"contacts/{jean.pk}.xml", xml("contact", comment="New note"))
    after = Contact.objects.get(pk=jean.pk)
    assert after.background == "New note"
    for name in ("first_name", "last_name", "job_title", "department", "salutation", "company_id", "contact_type_id"):
        assert getattr(after, name) == getattr(before, name)
    assert after.items.count() == 3 and after.addresses.count() == 1


def test_put_updates_items_with_an_id_adds_those_without_and_keeps_the_rest(api, jean):
    cell, email, skype = jean.items.order_by("pk")
    body = xml(
        "contact",
        entries=[
            items_xml(
                {"id": email.pk, "value": "jean@work.example", "type_id": 27},
                {"type_id": 24, "value": "+33 4 93 11 22 33"},
            )
        ],
    )
    assert api.put(f"contacts/{jean.pk}.xml", body).status_code == 200
    rows = {item.pk: item for item in Contact.objects.get(pk=jean.pk).items.all()}
    assert rows[email.pk].value == "jean@work.example" and rows[email.pk].context == "work"
    assert rows[cell.pk].value == cell.value and rows[skype.pk].value == skype.value
    assert len(rows) == 4


def test_put_updates_addresses_with_an_id_adds_those_without_and_keeps_the_rest(api, jean):
    home = jean.addresses.get()
    body = xml(
        "contact",
        entries=[addresses_xml({"id": home.pk, "zip_code": "06100"}, {"address_type": 21, "city": "Cannes"})],
    )
    assert api.put(f"contacts/{jean.pk}.xml", body).status_code == 200
    home.refresh_from_db()
    assert (home.postcode, home.city, home.street1, home.context) == ("06100", "Nice", "12 allée des Tilleuls", "home")
    assert sorted(jean.addresses.values_list("city", flat=True)) == ["Cannes", "Nice"]


def test_an_item_id_of_another_contact_is_refused_and_nothing_is_written(api, jean, acme):
    foreign = acme.items.get(kind="email")
    body = xml("contact", job_title="Changed", entries=[items_xml({"id": foreign.pk, "value": "x@y.example"})])
    response = api.put(f"contacts/{jean.pk}.xml", body)
    assert response.status_code == 422
    assert Contact.objects.get(pk=jean.pk).job_title == "Buyer"
    foreign.refresh_from_db()
    assert foreign.value == "contact@acme.example"


def test_a_new_item_without_a_type_is_refused(api, jean):
    response = api.put(f"contacts/{jean.pk}.xml", xml("contact", entries=[items_xml({"value": "+33 6 00 00 00 00"})]))
    assert response.status_code == 422
    assert b"Type id cannot be blank" in response.content


def test_the_contacts_country_is_its_primary_addresss_country(api, jean):
    assert api.put(f"contacts/{jean.pk}.xml", xml("contact", country="Belgium")).status_code == 200
    assert jean.addresses.get().country == "BE"
    assert parse_tree(api.get(f"contacts/{jean.pk}.xml").content).findtext("country") == "Belgium"
    bare = api.post("contacts.xml", xml("contact", last_name="Solo", country="FR"))
    shown = parse_tree(bare.content)
    assert shown.findtext("country") == "France"
    assert shown.findtext("contact_addresses/contact_address/address_type") == "22"


def test_a_country_that_does_not_exist_is_refused(api, jean):
    response = api.put(f"contacts/{jean.pk}.xml", xml("contact", country="Atlantis"))
    assert response.status_code == 422
    assert b"Atlantis is not a country we know" in response.content


def test_values_come_back_as_sent(api):
    body = xml(
        "contact",
        first_name="Zoë  ",
        last_name="Ångström-Ñúñez",
        comment="Line one\nline two &lt;b&gt;&amp;&lt;/b&gt;",
        entries=[
            addresses_xml({"address_type": 20, "zip_code": "01090", "city": "Guéreins", "street_address": "  1 rue"}),
            items_xml({"type_id": 554, "value": "+33 6 12 34 56 78"}),
        ],
    )
    shown = parse_tree(api.post("contacts.xml", body).content)
    assert shown.findtext("first_name") == "Zoë  "
    assert shown.findtext("last_name") == "Ångström-Ñúñez"
    assert shown.findtext("comment") == "Line one\nline two <b>&</b>"
    assert shown.findtext("contact_addresses/contact_address/zip_code") == "01090"
    assert shown.findtext("contact_items/contact_item/value") == "+33 6 12 34 56 78"


@pytest.mark.parametrize("phone", ["00 33 6 12 34 56 78", "06 12 34 56 78", "06.12.34.56.78", "+33 (0)1 23 45 67 89"])
def test_french_phone_text_comes_back_as_sent(api, phone):
    response = api.post(
        "contacts.xml", xml("contact", last_name="Tel", entries=[items_xml({"type_id": 23, "value": phone})])
    )
    assert response.status_code == 201, response.content
    assert parse_tree(response.content).findtext("contact_items/contact_item/value") == phone


def test_the_same_data_is_seen_through_redmine_onlyoffice_and_the_ui(api, alice, jean, acme, client):
    from contacts.services import apikey_get_or_create

    key = apikey_get_or_create(user=alice).key
    redmine = client.get(f"/redmine/contacts/{jean.pk}.json", HTTP_X_REDMINE_API_KEY=key).json()["contact"]
    assert (redmine["first_name"], redmine["company"]) == ("Jean", "Acme Électronique")
    onlyoffice = client.get(f"/api/2.0/crm/contact/{jean.pk}", HTTP_AUTHORIZATION=key).json()["response"]
    assert onlyoffice["Company"]["id"] == acme.pk
    client.force_login(alice)
    page = client.get(reverse("firms:firm-detail", args=[acme.pk])).content.decode()
    assert "Jean Dupré" in page and "FR40732829320" in page


def test_a_contact_created_over_incwo_is_in_the_business_file_and_written_by_its_user(api, alice, project):
    response = api.post("contacts.xml", xml("contact", last_name="Owned"))
    contact = Contact.objects.get(pk=int(parse_tree(response.content).findtext("id")))
    assert list(contact.projects.all()) == [project]
    assert contact.author == alice


def test_writing_back_what_a_get_shows_changes_nothing_incwo_has_no_code_for(api, make_contact):
    person = make_contact(
        salutation="Dr",
        items=[{"kind": "tel", "tel_type": "pager", "context": "other", "value": "+33 6 11 11 11 11"}],
        addresses=[{"context": "postal", "city": "Lyon"}],
    )
    shown = api.get(f"contacts/{person.pk}.xml").content
    body = shown.split(b"?>", 1)[1]
    assert api.put(f"contacts/{person.pk}.xml", body).status_code == 200
    person.refresh_from_db()
    assert person.salutation == "Dr"
    assert person.items.get().tel_type == "pager" and person.items.get().context == "other"
    assert person.addresses.get().context == "postal"
    assert api.get(f"contacts/{person.pk}.xml").content.split(b"<created_at>")[0] == shown.split(b"<created_at>")[0]


def test_a_type_id_that_differs_from_the_shown_one_changes_the_item(api, jean):
    cell = jean.items.get(kind="tel")
    body = xml("contact", entries=[items_xml({"id": cell.pk, "type_id": 554})])
    assert api.put(f"contacts/{jean.pk}.xml", body).status_code == 200
    cell.refresh_from_db()
    assert (cell.tel_type, cell.context, cell.value) == ("cell", "home", "+33 6 12 34 56 78")


def test_a_list_writes_its_times_in_the_current_time_zone_read_once_for_the_page(api, jean, acme, monkeypatch):
    reads = []
    current = timezone.get_current_timezone

    def counted() -> Any:
        reads.append(1)
        return current()

    monkeypatch.setattr(timezone, "get_current_timezone", counted)
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        listed = parse_tree(api.get("contacts.xml").content)
        shown = parse_tree(api.get(f"contacts/{jean.pk}.xml").content)
    assert listed.findtext("contact/created_at") == shown.findtext("created_at") == "15-05-2024-00-43"
    assert reads == [1, 1]  # one for the list's page, one for the contact shown
