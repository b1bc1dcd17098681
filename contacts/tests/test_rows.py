"""contacts.rows: pages of flat rows, in a fixed number of queries, equal to what the instances say."""

from __future__ import annotations

import pytest
from django.utils import translation

from contacts.rows import RELATED, contact_row_of, contact_rows
from contacts.rows import pages as rows_pages
from contacts.rows import related as rows_related
from contacts.rows import shapes as rows_shapes
from contacts.selectors import (
    WRITE_PREFETCHES,
    contact_access_lists,
    contact_annotate_for_display,
    contact_count,
    contact_list,
    contact_list_for_display,
    contact_visibility_key,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(make_contact):
    names = ["Kim", "Abe", "Lee", "Abe", "Zoe", "Moe", "Bea", "Cy", "Abe", "Dee", "Eve", "Fay"]
    return [make_contact(first_name=name, last_name="Row", visibility="project") for name in names]


@pytest.fixture
def rich(make_contact, license_field, bob):
    company = make_contact(is_company=True, name="Acme", visibility="private", access_list=[bob])
    return make_contact(
        first_name="Ada",
        company=company,
        visibility="private",
        access_list=[bob],
        items=[{"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "+1 202 555 0100"}],
        addresses=[{"city": "Riga", "country": "LV"}, {"city": "Paris", "country": "FR", "is_primary": True}],
        custom_values={license_field.pk: "Pro"},
        tags=["vip", "Alpha"],
    )


@pytest.mark.parametrize("order_by", [None, ["-updated_at"], ["-display_name"]])
def test_every_page_of_rows_is_the_slice_of_the_whole_list(twelve, bob, order_by):
    qs = contact_list(user=bob, order_by=order_by, prefetch=False)
    whole = list(qs.values_list("pk", flat=True))
    total = contact_count(qs)
    for size in (1, 5, 12):
        for offset in range(0, 14):
            for known in (None, total):
                rows = contact_rows(qs, offset=offset, limit=size, total=known)
                assert [row.pk for row in rows] == whole[offset : offset + size], (offset, size, known)


def test_a_page_of_rows_costs_one_query_and_one_per_kind_of_related_row(twelve, bob, django_assert_num_queries):
    qs = contact_list(user=bob, prefetch=False)
    # The page; items and addresses; custom values; tags; projects (no contact is private).
    with django_assert_num_queries(5):
        one = contact_rows(qs, limit=1, related=RELATED)
    with django_assert_num_queries(5):
        many = contact_rows(qs, limit=12, related=RELATED)
    assert (len(one), len(many)) == (1, 12)
    with django_assert_num_queries(0):
        assert contact_rows(qs, offset=20, limit=5, total=12, related=RELATED) == []


def test_a_row_says_what_the_contact_read_with_its_prefetches_says(rich, alice, bob):
    def annotate(qs):
        return contact_annotate_for_display(user=bob, contacts=qs)

    (row,) = contact_rows(contact_list(user=bob, prefetch=False).filter(pk=rich.pk), related=RELATED, annotate=annotate)
    contact = annotate(contact_list_for_display(user=bob, related=WRITE_PREFETCHES).filter(pk=rich.pk)).get()
    contact_access_lists(contacts=[contact, contact.company])
    assert contact_row_of(contact, related=RELATED) == row
    assert [item.value for item in row.items] == ["ada@example.com", "+1 202 555 0100"]
    assert row.primary_address.city == "Paris" and row.primary_address.country_name == "France"
    assert row.tags == ["Alpha", "vip"] and [value.field.name for value in row.custom_values] == ["License"]
    assert [user.username for user in row.access_list] == ["bob"]
    assert row.company.display_name == "Acme" and [user.pk for user in row.company.access_list] == [bob.pk]
    assert row.author.get_full_name() == "Alice Tester" and row.company_visible
    assert [project.name for project in row.projects] == ["Support"]


def test_related_rows_carry_the_types_the_models_give(rich, bob):
    (row,) = contact_rows(contact_list(user=bob, prefetch=False).filter(pk=rich.pk), related=RELATED)
    assert [type(item.is_primary) for item in row.items] == [bool, bool]
    assert [address.is_primary for address in row.addresses] == [False, True]
    assert all(type(address.is_primary) is bool for address in row.addresses)
    (value,) = row.custom_values
    assert value.field.choices == ["Basic", "Pro"] and value.field.is_list


def test_pages_of_one_size_share_a_compiled_statement_and_read_their_own_rows(make_contact, bob, monkeypatch):
    statements = {}
    monkeypatch.setattr(rows_related, "_STATEMENTS", statements)
    for number in range(6):
        make_contact(first_name=f"P{number}", items=[{"kind": "email", "value": f"p{number}@example.com"}])
    qs = contact_list(user=bob, order_by=["first_name"], prefetch=False)
    first = contact_rows(qs, offset=0, limit=3, related=("items",))
    compiled = dict(statements)
    second = contact_rows(qs, offset=3, limit=3, related=("items",))
    assert statements == compiled and list(compiled) == [("items", 3, "default")]
    assert [[item.value for item in row.items] for row in first + second] == [
        [f"p{number}@example.com"] for number in range(6)
    ]
    assert [row.first_name for row in first + second] == [f"P{number}" for number in range(6)]


def test_long_lists_of_ids_are_compiled_each_time_not_kept(make_contact, bob, monkeypatch):
    statements = {}
    monkeypatch.setattr(rows_related, "_STATEMENTS", statements)
    monkeypatch.setattr(rows_related, "MOST_CACHED_IDS", 2)
    for number in range(3):
        make_contact(first_name=f"L{number}", tags=[f"t{number}"])
    qs = contact_list(user=bob, order_by=["first_name"], prefetch=False)
    assert [row.tags for row in contact_rows(qs, related=("tags",))] == [["t0"], ["t1"], ["t2"]]
    assert statements == {}
    assert [row.tags for row in contact_rows(qs, limit=2, related=("tags",))] == [["t0"], ["t1"]]
    assert list(statements) == [("tags", 2, "default")]


def test_pages_of_one_shape_share_a_compiled_page_statement(make_contact, bob, monkeypatch):
    statements = {}
    monkeypatch.setattr(rows_pages, "_PAGE_STATEMENTS", statements)
    for number in range(6):
        make_contact(first_name=f"S{number}")
    qs = contact_list(user=bob, order_by=["first_name"], prefetch=False)
    first = contact_rows(qs, offset=0, limit=3)
    compiled = dict(statements)
    second = contact_rows(qs, offset=3, limit=3)
    searched = contact_rows(contact_list(user=bob, filters={"search": "S5"}, order_by=["first_name"], prefetch=False))
    assert statements == compiled and len(compiled) == 1 and None not in compiled.values()
    assert [row.first_name for row in first + second] == [f"S{number}" for number in range(6)]
    assert [row.first_name for row in searched] == ["S5"]
    assert type(first[0].created_at) is type(make_contact().created_at) and first[0].created_at.tzinfo is not None


def test_annotations_compiled_for_one_user_are_never_served_to_another(make_contact, alice, bob, admin_user):
    # Alice manages the project (she may delete its contacts), bob is a member (he may not),
    # the admin may do anything: the same shape, three keys, three answers.
    mine = make_contact(first_name="Mine", user=alice)
    theirs = make_contact(first_name="Theirs", user=bob)

    def rights(user, *, keyed):
        def annotate(qs):
            return contact_annotate_for_display(user=user, contacts=qs)

        key = contact_visibility_key(user=user) if keyed else None
        qs = contact_list(user=user, order_by=["first_name"], prefetch=False)
        return [(row.pk, row.can_edit, row.can_delete) for row in contact_rows(qs, annotate=annotate, annotate_key=key)]

    for _ in range(2):  # compiled, then reused
        for user in (alice, bob, admin_user):
            assert rights(user, keyed=True) == rights(user, keyed=False)
    assert rights(bob, keyed=True) == [(mine.pk, True, False), (theirs.pk, True, True)]
    assert rights(alice, keyed=True) == [(mine.pk, True, True), (theirs.pk, True, True)]


def test_a_page_of_an_empty_filter_is_empty(bob, make_contact, django_assert_num_queries):
    make_contact()
    qs = contact_list(user=bob, prefetch=False).filter(pk__in=[])
    with django_assert_num_queries(0):
        assert contact_rows(qs, limit=5, related=RELATED) == []


def test_page_statements_are_kept_up_to_their_bound(make_contact, alice, bob, monkeypatch):
    statements = {}
    monkeypatch.setattr(rows_pages, "_PAGE_STATEMENTS", statements)
    monkeypatch.setattr(rows_pages, "MOST_PAGE_STATEMENTS", 2)
    make_contact(first_name="Kept")
    for order in (["first_name"], ["last_name"], ["-first_name"]):
        for user in (alice, bob):
            (row,) = contact_rows(contact_list(user=user, order_by=order, prefetch=False))
            assert row.first_name == "Kept"
            assert 1 <= len(statements) <= 2


def test_a_pages_country_names_are_in_the_active_language_read_once_for_the_page(rich, bob, monkeypatch):
    reads = []
    language = rows_related.get_language

    def counted() -> str | None:
        reads.append(1)
        return language()

    monkeypatch.setattr(rows_related, "get_language", counted)
    # The names as django-countries would give them in each language (no catalogue is installed).
    monkeypatch.setattr(rows_shapes, "_country_name", lambda code, language: f"{code} in {language}")
    qs = contact_list(user=bob, prefetch=False).filter(pk=rich.pk)
    for related in (("items", "addresses"), ("addresses",)):
        with translation.override("de"):
            reads.clear()
            (row,) = contact_rows(qs, related=related)
            assert reads == [1]
        assert [address.country_name for address in row.addresses] == ["LV in de", "FR in de"]
        assert row.primary_address.full_address == "Paris, FR in de"
    with translation.override("fr"):
        (row,) = contact_rows(qs, related=("addresses",))
    assert [address.country_name for address in row.addresses] == ["LV in fr", "FR in fr"]


def test_an_address_rows_street_joins_the_lines_it_has():
    blank = rows_shapes.AddressRow(1, 1, "", "", "", "", "", "", "work", False)
    assert blank.street == "" and blank.country_name == "" and blank.full_address == ""
    assert blank._replace(street1="1 Main St").street == "1 Main St"
    assert blank._replace(street2="Unit 4").street == "Unit 4"
    assert blank._replace(street1="1 Main St", street2="Unit 4").street == "1 Main St, Unit 4"
