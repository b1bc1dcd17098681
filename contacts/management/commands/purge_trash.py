"""Purge the contacts whose time in the trash is over; --schedule queues the daily purge task instead."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.services import trash_purge_expired
from contacts.tasks import trash_purge_schedule


class Command(BaseCommand):
    help = (
        "Delete for good the contacts in the trash for more than --days days (TRASH_DAYS by default). "
        "--dry-run only counts them; --schedule makes sure the worker's daily purge task is queued."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Days in the trash before a contact goes (default TRASH_DAYS).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; purge nothing.")
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily purge task (unless one is waiting); purge nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = trash_purge_schedule()
            self.stdout.write(
                "Trash purge queued." if queued else "A trash purge is already queued (or tasks run inline)."
            )
            return
        days = settings.TRASH_DAYS if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        count = trash_purge_expired(days=days, dry_run=options["dry_run"])
        noun = "contact" if count == 1 else "contacts"
        verb = "would be purged" if options["dry_run"] else "purged"
        self.stdout.write(f"{count} {noun} in the trash for more than {days} days {verb}.")
