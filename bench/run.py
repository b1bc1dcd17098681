"""The benchmark: one table of figures at a million contacts, each beside its goal.

    make bench                              # BENCH_CONTACTS=1000000 by default
    BENCH_CONTACTS=20000 make bench         # a smaller set
    DATABASE_URL=postgres://... make bench  # on PostgreSQL

The SQLite database is built once per size and schema and reused (`bench/database.py`). Every
figure is measured in this run: SQL queries of each list route at page 1 and page 100; search
p50/p95 by class of term; the first and the last page; requests per second of each dialect's
100-contact list beside a bare WSGI + sqlite3 (psycopg on PostgreSQL) + orjson app serving the
same page from the same database (`bench/bare_app.py`), both called in-process by the same loop;
web-form posts per second from 8 concurrent posters against gunicorn with 2 workers on loopback;
export rows per second and peak memory; the seconds an import of 100 000 contacts with 400 000
items takes (the imported contacts are deleted again). Each measurement is bounded in count and
time, so slow paths show as slow figures instead of hanging the run. Timing goals live in the
benchmark only, never in the test suite.

Each concern is a module beside this one, which parses the arguments and runs the groups of rows
(`--only`) in order: `bench/routes.py` (group routes), `bench/reads.py` (reads, duplicates,
lists), `bench/files.py` (export, import) and `bench/webform.py` (webform), with the tools they
share in `bench/measure.py` (the table, timed samples, one request through a WSGI app).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from bench.files import measure_exports, measure_import  # noqa: E402
from bench.measure import Table, wsgi_application  # noqa: E402
from bench.reads import measure_duplicates, measure_lists, measure_reads  # noqa: E402
from bench.routes import CREDENTIALS, measure_routes  # noqa: E402
from bench.webform import measure_webform  # noqa: E402

USER = "bob"  # a member of every demo project, not a superuser: visibility is exercised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=int(os.environ.get("BENCH_CONTACTS", "1000000")))
    parser.add_argument("--budget", type=float, default=float(os.environ.get("BENCH_BUDGET", "10")),
                        help="Seconds at most per measurement loop.")  # fmt: skip
    parser.add_argument("--posts", type=int, default=600, help="Web-form posts per run (bounded by --budget too).")
    parser.add_argument("--only", type=_groups, default=GROUPS, metavar="GROUP,...",
                        help=f"Measure only these groups of rows, comma-separated: {', '.join(GROUPS)}.")  # fmt: skip
    args = parser.parse_args()

    url = database.configure(args.contacts)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    os.environ["DEBUG"] = "0"  # no query log: requests cost what they cost in production
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ.setdefault("STATIC_ROOT", str(database.CACHE_DIR / "static"))  # pages need the manifest
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from contacts.models import Contact
    from contacts.selectors import contact_list
    from contacts.services import apikey_get_or_create

    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    table = Table()
    seconds = database.build(args.contacts)
    contacts = Contact.objects.count()
    print(f"Benchmark: {connection.vendor}, {contacts:,} contacts ({url.split('?')[0]})", flush=True)
    if seconds is None:
        table.add(f"seed_demo --contacts {args.contacts:,}", "reused the cached database", "<= 3 min per 1M")
    else:
        per_million = seconds * 1_000_000 / args.contacts
        table.add(f"seed_demo --contacts {args.contacts:,}", f"{seconds:.0f} s ({per_million / 60:.1f} min per 1M)",
                  "<= 3 min per 1M", per_million <= 180)  # fmt: skip

    user = get_user_model().objects.get(username=USER)
    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash()})  # fmt: skip
    session.create()
    key = apikey_get_or_create(user=user).key
    headers = {name: make(key, session.session_key) for name, make in CREDENTIALS.items()}

    visible = contact_list(user=user, prefetch=False).count()
    only = args.only
    if "routes" in only:
        measure_routes(table, wsgi_application(), _bare(connection), headers, args.budget, visible=visible)
    if "reads" in only:
        measure_reads(table, user, args.budget)
    if "duplicates" in only:
        measure_duplicates(table, wsgi_application(), headers["session"], user, args.budget)
    if "lists" in only:
        measure_lists(table, user, args.budget, bulk_size=min(20_000, contacts))
    if "export" in only:
        measure_exports(table, user, min(100_000, visible))
    if "import" in only:
        measure_import(table, user, min(100_000, contacts))
    connection.close()
    if "webform" in only:
        measure_webform(table, label=f"{contacts:,} contacts", posts=args.posts, budget=args.budget)
    table.print(f"Benchmark at {contacts:,} contacts on {connection.vendor} ({os.cpu_count()} CPUs)")


# The groups of rows, in the order they are measured (`--only` picks some).
GROUPS = ("routes", "reads", "duplicates", "lists", "export", "import", "webform")


def _groups(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in GROUPS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    return names


def _bare(connection: Any) -> Any:
    from bench.bare_app import make_app

    if connection.vendor == "sqlite":
        return make_app(str(connection.settings_dict["NAME"]))
    return make_app(os.environ["DATABASE_URL"])  # the PostgreSQL database the benchmark runs on


if __name__ == "__main__":
    main()
