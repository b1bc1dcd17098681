"""The reads behind the pages: searches by class of term and the first and last page with their
counts, as the UI list and the Redmine list read them; the duplicates scan and page; the UI list's
first and last page under each sort, and a bulk action over many contacts.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.measure import Table, count_queries, cpu_samples, p95, samples, wsgi_get
from bench.routes import PAGE_SIZE


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
