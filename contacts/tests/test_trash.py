"""The trash: deleting moves a contact there, every read hides it, restore brings it back whole,
purge removes it for good, and the expired ones go by command and by the daily task."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contacts.exporters import contacts_csv, contacts_vcard
from contacts.intake import webform_submit
from contacts.models import (
    Address,
    ChangeAction,
    Contact,
    ContactChange,
    ContactItem,
    CustomValue,
    Note,
    TaggedContact,
    WebForm,
)
from contacts.selectors import (
    companies_named,
    company_suggest,
    contact_count,
    contact_counts,
    contact_get,
    contact_list,
    note_list,
    tag_counts,
    trash_list,
    trash_list_by_ids,
)
from contacts.services import (
    contact_delete,
    contact_delete_many,
    contact_purge,
    contact_purge_many,
    contact_restore,
    contact_restore_many,
    note_create,
    trash_purge_expired,
)
from contacts.tasks import trash_purge, trash_purge_schedule
from firms.selectors import firm_list
from projects.models import Membership
from projects.services import membership_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(make_contact: Any, alice: Any, bob: Any, license_field: Any) -> Contact:
    """A private contact with something of every kind hanging off it."""
    contact = make_contact(
        first_name="Grace",
        last_name="Hopper",
        visibility="private",
        items=[{"kind": "email", "value": "grace@navy.example"}, {"kind": "tel", "value": "+1 202 555 0100"}],
        addresses=[{"city": "Arlington", "country": "US"}],
        custom_values={license_field.pk: "Pro"},
        tags=["admiral", "cobol"],
        access_list=[bob],
    )
    note_create(contact=contact, user=alice, content="Invented the compiler.")
    return Contact.objects.get(pk=contact.pk)


def in_trash(contact: Contact) -> Contact:
    return Contact.objects.get(pk=contact.pk)


def what_hangs_off(contact: Contact) -> dict[str, Any]:
    return {
        "items": sorted(ContactItem.objects.filter(contact=contact).values_list("value", flat=True)),
        "addresses": list(Address.objects.filter(contact=contact).values_list("city", flat=True)),
        "notes": list(Note.objects.filter(contact=contact).values_list("content", flat=True)),
        "tags": sorted(TaggedContact.objects.filter(content_object=contact).values_list("tag__name", flat=True)),
        "projects": list(contact.projects.values_list("identifier", flat=True)),
        "custom": list(CustomValue.objects.filter(contact=contact).values_list("value", flat=True)),
        "access": list(contact.access_list.values_list("username", flat=True)),
    }


# Deleting moves to the trash


def test_deleting_stamps_the_contact_and_keeps_everything_that_hangs_off_it(full, alice):
    before = what_hangs_off(full)
    contact_delete(contact=full, user=alice)
    trashed = in_trash(full)
    assert trashed.deleted_at is not None and trashed.deleted_by == alice
    assert what_hangs_off(trashed) == before
    assert trashed.trash_days_left == 30


def test_bulk_delete_moves_every_contact_to_the_trash_in_one_update(make_contact, alice, django_assert_num_queries):
    contacts = [make_contact(first_name=f"P{n}") for n in range(5)]
    rows = contact_list(user=alice, prefetch=False).prefetch_related("projects", "access_list")
    contacts = list(rows.filter(pk__in=[c.pk for c in contacts]))
    # savepoint, memberships (rights), the UPDATE, the history insert, release
    with django_assert_num_queries(5):
        contact_delete_many(contacts=contacts, user=alice)
    assert Contact.objects.filter(deleted_at__isnull=False).count() == 5


def test_deleting_and_restoring_are_in_the_contacts_history(full, alice):
    contact_delete(contact=full, user=alice)
    contact_restore(contact=in_trash(full), user=alice)
    actions = list(ContactChange.objects.filter(contact=full).order_by("pk").values_list("action", "user"))
    assert actions[-2:] == [(ChangeAction.DELETED, alice.pk), (ChangeAction.RESTORED, alice.pk)]


# Every read hides the trash


def test_no_read_sees_a_contact_in_the_trash_not_even_a_superusers(full, alice, bob, admin_user):
    contact_delete(contact=full, user=alice)
    for user in (alice, bob, admin_user):
        assert contact_get(user=user, pk=full.pk) is None
        assert contact_count(contact_list(user=user)) == 0
        assert contact_count(contact_list(user=user, filters={"search": "hopper"})) == 0
        assert contact_counts(user=user) == {"persons": 0, "companies": 0}
        assert list(tag_counts(user=user)) == []
        assert list(note_list(user=user)) == []


def test_a_company_in_the_trash_leaves_the_firm_list_the_pickers_and_its_peoples_pages(make_contact, alice):
    acme = make_contact(is_company=True, name="Acme")
    person = make_contact(first_name="Wile", company=acme)
    contact_delete(contact=acme, user=alice)
    assert list(firm_list(user=alice)) == []
    assert company_suggest(user=alice, query="acm") == []
    assert companies_named(user=alice, name="Acme") == []
    shown = contact_get(user=alice, pk=person.pk)
    # The link stays, so restoring the company brings it back; no face shows it meanwhile.
    assert shown.company_id == acme.pk
    assert (shown.live_company, shown.company_name) == (None, "")
    contact_restore(contact=in_trash(acme), user=alice)
    shown = contact_get(user=alice, pk=person.pk)
    assert (shown.live_company, shown.company_name) == (acme, "Acme")


def test_a_firms_people_count_leaves_out_people_in_the_trash(make_contact, alice):
    acme = make_contact(is_company=True, name="Acme")
    kept, gone = make_contact(first_name="Kept", company=acme), make_contact(first_name="Gone", company=acme)
    contact_delete(contact=gone, user=alice)
    assert [(firm.pk, firm.people_count) for firm in firm_list(user=alice)] == [(acme.pk, 1)]
    assert kept.pk in set(contact_list(user=alice, filters={"company": acme.pk}).values_list("pk", flat=True))


def test_exports_leave_out_contacts_in_the_trash_and_the_name_of_a_trashed_company(make_contact, alice):
    acme = make_contact(is_company=True, name="Acme")
    person = make_contact(first_name="Wile", company=acme)
    gone = make_contact(first_name="Gone")
    contact_delete(contact=gone, user=alice)
    contact_delete(contact=acme, user=alice)
    rows = list(csv.DictReader(io.StringIO(contacts_csv(contact_list(user=alice), user=alice))))
    assert [(row["ID"], row["First name"], row["Company"]) for row in rows] == [(str(person.pk), "Wile", "")]
    card = contacts_vcard([person], user=alice)
    assert "ORG:" not in card and "Acme" not in card


def test_the_web_form_treats_a_contact_in_the_trash_as_gone(project, alice, make_contact, database_cache):
    form = WebForm.objects.create(project=project, name="Leads", created_by=alice)
    old = make_contact(first_name="Old", items=[{"kind": "email", "value": "lead@x.example"}])
    firm = make_contact(is_company=True, name="Navy Labs")
    contact_delete(contact=old, user=alice)
    contact_delete(contact=firm, user=alice)
    fields = {"first_name": "New", "email": "LEAD@x.example", "company": "navy labs"}
    result = webform_submit(webform=form, fields=fields, ip="10.0.0.1")
    assert result.created and result.contact.pk != old.pk
    assert result.contact.company.pk != firm.pk and result.contact.company.deleted_at is None
    assert not Note.objects.filter(contact=old).exists()


def test_a_new_contact_may_reuse_the_email_and_company_name_of_trashed_ones(make_contact, alice):
    old = make_contact(is_company=True, name="Initech", items=[{"kind": "email", "value": "hi@initech.example"}])
    contact_delete(contact=old, user=alice)
    again = make_contact(is_company=True, name="Initech", items=[{"kind": "email", "value": "hi@initech.example"}])
    assert [c.pk for c in companies_named(user=alice, name="initech")] == [again.pk]


# Who sees the trash


def test_the_trash_lists_what_the_user_could_delete_newest_first(make_contact, alice, bob, outsider, admin_user):
    older, newer = make_contact(first_name="Older"), make_contact(first_name="Newer")
    bobs = make_contact(user=bob, first_name="Bobs")
    contact_delete(contact=older, user=alice)
    contact_delete(contact=newer, user=alice)
    contact_delete(contact=bobs, user=bob)
    # alice manages the project, so she could delete bob's contact too; bob only his own.
    assert [c.pk for c in trash_list(user=alice)] == [bobs.pk, newer.pk, older.pk]
    assert [c.pk for c in trash_list(user=bob)] == [bobs.pk]
    assert list(trash_list(user=outsider)) == []
    assert len(trash_list(user=admin_user)) == 3
    assert [c.pk for c in trash_list(user=alice, search="newer")] == [newer.pk]


def test_a_user_who_could_not_delete_a_contact_can_neither_see_nor_restore_nor_purge_it(full, alice, bob):
    contact_delete(contact=full, user=alice)
    assert trash_list_by_ids(user=bob, ids=[full.pk]) == []
    with pytest.raises(PermissionDenied):
        contact_restore(contact=in_trash(full), user=bob)
    with pytest.raises(PermissionDenied):
        contact_purge(contact=in_trash(full), user=bob)
    assert in_trash(full).deleted_at is not None


def test_a_project_manager_may_restore_what_a_member_deleted(make_contact, project, alice, bob, make_user):
    carol = make_user("carol")
    membership_set(project=project, user=carol, role=Membership.Role.MANAGER)
    contact = make_contact(user=bob)
    contact_delete(contact=contact, user=bob)
    [found] = trash_list_by_ids(user=carol, ids=[contact.pk, "junk", 2**70])
    contact_restore(contact=found, user=carol)
    assert contact_get(user=bob, pk=contact.pk) is not None


# Restore


def test_restoring_brings_the_contact_back_with_everything_it_had(full, alice, bob):
    before = what_hangs_off(full)
    contact_delete(contact=full, user=alice)
    restored = contact_restore(contact=in_trash(full), user=alice)
    assert restored.deleted_at is None and in_trash(full).deleted_by is None
    again = contact_get(user=bob, pk=full.pk)  # bob is on the access list
    assert again is not None and what_hangs_off(again) == before
    assert contact_count(contact_list(user=alice, filters={"search": "grace@navy"})) == 1


def test_restoring_many_is_all_or_nothing(make_contact, alice, bob):
    mine, theirs = make_contact(user=bob), make_contact()
    contact_delete_many(contacts=[mine, theirs], user=alice)
    trashed = trash_list_by_ids(user=alice, ids=[mine.pk, theirs.pk])
    with pytest.raises(PermissionDenied):
        contact_restore_many(contacts=trashed, user=bob)
    assert Contact.objects.filter(deleted_at__isnull=True).count() == 0
    assert len(contact_restore_many(contacts=trashed, user=alice)) == 2


def test_only_contacts_in_the_trash_are_restored_or_purged(make_contact, alice):
    live = make_contact()
    with pytest.raises(ValidationError):
        contact_restore(contact=live, user=alice)
    with pytest.raises(ValidationError):
        contact_purge(contact=live, user=alice)
    assert Contact.objects.filter(pk=live.pk, deleted_at__isnull=True).exists()


# Purge


def test_purging_deletes_the_contact_and_everything_that_hangs_off_it(full, alice):
    contact_delete(contact=full, user=alice)
    contact_purge(contact=in_trash(full), user=alice)
    assert not Contact.objects.filter(pk=full.pk).exists()
    assert what_hangs_off(full) | {"projects": [], "access": []} == {
        "items": [],
        "addresses": [],
        "notes": [],
        "tags": [],
        "projects": [],
        "custom": [],
        "access": [],
    }
    assert not ContactChange.objects.filter(contact_id=full.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM contacts_contactsearch WHERE rowid = %s", [full.pk])
        assert cursor.fetchone()[0] == 0


def test_purging_a_company_unlinks_its_people(make_contact, alice):
    acme = make_contact(is_company=True, name="Acme")
    person = make_contact(first_name="Wile", company=acme)
    contact_delete(contact=acme, user=alice)
    assert contact_purge_many(contacts=[in_trash(acme)], user=alice) == 1
    assert Contact.objects.get(pk=person.pk).company_id is None


def expire(contact: Contact, *, days: int) -> None:
    Contact.objects.filter(pk=contact.pk).update(deleted_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def aged(make_contact: Any, alice: Any) -> dict[str, Contact]:
    """A contact in the trash for 31 days, one for 5 days, and a live one."""
    old, recent, live = make_contact(first_name="Old"), make_contact(first_name="Recent"), make_contact()
    contact_delete_many(contacts=[old, recent], user=alice)
    expire(old, days=31)
    expire(recent, days=5)
    return {"old": old, "recent": recent, "live": live}


def left(aged: dict[str, Contact]) -> list[str]:
    return [name for name, contact in aged.items() if Contact.objects.filter(pk=contact.pk).exists()]


def test_the_expired_purge_removes_only_what_stayed_longer_than_trash_days(aged, settings):
    assert trash_purge_expired(dry_run=True) == 1
    assert left(aged) == ["old", "recent", "live"]
    assert trash_purge_expired() == 1
    assert left(aged) == ["recent", "live"]
    settings.TRASH_DAYS = 3
    assert trash_purge_expired() == 1
    assert left(aged) == ["live"]


def test_the_purge_command_takes_days_and_a_dry_run(aged):
    out = StringIO()
    call_command("purge_trash", "--days", "1", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "2 contacts in the trash for more than 1 days would be purged."
    assert left(aged) == ["old", "recent", "live"]
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert out.getvalue().strip() == "1 contact in the trash for more than 30 days purged."
    assert left(aged) == ["recent", "live"]


def test_the_purge_command_refuses_negative_days(aged):
    with pytest.raises(Exception, match="--days must be 0 or more"):
        call_command("purge_trash", "--days", "-1")


def test_the_purge_task_purges_expired_contacts(aged):
    result = trash_purge.enqueue()
    assert result.return_value == 1
    assert left(aged) == ["recent", "live"]


def test_the_daily_purge_runs_on_the_worker_and_queues_its_next_run(aged, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    # The worker drops stale connections between tasks; the test's own one, inside its transaction, must stay.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    out = StringIO()
    call_command("purge_trash", "--schedule", stdout=out)
    assert out.getvalue().strip() == "Trash purge queued."
    # Starting the worker again queues no second chain.
    assert trash_purge_schedule() is False
    assert DBTaskResult.objects.filter(task_path="contacts.tasks.trash_purge").count() == 1

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert left(aged) == ["recent", "live"]
    runs = DBTaskResult.objects.filter(task_path="contacts.tasks.trash_purge")
    assert sorted(runs.values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]
    following = runs.get(status="READY")
    assert following.run_after > timezone.now() + timedelta(hours=23)


def test_no_purge_is_scheduled_where_tasks_run_inline(aged):
    assert trash_purge_schedule() is False


# The trash costs reads nothing: the read indexes hold live contacts only


def plan(qs: Any) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny table is otherwise read whole, or through any small index and then sorted:
            # what is checked is that a plan with no scan of the table and no sort exists.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


@pytest.fixture
def some(make_contact: Any, alice: Any) -> None:
    contacts = [make_contact(first_name=f"P{n}", visibility="project") for n in range(6)]
    contact_delete_many(contacts=contacts[:2], user=alice)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_sqlite_pages_and_counts_read_the_live_indexes_alone(some, bob, admin_user):
    for user in (bob, admin_user):
        page = plan(contact_list(user=user, prefetch=False).values("pk")[:10])
        assert "SCAN contacts_contact USING COVERING INDEX contact_order_idx" in page
        count = plan(contact_list(user=user).order_by().values("pk"))
        # Any of the live covering indexes will do (SQLite picks the narrowest it likes): the rows
        # themselves are never read.
        assert re.search(r"SCAN contacts_contact USING COVERING INDEX contact_\w+_idx", count), count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_pages_read_the_live_order_index_alone(some, bob, admin_user):
    for user in (bob, admin_user):
        assert "Index Only Scan using contact_order_idx" in plan(
            contact_list(user=user, prefetch=False).values("pk")[:10]
        )


def test_the_trash_page_reads_the_trash_index_in_its_order(some, alice):
    text = plan(trash_list(user=alice).values("pk")[:10])
    assert "contact_trash_idx" in text
    if connection.vendor == "sqlite":
        assert "USE TEMP B-TREE FOR ORDER BY" not in text
