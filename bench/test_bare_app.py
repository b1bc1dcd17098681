"""The benchmark's yardstick serves the same page from PostgreSQL as from SQLite.

On SQLite the harness's own run (test_bench.py) covers it; here the suite's PostgreSQL database,
committed so that the yardstick's own connection sees it, is read through psycopg.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from django.db import connection

from bench.bare_app import driver, make_app

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def test_the_driver_follows_the_database_named() -> None:
    assert driver("/tmp/bench.sqlite3") == "sqlite3"
    assert driver("postgres://crm@127.0.0.1:5432/crm") == "psycopg"
    assert driver("postgresql://crm@127.0.0.1/crm") == "psycopg"


@pytest.mark.skipif(not ON_POSTGRES, reason="the SQLite yardstick runs in the harness's own test")
@pytest.mark.django_db(transaction=True)
def test_the_yardstick_serves_a_page_from_postgresql(make_contact: Callable[..., Any]) -> None:
    make_contact(first_name="Ada", last_name="Byron", tags=["vip"], items=[
        {"kind": "email", "value": "ada@example.com"}, {"kind": "tel", "value": "+44 20 7946 0000"}])  # fmt: skip
    make_contact(first_name="Bob", last_name="Allen")
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT']}"
           f"/{settings['NAME']}")  # fmt: skip
    answers: list[str] = []
    body = b"".join(make_app(url)({"QUERY_STRING": "limit=1&offset=0"}, lambda status, headers: answers.append(status)))
    page = orjson.loads(body)
    assert answers == ["200 OK"]
    assert (page["total_count"], page["offset"], page["limit"]) == (2, 0, 1)
    [ada] = page["contacts"]
    assert (ada["first_name"], ada["last_name"], ada["tag_list"]) == ("Ada", "Byron", ["vip"])
    assert ada["emails"] == [{"address": "ada@example.com"}]
    assert ada["phones"] == [{"number": "+44 20 7946 0000"}]
