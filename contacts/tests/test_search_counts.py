"""Counting a search: exact for the dialects, capped for the UI list, one statement either way."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact
from contacts.search import search_q
from contacts.selectors import ContactPages, contact_count, contact_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_smiths(db: None) -> list[Contact]:
    return Contact.objects.bulk_create(
        [Contact(first_name=f"Ann{i}", last_name="Smith", display_name=f"Ann{i} Smith") for i in range(6)]
    )


def test_an_uncapped_count_is_exact(six_smiths, admin_user, django_assert_num_queries):
    qs = contact_list(user=admin_user, filters={"search": "smith"})
    with django_assert_num_queries(1):
        assert contact_count(qs) == 6


def test_a_capped_count_stops_one_past_the_cap(six_smiths, admin_user, django_assert_num_queries):
    qs = contact_list(user=admin_user, filters={"search": "smith"})
    with django_assert_num_queries(1) as ctx:
        assert contact_count(qs, cap=3) == 4
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"]


def test_a_capped_count_under_the_cap_is_exact(six_smiths, admin_user):
    qs = contact_list(user=admin_user, filters={"search": "ann2"})
    assert contact_count(qs, cap=3) == 1
    assert contact_count(contact_list(user=admin_user, filters={"search": "smith"}), cap=6) == 6


def test_capped_pages_count_the_cap_and_label_it_with_a_plus(six_smiths, admin_user):
    pages = ContactPages(contact_list(user=admin_user, filters={"search": "smith"}, prefetch=False), cap=4)
    paginator = Paginator(pages, 2)
    assert (paginator.count, paginator.num_pages, pages.capped, pages.label) == (4, 2, True, "4+")


def test_capped_pages_read_their_last_page_from_the_front(six_smiths, admin_user):
    qs = contact_list(user=admin_user, filters={"search": "smith"}, prefetch=False)
    pages = Paginator(ContactPages(qs, cap=4), 2)
    assert [c.pk for c in pages.page(2)] == [c.pk for c in six_smiths[2:4]]


def test_pages_under_the_cap_are_labelled_exactly(six_smiths, admin_user):
    pages = ContactPages(contact_list(user=admin_user, filters={"search": "smith"}, prefetch=False), cap=6)
    assert (pages.count(), pages.capped, pages.label) == (6, False, "6")


def test_the_ui_list_shows_a_capped_count_with_a_plus(six_smiths, client: Any, admin_user, monkeypatch):
    monkeypatch.setattr("contacts.views.lists.COUNTED_UP_TO", 4)
    client.force_login(admin_user)
    body = client.get(reverse("contacts:contact-list"), {"q": "smith", "per_page": 25}).content.decode()
    assert "4+ contacts" in body
    assert "of 4+" in body


def test_the_ui_list_shows_an_exact_count_under_the_cap(six_smiths, client: Any, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("contacts:contact-list"), {"q": "smith"}).content.decode()
    assert "6 contacts" in body
    assert "of 6 ·" in body


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's search index drives the capped count")
def test_a_capped_search_count_reads_the_index_in_its_own_order_and_stops(six_smiths, bob, django_assert_num_queries):
    Contact.objects.update(visibility="public")
    qs = contact_list(user=bob, filters={"search": "smith"})
    with django_assert_num_queries(1) as ctx:
        assert contact_count(qs, cap=3) == 4
    sql = ctx.captured_queries[0]["sql"]
    assert "FROM contacts_contactsearch s WHERE s.contacts_contactsearch MATCH" in sql
    assert sql.endswith("LIMIT 4)")


def test_a_capped_count_of_a_negated_search_counts_the_usual_way(six_smiths, admin_user):
    others = Contact.objects.bulk_create([Contact(first_name="Bo", last_name="Jones", display_name="Bo Jones")])
    qs = contact_list(user=admin_user, prefetch=False).exclude(search_q("smith"))
    assert contact_count(qs, cap=3) == 1
    assert [c.pk for c in qs] == [others[0].pk]


def test_capped_pages_of_a_common_search_walk_the_sort_index(six_smiths, admin_user, monkeypatch):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 4)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    pages = Paginator(ContactPages(contact_list(user=admin_user, filters={"search": "smith"}), cap=4), 2)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(pages.page(1))
    assert [c.pk for c in rows] == [c.pk for c in six_smiths[:2]]
    assert any("WHERE s.rowid = " in query["sql"] for query in ctx.captured_queries)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's index-only count")
def test_a_superusers_search_is_counted_from_the_index_less_the_trash(six_smiths, admin_user, alice):
    Contact.objects.filter(pk__in=[six_smiths[0].pk, six_smiths[1].pk]).update(deleted_at="2026-01-01T00:00:00Z")
    qs = contact_list(user=admin_user, filters={"search": "smith ann"})
    with CaptureQueriesContext(connection) as ctx:
        assert contact_count(qs) == 4
    (query,) = ctx.captured_queries
    assert "deleted_at IS NOT NULL" in query["sql"] and " IN (" not in query["sql"]
    assert contact_count(contact_list(user=admin_user, filters={"search": "ann1"})) == 0  # in the trash
    # Another filter beside the search, or a user who is no superuser: counted from the rows.
    assert contact_count(contact_list(user=admin_user, filters={"search": "smith", "is_company": "false"})) == 4
    assert contact_count(contact_list(user=alice, filters={"search": "smith"})) == 4


def test_an_exact_search_count_is_what_the_rows_hold(six_smiths, admin_user):
    Contact.objects.filter(pk=six_smiths[2].pk).update(deleted_at="2026-01-01T00:00:00Z")
    for text in ("smith", "ann2", "an", "nobody", "sm ann", "+"):
        qs = contact_list(user=admin_user, filters={"search": text})
        assert contact_count(qs) == len(list(qs.values_list("pk", flat=True))), text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's capped count keeps the ids it found")
def test_a_capped_count_of_few_matches_hands_their_ids_to_the_page(six_smiths, bob, django_assert_num_queries):
    Contact.objects.update(visibility="public")
    Contact.objects.filter(pk=six_smiths[4].pk).update(deleted_at="2026-01-01T00:00:00Z")
    qs = contact_list(user=bob, filters={"search": "smith"}, prefetch=False)
    pages = Paginator(ContactPages(qs, cap=10), 2)
    with django_assert_num_queries(2) as ctx:
        assert pages.count == 5
        rows = list(pages.page(2))
    assert [c.pk for c in rows] == [c.pk for c in six_smiths[2:4]]
    count, page = (query["sql"] for query in ctx.captured_queries)
    assert "MATCH" in count and "MATCH" not in page and "json_each" in page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's capped count keeps the ids it found")
def test_a_capped_count_of_many_matches_keeps_no_ids(six_smiths, bob, monkeypatch):
    monkeypatch.setattr("contacts.search.KEEP_FOUND", 3)
    Contact.objects.update(visibility="public")
    pages = Paginator(ContactPages(contact_list(user=bob, filters={"search": "smith"}, prefetch=False), cap=10), 2)
    with CaptureQueriesContext(connection) as ctx:
        assert [c.pk for c in pages.page(3)] == [c.pk for c in six_smiths[4:]]
    assert all("MATCH" in query["sql"] for query in ctx.captured_queries)
