"""Bad input of every kind is a 4xx in the dialect's error format, never a 500, and writes nothing."""

from __future__ import annotations

import json

import pytest

from contacts.models import Contact, ContactItem
from dialects.incoplax.tests.conftest import BASE

pytestmark = pytest.mark.django_db

GOOD = {"displayname": "A B", "number": "+1 202 555 0111"}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{", "application/json", 400),
        ("", "application/json", 400),
        ("[" * 100_000, "application/json", 400),
        ('{"displayname":' * 40 + '"x"' + "}" * 40, "application/json", 400),
        ('{"displayname": "A \\ud800 B", "number": "1"}', "application/json", 400),
        ('{"displayname": "A \\u0000 B", "number": "1"}', "application/json", 400),
        ("<contact><displayname>A</displayname></contact>", "application/json", 400),
        ("<contact><displayname>A</displayname></contact>", "application/xml", 415),
        ("displayname=A", "application/x-www-form-urlencoded", 415),
        ('"just a string"', "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('{"displayname": ["A"], "number": "1"}', "application/json", 400),
        ('{"displayname": "A B", "number": 5550111}', "application/json", 400),
        ('{"displayname": "A B", "number": "1", "opts": []}', "application/json", 400),
        ('{"displayname": "A B", "number": "1", "opts": {"groups": "x"}}', "application/json", 400),
        ('{"displayname": "A B", "number": "1", "opts": {"priority": true}}', "application/json", 400),
        ('{"displayname": "A B", "number": "1", "opts": {"priority": 99999999999}}', "application/json", 400),
        ('{"displayname": "A B", "number": "1", "opts": {"color": "red"}}', "application/json", 400),
        ('{"displayname": "A B", "number": "not a phone"}', "application/json", 400),
        ('{"displayname": "' + "x" * 600 + '", "number": "+1 202 555 0111"}', "application/json", 400),
        (
            '{"displayname": "A B", "number": "+1 202 555 0111", "opts": {"title": "' + "t" * 40 + '"}}',
            "application/json",
            400,
        ),
    ],
)
def test_a_bad_create_body_is_refused_in_the_dialects_format(api, body, content_type, status):
    response = api.generic("POST", f"{BASE}/contacts", body, content_type=content_type)
    assert response.status_code == status, response.content
    assert response.json()["error_code"] == 1000 + status
    assert not Contact.objects.exists() and not ContactItem.objects.exists()


def test_a_body_over_the_limit_is_413(api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = api.post(f"{BASE}/contacts", {**GOOD, "department": "x" * 2000}, format="json")
    assert response.status_code == 413 and response.json()["error_code"] == 1413


def test_a_bad_patch_changes_nothing(api, john):
    before = (john.department, [i.value for i in john.items.all()])
    for body in ({"department": "Sales", "mobile": "bad"}, {"department": "Sales", "opts": {"groups": ["nope"]}}):
        response = api.patch(f"{BASE}/contacts/{john.uuid}", body, format="json")
        assert response.status_code == 400
    john.refresh_from_db()
    assert (john.department, [i.value for i in john.items.all()]) == before


@pytest.mark.parametrize(
    "params",
    [
        {"filter": '{"displayname": "\\ud800"}'},
        {"filter": '{"displayname": "\\u0000"}'},
        {"filter": "[" * 10_000},
        {"filter": '{"autokey": 99999999999999999999999}'},
        {"filter": '{"opts.priority": 99999999999999}'},
        {"filter": "x" * 20_000},
        {"order": '["\\ud800"]'},
        {"mask": "id,\x00"},
        {"limit": "99999999999999999999999"},
    ],
)
def test_bad_query_parameters_never_cause_a_500(api, john, params):
    response = api.get(f"{BASE}/contacts", params)
    assert response.status_code in (200, 400), response.content
    assert response.status_code == 200 or response.json()["error_code"] == 1400


def test_an_out_of_range_number_matches_nothing(api, john):
    assert api.get(f"{BASE}/contacts", {"filter": json.dumps({"opts.priority": 2**40})}).json() == []
    assert api.get(f"{BASE}/contacts", {"filter": json.dumps({"autokey": 2**70})}).json() == []


def test_a_huge_limit_is_taken_as_the_largest(api, john):
    assert len(api.get(f"{BASE}/contacts", {"limit": "50000"}).json()) == 1


def test_unknown_methods_and_paths_answer_in_the_dialects_format(api, john):
    assert api.put(f"{BASE}/contacts/{john.uuid}", GOOD, format="json").json()["error_code"] == 1405
    assert api.get(f"{BASE}/contacts/{john.uuid}/items").json()["error_code"] == 1404
    assert api.get(f"{BASE}/other").json() == {"error_code": 1404, "error_message": "Not found"}


def test_combined_contacts_with_a_huge_key_matches_nothing(api, john):
    response = api.get(f"{BASE}/combined_contacts", {"filter": json.dumps({"key": 2**70})})
    assert response.status_code == 200 and response.json() == []
