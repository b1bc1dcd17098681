"""Load a realistic demo data set: users, projects, companies, persons and their data.

Idempotent: users, projects, tags and custom fields are fetched or created, and
contacts are topped up to the number asked for (`--contacts`, default 300), so
running it twice changes nothing. Large sets for benchmarks are written as plain
tuples (no model instance per row), with multi-row INSERTs and one commit per batch on
SQLite, with COPY on PostgreSQL: a million contacts take a few minutes on either (a large
load builds the indexes, the search index among them, once at the end).
"""

from __future__ import annotations

import hashlib
import operator
import random
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import chain
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from contacts.counts import counts_rebuild
from contacts.models import (
    Address,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Note,
    Tag,
    TaggedContact,
    Visibility,
)
from contacts.search import SEARCH_TABLE, search_rebuild
from contacts.services import apikey_get_or_create
from projects.models import Membership, Project
from projects.services import membership_set

User = get_user_model()
BATCH = 2000
DEMO_NAMESPACE = uuid.UUID("6f1c7a8e-3b7d-4d8e-9f51-2a0c4b6d8e10")
DEMO_NAMESPACE_BYTES = DEMO_NAMESPACE.bytes

FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Irene",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Walter",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Marta",
    "Lukas",
    "Ines",
    "Omar",
    "Julia",
    "Theo",
    "Nadia",
    "Emil",
    "Sofia",
    "Marco",
    "Lea",
    "Ivan",
]
LAST = [
    "Schmidt",
    "Rossi",
    "Dubois",
    "Novak",
    "Jensen",
    "Garcia",
    "Kowalski",
    "Silva",
    "Moreau",
    "Fischer",
    "Bauer",
    "Costa",
    "Lindqvist",
    "Horvat",
    "Petrov",
    "Okafor",
    "Tanaka",
    "Haddad",
    "Murphy",
    "Weber",
    "Laurent",
    "Conti",
    "Nielsen",
    "Varga",
    "Romero",
    "Keller",
    "Brown",
    "Ivanova",
    "Meyer",
]
COMPANY_WORDS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Wonka",
    "Oscorp",
    "Aperture",
    "Gringotts",
    "Monarch",
    "Nakatomi",
    "Pied",
    "Piper",
    "Dunder",
    "Sterling",
    "Vehement",
    "Massive",
    "Dynamic",
    "Blue",
    "Sun",
    "Northwind",
]
COMPANY_SUFFIX = ["Ltd", "GmbH", "SA", "Inc.", "BV", "AB", "Oy", "SRL"]
INDUSTRIES = ["Software", "Logistics", "Retail", "Manufacturing", "Media", "Consulting", "Energy", "Health"]
TITLES = ["CEO", "CTO", "Sales manager", "Buyer", "Engineer", "Accountant", "Office manager", "Designer"]
CITIES = [
    ("Berlin", "DE", "10115"),
    ("Lyon", "FR", "69001"),
    ("Milano", "IT", "20121"),
    ("Barcelona", "ES", "08029"),
    ("Utrecht", "NL", "3511"),
    ("Göteborg", "SE", "41101"),
    ("Austin", "US", "73301"),
    ("Leeds", "GB", "LS1 1UR"),
]
STREETS = ["Main Street", "Station Road", "Rue de la Paix", "Via Roma", "Calle Mayor", "Kungsgatan"]
TAGS = [
    ("vip", "#dc2626"),
    ("referral", "#2563eb"),
    ("cold call", "#0891b2"),
    ("newsletter", "#16a34a"),
    ("event 2026", "#9333ea"),
    ("partner", "#ea580c"),
]
CUSTOM_FIELDS = [
    ("License", CustomField.Format.LIST, ["Basic", "Pro", "Enterprise"], CustomField.AppliesTo.BOTH),
    ("Purchase date", CustomField.Format.DATE, [], CustomField.AppliesTo.BOTH),
    ("Employees", CustomField.Format.INTEGER, [], CustomField.AppliesTo.COMPANIES),
    ("Newsletter opt-in", CustomField.Format.BOOLEAN, [], CustomField.AppliesTo.PERSONS),
]
PROJECTS = [("Sales", "sales"), ("Support", "support"), ("Partners", "partners")]
USERS = [("alice", "Alice", "Martin"), ("bob", "Bob", "Keller"), ("carol", "Carol", "Nguyen")]


class Command(BaseCommand):
    help = "Load demo users, projects and contacts (idempotent; --contacts N for large sets)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=300, help="How many demo contacts there should be.")
        parser.add_argument("--password", default="demo", help="Password of the demo users (default: demo).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        users = self._users(options["password"])
        projects = self._projects(users)
        tags = self._tags()
        fields = self._custom_fields()
        existing = Contact.objects.filter(author__in=users).count()
        wanted = options["contacts"]
        if existing >= wanted:
            self.stdout.write(f"Demo data present: {existing} demo contacts.")
            return
        self._contacts(existing, wanted, users, projects, tags, fields, quiet=options["quiet"])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {wanted} demo contacts."))

    def _users(self, password: str) -> list[Any]:
        users = []
        for username, first, last in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
            )
            if created:
                user.set_password(password)
                user.save()
            apikey_get_or_create(user=user)
            users.append(user)
        return users

    def _projects(self, users: list[Any]) -> list[Project]:
        projects = []
        for index, (name, identifier) in enumerate(PROJECTS):
            project, _ = Project.objects.get_or_create(
                identifier=identifier, defaults={"name": name, "description": f"The {name.lower()} team's contacts."}
            )
            for offset, user in enumerate(users):
                role = Membership.Role.MANAGER if offset == index % len(users) else Membership.Role.MEMBER
                if not Membership.objects.filter(project=project, user=user).exists():
                    membership_set(project=project, user=user, role=role)
            projects.append(project)
        return projects

    def _tags(self) -> list[Tag]:
        tags = []
        for name, color in TAGS:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, color=color)
            tags.append(tag)
        return tags

    def _custom_fields(self) -> list[CustomField]:
        fields = []
        for position, (name, fmt, choices, applies_to) in enumerate(CUSTOM_FIELDS):
            field, _ = CustomField.objects.get_or_create(
                name=name,
                defaults={"field_format": fmt, "choices": choices, "applies_to": applies_to, "position": position},
            )
            fields.append(field)
        return fields

    def _contacts(
        self,
        start: int,
        stop: int,
        users: list[Any],
        projects: list[Project],
        tags: list[Tag],
        fields: list[CustomField],
        *,
        quiet: bool,
    ) -> None:
        rows = DemoRows(
            seed=start * 7919 + 17,
            users=[user.pk for user in users],
            projects=[project.pk for project in projects],
            tags=[tag.pk for tag in tags],
            fields=fields,
            types=list(ContactType.objects.values_list("pk", flat=True)),
            stages=list(ContactStage.objects.values_list("pk", flat=True)),
            companies=list(
                Contact.objects.filter(is_company=True, author__in=users).order_by("pk").values_list("pk", flat=True)
            ),
        )
        bar = tqdm(total=stop - start, disable=quiet, unit="contact", desc="Demo contacts")
        # Contacts get explicit ids so that their child rows point at them without a round trip;
        # the id sequence is reset afterwards.
        next_id = (Contact.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        # A large load into few rows builds the tables' indexes once at the end: sorted index
        # builds are several times cheaper than a million random inserts into each index.
        defer = stop - start >= DEFER_INDEXES_FROM and stop - start >= start
        with (
            _bulk_load_pragmas(),
            _indexes_built_after(INSERT_ORDER, enabled=defer),
            _postgresql_indexes_built_after(INSERT_ORDER, enabled=defer),
        ):
            for batch_start in range(start, stop, BATCH):
                batch_stop = min(stop, batch_start + BATCH)
                tables = rows.batch(range(batch_start, batch_stop), first_id=next_id)
                next_id += batch_stop - batch_start
                with transaction.atomic():  # one commit per batch: a small WAL, a resumable load
                    for model, values in tables.items():
                        _insert(model, values)
                bar.update(batch_stop - batch_start)
        bar.close()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Contact]):
                cursor.execute(sql)


class DemoRows:
    """Rows of demo contacts and their children as plain tuples, ready for executemany.

    No model instance per row: values that repeat (timestamps, dates, custom values) are drawn
    from small pools adapted for the database once, so building a million contacts costs little
    more than the random numbers they are made of.
    """

    POOL = 4096

    def __init__(
        self,
        *,
        seed: int,
        users: list[int],
        projects: list[int],
        tags: list[int],
        fields: list[CustomField],
        types: list[int],
        stages: list[int],
        companies: list[int],
    ) -> None:
        self.rng = random.Random(seed)
        self.users, self.projects, self.tags, self.types, self.stages = users, projects, tags, types, stages
        self.companies = companies
        self.native_uuid = connection.features.has_native_uuid_field
        ops, rng, now = connection.ops, self.rng, timezone.now()
        self.created = [
            ops.adapt_datetimefield_value(now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440)))
            for _ in range(self.POOL)
        ]
        self.noted = [ops.adapt_datetimefield_value(now - timedelta(days=rng.randint(0, 300))) for _ in range(512)]
        born = date(1960, 1, 1)
        self.birthdays = [
            ops.adapt_datefield_value(born + timedelta(days=rng.randint(0, 14000))) for _ in range(self.POOL)
        ]
        self.fields = {
            is_company: [(f.pk, [demo_value(f, rng) for _ in range(64)]) for f in fields if applies(f, is_company)]
            for is_company in (False, True)
        }
        self.columns = INSERT_COLUMNS[Contact]
        self.row_of = operator.itemgetter(*self.columns)  # a dict's values in column order, as a tuple
        # Zero, one or two distinct tags (a third each); two distinct projects.
        self.tag_sets = (
            [()] * len(tags) + [(t,) for t in tags] + [(t, u) for t in tags for u in tags if t != u][: len(tags)]
            if tags
            else [()]
        )
        self.project_sets = [(p, q) for p in projects for q in projects if p != q] or [tuple(projects)]
        # Columns this loader does not fill take their model default (adapted once).
        self.defaults = {
            f.column: f.get_db_prep_save(f.get_default(), connection) for f in Contact._meta.concrete_fields
        }

    def batch(self, indexes: range, *, first_id: int) -> dict[Any, list[tuple]]:
        """The rows of contacts `indexes` (demo numbers), with ids from `first_id`: companies first,
        so that the batch's persons can work for them."""
        firms = [i for i in indexes if i % 10 == 0]
        people = [i for i in indexes if i % 10]
        tables: dict[Any, list[tuple]] = {model: [] for model in INSERT_ORDER}
        pk = first_id
        for i in firms:
            self._contact(tables, pk, i, is_company=True)
            self.companies.append(pk)
            pk += 1
        for i in people:
            self._contact(tables, pk, i, is_company=False)
            pk += 1
        return tables

    def _contact(self, tables: dict[Any, list[tuple]], pk: int, i: int, *, is_company: bool) -> None:
        r = self.rng.random  # one uniform draw per choice: much cheaper than randrange and choice

        def pick(seq: Any) -> Any:
            return seq[int(r() * len(seq))]

        users = self.users
        created = pick(self.created)
        values = self.defaults.copy()
        values["id"] = pk
        values["uuid"] = uuid.uuid5(DEMO_NAMESPACE, str(i)) if self.native_uuid else demo_uuid_hex(i)
        values["is_company"] = is_company
        values["author_id"] = users[i % len(users)]
        values["assigned_to_id"] = pick(users)
        v = r()
        values["visibility"] = VISIBILITIES[0] if v < 0.70 else VISIBILITIES[1] if v < 0.95 else VISIBILITIES[2]
        values["contact_type_id"] = pick(self.types) if self.types else None
        values["stage_id"] = pick(self.stages) if self.stages and r() < 0.6 else None
        values["created_at"] = values["updated_at"] = created
        if is_company:
            name = f"{pick(COMPANY_WORDS)} {pick(COMPANY_WORDS)} {pick(COMPANY_SUFFIX)}"
            if i >= 1000:
                name += f" {i}"
            industry = pick(INDUSTRIES)
            values["name"] = values["display_name"] = name
            values["industry"] = industry
            values["background"] = f"{name} works in {industry.lower()}."
            values["currency"] = pick(CURRENCIES)
        else:
            first, last = pick(FIRST), pick(LAST)
            name = f"{first} {last}"
            values["first_name"], values["last_name"], values["display_name"] = first, last, name
            values["job_title"] = pick(TITLES)
            values["company_id"] = pick(self.companies) if self.companies and r() < 0.8 else None
            values["birthday"] = pick(self.birthdays) if r() < 0.3 else None
        tables[Contact].append(self.row_of(values))

        items = tables[ContactItem]
        slug = name.lower().replace(" ", ".")[:40]
        a, b, c = 200 + int(r() * 790), 100 + int(r() * 900), 1000 + int(r() * 9000)
        items.append((pk, "tel", "voice", "work", "", f"+1 {a} {b} {c}", f"+1{a}{b}{c}", True, 0))
        if not is_company and r() < 0.5:
            cell = 1000000 + int(r() * 9000000)
            items.append((pk, "tel", "cell", "work", "", f"+49 151 {cell}", f"+49151{cell}", False, 1))
        email = f"{slug}.{pk}@example.com"
        items.append((pk, "email", "", "work", "", email, email, True, 2))
        if is_company:
            url = f"https://{slug.replace('.', '-')}.example.com"
            items.append((pk, "url", "", "work", "", url, url, False, 3))
        city, country, postcode = pick(CITIES)
        street = f"{1 + int(r() * 200)} {pick(STREETS)}"
        tables[Address].append((pk, street, "", city, "", postcode, country, "work", True, 0))
        tagged = tables[TaggedContact]
        for tag in pick(self.tag_sets):
            tagged.append((pk, tag))
        links = tables[Contact.projects.through]
        for project in pick(self.project_sets) if r() < 0.2 else (pick(self.projects),):
            links.append((pk, project))
        custom = tables[CustomValue]
        for field_pk, pool in self.fields[is_company]:
            if r() < 0.6:
                custom.append((pk, field_pk, pick(pool)))
        if r() < 0.2:
            when = pick(self.noted)
            tables[Note].append((pk, pick(NOTE_KINDS), "", pick(NOTE_TEXTS), pick(users), when, when))


def demo_uuid_hex(i: int) -> str:
    """`uuid.uuid5(DEMO_NAMESPACE, str(i)).hex` without building a UUID object (a million times)."""
    digest = bytearray(hashlib.sha1(DEMO_NAMESPACE_BYTES + str(i).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    return digest.hex()


def demo_value(field: CustomField, rng: random.Random) -> str:
    """A stored value of a demo custom field."""
    if field.field_format == CustomField.Format.LIST:
        return rng.choice(field.choices)
    if field.field_format == CustomField.Format.DATE:
        return (date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))).isoformat()
    if field.field_format == CustomField.Format.INTEGER:
        return str(rng.randint(2, 5000))
    return rng.choice(["1", "0"])


def applies(field: CustomField, is_company: bool) -> bool:
    return field.applies_to == CustomField.AppliesTo.BOTH or (
        (field.applies_to == CustomField.AppliesTo.COMPANIES) == is_company
    )


CURRENCIES = ["EUR", "USD", "GBP", "SEK"]
VISIBILITIES = [str(Visibility.PUBLIC), str(Visibility.PROJECT), str(Visibility.PRIVATE)]
NOTE_KINDS = [str(kind) for kind in Note.Kind.values]
NOTE_TEXTS = ["Called, wants a quote.", "Met at the fair.", "Sent the brochure."]
INSERT_COLUMNS = {
    Contact: [f.column for f in Contact._meta.concrete_fields],
    ContactItem: [
        *("contact_id", "kind", "tel_type", "context", "service"),
        *("value", "normalized", "is_primary", "position"),
    ],
    Address: [
        *("contact_id", "street1", "street2", "city", "region"),
        *("postcode", "country", "context", "is_primary", "position"),
    ],
    TaggedContact: ["content_object_id", "tag_id"],
    Contact.projects.through: ["contact_id", "project_id"],
    CustomValue: ["contact_id", "field_id", "value"],
    Note: ["contact_id", "kind", "subject", "content", "author_id", "created_at", "updated_at"],
}
INSERT_ORDER = list(INSERT_COLUMNS)  # contacts before the rows that point at them
ROWS_PER_STATEMENT = 500
DEFER_INDEXES_FROM = 20_000  # contacts added at once


@contextmanager
def _bulk_load_pragmas() -> Iterator[None]:
    """On SQLite outside a transaction: a larger page cache, no fsync and no journal while loading.

    Losing power mid-load can leave the file to be rebuilt: a benchmark's or a demo's, made again
    by running the command on a fresh database.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB: index pages stay in memory
        cursor.execute("PRAGMA synchronous = OFF")
        # No journal: each page is written once, not to the WAL and again at the checkpoint. The
        # mode changes only when no other connection has the file open (else it stays as it is).
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA temp_store = MEMORY")  # the index builds' sorts
        cursor.execute("PRAGMA threads = 2")  # which may sort on a second core
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA temp_store = DEFAULT")
            cursor.execute("PRAGMA threads = 0")


@contextmanager
def _indexes_built_after(models: list[Any], *, enabled: bool) -> Iterator[None]:
    """On SQLite outside a transaction: drop the tables' secondary indexes and triggers, load,
    create them again, and rebuild the search index and the stored counts the triggers would have kept.

    The definitions are read back from sqlite_master, so indexes and triggers added by any
    migration come back as they were. Primary keys and column UNIQUE constraints stay (SQLite
    cannot drop them). Row triggers would rewrite a contact's search document once per item;
    one `search_rebuild()` at the end writes each document once.
    """
    if not enabled or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    tables = [model._meta.db_table for model in models]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks})",
            tables,
        )
        definitions = cursor.fetchall()
        for kind, name, _ in definitions:
            cursor.execute(f"DROP {kind.upper()} {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, _, sql in definitions:
                cursor.execute(sql)
        search_rebuild()
        counts_rebuild()


@contextmanager
def _postgresql_indexes_built_after(models: list[Any], *, enabled: bool) -> Iterator[None]:
    """On PostgreSQL outside a transaction: one transaction that drops the tables' secondary
    indexes, their unique and foreign-key constraints, and the search index's own indexes, turns
    their triggers off, loads, then builds it all again from the catalog's own definitions,
    rebuilds the search documents in one statement and the stored counts; after the commit,
    vacuums and analyzes the tables.

    Sorted index builds and one join per foreign key cost a fraction of a million random index
    inserts and a million queued key checks; the search triggers would refresh each contact
    once per batch, one statement per contact. The definitions are read back from the catalog,
    so whatever a migration added comes back as it was; a failure anywhere rolls the whole load
    back, the dropped definitions with it. Primary keys and CHECK constraints stay, and so do
    unique constraints that a foreign key of another table relies on.
    """
    if not enabled or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # The index builds sort in memory, for this transaction only; the server's own
        # settings stay as they are.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype"
            " FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')"
            " AND NOT (c.contype = 'u' AND EXISTS (SELECT 1 FROM pg_constraint f"
            "     WHERE f.contype = 'f' AND f.conindid = c.conindid AND NOT f.conrelid = ANY(%s::regclass[])))"
            " ORDER BY c.contype, c.conname",  # foreign keys first: a unique key may be what one points at
            [tables, tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
            "     SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [[*tables, SEARCH_TABLE]],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal AND tgenabled <> 'D'",
            [tables],
        )
        triggers = cursor.fetchall()
        for table, name, _, _ in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for _, name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
        yield
        for table, name, definition, _ in reversed(constraints):  # unique keys, then the keys pointing at them
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for table, _, definition in indexes:
            if table != SEARCH_TABLE:
                cursor.execute(definition)
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")
        search_rebuild()
        counts_rebuild()
        for table, _, definition in indexes:
            if table == SEARCH_TABLE:
                cursor.execute(definition)
    # Statistics for the planner, and the visibility map that lets a count read an index alone
    # (no heap fetch per row): the first reads after a load would otherwise plan blind and
    # read every page. VACUUM runs outside a transaction, hence after the commit.
    with connection.cursor() as cursor:
        for table in [*tables, SEARCH_TABLE]:
            cursor.execute(f"VACUUM (ANALYZE) {quote(table)}")


def _rows_per_statement(columns: int) -> int:
    """Rows per INSERT: ROWS_PER_STATEMENT, or fewer where SQLite's bound-parameter limit (32766
    since SQLite 3.32, 999 before) would refuse them. Few long statements cost least."""
    if connection.vendor != "sqlite":
        return ROWS_PER_STATEMENT
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(ROWS_PER_STATEMENT, limit // columns))


def _insert(model: Any, rows: list[tuple]) -> None:
    """Insert rows: with one COPY on PostgreSQL (`_copy`), elsewhere with multi-row INSERT
    statements of ROWS_PER_STATEMENT rows each.

    Run on the driver itself: Django's debug cursor would keep every parameter list, and on
    SQLite Django's cursor would rewrite the thousands of placeholders of each statement from
    %s to ? (the statement is written with ? here). Few statements, each of many rows, keep
    per-statement costs small; the rows are flattened into each statement's parameters in C.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, rows)
        return
    columns = INSERT_COLUMNS[model]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    per_statement = _rows_per_statement(len(columns))
    full = len(rows) - len(rows) % per_statement
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            raw, mark = connection.connection, "?"  # the driver's own connection: no placeholder rewriting
        else:
            raw, mark = cursor.cursor, "%s"  # the driver's cursor
        one = "(" + ", ".join([mark] * len(columns)) + ")"
        if full:
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * per_statement)
            raw.executemany(
                sql,
                [
                    list(chain.from_iterable(rows[start : start + per_statement]))
                    for start in range(0, full, per_statement)
                ],
            )
        if full < len(rows):
            rest = rows[full:]
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(rest))
            raw.execute(sql, list(chain.from_iterable(rest)))


def _copy(model: Any, rows: list[tuple]) -> None:
    """Stream rows into PostgreSQL with one COPY: psycopg formats each row in C, and the server
    parses no statement per row (its statement-level triggers fire once, as for one INSERT)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in INSERT_COLUMNS[model])
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
