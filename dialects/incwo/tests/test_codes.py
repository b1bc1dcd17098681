"""Every code of incwo's tables maps onto the domain and comes back as sent; unknown codes are kept."""

from __future__ import annotations

import pytest

from contacts.models import Contact, ContactItem, ContactType
from dialects.incwo.codes import ITEM_TYPES, item_code
from dialects.incwo.tests.conftest import addresses_xml, items_xml
from dialects.xml import parse_tree

pytestmark = pytest.mark.django_db

PHONE, EMAIL, HANDLE = "+33 6 12 34 56 78", "ann@example.com", "ann.handle"
ITEM_DOMAIN = {
    23: ("tel", "voice", "home", "", False),
    24: ("tel", "voice", "work", "", False),
    471: ("tel", "voice", "work", "", True),
    25: ("tel", "fax", "home", "", False),
    26: ("tel", "fax", "work", "", False),
    28: ("email", "", "home", "", False),
    27: ("email", "", "work", "", False),
    554: ("tel", "cell", "home", "", False),
    88: ("tel", "cell", "work", "", False),
    430: ("skype", "", "work", "", False),
    431: ("messenger", "", "work", "yahoo", False),
    432: ("messenger", "", "work", "msn", False),
    433: ("messenger", "", "work", "aim", False),
    457: ("messenger", "", "work", "icq", False),
}


def created(api, body: str) -> tuple[Contact, object]:
    response = api.post("contacts.xml", f"<contact><last_name>Code</last_name>{body}</contact>")
    assert response.status_code == 201, response.content
    tree = parse_tree(response.content)
    contact = Contact.objects.get(pk=int(tree.findtext("id")))
    shown = parse_tree(api.get(f"contacts/{contact.pk}.xml").content)
    return contact, shown


def test_the_table_covers_every_item_code_of_the_seed():
    assert sorted(ITEM_TYPES) == sorted(ITEM_DOMAIN)


@pytest.mark.parametrize("code", sorted(ITEM_DOMAIN))
def test_an_item_type_maps_onto_the_domain_and_back(api, code):
    value = PHONE if ITEM_DOMAIN[code][0] == "tel" else EMAIL if ITEM_DOMAIN[code][0] == "email" else HANDLE
    body = (
        f"<contact_items><contact_item><type_id>{code}</type_id><value>{value}</value></contact_item></contact_items>"
    )
    contact, shown = created(api, body)
    item = contact.items.get()
    assert (item.kind, item.tel_type, item.context, item.service, item.is_primary) == ITEM_DOMAIN[code]
    assert shown.findtext("contact_items/contact_item/type_id") == str(code)
    assert shown.findtext("contact_items/contact_item/value") == value


def test_an_item_type_without_a_code_yet_is_kept_and_comes_back_as_sent(api):
    body = "<contact_items><contact_item><type_id>999</type_id><value>ann#42</value></contact_item></contact_items>"
    contact, shown = created(api, body)
    assert contact.items.get().value == "ann#42"
    assert shown.findtext("contact_items/contact_item/type_id") == "999"


@pytest.mark.parametrize(("code", "context"), [(20, "home"), (21, "work"), (22, "other")])
def test_an_address_type_maps_onto_the_domain_and_back(api, code, context):
    body = addresses_xml({"address_type": code, "city": "Metz"})
    contact, shown = created(api, body)
    assert contact.addresses.get().context == context
    assert shown.findtext("contact_addresses/contact_address/address_type") == str(code)


def test_an_address_type_incwo_does_not_have_is_refused_and_nothing_is_written(api):
    body = f"<contact><last_name>X</last_name>{addresses_xml({'address_type': 99, 'city': 'Metz'})}</contact>"
    response = api.post("contacts.xml", body)
    assert response.status_code == 422
    assert b"Address type must be one of 20, 21, 22" in response.content
    assert not Contact.objects.filter(last_name="X").exists()


@pytest.mark.parametrize(("code", "salutation"), [(17, "Mr"), (18, "Mrs"), (19, "Miss"), (20, "20")])
def test_a_civility_maps_onto_the_salutation_and_back(api, code, salutation):
    contact, shown = created(api, f"<civility_label_id>{code}</civility_label_id>")
    assert contact.salutation == salutation
    assert shown.findtext("civility_label_id") == str(code)


@pytest.mark.parametrize(
    ("word", "domain"),
    [
        ("client", "client"),
        ("prospect", "prospect"),
        ("supplier", "supplier"),
        ("press", "press"),
        ("partner", "partner"),
        ("staff", "staff"),
        ("perso", "personal"),
        ("other", "other"),
        ("reseller", "reseller"),
    ],
)
def test_a_contact_type_maps_onto_the_domain_types_and_back(api, word, domain):
    contact, shown = created(api, f"<contact_type>{word}</contact_type>")
    assert contact.contact_type.code == domain
    assert shown.findtext("contact_type") == word


@pytest.mark.parametrize("word", ["client", "perso", "partner"])
def test_a_firm_type_maps_onto_the_same_types(api, word):
    response = api.post("firms.xml", f"<firm><name>Typed</name><firm_type>{word}</firm_type></firm>")
    assert response.status_code == 201
    assert parse_tree(response.content).findtext("firm_type") == word


def test_a_type_unknown_yet_is_added_to_the_list_once(api):
    created(api, "<contact_type>reseller</contact_type>")
    created(api, "<contact_type>reseller</contact_type>")
    assert ContactType.objects.filter(code="reseller").count() == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "tel", "tel_type": "pager", "context": "other"}, 24),
        ({"kind": "email", "context": "other"}, 27),
        ({"kind": "messenger", "service": "jabber"}, None),
        ({"kind": "url"}, None),
    ],
)
def test_domain_items_incwo_has_no_code_for_take_the_nearest_or_none(fields, code):
    item = ContactItem(**fields)
    assert (
        item_code(
            kind=item.kind,
            tel_type=item.tel_type,
            context=item.context,
            service=item.service,
            is_primary=item.is_primary,
        )
        == code
    )


def test_a_website_is_left_out_of_the_items_and_kept_by_an_update(api, make_contact):
    person = make_contact(items=[{"kind": "url", "value": "https://ann.example"}])
    shown = parse_tree(api.get(f"contacts/{person.pk}.xml").content)
    assert shown.find("contact_items").findall("contact_item") == []
    body = f"<contact>{items_xml({'type_id': 27, 'value': 'a@b.example'})}</contact>"
    assert api.put(f"contacts/{person.pk}.xml", body).status_code == 200
    assert sorted(person.items.values_list("kind", flat=True)) == ["email", "url"]
