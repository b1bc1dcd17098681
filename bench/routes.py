"""The list routes of every dialect and format, and their figures: the SQL queries of page 1 and of
a deep page, and requests per second of a 100-contact list beside the bare app (`bench/bare_app.py`).

`CREDENTIALS` makes each route's request headers from the benchmark user's API key and session.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.measure import Table, count_queries, requests_per_second, wsgi_get

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
