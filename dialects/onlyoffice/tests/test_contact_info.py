"""contact/{id}/data: CommonData items and addresses with ONLYOFFICE's InfoType and Category enums."""

from __future__ import annotations

import json

import pytest

from contacts.models import Address, ContactItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(make_contact):
    return make_contact(visibility="project", items=[{"kind": "email", "value": "ada@example.com", "context": "home"}])


def post(api, contact, **body):
    return api("POST", f"crm/contact/{contact.pk}/data", body)


@pytest.mark.parametrize(
    ("info", "category", "kind", "tel_type", "context", "service", "read_back"),
    [
        (0, "Mobile", "tel", "cell", "work", "", "Mobile"),
        (0, "Home", "tel", "voice", "home", "", "Home"),
        (0, "Fax", "tel", "fax", "work", "", "Fax"),
        (0, "Direct", "tel", "voice", "work", "", "Work"),
        (0, 5, "tel", "voice", "other", "", "Other"),
        (4, "Other", "social", "", "other", "twitter", "Other"),
        (15, "home", "messenger", "", "home", "jabber", "Home"),
        ("Skype", "Work", "skype", "", "work", "", "Work"),
    ],
)
def test_info_types_and_categories_map_onto_items(
    api, ada, info, category, kind, tel_type, context, service, read_back
):
    data = "+371 67 123 456" if kind == "tel" else "handle"
    response = post(api, ada, infoType=info, data=data, category=category)
    assert response.status_code == 201, response.content
    body = response.json()["response"]
    item = ContactItem.objects.get(pk=body["id"])
    assert (item.kind, item.tel_type, item.context, item.service) == (kind, tel_type, context, service)
    assert body["CategoryName"] == read_back


def test_category_defaults_to_work_and_is_primary_is_kept(api, ada):
    body = post(api, ada, infoType=1, data="work@example.com", isPrimary=True).json()["response"]
    assert (body["Category"], body["CategoryName"], body["IsPrimary"]) == (1, "Work", True)


def test_addresses_are_info_type_7_with_json_data_and_negative_ids(api, ada):
    data = json.dumps({"street": "Lubanas st. 125a-25", "city": "Riga", "zip": "LV-1021", "country": "Latvia"})
    body = post(api, ada, infoType=7, data=data, category="Billing").json()["response"]
    address = Address.objects.get(contact=ada)
    assert body["id"] == -address.pk
    assert (address.street1, address.postcode, address.country.code, address.context) == (
        "Lubanas st. 125a-25",
        "LV-1021",
        "LV",
        "billing",
    )
    assert json.loads(body["Data"])["country"] == "Latvia"
    shown = api("GET", f"crm/contact/{ada.pk}").json()["response"]
    assert shown["Addresses"][0]["CategoryName"] == "Billing"
    assert all(item["InfoType"] != 7 for item in shown["CommonData"])


def test_bad_address_data_or_country_is_400(api, ada):
    assert post(api, ada, infoType=7, data="Lubanas 1, Riga").status_code == 400
    unknown = post(api, ada, infoType=7, data=json.dumps({"country": "Atlantis"}))
    assert unknown.status_code == 400
    assert '"Atlantis" is not a known country' in unknown.json()["error"]["message"]
    assert not Address.objects.exists()


def test_bad_values_are_400_and_nothing_is_written(api, ada):
    assert post(api, ada, infoType=0, data="not a phone").status_code == 400
    assert post(api, ada, infoType=99, data="x").status_code == 400
    assert post(api, ada, infoType=1, data="a@example.com", category="Mobile").status_code == 400
    assert ada.items.count() == 1


def test_list_is_newest_first_and_one_item_reads_by_id(api, ada):
    second = post(api, ada, infoType=2, data="https://example.com").json()["response"]
    listed = api("GET", f"crm/contact/{ada.pk}/data").json()["response"]
    assert [i["Data"] for i in listed] == ["https://example.com", "ada@example.com"]
    assert api("GET", f"crm/contact/{ada.pk}/data/{second['id']}").json()["response"] == second


def test_update_keeps_the_kind_unless_info_type_is_given(api, ada):
    item = ada.items.get()
    path = f"crm/contact/{ada.pk}/data/{item.pk}"
    body = api("PUT", path, {"data": "new@example.com"}).json()["response"]
    assert (body["InfoType"], body["Data"], body["CategoryName"]) == (1, "new@example.com", "Home")
    phone = api("PUT", path, {"data": "+371 67 000 000", "infoType": "Phone", "category": "Fax"}).json()["response"]
    assert (phone["InfoType"], phone["CategoryName"]) == (0, "Fax")
    assert api("PUT", path, {"data": "x", "infoType": 7}).status_code == 400


def test_delete_removes_only_that_item(api, ada):
    other = post(api, ada, infoType=3, data="ada.skype").json()["response"]
    response = api("DELETE", f"crm/contact/{ada.pk}/data/{other['id']}")
    assert response.json()["response"]["Data"] == "ada.skype"
    assert list(ada.items.values_list("value", flat=True)) == ["ada@example.com"]


def test_items_of_another_or_invisible_contact_are_404(api, ada, make_contact, outsider):
    other = make_contact(first_name="Other")
    item = ada.items.get()
    assert api("GET", f"crm/contact/{other.pk}/data/{item.pk}").status_code == 404
    assert api.as_user(outsider)("GET", f"crm/contact/{ada.pk}/data").status_code == 404


def test_categories_depend_on_the_info_type(api):
    assert api("GET", "crm/contact/data/0/category").json()["response"][2] == "Mobile"
    assert api("GET", "crm/contact/data/Address/category").json()["response"][-1] == "Work"
    assert api("GET", "crm/contact/data/Email/category").json()["response"] == ["Home", "Work", "Other"]


def test_contacts_are_found_by_their_contact_info(api, make_contact, outsider, other_project):
    ada = make_contact(
        items=[
            {"kind": "tel", "value": "+371 67 123 456", "tel_type": "cell"},
            {"kind": "email", "value": "Ada@Example.com", "is_primary": True},
        ],
        addresses=[{"city": "Riga"}],
    )
    make_contact(
        user=outsider,
        visibility="private",
        projects=[other_project],
        items=[{"kind": "email", "value": "ada@example.com"}],
    )
    make_contact(first_name="Other", items=[{"kind": "email", "value": "other@example.com"}])

    def found(**query):
        response = api("GET", "crm/contact/bycontactinfo", query)
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["response"]]

    assert found(infoType="Email", data="ada@example.com") == [ada.pk]
    assert found(infoType=0, data="+37167123456", category="Mobile") == [ada.pk]
    assert found(infoType=0, data="+37167123456", category="Home") == []
    assert found(infoType=1, isPrimary="true") == [ada.pk]
    assert found(infoType=7, data="riga") == [ada.pk]
    assert api("GET", "crm/contact/bycontactinfo", {"data": "x"}).status_code == 400
