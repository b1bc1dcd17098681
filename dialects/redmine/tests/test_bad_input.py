"""Bad input is a clean 4xx in the request's format, and nothing is written."""

from __future__ import annotations

import base64

import pytest

from contacts.models import Contact, Note

pytestmark = pytest.mark.django_db

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<contact><first_name>&lol3;</first_name><project_id>support</project_id></contact>"""
XXE = """<?xml version="1.0"?><!DOCTYPE contact [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<contact><first_name>&xxe;</first_name><project_id>support</project_id></contact>"""


@pytest.fixture
def count_nothing_written(project, apple):
    before = (Contact.objects.count(), Note.objects.count())
    yield
    assert (Contact.objects.count(), Note.objects.count()) == before


@pytest.mark.parametrize(
    ("url", "body", "content_type", "status"),
    [
        ("/redmine/contacts.json", '{"contact": {"first_name": ', "application/json", 400),
        ("/redmine/contacts.json", "[1, 2]", "application/json", 400),
        ("/redmine/contacts.json", '{"contact": "John"}', "application/json", 422),
        ("/redmine/contacts.xml", "<contact><first_name>x</contact>", "application/xml", 400),
        ("/redmine/contacts.xml", "<person><first_name>x</first_name></person>", "application/xml", 400),
        ("/redmine/contacts.xml", BOMB, "application/xml", 400),
        ("/redmine/contacts.xml", XXE, "text/xml", 400),
        (
            "/redmine/contacts.json",
            '{"contact": {"project_id": "support", "first_name": {"a": 1}}}',
            "application/json",
            422,
        ),
        (
            "/redmine/contacts.json",
            '{"contact": {"project_id": "support", "first_name": "J", "birthday": "soon"}}',
            "application/json",
            422,
        ),
        (
            "/redmine/contacts.json",
            '{"contact": {"project_id": "support", "first_name": "J", "phone": {"x": 1}}}',
            "application/json",
            422,
        ),
        (
            "/redmine/contacts.json",
            '{"contact": {"project_id": "support", "first_name": "J", "visibility": 7}}',
            "application/json",
            422,
        ),
        (
            "/redmine/contacts.json",
            '{"contact": {"project_id": "nowhere", "first_name": "J"}}',
            "application/json",
            404,
        ),
        ("/redmine/contacts.json", "first_name=J", "text/plain", 415),
        ("/redmine/notes.json", '{"note": {"source_id": 999999, "content": "x"}}', "application/json", 404),
        ("/redmine/notes.json", '{"note": {"content": "x"}}', "application/json", 422),
    ],
)
def test_bad_input_is_a_clean_4xx_and_writes_nothing(api, count_nothing_written, url, body, content_type, status):
    response = api.post(url, body, content_type=content_type)
    assert response.status_code == status, response.content
    if status in (400, 415, 422):
        fmt = url.rsplit(".", 1)[1]
        if fmt == "json":
            assert response.json()["errors"]
        else:
            assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><errors type="array"><error>')


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_oversized_body_is_413_and_writes_nothing(api, settings, count_nothing_written, fmt):
    settings.API_MAX_BODY_BYTES = 1000
    name = "x" * 2000
    body = (
        f'{{"contact": {{"project_id": "support", "first_name": "{name}"}}}}'
        if fmt == "json"
        else f"<contact><project_id>support</project_id><first_name>{name}</first_name></contact>"
    )
    response = api.post(f"/redmine/contacts.{fmt}", body, content_type=f"application/{fmt}")
    assert response.status_code == 413


def test_an_update_with_a_bad_value_changes_nothing(api, apple):
    response = api.put(
        f"/redmine/contacts/{apple.pk}.json",
        {"contact": {"first_name": "Renamed", "email": "bad", "tag_list": "new"}},
        format="json",
    )
    assert response.status_code == 422
    apple.refresh_from_db()
    assert apple.name == "Apple Inc." and sorted(apple.tags.names()) == ["cold call", "referral", "vip"]
    assert apple.items.filter(value="info@apple.example").exists()


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/redmine/contacts/99999999999999999999999.json", 404),
        ("get", "/redmine/notes/99999999999999999999999.xml", 404),
        ("get", "/redmine/contacts.json?project_id=99999999999999999999999", 404),
        ("get", "/redmine/contacts.json?assigned_to_id=99999999999999999999999", 200),
        ("delete", "/redmine/contacts/99999999999999999999999/projects/99999999999999999999999.json", 404),
        ("options", "/redmine/contacts.json", 405),
    ],
)
def test_ids_past_the_databases_integers_and_odd_methods_are_clean_answers(api, apple, method, url, status):
    assert getattr(api, method)(url).status_code == status


def test_an_id_past_the_databases_integers_in_a_body_is_422(api, count_nothing_written):
    body = {"contact": {"project_id": "support", "first_name": "J", "assigned_to_id": "9" * 30}}
    assert api.post("/redmine/contacts.json", body, format="json").status_code == 422
    body = {"note": {"source_id": int("9" * 30), "content": "x"}}
    assert api.post("/redmine/notes.json", body, format="json").status_code == 422


@pytest.mark.parametrize(
    "contact",
    [
        {"custom_fields": "x"},
        {"custom_fields": [{"id": "abc"}]},
        {"custom_fields": [{"id": 5, "value": {"a": 1}}]},
        {"custom_field_values": "x"},
        {"address_attributes": "x"},
        {"address_attributes": {"country_code": "ZZ"}},
        {"tag_list": [1, True]},
        {"tag_list": "a" * 200},
        {"is_company": "maybe"},
        {"website": "not a url"},
        {"phone": "call me"},
        {"visibility": None},
        {"assigned_to_id": [1]},
        {"first_name": "x" * 300},
    ],
)
def test_wrong_types_and_values_are_422_naming_the_field(api, count_nothing_written, contact):
    body = {"contact": {"project_id": "support", "first_name": "J"} | contact}
    response = api.post("/redmine/contacts.json", body, format="json")
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"contact": {"project_id": "support", "first_name": "J\\u0000"}}', "application/json"),
        ('{"contact": {"project_id": "support", "first_name": "J", "tag_list": ["a\\u0000"]}}', "application/json"),
        ("contact[first_name]=J%00&project_id=support", "application/x-www-form-urlencoded"),
    ],
)
def test_null_characters_are_refused_before_they_reach_the_database(api, count_nothing_written, body, content_type):
    assert api.post("/redmine/contacts.json", body, content_type=content_type).status_code == 400


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/redmine/contacts.json?key=%00", 401),
        ("/redmine/contacts.json?project_id=%00", 404),
        ("/redmine/contacts.json?tags=%00", 422),
        ("/redmine/contacts.xml?offset=99999999999999999999", 200),
        ("/redmine/contacts.xml?page=99999999999999999999", 200),
    ],
)
def test_odd_query_strings_get_clean_answers(client_for, alice, apple, url, status):
    client = client_for(None if "key=" in url else alice)
    assert client.get(url).status_code == status


def test_a_null_character_in_basic_credentials_is_401(client):
    header = "Basic " + base64.b64encode(b"alice\x00:secret").decode()
    assert client.get("/redmine/contacts.json", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_namespaced_root_element_is_400(api, count_nothing_written):
    body = '<contact xmlns="urn:x"><first_name>a</first_name><project_id>support</project_id></contact>'
    assert api.post("/redmine/contacts.xml", body, content_type="application/xml").status_code == 400


def test_making_a_person_with_a_company_a_company_is_422(api, steve):
    response = api.put(f"/redmine/contacts/{steve.pk}.json", {"contact": {"is_company": True}}, format="json")
    assert response.status_code == 422
    steve.refresh_from_db()
    assert not steve.is_company
