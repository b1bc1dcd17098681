"""The wire format, byte for byte: list, show, create, update and error bodies of contacts and firms."""

from __future__ import annotations

import re

import pytest

from dialects.incwo.renderers import IncwoXMLRenderer
from dialects.incwo.tests.conftest import GOLDEN
from dialects.xml import parse_tree

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)
NOW = re.compile(rb"\d\d-\d\d-\d{4}-\d\d-\d\d")

NEW_CONTACT = (
    "<contact><civility_label_id>18</civility_label_id><last_name>Lefèvre</last_name>"
    "<first_name>Chloé</first_name><comment>Prefers email.</comment><job_title>CTO</job_title>"
    "<job_department>R&amp;D</job_department><country>France</country><contact_type>prospect</contact_type>"
    "<firm_id>1</firm_id><contact_addresses><contact_address><address_type>21</address_type>"
    "<street_address>5 quai Rambaud</street_address><street_address2></street_address2>"
    "<zip_code>69002</zip_code><city>Lyon</city></contact_address></contact_addresses>"
    "<contact_items><contact_item><type_id>24</type_id><value>+33 4 72 00 00 00</value></contact_item>"
    "<contact_item><type_id>27</type_id><value>chloe@acme.example</value></contact_item></contact_items></contact>"
)
CONTACT_UPDATE = (
    "<contact><job_title>Head buyer</job_title><contact_items>"
    "<contact_item><id>3</id><value>+33 6 98 76 54 32</value></contact_item>"
    "<contact_item><type_id>23</type_id><value>+33 4 93 00 00 00</value></contact_item>"
    "</contact_items></contact>"
)
NEW_FIRM = (
    "<firm><name>Boulangerie Ünal</name><firm_type>perso</firm_type><siren>012345678</siren>"
    "<tva>FR00012345678</tva><contact_items><contact_item><type_id>26</type_id>"
    "<value>+33 1 40 00 00 01</value></contact_item></contact_items></firm>"
)
FIRM_UPDATE = (
    "<firm><tva>FR99732829320</tva><contact_addresses><contact_address><id>1</id>"
    "<city>Bourg-en-Bresse</city></contact_address></contact_addresses></firm>"
)
BAD_EMAIL = (
    "<contact><contact_items><contact_item><type_id>27</type_id><value>nope</value></contact_item>"
    "</contact_items></contact>"
)

# (golden file, method, path, body, status)
CASES = [
    ("contact_list.xml", "GET", "contacts.xml", None, 200),
    ("contact_show.xml", "GET", "contacts/2.xml", None, 200),
    ("contact_create.xml", "POST", "contacts.xml", NEW_CONTACT, 201),
    ("contact_update.xml", "PUT", "contacts/2.xml", CONTACT_UPDATE, 200),
    (
        "contact_create_422.xml",
        "POST",
        "contacts.xml",
        "<contact><first_name></first_name><firm_id>2</firm_id></contact>",
        422,
    ),
    (
        "contact_update_422.xml",
        "PUT",
        "contacts/2.xml",
        BAD_EMAIL,
        422,
    ),
    ("contact_show_404.xml", "GET", "contacts/1.xml", None, 404),
    ("firm_list.xml", "GET", "firms.xml", None, 200),
    ("firm_show.xml", "GET", "firms/1.xml", None, 200),
    ("firm_create.xml", "POST", "firms.xml", NEW_FIRM, 201),
    ("firm_update.xml", "PUT", "firms/1.xml", FIRM_UPDATE, 200),
    ("firm_create_422.xml", "POST", "firms.xml", "<firm><name> </name><firm_type>client</firm_type></firm>", 422),
    ("firm_type_422.xml", "PUT", "firms/1.xml", "<firm><firm_type>Not a word</firm_type></firm>", 422),
    ("malformed_400.xml", "POST", "contacts.xml", "<contact><first_name>Ann</contact>", 400),
]


@pytest.mark.parametrize(("name", "method", "path", "body", "status"), CASES, ids=[case[0] for case in CASES])
def test_response_matches_the_golden_file(api, jean, golden, name, method, path, body, status):
    call = getattr(api, method.lower())
    response = call(path) if body is None else call(path, body)
    assert response.status_code == status, response.content
    golden(name, NOW.sub(b"NOW", response.content) if method in ("POST", "PUT") else response.content)


def test_unauthenticated_request_matches_the_golden_file(incwo_for, jean, golden):
    response = incwo_for(None).get("contacts.xml")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Application"'
    golden("unauthenticated_401.xml", response.content)


def test_business_file_of_another_team_matches_the_golden_file(incwo_for, outsider, jean, golden):
    response = incwo_for(outsider).get("contacts.xml")
    assert response.status_code == 404
    golden("business_file_404.xml", response.content)


@pytest.mark.parametrize("path", sorted(p.name for p in GOLDEN.glob("*.xml")))
def test_golden_xml_parses_and_renders_back_to_the_same_bytes(path):
    body = (GOLDEN / path).read_bytes()
    tree = parse_tree(body)
    shape = next(s for s in IncwoXMLRenderer.shapes if s.root.name == tree.tag)
    assert shape.render(shape.read(tree)) == body
