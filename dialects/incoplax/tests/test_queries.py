"""A list costs a fixed number of SQL queries, whatever its page size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, ContactItem, TaggedContact
from dialects.incoplax.tests.conftest import BASE

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(alice: Any, engineers: Any) -> None:
    """120 contacts with two slotted items and a group each, written in bulk."""
    contacts = Contact.objects.bulk_create(
        Contact(first_name=f"P{n}", last_name="Bulk", display_name=f"P{n} Bulk", author=alice) for n in range(120)
    )
    ContactItem.objects.bulk_create(
        item
        for contact in contacts
        for item in (
            ContactItem(
                contact=contact, kind="tel", tel_type="voice", value=f"+1 202 555 {contact.pk:04d}", slot="number"
            ),
            ContactItem(contact=contact, kind="email", value=f"p{contact.pk}@example.com", slot="email", position=9),
        )
    )
    TaggedContact.objects.bulk_create(TaggedContact(content_object=contact, tag=engineers) for contact in contacts)


def queries(api: Any, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize(
    "path",
    [
        "contacts?limit={n}",
        "contacts?limit={n}&mask=id,number",
        'contacts?limit={n}&filter={{"opts.groups":"engineers"}}&order=["displayname"]',
        "contactgroups?limit={n}",
        # One group comes first: at limit 2 the page already holds contacts too.
        "combined_contacts?limit={n}",
    ],
)
def test_a_list_costs_the_same_queries_for_a_short_page_and_for_100_rows(
    api, many, path, django_assert_max_num_queries
):
    api.get(f"{BASE}/contacts")  # the key's first use is recorded once
    first = 2 if path.startswith("combined") else 1
    small, few = queries(api, f"{BASE}/" + path.format(n=first))
    large, hundred = queries(api, f"{BASE}/" + path.format(n=100))
    assert small == large
    assert len(few) == first and len(hundred) == (1 if path.startswith("contactgroups") else 100)
    with django_assert_max_num_queries(5):
        api.get(f"{BASE}/" + path.format(n=100))


def test_a_page_shows_each_contacts_own_items_and_groups(api, many):
    rows = api.get(f"{BASE}/contacts", {"limit": 100}).json()
    assert all(row["number"] == f"+1 202 555 {row['autokey']:04d}" for row in rows)
    assert all(row["email"] == f"p{row['autokey']}@example.com" for row in rows)
    assert all(row["opts"]["groups"] == ["engineers"] for row in rows)


def test_a_detail_costs_a_fixed_number_of_queries(api, john, django_assert_max_num_queries):
    api.get(f"{BASE}/contacts/{john.uuid}")
    with django_assert_max_num_queries(5):
        assert api.get(f"{BASE}/contacts/{john.uuid}").status_code == 200
