"""A bare WSGI app (a database driver + orjson, no framework): the yardstick for the API list routes.

It serves a page of the contacts list from the same database (the SQLite file through sqlite3, or
PostgreSQL through psycopg), in the shape of the Redmine JSON
list (`{"contacts": [...], "total_count", "offset", "limit"}`, each contact with its phones,
emails and tags), with none of the framework: no routing, authentication, visibility or
serializers. The benchmark measures each dialect's list against it in the same run and the same
way, so the ratio says what the framework and the dialect cost.

    python bench/bare_app.py path/to/bench.sqlite3   # serves it on 127.0.0.1:8001 for a look
    python bench/bare_app.py postgres://user@host:port/name
"""

from __future__ import annotations

import sqlite3
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import orjson

# The page of contacts out of the trash is read through the display-name read index first (which
# holds live contacts only), then its companies: a join in the same statement lets SQLite sort the
# whole table.
CONTACTS = (
    "SELECT c.id, c.is_company, c.first_name, c.last_name, c.name, c.job_title,"
    " (SELECT co.display_name FROM contacts_contact co WHERE co.id = c.company_id), c.created_at, c.updated_at"
    " FROM (SELECT * FROM contacts_contact WHERE deleted_at IS NULL ORDER BY display_name, id LIMIT ? OFFSET ?) c"
    " ORDER BY c.display_name, c.id"
)


POSTGRES = ("postgres://", "postgresql://")


def driver(database: str) -> str:
    """The driver that serves `database`: psycopg for a PostgreSQL URL, sqlite3 for a file."""
    return "psycopg" if database.startswith(POSTGRES) else "sqlite3"


def connect(database: str) -> Any:
    """A read-only connection to `database` whose `execute(sql, params)` takes `?` placeholders."""
    if driver(database) == "sqlite3":
        connection = sqlite3.connect(database, check_same_thread=False)
        connection.execute("PRAGMA query_only = 1")
        return connection
    import psycopg

    connection = psycopg.connect(database, autocommit=True)
    connection.execute("SET default_transaction_read_only = on")

    class Connection:
        # psycopg's placeholder is %s; the statements above are written once, with `?`.
        def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
            return connection.execute(sql.replace("?", "%s"), list(params))

    return Connection()


def make_app(database: str) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """The app over `database`: a SQLite file's path or a PostgreSQL URL."""
    connection = connect(database)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        limit = max(1, min(100, int(query.get("limit", ["25"])[0])))
        offset = max(0, int(query.get("offset", ["0"])[0]))
        rows = connection.execute(CONTACTS, (limit, offset)).fetchall()
        ids = [row[0] for row in rows]
        marks = ",".join("?" * len(ids))
        phones: dict[int, list[dict[str, str]]] = defaultdict(list)
        emails: dict[int, list[dict[str, str]]] = defaultdict(list)
        for contact_id, kind, value in connection.execute(
            f"SELECT contact_id, kind, value FROM contacts_contactitem WHERE contact_id IN ({marks})"
            " AND kind IN ('tel', 'email') ORDER BY contact_id, position, id",
            ids,
        ):
            (phones if kind == "tel" else emails)[contact_id].append(
                {"number": value} if kind == "tel" else {"address": value}
            )
        tags: dict[int, list[str]] = defaultdict(list)
        for contact_id, name in connection.execute(
            "SELECT t.content_object_id, g.name FROM contacts_taggedcontact t JOIN contacts_tag g ON g.id = t.tag_id"
            f" WHERE t.content_object_id IN ({marks})",
            ids,
        ):
            tags[contact_id].append(name)
        (total,) = connection.execute("SELECT count(*) FROM contacts_contact WHERE deleted_at IS NULL").fetchone()
        contacts = [
            {
                "id": pk,
                "first_name": name if is_company else first,
                "last_name": None if is_company else last,
                "company": company,
                "is_company": bool(is_company),
                "job_title": title or None,
                "phones": phones[pk],
                "emails": emails[pk],
                "tag_list": sorted(tags[pk]),
                "created_on": created,
                "updated_on": updated,
            }
            for pk, is_company, first, last, name, title, company, created, updated in rows
        ]
        body = orjson.dumps({"contacts": contacts, "total_count": total, "offset": offset, "limit": limit})
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return app


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    make_server("127.0.0.1", 8001, make_app(sys.argv[1])).serve_forever()
