"""An import checked in a worker process: the same result as one checked by the writer, and failures that end it."""

from __future__ import annotations

import csv
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from contacts.importers import default_targets, import_run, source_open
from contacts.importers import running as import_running
from contacts.importers.rows import RowPreparer
from contacts.importers.writing import BulkWriter
from contacts.jobs import job_start
from contacts.models import (
    Address,
    Contact,
    ContactChange,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Job,
    TaggedContact,
)
from contacts.search import SEARCH_TABLE
from contacts.tasks import contacts_import

pytestmark = pytest.mark.django_db

HEADERS = ["Kind", "First name", "Last name", "Company name", "Company", "Email", "Phone", "Type", "Stage", "Tags",
           "Address 1 city", "Address 1 country", "Custom: Source"]  # fmt: skip


def person(
    first: str, last: str, *, company: str = "", email: str = "", phone: str = "", kind: str = "person",
    type_: str = "", stage: str = "", tags: str = "", country: str = "", source: str = "web",
) -> list[str]:  # fmt: skip
    city = "Paris" if country else ""
    return [kind, first, last, "", company, email, phone, type_, stage, tags, city, country, source]


def company(name: str, *, type_: str = "", stage: str = "") -> list[str]:
    return ["company", "", "", name, "", "", "", type_, stage, "", "", "", ""]


ROWS = [
    person("Ada", "Lovelace", company="Analytical", email="ada@example.com", phone="+44 20 7946 0018", tags="vip"),
    person("Alan", "Turing", email="not-an-email", phone="no digits"),
    company("Analytical", type_="Key account"),
    person("Grace", "Hopper", company="Navy", type_="Key account", stage="Hot lead", tags="vip; navy"),
    person("", "", email="nobody@example.com"),
    person("Carl", "Gauss", type_="Key account", country="Germany", source=""),  # the required custom value
    person("Emmy", "Noether", stage="x" * 120),  # a stage name too long to add
    person("Kurt", "Gödel", type_="client", stage="Hot lead", country="Atlantis"),
    company("Navy", stage="Cold"),
    person("Hedy", "Lamarr", email="hedy@example.com", stage="x" * 120, tags="inventor"),
    person("Edsger", "Dijkstra", company="Analytical", phone="+31 20 555 0101", type_="Press office"),
    person("Barbara", "Liskov", company="MIT", email="barbara@example.com", stage="Warm"),
    person("Donald", "Knuth", type_="Press office", stage="Warm", country="US"),
    person("Frances", "Allen", kind="robot"),
    person("Tim", "Berners-Lee", email="tim@example.com", phone="+44 20 7946 0999", tags="web; vip"),
]


def write_file(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADERS, *rows])
    return path


def snapshot(summary: Any) -> dict[str, Any]:
    """Everything an import leaves, with contact ids as their rank (a rolled-back PostgreSQL sequence
    does not give its numbers back)."""
    ranks = {pk: rank for rank, pk in enumerate(Contact.objects.order_by("pk").values_list("pk", flat=True))}
    left_out = ("id", "uuid", "created_at", "updated_at", "company")
    named = {"contact_type_id": "contact_type__code", "stage_id": "stage__name"}  # new ones: other ids on PostgreSQL
    contact_fields = [named.get(f.attname, f.attname) for f in Contact._meta.concrete_fields if f.name not in left_out]
    contacts = [
        (ranks.get(company_id), *values)
        for company_id, *values in Contact.objects.order_by("pk").values_list("company_id", *contact_fields)
    ]

    def children(queryset: Any, column: str, *names: str) -> list[tuple]:
        return [(ranks[pk], *rest) for pk, *rest in queryset.order_by("pk").values_list(column, *names)]

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, doc, digits FROM {SEARCH_TABLE} ORDER BY rowid")
        documents = [(ranks[rowid], doc, digits) for rowid, doc, digits in cursor.fetchall()]
        cursor.execute("SELECT visibility, in_trash, SUM(contacts) FROM contacts_contactcount"
                       " GROUP BY visibility, in_trash ORDER BY visibility, in_trash")  # fmt: skip
        counts = [(visibility, bool(in_trash), int(total)) for visibility, in_trash, total in cursor.fetchall()]
    rejected = []
    if summary.rejected_path is not None:
        with open(summary.rejected_path, encoding="utf-8-sig", newline="") as handle:
            rejected = list(csv.reader(handle))
    return {
        "summary": (summary.rows, summary.created, summary.updated, summary.companies, summary.rejected),
        "errors": summary.errors,
        "rejected": rejected,
        "contacts": contacts,
        "items": children(
            ContactItem.objects,
            "contact_id",
            "kind",
            "tel_type",
            "context",
            "service",
            "value",
            "normalized",
            "is_primary",
            "position",
        ),  # fmt: skip
        "addresses": children(Address.objects, "contact_id", "city", "country", "context", "position"),
        "tags": children(TaggedContact.objects, "content_object_id", "tag__name"),
        "projects": children(Contact.projects.through.objects, "contact_id", "project_id"),
        "custom": children(CustomValue.objects, "contact_id", "field_id", "value"),
        "history": children(ContactChange.objects, "contact_id", "user_id", "channel", "action", "changes"),
        "documents": documents,
        "counts": counts,
        "types": list(ContactType.objects.order_by("pk").values_list("code", "name")),
        "stages": list(ContactStage.objects.order_by("pk").values_list("name", flat=True)),
    }


def run(path: Path, user: Any, **options: Any) -> Any:
    source = source_open(path)
    return import_run(source=source, targets=default_targets(source), user=user, **options)


@pytest.fixture
def worker_pids(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file each process that checks a row writes its pid to."""
    pids = tmp_path / "pids.txt"
    prepare = RowPreparer.prepare

    def prepare_and_tell(self: RowPreparer, number: int, values: Any) -> Any:
        with open(pids, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return prepare(self, number, values)

    monkeypatch.setattr(RowPreparer, "prepare", prepare_and_tell)
    return pids


def checking_pids(pids: Path) -> set[int]:
    found = {int(line) for line in pids.read_text().split()} if pids.exists() else set()
    pids.unlink(missing_ok=True)
    return found


@pytest.mark.parametrize("update_existing", [False, True])
def test_rows_checked_in_a_worker_give_what_rows_checked_by_the_writer_give(
    tmp_path, alice, project, make_contact, monkeypatch, worker_pids, update_existing
):
    make_contact(first_name="Hedy", last_name="Kiesler", items=[{"kind": "email", "value": "hedy@example.com"}])
    make_contact(first_name="Tim", last_name="BL", items=[{"kind": "email", "value": "TIM@example.com"}])
    CustomField.objects.create(name="Source", is_required=True, applies_to="persons")
    path = write_file(tmp_path / "people.csv", ROWS)
    monkeypatch.setattr(import_running, "CHUNK", 4)
    options = {"projects": [project.pk], "update_existing": update_existing}

    monkeypatch.setattr(import_running, "PARALLEL", False)
    with transaction.atomic():
        serial = snapshot(run(path, alice, **options))
        transaction.set_rollback(True)
    assert checking_pids(worker_pids) == {os.getpid()}
    monkeypatch.setattr(import_running, "PARALLEL", True)
    parallel = snapshot(run(path, alice, **options))

    assert os.getpid() in checking_pids(worker_pids)  # the rows naming a new type or stage
    assert parallel == serial
    assert parallel["summary"][1:] == ((7, 0, 2, 7) if not update_existing else (6, 1, 2, 7))
    assert [error["row"] for error in parallel["errors"]] == [3, 3, 6, 8, 9, 7, 11, 15]
    assert parallel["stages"][-1:] == ["Hot lead"]  # the one new stage, added once
    assert ("press-office", "Press office") in parallel["types"]


def test_the_rows_are_checked_in_another_process(tmp_path, alice, monkeypatch, worker_pids):
    monkeypatch.setattr(import_running, "CHUNK", 3)
    path = write_file(tmp_path / "people.csv", [person(f"P{n}", "Person", source="") for n in range(10)])

    summary = run(path, alice)

    pids = checking_pids(worker_pids)
    assert summary.created == 10
    assert len(pids) == 1 and os.getpid() not in pids


def test_a_file_of_one_chunk_is_checked_by_the_writer_itself(tmp_path, alice, worker_pids):
    path = write_file(tmp_path / "people.csv", [person(f"P{n}", "Person") for n in range(10)])

    assert run(path, alice).created == 10
    assert checking_pids(worker_pids) == {os.getpid()}


def test_progress_rises_chunk_by_chunk_to_the_total(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 3)
    path = write_file(tmp_path / "people.csv", ROWS)
    seen: list[tuple[int, int]] = []

    run(path, alice, progress=lambda done, total: seen.append((done, total)))

    assert seen == [(0, 15), (3, 15), (6, 15), (9, 15), (12, 15), (15, 15)]


def test_a_dry_run_checked_in_a_worker_writes_nothing(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 3)
    path = write_file(tmp_path / "people.csv", ROWS)

    summary = run(path, alice, dry_run=True)

    assert (summary.created, summary.rejected, summary.dry_run) == (8, 6, True)
    assert not Contact.objects.exists() and not ContactChange.objects.exists()
    assert not ContactType.objects.filter(code="press-office").exists()


def failing_in_worker(monkeypatch: pytest.MonkeyPatch, failure: Any) -> None:
    """Make RowPreparer.prepare call `failure` at the fifth row, in the worker only."""
    parent = os.getpid()
    prepare = RowPreparer.prepare

    def prepare_or_fail(self: RowPreparer, number: int, values: Any) -> Any:
        if os.getpid() != parent and number == 6:
            failure()
        return prepare(self, number, values)

    monkeypatch.setattr(RowPreparer, "prepare", prepare_or_fail)


def test_an_error_in_the_worker_fails_the_import_with_that_error(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 2)
    path = write_file(tmp_path / "people.csv", ROWS)

    def fail() -> None:
        raise ValueError("The checks broke down.")

    failing_in_worker(monkeypatch, fail)

    with pytest.raises(ValueError, match="The checks broke down."):
        run(path, alice)
    # The chunks before the failing row are written (rows 2 to 5: two persons, two companies).
    assert sorted(Contact.objects.values_list("display_name", flat=True)) == [
        "Ada Lovelace",
        "Analytical",
        "Grace Hopper",
        "Navy",
    ]


def test_a_worker_that_dies_fails_the_job_with_its_exit_code(tmp_path, alice, monkeypatch, settings):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(import_running, "CHUNK", 2)
    name = default_storage.save("imports/people.csv", ContentFile(write_file(tmp_path / "p.csv", ROWS).read_bytes()))
    failing_in_worker(monkeypatch, lambda: os._exit(3))

    params = {"file": name, "user": alice.pk, "targets": default_targets(source_open(tmp_path / "p.csv"))}

    job = job_start(user=alice, kind=Job.Kind.IMPORT, title="Import", task=contacts_import, params=params)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The process checking the rows stopped before the end (exit code 3)."
    assert (job.done, job.total) == (4, 15)


def test_the_worker_may_not_use_the_database(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 2)
    path = write_file(tmp_path / "people.csv", ROWS)
    failing_in_worker(monkeypatch, lambda: Contact.objects.count())

    with pytest.raises(import_running.ImportWorkerError, match="may not use the database"):
        run(path, alice)


def test_an_import_stopped_in_the_writer_stops_its_worker(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(import_running, "CHUNK", 2)
    path = write_file(tmp_path / "people.csv", ROWS)
    write = BulkWriter.write
    chunks = []

    def write_then_stop(self: BulkWriter, rows: Any) -> Any:
        chunks.append(len(rows))
        if len(chunks) == 2:
            raise KeyboardInterrupt  # what Ctrl-C raises in the command
        return write(self, rows)

    monkeypatch.setattr(BulkWriter, "write", write_then_stop)

    with pytest.raises(KeyboardInterrupt):
        run(path, alice)
    assert multiprocessing.active_children() == []
    assert len(chunks) == 2
