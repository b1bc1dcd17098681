"""The benchmark harness runs end to end on a tiny database and prints its one table.

Only that it runs and reports is checked here: its timing goals live in the benchmark itself.
The tests share one cache folder (the databases, the collected static files), so a database of
a size another test built is reused. The harness runs on SQLite whatever the suite's database
(its environment names none), so a suite on PostgreSQL leaves these to the SQLite run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

RUN = Path(__file__).with_name("run.py")
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the harness runs on SQLite whatever the suite's database: the SQLite run covers it",
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: Any) -> dict[str, str]:
    """The harness's environment: a home and a cache folder shared by the module's tests."""
    home = tmp_path_factory.mktemp("bench")
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "BENCH_CACHE_DIR": str(home / "cache")}


def test_the_harness_runs_on_a_tiny_database_and_prints_one_table(env: dict[str, str]) -> None:
    command = [sys.executable, str(RUN), "--contacts", "300", "--budget", "0.2", "--posts", "16"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    table = result.stdout[result.stdout.index("Benchmark at 300 contacts") :]
    for figure in (
        "seed_demo --contacts 300",
        "Redmine JSON: SQL queries, page 1 / page",
        "ONLYOFFICE XML: list of 100",
        "incwo XML: list of 100",
        "Incoplax JSON: SQL queries, page 1 / page",
        "bare WSGI + sqlite3 + orjson",
        "Redmine XML / Redmine JSON time",
        "search 'sch' (name, 3 chars, common)",
        "last page of 25",
        "csv export of ",
        "csv export peak memory, first ",
        "duplicates page: likely pairs",
        "UI list sorted by email: first / last page",
        "bulk add tag over",
        "vcard export peak memory",
        "import of 300 contacts with 1,200 items (CSV)",
        "web form posts, 8 posters, 2 workers",
        "web form post in process: SQL queries, CPU per post",
    ):
        assert figure in table, figure
    assert re.search(r"web form posts.*\| \d+ posts/s \(\d+ in", table), table
    # Each list route's deep page is one that exists (incwo's pages are 100 long: its last), and
    # costs the queries of the first.
    counts = re.findall(r"\| (.+): SQL queries, page 1 / page \d+[^|]*\| (\d+) / (\d+) ", table)
    assert len(counts) == 7 and all(first == deep for _, first, deep in counts), counts
    assert re.search(r"web form post in process.*\| \d+ queries, [\d.]+ ms CPU \(n=\d+\)", table), table
    assert list(Path(env["BENCH_CACHE_DIR"]).glob("bench-300-*.sqlite3"))


def test_a_second_run_reuses_the_cached_database(env: dict[str, str]) -> None:
    command = [sys.executable, str(Path(__file__).with_name("database.py"))]
    first = subprocess.run(command, capture_output=True, text=True, env=env | {"BENCH_CONTACTS": "50"}, timeout=300)
    second = subprocess.run(command, capture_output=True, text=True, env=env | {"BENCH_CONTACTS": "50"}, timeout=300)
    assert "built in" in first.stdout, first.stderr
    assert "reused" in second.stdout, second.stderr


def test_only_measures_the_groups_it_names_and_refuses_unknown_ones(env: dict[str, str]) -> None:
    command = [sys.executable, str(RUN), "--contacts", "300", "--budget", "0.2", "--only", "duplicates,reads"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    table = result.stdout[result.stdout.index("Benchmark at 300 contacts") :]
    assert "duplicates page: likely pairs" in table
    assert "last page of 25" in table
    assert "Redmine JSON: list of 100" not in table
    assert "web form posts" not in table
    refused = subprocess.run([*command[:-1], "routes,nothing"], capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 2
    assert "unknown group nothing" in refused.stderr


def test_the_routes_are_served_by_the_app_gunicorn_serves(env: dict[str, str]) -> None:
    # crm.wsgi's application, frozen out of the garbage collector as it is for gunicorn.
    probe = (
        "import gc, os, sys; sys.path.insert(0, os.getcwd()); os.environ['SECRET_KEY'] = 'x' * 50;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'crm.settings'; import django; django.setup();"
        "from bench import measure; import crm.wsgi; print(measure.wsgi_application() is crm.wsgi.application,"
        " gc.get_freeze_count() > 0)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120,
                            cwd=RUN.parent.parent)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_the_cached_database_is_keyed_by_the_demo_data_set_too(tmp_path: Path, monkeypatch: Any) -> None:
    from bench import database

    for name in ("contacts/migrations/0001_initial.py", "contacts/management/commands/seed_demo.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# code\n")
    data = tmp_path / "contacts/demo/data.py"
    data.parent.mkdir(parents=True)
    data.write_text("FIRST_NAMES = ['Ada']\n")
    monkeypatch.setattr(database, "ROOT", tmp_path)
    before = database.schema_hash()
    data.write_text("FIRST_NAMES = ['Ada', 'Grace']\n")

    assert database.schema_hash() != before


@pytest.mark.django_db
def test_the_bare_app_reads_its_page_of_live_contacts_from_the_read_index_without_sorting() -> None:
    from django.db import connection

    from bench.bare_app import CONTACTS

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plans")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + CONTACTS.replace("?", "%s"), [100, 0])
        plan = [row[-1] for row in cursor.fetchall()]

    # The page's hundred rows are put back in order at the end; the table itself is never sorted.
    assert "SCAN contacts_contact USING INDEX contact_order_idx" in plan
    assert "SCAN contacts_contact" not in plan
