"""Bytes no contact can hold are a 400 in Redmine's error format, in every body and the query
string: deep nesting, lone surrogates, invalid UTF-8, a JSON body that is not an object."""

from __future__ import annotations

import json

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db

SURROGATE = "\\ud800"


@pytest.fixture
def nothing_written(project):
    before = Contact.objects.count()
    yield
    assert Contact.objects.count() == before


def json_errors(response) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def test_json_nested_a_thousand_levels_is_400_in_json(api, nothing_written):
    body = '{"contact": {"first_name": "J", "project_id": "support", "x": ' + "[" * 1000 + "]" * 1000 + "}}"
    errors = json_errors(api.post("/redmine/contacts.json", body, content_type="application/json"))
    assert errors == ["The body nests deeper than 100 levels"]


def test_xml_nested_a_thousand_levels_is_400_in_xml(api, nothing_written):
    body = "<contact><first_name>J</first_name>" + "<x>" * 1000 + "</x>" * 1000 + "</contact>"
    response = api.post("/redmine/contacts.xml", body, content_type="application/xml")
    assert response.status_code == 400
    assert b"<error>The body nests deeper than 100 levels</error>" in response.content


@pytest.mark.parametrize(
    "contact",
    [
        f'{{"first_name": "{SURROGATE}"}}',
        f'{{"first_name": "J", "last_name": "a{SURROGATE}b"}}',
        f'{{"first_name": "J", "tag_list": ["{SURROGATE}"]}}',
        f'{{"first_name": "J", "phone": "{SURROGATE}"}}',
        f'{{"first_name": "J", "custom_fields": [{{"id": 1, "value": "{SURROGATE}"}}]}}',
        f'{{"first_name": "J", "address_attributes": {{"city": "{SURROGATE}"}}}}',
        f'{{"{SURROGATE}": "J"}}',
    ],
)
def test_a_lone_surrogate_in_any_json_string_is_400(api, nothing_written, contact):
    body = f'{{"project_id": "support", "contact": {contact}}}'
    assert json_errors(api.post("/redmine/contacts.json", body, content_type="application/json"))


def test_a_lone_surrogate_in_an_update_is_400_and_changes_nothing(api, apple):
    body = f'{{"contact": {{"job_title": "{SURROGATE}"}}}}'
    assert json_errors(api.put(f"/redmine/contacts/{apple.pk}.json", body, content_type="application/json"))
    apple.refresh_from_db()
    assert apple.job_title == "Personal computers"


@pytest.mark.parametrize("body", ['"x"', "[]", "1", "null", "true"])
def test_a_json_body_that_is_not_an_object_is_400(api, apple, nothing_written, body):
    assert json_errors(api.post("/redmine/contacts.json", body, content_type="application/json"))
    assert json_errors(api.put(f"/redmine/contacts/{apple.pk}.json", body, content_type="application/json"))


@pytest.mark.parametrize(
    "body",
    [b"project_id=support&contact[first_name]=%FF", b"project_id=support&contact[first_name]=\xff", b"%C3=J"],
)
def test_invalid_utf8_in_a_form_body_is_400_like_json(api, nothing_written, body):
    response = api.post("/redmine/contacts.json", body, content_type="application/x-www-form-urlencoded")
    assert json_errors(response) == ["The request is not valid UTF-8"]


def test_invalid_utf8_in_the_query_string_is_400(api, apple):
    assert json_errors(api.get("/redmine/contacts.json?search=%FF")) == ["The request is not valid UTF-8"]
    response = api.get("/redmine/contacts.xml?search=%C3%28")
    assert response.status_code == 400
    assert b"<error>The request is not valid UTF-8</error>" in response.content


def test_good_unicode_is_stored_as_sent(api, project):
    name = "Zoë 😀 Ünïcødé"
    form = api.post(
        "/redmine/contacts.json",
        f"project_id=support&contact[first_name]={name}".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 201, form.content
    body = json.dumps({"project_id": "support", "contact": {"first_name": "\ufffd", "last_name": name}})
    assert api.post("/redmine/contacts.json", body, content_type="application/json").status_code == 201
    assert api.get("/redmine/contacts.json?search=%C3%BC").status_code == 200
    assert sorted(Contact.objects.values_list("first_name", flat=True)) == sorted([name, "\ufffd"])


def test_invalid_utf8_in_a_multipart_body_is_400_like_json(api, nothing_written):
    body = (
        b'--b\r\nContent-Disposition: form-data; name="contact[project_id]"\r\n\r\nsupport\r\n'
        b'--b\r\nContent-Disposition: form-data; name="contact[first_name]"\r\n\r\n\xff\xfe\r\n--b--\r\n'
    )
    response = api.generic("POST", "/redmine/contacts.json", body, content_type="multipart/form-data; boundary=b")
    assert json_errors(response) == ["The request is not valid UTF-8"]
