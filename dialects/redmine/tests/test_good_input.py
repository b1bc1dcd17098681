"""Good input is not refused: phones as written (short extensions, 00 prefixes), websites without
a scheme."""

from __future__ import annotations

import json

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db


def test_phones_and_a_website_without_scheme_are_stored_as_written(api, project):
    contact = {"first_name": "Ivan", "phone": "411, 0049 30 901820, 11", "website": "ivanov.com"}
    body = json.dumps({"project_id": "support", "contact": contact})
    response = api.post("/redmine/contacts.json", body, content_type="application/json")
    assert response.status_code == 201, response.content
    stored = Contact.objects.get(first_name="Ivan")
    assert [(i.kind, i.value, i.normalized) for i in stored.items.all()] == [
        ("tel", "411", "411"),
        ("tel", "0049 30 901820", "+4930901820"),
        ("tel", "11", "11"),
        ("url", "ivanov.com", "ivanov.com"),
    ]
    shown = api.get(f"/redmine/contacts/{stored.pk}.json").json()["contact"]
    assert [p["number"] for p in shown["phones"]] == ["411", "0049 30 901820", "11"]
    assert shown["website"] == "ivanov.com"


def test_a_phone_without_any_digit_is_still_422(api, project):
    body = json.dumps({"project_id": "support", "contact": {"first_name": "Ivan", "phone": "call me"}})
    response = api.post("/redmine/contacts.json", body, content_type="application/json")
    assert response.status_code == 422
    assert not Contact.objects.filter(first_name="Ivan").exists()
