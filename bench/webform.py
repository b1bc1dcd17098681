"""Web-form posts: 8 concurrent posters against gunicorn with 2 workers on loopback, then what one
post costs in process (its SQL queries and CPU time, figures a busy machine does not distort).
The posted leads are deleted again.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

from bench.measure import Table, count_queries, wsgi_application, wsgi_get

ROOT = Path(__file__).resolve().parent.parent


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
