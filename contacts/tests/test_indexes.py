"""The indexes the contacts and their items carry: none that another index already answers for."""

from __future__ import annotations

import pytest
from django.db import connection

from contacts.models import Contact, ContactItem
from contacts.search import SEARCH_TABLE

pytestmark = pytest.mark.django_db


def indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: info["columns"] for name, info in found.items() if info["index"] and not info["primary_key"]}


def test_no_index_repeats_the_leading_column_of_the_name_and_company_index():
    names = indexes("contacts_contact")

    assert "contact_name_company_idx" in names
    assert "contact_lower_name_idx" not in names


def test_normalized_values_are_indexed_only_with_their_kind():
    columns = indexes("contacts_contactitem").values()

    assert ["kind", "normalized", "contact_id"] in columns
    assert not [found for found in columns if found and found[0] == "normalized"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pattern-ops twins of text indexes")
def test_no_prefix_index_on_display_names_or_normalized_values():
    names = {*indexes("contacts_contact"), *indexes("contacts_contactitem")}

    assert not [name for name in names if name.endswith("_like") and ("display_name" in name or "normalized" in name)]


def test_the_items_search_triggers_outlive_the_dropped_index():
    contact = Contact.objects.create(first_name="Grace", last_name="Hopper")
    ContactItem.objects.create(contact=contact, kind="email", value="grace@navy.example")

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT doc FROM {SEARCH_TABLE} WHERE rowid = %s", [contact.pk])
        assert "grace@navy.example" in cursor.fetchone()[0].lower()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred search documents")
def test_on_postgresql_a_transaction_may_leave_new_documents_to_itself_and_no_other_write():
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('contacts.search_deferred', 'on', true)")
        left = Contact.objects.create(first_name="Left", last_name="Out")
        ContactItem.objects.create(contact=left, kind="email", value="left@example.com")
        cursor.execute("SELECT set_config('contacts.search_deferred', 'off', true)")
        kept = Contact.objects.create(first_name="Kept", last_name="In")
        cursor.execute(f"SELECT rowid FROM {SEARCH_TABLE} WHERE rowid IN (%s, %s)", [left.pk, kept.pk])
        assert [row[0] for row in cursor.fetchall()] == [kept.pk]
