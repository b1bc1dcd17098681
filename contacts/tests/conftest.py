"""Fixtures of the UI tests: signed-in clients and the POST body of the contact form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
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
