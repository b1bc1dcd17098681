"""CSV and vCard exports: parseable, complete, one query count per export."""

from __future__ import annotations

import csv
import io

import pytest
import vobject

from contacts.exporters import contacts_csv, contacts_vcard, csv_cell
from contacts.models import Contact
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
    assert row["phones"] == "'+1 202 555 0143"  # a leading + would start a formula
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
    # The contacts' columns, then one query each for items, addresses, tags and projects.
    with django_assert_num_queries(5):
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
    # One query for the contacts, then four for the child rows of each chunk of 5: three chunks.
    with django_assert_num_queries(1 + 4 * 3):
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 13


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1 202 555 0143", "'+1 202 555 0143"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Grace", "Grace"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_that_start_a_formula_get_a_quote(text, cell):
    assert csv_cell(text) == cell


def test_csv_export_neutralizes_formulas_and_vcard_keeps_the_text(make_contact, alice):
    make_contact(
        first_name="=cmd|' /C calc'!A0",
        last_name="@SUM(1)",
        job_title="-1+1",
        background="\tnote",
        tags=["+vip"],
        items=[{"kind": "email", "value": "eve@example.com"}],
    )
    row = next(csv.DictReader(io.StringIO(contacts_csv(contact_list(user=alice)))))
    assert (row["first_name"], row["last_name"], row["job_title"], row["background"], row["tags"]) == (
        "'=cmd|' /C calc'!A0",
        "'@SUM(1)",
        "'-1+1",
        "'\tnote",
        "'+vip",
    )
    card = vobject.readOne(contacts_vcard(contact_list(user=alice)))
    assert (card.n.value.given, card.n.value.family, card.title.value) == ("=cmd|' /C calc'!A0", "@SUM(1)", "-1+1")
    assert card.categories.value == ["+vip"]


def test_vcard_escapes_and_folds_text_that_reads_back_unchanged(make_contact, alice):
    background = "Line one; with, commas\\and a backslash\nLine two " + "é" * 80
    make_contact(
        first_name="Ann, Jr",
        last_name="O;Brien",
        background=background,
        tags=["a;b"],
        addresses=[{"street1": "1 Main St", "street2": "Suite 2; rear", "city": "Köln", "country": "DE"}],
    )
    text = contacts_vcard(contact_list(user=alice))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = vobject.readOne(text)
    assert (card.n.value.given, card.n.value.family) == ("Ann, Jr", "O;Brien")
    assert card.note.value == background
    assert card.categories.value == ["a;b"]
    assert (card.adr.value.street, card.adr.value.city, card.adr.value.country) == (
        "1 Main St, Suite 2; rear",
        "Köln",
        "Germany",
    )


@pytest.mark.parametrize("export", [contacts_csv, contacts_vcard])
def test_exports_read_flat_rows_and_build_no_contact_instances(export, grace, alice, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an export built a Contact instance")

    monkeypatch.setattr(Contact, "from_db", classmethod(refuse))
    assert "Grace" in export(contact_list(user=alice))


def test_a_list_of_contacts_is_exported_in_its_order(make_contact, alice):
    first, second = make_contact(first_name="Zed"), make_contact(first_name="Amy")
    rows = list(csv.DictReader(io.StringIO(contacts_csv([first, second]))))
    assert [r["first_name"] for r in rows] == ["Zed", "Amy"]
