"""Numbers beyond the priority column's range are refused in Incoplax's error format."""

from __future__ import annotations

import json

import pytest

from contacts.models import PRIORITY_MAX, Contact
from dialects.incoplax.tests.conftest import BASE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("priority", [PRIORITY_MAX + 1, -PRIORITY_MAX - 1])
def test_a_priority_beyond_the_columns_range_is_a_400(api, priority):
    body = {"displayname": "A B", "number": "+1 202 555 0111", "opts": {"priority": priority}}
    response = api.post(f"{BASE}/contacts", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["error_code"] == 1400
    assert "priority" in response.json()["error_message"]
    assert not Contact.objects.exists()


def test_the_largest_priority_is_kept(api):
    body = {"displayname": "A B", "number": "+1 202 555 0111", "opts": {"priority": PRIORITY_MAX}}
    response = api.post(f"{BASE}/contacts", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert Contact.objects.get().priority == PRIORITY_MAX
