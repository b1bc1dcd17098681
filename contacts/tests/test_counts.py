"""The stored counts of contacts (contacts/counts.py): exact after every write path, and what counts read them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.counts import COUNT_TABLE, KEY, counts_rebuild, stored_count
from contacts.importers import default_targets, import_run, source_open
from contacts.intake import webform_submit
from contacts.models import Contact, WebForm
from contacts.selectors import contact_count, contact_list
from contacts.services import (
    contact_bulk_apply,
    contact_create,
    contact_delete,
    contact_merge,
    contact_purge,
    contact_restore,
    contact_update,
)
from contacts.tests.conftest import run_side_by_side

pytestmark = pytest.mark.django_db


def stored() -> dict[tuple[str, bool], int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT visibility, in_trash, SUM(contacts) FROM {COUNT_TABLE} GROUP BY visibility, in_trash")
        return {(visibility, bool(trash)): int(n) for visibility, trash, n in cursor.fetchall() if n}


def recounted() -> dict[tuple[str, bool], int]:
    found: dict[tuple[str, bool], int] = {}
    for visibility, deleted_at in Contact.objects.values_list("visibility", "deleted_at"):
        key = (visibility, deleted_at is not None)
        found[key] = found.get(key, 0) + 1
    return found


def assert_exact() -> None:
    assert stored() == recounted()


@pytest.fixture
def people(alice: Any, project: Any) -> list[Contact]:
    made = [
        contact_create(
            user=alice, fields={"first_name": f"P{n}", "last_name": "Row", "visibility": visibility}, projects=[project]
        )  # fmt: skip
        for n, visibility in enumerate(["public", "public", "project", "private"])
    ]
    assert_exact()
    return made


def test_creating_and_changing_visibility_through_the_services_keep_the_counts(people, alice):
    assert stored() == {("public", False): 2, ("project", False): 1, ("private", False): 1}
    contact_update(contact=people[0], user=alice, fields={"visibility": "private"})
    assert stored()[("private", False)] == 2
    contact_update(contact=people[0], user=alice, fields={"job_title": "Engineer"})
    assert_exact()


def test_trash_restore_and_purge_move_a_contact_between_the_counts(people, alice):
    contact_delete(contact=people[2], user=alice)
    assert stored()[("project", True)] == 1 and ("project", False) not in stored()
    contact_restore(contact=Contact.objects.get(pk=people[2].pk), user=alice)
    assert_exact()
    contact_delete(contact=people[2], user=alice)
    contact_purge(contact=Contact.objects.get(pk=people[2].pk), user=alice)
    assert ("project", True) not in stored()
    assert_exact()


def test_bulk_actions_keep_the_counts(people, alice):
    ids = [people[0].pk, people[2].pk]
    contact_bulk_apply(user=alice, contacts=Contact.objects.filter(pk__in=ids), action="visibility", value="private")
    assert stored()[("private", False)] == 3
    contact_bulk_apply(user=alice, contacts=Contact.objects.filter(pk__in=ids), action="delete")
    assert stored()[("private", True)] == 2
    assert_exact()


def test_a_merge_keeps_the_counts(people, alice):
    contact_merge(user=alice, survivor=people[0], others=[people[1]])
    assert stored()[("public", False)] == 1
    assert_exact()


def test_bulk_created_raw_updated_and_raw_deleted_contacts_keep_the_counts(people):
    made = Contact.objects.bulk_create([Contact(first_name=f"B{n}", display_name=f"B{n}") for n in range(3)])
    assert stored()[("public", False)] == 5
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contacts_contact SET visibility = 'private' WHERE id = %s", [made[0].pk])
        cursor.execute("DELETE FROM contacts_contact WHERE id IN (%s, %s)", [made[1].pk, made[2].pk])
    assert stored()[("public", False)] == 2
    assert_exact()


def test_deleting_in_the_admin_keeps_the_counts(people, admin_client):
    response = admin_client.post(f"/admin/contacts/contact/{people[3].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert_exact()


def test_imported_contacts_are_counted(tmp_path, alice):
    path = tmp_path / "people.csv"
    path.write_text("First name,Last name,Email\nAda,Lovelace,ada@x.example\nAlan,Turing,alan@x.example\n")
    source = source_open(path)
    summary = import_run(source=source, targets=default_targets(source), user=alice)
    assert summary.created == 2
    assert sum(stored().values()) == 2
    assert_exact()


def test_a_web_form_submission_is_counted(project, alice, database_cache):
    form = WebForm.objects.create(project=project, name="Leads", created_by=alice, redirect_url="https://a.example/")
    webform_submit(webform=form, fields={"first_name": "New", "email": "new@x.example"}, ip="10.0.0.9")
    assert sum(stored().values()) == 1
    assert_exact()


def test_rebuild_counts_what_the_triggers_keep(people, alice):
    contact_delete(contact=people[1], user=alice)
    kept = stored()
    counts_rebuild()
    assert stored() == kept


def test_a_superusers_unfiltered_count_reads_the_stored_counts(people, admin_user, alice):
    contact_delete(contact=people[0], user=alice)
    with CaptureQueriesContext(connection) as ctx:
        assert contact_count(contact_list(user=admin_user)) == 3
    assert len(ctx.captured_queries) == 1 and COUNT_TABLE in ctx.captured_queries[0]["sql"]
    assert contact_count(contact_list(user=admin_user), cap=1) == 2
    # A filtered list is counted from its rows.
    assert contact_count(contact_list(user=admin_user, filters={"visibility": "public"})) == 1


def test_anyone_elses_unfiltered_count_reads_the_public_part_from_the_stored_counts(people, bob, outsider):
    with CaptureQueriesContext(connection) as ctx:
        total = contact_count(contact_list(user=bob))
    assert total == 3  # the two public ones and the project's one
    assert type(total) is int  # not a decimal, on either database
    assert len(ctx.captured_queries) == 1 and COUNT_TABLE in ctx.captured_queries[0]["sql"]
    assert contact_count(contact_list(user=outsider)) == 2
    assert contact_count(contact_list(user=bob, filters={"is_company": "false"})) == 3


def test_the_count_is_the_stored_one_not_a_recount(people, admin_user):
    # What the superuser's count answers is the table's number: exact because the triggers keep it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {COUNT_TABLE} ({KEY}, slot, contacts) VALUES ('public', %s, %s, '', 0, 0, 9, 10)",
            [False, False],
        )
    assert contact_count(contact_list(user=admin_user)) == stored_count() == 14


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_counts_exact_each_in_its_own_slot(alice):
    writers, each = 4, 15

    def write(n: int) -> None:
        for i in range(each):
            contact = contact_create(user=alice, fields={"first_name": f"W{n}-{i}", "visibility": "public"})
            if i % 3 == 0:
                contact_delete(contact=contact, user=alice)

    run_side_by_side(write, writers=writers)
    assert stored() == {("public", False): writers * (each - 5), ("public", True): writers * 5}
    assert_exact()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT slot) FROM {COUNT_TABLE}")
        assert cursor.fetchone()[0] > 1
