"""One contact, four wire dialects: what one dialect writes, every other reads back unchanged.

Hypothesis draws a person (names with any letters, a job title with markup characters, a phone
in the punctuation a client uses, an email); each dialect in turn creates it with its own calls,
and every dialect reads it back through its own routes. The fields all four share (first and last
name, job title, one phone, one email) must come back exactly as they were sent.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from contacts.services import apikey_get_or_create
from dialects.onlyoffice.authentication import OnlyofficeTokenAuthentication

pytestmark = pytest.mark.django_db

# A name has no spaces: the address book carries "first last" in one field, split at the last space.
NAME = st.text(st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=20)
TITLE = (
    st.text(st.characters(categories=["L", "N"], include_characters=" &<>'\"-.,/"), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)
PHONE = st.builds(
    lambda pattern, line: pattern.format(line),
    st.sampled_from(["+1 202 555 {}", "+1 (202) 555-{}", "+1-202-555-{}", "+1.202.555.{}"]),
    st.integers(100, 199).map(lambda n: f"0{n}"),
)
EMAIL = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,5})?@[a-z]{1,10}\.example", fullmatch=True)
PERSON = st.fixed_dictionaries({"first": NAME, "last": NAME, "title": TITLE, "phone": PHONE, "email": EMAIL})


class Dialects:
    """Each dialect's create and read of a person, as a client of that vendor's API makes them."""

    def __init__(self, user: Any, project: Any) -> None:
        key = apikey_get_or_create(user=user).key
        self.project = project
        self.redmine = APIClient()
        self.redmine.credentials(HTTP_X_REDMINE_API_KEY=key)
        self.onlyoffice = APIClient()
        self.onlyoffice.credentials(HTTP_AUTHORIZATION=OnlyofficeTokenAuthentication.issue(user=user)[0])
        self.incwo = APIClient()
        self.incwo.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{key}:x".encode()).decode())
        self.incoplax = APIClient()
        self.incoplax.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    # Writers: each answers the contact's database id and its uuid.

    def write_redmine(self, person: dict[str, str]) -> int:
        body = {
            "project_id": self.project.identifier,
            "first_name": person["first"],
            "last_name": person["last"],
            "job_title": person["title"],
            "phone": person["phone"],
            "email": person["email"],
        }
        response = self.redmine.post("/redmine/contacts.json", {"contact": body}, format="json")
        assert response.status_code == 201, response.content
        return response.json()["contact"]["id"]

    def write_onlyoffice(self, person: dict[str, str]) -> int:
        base = "/api/2.0/crm/contact"
        body = {"firstName": person["first"], "lastName": person["last"], "jobTitle": person["title"]}
        response = self.onlyoffice.post(f"{base}/person.json", body, format="json")
        assert response.status_code == 201, response.content
        pk = response.json()["response"]["id"]
        for info_type, data in (("Phone", person["phone"]), ("Email", person["email"])):
            item = {"infoType": info_type, "data": data, "category": "Work"}
            added = self.onlyoffice.post(f"{base}/{pk}/data.json", item, format="json")
            assert added.status_code == 201, added.content
        linked = self.onlyoffice.post(f"{base}/{pk}/project/{self.project.pk}.json")
        assert linked.status_code in (200, 201), linked.content
        return pk

    def write_incwo(self, person: dict[str, str]) -> int:
        contact = ElementTree.Element("contact")
        for tag, value in (("first_name", person["first"]), ("last_name", person["last"])):
            ElementTree.SubElement(contact, tag).text = value
        ElementTree.SubElement(contact, "job_title").text = person["title"]
        items = ElementTree.SubElement(contact, "contact_items")
        for type_id, value in (("24", person["phone"]), ("27", person["email"])):
            item = ElementTree.SubElement(items, "contact_item")
            ElementTree.SubElement(item, "type_id").text = type_id
            ElementTree.SubElement(item, "value").text = value
        body = ElementTree.tostring(contact, encoding="unicode")
        response = self.incwo.post(f"/incwo/{self.project.pk}/contacts.xml", body, content_type="application/xml")
        assert response.status_code == 201, response.content
        return int(ElementTree.fromstring(response.content).findtext("id"))

    def write_incoplax(self, person: dict[str, str]) -> int:
        body = {
            "displayname": f"{person['first']} {person['last']}",
            "jobtitle": person["title"],
            "number": person["phone"],
            "email": person["email"],
        }
        response = self.incoplax.post("/rest/v1/addressbook/contacts", body, format="json")
        assert response.status_code == 200, response.content
        pk = response.json()["autokey"]
        # The address book knows no projects; the business-file API sees a project's contacts only.
        linked = self.redmine.post(
            f"/redmine/contacts/{pk}/projects.json", {"project": {"id": self.project.pk}}, format="json"
        )
        assert linked.status_code == 204, linked.content
        return pk

    # Readers: each answers the shared fields as that dialect shows them.

    def read_redmine(self, pk: int) -> dict[str, str]:
        contact = self.redmine.get(f"/redmine/contacts/{pk}.json").json()["contact"]
        return {
            "first": contact["first_name"],
            "last": contact["last_name"],
            "title": contact["job_title"],
            "phone": contact["phones"][0]["number"],
            "email": contact["emails"][0]["address"],
        }

    def read_onlyoffice(self, pk: int) -> dict[str, str]:
        contact = self.onlyoffice.get(f"/api/2.0/crm/contact/{pk}.json").json()["response"]
        data = {entry["InfoType"]: entry["Data"] for entry in contact["CommonData"]}
        return {
            "first": contact["FirstName"],
            "last": contact["LastName"],
            "title": contact["Title"],
            "phone": data[0],
            "email": data[1],
        }

    def read_incwo(self, pk: int) -> dict[str, str]:
        contact = ElementTree.fromstring(self.incwo.get(f"/incwo/{self.project.pk}/contacts/{pk}.xml").content)
        items = [(item.findtext("type_id"), item.findtext("value")) for item in contact.iter("contact_item")]
        return {
            "first": contact.findtext("first_name"),
            "last": contact.findtext("last_name"),
            "title": contact.findtext("job_title"),
            "phone": next(value for code, value in items if code in INCWO_PHONES),
            "email": next(value for code, value in items if code in INCWO_EMAILS),
        }

    def read_incoplax(self, pk: int) -> dict[str, str]:
        listed = self.incoplax.get("/rest/v1/addressbook/contacts", {"filter": json.dumps({"autokey": pk})})
        assert listed.status_code == 200, listed.content
        rows = listed.json()
        contact = (rows["data"] if isinstance(rows, dict) else rows)[0]
        first, _, last = contact["displayname"].rpartition(" ")
        return {
            "first": first,
            "last": last,
            "title": contact["jobtitle"],
            "phone": contact["number"],
            "email": contact["email"],
        }


# incwo's item codes (docs/incwo.md, "Codes"): a primary work phone reads back as 471.
INCWO_PHONES = {"23", "24", "471", "88", "554"}
INCWO_EMAILS = {"27", "28"}
WRITERS = ["redmine", "onlyoffice", "incwo", "incoplax"]


@pytest.mark.parametrize("writer", WRITERS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=PERSON)
def test_a_person_written_through_one_dialect_reads_back_unchanged_through_every_dialect(
    writer: str, person: dict[str, str], alice: Any, project: Any
) -> None:
    dialects = Dialects(alice, project)
    pk = getattr(dialects, f"write_{writer}")(person)

    for reader in WRITERS:
        assert getattr(dialects, f"read_{reader}")(pk) == person, f"written by {writer}, read by {reader}"
