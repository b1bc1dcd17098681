"""The seed's own examples, replayed: its create body and its LOOKUP."""

from __future__ import annotations

import json

import pytest

from dialects.incoplax.tests.conftest import BASE

pytestmark = pytest.mark.django_db

SEED_CONTACT = {
    "id": "ae425147-016c-d818-82d0-50e54938780c",
    "autokey": -1,
    "displayname": "John Smith",
    "department": "IT",
    "jobtitle": "engineer",
    "number": "11",
    "numlocal": "411",
    "numpublic": "84950000000",
    "mobile": "8987000000",
    "mobile2": "",
    "mobile3": "",
    "roomnum": "2",
    "roomnum2": "",
    "roomnum3": "",
    "email": "",
    "email2": "",
    "email3": "",
    "photo": "",
    "opts": {"title": "", "comment": "", "groups": [], "priority": None},
}


def test_the_seeds_contact_with_its_short_numbers_is_created_and_looked_up(api):
    response = api.post(f"{BASE}/contacts", SEED_CONTACT, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in SEED_CONTACT if k != "autokey"} == {
        k: v for k, v in SEED_CONTACT.items() if k != "autokey"
    }
    lookup = api.generic("LOOKUP", f"{BASE}/contacts", json.dumps("11"), content_type="application/json")
    assert lookup.json() == [SEED_CONTACT["id"]]


def test_the_seeds_contact_with_numbers_checked_today_is_created_as_sent(api):
    body = {**SEED_CONTACT, "number": "+1 202 555 0111", "numlocal": "+1 202 555 0411", "numpublic": "", "roomnum": ""}
    response = api.post(f"{BASE}/contacts", body, format="json")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in body if k != "autokey"} == {k: v for k, v in body.items() if k != "autokey"}
