"""The indexes the contacts and their items carry: none that another index already answers for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from contacts.models import Contact, ContactItem
from contacts.search import SEARCH_TABLE
from contacts.selectors import contact_list

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


@pytest.mark.parametrize("column", ["display_name", "created_at", "updated_at"])
def test_the_sort_columns_are_indexed_only_by_the_partial_read_indexes(column):
    columns = indexes("contacts_contact").values()

    assert [column] not in columns
    assert [found for found in columns if found and found[:2] == [column, "id"]]


@pytest.mark.parametrize(
    ("table", "column", "unique"),
    [
        ("contacts_customvalue", "contact_id", ["contact_id", "field_id"]),
        ("contacts_taggedcontact", "content_object_id", ["content_object_id", "tag_id"]),
        ("contacts_contact_projects", "contact_id", ["contact_id", "project_id"]),
    ],
)
def test_a_contacts_child_rows_are_found_by_the_unique_index_led_by_the_contact(table, column, unique):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    columns = [info["columns"] for info in found.values() if info["index"] or info["unique"]]

    assert [column] not in columns
    assert unique in columns


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
@pytest.mark.parametrize(
    ("field", "index"), [("created_at", "contact_created_order_idx"), ("updated_at", "contact_updated_order_idx")]
)
def test_a_date_range_of_live_contacts_reads_its_partial_index(field, index, admin_user):
    query = (
        contact_list(user=admin_user, prefetch=False)
        .filter(**{f"{field}__gte": timezone.now()})
        .order_by()
        .values("pk")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(row[-1] for row in cursor.fetchall())

    assert f"INDEX {index}" in plan


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


def test_a_projects_links_are_indexed_by_project_then_contact_and_by_project_no_more_alone():
    columns = list(indexes("contacts_contact_projects").values())

    assert ["project_id", "contact_id"] in columns
    assert ["project_id"] not in columns


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_a_list_of_one_projects_contacts_reads_its_links_from_the_index_alone(alice, project, make_contact):
    make_contact(first_name="In", projects=[project])
    ids = contact_list(user=alice, filters={"project": str(project.pk)}).order_by("pk").values("pk")[:100]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]

    assert any("USING COVERING INDEX contact_projects_project_contact_idx" in step for step in steps), steps
