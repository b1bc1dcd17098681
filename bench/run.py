"""Benchmarks that print figures: load, list, search, export, and the API list endpoints.

Run with `make bench` (or `.venv/bin/python bench/run.py --contacts 20000`). It builds a
throw-away SQLite database (or uses DATABASE_URL when --use-database-url is given), loads
demo contacts, and prints, measured in this one run:

- the load rate of `seed_demo`;
- SQL queries for a page of 10 and of 100 contacts (they must be equal);
- the time of a page of 25 at the start and deep in the list, and their ratio;
- search time, and export time and peak memory per contact for two sizes (the ratio
  shows whether cost grows linearly);
- each mounted API dialect's list endpoint: queries and time for small and large pages (incwo,
  whose pages are always 100, for its first and a deep page), and the Incoplax list at its
  default limit of 1000.

Figures are ratios within one run so they compare across machines.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of fn in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def count_queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def row(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20000)
    parser.add_argument("--use-database-url", action="store_true", help="Use DATABASE_URL instead of a temp SQLite.")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="crm-bench-")
    if not args.use_database_url:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ["DEBUG"] = "1"

    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from contacts.exporters import iter_csv, iter_vcard
    from contacts.selectors import contact_list

    call_command("migrate", verbosity=0)
    print(f"Database: {django.db.connection.vendor}, contacts: {args.contacts}")

    start = time.perf_counter()
    call_command("seed_demo", contacts=args.contacts, quiet=True, stdout=io.StringIO())
    seconds = time.perf_counter() - start
    print("\nLoad")
    row("seed_demo", f"{seconds:.1f} s, {args.contacts / seconds:,.0f} contacts/s")

    user = get_user_model().objects.get(username="bob")
    print("\nSelector (user bob: member of every demo project, not a superuser)")
    q10 = count_queries(lambda: list(contact_list(user=user)[:10]))
    q100 = count_queries(lambda: list(contact_list(user=user)[:100]))
    row("queries for a page of 10 / of 100", f"{q10} / {q100}")
    total = contact_list(user=user, prefetch=False).count()
    first = timed(lambda: list(contact_list(user=user)[:25]))
    deep = timed(lambda: list(contact_list(user=user)[total - 25 : total]))
    row("page of 25: first / last page (ms)", f"{first:.1f} / {deep:.1f}  (ratio {deep / first:.2f})")
    search = timed(lambda: list(contact_list(user=user, filters={"search": "schmidt"})[:25]))
    row("search 'schmidt', first 25 (ms)", f"{search:.1f}  (ratio to a plain page {search / first:.2f})")
    count = timed(lambda: contact_list(user=user, prefetch=False).count(), repeat=3)
    row("count of visible contacts (ms)", f"{count:.1f}")

    print("\nExports")
    for export in (iter_csv, iter_vcard):
        figures = []
        for size in (500, 2000):
            run = lambda size=size, export=export: sum(map(len, export(contact_list(user=user)[:size])))  # noqa: E731
            ms = timed(run, repeat=1)
            tracemalloc.start()  # measured apart: tracing slows the run several times over
            run()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            figures.append((size, ms, peak))
        (s1, t1, m1), (s2, t2, m2) = figures
        row(
            f"{export.__name__}: {s1} / {s2} contacts",
            f"{t1:.0f} / {t2:.0f} ms, {m1 / s1 / 1024:.1f} / {m2 / s2 / 1024:.1f} KiB each "
            f"(time ratio {t2 / t1:.2f} for x{s2 // s1})",
        )

    client = Client()
    client.force_login(user)
    endpoints = [
        ("/redmine/contacts.json?limit={n}", "Redmine JSON"),
        ("/redmine/contacts.xml?limit={n}", "Redmine XML"),
        ("/api/2.0/crm/contact/filter?count={n}", "ONLYOFFICE JSON"),
        ("/api/2.0/crm/contact/filter.xml?count={n}", "ONLYOFFICE XML"),
        # incwo pages by 100 only: its row compares the first page with a deep one.
        ("/incwo/sales/contacts.xml?page={page}", "incwo XML (first / deep page of 100)"),
        ("/rest/v1/addressbook/contacts?limit={n}", "Incoplax JSON"),
    ]
    sales = contact_list(user=user, filters={"project": "sales", "is_company": False}, prefetch=False).count()
    deep_page = max(1, sales // 100)
    print("\nAPI list endpoints (session auth; page sizes 10 and 100)")
    for template, label in endpoints:
        small, large = template.format(n=10, page=1), template.format(n=100, page=deep_page)
        if client.get(small).status_code != 200:
            row(label, "not mounted")
            continue
        queries = f"{count_queries(lambda u=small: client.get(u))} / {count_queries(lambda u=large: client.get(u))}"
        t_small = timed(lambda u=small: client.get(u))
        t_large = timed(lambda u=large: client.get(u))
        row(f"{label}: queries, ms", f"{queries} queries, {t_small:.0f} / {t_large:.0f} ms (x{t_large / t_small:.1f})")

    # The Incoplax list's default limit is 1000: one request must stream that many cheaply.
    url = "/rest/v1/addressbook/contacts?limit=1000"
    if client.get(url).status_code == 200:
        shown = len(client.get(url).json())
        queries = count_queries(lambda: client.get(url))
        ms = timed(lambda: client.get(url), repeat=3)
        row(
            f"Incoplax JSON, a page of {shown}: queries, ms",
            f"{queries} queries, {ms:.0f} ms ({ms / shown:.3f} ms each)",
        )
    tmp.cleanup()


if __name__ == "__main__":
    main()
