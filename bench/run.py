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
time, so slow paths show as slow figures instead of hanging the run. Timing goals live here
only, never in the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402

USER = "bob"  # a member of every demo project, not a superuser: visibility is exercised
LIST_SIZE = 100
PAGE_SIZE = 25


@dataclass(frozen=True)
class Route:
    """A list route: its label, its URL ({limit} {offset} {page} {project} filled in), its credentials."""

    label: str
    url: str
    auth: str  # a key of CREDENTIALS
    json: str = ""  # the label of the same route in JSON, for XML routes (the XML/JSON ratio)
    # For a route whose pages have a size of their own (not PAGE_SIZE): how many pages its list
    # has, read from its first page. The deep page measured is then at most its last one.
    pages: Callable[[bytes], int] | None = None


# One line per dialect and format.
ROUTES = [
    Route("Redmine JSON", "/redmine/contacts.json?limit={limit}&offset={offset}", "redmine"),
    Route("Redmine XML", "/redmine/contacts.xml?limit={limit}&offset={offset}", "redmine", json="Redmine JSON"),
    Route("ONLYOFFICE JSON", "/api/2.0/crm/contact/filter?count={limit}&startIndex={offset}", "token"),
    Route(
        "ONLYOFFICE XML",
        "/api/2.0/crm/contact/filter.xml?count={limit}&startIndex={offset}",
        "token",
        json="ONLYOFFICE JSON",
    ),
    # incwo pages by 100 only, in a business file (the demo project "sales").
    Route(
        "incwo XML",
        "/incwo/sales/contacts.xml?page={page}",
        "basic",
        pages=lambda body: _xml_number(body, "total_pages"),
    ),
    Route("Incoplax JSON", "/rest/v1/addressbook/contacts?limit={limit}&offset={offset}", "bearer"),
]
UI_ROUTE = Route("UI contacts list", "/contacts/?per_page={limit}&page={page}", "session")
CREDENTIALS: dict[str, Callable[[str, str], dict[str, str]]] = {
    "redmine": lambda key, session: {"HTTP_X_REDMINE_API_KEY": key},
    "token": lambda key, session: {"HTTP_AUTHORIZATION": key},
    "basic": lambda key, session: {"HTTP_AUTHORIZATION": "Basic " + _b64(f"{key}:x")},
    "bearer": lambda key, session: {"HTTP_AUTHORIZATION": f"Bearer {key}"},
    "session": lambda key, session: {"HTTP_COOKIE": f"sessionid={session}"},
}


def _xml_number(body: bytes, tag: str) -> int:
    found = re.search(rb"<%s>(\d+)</%s>" % (tag.encode(), tag.encode()), body)
    return int(found[1]) if found else 1


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()


class Table:
    """The one table the benchmark prints: figure, value, goal, whether the goal is met."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, figure: str, value: str, goal: str = "", met: bool | None = None) -> None:
        mark = "" if met is None else ("yes" if met else "NO")
        self.rows.append((figure, value, goal, mark))
        print(f"  {figure:<52} {value:<30} {goal:<18} {mark}", flush=True)

    def print(self, title: str) -> None:
        widths = [max(len(row[i]) for row in [*self.rows, ("figure", "value", "goal", "met")]) for i in range(4)]
        line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
        print(f"\n{title}\n{line}")
        for index, row in enumerate([("figure", "value", "goal", "met"), *self.rows]):
            print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |")
            if index == 0:
                print(line)
        print(line)


def samples(fn: Callable[[], Any], *, runs: int, budget: float) -> list[float]:
    """Wall times of fn in ms: `runs` times, or fewer when `budget` seconds are spent (at least once)."""
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < runs and (not times or time.perf_counter() < deadline):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def wsgi_get(
    app: Callable[..., Any], url: str, headers: dict[str, str], *, method: str = "GET", body: bytes = b""
) -> tuple[int, bytes]:
    """One GET (or another method, with a body) through a WSGI app, in process: the same path for
    the dialects and the bare app."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **headers,
    }
    status: list[str] = []
    result = app(environ, lambda s, h, exc_info=None: status.append(s))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return int(status[0].split()[0]), body


def requests_per_second(call: Callable[[], Any], *, budget: float, most: int = 2000) -> float:
    """Calls per second of a bounded loop, after one warm-up call (which is the figure when it alone
    takes longer than the budget)."""
    start = time.perf_counter()
    call()
    warm = time.perf_counter() - start
    if warm > budget:
        return 1 / warm
    count, start = 0, time.perf_counter()
    while count < most and (count < 1 or time.perf_counter() - start < budget):
        call()
        count += 1
    return count / (time.perf_counter() - start)


def wsgi_application() -> Callable[..., Any]:
    """The application gunicorn serves (`crm.wsgi`), as it is set up there for serving."""
    from crm.wsgi import application

    return application


def count_queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def search_terms(user: Any) -> list[tuple[str, str]]:
    """(class, term) pairs: 2, 3 and 6+ characters; common and rare; names, emails, phone digits."""
    from contacts.models import Contact, ContactItem

    middle = Contact.objects.filter(is_company=True).order_by("pk")
    company = middle[middle.count() // 2 : middle.count() // 2 + 1].values_list("display_name", flat=True).first()
    person = Contact.objects.filter(is_company=False).order_by("-pk").first()
    email = ContactItem.objects.filter(contact=person, kind="email").values_list("value", flat=True).first() or ""
    cell = ContactItem.objects.filter(kind="tel", tel_type="cell").order_by("-pk").values_list("normalized", flat=True)
    rare_digits = (cell.first() or "+4915100000")[-7:]
    return [
        ("name, 2 chars, common", "ma"),
        ("name, 2 chars, rare", "xe"),
        ("name, 3 chars, common", "sch"),
        ("name, 3 chars, rare", "yus"),
        ("name, 6+ chars, common", "schmidt"),
        ("name, 6+ chars, rare", (company or "Globex Hooli Ltd").split()[-1] if company else "nakatomi"),
        ("email, 6+ chars, common", "example.com"),
        ("email, 6+ chars, rare", email.split("@")[0]),
        ("phone digits, 3, common", "151"),
        ("phone digits, 7, rare", rare_digits),
    ]


def cpu_samples(fn: Callable[[], Any], *, runs: int, budget: float) -> tuple[list[float], list[float]]:
    """Wall and CPU times (time.process_time, which load on a shared machine distorts less) of fn, in ms."""
    walls: list[float] = []
    cpus: list[float] = []
    deadline = time.perf_counter() + budget
    while len(walls) < runs and (not walls or time.perf_counter() < deadline):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - start) * 1000)
    return walls, cpus


def measure_reads(table: Table, user: Any, budget: float) -> None:
    from django.core.paginator import Paginator

    from contacts.forms.lists import sorted_by
    from contacts.rows import contact_rows
    from contacts.search import sqlite_fold
    from contacts.selectors import COUNTED_UP_TO, ContactPages, contact_count, contact_list_for_display
    from contacts.views.lists import LIST_RELATED
    from dialects.redmine import representations
    from dialects.redmine.filters import contact_ordering

    def ui_page(filters: dict[str, str]) -> None:
        # As the UI list reads (contacts.views.lists): its default sort and the related rows its
        # columns show, a count capped at COUNTED_UP_TO ("10000+"), then the first page.
        contacts = sorted_by(contact_list_for_display(user=user, filters=filters, related=LIST_RELATED), "name")
        list(Paginator(ContactPages(contacts, cap=COUNTED_UP_TO), PAGE_SIZE).get_page(1))

    def dialect_rows(filters: dict[str, str], *, last: bool = False) -> None:
        # As the dialects that document a total read (the Redmine list, dialects/redmine/views.py):
        # the exact count, then the page's rows with what a list shows, from the nearer end.
        qs = contact_list_for_display(user=user, filters=filters, order_by=contact_ordering(None), related=())
        total = contact_count(qs)
        contact_rows(qs, offset=max(0, total - PAGE_SIZE) if last else 0, limit=PAGE_SIZE, total=total,
                     fields=representations.FIELDS, joined=representations.JOINED,
                     related=representations.RELATED)  # fmt: skip

    # A long-running server has its per-process caches filled: the search's case-folding table.
    sqlite_fold("É")
    for label, term in search_terms(user):
        for face, call in (("capped count", ui_page), ("exact count", dialect_rows)):
            times, cpus = cpu_samples(lambda term=term, call=call: call({"search": term}), runs=7, budget=budget)
            value = (f"p50 {statistics.median(times):.0f} / p95 {p95(times):.0f} ms, "
                     f"cpu {statistics.median(cpus):.0f} ms (n={len(times)})")  # fmt: skip
            table.add(f"search '{term}' ({label}), {face}", value, "p95 <= 20 ms", p95(times) <= 20)

    first, first_cpu = cpu_samples(lambda: dialect_rows({}), runs=7, budget=budget)
    last, last_cpu = cpu_samples(lambda: dialect_rows({}, last=True), runs=7, budget=budget)
    ui_first, ui_cpu = cpu_samples(lambda: ui_page({}), runs=7, budget=budget)
    table.add("first page of 25 with its count (p50)", f"{statistics.median(first):.0f} ms, cpu "
              f"{statistics.median(first_cpu):.0f} ms", "<= 50 ms", statistics.median(first) <= 50)  # fmt: skip
    table.add("last page of 25 with its count (p50)", f"{statistics.median(last):.0f} ms, cpu "
              f"{statistics.median(last_cpu):.0f} ms", "<= 2x first page",
              statistics.median(last) <= 2 * max(statistics.median(first), 1))  # fmt: skip
    table.add("UI: first page of 25 with its capped count (p50)", f"{statistics.median(ui_first):.0f} ms, cpu "
              f"{statistics.median(ui_cpu):.0f} ms", "<= 50 ms", statistics.median(ui_first) <= 50)  # fmt: skip


def measure_duplicates(table: Table, app: Any, headers: dict[str, str], user: Any, budget: float) -> None:
    """The scan for duplicates (a background task) and then the duplicates page as a browser asks
    for it (the kept scan's pairs, the first page's contacts, the HTML)."""
    from contacts.duplicates import duplicate_pairs
    from contacts.services import duplicate_scan_run

    wall, cpu = time.perf_counter(), time.process_time()
    scan = duplicate_scan_run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    table.add("duplicates scan over every contact (background task)", f"{wall:.1f} s (CPU {cpu:.1f} s)")
    status = [0]

    def page() -> None:
        status[0] = wsgi_get(app, "/contacts/duplicates/", headers)[0]

    queries = count_queries(page)
    times = samples(page, runs=5, budget=budget)
    pairs = len(duplicate_pairs(user=user, groups=scan.groups))
    value = f"{statistics.median(times) / 1000:.2f} s, {queries} queries" + ("" if status[0] == 200 else
                                                                                f" (HTTP {status[0]})")  # fmt: skip
    table.add(f"duplicates page: likely pairs ({pairs:,}), p50", value, "<= 2 s", statistics.median(times) <= 2000
              and status[0] == 200)  # fmt: skip


def measure_routes(
    table: Table, app: Any, bare: Any, headers: dict[str, dict[str, str]], budget: float, *, visible: int
) -> None:
    from django.db import connection

    deep = max(2, min(100, visible // PAGE_SIZE))  # page 100, or the last full page of a small set
    for route in [*ROUTES, UI_ROUTE]:
        # One request first, uncounted: a key's use is written at most once a minute, and a
        # long-running server has its per-process caches filled; neither is a cost of the list.
        first = wsgi_get(app, route.url.format(limit=PAGE_SIZE, offset=0, page=1), headers[route.auth])[1]
        # A page past the end of a list is empty and reads less: measure the deepest that exists.
        last = deep if route.pages is None else max(1, min(deep, route.pages(first)))
        deepest = f"page {last}" if last == deep else f"page {last} (its last)"
        counts = []
        for page_number in (1, last):
            url = route.url.format(limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, page=page_number)
            status = [0]

            def call(url: str = url, status: list[int] = status, auth: str = route.auth) -> None:
                status[0] = wsgi_get(app, url, headers[auth])[0]

            queries = count_queries(call)
            counts.append(f"{queries}" if status[0] == 200 else f"{queries} (HTTP {status[0]})")
        worst = max(int(c.split()[0]) for c in counts)
        table.add(f"{route.label}: SQL queries, page 1 / {deepest}", " / ".join(counts), "<= 7, equal",
                  worst <= 7 and counts[0] == counts[1])  # fmt: skip

    bare_url = f"/contacts.json?limit={LIST_SIZE}&offset=0"
    bare_rps = requests_per_second(lambda: wsgi_get(bare, bare_url, {}), budget=budget)
    size = len(wsgi_get(bare, bare_url, {})[1])
    driver = "sqlite3" if connection.vendor == "sqlite" else "psycopg"
    table.add(f"bare WSGI + {driver} + orjson, list of {LIST_SIZE}", f"{bare_rps:.1f} req/s ({size // 1024} KiB)")
    rates: dict[str, float] = {}
    for route in ROUTES:
        url = route.url.format(limit=LIST_SIZE, offset=0, page=1)
        status, body = wsgi_get(app, url, headers[route.auth])
        if status != 200:
            table.add(f"{route.label}: list of {LIST_SIZE}", f"HTTP {status}", ">= 0.5x bare", False)
            continue
        rate = rates[route.label] = requests_per_second(lambda url=url, route=route: wsgi_get(
            app, url, headers[route.auth]), budget=budget)  # fmt: skip
        table.add(f"{route.label}: list of {LIST_SIZE}", f"{rate:.1f} req/s ({len(body) // 1024} KiB), "
                  f"{rate / bare_rps:.2f}x bare", ">= 0.5x bare", rate >= 0.5 * bare_rps)  # fmt: skip
    for route in ROUTES:
        if route.json and route.label in rates and route.json in rates:
            ratio = rates[route.json] / rates[route.label]
            table.add(f"{route.label} / {route.json} time", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)


def measure_lists(table: Table, user: Any, budget: float, *, bulk_size: int) -> None:
    """The contacts list: first and last page of every sort, and a bulk action over many contacts."""
    from django.db import transaction

    from contacts.forms.lists import INDEXED_SORTS, SORTS, sorted_by
    from contacts.selectors import contact_count, contact_list, contact_list_for_display, contact_page
    from contacts.services import contact_bulk_apply

    total = contact_count(contact_list(user=user, prefetch=False))
    for key in SORTS:
        qs = sorted_by(contact_list_for_display(user=user, related=("items", "tagged_items")), key)
        first = statistics.median(samples(lambda qs=qs: contact_page(qs, offset=0, limit=PAGE_SIZE, total=total),
                                          runs=5, budget=budget))  # fmt: skip
        last = statistics.median(samples(lambda qs=qs: contact_page(qs, offset=max(0, total - PAGE_SIZE),
                                         limit=PAGE_SIZE, total=total), runs=5, budget=budget))  # fmt: skip
        indexed = key in INDEXED_SORTS
        table.add(f"UI list sorted by {key}: first / last page (p50)", f"{first:.0f} / {last:.0f} ms",
                  "<= 50 ms (indexed)" if indexed else "", (max(first, last) <= 50) if indexed else None)  # fmt: skip
    with transaction.atomic():
        visible = contact_list(user=user, prefetch=False).order_by("pk").values_list("pk", flat=True)
        last = visible[min(bulk_size, total) - 1]  # the first `bulk_size` visible contacts, as a filter
        start = time.perf_counter()
        outcome = contact_bulk_apply(user=user, contacts=contact_list(user=user, prefetch=False).filter(pk__lte=last),
                                     action="tag", value=["bench-bulk"])  # fmt: skip
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    done = outcome.done + outcome.skipped
    rate = done / max(seconds, 1e-9)
    table.add(f"bulk add tag over {done:,} contacts (rolled back)", f"{seconds:.1f} s, {rate:,.0f} contacts/s",
              ">= 2,000/s", rate >= 2000)  # fmt: skip


def measure_exports(table: Table, user: Any, rows: int) -> None:
    """CSV and vCard of `rows` visible contacts: rows per second, then peak memory.

    The timed run is untraced; a second run traces allocations (tracing slows it several times
    over) and reads the peak after every chunk: the peak after the first tenth of the rows against
    the peak over all of them shows whether memory grows with the export (it must not).
    """
    from contacts.exporters import iter_csv, iter_vcard
    from contacts.selectors import contact_list

    visible = contact_list(user=user, prefetch=False).order_by("pk").values_list("pk", flat=True)
    last = visible[rows - 1 : rows].first() if rows else None
    contacts = contact_list(user=user).filter(pk__lte=last or 0)
    goals = {"csv": (20000, ">= 20k rows/s"), "vcard": (10000, ">= 10k rows/s")}
    for name, export in (("csv", iter_csv), ("vcard", iter_vcard)):
        start, cpu = time.perf_counter(), time.process_time()
        size = sum(map(len, export(contacts, user=user)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        rate = rows / seconds if seconds else 0.0
        floor, goal = goals[name]
        table.add(f"{name} export of {rows:,} contacts",
                  f"{seconds:.1f} s (CPU {cpu:.1f} s), {rate:,.0f} rows/s, {size >> 20} MiB", goal,
                  rate >= floor)  # fmt: skip
        early = [0]

        def progress(done: int, early: list[int] = early) -> None:
            if done <= max(rows // 10, 1):
                early[0] = tracemalloc.get_traced_memory()[1]

        tracemalloc.start()
        for _ in export(contacts, user=user, progress=progress):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        first = early[0] or peak
        table.add(f"{name} export peak memory, first {max(rows // 10, 1):,} / all {rows:,} rows",
                  f"{first / 2**20:.1f} / {peak / 2**20:.1f} MiB", "flat (<= 1.5x)", peak <= 1.5 * first)  # fmt: skip


def measure_import(table: Table, user: Any, contacts: int) -> None:
    """Import a CSV of `contacts` rows (four items each) through the bulk path, then take them out again."""
    import tempfile

    from django.db import connection

    from bench.importing import write_import_file
    from contacts.importers import default_targets, import_run, source_open
    from contacts.models import Contact

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.csv"
        items = write_import_file(path, contacts)
        top = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        source = source_open(path)
        start, cpu, worker = time.perf_counter(), time.process_time(), _children_cpu()
        summary = import_run(source=source, targets=default_targets(source), user=user)
        seconds, cpu, worker = time.perf_counter() - start, time.process_time() - cpu, _children_cpu() - worker
    goal = 15 if connection.vendor == "sqlite" else 10
    per_100k = seconds * 100_000 / contacts
    # The CPU time of this process (on SQLite, the database's work too) tells a busy machine from a slow
    # import; the worker's (reading and checking the rows, beside it) is its own figure.
    table.add(f"import of {contacts:,} contacts with {items:,} items (CSV)",
              f"{seconds:.1f} s ({per_100k:.1f} s per 100k, CPU {cpu:.1f} s + worker {worker:.1f} s,"
              f" {summary.rejected} rejected)",
              f"100k in <= {goal} s", per_100k <= goal and summary.created == contacts)  # fmt: skip
    _delete_contacts_after(top)


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the import's worker once it is joined)."""
    times = os.times()
    return times.children_user + times.children_system


def _delete_contacts_after(top: int) -> None:
    """Delete the contacts with ids above `top` and every row pointing at them, in plain SQL (the
    search triggers drop their documents). The contacts go first (foreign keys are checked at
    commit): their items' delete triggers then find no contact whose document they would rebuild."""
    from django.db import connection, transaction

    from contacts.models import Contact

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM contacts_contact WHERE id > %s", [top])
        cursor.execute("UPDATE contacts_contact SET company_id = NULL WHERE company_id > %s", [top])
        for field in Contact._meta.many_to_many:
            through = field.remote_field.through._meta.db_table
            cursor.execute(f"DELETE FROM {quote(through)} WHERE {quote(field.m2m_column_name())} > %s", [top])
        for relation in Contact._meta.related_objects:
            if relation.related_model is Contact or relation.many_to_many:
                continue
            table_name = relation.related_model._meta.db_table
            cursor.execute(f"DELETE FROM {quote(table_name)} WHERE {quote(relation.field.column)} > %s", [top])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post_body(key: str, lead: str) -> str:
    """The body of one web-form post: a new lead's name and email, urlencoded."""
    return urllib.parse.urlencode(
        {"key": key, "project_id": "sales", "contact[first_name]": "Lead", "contact[email]": f"{lead}@bench.example"}
    )


def post(port: int, key: str, lead: str) -> int:
    """One web-form post as a browser sends it (urlencoded, a new connection); its HTTP status."""
    body = post_body(key, lead)
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST", "/redmine/contacts.json", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        return connection.getresponse().status
    finally:
        connection.close()


def measure_webform(table: Table, *, label: str, posts: int, budget: float) -> None:
    """8 posters against gunicorn (2 workers) on loopback, each post a new lead; bounded in count and time."""
    from contacts.models import Contact, WebForm
    from projects.models import Project

    project = Project.objects.get(identifier="sales")
    form, _ = WebForm.objects.get_or_create(project=project, name="Benchmark form", defaults={"tags": "bench-webform"})
    form.rate_limit_per_hour, form.tags, form.allowed_fields = 10**9, "bench-webform", ["first_name", "email"]
    form.save()
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 40, "DB_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "crm.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for number in range(4):  # let both workers load the app before the clock starts
            post(port, form.key, f"warm-{time.time()}-{number}")
        counter = iter(range(posts))
        lock = threading.Lock()
        results: list[int] = []
        run = f"{time.time():.0f}"
        deadline = time.perf_counter() + budget

        def poster() -> None:
            while time.perf_counter() < deadline:
                with lock:
                    number = next(counter, None)
                if number is None:
                    return
                status = post(port, form.key, f"{run}-{number}")
                with lock:
                    results.append(status)

        start = time.perf_counter()
        threads = [threading.Thread(target=poster) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    created = results.count(201)
    rate = created / seconds
    errors = "" if created == len(results) else f", {len(results) - created} not 201"
    table.add(f"web form posts, 8 posters, 2 workers ({label})", f"{rate:.0f} posts/s ({created} in {seconds:.1f} s"
              f"{errors})", ">= 150/s", rate >= 150 and created == len(results))  # fmt: skip
    measure_webform_cost(table, key=form.key, run=run, budget=budget)
    Contact.objects.filter(tags__name="bench-webform").delete()  # the run leaves the data as it found it


def measure_webform_cost(table: Table, *, key: str, run: str, budget: float) -> None:
    """What one post costs in process, figures the machine's load does not distort: its SQL
    queries and the CPU time of the posts (the database's work too, on SQLite)."""
    app = wsgi_application()
    headers = {"CONTENT_TYPE": "application/x-www-form-urlencoded"}
    numbers = iter(range(10**9))

    def one() -> int:
        body = post_body(key, f"{run}-cost-{next(numbers)}").encode()
        return wsgi_get(app, "/redmine/contacts.json", headers, method="POST", body=body)[0]

    one()  # the first post of a process fills its caches
    queries = count_queries(one)
    count, cpu, deadline = 0, time.process_time(), time.perf_counter() + budget
    while count < 200 and (count < 10 or time.perf_counter() < deadline):
        one()
        count += 1
    per_post = (time.process_time() - cpu) * 1000 / count
    table.add("web form post in process: SQL queries, CPU per post", f"{queries} queries, {per_post:.1f} ms CPU "
              f"(n={count})")  # fmt: skip


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
