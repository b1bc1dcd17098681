"""Running an import: records read from the file, checked, written a chunk at a time, errors kept.

`import_run` is what the background task and the command call. Memory stays flat: records are
streamed, a chunk of CHUNK rows is held at a time, rejected rows go straight to a CSV file on disk
(their original cells and an "Error" column) and only the first MAX_LISTED errors are kept for
the summary. Every contact written is recorded in its history as imported, on the import channel.
A dry run does all of it, then rolls everything back.

A file of more than one chunk is read and checked in a second process while this one writes:
the worker (forked, so it starts with the import's lookups already read) streams the records,
checks them with its copy of the RowPreparer and sends each chunk of checked rows through a pipe,
at most one chunk ahead of the writer; SQLite has one writer, and on two cores the checks then
cost the writer no time. The worker never touches the database: a row naming a type or stage
the lists lack (adding one is a write) is sent back unchecked and checked here, in its place, and
the worker learns the new entry for the rows after it. The writer sees the same chunks, rows and
errors in the same order as when it reads the file itself. An error in the worker fails the
import with the worker's exception; a worker that dies fails it with its exit code.
"""

from __future__ import annotations

import csv
import multiprocessing
import pickle
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, nullcontext, suppress
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, transaction

from contacts.history import history_channel
from contacts.importers.mapping import JOINABLE, guess_mapping, mapping_problems, target_parse
from contacts.importers.reading import ImportFileError, Record, Source, source_count, source_records
from contacts.importers.rows import MissingReference, PreparedRow, RowErrors, RowPreparer, labels_of
from contacts.importers.tables import bulk_cache
from contacts.importers.writing import BulkWriter
from contacts.models import Channel, CustomField

CHUNK = 5000
FORMULA_STARTS = frozenset("=+-@\t\r")
MAX_LISTED = 200
PREVIEW_ROWS = 10
MATCHABLE = ("id", "name", "full_name")
PARALLEL = True  # check a file of more than one chunk in a worker process (where the OS can fork)
# A checked row crosses the pipe as a tuple of these fields (a dataclass per row unpickles slowly);
# its cells, needed only if the writer refuses the row, cross as one pickled blob per chunk.
_PACKED = tuple(f.name for f in fields(PreparedRow) if f.name != "cells")
_pack = attrgetter(*_PACKED)


class ImportWorkerError(RuntimeError):
    """The process checking an import's rows stopped without finishing."""


@dataclass
class ImportSummary:
    """What an import did: counts, the first errors, and the CSV of rejected rows (None if none)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    companies: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}
    rejected_path: Path | None = None
    dry_run: bool = False

    def as_result(self) -> dict[str, Any]:
        """The summary as the job page shows it (label → value)."""
        result = {"Rows read": self.rows, "Contacts created": self.created, "Contacts updated": self.updated,
                  "Companies created for persons": self.companies, "Rows rejected": self.rejected}  # fmt: skip
        if self.dry_run:
            result["Dry run"] = "nothing was written"
        return result


@dataclass
class PreviewRow:
    number: int
    cells: list[str]
    errors: list[tuple[str, str]]
    values: dict[str, str]


def default_targets(source: Source) -> list[str]:
    """The guessed mapping of a CSV file (a vCard's properties have their own)."""
    if source.format == "vcard":
        return []
    return guess_mapping(source.headers, custom_fields=CustomField.objects.all()).targets


def check_mapping(source: Source, targets: Sequence[str]) -> list[str]:
    """Problems that stop an import before it starts (none for a vCard file)."""
    if source.format == "vcard":
        return []
    if len(targets) != len(source.headers):
        return ["The mapping does not have one target per column."]
    return mapping_problems(targets, headers=source.headers)


def check_match_target(source: Source, targets: Sequence[str], match_column: str) -> str:
    """The target a --match-column header maps to; ImportFileError when it cannot serve for matching."""
    if not match_column:
        return ""
    headers = [h.strip().lower() for h in source.headers]
    if match_column.strip().lower() not in headers:
        raise ImportFileError(f"The file has no column {match_column!r} to match on.")
    code = targets[headers.index(match_column.strip().lower())].split(":", 1)[0]
    target = target_parse(code) if code else None
    if target is None or not (target.field in MATCHABLE or target.kind in ("email", "tel") or target.custom):
        raise ImportFileError(
            "Contacts can be matched on an ID, email, phone, company name or custom field column,"
            f" not {match_column!r}."
        )
    if target.is_type:
        raise ImportFileError(f"{match_column!r} holds item types: match on the value column.")
    return code


def record_values(source: Source, targets: Sequence[str]) -> Callable[[Record], dict[str, str]]:
    """A function giving a record's values by target (empty cells left out)."""
    if source.format == "vcard":
        return lambda record: record.values
    plan = [(index, code) for index, code in enumerate(targets) if code]

    def values(record: Record) -> dict[str, str]:
        cells = record.cells
        found: dict[str, str] = {}
        for index, code in plan:
            if index < len(cells) and (cell := cells[index].strip()):
                if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
                    cell = cell[1:]  # the quote an export puts before a cell a spreadsheet would run
                if code in found and code in JOINABLE:
                    found[code] += JOINABLE[code] + cell
                else:
                    found[code] = cell
        return found

    return values


def source_labels(source: Source, targets: Sequence[str]) -> dict[str, str]:
    if source.format == "vcard":
        return {}
    return labels_of(zip(targets, source.headers, strict=True))


def import_preview(
    *, source: Source, targets: Sequence[str], user: AbstractBaseUser | None, rows: int = PREVIEW_ROWS
) -> list[PreviewRow]:
    """The first rows as they would be read, each with its errors (nothing is written)."""
    preparer = RowPreparer(user=user, labels=source_labels(source, targets), create_missing=False)
    values_of = record_values(source, targets)
    preview = []
    for record in source_records(source):
        values = values_of(record) if not record.error else {}
        errors = [("", record.error)] if record.error else preparer.prepare(record.number, values)[1]
        preview.append(PreviewRow(number=record.number, cells=record.cells, errors=errors, values=values))
        if len(preview) >= rows:
            break
    return preview


def import_run(
    *,
    source: Source,
    targets: Sequence[str],
    user: AbstractBaseUser | None,
    projects: Sequence[int] = (),
    update_existing: bool = False,
    match_target: str = "",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import every record of the file; see the module docstring."""
    problems = check_mapping(source, targets)
    if problems:
        raise ImportFileError(" ".join(problems))
    total = source_count(source)
    summary = ImportSummary(dry_run=dry_run)
    if progress:
        progress(0, total)
    with history_channel(Channel.IMPORT), bulk_cache(), transaction.atomic() if dry_run else nullcontext():
        preparer = RowPreparer(user=user, labels=source_labels(source, targets), match_target=match_target)
        writer = BulkWriter(
            user=user, preparer=preparer, projects=projects, update_existing=update_existing, match_target=match_target
        )
        parallel = PARALLEL and total > CHUNK and "fork" in multiprocessing.get_all_start_methods()
        checked = _checked_in_worker(source, targets, preparer) if parallel else _chunks(source, targets, preparer)
        with _Rejected(source) as rejected, closing(checked) as chunks:
            for chunk in chunks:
                summary.rows += len(chunk.rows) + len(chunk.failures)
                for record, errors in chunk.failures:
                    rejected.add(summary, record.number, record.cells, errors)
                if chunk.rows:
                    with transaction.atomic():  # the chunk and its history entries: one transaction
                        result = writer.write(list(chunk.rows))  # the writer drops the rows it refuses
                        writer.record_history([*result.companies, *result.created, *result.updated])
                    by_row: dict[int, list[tuple[str, str]]] = {}
                    for number, column, message in result.errors:
                        by_row.setdefault(number, []).append((column, message))
                    cells = chunk.cells() if by_row else {}
                    for number, errors in sorted(by_row.items()):
                        rejected.add(summary, number, cells[number], errors)
                    summary.created += len(result.created)
                    summary.updated += len(result.updated)
                    summary.companies += len(result.companies)
                if progress:
                    progress(summary.rows, total)
            summary.rejected_path = rejected.path
        if dry_run:
            transaction.set_rollback(True)
    return summary


@dataclass
class _Chunk:
    """A chunk of checked rows and the records refused by the checks, both in file order."""

    rows: list[PreparedRow]
    failures: list[tuple[Record, RowErrors]]
    cells_blob: bytes = b""  # the cells of rows checked in the worker, pickled by row number

    def cells(self) -> dict[int, list[str]]:
        """Each row's cells as read, by row number."""
        found = pickle.loads(self.cells_blob) if self.cells_blob else {}  # noqa: S301 (our own worker's)
        found.update((row.number, row.cells) for row in self.rows if row.cells)
        return found


def _checked_records(
    source: Source, targets: Sequence[str], preparer: RowPreparer
) -> Iterator[list[tuple[Record, PreparedRow | None, RowErrors]]]:
    """The file's records read and checked, CHUNK at a time, in file order: each with its row (its
    cells kept), or with None and the errors that refused it. A record the preparer leaves to the
    writing process (`MissingReference`, in a worker) comes with None and no errors."""
    values_of = record_values(source, targets)
    chunk: list[tuple[Record, PreparedRow | None, RowErrors]] = []
    for record in source_records(source):
        if record.error:
            chunk.append((record, None, [("", record.error)]))
        else:
            try:
                row, errors = preparer.prepare(record.number, values_of(record))
            except MissingReference:
                row, errors = None, []
            if row is not None:
                row.cells = record.cells
            chunk.append((record, row, errors))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _chunks(source: Source, targets: Sequence[str], preparer: RowPreparer) -> Iterator[_Chunk]:
    """The chunks of checked rows, checked in this process."""
    for checked in _checked_records(source, targets, preparer):
        rows = [row for _, row, _ in checked if row is not None]
        yield _Chunk(rows, [(record, errors) for record, row, errors in checked if row is None])


def _checked_in_worker(source: Source, targets: Sequence[str], preparer: RowPreparer) -> Iterator[_Chunk]:
    """The chunks `_chunks` gives, checked in a forked worker process (see the module docstring)."""
    context = multiprocessing.get_context("fork")
    rows_in, rows_out = context.Pipe(duplex=False)
    learned_in, learned_out = context.Pipe(duplex=False)
    sys.stdout.flush()  # the worker would otherwise write out a copy of what is buffered
    sys.stderr.flush()
    worker = context.Process(
        target=_check_rows,
        args=(source, targets, preparer, rows_out, learned_in, (rows_in, learned_out)),
        name="import-rows",
        daemon=not multiprocessing.current_process().daemon,
    )
    worker.start()
    rows_out.close()
    learned_in.close()
    values_of = record_values(source, targets)
    try:
        while True:
            try:
                message = rows_in.recv()
            except EOFError:
                worker.join(timeout=10)
                raise ImportWorkerError(
                    f"The process checking the rows stopped before the end (exit code {worker.exitcode})."
                ) from None
            if message[0] == "done":
                break
            if message[0] == "error":
                raise message[1] from ImportWorkerError(message[2])
            _, packed, deferred, failures, cells_blob = message
            rows: list[PreparedRow] = []
            waiting = iter(deferred)
            for values in packed:
                if values is None:  # a row the worker left to this process (see RowPreparer.defer_missing)
                    record = next(waiting)
                    row, errors = preparer.prepare(record.number, values_of(record))
                    if row is None:
                        failures.append((record, errors))
                        continue
                    row.cells = record.cells
                else:
                    row = PreparedRow(*values)
                rows.append(row)
            if deferred:
                failures.sort(key=lambda failure: failure[0].number)
                with suppress(OSError):  # the worker has finished (or died: the next recv tells)
                    learned_out.send((preparer.types, preparer.stages))
            yield _Chunk(rows, failures, cells_blob)
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()
        rows_in.close()
        learned_out.close()


def _check_rows(
    source: Source, targets: Sequence[str], preparer: RowPreparer, rows_out: Any, learned_in: Any, inherited: tuple
) -> None:
    """The worker: records read and checked, a chunk at a time, sent to the writing process."""
    for end in inherited:  # the writer's ends: the pipe breaks when the writer goes
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle: it stops the worker
    for alias in connections:
        connections[alias].execute_wrappers.append(_no_queries)
    preparer.defer_missing = True
    try:
        for checked in _checked_records(source, targets, preparer):
            packed: list[tuple | None] = []
            deferred: list[Record] = []
            failures: list[tuple[Record, RowErrors]] = []
            cells: dict[int, list[str]] = {}
            for record, row, errors in checked:
                if row is not None:
                    packed.append(_pack(row))
                    cells[record.number] = record.cells
                elif errors:
                    failures.append((record, errors))
                else:  # left to the writer, which learns the missing entry and tells this process
                    packed.append(None)
                    deferred.append(record)
            _send_chunk(rows_out, packed, deferred, failures, cells)
            while learned_in.poll():
                types, stages = learned_in.recv()
                preparer.types.update(types)
                preparer.stages.update(stages)
        rows_out.send(("done",))
    except Exception as exc:  # noqa: BLE001 (any error ends the import, in the writer, with its message)
        trace = traceback.format_exc()
        try:
            rows_out.send(("error", exc, trace))
        except Exception:  # noqa: BLE001 (an exception that does not pickle)
            rows_out.send(("error", ImportWorkerError(str(exc) or exc.__class__.__name__), trace))


def _send_chunk(rows_out: Any, packed: list, deferred: list, failures: list, cells: dict[int, list[str]]) -> None:
    rows_out.send(("chunk", packed, deferred, failures, pickle.dumps(cells, protocol=pickle.HIGHEST_PROTOCOL)))


def _no_queries(*args: Any) -> None:
    raise ImportWorkerError("The process checking import rows may not use the database.")


class _Rejected:
    """The CSV of rejected rows, opened at the first one: the file's columns and an "Error" column."""

    def __init__(self, source: Source) -> None:
        self.headers = source.headers if source.format == "csv" else ["vCard"]
        self.path: Path | None = None
        self.handle: Any = None
        self.writer: Any = None

    def __enter__(self) -> _Rejected:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def add(self, summary: ImportSummary, number: int, cells: list[str], errors: list[tuple[str, str]]) -> None:
        summary.rejected += 1
        for column, message in errors:
            if len(summary.errors) < MAX_LISTED:
                summary.errors.append({"row": number, "column": column, "message": message})
        if self.writer is None:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed by __exit__)
                "w", encoding="utf-8-sig", newline="", suffix=".csv", prefix="rejected-", delete=False
            )
            self.handle, self.path = handle, Path(handle.name)
            self.writer = csv.writer(handle)
            self.writer.writerow([*self.headers, "Error"])
        text = "; ".join(f"{column}: {message}" if column else message for column, message in errors)
        padded = list(cells) + [""] * (len(self.headers) - len(cells))
        self.writer.writerow([*padded, text])
