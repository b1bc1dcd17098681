"""Fixtures of the UI tests (signed-in clients, the POST body of the contact form), and concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test import Client


@pytest.fixture
def alice_client(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def contact_form_data() -> Callable[..., dict[str, Any]]:
    """The body the contact form posts: its fields, item rows and address rows (with management forms)."""

    def build(
        *, items: list[dict[str, Any]] = (), addresses: list[dict[str, Any]] = (), initial_items: int = 0, **fields: Any
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"visibility": "public"} | fields
        for prefix, rows, initial in (("items", items, initial_items), ("addresses", addresses, 0)):
            data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
            for index, row in enumerate(rows):
                defaults = {"kind": "tel", "context": "work"} if prefix == "items" else {"context": "work"}
                data |= {f"{prefix}-{index}-{name}": value for name, value in (defaults | row).items()}
        return data

    return build


def run_side_by_side(write: Callable[[int], None], *, writers: int) -> None:
    """Run `write(n)` for n in 0..writers-1, each in its own thread and database connection, all
    starting together (a barrier); fail with the first error any of them raised."""
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            write(n)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
