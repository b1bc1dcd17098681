"""seed_demo's bulk load: plain rows, multi-row inserts, indexes built once after a large load."""

from __future__ import annotations

import io
import sqlite3
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from contacts.counts import stored_count
from contacts.demo import data as demo_data
from contacts.demo import loading as demo_loading
from contacts.demo import rows as demo_rows
from contacts.management.commands import seed_demo
from contacts.models import Contact, ContactItem, Note, TaggedContact
from contacts.selectors import contact_list


def index_definitions() -> set[tuple[str, ...]]:
    """The schema's indexes and triggers (and, on PostgreSQL, constraints and whether each trigger is on)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL")
            return set(cursor.fetchall())
        cursor.execute(
            "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " UNION ALL SELECT 'constraint', c.conrelid::regclass::text || '.' || c.conname,"
            "     pg_get_constraintdef(c.oid) FROM pg_constraint c"
            "     JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()"
            " UNION ALL SELECT 'trigger', tgname, tgenabled::text FROM pg_trigger WHERE NOT tgisinternal"
        )
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_a_large_load_builds_the_indexes_again_exactly_as_they_were(monkeypatch):
    before = index_definitions()
    monkeypatch.setattr(seed_demo, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(demo_loading, "ROWS_PER_STATEMENT", 7)  # full statements and a remainder
    call_command("seed_demo", "--contacts", "450", "--quiet", stdout=io.StringIO())
    assert index_definitions() == before
    if connection.vendor == "postgresql":
        # Vacuumed and analyzed after the load: the planner knows the table's size, and every
        # page is marked all-visible, so counts read the indexes alone.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples, relpages, relallvisible FROM pg_class WHERE relname = %s",
                [Contact._meta.db_table],
            )
            tuples, pages, visible = cursor.fetchone()
        assert tuples == 450 and pages > 0 and visible == pages
    assert Contact.objects.count() == 450
    # The stored counts were kept off during the load and counted again after it.
    assert stored_count() == 450
    for visibility in ("public", "project", "private"):
        assert stored_count(visibility=visibility) == Contact.objects.filter(visibility=visibility).count()
    assert Contact.objects.filter(is_company=True).count() == 45
    assert ContactItem.objects.filter(kind="email").count() == 450
    assert TaggedContact.objects.exists() and Note.objects.exists()
    assert all(c.display_name == c.compute_display_name() for c in Contact.objects.all())
    # The search index was rebuilt after the load, and its triggers keep it in step again.
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    person = Contact.objects.filter(is_company=False).order_by("pk").last()
    found = contact_list(user=root, filters={"search": person.emails[0].value}, prefetch=False)
    assert person.pk in set(found.values_list("pk", flat=True))
    Contact.objects.filter(pk=person.pk).update(job_title="Zyxwvutsr")
    found = contact_list(user=root, filters={"search": "zyxwvutsr"}, prefetch=False)
    assert list(found.values_list("pk", flat=True)) == [person.pk]


@pytest.mark.django_db
def test_seeded_contacts_are_complete_rows_that_the_orm_reads_back():
    call_command("seed_demo", "--contacts", "30", "--quiet", stdout=io.StringIO())
    person = Contact.objects.filter(is_company=False, company__isnull=False).first()
    assert person.company.is_company
    assert person.emails[0].value == person.emails[0].normalized
    assert person.phones[0].normalized.startswith("+1")
    assert person.primary_address.city
    assert person.projects.exists()
    assert Contact.objects.filter(uuid=person.uuid).get() == person


@pytest.mark.django_db
def test_a_small_load_keeps_the_search_index_in_step_through_its_triggers():
    # Too small to defer the indexes: the rows go in with the triggers on (COPY on PostgreSQL).
    call_command("seed_demo", "--contacts", "40", "--quiet", stdout=io.StringIO())
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    person = Contact.objects.filter(is_company=False, company__isnull=False).order_by("pk").last()
    for text in (person.emails[0].value, person.phones[0].normalized[-7:], person.company.display_name):
        found = contact_list(user=root, filters={"search": text}, prefetch=False)
        assert person.pk in set(found.values_list("pk", flat=True)), text


@pytest.mark.django_db(transaction=True)
def test_a_large_load_leaves_the_journal_mode_as_it_found_it(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's journal")
    with connection.cursor() as cursor:
        before = cursor.execute("PRAGMA journal_mode").fetchone()
    monkeypatch.setattr(seed_demo, "DEFER_INDEXES_FROM", 100)
    call_command("seed_demo", "--contacts", "120", "--quiet", stdout=io.StringIO())
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == before
        assert cursor.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        assert cursor.execute("PRAGMA threads").fetchone() == (0,)


def test_demo_uuids_are_the_uuid5_of_the_demo_number():
    assert [demo_rows.demo_uuid_hex(i) for i in (0, 7, 123456)] == [
        uuid.uuid5(demo_data.DEMO_NAMESPACE, str(i)).hex for i in (0, 7, 123456)
    ]


@pytest.mark.django_db
def test_a_statement_binds_no_more_parameters_than_sqlite_takes():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's limit")
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    columns = len(demo_loading.INSERT_COLUMNS[Contact])
    rows = demo_loading._rows_per_statement(columns)
    assert 1 <= rows <= demo_loading.ROWS_PER_STATEMENT and rows * columns <= limit


@pytest.mark.django_db
def test_rows_go_in_with_one_statement_per_full_group_and_one_for_the_rest(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's statement trace")
    monkeypatch.setattr(demo_loading, "ROWS_PER_STATEMENT", 7)
    user = get_user_model().objects.create_user("loader")
    contact = Contact.objects.create(first_name="Ann", author=user)
    rows = [
        (contact.pk, "note", "", f"Entry {i}", user.pk, "2026-01-01 00:00:00", "2026-01-01 00:00:00") for i in range(16)
    ]
    statements: list[str] = []
    connection.ensure_connection()
    connection.connection.set_trace_callback(statements.append)
    try:
        demo_loading._insert(Note, rows)
    finally:
        connection.connection.set_trace_callback(None)
    inserts = [sql for sql in statements if sql.startswith("INSERT")]
    assert len(inserts) == 3  # 7 + 7 + 2 rows
    assert sorted(Note.objects.filter(contact=contact).values_list("content", flat=True)) == sorted(
        f"Entry {i}" for i in range(16)
    )
