"""Fixtures of the ONLYOFFICE tests: an API client that authenticates with a token, the documented
example's world (its example contact and what hangs off it), and golden-file comparison."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from contacts.models import ContactStage, ContactType, CustomField
from contacts.services import contact_create
from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication
from dialects.onlyoffice.fields import user_guid
from dialects.tests import golden as golden_files
from projects.models import Membership
from projects.services import membership_set, project_create

GOLDEN = Path(__file__).parent / "golden"
SEED_CREATED = datetime(2020, 12, 8, 17, 37, 4, 591640, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    """The authentication throttle counts in the cache, which outlives a test."""
    cache.clear()


class Api:
    """Calls api/2.0/<path> as a user (a token in a bare Authorization header), JSON body by default."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.token = token

    def __call__(
        self, method: str, path: str, data: Any = None, *, token: str | None = "", form: bool = False
    ) -> HttpResponse:
        token = self.token if token == "" else token
        headers = {"HTTP_AUTHORIZATION": token} if token else {}
        url = f"/api/2.0/{path}"
        if method == "GET":
            return self.client.get(url, data or {}, **headers)
        if data is None:
            return self.client.generic(method, url, **headers)
        if form:
            return self.client.generic(
                method, url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", **headers
            )
        return self.client.generic(method, url, json.dumps(data), content_type="application/json", **headers)

    def as_user(self, user: Any) -> Api:
        return Api(self.client, OnlyofficeTokenAuthentication.issue(user=user)[0])


@pytest.fixture
def api(client: Client, alice: Any) -> Api:
    return Api(client, OnlyofficeTokenAuthentication.issue(user=alice)[0])


@pytest.fixture
def mike(make_user: Callable[..., Any]) -> Any:
    """The documented example's "Mike Zanyatski"."""
    user = make_user("mike")
    user.first_name, user.last_name = "Mike", "Zanyatski"
    user.save()
    return user


@pytest.fixture
def seed_contact(mike: Any, project: Any) -> Any:
    """The documented example's contact, with every value the example shows."""
    membership_set(project=project, user=mike, role=Membership.Role.MANAGER)
    stage = ContactStage.objects.create(name="Title", description="Description", color="#a7fc00", position=1)
    kind = ContactType.objects.create(code="seed", name="Title", description="Description", color="#a7fc00", position=1)
    birthdate = CustomField.objects.create(name="Birthdate", field_format=CustomField.Format.DATE, position=10)
    return contact_create(
        user=mike,
        fields={
            "first_name": "Tadjeddine",
            "last_name": "Bachir",
            "background": "About",
            "industry": "Industry",
            "stage": stage,
            "contact_type": kind,
            "currency": "CNY",
            "visibility": "private",
            "created_at": SEED_CREATED,
        },
        items=[{"kind": "email", "value": "support@onlyoffice.com", "context": "home", "is_primary": True}],
        addresses=[
            {
                "street1": "Lubanas st. 125a-25",
                "postcode": "LV-1021",
                "country": "LV",
                "context": "home",
                "is_primary": True,
            }
        ],
        custom_values={birthdate.pk: "2020-12-08"},
        tags=["Tag1", "Tag2"],
        projects=[project],
        access_list=[mike],
    )


# Golden files. Ids, user GUIDs, timestamps and tokens differ from run to run and between
# databases; they are replaced by placeholders before comparing (functional tests check them).
VOLATILE_KEYS = {
    "id": "<id>",
    "EntityId": "<id>",
    "Id": "<guid>",
    "Created": "<time>",
    "expires": "<time>",
    "token": "<token>",
}
VOLATILE_XML = re.compile(r"<(id|EntityId|Id|Created|expires|token)>[^<]*</\1>")


def normalise(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: (VOLATILE_KEYS[k] if k in VOLATILE_KEYS and v is not None else normalise(v)) for k, v in data.items()
        }
    if isinstance(data, list):
        return [normalise(v) for v in data]
    return data


def normalise_xml(text: str) -> str:
    return VOLATILE_XML.sub(lambda m: f"<{m[1]}>{VOLATILE_KEYS[m[1]].strip('<>')}</{m[1]}>", text)


def assert_golden(name: str, response: HttpResponse) -> None:
    """The response equals golden/<name> (.json: same keys, order, values and types; .xml: same
    text). UPDATE_GOLDEN=1 writes the file instead (dialects.tests.golden)."""
    body = response.content.decode()
    if name.endswith(".json"):
        actual = json.dumps(normalise(json.loads(body)), indent=2, ensure_ascii=False) + "\n"
    else:
        actual = normalise_xml(body) + "\n"
    golden_files.assert_golden(GOLDEN / name, actual.encode())


@pytest.fixture
def world(alice: Any, bob: Any, project: Any, license_field: CustomField) -> dict[str, Any]:
    """A company and one of its people with every kind of data, in `project`; a second project
    where bob only views."""
    birthdate = CustomField.objects.create(name="Birthdate", field_format=CustomField.Format.DATE, position=10)
    company = contact_create(
        user=alice,
        fields={"is_company": True, "name": "Ascensio System SIA", "currency": "EUR", "created_at": SEED_CREATED},
        items=[{"kind": "url", "value": "https://www.onlyoffice.com"}],
        projects=[project],
    )
    person = contact_create(
        user=alice,
        fields={
            "first_name": "Tadjeddine",
            "last_name": "Bachir",
            "job_title": "Programmer",
            "company": company,
            "background": "Met at a fair",
            "industry": "Software",
            "stage": ContactStage.objects.get(name="Warm"),
            "contact_type": ContactType.objects.get(code="client"),
            "currency": "USD",
            "visibility": "project",
            "assigned_to": bob,
            "created_at": SEED_CREATED,
        },
        items=[
            {"kind": "email", "value": "support@onlyoffice.com", "context": "home", "is_primary": True},
            {"kind": "tel", "value": "+371 67 123 456", "context": "work"},
            {"kind": "messenger", "service": "icq", "value": "123456", "context": "other"},
        ],
        addresses=[
            {
                "street1": "Lubanas st. 125a-25",
                "city": "Riga",
                "postcode": "LV-1021",
                "country": "LV",
                "context": "home",
            }
        ],
        custom_values={license_field.pk: "Pro", birthdate.pk: "1990-05-01"},
        tags=["Tag1", "Tag2"],
        projects=[project],
    )
    # A duplicate of the person, in no project and with no tags, to merge.
    twin = contact_create(
        user=alice,
        fields={"first_name": "Tad", "last_name": "Twin", "created_at": SEED_CREATED},
        items=[{"kind": "tel", "value": "+371 67 123 456"}, {"kind": "email", "value": "tad@example.com"}],
    )
    sales = project_create(name="Sales", identifier="sales", creator=alice)
    membership_set(project=sales, user=bob, role=Membership.Role.VIEWER)
    return {
        "person": person.pk,
        "company": company.pk,
        "twin": twin.pk,
        "project": project.pk,
        "sales": sales.pk,
        "email": person.items.get(kind="email").pk,
        "phone": person.items.get(kind="tel").pk,
        "address": -person.addresses.get().pk,
        "license": license_field.pk,
        "birthdate": birthdate.pk,
        "client": ContactType.objects.get(code="client").pk,
        "hot": ContactStage.objects.get(name="Hot").pk,
        "bob_guid": user_guid(bob.pk),
        "alice_guid": user_guid(alice.pk),
    }
