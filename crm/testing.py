"""A real server for tests of what only a running deployment shows (several workers, one store).

`ServedCRM` migrates a database of its own (a SQLite file, or, when the suite runs on PostgreSQL,
a fresh database on the same server, dropped afterwards), runs management commands against it,
and serves it with gunicorn on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServedCRM:
    """One served instance: `start()`, `manage(...)`, `url(path)`, then `stop()`."""

    def __init__(self, directory: Path, *, workers: int = 2) -> None:
        self.workers = workers
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
        }
        self.server: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def manage(self, *args: str) -> str:
        """Run a management command against the instance's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )
        return done.stdout

    def start(self) -> ServedCRM:
        if self.pg_admin_url is not None:
            with psycopg.connect(self.pg_admin_url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("ensure_admin")
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
