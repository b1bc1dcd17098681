"""Data for the curl examples of docs/incoplax.md (run by docs/test_docs.py on a fresh database).

Ids are predictable because sequences are reset: user 1 is `admin` (password `admin`), the group
`engineers` is tag 1 (id `00000000-0000-4000-8000-000000000001`), contact 1 is John Smith (id
`ae425147-016c-d818-82d0-50e54938780c`) and contact 2 Adam White.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contacts.services import apikey_get_or_create, contact_create_slotted, group_create
from dialects.incoplax.codes import SLOTS
from dialects.incoplax.tests.conftest import ADAM_ID, JOHN_ID


@pytest.fixture
def docs_incoplax(make_user: Callable[..., Any]) -> dict[str, str]:
    admin = make_user("admin", superuser=True, password="admin")
    alice = make_user("alice")
    group_create(user=admin, name="Engineers", code="engineers")
    john = contact_create_slotted(
        user=admin,
        fields={
            "first_name": "John",
            "last_name": "Smith",
            "department": "IT",
            "job_title": "engineer",
            "priority": 100,
        },
        layout=SLOTS,
        slots={"number": "+1 202 555 0111", "mobile": "+1 202 555 0155", "email": "m.sidorov@company.com"},
        tags=["Engineers"],
        uuid=JOHN_ID,
    )
    adam = contact_create_slotted(
        user=admin,
        fields={"first_name": "Adam", "last_name": "White", "department": "IT", "job_title": "engineer"},
        layout=SLOTS,
        slots={"number": "+1 202 555 0112", "email": "s.petrov@company.com"},
        uuid=ADAM_ID,
    )
    assert (john.pk, adam.pk) == (1, 2)
    return {"KEY": apikey_get_or_create(user=alice).key}
