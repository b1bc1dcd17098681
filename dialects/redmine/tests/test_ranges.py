"""Values out of range or too long for their column are refused in Redmine's 422 format."""

from __future__ import annotations

import pytest

from contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"first_name": "J", "birthday": "1850-02-01"}, "Birthday cannot be before 1900"),
        ({"first_name": "J", "birthday": "2999-01-01"}, "Birthday cannot be in the future"),
        ({"first_name": "J", "job_title": "x" * 256}, "Job title"),
    ],
)
def test_a_value_out_of_range_or_too_long_is_a_422_and_nothing_is_written(api, project, contact, message):
    before = Contact.objects.count()
    response = api.post("/redmine/contacts.json", {"contact": {"project_id": "support", **contact}}, format="json")
    assert response.status_code == 422, response.content
    assert any(message.lower() in error.lower() for error in response.json()["errors"]), response.json()
    assert Contact.objects.count() == before
