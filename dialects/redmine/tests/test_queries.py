"""A list costs the same SQL queries for a page of 1 contact and of 100, in both formats."""

from __future__ import annotations

import pytest

from dialects.tests.bulk import rich_contacts

pytestmark = pytest.mark.django_db

# The key (with its user), the count, the page (the company, author and assignee joined), items
# and addresses, custom values, tags.
LIST_QUERIES = 6


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_queries_do_not_grow_with_the_page(
    api, alice, bob, project, license_field, fmt, django_assert_num_queries
):
    rich_contacts(n=120, author=alice, project=project, field=license_field, sharer=bob)
    api.get("/redmine/contacts.json")  # the key's first use is recorded once; measure after it
    with django_assert_num_queries(LIST_QUERIES):
        one = api.get(f"/redmine/contacts.{fmt}?limit=1")
    with django_assert_num_queries(LIST_QUERIES):
        hundred = api.get(f"/redmine/contacts.{fmt}?limit=100&offset=20")
    assert one.status_code == hundred.status_code == 200
    marker = b"<contact>" if fmt == "xml" else b'"first_name":"'
    assert (one.content.count(marker), hundred.content.count(marker)) == (1, 100)
    city = b"<city>Riga</city>" if fmt == "xml" else b'"city":"Riga"'
    assert hundred.content.count(city) == 100


def test_a_page_shows_each_contacts_own_related_rows(api, alice, bob, project, license_field):
    contacts = rich_contacts(n=30, author=alice, project=project, field=license_field, sharer=bob)
    body = api.get("/redmine/contacts.json?limit=100").json()
    by_id = {row["id"]: row for row in body["contacts"]}
    for person in contacts[1:]:
        row = by_id[person.pk]
        assert row["phones"] == [{"number": f"+1 202 555 {person.pk:04d}"}]
        assert row["emails"] == [{"address": f"p{person.pk}@example.com"}]
        assert row["address"]["city"] == "Riga" and row["address"]["country_code"] == "LV"
        assert row["tag_list"] == ["bulk"] and row["custom_fields"][0]["value"] == "Pro"
        assert row["company"] == "Bulk Corp"
