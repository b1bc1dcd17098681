"""The wire format, byte for byte: list, show, create and error bodies in JSON and XML."""

from __future__ import annotations

import pytest

from dialects.redmine.renderers import RedmineXMLRenderer
from dialects.redmine.tests.conftest import GOLDEN
from dialects.xml import parse_tree

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_matches_the_golden_file(api, apple, steve, golden, fmt):
    response = api.get(f"/redmine/contacts.{fmt}")
    assert response.status_code == 200
    golden(f"list.{fmt}", response.content)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_show_with_includes_matches_the_golden_file(api, apple, steve, golden, fmt):
    response = api.get(f"/redmine/contacts/{apple.pk}.{fmt}?include=notes,contacts,deals,tickets")
    assert response.status_code == 200
    golden(f"show.{fmt}", response.content)


def test_create_from_json_matches_the_golden_file(api, project, license_field, golden):
    body = {
        "contact": {
            "project_id": 1,
            "first_name": "John",
            "last_name": "Smith",
            "company": "Acme",
            "phone": "+1 555 0100, +1 555 0101",
            "email": "john@acme.example",
            "address_attributes": {"street1": "12, Street", "city": "Moscow", "country_code": "RU"},
            "tag_list": "vip,cold call",
            "custom_fields": [{"id": license_field.pk, "value": "Basic"}],
            "visibility": 0,
        }
    }
    response = api.post("/redmine/contacts.json", body, format="json")
    assert response.status_code == 201
    golden("create.json", response.content, mask_times=True)


def test_create_from_xml_matches_the_golden_file(api, project, golden):
    body = (
        "<contact><first_name>API contact name</first_name><is_company>true</is_company>"
        "<project_id>support</project_id><tag_list>vip,cold call</tag_list>"
        "<address_attributes><street1>12, Street</street1><postcode>01234</postcode></address_attributes></contact>"
    )
    response = api.post("/redmine/contacts.xml", body, content_type="application/xml")
    assert response.status_code == 201
    golden("create.xml", response.content, mask_times=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_validation_error_matches_the_golden_file(api, project, golden, fmt):
    body = {"contact": {"project_id": "support", "last_name": "", "email": "not-an-email"}}
    response = api.post(f"/redmine/contacts.{fmt}", body, format="json")
    assert response.status_code == 422
    golden(f"error.{fmt}", response.content)


@pytest.mark.parametrize("name", ["list.xml", "show.xml", "create.xml", "error.xml"])
def test_golden_xml_parses_and_renders_back_to_the_same_bytes(name):
    body = (GOLDEN / name).read_bytes()
    tree = parse_tree(body)
    shape = next(s for s in RedmineXMLRenderer.shapes if s.root.name == tree.tag)
    assert shape.render(shape.read(tree)) == body
