"""The benchmark's measuring tools: the table it prints, timed samples and their p95, requests
per second of a bounded loop, one request through a WSGI app in process, the SQL queries of a call.

The figures themselves are measured by the modules of each group of rows (`bench/run.py` lists them).
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from typing import Any


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
