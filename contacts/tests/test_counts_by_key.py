"""The stored counts by visibility key (contacts/counts.py): after any writes, every user's unfiltered
count (and of persons or companies only) from them is the count of what the user sees."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.counts import COUNT_TABLE, KEY, counted_sql, counts_rebuild, member_count_sql
from contacts.importers import default_targets, import_run, source_open
from contacts.models import Contact
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
from projects.models import Membership, Project
from projects.services import membership_set, project_create

pytestmark = pytest.mark.django_db

User = get_user_model()
VISIBILITIES = ["public", "project", "private"]
LINKS = Contact.projects.through


def brute_force(user: Any, *, is_company: bool | None = None, project: Project | None = None) -> int:
    """How many contacts `user` sees (of `project`, when given), by the rule itself, read contact by
    contact in Python."""
    if not user.is_authenticated:
        return 0
    member = set(Membership.objects.filter(user=user).values_list("project_id", flat=True))
    seen = 0
    for contact in Contact.objects.filter(deleted_at__isnull=True).prefetch_related("projects", "access_list"):
        if is_company is not None and contact.is_company != is_company:
            continue
        if project is not None and project.pk not in {p.pk for p in contact.projects.all()}:
            continue
        seen += bool(
            user.is_superuser
            or contact.visibility == "public"
            or user.pk in (contact.author_id, contact.assigned_to_id)
            or user.pk in {u.pk for u in contact.access_list.all()}
            or (contact.visibility == "project" and member & {p.pk for p in contact.projects.all()})
        )
    return seen


def keys(sql: str) -> dict[tuple, int]:
    """Counts by key, a key's projects as a set (two spellings of one set are one key)."""
    found: dict[tuple, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for visibility, trash, company, projects, author, assignee, _slot, contacts in cursor.fetchall():
            key = (visibility, bool(trash), bool(company), frozenset(projects.strip(",").split(",")) - {""}, author,
                   assignee)  # fmt: skip
            found[key] = found.get(key, 0) + int(contacts)
    return {key: n for key, n in found.items() if n}


def assert_exact(users: list[Any]) -> None:
    assert keys(f"SELECT {KEY}, slot, contacts FROM {COUNT_TABLE}") == keys(counted_sql(connection.vendor))
    projects = list(Project.objects.order_by("pk"))
    for user in users:
        assert contact_count(contact_list(user=user)) == brute_force(user), user
        for kind in (True, False):
            listed = contact_list(user=user, filters={"is_company": "true" if kind else "false"})
            assert contact_count(listed) == brute_force(user, is_company=kind), (user, kind)
        for project in projects:
            listed = contact_list(user=user, filters={"project": str(project.pk)})
            assert contact_count(listed) == brute_force(user, project=project), (user, project)
            listed = contact_list(user=user, filters={"project": str(project.pk), "is_company": "false"})
            assert contact_count(listed) == brute_force(user, is_company=False, project=project), (user, project)


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    """Users of every kind, three projects, a few contacts of every visibility."""
    alice, bob, carol, dave, erin = (make_user(name) for name in ("alice", "bob", "carol", "dave", "erin"))
    admin = make_user("root", superuser=True)
    projects = [project_create(name=f"P{n}", identifier=f"p{n}", creator=alice) for n in range(3)]
    membership_set(project=projects[0], user=bob, role=Membership.Role.MEMBER)
    membership_set(project=projects[1], user=carol, role=Membership.Role.VIEWER)
    people = [alice, bob, carol, dave, erin]
    for n in range(6):
        contact_create(
            user=people[n % 5],
            fields={"first_name": f"C{n}", "visibility": VISIBILITIES[n % 3]},
            projects=projects[: n % 3],
            access_list=[people[(n + 2) % 5]] if n % 2 else [],
            check_permissions=False,
        )
    return {"people": people, "admin": admin, "projects": projects}


def _pick(rows: list[Any], n: int) -> Any:
    return rows[n % len(rows)] if rows else None


def apply(op: str, a: int, b: int, c: int, world: dict[str, Any]) -> None:
    """One write through one path; `a`, `b`, `c` choose what it writes."""
    people, admin = world["people"], world["admin"]
    projects = list(Project.objects.order_by("pk"))
    live = list(Contact.objects.filter(deleted_at__isnull=True).order_by("pk"))
    trashed = list(Contact.objects.filter(deleted_at__isnull=False).order_by("pk"))
    contact, user, project = _pick(live, a), _pick(people, b), _pick(projects, c)
    visibility = VISIBILITIES[b % 3]
    some = Contact.objects.filter(pk__in=[row.pk for row in live[a % 3 :: 2]])
    if op == "create":
        contact_create(
            user=user,
            fields={"first_name": f"N{a}", "visibility": visibility},
            projects=projects[: c % 3],
            access_list=[_pick(people, c)],
            check_permissions=False,
        )
    elif op == "bulk_create":
        Contact.objects.bulk_create(
            [Contact(first_name=f"B{n}", name=f"B{n}", display_name=f"B{n}", visibility=VISIBILITIES[(b + n) % 3],
                     author=user, is_company=bool(n % 2)) for n in range(a % 3 + 1)]
        )  # fmt: skip
    elif contact is None:
        return
    elif op == "visibility":
        contact_update(contact=contact, user=admin, fields={"visibility": visibility}, check_permissions=False)
    elif op == "assign":
        contact.assigned_to = None if c % 4 == 0 else user
        contact.save()
    elif op == "author":
        Contact.objects.filter(pk=contact.pk).update(author=user if c % 3 else None)
    elif op == "kind":
        # A name of each kind, so that the contact stays valid for the services' later writes.
        name = contact.name or contact.first_name or f"K{a}"
        Contact.objects.filter(pk=contact.pk).update(is_company=not contact.is_company, name=name, first_name=name)
    elif op == "link" and project is not None:
        contact.projects.add(project)
    elif op == "unlink" and project is not None:
        contact.projects.remove(project)
    elif op == "set_projects":
        contact.projects.set(projects[b % 2 : b % 2 + c % 3])
    elif op == "clear_projects":
        contact.projects.clear()
    elif op == "share":
        contact.access_list.add(user)
    elif op == "unshare":
        contact.access_list.remove(user)
    elif op == "bulk_visibility":
        contact_bulk_apply(user=admin, contacts=some, action="visibility", value=visibility)
    elif op == "bulk_project" and project is not None:
        contact_bulk_apply(user=admin, contacts=some, action="project" if b % 2 else "unproject", value=project.pk)
    elif op == "bulk_assign":
        contact_bulk_apply(user=admin, contacts=some, action="assign", value=user.pk)
    elif op == "bulk_delete":
        contact_bulk_apply(user=admin, contacts=some, action="delete")
    elif op == "trash":
        contact_delete(contact=contact, user=admin)
    elif op == "restore" and trashed:
        contact_restore(contact=_pick(trashed, b), user=admin)
    elif op == "purge" and trashed:
        contact_purge(contact=_pick(trashed, b), user=admin)
    elif op == "merge":
        # Persons merge with persons, companies with companies.
        kin = [row for row in live if row.pk != contact.pk and row.is_company == contact.is_company]
        if kin:
            contact_merge(user=admin, survivor=contact, others=[_pick(kin, b)])
    elif op == "raw_move_link":
        link = _pick(list(LINKS.objects.order_by("pk")), b)
        if link is not None and not LINKS.objects.filter(contact=contact, project_id=link.project_id).exists():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {LINKS._meta.db_table} SET contact_id = %s WHERE id = %s", [contact.pk, link.pk]
                )
    elif op == "raw_relink" and project is not None:
        link = _pick(list(LINKS.objects.order_by("pk")), b)
        if link is not None and not LINKS.objects.filter(contact_id=link.contact_id, project=project).exists():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {LINKS._meta.db_table} SET project_id = %s WHERE id = %s", [project.pk, link.pk]
                )
    elif op == "raw_update":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE contacts_contact SET visibility = %s, assigned_to_id = %s WHERE id = %s",
                [visibility, user.pk if c % 2 else None, contact.pk],
            )
    elif op == "raw_delete":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM contacts_contact WHERE id = %s", [contact.pk])
    elif op == "delete_project" and project is not None:
        project.delete()
    elif op == "delete_user" and user.username == "erin":
        User.objects.filter(pk=user.pk).delete()  # the instance keeps its pk for the next example
        people.remove(user)
    elif op == "membership" and project is not None:
        held = Membership.objects.filter(user=user, project=project)
        if not held.delete()[0]:
            Membership.objects.create(user=user, project=project, role=Membership.Role.MEMBER)


OPS = [
    "create", "bulk_create", "visibility", "assign", "author", "kind", "link", "unlink", "set_projects",
    "clear_projects", "share", "unshare", "bulk_visibility", "bulk_project", "bulk_assign", "bulk_delete", "trash",
    "restore", "purge", "merge", "raw_move_link", "raw_relink", "raw_update", "raw_delete", "delete_project",
    "delete_user", "membership",
]  # fmt: skip
WRITE = st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(WRITE, min_size=1, max_size=8))
def test_every_users_count_from_the_stored_counts_is_what_the_user_sees_after_any_writes(world, writes):
    with transaction.atomic():
        people = list(world["people"])
        for op, a, b, c in writes:
            apply(op, a, b, c, world | {"people": people})
        assert_exact([*people, world["admin"], AnonymousUser()])
        transaction.set_rollback(True)


def test_a_members_unfiltered_count_is_one_statement_over_the_stored_counts(world):
    bob = world["people"][1]
    with CaptureQueriesContext(connection) as ctx:
        total = contact_count(contact_list(user=bob))
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"]
    assert COUNT_TABLE in sql and "contacts_contact_access_list" in sql
    assert total == brute_force(bob) and type(total) is int
    with CaptureQueriesContext(connection) as ctx:
        companies = contact_count(contact_list(user=bob, filters={"is_company": "true"}))
    assert len(ctx.captured_queries) == 1 and COUNT_TABLE in ctx.captured_queries[0]["sql"]
    assert companies == brute_force(bob, is_company=True)


@pytest.mark.parametrize("who", ["bob", "root"])
def test_a_count_of_one_projects_contacts_is_one_statement_over_the_stored_counts(world, who):
    user = User.objects.get(username=who)
    project = world["projects"][1]
    with CaptureQueriesContext(connection) as ctx:
        total = contact_count(contact_list(user=user, filters={"project": str(project.pk), "is_company": "false"}))
    assert len(ctx.captured_queries) == 1 and COUNT_TABLE in ctx.captured_queries[0]["sql"]
    assert total == brute_force(user, is_company=False, project=project) and type(total) is int
    with CaptureQueriesContext(connection) as ctx:  # by identifier the project is looked up in the count
        total = contact_count(contact_list(user=user, filters={"project": project.identifier}))
    assert COUNT_TABLE not in ctx.captured_queries[0]["sql"]
    assert total == brute_force(user, project=project)


def test_a_members_count_with_another_filter_counts_the_rows(world):
    bob = world["people"][1]
    with CaptureQueriesContext(connection) as ctx:
        total = contact_count(contact_list(user=bob, filters={"visibility": "project"}))
    assert COUNT_TABLE not in ctx.captured_queries[0]["sql"]
    assert total == contact_list(user=bob, filters={"visibility": "project"}).count()


def test_imported_contacts_in_projects_are_counted_under_their_keys(tmp_path, world):
    alice, bob = world["people"][:2]
    project = world["projects"][0]
    path = tmp_path / "people.csv"
    path.write_text(
        "First name,Last name,Email,Visibility\n"
        "Ada,Lovelace,ada@x.example,project\nAlan,Turing,alan@x.example,private\nGrace,Hopper,g@x.example,public\n"
    )
    source = source_open(path)
    summary = import_run(source=source, targets=default_targets(source), user=alice, projects=[project.pk])
    assert summary.created == 3
    assert_exact([*world["people"], world["admin"]])
    # Update mode adds a project to the contacts it matches.
    second = world["projects"][1]
    path.write_text("First name,Last name,Email\nAda,Lovelace,ada@x.example\n")
    source = source_open(path)
    import_run(source=source, targets=default_targets(source), user=alice, projects=[second.pk], update_existing=True)
    assert Contact.objects.get(first_name="Ada").projects.count() == 2
    assert_exact([*world["people"], world["admin"]])


def test_the_admin_keeps_the_counts(world, admin_client):
    contact = Contact.objects.filter(visibility="public").first()
    response = admin_client.post(f"/admin/contacts/contact/{contact.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert_exact([*world["people"], world["admin"]])


def test_rebuild_keeps_the_counts_the_triggers_keep(world):
    contact = Contact.objects.filter(visibility="project").first()
    contact.projects.add(world["projects"][2])
    kept = keys(f"SELECT {KEY}, slot, contacts FROM {COUNT_TABLE}")
    counts_rebuild()
    assert keys(f"SELECT {KEY}, slot, contacts FROM {COUNT_TABLE}") == kept
    assert_exact([*world["people"], world["admin"]])


def _slot() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() % 64")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_a_writer_of_a_key_does_not_wait_for_another_writer_of_it_to_commit(alice, project):
    first_wrote, second_done = threading.Event(), threading.Event()
    slots: list[int] = []
    errors: list[BaseException] = []

    def write(first: bool) -> None:
        try:
            if not first:
                first_wrote.wait(10)
                while _slot() in slots:  # another backend id, in another slot
                    connections.close_all()
            slots.append(_slot())
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                contact = contact_create(user=alice, fields={"first_name": "W", "visibility": "project"},
                                         projects=[project], check_permissions=False)  # fmt: skip
                contact.projects.remove(project)
                contact.projects.add(project)
                if first:
                    first_wrote.set()
                    assert second_done.wait(10), "the second writer waited for the first one's commit"
            second_done.set()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
            first_wrote.set()
            second_done.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(first,)) for first in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert contact_count(contact_list(user=project.memberships.get(role="member").user)) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_projects_and_visibility_keep_the_counts_exact(world):
    alice, bob = world["people"][:2]
    projects = world["projects"]
    writers, each = 4, 8

    def write(n: int) -> None:
        for i in range(each):
            with transaction.atomic():
                contact = contact_create(
                    user=world["people"][(n + i) % 5], fields={"first_name": f"W{n}-{i}", "visibility": "project"},
                    projects=projects[i % 2 : i % 2 + 2], check_permissions=False,
                )  # fmt: skip
                contact.projects.add(projects[2])
                contact.projects.remove(projects[i % 2])
                if i % 3 == 0:
                    contact_bulk_apply(user=world["admin"], contacts=Contact.objects.filter(pk=contact.pk),
                                       action="visibility", value="private")  # fmt: skip
                if i % 4 == 0:
                    contact_delete(contact=contact, user=alice)

    run_side_by_side(write, writers=writers)
    assert_exact([*world["people"], world["admin"]])
    assert contact_count(contact_list(user=bob)) == brute_force(bob)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
@pytest.mark.parametrize("narrowed", [{}, {"is_company": False}, {"is_company": True, "project_id": 1}])
def test_the_member_count_reads_the_users_access_list_first_not_the_contacts(world, narrowed):
    bob = world["people"][1]
    sql, params = member_count_sql(user_id=bob.pk, **narrowed)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN SELECT {sql}", params)
        steps = [row[-1] for row in cursor.fetchall()]
    reads = [step for step in steps if step.startswith(("SCAN", "SEARCH"))]
    access = next(n for n, step in enumerate(reads) if step.startswith("SEARCH a "))
    contact = next(n for n, step in enumerate(reads) if step.startswith(("SEARCH c ", "SCAN c")))
    assert "(user_id=?)" in reads[access] and access < contact, steps
    assert "USING INTEGER PRIMARY KEY" in reads[contact], steps
