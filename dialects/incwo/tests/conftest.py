"""Fixtures of the incwo dialect's tests: a client per credential, a business file with a firm and a contact."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from contacts.models import Contact, ContactType
from contacts.services import apikey_get_or_create
from dialects.tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
FIXED_TIME = datetime.datetime(2024, 5, 14, 12, 43, tzinfo=datetime.UTC)
XML = "application/xml"


class IncwoClient:
    """Calls under /incwo/<business file>/ with HTTP Basic (a user's key as the login)."""

    def __init__(self, user: Any, business_file: Any) -> None:
        self.client = APIClient()
        self.business_file = business_file
        if user is not None:
            key = apikey_get_or_create(user=user).key
            token = base64.b64encode(f"{key}:x".encode()).decode()
            self.client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")

    def url(self, path: str) -> str:
        return f"/incwo/{self.business_file}/{path}"

    def get(self, path: str) -> Any:
        return self.client.get(self.url(path))

    def post(self, path: str, body: str | bytes) -> Any:
        return self.client.post(self.url(path), body, content_type=XML)

    def put(self, path: str, body: str | bytes) -> Any:
        return self.client.put(self.url(path), body, content_type=XML)

    def delete(self, path: str) -> Any:
        return self.client.delete(self.url(path))


@pytest.fixture
def incwo_for(project: Any) -> Callable[..., IncwoClient]:
    """A client for a user (None: no credentials), on `project` unless told another business file."""

    def make(user: Any, business_file: Any = None) -> IncwoClient:
        return IncwoClient(user, project.pk if business_file is None else business_file)

    return make


@pytest.fixture
def api(incwo_for: Callable[..., IncwoClient], alice: Any) -> IncwoClient:
    """alice, the manager of the `support` project (business file 1 in golden tests)."""
    return incwo_for(alice)


def kind(code: str) -> ContactType:
    """A contact type by code (tests on a flushed database have lost the seeded ones)."""
    return ContactType.objects.get_or_create(code=code, defaults={"name": code.capitalize()})[0]


def fix_times(contact: Contact) -> Contact:
    Contact.objects.filter(pk=contact.pk).update(created_at=FIXED_TIME, updated_at=FIXED_TIME)
    return Contact.objects.get(pk=contact.pk)


@pytest.fixture
def acme(make_contact: Callable[..., Contact]) -> Contact:
    """A firm with a phone, an email and an address."""
    firm = make_contact(
        is_company=True,
        name="Acme Électronique",
        registration_number="732829320",
        vat_number="FR40732829320",
        contact_type=kind("supplier"),
        items=[
            {"kind": "tel", "tel_type": "voice", "context": "work", "value": "+33 1 23 45 67 89", "is_primary": True},
            {"kind": "email", "context": "work", "value": "contact@acme.example"},
        ],
        addresses=[{"street1": "3 rue de la Paix", "postcode": "01000", "city": "Bourg", "country": "FR"}],
    )
    return fix_times(firm)


@pytest.fixture
def jean(make_contact: Callable[..., Contact], acme: Contact) -> Contact:
    """A person of the firm, with every kind of item incwo has a code for."""
    person = make_contact(
        salutation="Mr",
        first_name="Jean",
        last_name="Dupré",
        background="Met at the fair & <keen>.",
        job_title="Buyer",
        department="Purchasing",
        company=acme,
        contact_type=kind("client"),
        items=[
            {"kind": "tel", "tel_type": "cell", "context": "work", "value": "+33 6 12 34 56 78"},
            {"kind": "email", "context": "home", "value": "jean@example.fr"},
            {"kind": "skype", "value": "jean.dupre"},
        ],
        addresses=[
            {
                "context": "home",
                "street1": "12 allée des Tilleuls",
                "street2": "Bât. B",
                "postcode": "06000",
                "city": "Nice",
                "country": "FR",
            },
        ],
    )
    return fix_times(person)


@pytest.fixture
def golden() -> Callable[..., None]:
    """Compare a body with golden/<name> byte for byte (dialects/tests/golden.py; UPDATE_GOLDEN=1 rewrites)."""

    def check(name: str, body: bytes, *, mask: dict[str, str] | None = None) -> None:
        for old, new in (mask or {}).items():
            body = body.replace(old.encode(), new.encode())
        assert_golden(GOLDEN / name, body)

    return check


def xml(tag: str, **children: object) -> str:
    """`<tag><a>1</a>...</tag>`; a child given as a list of strings is written as they are."""
    inner = "".join(
        "".join(map(str, value)) if isinstance(value, list) else f"<{name}>{value}</{name}>"
        for name, value in children.items()
    )
    return f"<{tag}>{inner}</{tag}>"


def items_xml(*items: dict[str, object]) -> str:
    return xml("contact_items", entries=[xml("contact_item", **item) for item in items])


def addresses_xml(*addresses: dict[str, object]) -> str:
    return xml("contact_addresses", entries=[xml("contact_address", **address) for address in addresses])
