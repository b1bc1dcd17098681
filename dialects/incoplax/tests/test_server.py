"""LOOKUP goes through the production server stack: gunicorn passes the verb to the view.

The server runs on its own SQLite file (migrated here), on 127.0.0.1 and a free port, for as
long as the test takes.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url: str, method: str, body: object, auth: tuple[str, str]) -> tuple[int, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method)
    request.add_header("Content-Type", "application/json; charset=utf-8")
    request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_lookup_works_through_gunicorn(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/server.sqlite3",
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "test-only-secret-key-for-the-gunicorn-test",
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": "admin-pass-123",
    }
    for command in (["migrate", "--noinput"], ["ensure_admin"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        # --preload: the port opens once Django is loaded, so the first request is not a cold start.
        [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--preload", "crm.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/rest/v1/addressbook"
        auth = ("admin", "admin-pass-123")
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert call(f"{base}/contacts", "LOOKUP", "+1 202 555 0111", auth) == (
            404,
            {"error_code": 1404, "error_message": "Lookup failed"},
        )
        status, created = call(f"{base}/contacts", "POST", {"displayname": "A B", "number": "+1 202 555 0111"}, auth)
        assert status == 200
        assert call(f"{base}/contacts", "LOOKUP", "+1 202 555 0111", auth) == (200, [created["id"]])
        assert call(f"{base}/contacts", "LOOKUP", created["autokey"], auth) == (200, [created["id"]])
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
