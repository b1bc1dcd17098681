"""Fixtures of the Redmine dialect's tests: a client per credential, a seeded contact, golden files."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from contacts.models import Contact, CustomField, Note, WebForm
from contacts.services import apikey_get_or_create, webform_create
from dialects.tests.golden import assert_golden
from projects.services import project_create

GOLDEN = Path(__file__).parent / "golden"
FIXED_TIME = datetime.datetime(2024, 5, 14, 12, 43, 23, tzinfo=datetime.UTC)
TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
SEED_FORM = (Path(__file__).parent / "seed_webform.html").read_text()
SEED_KEY = "9a13f31770b80767a57d753961acbd3a18eb1370"


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """An API client sending a user's key in X-Redmine-API-Key (None: no credentials)."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_X_REDMINE_API_KEY=apikey_get_or_create(user=user).key)
        return client

    return make


@pytest.fixture
def api(client_for: Callable[[Any], APIClient], alice: Any) -> APIClient:
    """alice, a manager of the `support` project."""
    return client_for(alice)


@pytest.fixture
def apple(make_contact: Callable[..., Contact], license_field: CustomField, alice: Any, bob: Any) -> Contact:
    """The documented example's company, with everything a contact can show."""
    company = make_contact(
        is_company=True,
        name="Apple Inc.",
        job_title="Personal computers",
        background='Established on April 1, 1976 in Cupertino, California & "incorporated" <1977>.',
        assigned_to=bob,
        items=[
            {"kind": "tel", "value": "+1 003 322 43 23"},
            {"kind": "email", "value": "info@apple.example"},
            {"kind": "url", "value": "https://apple.example"},
            {"kind": "skype", "value": "apple.inc"},
        ],
        addresses=[{"street1": "Calle Valencia, 87-89", "city": "Barcelona", "postcode": "08029", "country": "ES"}],
        custom_values={license_field.pk: "Pro"},
        tags=["vip", "referral", "cold call"],
    )
    Contact.objects.filter(pk=company.pk).update(created_at=FIXED_TIME, updated_at=FIXED_TIME)
    return Contact.objects.get(pk=company.pk)


@pytest.fixture
def steve(make_contact: Callable[..., Contact], apple: Contact) -> Contact:
    person = make_contact(first_name="Steve", last_name="Jobs", company=apple, birthday=datetime.date(1955, 2, 24))
    Contact.objects.filter(pk=person.pk).update(created_at=FIXED_TIME, updated_at=FIXED_TIME)
    Note.objects.create(contact=apple, author=person.author, content="Called about the order.", kind=Note.Kind.CALL)
    Note.objects.filter(contact=apple).update(created_at=FIXED_TIME, updated_at=FIXED_TIME)
    return Contact.objects.get(pk=person.pk)


@pytest.fixture
def golden() -> Callable[[str, bytes], None]:
    """Compare a body with golden/<name> byte for byte (timestamps of new records masked).

    UPDATE_GOLDEN=1 rewrites the files instead (dialects.tests.golden).
    """

    def check(name: str, body: bytes, *, mask_times: bool = False) -> None:
        assert_golden(GOLDEN / name, TIME.sub(b"TIME", body) if mask_times else body)

    return check


@pytest.fixture
def plugin_project(alice):
    return project_create(name="Contacts plugin", identifier="contacts-plugin", creator=alice)


@pytest.fixture
def license_one(db):
    return CustomField.objects.create(
        pk=1, name="License", field_format=CustomField.Format.LIST, choices=["Basic", "Pro"], position=1
    )


@pytest.fixture
def webform(plugin_project, alice, license_one):
    form = webform_create(
        project=plugin_project,
        name="Leads",
        created_by=alice,
        allowed_fields=["first_name", "last_name", "company", "phone", "email", "tag_list"],
        allowed_hosts=["shop.example"],
    )
    form.custom_fields.add(license_one)
    return form


def seed_form(webform: WebForm, fmt: str = "json") -> str:
    """The documented form, unchanged but for its action URL and key."""
    return SEED_FORM.replace('action=""', f'action="/redmine/contacts.{fmt}"').replace(SEED_KEY, webform.key)
