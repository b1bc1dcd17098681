"""Load a realistic demo data set: users, projects, companies, persons and their data.

Idempotent: users, projects, tags and custom fields are fetched or created, and
contacts are topped up to the number asked for (`--contacts`, default 300), so
running it twice changes nothing. The data set and its loading live in contacts.demo. Large
sets for benchmarks are written as plain tuples (no model instance per row), with multi-row
INSERTs and one commit per batch on SQLite, with COPY on PostgreSQL: a million contacts take a
few minutes on either (a large load builds the indexes, the search index among them, once at
the end).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from tqdm import tqdm

from contacts.demo.data import CUSTOM_FIELDS, PROJECTS, TAGS, USERS
from contacts.demo.loading import (
    DEFER_INDEXES_FROM,
    INSERT_ORDER,
    _bulk_load_pragmas,
    _indexes_built_after,
    _insert,
    _postgresql_indexes_built_after,
)
from contacts.demo.rows import DemoRows
from contacts.models import Contact, ContactStage, ContactType, CustomField, Tag
from contacts.services import apikey_get_or_create
from projects.models import Membership, Project
from projects.services import membership_set

User = get_user_model()
BATCH = 2000


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
