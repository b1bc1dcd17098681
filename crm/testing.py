"""A real server for tests of what only a running deployment shows (several workers, one store).

`ServedCRM` gives each instance a database of its own (a SQLite file, or, when the suite runs on
PostgreSQL, a fresh database on the same server, dropped afterwards), runs management commands
against it, and serves it with gunicorn on 127.0.0.1 and a free port.

The database starts as a copy of a template: migrated, with the cache table, the admin user and
whatever `setup` commands the instance asks for (seed_demo, say). A template is built once per
version of what makes it (the migrations, the models, the management commands, the setup) and
kept (a file in the temporary folder, or a database named after its fingerprint), under a lock,
so parallel test processes and later runs share it; a copy costs a fraction of a migration.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
# What every template runs, in one process: a served instance is a deployment as `make run` sets it up.
BASE_SETUP = (("migrate", "--noinput"), ("createcachetable",), ("ensure_admin",))
TEMPLATE_PREFIX = "crm_served_template_"
# The settings every served instance (and its template) runs with besides its own database: a fast
# password hasher, as the in-process tests use (conftest.py), since a test signs in far more often
# than a person does and PBKDF2 costs a third of a second of CPU a password. The users in a
# template are hashed with it, so it is part of the template's fingerprint. The throttling of
# password guessing does not depend on the hasher and is tested in-process. Database connections
# are kept between requests, as docs/deployment.md advises for production: opening one (and, on
# SQLite, setting its pragmas) for every request costs a served test's server about a tenth of its CPU.
SERVED_SETTINGS = {"PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher", "DB_CONN_MAX_AGE": "60"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fingerprint(setup: Sequence[Sequence[str]]) -> str:
    """A hash of what makes a template: the migrations, models and management commands, the
    settings, and the setup."""
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/models.py"))
    sources += sorted(ROOT.glob("*/models/*.py"))
    sources += sorted(ROOT.glob("*/management/commands/*.py")) + [ROOT / "crm" / "settings.py"]
    digest = hashlib.sha256(repr([[list(command) for command in setup], sorted(SERVED_SETTINGS.items())]).encode())
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode() + source.read_bytes())
    return digest.hexdigest()[:16]


def run_commands(commands: Sequence[Sequence[str]], *, env: dict[str, str]) -> None:
    """Run management commands one after the other in one process (one Django start-up for all)."""
    script = "import sys\nfrom django.core.management import call_command\n" + "".join(
        f"call_command(*{list(command)!r}, stdout=sys.stderr)\n" for command in commands
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


class ServedCRM:
    """One served instance: `start()`, `manage(...)`, `url(path)`, then `stop()`."""

    def __init__(self, directory: Path, *, workers: int = 2, setup: Sequence[Sequence[str]] = ()) -> None:
        self.workers = workers
        self.setup = (*BASE_SETUP, *(tuple(command) for command in setup))
        self.template = fingerprint(self.setup)
        self.port = free_port()
        self.pg_admin_url: str | None = None
        suite_url = os.environ.get("DATABASE_URL", "")
        if suite_url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(suite_url)
            self.database = f"crm_served_{uuid.uuid4().hex[:10]}"
            self.pg_admin_url = urlunsplit(parts._replace(path="/postgres"))
            database_url = urlunsplit(parts._replace(path=f"/{self.database}"))
        else:
            self.database = str(directory / "served.sqlite3")
            database_url = f"sqlite:///{self.database}"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(directory),
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "crm.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": "test-only-secret-key-for-the-served-instance",
            "MEDIA_ROOT": str(directory / "media"),
            "ADMIN_USERNAME": "admin",
            "ADMIN_PASSWORD": "admin-pass-123",
        } | SERVED_SETTINGS
        self.server: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def manage(self, *args: str) -> str:
        """Run a management command against the instance's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )
        return done.stdout

    def _env_for(self, database_url: str) -> dict[str, str]:
        return self.env | {"DATABASE_URL": database_url}

    def _copy_template(self) -> None:
        """The instance's database as a copy of its template, the template built first if need be."""
        shared = Path(tempfile.gettempdir())
        with open(shared / f"crm-served-{self.template}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.pg_admin_url is None:
                template = shared / f"crm-served-{self.template}.sqlite3"
                if not template.exists():
                    building = shared / f"crm-served-{self.template}-{os.getpid()}.sqlite3"
                    building.unlink(missing_ok=True)
                    run_commands(self.setup, env=self._env_for(f"sqlite:///{building}"))
                    building.rename(template)
                shutil.copyfile(template, self.database)
                return
            name = TEMPLATE_PREFIX + self.template
            with psycopg.connect(self.pg_admin_url, autocommit=True) as admin:
                if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                    building = f"{name}_{os.getpid()}"
                    admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
                    admin.execute(f'CREATE DATABASE "{building}"')
                    parts = urlsplit(self.pg_admin_url)
                    run_commands(self.setup, env=self._env_for(urlunsplit(parts._replace(path=f"/{building}"))))
                    admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
                admin.execute(f'CREATE DATABASE "{self.database}" TEMPLATE "{name}"')

    def start(self) -> ServedCRM:
        self._copy_template()
        self.server = subprocess.Popen(
            # --preload: the port opens once Django is loaded, so the first request is not a cold start.
            [str(GUNICORN), "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--preload"]
            + ["crm.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=10)
        if self.pg_admin_url is not None:
            with psycopg.connect(self.pg_admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
