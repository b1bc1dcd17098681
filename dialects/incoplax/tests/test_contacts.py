"""Contacts through the address book: create, read, change, delete, list parameters and slots."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from contacts.models import Contact, ContactItem
from contacts.services import contact_create
from dialects.incoplax.tests.conftest import BASE, JOHN_ID

pytestmark = pytest.mark.django_db


def get(api, path: str, **params):
    response = api.get(f"{BASE}/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def patch(api, contact, body):
    response = api.patch(f"{BASE}/contacts/{contact.uuid}", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_create_answers_200_with_defaults_for_everything_not_sent(api):
    response = api.post(f"{BASE}/contacts", {"displayname": "John Smith", "number": "+1 202 555 0111"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["autokey"] == Contact.objects.get().pk and body["id"] == str(Contact.objects.get().uuid)
    assert body["mobile"] == body["email3"] == body["photo"] == body["department"] == ""
    assert body["opts"] == {"title": "", "comment": "", "groups": [], "priority": None}


def test_create_keeps_a_given_id_and_refuses_an_autokey(api):
    body = {"id": str(JOHN_ID), "displayname": "A B", "number": "+1 202 555 0111"}
    assert api.post(f"{BASE}/contacts", body, format="json").json()["id"] == str(JOHN_ID)
    refused = api.post(f"{BASE}/contacts", {**body, "id": None, "autokey": 7}, format="json")
    assert refused.status_code == 400
    assert Contact.objects.count() == 1


def test_create_with_autokey_minus_one_is_accepted(api):
    body = {"autokey": -1, "displayname": "A B", "number": "+1 202 555 0111"}
    assert api.post(f"{BASE}/contacts", body, format="json").status_code == 200


def test_create_requires_displayname_and_number_and_writes_nothing_without(api):
    for body in ({"number": "+1 202 555 0111"}, {"displayname": "A B"}, {"displayname": " ", "number": "x"}):
        response = api.post(f"{BASE}/contacts", body, format="json")
        assert response.status_code == 400 and response.json()["error_code"] == 1400
    assert not Contact.objects.exists()


def test_a_bad_slot_value_writes_nothing(api, engineers):
    body = {
        "displayname": "A B",
        "number": "+1 202 555 0111",
        "email2": "not an email",
        "opts": {"groups": ["engineers"]},
    }
    response = api.post(f"{BASE}/contacts", body, format="json")
    assert response.status_code == 400
    assert "email2" in response.json()["error_message"]
    assert not Contact.objects.exists() and not ContactItem.objects.exists()


def test_displayname_becomes_first_and_last_name_for_the_other_dialects(api):
    api.post(f"{BASE}/contacts", {"displayname": "Ludwig van Beethoven", "number": "+1 202 555 0111"}, format="json")
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name, contact.display_name) == (
        "Ludwig van",
        "Beethoven",
        "Ludwig van Beethoven",
    )


def test_a_companys_displayname_is_its_name(api, make_contact):
    company = make_contact(is_company=True, name="Acme")
    patch(api, company, {"displayname": "Acme Corp"})
    company.refresh_from_db()
    assert company.name == "Acme Corp" and company.is_company


def test_patch_changes_only_the_fields_given(api, john):
    body = patch(api, john, {"department": "Sales"})
    assert body["department"] == "Sales"
    assert (body["jobtitle"], body["number"], body["mobile"], body["opts"]["groups"]) == (
        "engineer",
        "+1 202 555 0111",
        "8987000000",
        ["engineers"],
    )


def test_patch_of_one_slot_changes_only_that_item(api, john):
    before = {item.slot: (item.pk, item.value) for item in john.items.all()}
    patch(api, john, {"numlocal": "+1 202 555 0499"})
    after = {item.slot: (item.pk, item.value) for item in john.items.all()}
    assert after["numlocal"] == (before["numlocal"][0], "+1 202 555 0499")
    assert {k: v for k, v in after.items() if k != "numlocal"} == {k: v for k, v in before.items() if k != "numlocal"}


def test_clearing_mobile_does_not_shift_mobile2(api, john):
    patch(api, john, {"mobile2": "+1 202 555 0122"})
    body = patch(api, john, {"mobile": ""})
    assert (body["mobile"], body["mobile2"]) == ("", "+1 202 555 0122")
    assert get(api, f"contacts/{john.uuid}")["mobile"] == ""


def test_slots_are_ordinary_items_for_the_other_dialects(api, john):
    items = [(i.kind, i.tel_type, i.value, i.slot, i.is_primary) for i in john.items.all()]
    assert items == [
        ("tel", "voice", "+1 202 555 0111", "number", True),
        ("tel", "voice", "+1 202 555 0411", "numlocal", False),
        ("tel", "cell", "8987000000", "mobile", False),
        ("email", "", "m.sidorov@company.com", "email", False),
    ]


def test_items_entered_without_a_slot_fill_free_slots_and_stay_there(api, alice, project):
    contact = contact_create(
        user=alice,
        fields={"first_name": "Ui", "last_name": "Made"},
        items=[
            {"kind": "tel", "value": "+1 202 555 0101"},
            {"kind": "tel", "tel_type": "cell", "value": "+1 202 555 0102"},
            {"kind": "tel", "tel_type": "cell", "value": "+1 202 555 0103"},
            {"kind": "email", "value": "ui@example.com"},
        ],
        projects=[project],
    )
    body = get(api, f"contacts/{contact.uuid}")
    assert (body["number"], body["mobile"], body["mobile2"], body["email"]) == (
        "+1 202 555 0101",
        "+1 202 555 0102",
        "+1 202 555 0103",
        "ui@example.com",
    )
    body = patch(api, contact, {"mobile": ""})
    assert (body["mobile"], body["mobile2"]) == ("", "+1 202 555 0103")


def test_id_and_autokey_cannot_be_modified_but_may_be_sent_back(api, john):
    entity = get(api, f"contacts/{john.uuid}")
    assert patch(api, john, entity)["id"] == str(JOHN_ID)
    for change in ({"id": "26d569b2-016c-d818-9e97-50e54938780c"}, {"autokey": john.pk + 1}):
        response = api.patch(f"{BASE}/contacts/{john.uuid}", change, format="json")
        assert response.status_code == 400 and "cannot be modified" in response.json()["error_message"]


def test_photo_is_the_avatar_and_cannot_be_written(api, john):
    response = api.patch(f"{BASE}/contacts/{john.uuid}", {"photo": "http://x/y.png"}, format="json")
    assert response.status_code == 400 and "photo" in response.json()["error_message"]


def test_opts_map_onto_salutation_background_priority_and_tags(api, john):
    patch(api, john, {"opts": {"title": "Dr", "comment": "Calls at noon.", "priority": 7, "groups": []}})
    john.refresh_from_db()
    assert (john.salutation, john.background, john.priority, list(john.tags.all())) == ("Dr", "Calls at noon.", 7, [])


def test_delete_answers_204_and_removes_the_contact(api, john):
    response = api.delete(f"{BASE}/contacts/{john.uuid}")
    assert response.status_code == 204 and response.content == b""
    assert api.get(f"{BASE}/contacts/{john.uuid}").status_code == 404


def test_an_unknown_or_malformed_id_is_404(api, john):
    for key in ("26d569b2-016c-d818-9e97-50e54938780c", "1", "not-a-uuid", "%F0%9F%98%80"):
        response = api.get(f"{BASE}/contacts/{key}")
        assert response.status_code == 404 and response.json()["error_code"] == 1404


def test_filter_by_equality_and_in_and_dotted_paths(api, john, adam):
    def ids(flt):
        return [row["autokey"] for row in get(api, "contacts", filter=json.dumps(flt))]

    assert ids({"displayname": "John Smith"}) == [john.pk]
    assert ids({"autokey": [john.pk, adam.pk]}) == [john.pk, adam.pk]
    assert ids({"department": "IT", "opts.groups": "engineers"}) == [john.pk]
    assert ids({"opts.priority": None}) == [adam.pk]
    assert ids({"number": "+1 202 555 0112"}) == [adam.pk]
    assert ids({"id": str(adam.uuid)}) == [adam.pk]
    assert ids({"email": ["m.sidorov@company.com", "nobody@x.org"]}) == [john.pk]
    assert ids({"id": "not-a-uuid"}) == []


@pytest.mark.parametrize(
    "flt",
    ['{"photo":""}', '{"ext.ct":"x"}', '{"autokey":"1"}', '{"displayname":1}', '{"number":{"a":1}}', "[1]", "{"],
)
def test_bad_filters_are_400(api, john, flt):
    response = api.get(f"{BASE}/contacts", {"filter": flt})
    assert response.status_code == 400 and response.json()["error_code"] == 1400


def test_order_takes_fields_objects_and_a_bare_name(api, john, adam):
    def ids(order):
        return [row["autokey"] for row in get(api, "contacts", order=order)]

    assert ids('["displayname"]') == [adam.pk, john.pk]
    assert ids('[{"autokey":"desc"}]') == [adam.pk, john.pk]
    assert ids("displayname") == [adam.pk, john.pk]
    assert ids('[{"department":"asc"},{"displayname":"desc"}]') == [john.pk, adam.pk]
    for bad in ('[{"autokey":"up"}]', '["number"]', "[1]", '[{"a":"asc","b":"desc"}]'):
        assert api.get(f"{BASE}/contacts", {"order": bad}).status_code == 400


def test_offset_and_limit_page_the_list(api, john, adam):
    assert [r["autokey"] for r in get(api, "contacts", offset=1)] == [adam.pk]
    assert [r["autokey"] for r in get(api, "contacts", limit=1)] == [john.pk]
    assert get(api, "contacts", offset=5) == []
    for bad in ({"limit": "-1"}, {"offset": "x"}, {"limit": "1.5"}, {"offset": "²"}):
        assert api.get(f"{BASE}/contacts", bad).status_code == 400


def test_mask_keeps_only_the_fields_asked_for_in_the_entitys_order(api, john):
    row = get(api, "contacts", mask="opts.priority,id,number")[0]
    assert row == {"id": str(JOHN_ID), "number": "+1 202 555 0111", "opts": {"priority": 100}}
    assert get(api, f"contacts/{john.uuid}", mask="email") == {"email": "m.sidorov@company.com"}
    for bad in ("mobile", "opts", "nope"):
        assert api.get(f"{BASE}/contacts", {"mask": bad}).status_code == 400


def test_flat_writes_composite_fields_as_dotted_keys(api, john):
    body = get(api, f"contacts/{john.uuid}", flat="true")
    assert body["opts.groups"] == ["engineers"] and body["ext.ct"] == "2019-08-28T11:59:40.75Z"
    assert "opts" not in body and "ext" not in body
    assert "opts" in get(api, f"contacts/{john.uuid}", flat="false")
    assert api.get(f"{BASE}/contacts", {"flat": "maybe"}).status_code == 400


def test_session_and_basic_authentication_work_too(client, alice, john):
    client.force_login(alice)
    assert client.get(f"{BASE}/contacts").status_code == 200
    client.logout()
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"alice:secret-pass-123").decode())
    assert basic.get(f"{BASE}/contacts").status_code == 200


def test_a_session_write_needs_the_csrf_token(alice, john):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.patch(f"{BASE}/contacts/{john.uuid}", '{"department":"X"}', content_type="application/json")
    assert response.status_code == 403 and response.json()["error_code"] == 1403
