"""Every shell example in README.md and docs/*.md runs, as written, against a real demo server.

A page's examples are its fenced ```sh and ```bash blocks. The first block that sets `BASE=`
(`BASE=http://127.0.0.1:8000 KEY=$(./.venv/bin/python manage.py apikey alice)`) is the line a
reader runs first: the test runs it with the demo server's address in place of
`http://127.0.0.1:8000`, keeps `BASE` and `KEY`, then runs every other block with bash, in page
order, from the project's folder. The server is `manage.py runserver` over a fresh copy of a
database made the way `make run` makes it (migrate, createcachetable, seed_demo, ensure_admin), so
the examples use only the demo users and data, and one page's changes never reach another page.

Each example must exit 0, and each HTTP answer must be a 2xx (a private curlrc makes curl print
the status after each answer without changing the example). Comment lines in a block say more:

    # => 404                            the status the last answer must have instead
    # contains: "first_name":"Anna"     text the output must contain (any number of lines)

A block that must not run (a server command, a sketch with placeholders) says so where everyone
sees it: ```sh no-run. New pages are picked up without any change here.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(?:sh|bash)(?P<info>[^\n]*)\n(?P<script>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
STATUS = re.compile(r"^# => (\d{3})\s*$", re.MULTILINE)
CONTAINS = re.compile(r"^# contains: (.+?)\s*$", re.MULTILINE)
WRITTEN_STATUS = re.compile(r"^=> (\d{3})$", re.MULTILINE)
SETUP = re.compile(r"^BASE=", re.MULTILINE)
DOCUMENTED_BASE = "http://127.0.0.1:8000"
CURL = shutil.which("curl")
PYTHON = sys.executable
# The demo server is SQLite's whatever the suite's database: a PostgreSQL suite leaves the examples to SQLite's.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@dataclass(frozen=True)
class Example:
    page: str
    line: int
    script: str
    status: int | None
    contains: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    name: str
    setup: str | None
    examples: tuple[Example, ...]


def page_of(name: str, text: str) -> Page:
    """A page's setup line and examples, in order (blocks marked no-run left out)."""
    setup: str | None = None
    examples: list[Example] = []
    for match in BLOCK.finditer(text):
        if "no-run" in match.group("info").split():
            continue
        script = match.group("script")
        if setup is None and SETUP.search(script):
            setup = script
            continue
        status = STATUS.search(script)
        line = text.count("\n", 0, match.start()) + 1
        contains = tuple(CONTAINS.findall(script))
        examples.append(Example(name, line, script, int(status.group(1)) if status else None, contains))
    return Page(name, setup, tuple(examples))


def all_pages() -> list[Page]:
    return [page_of(str(path.relative_to(ROOT)), path.read_text()) for path in PAGES]


def test_examples_are_found_with_their_setup_status_and_expected_text():
    text = """Intro
```sh
BASE=http://127.0.0.1:8000 KEY=$(./.venv/bin/python manage.py apikey alice)
```
```sh
curl -f "$BASE/x.json?key=$KEY"
# contains: "total_count":1
```
```json
{"not": "an example"}
```
```bash
curl "$BASE/x/1.json"
# => 401
```
```sh no-run
make run PORT=8001
```
"""
    page = page_of("sample.md", text)
    assert page.setup.startswith("BASE=http://127.0.0.1:8000 KEY=")
    first, second = page.examples
    assert (first.status, first.contains, first.line) == (None, ('"total_count":1',), 5)
    assert second.script.startswith('curl "$BASE/x/1.json"') and second.status == 401


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def server_env(database: Path) -> dict[str, str]:
    """What `make run` gives the server, on the given SQLite file (whatever database the tests use)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "DJANGO_"))}
    return env | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "1",
        "CACHE_URL": "db://crm_cache",
        "TASKS_BACKEND": "immediate",
        "PYTHONUNBUFFERED": "1",
    }


def demo_fingerprint() -> str:
    """A hash of what makes the demo database: the migrations, the models and the demo loader
    (the command and contacts.demo)."""
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/models.py"))
    sources += sorted(ROOT.glob("*/models/*.py"))
    sources.append(ROOT / "contacts" / "management" / "commands" / "seed_demo.py")
    sources += sorted((ROOT / "contacts" / "demo").glob("*.py"))
    digest = hashlib.sha256()
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode() + source.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def demo_database() -> Path:
    """One database made as `make run` makes it, built once per version of the code that makes it
    (kept in the temporary folder, under a lock, so parallel test processes and later runs share it)."""
    shared = Path(tempfile.gettempdir())
    database = shared / f"crm-docs-demo-{demo_fingerprint()}.sqlite3"
    with open(shared / "crm-docs-demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            building = shared / f"crm-docs-demo-{os.getpid()}.sqlite3"
            building.unlink(missing_ok=True)
            env = server_env(building)
            for command in (["migrate", "--noinput"], ["createcachetable"], ["seed_demo"], ["ensure_admin"]):
                manage(*command, env=env)
            building.rename(database)
    return database


@pytest.fixture
def demo_server(demo_database: Path, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A `manage.py runserver` on a free port over a fresh copy of the demo database."""
    database = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, database)
    env = server_env(database)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", env
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def run(script: str, *, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def check(example: Example, result: subprocess.CompletedProcess[str]) -> str | None:
    """What is wrong with an example's run, or None."""
    where = f"{example.page}:{example.line}"
    output = f"\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-2000:]}"
    if result.returncode != 0:
        return f"{where} exited with {result.returncode}{output}"
    statuses = [int(status) for status in WRITTEN_STATUS.findall(result.stdout)]
    if example.status is not None:
        if not statuses or statuses[-1] != example.status:
            return f"{where} answered {statuses}, not {example.status} at the end{output}"
        statuses = statuses[:-1]
    if any(not 200 <= status < 300 for status in statuses):
        return f"{where} answered {statuses}: not all 2xx{output}"
    for text in example.contains:
        if text not in result.stdout:
            return f"{where} does not contain {text!r}{output}"
    return None


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
@pytest.mark.skipif(ON_POSTGRESQL, reason="the demo server runs on SQLite whatever the suite's database")
@pytest.mark.parametrize("page", [p for p in all_pages() if p.examples], ids=lambda page: page.name)
def test_every_example_runs_as_written_against_the_demo_server(page: Page, demo_server, tmp_path):
    base, server = demo_server
    assert page.setup is not None, f"{page.name} has examples but no `BASE=... KEY=...` line before them"
    assert DOCUMENTED_BASE in page.setup, f"{page.name}'s setup line does not use {DOCUMENTED_BASE}"
    setup = run(page.setup.replace(DOCUMENTED_BASE, base) + '\nprintf "%s\\n%s\\n" "$BASE" "$KEY"', env=server)
    assert setup.returncode == 0, setup.stderr
    base_value, key = setup.stdout.strip().splitlines()[-2:]
    assert base_value == base and key, setup.stdout
    home = tmp_path / "home"
    home.mkdir()
    (home / ".curlrc").write_text('silent\nshow-error\nwrite-out = "\\n=> %{http_code}\\n"\n')
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "CURL_HOME": str(home),
        "NO_PROXY": "*",
        "DATABASE_URL": server["DATABASE_URL"],
        "BASE": base,
        "KEY": key,
    }
    failures = [problem for example in page.examples if (problem := check(example, run(example.script, env=env)))]
    assert not failures, "\n\n".join(failures)
