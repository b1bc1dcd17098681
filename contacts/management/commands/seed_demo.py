"""Load a realistic demo data set: users, projects, companies, persons and their data.

Idempotent: users, projects, tags and custom fields are fetched or created, and
contacts are topped up to the number asked for (`--contacts`, default 300), so
running it twice changes nothing. Large sets for benchmarks are written with
bulk inserts in batches: 100 000 contacts take well under a minute on SQLite.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

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
from contacts.services import apikey_get_or_create
from projects.models import Membership, Project
from projects.services import membership_set

User = get_user_model()
BATCH = 2000
DEMO_NAMESPACE = uuid.UUID("6f1c7a8e-3b7d-4d8e-9f51-2a0c4b6d8e10")

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

    @transaction.atomic
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
        rng = random.Random(start * 7919 + 17)
        types = list(ContactType.objects.all())
        stages = list(ContactStage.objects.all())
        now = timezone.now()
        companies: list[Contact] = list(Contact.objects.filter(is_company=True, author__in=users)[:500])
        bar = tqdm(total=stop - start, disable=quiet, unit="contact", desc="Demo contacts")
        # Contacts are inserted with explicit ids so their children can point at them
        # without a round trip per row; the id sequence is reset afterwards.
        next_id = (Contact.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        for batch_start in range(start, stop, BATCH):
            batch_stop = min(stop, batch_start + BATCH)
            # Companies first, so the batch's persons can work for them.
            indexes = range(batch_start, batch_stop)
            firms = [self._contact(i, rng, True, users, types, stages, companies, now) for i in indexes if i % 10 == 0]
            for contact in firms:
                contact.pk, next_id = next_id, next_id + 1
            companies.extend(firms)
            people = [self._contact(i, rng, False, users, types, stages, companies, now) for i in indexes if i % 10]
            for contact in people:
                contact.pk, next_id = next_id, next_id + 1
            contacts = firms + people
            _insert_contacts(contacts)
            self._children(contacts, rng, users, projects, tags, fields, now)
            bar.update(batch_stop - batch_start)
        bar.close()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Contact]):
                cursor.execute(sql)

    def _contact(
        self,
        i: int,
        rng: random.Random,
        is_company: bool,
        users: list[Any],
        types: list[ContactType],
        stages: list[ContactStage],
        companies: list[Contact],
        now: Any,
    ) -> Contact:
        visibility = rng.choices([Visibility.PUBLIC, Visibility.PROJECT, Visibility.PRIVATE], weights=[70, 25, 5])[0]
        contact = Contact(
            uuid=uuid.uuid5(DEMO_NAMESPACE, str(i)),
            is_company=is_company,
            author_id=users[i % len(users)].pk,
            assigned_to_id=rng.choice(users).pk,
            visibility=visibility,
            contact_type_id=rng.choice(types).pk if types else None,
            stage_id=rng.choice(stages).pk if stages and rng.random() < 0.6 else None,
            created_at=now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440)),
        )
        if is_company:
            contact.name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIX)}"
            if i >= 1000:
                contact.name += f" {i}"
            contact.industry = rng.choice(INDUSTRIES)
            contact.background = f"{contact.name} works in {contact.industry.lower()}."
            contact.currency = rng.choice(["EUR", "USD", "GBP", "SEK"])
        else:
            contact.first_name = rng.choice(FIRST)
            contact.last_name = rng.choice(LAST)
            contact.job_title = rng.choice(TITLES)
            contact.company_id = rng.choice(companies).pk if companies and rng.random() < 0.8 else None
            if rng.random() < 0.3:
                contact.birthday = date(1960, 1, 1) + timedelta(days=rng.randint(0, 14000))
        contact.display_name = contact.compute_display_name()
        contact.updated_at = contact.created_at
        return contact

    def _children(
        self,
        contacts: list[Contact],
        rng: random.Random,
        users: list[Any],
        projects: list[Project],
        tags: list[Tag],
        fields: list[CustomField],
        now: Any,
    ) -> None:
        # Child rows go in through executemany: the ORM's per-object overhead
        # would dominate a 100 000-contact load.
        items: list[tuple] = []
        addresses: list[tuple] = []
        values: list[tuple] = []
        tagged: list[tuple] = []
        links: list[tuple] = []
        notes: list[tuple] = []
        for contact in contacts:
            pk = contact.pk
            slug = contact.display_name.lower().replace(" ", ".")[:40]
            digits = f"{rng.randint(200, 989)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            items.append((pk, "tel", "voice", "work", "", f"+1 {digits}", "+1" + digits.replace(" ", ""), True, 0))
            if not contact.is_company and rng.random() < 0.5:
                cell = f"+49 151 {rng.randint(1000000, 9999999)}"
                items.append((pk, "tel", "cell", "work", "", cell, cell.replace(" ", ""), False, 1))
            email = f"{slug}.{pk}@example.com"
            items.append((pk, "email", "", "work", "", email, email, True, 2))
            if contact.is_company:
                url = f"https://{slug.replace('.', '-')}.example.com"
                items.append((pk, "url", "", "work", "", url, url, False, 3))
            city, country, postcode = rng.choice(CITIES)
            street = f"{rng.randint(1, 200)} {rng.choice(STREETS)}"
            addresses.append((pk, street, "", city, "", postcode, country, "work", True, 0))
            for tag in rng.sample(tags, k=rng.randint(0, 2)):
                tagged.append((pk, tag.pk))
            for project in rng.sample(projects, k=1 if rng.random() < 0.8 else 2):
                links.append((pk, project.pk))
            for field in fields:
                if field.applies_to_contact(contact) and rng.random() < 0.6:
                    values.append((pk, field.pk, self._value(field, rng)))
            if rng.random() < 0.2:
                content = rng.choice(["Called, wants a quote.", "Met at the fair.", "Sent the brochure."])
                when = connection.ops.adapt_datetimefield_value(now - timedelta(days=rng.randint(0, 300)))
                notes.append((pk, rng.choice(Note.Kind.values), "", content, rng.choice(users).pk, when, when))
        _insert(ContactItem, items)
        _insert(Address, addresses)
        _insert(TaggedContact, tagged)
        _insert(Contact.projects.through, links)
        _insert(CustomValue, values)
        _insert(Note, notes)

    @staticmethod
    def _value(field: CustomField, rng: random.Random) -> str:
        if field.field_format == CustomField.Format.LIST:
            return rng.choice(field.choices)
        if field.field_format == CustomField.Format.DATE:
            return (date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))).isoformat()
        if field.field_format == CustomField.Format.INTEGER:
            return str(rng.randint(2, 5000))
        return rng.choice(["1", "0"])


INSERT_COLUMNS = {
    ContactItem: [
        "contact_id",
        "kind",
        "tel_type",
        "context",
        "service",
        "value",
        "normalized",
        "is_primary",
        "position",
    ],
    Address: [
        "contact_id",
        "street1",
        "street2",
        "city",
        "region",
        "postcode",
        "country",
        "context",
        "is_primary",
        "position",
    ],
    TaggedContact: ["content_object_id", "tag_id"],
    Contact.projects.through: ["contact_id", "project_id"],
    CustomValue: ["contact_id", "field_id", "value"],
    Note: ["contact_id", "kind", "subject", "content", "author_id", "created_at", "updated_at"],
}


def _insert_contacts(contacts: list[Contact]) -> None:
    fields = [f for f in Contact._meta.concrete_fields]
    rows = [tuple(f.get_db_prep_save(getattr(c, f.attname), connection) for f in fields) for c in contacts]
    _insert(Contact, rows, columns=[f.column for f in fields])


def _insert(model: Any, rows: list[tuple], columns: list[str] | None = None) -> None:
    if not rows:
        return
    columns = columns or INSERT_COLUMNS[model]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
