"""Tags, custom fields, contact types and statuses through the ONLYOFFICE routes."""

from __future__ import annotations

import pytest

from contacts.models import ContactStage, ContactType, CustomField, Tag

pytestmark = pytest.mark.django_db


def test_tag_dictionary_counts_visible_contacts_and_keeps_unused_tags(api, make_contact, outsider, other_project):
    make_contact(tags=["vip"], visibility="project")
    make_contact(user=outsider, tags=["secret"], visibility="private", projects=[other_project])
    api("POST", "crm/contact/tag", {"tagName": "Lead"})
    body = api("GET", "crm/contact/tag").json()["response"]
    assert body == [{"Title": "Lead", "RelativeItemsCount": 0}, {"Title": "vip", "RelativeItemsCount": 1}]


def test_tags_are_added_and_removed_on_a_contact(api, make_contact):
    ada = make_contact(tags=["vip"])
    added = api("POST", f"crm/contact/{ada.pk}/tag", {"tagName": "Fair"})
    assert (added.status_code, added.json()["response"]) == (201, "Fair")
    assert api("GET", f"crm/contact/tag/{ada.pk}").json()["response"] == ["Fair", "vip"]
    assert api("DELETE", f"crm/contact/{ada.pk}/tag", {"tagName": "VIP"}).status_code == 200
    assert api("GET", f"crm/contact/{ada.pk}/tag").json()["response"] == ["Fair"]
    assert api("DELETE", f"crm/contact/{ada.pk}/tag", {"tagName": "ghost"}).status_code == 404


def test_taglist_tags_every_contact_or_none(api, make_contact, bob, outsider, other_project):
    ada = make_contact()
    foreign = make_contact(user=outsider, visibility="public", projects=[other_project])
    refused = api("POST", "crm/contact/taglist", {"entityid": [ada.pk, foreign.pk], "tagName": "Fair"})
    assert refused.status_code == 403
    assert not ada.tags.exists() and not Tag.objects.filter(name="Fair").exists()
    assert api("POST", "crm/contact/taglist", {"entityid": [ada.pk], "tagName": "Fair"}).status_code == 201
    assert list(ada.tags.names()) == ["Fair"]


def test_only_administrators_delete_tags_from_the_dictionary(api, make_contact, admin_user):
    ada = make_contact(tags=["vip", "old"])
    api("POST", "crm/contact/tag", {"tagName": "unused"})
    assert api("DELETE", "crm/contact/tag", {"tagName": "old"}).status_code == 403
    as_admin = api.as_user(admin_user)
    assert as_admin("DELETE", "crm/contact/tag", {"tagName": "old"}).json()["response"] == "old"
    assert list(ada.tags.names()) == ["vip"]
    assert as_admin("DELETE", "crm/contact/tag/unused").json()["response"] == ["unused"]
    assert as_admin("DELETE", "crm/contact/tag", {"tagName": "old"}).status_code == 404


def test_custom_field_definitions_follow_the_entity(api, admin_user):
    as_admin = api.as_user(admin_user)
    for entity, label in (("contact", "Both"), ("person", "Hobby"), ("company", "Revenue")):
        assert as_admin("POST", f"crm/{entity}/customfield", {"label": label, "fieldType": 0}).status_code == 201
    labels = {
        e: [f["Label"] for f in api("GET", f"crm/{e}/customfield/definitions").json()["response"]]
        for e in ("contact", "person", "company")
    }
    assert labels == {"contact": ["Both"], "person": ["Hobby"], "company": ["Revenue"]}
    assert CustomField.objects.get(name="Hobby").applies_to == CustomField.AppliesTo.PERSONS


def test_field_types_map_onto_formats_and_select_box_masks_onto_choices(api, admin_user):
    as_admin = api.as_user(admin_user)
    for field_type, fmt in ((0, "string"), (1, "text"), (3, "boolean"), (4, "heading"), (5, "date")):
        body = as_admin("POST", "crm/contact/customfield", {"label": f"F{field_type}", "fieldType": field_type})
        assert CustomField.objects.get(pk=body.json()["response"]["id"]).field_format == fmt
    select = as_admin(
        "POST", "crm/contact/customfield", {"label": "Size", "fieldType": "SelectBox", "mask": '["S","M"]'}
    )
    field = CustomField.objects.get(pk=select.json()["response"]["id"])
    assert (field.field_format, field.choices) == ("list", ["S", "M"])
    assert select.json()["response"]["Mask"] == '["S","M"]'
    assert (
        as_admin("POST", "crm/contact/customfield", {"label": "X", "fieldType": 2, "mask": "{oops"}).status_code == 400
    )


def test_sending_back_a_text_field_keeps_our_finer_format(api, admin_user):
    field = CustomField.objects.create(name="Seats", field_format=CustomField.Format.INTEGER)
    shown = api("GET", "crm/contact/customfield/definitions").json()["response"][0]
    assert shown["FieldType"] == 0
    as_admin = api.as_user(admin_user)
    assert (
        as_admin("PUT", f"crm/contact/customfield/{field.pk}", {"label": "Places", "fieldType": 0}).status_code == 200
    )
    field.refresh_from_db()
    assert (field.name, field.field_format) == ("Places", "integer")


def test_custom_values_are_set_typed_and_cleared(api, make_contact):
    ada = make_contact()
    birthday = CustomField.objects.create(name="Birthday", field_format=CustomField.Format.DATE, position=2)
    agreed = CustomField.objects.create(name="Agreed", field_format=CustomField.Format.BOOLEAN, position=1)
    set_date = api("POST", f"crm/person/{ada.pk}/customfield/{birthday.pk}", {"fieldValue": "1815-12-10"})
    assert set_date.status_code == 201
    assert set_date.json()["response"]["FieldValue"] == "1815-12-10T00:00:00.0000000Z"
    api("POST", f"crm/contact/{ada.pk}/customfield/{agreed.pk}", {"fieldValue": "true"})
    values = api("GET", f"crm/person/{ada.pk}/customfield").json()["response"]
    assert [(v["Label"], v["FieldValue"], v["FieldType"]) for v in values] == [
        ("Agreed", "true", 3),
        ("Birthday", "1815-12-10T00:00:00.0000000Z", 5),
    ]
    cleared = api("POST", f"crm/person/{ada.pk}/customfield/{birthday.pk}", {"fieldValue": ""})
    assert cleared.json()["response"]["FieldValue"] == ""
    assert ada.custom_values.count() == 1
    assert api("GET", f"crm/company/{ada.pk}/customfield").status_code == 404


def test_contact_types_and_statuses_are_managed_by_administrators(api, admin_user, make_contact):
    client = ContactType.objects.get(code="client")
    make_contact(contact_type=client)
    listed = api("GET", "crm/contact/type").json()["response"]
    assert listed[0] == {
        "id": client.pk,
        "Title": "Client",
        "Description": "",
        "Color": "#2563eb",
        "SortOrder": 0,
        "RelativeItemsCount": 1,
    }
    assert api("POST", "crm/contact/type", {"title": "Investor"}).status_code == 403
    as_admin = api.as_user(admin_user)
    created = as_admin("POST", "crm/contact/type", {"title": "Investor", "sortOrder": 9}).json()["response"]
    assert ContactType.objects.get(pk=created["id"]).code == "investor"
    assert as_admin("POST", "crm/contact/type", {"title": "Investor"}).status_code == 201
    assert ContactType.objects.filter(name="Investor").count() == 2
    status = as_admin("POST", "crm/contact/status", {"title": "Frozen", "color": "#0000ff"}).json()["response"]
    assert as_admin("PUT", f"crm/contact/status/{status['id']}", {"title": "Icy"}).json()["response"]["Title"] == "Icy"
    assert as_admin("DELETE", f"crm/contact/status/{status['id']}").json()["response"]["Title"] == "Icy"
    assert not ContactStage.objects.filter(name="Icy").exists()
    assert as_admin("POST", "crm/contact/status", {"title": "Cold"}).status_code == 400
