"""The documented request, `GET api/2.0/crm/contact/project/{projectid}`, against its example reply.

The database holds the example's values (conftest.seed_contact) and the reply must equal the
example key for key, in order, types included, in JSON and in XML. Only these fields are
normalised, because the example shows placeholders or values we cannot hold:

- ids (`id` 1234, `EntityId` 14523423) and user GUIDs (`Id` all zeros): ours are real ids;
- `Created`: compared to the microsecond (.NET's seventh digit, 100 ns, does not exist here);
- the custom Date field's `FieldValue`: we keep dates, so the time of day is midnight;
- `Title`, `AvatarSmall` and `ProfileUrl` of users, `SmallFotoUrl`/`MediumFotoUrl`: we keep no
  job title, avatar or profile page for users, nor a photo for this contact ("url to foto");
- `TaskCount` and `HaveLateTasks`: we keep no tasks.

The envelope adds `count` and `statusCode` (docs/onlyoffice.md, "The envelope"), and a person adds FirstName,
LastName, Company and Title, which the example leaves out.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dialects.onlyoffice.renderers import CONTACTS_XML
from dialects.onlyoffice.tests.conftest import GOLDEN

pytestmark = pytest.mark.django_db

PERSON_KEYS = ("FirstName", "LastName", "Company", "Title")
PLACEHOLDER = "<normalised>"


def normalised(contact: dict[str, Any]) -> dict[str, Any]:
    contact = {k: v for k, v in contact.items() if k not in PERSON_KEYS}
    for key in ("id", "SmallFotoUrl", "MediumFotoUrl", "TaskCount", "HaveLateTasks"):
        contact[key] = PLACEHOLDER
    contact["Created"] = contact["Created"][:26]
    for user in (contact["CreateBy"], *contact["AccessList"]):
        for key in ("Id", "Title", "AvatarSmall", "ProfileUrl"):
            user[key] = PLACEHOLDER
    for item in (contact["ContactStatus"], contact["ContactType"], *contact["CommonData"]):
        item["id"] = PLACEHOLDER
    for field in contact["CustomFields"]:
        field["id"] = field["EntityId"] = PLACEHOLDER
        field["FieldValue"] = field["FieldValue"][:10]
    return contact


def typed(data: Any) -> Any:
    """The data with every scalar paired with its type, so True never equals 1."""
    if isinstance(data, dict):
        return [(k, typed(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [typed(v) for v in data]
    return (type(data).__name__, data)


@pytest.fixture
def seed_reply() -> dict[str, Any]:
    return json.loads((GOLDEN / "seed_contact_project.json").read_text())


def test_seed_request_returns_the_seed_example_key_for_key(api, mike, seed_contact, project, seed_reply):
    response = api.as_user(mike)("GET", f"crm/contact/project/{project.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body) == ["count", "status", "statusCode", "response"]
    assert (body["count"], body["status"], body["statusCode"]) == (1, 0, 200)
    (contact,) = body["response"]
    assert list(contact)[: len(PERSON_KEYS)] == list(PERSON_KEYS)
    (expected,) = seed_reply["response"]
    assert typed(normalised(contact)) == typed(normalised(expected))


def test_seed_request_values_that_are_ours_are_the_real_ones(api, mike, seed_contact, project):
    (contact,) = api.as_user(mike)("GET", f"crm/contact/project/{project.pk}").json()["response"]
    assert contact["id"] == seed_contact.pk
    assert contact["Created"] == "2020-12-08T17:37:04.5916400Z"
    assert contact["CreateBy"]["Id"] == f"00000000-0000-0000-0000-{mike.pk:012x}"
    assert contact["AccessList"][0]["Id"] == contact["CreateBy"]["Id"]
    assert contact["CustomFields"][0]["FieldValue"] == "2020-12-08T00:00:00.0000000Z"
    assert contact["CustomFields"][0]["EntityId"] == seed_contact.pk
    assert contact["CommonData"][0]["id"] == seed_contact.items.get().pk
    assert contact["ContactStatus"]["id"] == seed_contact.stage_id
    assert (contact["FirstName"], contact["LastName"], contact["Company"], contact["Title"]) == (
        "Tadjeddine",
        "Bachir",
        None,
        "",
    )


def test_seed_request_in_xml_reads_back_as_the_seed_example(api, mike, seed_contact, project):
    response = api.as_user(mike)("GET", f"crm/contact/project/{project.pk}.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("<result><count>1</count><status>0</status><statusCode>200</statusCode><response>")
    assert "<Tags>Tag1</Tags><Tags>Tag2</Tags>" in text
    assert "<City /><State />" in text and "<IsPrimary>True</IsPrimary>" in text
    ours = CONTACTS_XML.parse(response.content)
    seed = CONTACTS_XML.parse((GOLDEN / "seed_contact_project.xml").read_bytes())
    (contact,), (expected,) = ours["response"], seed["response"]
    assert typed(normalised(contact)) == typed(normalised(expected))


def test_seed_request_for_an_unknown_project_is_404_in_the_envelope(api, project):
    response = api("GET", "crm/contact/project/987654")
    assert response.status_code == 404
    assert response.json() == {"status": 1, "statusCode": 404, "error": {"message": "Not found"}}


def test_seed_request_without_a_token_is_401_in_the_envelope(api, project):
    response = api("GET", f"crm/contact/project/{project.pk}.xml", token=None)
    assert response.status_code == 401
    assert response.content.decode() == (
        "<result><status>1</status><statusCode>401</statusCode>"
        "<error><message>Authentication credentials were not provided</message></error></result>"
    )


def test_seed_request_costs_the_same_queries_for_1_or_25_contacts(
    api, alice, project, make_contact, license_field, django_assert_num_queries
):
    company = make_contact(is_company=True, name="Ascensio", created_at=timezone.now() - timedelta(days=1))
    for n in range(24):
        make_contact(
            first_name=f"P{n}",
            company=company,
            visibility="private" if n % 2 else "project",
            items=[{"kind": "tel", "value": f"+1 202 555 01{n:02d}"}],
            addresses=[{"city": "Riga"}],
            custom_values={license_field.pk: "Pro"},
            tags=["vip"],
            access_list=[alice],
        )
    # The token's user, the project, the page (CanEdit/CanDelete, company visibility and people
    # counts in the same query), items and addresses, custom values, tags, and the access lists
    # of the private contacts on the page (no query when none is private).
    with django_assert_num_queries(7):
        first = api("GET", f"crm/contact/project/{project.pk}", {"count": 1})
    with django_assert_num_queries(7):
        full = api("GET", f"crm/contact/project/{project.pk}", {"count": 25})
    assert (first.json()["count"], full.json()["count"]) == (1, 25)
    assert "nextIndex" not in full.json() and first.json()["nextIndex"] == 1
    assert first.json()["response"][0]["Company"]["DisplayName"] == "Ascensio"
    assert full.json()["response"][-1]["PersonsCount"] == 24
