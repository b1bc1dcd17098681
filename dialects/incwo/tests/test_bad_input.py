"""Bad bodies and bad values get a 4xx in incwo's error body, and nothing is written."""

from __future__ import annotations

import pytest

from contacts.models import Contact, ContactItem
from dialects.incwo.tests.conftest import items_xml, xml

pytestmark = pytest.mark.django_db

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    "<contact><last_name>&lol2;</last_name></contact>"
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><contact><last_name>&e;</last_name></contact>'
DTD_ONLY = '<?xml version="1.0"?><!DOCTYPE contact SYSTEM "http://example.com/x.dtd"><contact><last_name>D</last_name></contact>'
DEEP = "<contact><last_name>Deep</last_name><comment>" + "<a>" * 40 + "x" + "</a>" * 40 + "</comment></contact>"

BAD_BODIES = [
    ("malformed", "<contact><last_name>Ann</contact>", 400),
    ("entities", LAUGHS, 400),
    ("external entity", EXTERNAL, 400),
    ("dtd", DTD_ONLY, 400),
    ("deep nesting", DEEP, 400),
    ("another document", "<firm><name>Wrong door</name></firm>", 400),
    ("unknown root", "<person><last_name>P</last_name></person>", 400),
    ("empty", "", 400),
    ("invalid character", "<contact><last_name>A&#0;B</last_name></contact>", 400),
]


@pytest.fixture
def count_rows(db):
    def count() -> tuple[int, int]:
        return Contact.objects.count(), ContactItem.objects.count()

    return count


@pytest.mark.parametrize(("label", "body", "status"), BAD_BODIES, ids=[case[0] for case in BAD_BODIES])
def test_a_bad_body_is_refused_in_incwos_error_format(api, jean, count_rows, label, body, status):
    before = count_rows()
    for response in (api.post("contacts.xml", body), api.put(f"contacts/{jean.pk}.xml", body)):
        assert response.status_code == status, response.content
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><errors><error>')
    assert count_rows() == before
    assert Contact.objects.get(pk=jean.pk).last_name == "Dupré"


def test_an_oversized_body_is_refused_before_it_is_read(api, settings, count_rows):
    settings.API_MAX_BODY_BYTES = 1000
    before = count_rows()
    response = api.post("contacts.xml", xml("contact", last_name="L", comment="x" * 2000))
    assert response.status_code == 413
    assert b"<errors><error>The body is larger than 1000 bytes" in response.content
    assert count_rows() == before


def test_a_body_that_is_not_xml_is_an_unsupported_media_type(api, count_rows):
    before = count_rows()
    response = api.client.post(api.url("contacts.xml"), {"contact": {"last_name": "J"}}, format="json")
    assert response.status_code == 415
    assert b"<errors><error>" in response.content
    assert count_rows() == before


WRONG_VALUES = [
    (
        "civility",
        xml("contact", last_name="W", civility_label_id="Mr"),
        b"Civility label id: A valid integer is required",
    ),
    ("firm id", xml("contact", last_name="W", firm_id="acme"), b"A valid integer is required"),
    ("item type", xml("contact", last_name="W", entries=[items_xml({"type_id": "phone", "value": "1"})]), b"integer"),
    ("item id", xml("contact", last_name="W", entries=[items_xml({"id": "x", "value": "1"})]), b"integer"),
    ("negative item id", xml("contact", last_name="W", entries=[items_xml({"id": -3, "value": "1"})]), b"greater"),
    ("bad phone", xml("contact", last_name="W", entries=[items_xml({"type_id": 24, "value": "call me"})]), b"phone"),
    ("blank value", xml("contact", last_name="W", entries=[items_xml({"type_id": 24, "value": ""})]), b"blank"),
    ("too long", xml("contact", last_name="W" * 300), b"Last name"),
    (
        "address type",
        xml(
            "contact",
            last_name="W",
            entries=[
                "<contact_addresses><contact_address><address_type>home</address_type></contact_address></contact_addresses>"
            ],
        ),
        b"integer",
    ),
    ("empty item", xml("contact", last_name="W", entries=["<contact_items><contact_item/></contact_items>"]), b"null"),
    ("nested name", xml("contact", last_name="W", entries=["<first_name><b>x</b></first_name>"]), b"First name"),
]


@pytest.mark.parametrize(("label", "body", "message"), WRONG_VALUES, ids=[case[0] for case in WRONG_VALUES])
def test_a_wrong_value_is_a_422_naming_it_and_nothing_is_written(api, jean, count_rows, label, body, message):
    before = count_rows()
    response = api.post("contacts.xml", body)
    assert response.status_code == 422, response.content
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><errors><error>')
    assert message in response.content, response.content
    assert count_rows() == before


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "2147483648"])
def test_ids_out_of_range_are_not_found(api, pk):
    assert api.get(f"contacts/{pk}.xml").status_code == 404
    assert api.get(f"firms/{pk}.xml").status_code == 404


def test_a_method_a_route_does_not_have_is_405_in_the_error_format(api, jean):
    response = api.client.patch(api.url(f"contacts/{jean.pk}.xml"), "<contact/>", content_type="application/xml")
    assert response.status_code == 405
    assert b"<errors><error>" in response.content
