"""The benchmark's database: built once per size and schema, then reused.

A SQLite file `bench/.cache/bench-<contacts>-<schema>.sqlite3`, where <schema> hashes every
migration and the demo loader, so a schema or data change builds a new file and an unchanged
tree reuses the old one (building a million contacts takes minutes). With DATABASE_URL set to
PostgreSQL, that database is migrated and topped up instead.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR") or ROOT / "bench" / ".cache")


def schema_hash() -> str:
    """A short hash of the migrations and the demo loader (the command and its data set in
    contacts/demo/): what the cached file's content depends on."""
    digest = hashlib.sha256()
    sources = [
        *sorted(ROOT.glob("*/migrations/*.py")),
        ROOT / "contacts/management/commands/seed_demo.py",
        *sorted(ROOT.glob("contacts/demo/*.py")),
    ]
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sqlite_path(contacts: int) -> Path:
    return CACHE_DIR / f"bench-{contacts}-{schema_hash()}.sqlite3"


def configure(contacts: int) -> str:
    """Point DATABASE_URL at the benchmark database (unless it is PostgreSQL); return its URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{sqlite_path(contacts)}"
        os.environ["DATABASE_URL"] = url
    return url


def build(contacts: int) -> float | None:
    """Migrate and load the demo contacts if they are not there; seconds spent loading, None if reused."""
    from django.core.management import call_command

    from contacts.models import Contact

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Contact.objects.count() >= contacts:
        return None
    start = time.perf_counter()
    call_command("seed_demo", contacts=contacts, quiet=True, stdout=io.StringIO())
    return time.perf_counter() - start


if __name__ == "__main__":  # build (or reuse) the database of BENCH_CONTACTS contacts, alone
    import sys

    import django

    sys.path.insert(0, str(ROOT))
    size = int(os.environ.get("BENCH_CONTACTS", "1000000"))
    configure(size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    django.setup()
    seconds = build(size)
    print(os.environ["DATABASE_URL"], "reused" if seconds is None else f"built in {seconds:.0f} s")
