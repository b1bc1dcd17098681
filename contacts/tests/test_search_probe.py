"""A search's page walked along the sort index, each contact checked on its own index row:
the same contacts as reading the index, in the same order, for every term and spelling."""

from __future__ import annotations

import sqlite3
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Contact, ContactItem
from contacts.rows import contact_rows
from contacts.search import sqlite_contains, sqlite_fold
from contacts.selectors import contact_count, contact_list, contact_page

pytestmark = pytest.mark.django_db


def probed(user: Any, text: str) -> set[int]:
    qs = contact_list(user=user, filters={"search": text}, prefetch=False).values_list("pk", flat=True)
    qs.query.search_probe = True
    return set(qs)


def indexed(user: Any, text: str) -> set[int]:
    return set(contact_list(user=user, filters={"search": text}, prefetch=False).values_list("pk", flat=True))


@pytest.fixture
def spellings(db: None) -> list[Contact]:
    names = ["İpek Yılmaz", "ΟΔΥΣΣΕΑΣ Παππάς", "Ꭰlpha Cherokee", "Straße Weiß", "ÉLODIE Durand", "Ada Lovelace"]
    contacts = [Contact.objects.create(first_name=first, last_name=last) for first, last in map(str.split, names)]
    ContactItem.objects.create(contact=contacts[-1], kind=ContactItem.Kind.TEL, value="+1 (383) 224-4242")
    ContactItem.objects.create(contact=contacts[-1], kind=ContactItem.Kind.EMAIL, value="ADA@Engines.example")
    return contacts


@pytest.mark.parametrize(
    "text",
    ["ipek", "İpek", "i̇pek", "yıl", "ΟΔΥ", "οδυσσεας", "σσε", "Ꭰlp", "ꭰlp", "straße", "STRASSE", "weiß",
     "élodie", "ÉLO", "elodie", "lo", "l", "ada 4242", "383", "224-4242", "engines.ex", "ADA@", "π"],
)  # fmt: skip
def test_checking_each_contact_finds_what_the_index_finds(spellings, admin_user, text):
    assert probed(admin_user, text) == indexed(admin_user, text)


def test_the_fold_is_the_trigram_tokenizers_own(spellings, admin_user):
    # Python lower-cases "İ" to "i̇" and Cherokee "Ꭰ" to "ꭰ"; the tokenizer keeps both.
    assert sqlite_fold("İꭰÉΣ") == "İꭰéσ"
    assert sqlite_fold("Ꭰ") == "Ꭰ"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's tokenizer")
def test_the_fold_agrees_with_the_tokenizer_on_every_letter_of_the_common_scripts():
    letters = [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000]
    scratch = sqlite3.connect(":memory:")
    scratch.execute("CREATE VIRTUAL TABLE f USING fts5(doc, tokenize = 'trigram')")
    scratch.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')")
    scratch.executemany("INSERT INTO f(rowid, doc) VALUES (?, ?)", [(ord(ch), ch * 3) for ch in letters])
    folded = {doc: term[0] for term, doc in scratch.execute("SELECT term, doc FROM v")}
    assert [ch for ch in letters if sqlite_fold(ch) != folded[ord(ch)]] == []


@pytest.fixture
def smiths(db: None) -> list[Contact]:
    people = [Contact(first_name=f"Ann{i:02}", last_name="Smith", display_name=f"Ann{i:02} Smith") for i in range(40)]
    others = [Contact(first_name=f"Bo{i:02}", last_name="Jones", display_name=f"Bo{i:02} Jones") for i in range(40)]
    return Contact.objects.bulk_create(people + others)[:40]


def test_a_common_terms_first_pages_walk_the_sort_index(smiths, bob, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    Contact.objects.update(visibility="public")
    qs = contact_list(user=bob, filters={"search": "smith"}, prefetch=False)
    total = contact_count(qs)
    with django_assert_num_queries(1) as ctx:
        page = contact_page(qs, offset=5, limit=10, total=total)
    assert [c.pk for c in page] == [c.pk for c in smiths[5:15]]
    assert "WHERE s.rowid = " in ctx.captured_queries[0]["sql"]


def test_deep_pages_and_rare_terms_read_the_search_index(smiths, bob, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    Contact.objects.update(visibility="public")
    qs = contact_list(user=bob, filters={"search": "smith"}, prefetch=False)
    with django_assert_num_queries(1) as ctx:
        page = contact_page(qs, offset=20, limit=10, total=40)
    assert [c.pk for c in page] == [c.pk for c in smiths[20:30]]
    assert "s.rowid" not in ctx.captured_queries[0]["sql"]
    rare = contact_list(user=bob, filters={"search": "ann07"}, prefetch=False)
    with django_assert_num_queries(1) as ctx:
        assert [c.pk for c in contact_page(rare, offset=0, limit=10, total=1)] == [smiths[7].pk]
    assert "s.rowid" not in ctx.captured_queries[0]["sql"]


def test_a_common_terms_first_rows_for_a_dialect_walk_the_sort_index(smiths, bob, monkeypatch):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    Contact.objects.update(visibility="public")
    qs = contact_list(user=bob, filters={"search": "smith"}, prefetch=False)
    with CaptureQueriesContext(connection) as ctx:
        rows = contact_rows(qs, offset=0, limit=10, total=40)
    assert [row.pk for row in rows] == [c.pk for c in smiths[:10]]
    assert "WHERE s.rowid = " in ctx.captured_queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_walked_page_reads_the_order_index_and_each_contacts_index_row(smiths, bob):
    qs = contact_list(user=bob, filters={"search": "smith"}, prefetch=False).values("pk")[:10]
    qs.query.search_probe = True
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        text = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING COVERING INDEX contact_order_idx" in text
    assert "VIRTUAL TABLE INDEX 0:=" in text  # the index row by its rowid, not a MATCH over every match
    assert "TEMP B-TREE" not in text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's calls of the check")
def test_a_walk_gives_up_when_the_matches_gather_at_the_far_end_of_the_order(smiths, bob, monkeypatch):
    # The Joneses all sort after the Smiths: walking from the start finds none for 40 contacts.
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    monkeypatch.setattr("contacts.search.WALK_SPAN", 2)
    Contact.objects.update(visibility="public")
    checked = []

    def counted(text: str | None, pattern: str | None) -> bool | None:
        checked.append(text)
        return sqlite_contains(text, pattern)

    connection.ensure_connection()
    connection.connection.create_function("crm_contains", 2, counted, deterministic=True)
    try:
        qs = contact_list(user=bob, filters={"search": "jones"}, prefetch=False)
        with CaptureQueriesContext(connection) as ctx:
            page = contact_page(qs, offset=0, limit=5, least=20)
    finally:
        connection.connection.create_function("crm_contains", 2, sqlite_contains, deterministic=True)
    jones = list(Contact.objects.filter(last_name="Jones").order_by("display_name", "pk")[:5])
    assert [c.pk for c in page] == [c.pk for c in jones]
    assert len(ctx.captured_queries) == 1
    assert 0 < len(checked) <= 20  # at most the 20 matches a capped count found, not the 40 Smiths


def test_a_walked_page_is_the_indexed_page_wherever_the_matches_sort(smiths, bob, monkeypatch):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    monkeypatch.setattr("contacts.search.WALK_SPAN", 2)
    Contact.objects.update(visibility="public")
    for text in ("jones", "smith", "bo", "ann"):
        qs = contact_list(user=bob, filters={"search": text}, prefetch=False)
        expected = list(qs.values_list("pk", flat=True))
        for offset in (0, 3, 9):
            page = contact_page(qs, offset=offset, limit=5, total=len(expected))
            assert [c.pk for c in page] == expected[offset : offset + 5], (text, offset)


def counting_checks(checked: list[str | None]) -> Any:
    def counted(text: str | None, pattern: str | None) -> bool | None:
        checked.append(text)
        return sqlite_contains(text, pattern)

    return counted


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's second walk")
def test_a_walk_that_falls_short_walks_again_against_the_matches(smiths, bob, monkeypatch, django_assert_num_queries):
    # Checking the first 5 contacts finds no Jones; the second walk, testing ids against the
    # index's matches, reaches them without checking any contact on its own index row.
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    monkeypatch.setattr("contacts.search.NEAR_SPAN", 1)
    Contact.objects.update(visibility="public")
    checked: list[str | None] = []
    connection.ensure_connection()
    connection.connection.create_function("crm_contains", 2, counting_checks(checked), deterministic=True)
    try:
        qs = contact_list(user=bob, filters={"search": "jones"}, prefetch=False)
        with django_assert_num_queries(1) as ctx:
            page = contact_page(qs, offset=0, limit=5, least=20)
    finally:
        connection.connection.create_function("crm_contains", 2, sqlite_contains, deterministic=True)
    jones = list(Contact.objects.filter(last_name="Jones").order_by("display_name", "pk")[:5])
    assert [c.pk for c in page] == [c.pk for c in jones]
    assert "+crm_sift.pk IN (SELECT rowid FROM contacts_contactsearch" in ctx.captured_queries[0]["sql"]
    assert len(checked) == 5  # the first walk's 5 contacts, none after


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's second walk")
def test_both_walks_falling_short_read_every_match(smiths, bob, monkeypatch):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    monkeypatch.setattr("contacts.search.WALK_SPAN", 2)
    monkeypatch.setattr("contacts.search.NEAR_SPAN", 1)
    monkeypatch.setattr("contacts.search.SIFT_SPAN", 1)
    Contact.objects.update(visibility="public")
    qs = contact_list(user=bob, filters={"search": "jones"}, prefetch=False)
    jones = list(Contact.objects.filter(last_name="Jones").order_by("display_name", "pk"))
    assert [c.pk for c in contact_page(qs, offset=0, limit=5, least=20)] == [c.pk for c in jones[:5]]
    assert [c.pk for c in contact_page(qs, offset=5, limit=5, total=40)] == [c.pk for c in jones[5:10]]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_the_second_walk_streams_along_the_order_index(smiths, bob, monkeypatch):
    monkeypatch.setattr("contacts.search.PROBE_FROM", 10)
    monkeypatch.setattr("contacts.search.PROBE_SHARE", 2)
    qs = contact_list(user=bob, filters={"search": "jones"}, prefetch=False).values("pk")[:5]
    qs.query.search_walk = (5, 200)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        steps = [str(row[-1]) for row in cursor.fetchall()]
    # Both walks read the order index as they go (co-routines), never stored whole first.
    assert {"CO-ROUTINE crm_walk", "CO-ROUTINE crm_sift"} <= set(steps)
    assert not {"MATERIALIZE crm_walk", "MATERIALIZE crm_sift"} & set(steps)
    assert sum("USING COVERING INDEX contact_order_idx" in step for step in steps) == 2


NAME = st.text(alphabet="abAB ", min_size=1, max_size=6).filter(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(NAME, min_size=1, max_size=14),
    text=st.text(alphabet="abAB ", min_size=1, max_size=4).filter(str.strip),
    spans=st.tuples(st.sampled_from([1, 2, 40]), st.sampled_from([1, 2, 100]), st.sampled_from([1, 3])),
    offset=st.integers(min_value=0, max_value=6),
)
def test_every_walk_gives_the_indexed_page(bob, names, text, spans, offset):
    # Whichever stage fills the page (the first walk, the second, or every match), the page
    # holds the same contacts in the same order as reading the index does.
    walk, near, sift = spans
    with transaction.atomic():
        Contact.objects.bulk_create([Contact(first_name=n, display_name=n, visibility="public") for n in names])
        qs = contact_list(user=bob, filters={"search": text}, prefetch=False)
        expected = list(qs.values_list("pk", flat=True))
        with (
            mock.patch("contacts.search.PROBE_FROM", 1),
            mock.patch("contacts.search.PROBE_SHARE", 1),
            mock.patch("contacts.search.WALK_SPAN", walk),
            mock.patch("contacts.search.NEAR_SPAN", near),
            mock.patch("contacts.search.SIFT_SPAN", sift),
        ):
            walked = [c.pk for c in contact_page(qs, offset=offset, limit=3, least=len(expected))]
            totalled = [c.pk for c in contact_page(qs, offset=offset, limit=3, total=len(expected))]
        assert walked == totalled == expected[offset : offset + 3]
        transaction.set_rollback(True)
