"""Create a project's web form and print its embeddable HTML; --show ID prints an existing one's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.models import WebForm
from contacts.services import webform_create
from contacts.webforms import webform_snippet
from crm.ids import parse_id
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Create a web form for PROJECT (id or identifier) called NAME and print the HTML to paste into "
        "another site. --show ID prints the HTML of an existing form."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", nargs="?", help="Project id or identifier.")
        parser.add_argument("name", nargs="?", help="The form's name, e.g. 'Website leads'.")
        parser.add_argument("--redirect-url", default="", help="Where visitors go after posting.")
        parser.add_argument(
            "--allowed-host", action="append", default=[], help="A host redirects may go to (repeatable)."
        )
        parser.add_argument(
            "--allowed-origin",
            action="append",
            default=[],
            help="An origin (https://shop.example) whose pages may post with the script (repeatable).",
        )
        parser.add_argument(
            "--script", action="store_true", help="The HTML loads the script that posts without leaving the page."
        )
        parser.add_argument(
            "--notify-managers", action="store_true", help="Email the project's managers about new leads."
        )
        parser.add_argument("--base-url", default="http://localhost:8000", help="This CRM's public address.")
        parser.add_argument("--show", type=int, metavar="ID", help="Print the HTML of web form ID instead.")
        parser.add_argument("--key", action="store_true", help="Print only the form's key (for scripts).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show"] is not None:
            webform = WebForm.objects.select_related("project").filter(pk=options["show"]).first()
            if webform is None:
                raise CommandError(f"No web form with id {options['show']}.")
        else:
            webform = self.create(options)
            self.stderr.write(f"Created web form {webform.pk} for {webform.project}.")
        if options["key"]:
            self.stdout.write(webform.key)
        else:
            self.stdout.write(webform_snippet(webform, base_url=options["base_url"]))

    def create(self, options: dict[str, Any]) -> WebForm:
        if not options["project"] or not options["name"]:
            raise CommandError("Give PROJECT and NAME (or --show ID).")
        key = options["project"]
        pk = parse_id(key)
        project = Project.objects.filter(**({"pk": pk} if pk is not None else {"identifier": key})).first()
        if project is None:
            raise CommandError(f"No project {key!r}.")
        try:
            return webform_create(
                project=project,
                name=options["name"],
                redirect_url=options["redirect_url"],
                allowed_hosts=options["allowed_host"],
                allowed_origins=options["allowed_origin"],
                use_script=options["script"],
                notify_managers=options["notify_managers"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
