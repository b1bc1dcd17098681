"""contacts.selectors paging: contact_page and contact_count read any page in one statement each."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection

from contacts.counts import COUNT_TABLE
from contacts.models import Contact
from contacts.selectors import ContactPages, contact_count, contact_list, contact_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(make_contact):
    names = ["Kim", "Abe", "Lee", "Abe", "Zoe", "Moe", "Bea", "Cy", "Abe", "Dee", "Eve", "Fay"]
    return [make_contact(first_name=name, last_name="Page", visibility="project") for name in names]


def expected(user, order_by=None):
    return list(contact_list(user=user, order_by=order_by, prefetch=False).values_list("pk", flat=True))


@pytest.mark.parametrize("order_by", [None, ["-updated_at"], ["display_name"], ["-display_name"]])
def test_every_window_of_every_page_is_the_slice_of_the_whole_list(twelve, bob, order_by):
    qs = contact_list(user=bob, order_by=order_by)
    whole = expected(bob, order_by)
    total = contact_count(qs)
    assert total == len(whole) == 12
    for size in (1, 5, 12):
        for offset in range(0, 14):
            for known in (None, total):
                page = contact_page(qs, offset=offset, limit=size, total=known)
                assert [c.pk for c in page] == whole[offset : offset + size], (offset, size, known)


def test_pages_respect_visibility_and_filters(twelve, outsider, bob):
    assert contact_page(contact_list(user=outsider), offset=0, limit=10) == []
    assert contact_count(contact_list(user=outsider)) == 0
    abes = contact_list(user=bob, filters={"search": "abe"})
    assert contact_count(abes) == 3
    assert [c.first_name for c in contact_page(abes, offset=1, limit=5, total=3)] == ["Abe", "Abe"]


def test_a_deep_page_costs_the_same_queries_as_the_first(twelve, bob, django_assert_num_queries):
    qs = contact_list(user=bob)
    with django_assert_num_queries(6):  # the page and its five prefetches
        first = contact_page(qs, offset=0, limit=3, total=12)
    with django_assert_num_queries(6):
        last = contact_page(qs, offset=9, limit=3, total=12)
    assert len(first) == len(last) == 3


def test_paginator_over_contact_pages_counts_once_and_reads_the_page(twelve, bob, django_assert_num_queries):
    with django_assert_num_queries(7):
        page = Paginator(ContactPages(contact_list(user=bob)), 5).get_page(3)
        rows = list(page)
    assert page.paginator.count == 12 and page.paginator.num_pages == 3
    assert [c.pk for c in rows] == expected(bob)[10:]


def test_a_searched_page_reads_the_index_once_in_an_inner_limited_select(twelve, bob, django_assert_num_queries):
    qs = contact_list(user=bob, filters={"search": "abe"}, prefetch=False)
    with django_assert_num_queries(1) as captured:
        assert len(contact_page(qs, offset=1, limit=5)) == 2
    sql = captured.captured_queries[0]["sql"]
    assert sql.count("FROM contacts_contactsearch") == 1
    assert "LIMIT" in sql.split("IN (", 1)[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_sqlite_visibility_probes_each_contact_by_index(twelve, bob):
    sql, params = contact_list(user=bob, prefetch=False).values("pk")[:10].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    assert "CORRELATED SCALAR SUBQUERY" in plan
    assert "contacts_contact_projects_contact_id_project_id" in plan
    assert "contacts_contact_access_list_contact_id_user_id" in plan


def test_counting_ignores_order_and_prefetches(twelve, bob, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        assert contact_count(contact_list(user=bob, order_by=["-updated_at"])) == 12
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]
    assert Contact.objects.count() == 12


@pytest.fixture
def every_visibility(make_contact, alice, bob, outsider, project, other_project):
    """Contacts of each visibility, each seen or not by bob (a member of `project` only)."""
    return [
        make_contact(first_name="Pub", visibility="public", projects=[]),
        make_contact(first_name="PubCo", is_company=True, name="Pub Co", visibility="public", projects=[]),
        make_contact(first_name="Member", visibility="project"),
        make_contact(first_name="Elsewhere", visibility="project", user=outsider, projects=[other_project]),
        make_contact(first_name="ElseCo", is_company=True, name="Else Co", visibility="project", user=outsider,
                     projects=[other_project]),
        make_contact(first_name="Mine", visibility="private", user=bob, projects=[]),
        make_contact(first_name="Assigned", visibility="private", assigned_to=bob, projects=[]),
        make_contact(first_name="Shared", visibility="private", access_list=[bob], projects=[]),
        make_contact(first_name="Secret", visibility="private", projects=[project]),
        make_contact(first_name="Their", visibility="private", user=outsider, projects=[other_project]),
    ]  # fmt: skip


@pytest.mark.parametrize("filters", [None, {"is_company": "true"}, {"is_company": "false"}, {"tags": "x"}])
@pytest.mark.parametrize("who", ["bob", "alice", "outsider", "admin_user"])
def test_a_count_is_the_number_of_contacts_listed_whoever_asks(
    every_visibility, filters, who, request, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    qs = contact_list(user=user, filters=filters)
    with django_assert_num_queries(1):
        total = contact_count(qs)
    assert total == len(list(qs)) == len(contact_list(user=user, filters=filters, prefetch=False).values("pk"))


def test_the_count_of_every_visible_contact_is_public_ones_plus_the_others_seen(
    every_visibility, bob, django_assert_num_queries
):
    with django_assert_num_queries(1) as captured:
        assert contact_count(contact_list(user=bob, filters={"assigned_to": bob.pk})) == 1
    sql = captured.captured_queries[0]["sql"]
    assert sql.startswith("SELECT (SELECT COUNT(*)") and ") + (SELECT COUNT(*)" in sql
    with django_assert_num_queries(1) as captured:  # persons only: from the stored counts by key
        assert contact_count(contact_list(user=bob, filters={"is_company": "false"})) == 5
    assert COUNT_TABLE in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(1) as captured:  # a tag's list of ids drives its count: counted once
        assert contact_count(contact_list(user=bob, filters={"tags": "x"})) == 0
    assert ") + (SELECT COUNT(*)" not in captured.captured_queries[0]["sql"]
