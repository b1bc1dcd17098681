"""Running imports: good rows in and bad ones reported, the export round trip, update mode, history, search."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.importers import default_targets, import_run, source_open
from contacts.importers import running as import_running
from contacts.importers import tables as import_tables
from contacts.importers import writing as import_writing
from contacts.models import (
    Contact,
    ContactChange,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
)
from contacts.search import SEARCH_TABLE, search_q, search_rebuild

pytestmark = pytest.mark.django_db


def write_csv(path: Path, rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def run(path: Path, user: Any, **options: Any) -> Any:
    source = source_open(path)
    return import_run(source=source, targets=options.pop("targets", None) or default_targets(source), user=user,
                      **options)  # fmt: skip


def test_good_rows_go_in_and_bad_rows_are_reported_with_a_csv_of_them(tmp_path, alice, project):
    path = write_csv(tmp_path / "people.csv", [
        ["First name", "Last name", "Email", "Phone", "Birthday", "Country"],
        ["Ada", "Lovelace", "ada@example.com", "+44 20 7946 0018", "1815-12-10", "GB"],
        ["", "", "nobody@example.com", "", "", ""],
        ["Bob", "Stone", "not-an-email", "no digits", "10/12/1815", "Atlantis"],
        ["Carl", "Gauss", "carl@example.com", "", "", "Germany"],
    ])  # fmt: skip

    summary = run(path, alice, projects=[project.pk])

    assert (summary.rows, summary.created, summary.rejected) == (4, 2, 2)
    assert summary.errors == [
        {"row": 3, "column": "Last name", "message": "A person needs a first or a last name."},
        {"row": 4, "column": "Birthday", "message": "10/12/1815 is not a date: write it as YYYY-MM-DD."},
        {"row": 4, "column": "Phone", "message": "no digits is not a phone number."},
        {"row": 4, "column": "Email", "message": "not-an-email is not a valid email address."},
        {"row": 4, "column": "Country", "message": "Atlantis is not a country (write its name or ISO code)."},
    ]
    with open(summary.rejected_path, encoding="utf-8-sig", newline="") as handle:
        rejected = list(csv.reader(handle))
    assert rejected[0] == ["First name", "Last name", "Email", "Phone", "Birthday", "Country", "Error"]
    assert rejected[1] == [
        "",
        "",
        "nobody@example.com",
        "",
        "",
        "",
        "Last name: A person needs a first or a last name.",
    ]
    assert rejected[2][:6] == ["Bob", "Stone", "not-an-email", "no digits", "10/12/1815", "Atlantis"]
    ada = Contact.objects.get(last_name="Lovelace")
    assert ada.birthday == date(1815, 12, 10) and ada.author == alice
    assert [(i.kind, i.normalized) for i in ada.items.all()] == [("tel", "+442079460018"), ("email", "ada@example.com")]
    assert list(Contact.objects.get(last_name="Gauss").addresses.values_list("country", flat=True)) == ["DE"]
    assert set(ada.projects.all()) == {project}


def test_every_contact_written_is_in_the_search_index_with_its_items_and_company(tmp_path, alice):
    path = write_csv(tmp_path / "a.csv", [
        ["First name", "Last name", "Company", "Mobile", "Email"],
        ["Grace", "Hopper", "Remington Rand", "+1 202 555 0143", "grace@navy.example"],
    ])  # fmt: skip

    run(path, alice)

    def found(text: str) -> list[str]:
        return sorted(Contact.objects.filter(search_q(text)).values_list("display_name", flat=True))

    assert found("hopper") == ["Grace Hopper"]
    assert found("5550143") == ["Grace Hopper"]
    assert found("navy.example") == ["Grace Hopper"]
    assert found("remington") == ["Grace Hopper", "Remington Rand"]


def index_rows() -> list[tuple[int, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, doc, digits FROM {SEARCH_TABLE} ORDER BY rowid")
        return cursor.fetchall()


def test_the_search_index_an_import_writes_is_the_one_a_rebuild_writes(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 3)  # companies and their persons in different chunks
    Contact.objects.create(is_company=True, name="Old Firm")
    path = write_csv(tmp_path / "a.csv", [
        ["Kind", "Name", "First name", "Last name", "Company", "Job title", "Phone", "Phone 2", "Email", "Website",
         "Skype"],
        ["company", "Remington Rand", "", "", "", "", "+1 202 555 0100", "", "info@rr.example", "rr.example", ""],
        ["person", "", "Grace", "Hopper", "Remington Rand", "Rear  admiral", "+1 202 555 0143", "(202) 555-0144",
         "grace@navy.example", "", "grace.hopper"],
        ["person", "", "Ada", "Lovelace", "Old Firm", "", "", "", "", "", ""],
        ["person", "", "Alan", "Turing", "New Firm", "", "020 7946 0018", "", "alan@example.com", "", ""],
        ["company", "Bare", "", "", "", "", "", "", "", "", ""],
    ])  # fmt: skip

    run(path, alice)
    imported = index_rows()
    search_rebuild()

    assert imported == index_rows() and len(imported) == Contact.objects.count() == 6


def test_the_search_triggers_work_again_after_an_import(tmp_path, alice):
    run(write_csv(tmp_path / "a.csv", [["First name", "Last name"], ["Grace", "Hopper"]]), alice)
    grace = Contact.objects.get()

    ContactItem.objects.create(contact=grace, kind="email", value="grace@navy.example")
    Contact.objects.create(first_name="Alan", last_name="Turing")

    assert list(Contact.objects.filter(search_q("navy")).values_list("last_name", flat=True)) == ["Hopper"]
    assert list(Contact.objects.filter(search_q("turing")).values_list("last_name", flat=True)) == ["Turing"]


def test_each_contact_gets_an_imported_entry_in_its_history_on_the_import_channel(tmp_path, alice):
    path = write_csv(tmp_path / "a.csv", [["Name", "Company"], ["Ada Lovelace", "Acme"], ["Alan Turing", "Acme"]])

    run(path, alice)

    changes = ContactChange.objects.order_by("contact__display_name")
    assert [(c.contact.display_name, c.action, c.channel, c.user, c.changes) for c in changes] == [
        ("Acme", "imported", "import", alice, {}),
        ("Ada Lovelace", "imported", "import", alice, {}),
        ("Alan Turing", "imported", "import", alice, {}),
    ]
    assert all(abs((timezone.now() - c.at).total_seconds()) < 60 for c in changes)


@pytest.mark.parametrize(("chunk", "created", "companies"), [(2000, 4, 0), (2, 3, 1)])
def test_a_persons_company_is_found_by_name_or_made_once_and_filled_by_a_later_company_row(
    tmp_path, alice, make_contact, monkeypatch, chunk, created, companies
):
    monkeypatch.setattr(import_running, "CHUNK", chunk)
    globex = make_contact(is_company=True, name="Globex")
    path = write_csv(tmp_path / "a.csv", [
        ["Kind", "First name", "Last name", "Company name", "Company", "Industry"],
        ["person", "Ada", "Lovelace", "", "acme", ""],
        ["person", "Hank", "Scorpio", "", "GLOBEX", ""],
        ["company", "", "", "Acme", "", "Engines"],
        ["person", "Alan", "Turing", "", "Acme", ""],
    ])  # fmt: skip

    summary = run(path, alice)

    acme = Contact.objects.get(is_company=True, name__iexact="acme")
    assert (summary.created, summary.companies, summary.updated) == (created, companies, 0)
    assert acme.industry == "Engines"
    assert Contact.objects.filter(is_company=True).count() == 2
    assert {p.first_name: p.company for p in Contact.objects.filter(is_company=False)} == {
        "Ada": acme, "Hank": globex, "Alan": acme,
    }  # fmt: skip


def test_update_mode_matches_by_email_and_changes_only_what_the_row_gives(tmp_path, alice, make_contact):
    ada = make_contact(first_name="Ada", last_name="Byron", job_title="Countess",
                       items=[{"kind": "email", "value": "Ada@Example.com"}], tags=["old"])  # fmt: skip
    path = write_csv(tmp_path / "a.csv", [
        ["First name", "Last name", "Email", "Phone", "Job title", "Tags"],
        ["Ada", "Lovelace", "ada@example.com", "+44 20 7946 0018", "", "new"],
        ["Alan", "Turing", "alan@example.com", "", "", ""],
    ])  # fmt: skip

    summary = run(path, alice, update_existing=True)

    ada.refresh_from_db()
    assert (summary.created, summary.updated) == (1, 1)
    assert (ada.display_name, ada.job_title) == ("Ada Lovelace", "Countess")
    assert [(i.kind, i.value) for i in ada.items.all()] == [("email", "Ada@Example.com"), ("tel", "+44 20 7946 0018")]
    assert sorted(ada.tags.names()) == ["new", "old"]
    assert Contact.objects.filter(last_name="Lovelace").count() == 1
    assert Contact.objects.filter(search_q("lovelace")).get() == ada


def test_update_mode_matches_by_a_chosen_column_such_as_id(tmp_path, alice, bob, make_contact):
    ada = make_contact(first_name="Ada", last_name="Byron")
    hidden = make_contact(first_name="Hidden", last_name="Person", user=bob, projects=[], visibility="private")
    path = write_csv(tmp_path / "a.csv", [
        ["ID", "First name", "Last name"], [ada.pk, "Ada", "Lovelace"], [hidden.pk, "Not", "Yours"],
        ["999999", "New", "One"],
    ])  # fmt: skip
    source = source_open(path)

    summary = import_run(source=source, targets=default_targets(source), user=alice, update_existing=True,
                         match_target="id")  # fmt: skip

    ada.refresh_from_db()
    hidden.refresh_from_db()
    assert (summary.updated, summary.created) == (1, 2)
    assert ada.last_name == "Lovelace"
    assert hidden.last_name == "Person"  # alice cannot see it: the row makes a new contact instead
    assert Contact.objects.filter(first_name="Not", author=alice).exists()


def test_update_mode_refuses_a_row_that_matches_two_contacts(tmp_path, alice, make_contact):
    for last in ("One", "Two"):
        make_contact(first_name="Twin", last_name=last, items=[{"kind": "email", "value": "twin@example.com"}])
    path = write_csv(tmp_path / "a.csv", [["First name", "Email 1"], ["Twin", "twin@example.com"]])

    summary = run(path, alice, update_existing=True)

    assert (summary.updated, summary.created, summary.rejected) == (0, 0, 1)
    assert summary.errors == [{"row": 2, "column": "Email 1", "message": "Matches 2 contacts: update them by ID."}]


def test_a_dry_run_checks_and_counts_but_writes_nothing(tmp_path, alice):
    path = write_csv(tmp_path / "a.csv", [["Name", "Company", "Tags", "Type"], ["Ada Lovelace", "Acme", "vip", "Muse"]])

    summary = run(path, alice, dry_run=True)

    assert (summary.created, summary.companies, summary.dry_run) == (1, 1, True)
    assert not Contact.objects.exists() and not ContactChange.objects.exists()
    assert not ContactType.objects.filter(name__iexact="muse").exists()


def test_unknown_types_and_stages_are_added_and_required_custom_fields_checked(tmp_path, alice):
    required = CustomField.objects.create(name="Source", is_required=True, applies_to="persons")
    CustomField.objects.create(name="Tier", default="gold", applies_to="both")
    path = write_csv(tmp_path / "a.csv", [
        ["Name", "Type", "Stage", "Custom: Source"], ["Ada Lovelace", "Key account", "Hot lead", "fair"],
        ["Alan Turing", "client", "Hot lead", ""],
    ])  # fmt: skip

    summary = run(path, alice)

    ada = Contact.objects.get(last_name="Lovelace")
    assert (ada.contact_type.code, ada.stage.name) == ("key-account", "Hot lead")
    assert dict(ada.custom_values.values_list("field__name", "value")) == {"Source": "fair", "Tier": "gold"}
    assert ContactStage.objects.filter(name="Hot lead").count() == 1
    assert summary.errors == [{"row": 3, "column": f"Custom: {required.name}", "message": "Source cannot be blank."}]


def test_a_chunk_costs_the_same_queries_for_few_or_many_rows(tmp_path, alice, project, license_field, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 10_000)

    def file_of(count: int) -> Path:
        rows = [["First name", "Last name", "Email", "Phone", "Company", "Tags", "Projects", "City", "License"]]
        rows += [[f"P{n}", "Doe", f"p{n}@example.com", f"+1 202 555 {n:04d}", f"Firm {n % 3}", "vip; new",
                  "support", "Paris", "Pro"] for n in range(count)]  # fmt: skip
        return write_csv(tmp_path / f"rows-{count}.csv", rows)

    run(file_of(3), alice)  # tags and companies exist from here on: both runs below find them alike
    counts = []
    for count in (120, 360):
        with CaptureQueriesContext(connection) as captured:
            run(file_of(count), alice)
        counts.append(len(captured.captured_queries))

    # Each table (the history's too) is written by one executemany of 100-row statements and one
    # statement for the rest; on SQLite, the search index's insert triggers are read once, dropped and
    # made again, the chunk's documents (after one read of the names of the companies the chunk does
    # not hold, and a delete) written like a table's rows, and the page cache set and reset; on
    # PostgreSQL, the insert triggers are asked to stand aside and back, and the chunk's documents
    # deleted and written by one statement each.
    assert counts[0] == counts[1] <= (39 if connection.vendor == "sqlite" else 24)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite connection setting")
def test_an_import_on_sqlite_has_a_large_page_cache_and_gives_the_connection_its_own_back(tmp_path, alice):
    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before, during = cache_size(), []
    path = write_csv(tmp_path / "a.csv", [["First name", "Last name"], ["Grace", "Hopper"]])

    run(path, alice, progress=lambda done, total: during.append(cache_size()))

    assert during[0] == before  # the call before the import starts
    assert set(during[1:]) == {-import_tables.SQLITE_IMPORT_CACHE_KIB} != {before}
    assert cache_size() == before


def test_thousands_of_rows_are_written_in_one_chunk_of_queries(tmp_path, alice, django_assert_max_num_queries):
    def file_of(count: int) -> Path:
        rows = [["First name", "Last name", "Email", "Phone", "Website", "City"]]
        rows += [[f"P{n}", "Doe", f"p{n}@example.com", f"+1 202 555 {n:04d}", f"p{n}.example.com", "Paris"]
                 for n in range(count)]  # fmt: skip
        return write_csv(tmp_path / f"rows-{count}.csv", rows)

    with CaptureQueriesContext(connection) as few:
        run(file_of(10), alice)
    with django_assert_max_num_queries(len(few.captured_queries) + 4):  # executemany counts once per table
        summary = run(file_of(4500), alice)

    assert summary.created == 4500 and summary.rejected == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite order of a chunk's inserts")
def test_on_sqlite_a_chunks_contacts_go_in_before_their_items(tmp_path, alice):
    path = write_csv(tmp_path / "a.csv", [["First name", "Last name", "Email"], ["Grace", "Hopper", "g@example.com"]])

    with CaptureQueriesContext(connection) as captured:
        summary = run(path, alice)

    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT INTO")]
    tables = [sql.split()[2].strip('"') for sql in inserts]
    assert tables.index("contacts_contact") < tables.index("contacts_contactitem")
    assert summary.created == 1
    contact = Contact.objects.get(last_name="Hopper")
    assert [item.normalized for item in contact.items.all()] == ["g@example.com"]


def test_a_chunks_items_go_in_by_kind_and_value_and_read_back_in_their_column_order(tmp_path, alice):
    path = write_csv(tmp_path / "a.csv", [
        ["First name", "Last name", "Phone 1", "Phone 2", "Email 1"],
        ["Grace", "Hopper", "+1 202 555 0199", "+1 202 555 0100", "grace@navy.example"],
        ["Alan", "Turing", "+1 202 555 0150", "", "alan@example.com"],
    ])  # fmt: skip

    run(path, alice)

    written = list(ContactItem.objects.order_by("pk").values_list("kind", "normalized"))
    assert written == sorted(written)
    grace = Contact.objects.get(last_name="Hopper")
    assert [(i.kind, i.normalized, i.position) for i in grace.items.all()] == [
        ("tel", "+12025550199", 0), ("tel", "+12025550100", 1), ("email", "grace@navy.example", 2),
    ]  # fmt: skip
    assert list(Contact.objects.filter(search_q("2025550100")).values_list("last_name", flat=True)) == ["Hopper"]


def test_a_chunks_contacts_get_random_uuids_handed_out_in_their_order(tmp_path, alice):
    path = write_csv(tmp_path / "a.csv", [["Name", "Company"], *[[f"Person {n}", "Acme"] for n in range(30)]])

    run(path, alice)

    uuids = [contact.uuid for contact in Contact.objects.order_by("pk")]
    assert len(uuids) == len(set(uuids)) == 31 and {u.version for u in uuids} == {4}
    assert uuids == sorted(uuids)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's deferred search documents")
def test_a_chunk_that_fails_leaves_the_search_triggers_on_for_the_rest_of_the_transaction(tmp_path, alice, monkeypatch):
    insert_rows = import_writing.insert_rows

    def failing(model: Any, columns: list[str], rows: list[tuple]) -> None:
        if model is ContactItem:  # a statement the database refuses: the transaction is aborted
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")
        insert_rows(model, columns, rows)

    monkeypatch.setattr(import_writing, "insert_rows", failing)
    path = write_csv(tmp_path / "a.csv", [["First name", "Last name", "Email"], ["Grace", "Hopper", "g@example.com"]])

    with pytest.raises(DataError, match="division by zero"):
        run(path, alice)
    alan = Contact.objects.create(first_name="Alan", last_name="Turing")

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('contacts.search_deferred', true)")
        assert cursor.fetchone()[0] != "on"
    assert list(Contact.objects.filter(search_q("turing"))) == [alan]
    assert not Contact.objects.filter(last_name="Hopper").exists()
