"""CSV and vCard exports: parseable, complete, one query count per export."""

from __future__ import annotations

import csv
import io

import pytest
import vobject

from contacts.exporters import contacts_csv, contacts_vcard
from contacts.selectors import contact_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(make_contact):
    navy = make_contact(is_company=True, name="US Navy")
    return make_contact(
        first_name="Grace",
        last_name="Hopper",
        company=navy,
        job_title="Rear admiral",
        items=[
            {"kind": "tel", "value": "+1 202 555 0143", "tel_type": "cell", "is_primary": True},
            {"kind": "email", "value": "grace@navy.example", "context": "home"},
            {"kind": "url", "value": "https://grace.example"},
        ],
        addresses=[
            {"street1": "1 Navy Way", "city": "Arlington", "region": "VA", "postcode": "22202", "country": "US"}
        ],
        tags=["vip", "cobol"],
    )


def test_csv_has_a_header_and_one_row_per_contact(grace, alice):
    rows = list(csv.DictReader(io.StringIO(contacts_csv(contact_list(user=alice, order_by=["pk"])))))
    assert [r["name"] or r["first_name"] for r in rows] == ["US Navy", "Grace"]
    row = rows[1]
    assert row["company"] == "US Navy"
    assert row["phones"] == "+1 202 555 0143"
    assert row["emails"] == "grace@navy.example"
    assert row["postcode"] == "22202" and row["country"] == "US"
    assert row["tags"] == "cobol; vip"
    assert row["projects"] == "support"


def test_vcard_round_trips_through_vobject(grace, alice):
    text = contacts_vcard(contact_list(user=alice, filters={"is_company": "false"}))
    card = vobject.readOne(text)
    assert card.fn.value == "Grace Hopper"
    assert card.n.value.family == "Hopper" and card.n.value.given == "Grace"
    assert card.org.value == ["US Navy"]
    assert card.tel.value == "+1 202 555 0143"
    assert set(card.tel.params["TYPE"]) == {"WORK", "PREF", "CELL"}
    assert card.email.value == "grace@navy.example"
    assert card.adr.value.city == "Arlington" and card.adr.value.country == "United States of America"
    assert card.categories.value == ["cobol", "vip"]
    assert card.uid.value == f"urn:uuid:{grace.uuid}"


def test_vcard_of_a_company_uses_org(grace, alice):
    cards = list(vobject.readComponents(contacts_vcard(contact_list(user=alice, filters={"is_company": "true"}))))
    assert [c.org.value for c in cards] == [["US Navy"]]


@pytest.mark.parametrize("export", [contacts_csv, contacts_vcard])
def test_export_costs_fixed_queries(export, make_contact, alice, django_assert_num_queries):
    for i in range(20):
        make_contact(first_name=f"P{i}", items=[{"kind": "email", "value": f"p{i}@example.com"}], tags=["t"])
    with django_assert_num_queries(6):
        export(contact_list(user=alice))


def test_export_response_streams_in_chunks_with_fixed_queries_per_chunk(
    make_contact, alice, django_assert_num_queries, monkeypatch
):
    from contacts import exporters

    monkeypatch.setattr(exporters, "EXPORT_CHUNK", 5)
    for i in range(12):
        make_contact(first_name=f"P{i}")
    response = exporters.export_response(contact_list(user=alice), fmt="csv", filename="x.csv")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    # One query for the contacts, then five prefetches per chunk of 5: three chunks.
    with django_assert_num_queries(1 + 5 * 3):
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 13
