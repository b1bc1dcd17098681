"""Import contacts from a CSV or vCard file, in this process, with a progress bar.

    manage.py import_contacts contacts.csv --project sales --user alice
    manage.py import_contacts hubspot.csv --map "Lifecycle Stage=stage" --map "Record ID=ignore" --dry-run
    manage.py import_contacts export.csv --update-existing --match-column ID

The columns are mapped as the import page guesses (printed first); --map overrides a column.
Rows with errors are listed and written, with an "Error" column, to a CSV beside the current
directory's (--rejected); the good rows go in. docs/import.md describes columns and targets.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from contacts.importers import (
    ImportFileError,
    check_mapping,
    check_match_target,
    default_targets,
    import_run,
    mapping_override,
    source_open,
    target_label,
)
from projects.models import Project

LISTED_ERRORS = 20


class Command(BaseCommand):
    help = "Import contacts from a CSV or vCard file (the mapping is guessed; --map overrides it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A CSV or vCard (.vcf) file.")
        parser.add_argument("--project", action="append", default=[], help="Add every contact to this project "
                            "(identifier or name; repeatable).")  # fmt: skip
        parser.add_argument("--user", help="Username the contacts are imported as (their author); default: none.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count everything, write nothing.")
        parser.add_argument("--update-existing", action="store_true", help="Update the contacts rows match "
                            "(by email, or by --match-column) instead of adding duplicates.")  # fmt: skip
        parser.add_argument("--match-column", default="", help="The column matching existing contacts, e.g. ID.")
        parser.add_argument("--map", action="append", default=[], metavar="HEADER=TARGET",
                            help='Send a column elsewhere: "Mobile=tel.2:work cell", "Notes=ignore".')  # fmt: skip
        parser.add_argument("--rejected", default="", help="Where the CSV of rejected rows goes "
                            "(default: <file>-rejected.csv in the current directory).")  # fmt: skip
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        if options["match_column"] and not options["update_existing"]:
            raise CommandError("--match-column goes with --update-existing.")
        user = self._user(options["user"])
        projects = [self._project(key) for key in options["project"]]
        try:
            source = source_open(path)
            targets = default_targets(source)
            if source.format == "csv":
                targets = mapping_override(targets, headers=source.headers, overrides=options["map"])
            elif options["map"]:
                raise CommandError("--map applies to CSV files; a vCard's properties have their own fields.")
            problems = check_mapping(source, targets)
            if problems:
                raise CommandError(" ".join(problems))
            match_target = check_match_target(source, targets, options["match_column"])
        except (ImportFileError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{path.name}: {source.description}.")
        for header, code in zip(source.headers, targets, strict=True):
            if code:
                self.stdout.write(f"  {header} → {target_label(code)}")
            else:
                self.stdout.write(self.style.WARNING(f"  {header} maps to no field: not imported (--map to send it)."))
        bar = tqdm(disable=options["quiet"], unit="row", desc="Importing", total=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        summary = import_run(
            source=source,
            targets=targets,
            user=user,
            projects=[project.pk for project in projects],
            update_existing=options["update_existing"],
            match_target=match_target,
            dry_run=options["dry_run"],
            progress=progress,
        )
        bar.close()
        for error in summary.errors[:LISTED_ERRORS]:
            column = f"{error['column']}: " if error["column"] else ""
            self.stdout.write(self.style.ERROR(f"  Row {error['row']}: {column}{error['message']}"))
        if summary.rejected > LISTED_ERRORS:
            self.stdout.write(f"  ... {summary.rejected} rows rejected in all.")
        if summary.rejected_path is not None:
            target = Path(options["rejected"] or f"{path.stem}-rejected.csv")
            shutil.move(summary.rejected_path, target)
            self.stdout.write(f"Rejected rows, with an Error column: {target}")
        done = "Dry run, nothing written: " if options["dry_run"] else ""
        counts = ", ".join(
            f"{label.lower()} {value}" for label, value in summary.as_result().items() if label != "Dry run"
        )
        self.stdout.write(self.style.SUCCESS(f"{done}{counts}."))

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username}.")
        return user

    def _project(self, key: str) -> Project:
        project = Project.objects.filter(identifier=key).first() or Project.objects.filter(name__iexact=key).first()
        if project is None:
            raise CommandError(f"There is no project {key}.")
        return project
