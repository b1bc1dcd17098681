"""Rows of demo contacts and their children as plain tuples (`DemoRows`), their stable UUIDs and
their custom values."""

from __future__ import annotations

import hashlib
import operator
import random
import uuid
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from contacts.demo.data import (
    CITIES,
    COMPANY_SUFFIX,
    COMPANY_WORDS,
    CURRENCIES,
    DEMO_NAMESPACE,
    DEMO_NAMESPACE_BYTES,
    FIRST,
    INDUSTRIES,
    LAST,
    NOTE_KINDS,
    NOTE_TEXTS,
    STREETS,
    TITLES,
    VISIBILITIES,
)
from contacts.demo.loading import INSERT_COLUMNS, INSERT_ORDER
from contacts.models import Address, Contact, ContactItem, CustomField, CustomValue, Note, TaggedContact


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
