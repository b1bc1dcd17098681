"""Print a user's API key, creating it if needed; --reset makes a new one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.services import apikey_get_or_create, apikey_reset


class Command(BaseCommand):
    help = "Print USERNAME's API key (created if missing). --reset replaces it with a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace the key with a new one.")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        api_key = apikey_reset(user=user) if options["reset"] else apikey_get_or_create(user=user)
        self.stdout.write(api_key.key)
