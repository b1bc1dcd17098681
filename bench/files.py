"""Contacts out and in as files: CSV and vCard exports (rows per second, peak memory) and the
import of a CSV through the bulk path (`bench/importing.py` writes the file), whose contacts are
taken out again afterwards.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.measure import Table


def measure_exports(table: Table, user: Any, rows: int) -> None:
    """CSV and vCard of `rows` visible contacts: rows per second, then peak memory.

    The timed run is untraced; a second run traces allocations (tracing slows it several times
    over) and reads the peak after every chunk: the peak after the first tenth of the rows against
    the peak over all of them shows whether memory grows with the export (it must not).
    """
    from contacts.exporters import iter_csv, iter_vcard
    from contacts.selectors import contact_list

    visible = contact_list(user=user, prefetch=False).order_by("pk").values_list("pk", flat=True)
    last = visible[rows - 1 : rows].first() if rows else None
    contacts = contact_list(user=user).filter(pk__lte=last or 0)
    goals = {"csv": (20000, ">= 20k rows/s"), "vcard": (10000, ">= 10k rows/s")}
    for name, export in (("csv", iter_csv), ("vcard", iter_vcard)):
        start, cpu = time.perf_counter(), time.process_time()
        size = sum(map(len, export(contacts, user=user)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rate = rows / seconds if seconds else 0.0
        floor, goal = goals[name]
        table.add(f"{name} export of {rows:,} contacts",
                  f"{seconds:.1f} s (CPU {cpu:.1f} s), {rate:,.0f} rows/s, {size >> 20} MiB", goal,
                  rate >= floor)  # fmt: skip
        early = [0]

        def progress(done: int, early: list[int] = early) -> None:
            if done <= max(rows // 10, 1):
                early[0] = tracemalloc.get_traced_memory()[1]

        tracemalloc.start()
        for _ in export(contacts, user=user, progress=progress):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        first = early[0] or peak
        table.add(f"{name} export peak memory, first {max(rows // 10, 1):,} / all {rows:,} rows",
                  f"{first / 2**20:.1f} / {peak / 2**20:.1f} MiB", "flat (<= 1.5x)", peak <= 1.5 * first)  # fmt: skip


def measure_import(table: Table, user: Any, contacts: int) -> None:
    """Import a CSV of `contacts` rows (four items each) through the bulk path, then take them out again."""
    import tempfile

    from django.db import connection

    from bench.importing import write_import_file
    from contacts.importers import default_targets, import_run, source_open
    from contacts.models import Contact

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        items = write_import_file(path, contacts)
        top = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        source = source_open(path)
        start, cpu, worker = time.perf_counter(), time.process_time(), _children_cpu()
        summary = import_run(source=source, targets=default_targets(source), user=user)
        seconds, cpu, worker = time.perf_counter() - start, time.process_time() - cpu, _children_cpu() - worker
    goal = 15 if connection.vendor == "sqlite" else 10
    per_100k = seconds * 100_000 / contacts
    # The CPU time of this process (on SQLite, the database's work too) tells a busy machine from a slow
    # import; the worker's (reading and checking the rows, beside it) is its own figure.
    table.add(f"import of {contacts:,} contacts with {items:,} items (CSV)",
              f"{seconds:.1f} s ({per_100k:.1f} s per 100k, CPU {cpu:.1f} s + worker {worker:.1f} s,"
              f" {summary.rejected} rejected)",
              f"100k in <= {goal} s", per_100k <= goal and summary.created == contacts)  # fmt: skip
    _delete_contacts_after(top)


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the import's worker once it is joined)."""
    times = os.times()
    return times.children_user + times.children_system


def _delete_contacts_after(top: int) -> None:
    """Delete the contacts with ids above `top` and every row pointing at them, in plain SQL (the
    search triggers drop their documents). The contacts go first (foreign keys are checked at
    commit): their items' delete triggers then find no contact whose document they would rebuild."""
    from django.db import connection, transaction

    from contacts.models import Contact

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM contacts_contact WHERE id > %s", [top])
        cursor.execute("UPDATE contacts_contact SET company_id = NULL WHERE company_id > %s", [top])
        for field in Contact._meta.many_to_many:
            through = field.remote_field.through._meta.db_table
            cursor.execute(f"DELETE FROM {quote(through)} WHERE {quote(field.m2m_column_name())} > %s", [top])
        for relation in Contact._meta.related_objects:
            if relation.related_model is Contact or relation.many_to_many:
                continue
            table_name = relation.related_model._meta.db_table
            cursor.execute(f"DELETE FROM {quote(table_name)} WHERE {quote(relation.field.column)} > %s", [top])
