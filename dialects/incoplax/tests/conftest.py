"""Fixtures of the Incoplax dialect's tests: a client per credential, the seed's contacts, golden files."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from contacts.models import Contact
from contacts.services import apikey_get_or_create, contact_create_slotted, group_create
from dialects.incoplax.codes import SLOTS
from dialects.tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
CREATED = datetime.datetime(2019, 8, 28, 11, 59, 40, 750000, tzinfo=datetime.UTC)
CHANGED = datetime.datetime(2019, 8, 29, 7, 57, 58, 400000, tzinfo=datetime.UTC)
JOHN_ID = uuid.UUID("ae425147-016c-d818-82d0-50e54938780c")
ADAM_ID = uuid.UUID("26d569b2-016c-d818-9e97-50e54938780c")
TIME = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d\dZ"')
BASE = "/rest/v1/addressbook"


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """An API client sending a user's key as `Authorization: Bearer` (None: no credentials)."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {apikey_get_or_create(user=user).key}")
        return client

    return make


@pytest.fixture
def api(client_for: Callable[[Any], APIClient], alice: Any) -> APIClient:
    return client_for(alice)


def slotted(user: Any, *, uuid: uuid.UUID | None = None, groups: Sequence[str] = (), **values: Any) -> Contact:
    """A contact made as the dialect makes one, with fixed timestamps."""
    names = {key: values.pop(key) for key in ("first_name", "last_name") if key in values}
    fields = {k: values.pop(k) for k in ("department", "job_title", "priority", "visibility") if k in values}
    contact = contact_create_slotted(
        user=user, fields={**names, **fields}, layout=SLOTS, slots=values, tags=list(groups), uuid=uuid
    )
    Contact.objects.filter(pk=contact.pk).update(created_at=CREATED, updated_at=CHANGED)
    return Contact.objects.get(pk=contact.pk)


@pytest.fixture
def engineers(alice: Any) -> Any:
    return group_create(user=alice, name="Engineers", code="engineers")


@pytest.fixture
def john(alice: Any, engineers: Any) -> Contact:
    """The seed's first contact (with numbers that today's phone check accepts)."""
    return slotted(
        alice,
        uuid=JOHN_ID,
        first_name="John",
        last_name="Smith",
        department="IT",
        job_title="engineer",
        priority=100,
        number="+1 202 555 0111",
        numlocal="+1 202 555 0411",
        mobile="8987000000",
        email="m.sidorov@company.com",
        groups=["Engineers"],
    )


@pytest.fixture
def adam(alice: Any, john: Contact) -> Contact:
    return slotted(
        alice,
        uuid=ADAM_ID,
        first_name="Adam",
        last_name="White",
        department="IT",
        job_title="engineer",
        number="+1 202 555 0112",
        email="s.petrov@company.com",
    )


@pytest.fixture
def golden() -> Callable[..., None]:
    """Compare a body with golden/<name> byte for byte (with `mask`, the times of new writes are
    masked), with the one helper of dialects/tests/golden.py (UPDATE_GOLDEN=1 rewrites the files)."""

    def check(name: str, body: bytes, *, mask: bool = False) -> None:
        text = body.decode()
        if mask:
            text = TIME.sub('"TIME"', text)
        assert_golden(GOLDEN / name, text.encode())

    return check
