"""Bytes no contact can hold are a 400 in ONLYOFFICE's envelope, in every body and the query
string: deep nesting, lone surrogates, invalid UTF-8, a JSON body that is not an object."""

from __future__ import annotations

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db

PERSON = "/api/2.0/crm/contact/person"


def envelope_error(response) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["status"], body["statusCode"]) == (1, 400)
    return body["error"]["message"]


def post(api, body: bytes | str, content_type: str = "application/json", path: str = PERSON):
    return api.client.generic("POST", path, body, content_type=content_type, HTTP_AUTHORIZATION=api.token)


def test_json_nested_a_thousand_levels_is_400_in_the_envelope(api, project):
    body = '{"firstName": "A", "lastName": "B", "x": ' + "[" * 1000 + "]" * 1000 + "}"
    assert envelope_error(post(api, body)) == "The body nests deeper than 100 levels"
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "body",
    ['{"firstName": "\\ud800", "lastName": "B"}', '{"firstName": "A", "lastName": "B", "tagName": ["\\udfff"]}'],
)
def test_a_lone_surrogate_is_400_in_the_envelope(api, project, body):
    assert envelope_error(post(api, body))
    assert not Contact.objects.exists()


@pytest.mark.parametrize("body", ['"x"', "[]", "1", "null"])
def test_a_json_body_that_is_not_an_object_is_400_not_a_no_op(api, world, body):
    assert envelope_error(post(api, body))
    response = api.client.generic(
        "PUT", f"{PERSON}/{world['person']}", body, content_type="application/json", HTTP_AUTHORIZATION=api.token
    )
    assert envelope_error(response)


@pytest.mark.parametrize("body", [b"firstName=%FF&lastName=B", b"firstName=\xff&lastName=B"])
def test_invalid_utf8_in_a_form_body_is_400_like_json(api, project, body):
    message = envelope_error(post(api, body, "application/x-www-form-urlencoded"))
    assert message == "The request is not valid UTF-8"
    assert not Contact.objects.exists()


def test_invalid_utf8_in_the_query_string_is_400(api, world):
    assert envelope_error(api("GET", "crm/contact/filter?filterValue=%FF")) == "The request is not valid UTF-8"
    assert api("GET", "crm/contact/filter?filterValue=%C3%BC").status_code == 200


def multipart(**fields: bytes) -> bytes:
    parts = [
        b'--b\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (k.encode(), v) for k, v in fields.items()
    ]
    return b"".join(parts) + b"--b--\r\n"


def test_invalid_utf8_in_a_multipart_body_is_400_like_json(api, project):
    body = multipart(firstName=b"\xff\xfe", lastName=b"B")
    message = envelope_error(post(api, body, "multipart/form-data; boundary=b"))
    assert message == "The request is not valid UTF-8"
    assert not Contact.objects.exists()


def test_a_replacement_character_really_sent_in_a_multipart_body_is_kept(api, project):
    body = multipart(firstName="A\ufffd".encode(), lastName=b"B")
    response = post(api, body, "multipart/form-data; boundary=b")
    assert response.status_code == 201, response.content
    assert Contact.objects.get().first_name == "A\ufffd"
