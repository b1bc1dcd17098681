"""A list costs the same SQL queries for 1 contact and for 100, in both formats."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import CustomField

pytestmark = pytest.mark.django_db


def rich_contact(make_contact, field, n):
    return make_contact(
        first_name=f"P{n:03}",
        items=[{"kind": "tel", "value": "+1 555 0100"}, {"kind": "email", "value": f"p{n}@x.example"}],
        addresses=[{"city": "Paris", "country": "FR"}],
        custom_values={field.pk: "Pro"},
        tags=["vip", f"t{n % 7}"],
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_queries_do_not_grow_with_the_page(api, make_contact, license_field: CustomField, fmt):
    rich_contact(make_contact, license_field, 0)
    api.get("/redmine/contacts.json")  # the key's first use is recorded once; measure after it
    with CaptureQueriesContext(connection) as one:
        assert api.get(f"/redmine/contacts.{fmt}?limit=100").status_code == 200
    for n in range(1, 100):
        rich_contact(make_contact, license_field, n)
    with CaptureQueriesContext(connection) as hundred:
        response = api.get(f"/redmine/contacts.{fmt}?limit=100")
    assert response.content.count(b"<contact>" if fmt == "xml" else b'"first_name":"P') == 100
    # key, count, page, then one each for items, addresses, custom values and tags
    assert len(hundred) == len(one) == 7
