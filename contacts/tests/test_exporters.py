"""CSV and vCard exports: every column, parseable, visibility-true, a fixed number of queries per chunk."""

from __future__ import annotations

import csv
import gc
import io
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contacts.columns import neutralize_cell, restore_cell
from contacts.exporters import CsvLayout, contacts_csv, contacts_vcard, export_response, write_export
from contacts.models import Contact, ContactStage, ContactType, CustomField
from contacts.selectors import ExportRow, contact_list

pytestmark = pytest.mark.django_db


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def custom_fields(db):
    fmt = CustomField.Format
    return {
        "string": CustomField.objects.create(name="Nickname", field_format=fmt.STRING, position=1),
        "text": CustomField.objects.create(name="Story", field_format=fmt.TEXT, position=2),
        "integer": CustomField.objects.create(name="Seats", field_format=fmt.INTEGER, position=3),
        "decimal": CustomField.objects.create(name="Budget", field_format=fmt.DECIMAL, position=4),
        "date": CustomField.objects.create(name="Renewal", field_format=fmt.DATE, position=5),
        "boolean": CustomField.objects.create(name="Newsletter", field_format=fmt.BOOLEAN, position=6),
        "list": CustomField.objects.create(name="Plan", field_format=fmt.LIST, choices=["Basic", "Pro"], position=7),
        "multi": CustomField.objects.create(
            name="Channels", field_format=fmt.MULTI_LIST, choices=["Mail", "Phone", "Fax"], position=8
        ),
        "url": CustomField.objects.create(name="Profile", field_format=fmt.URL, position=9),
        "email": CustomField.objects.create(name="Billing email", field_format=fmt.EMAIL, position=10),
        "heading": CustomField.objects.create(name="Section", field_format=fmt.HEADING, position=11),
    }


@pytest.fixture
def navy(make_contact):
    return make_contact(
        is_company=True,
        name="US Navy",
        industry="Defence",
        items=[{"kind": "url", "value": "https://navy.example", "context": "work"}],
    )


@pytest.fixture
def grace(make_contact, navy, bob, custom_fields):
    f = custom_fields
    return make_contact(
        first_name="Grace",
        middle_name="Brewster",
        last_name="Hopper",
        salutation="Rear Adm.",
        company=navy,
        job_title="Rear admiral",
        department="Computing",
        background="Wrote the first compiler.",
        birthday="1906-12-09",
        contact_type=ContactType.objects.get(code="client"),
        stage=ContactStage.objects.order_by("position").first(),
        currency="usd",
        priority=2,
        assigned_to=bob,
        visibility="project",
        items=[
            {"kind": "tel", "value": "+1 202 555 0143", "tel_type": "cell", "is_primary": True},
            {"kind": "email", "value": "grace@navy.example", "context": "home"},
            {"kind": "tel", "value": "202 555 0100", "tel_type": "fax", "context": "work"},
            {"kind": "url", "value": "https://grace.example"},
            {"kind": "skype", "value": "grace.hopper"},
            {"kind": "messenger", "value": "grace@jabber.example", "service": "jabber", "context": "home"},
            {"kind": "social", "value": "https://x.example/grace", "service": "twitter"},
        ],
        addresses=[
            {"street1": "1 Navy Way", "city": "Arlington", "region": "VA", "postcode": "22202", "country": "US"},
            {
                "street1": "2 Harbour Rd",
                "street2": "Pier 4",
                "city": "Norfolk",
                "country": "US",
                "context": "billing",
                "is_primary": True,
            },
        ],
        tags=["vip", "cobol"],
        custom_values={
            f["string"].pk: "Amazing Grace",
            f["text"].pk: "Line one\nLine two",
            f["integer"].pk: "12",
            f["decimal"].pk: "1500.50",
            f["date"].pk: "2027-01-31",
            f["boolean"].pk: True,
            f["list"].pk: "Pro",
            f["multi"].pk: ["Mail", "Fax"],
            f["url"].pk: "https://grace.example/profile",
            f["email"].pk: "billing@navy.example",
        },
    )


def test_a_person_row_carries_every_column(grace, alice):
    rows = read_csv(contacts_csv(contact_list(user=alice), user=alice))
    row = next(r for r in rows if r["First name"] == "Grace")
    assert {k: row[k] for k in list(row)[:21]} == {
        "ID": str(grace.pk),
        "Kind": "person",
        "First name": "Grace",
        "Middle name": "Brewster",
        "Last name": "Hopper",
        "Company name": "",
        "Company": "US Navy",
        "Salutation": "Rear Adm.",
        "Job title": "Rear admiral",
        "Department": "Computing",
        "Industry": "",
        "Background": "Wrote the first compiler.",
        "Birthday": "1906-12-09",
        "Type": "client",
        "Stage": ContactStage.objects.order_by("position").first().name,
        "Currency": "USD",
        "Priority": "2",
        "Assigned to": "bob",
        "Visibility": "project",
        "Projects": "support",
        "Tags": "cobol; vip",
    }
    assert (row["Phone 1"], row["Phone 1 type"]) == ("'+1 202 555 0143", "work cell primary")
    assert (row["Phone 2"], row["Phone 2 type"]) == ("202 555 0100", "work fax")
    assert (row["Email 1"], row["Email 1 type"]) == ("grace@navy.example", "home")
    assert (row["Website 1"], row["Website 1 type"]) == ("https://grace.example", "work")
    assert (row["Skype 1"], row["Messenger 1"], row["Messenger 1 type"]) == (
        "grace.hopper",
        "grace@jabber.example",
        "home jabber",
    )
    assert (row["Social 1"], row["Social 1 type"]) == ("https://x.example/grace", "work twitter")
    assert [row[f"Address 1 {part}"] for part in ("street", "street 2", "city", "region", "postcode", "country")] == [
        "1 Navy Way",
        "",
        "Arlington",
        "VA",
        "22202",
        "US",
    ]
    assert row["Address 1 type"] == "work"
    assert (row["Address 2 street 2"], row["Address 2 city"], row["Address 2 type"]) == (
        "Pier 4",
        "Norfolk",
        "billing primary",
    )
    assert row["Created"].startswith(grace.created_at.date().isoformat()) and row["Updated"].endswith("+00:00")


def test_custom_fields_of_every_format_are_columns_and_headings_are_not(grace, alice):
    rows = read_csv(contacts_csv(contact_list(user=alice), user=alice))
    grace_row = next(r for r in rows if r["First name"] == "Grace")
    custom = {k: v for k, v in grace_row.items() if k.startswith("Custom: ")}
    assert custom == {
        "Custom: Nickname": "Amazing Grace",
        "Custom: Story": "Line one\nLine two",
        "Custom: Seats": "12",
        "Custom: Budget": "1500.50",
        "Custom: Renewal": "2027-01-31",
        "Custom: Newsletter": "yes",
        "Custom: Plan": "Pro",
        "Custom: Channels": "Mail; Fax",
        "Custom: Profile": "https://grace.example/profile",
        "Custom: Billing email": "billing@navy.example",
    }
    navy_row = next(r for r in rows if r["Kind"] == "company")
    assert all(navy_row[k] == "" for k in custom)


def test_a_company_row_has_its_own_name_and_no_company(grace, navy, alice):
    row = next(r for r in read_csv(contacts_csv(contact_list(user=alice), user=alice)) if r["Kind"] == "company")
    assert (row["Company name"], row["Company"], row["First name"], row["Industry"]) == ("US Navy", "", "", "Defence")
    assert (row["Website 1"], row["Phone 1"], row["Address 1 street"]) == ("https://navy.example", "", "")


def test_numbered_columns_are_sized_to_the_exported_set(grace, navy, alice):
    header = next(csv.reader(io.StringIO(contacts_csv(contact_list(user=alice), user=alice))))
    assert [h for h in header if h.startswith("Phone")] == ["Phone 1", "Phone 1 type", "Phone 2", "Phone 2 type"]
    assert [h for h in header if h.startswith("Address") and h.endswith(" street")] == [
        "Address 1 street",
        "Address 2 street",
    ]
    only_navy = next(csv.reader(io.StringIO(contacts_csv(contact_list(user=alice).filter(pk=navy.pk), user=alice))))
    assert [h for h in only_navy if h[-1:].isdigit() or h.endswith(" type")] == ["Website 1", "Website 1 type"]
    assert only_navy[-2:] == ["Created", "Updated"]


def test_every_row_has_as_many_cells_as_the_header(grace, navy, make_contact, alice):
    make_contact(first_name="Bare")
    header, *rows = csv.reader(io.StringIO(contacts_csv(contact_list(user=alice), user=alice)))
    assert len(rows) == 3 and {len(row) for row in rows} == {len(header)}


def test_a_private_contact_of_another_user_never_appears(make_contact, outsider, alice, bob):
    secret = make_contact(user=outsider, first_name="Secret", visibility="private", projects=[])
    make_contact(first_name="Visible")
    for export in (contacts_csv, contacts_vcard):
        text = export(contact_list(user=bob), user=bob)
        assert "Visible" in text and "Secret" not in text
        assert "Secret" in export(contact_list(user=outsider), user=outsider)
    assert "Secret" not in contacts_csv([secret], user=bob)


def test_a_persons_company_is_blank_when_the_user_may_not_see_it(make_contact, outsider, bob):
    hidden = make_contact(user=outsider, is_company=True, name="Hidden Corp", visibility="private", projects=[])
    make_contact(user=outsider, first_name="Pat", company=hidden, projects=[])
    csv_text = contacts_csv(contact_list(user=bob), user=bob)
    assert "Hidden Corp" not in csv_text and read_csv(csv_text)[0]["Company"] == ""
    assert "Hidden Corp" not in contacts_vcard(contact_list(user=bob), user=bob)
    assert read_csv(contacts_csv(contact_list(user=outsider), user=outsider))[1]["Company"] == "Hidden Corp"


def test_vcard_carries_names_org_items_with_types_addresses_and_notes(grace, alice):
    card = vobject.readOne(contacts_vcard(contact_list(user=alice, filters={"is_company": "false"}), user=alice))
    assert card.fn.value == "Grace Brewster Hopper"
    assert (card.n.value.family, card.n.value.given, card.n.value.additional) == ("Hopper", "Grace", "Brewster")
    assert card.org.value == ["US Navy", "Computing"]
    assert card.title.value == "Rear admiral" and card.bday.value == "1906-12-09"
    tels = {tel.value: set(tel.params["TYPE"]) for tel in card.contents["tel"]}
    assert tels == {"+1 202 555 0143": {"WORK", "PREF", "CELL"}, "202 555 0100": {"WORK", "FAX"}}
    assert (card.email.value, set(card.email.params["TYPE"])) == ("grace@navy.example", {"INTERNET", "HOME"})
    assert (card.url.value, card.url.params["TYPE"]) == ("https://grace.example", ["WORK"])
    impps = {impp.value: impp.params["TYPE"] for impp in card.contents["impp"]}
    assert impps == {"skype:grace.hopper": ["WORK"], "xmpp:grace@jabber.example": ["HOME"]}
    social = card.contents["x-socialprofile"][0]
    assert (social.value, social.params["TYPE"]) == ("https://x.example/grace", ["WORK", "twitter"])
    addresses = {adr.value.city: adr.params["TYPE"] for adr in card.contents["adr"]}
    assert addresses == {"Arlington": ["WORK"], "Norfolk": ["BILLING", "PREF"]}
    assert card.adr.value.country == "United States of America"
    assert card.note.value == "Wrote the first compiler."
    assert card.categories.value == ["cobol", "vip"]
    assert card.uid.value == f"urn:uuid:{grace.uuid}"


def test_vcard_of_a_company_uses_org(grace, alice):
    cards = list(
        vobject.readComponents(contacts_vcard(contact_list(user=alice, filters={"is_company": "true"}), user=alice))
    )
    assert [c.org.value for c in cards] == [["US Navy"]]


@pytest.mark.parametrize("export", [contacts_csv, contacts_vcard])
def test_an_export_costs_the_same_queries_per_chunk_whatever_the_chunks_hold(
    export, make_contact, alice, django_assert_num_queries, monkeypatch, custom_fields
):
    from contacts.selectors import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 5)
    for i in range(5):  # a bare chunk
        make_contact(first_name=f"Bare{i}")
    company = make_contact(is_company=True, name="Rich Co")
    for i in range(4):  # a rich chunk: the company and four people with everything
        make_contact(
            first_name=f"Rich{i}",
            company=company,
            assigned_to=alice,
            items=[{"kind": "email", "value": f"r{i}@example.com"}, {"kind": "tel", "value": "+1 202 555 0100"}],
            addresses=[{"city": "Paris", "country": "FR"}],
            tags=["t", "u"],
            custom_values={custom_fields["string"].pk: "x"},
        )
    # CSV: custom fields, types, stages, item and address counts; vCard: nothing. Then per chunk
    # the contacts, items, addresses, tags, projects, companies, assignees (and custom values for
    # CSV), and one last keyset query that finds no more rows.
    setup, per_chunk = (5, 8) if export is contacts_csv else (0, 7)
    with django_assert_num_queries(setup + 2 * per_chunk + 1):
        text = export(contact_list(user=alice), user=alice)
    assert "Bare0" in text and "Rich3" in text


@pytest.mark.parametrize("listed", [False, True])
def test_child_rows_of_a_dense_chunk_are_read_by_id_range(listed, make_contact, alice, monkeypatch):
    from contacts.selectors import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 3)
    people = [
        make_contact(first_name=f"P{i}", items=[{"kind": "email", "value": f"p{i}@example.com"}]) for i in range(7)
    ]
    contacts = list(contact_list(user=alice).order_by("-pk")) if listed else contact_list(user=alice)

    with CaptureQueriesContext(connection) as captured:
        text = contacts_csv(contacts, user=alice)

    items = [q["sql"] for q in captured.captured_queries if 'FROM "contacts_contactitem"' in q["sql"]]
    chunks = 3  # of 3, 3 and 1 contacts
    assert len(items) == chunks + 1  # and the count of numbered columns
    assert all('"contact_id" >= ' in sql and '"contact_id" <= ' in sql and " IN (" not in sql for sql in items[1:])
    emails = [row["Email 1"] for row in csv.DictReader(io.StringIO(text))]
    order = people[::-1] if listed else people
    assert emails == [f"p{int(person.first_name[1:])}@example.com" for person in order]


@pytest.mark.parametrize("listed", [False, True])
def test_child_rows_of_a_sparse_chunk_are_read_with_one_id_list_an_array_on_postgresql(
    listed, make_contact, alice, monkeypatch
):
    from contacts.selectors import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 3)
    people = []
    for i in range(6):
        people.append(
            make_contact(first_name=f"P{i}", tags=["wanted"], items=[{"kind": "email", "value": f"p{i}@x.example"}])
        )
        for j in range(3):  # contacts in between, with items, that the export leaves out
            make_contact(first_name=f"Other{i}{j}", items=[{"kind": "email", "value": f"o{i}{j}@x.example"}])
    wanted = contact_list(user=alice, filters={"tags": "wanted"})
    contacts = list(wanted.order_by("-pk")) if listed else wanted

    with CaptureQueriesContext(connection) as captured:
        text = contacts_csv(contacts, user=alice)

    items = [q["sql"] for q in captured.captured_queries if 'FROM "contacts_contactitem"' in q["sql"]]
    assert len(items) == 2 + 1  # two chunks of three, and the count of numbered columns
    if connection.vendor == "postgresql":
        assert all("= ANY(" in sql and " IN (" not in sql for sql in items[1:])
    else:
        assert all(" IN (" in sql for sql in items[1:])
    rows = list(csv.DictReader(io.StringIO(text)))
    order = people[::-1] if listed else people
    assert [row["First name"] for row in rows] == [person.first_name for person in order]
    assert [row["Email 1"] for row in rows] == [f"p{int(person.first_name[1:])}@x.example" for person in order]
    assert "Other" not in text and "o00@" not in text


def test_export_response_streams_a_chunk_at_a_time(make_contact, alice, monkeypatch):
    from contacts.selectors import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 5)
    for i in range(12):
        make_contact(first_name=f"P{i}")
    response = export_response(contact_list(user=alice), user=alice, fmt="csv", filename="x.csv")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    parts = list(response.streaming_content)
    assert len(parts) == 1 + 3  # the header, then three chunks of at most 5 rows
    assert len(b"".join(parts).decode().splitlines()) == 13


def test_rows_come_in_id_order_through_the_keyset(make_contact, alice, monkeypatch):
    from contacts.selectors import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    made = [make_contact(first_name=name).pk for name in ("Zed", "Amy", "Kim", "Bea", "Lou")]
    rows = read_csv(contacts_csv(contact_list(user=alice, order_by=["display_name"]), user=alice))
    assert [int(r["ID"]) for r in rows] == sorted(made)


def test_the_export_honours_the_lists_filters(make_contact, alice):
    make_contact(first_name="Tagged", tags=["press"])
    make_contact(first_name="Plain")
    rows = read_csv(contacts_csv(contact_list(user=alice, filters={"tags": "press"}), user=alice))
    assert [r["First name"] for r in rows] == ["Tagged"]


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
def test_cells_that_start_a_formula_get_a_quote_that_a_reader_takes_off(text, cell):
    assert neutralize_cell(text) == cell
    assert restore_cell(cell) == text


def test_csv_export_neutralizes_formulas_everywhere_and_vcard_keeps_the_text(make_contact, alice, custom_fields):
    make_contact(
        first_name="=cmd|' /C calc'!A0",
        last_name="@SUM(1)",
        job_title="-1+1",
        background="\tnote",
        tags=["+vip"],
        items=[{"kind": "email", "value": "eve@example.com"}],
        addresses=[{"street1": "=1+1", "city": "-x"}],
        custom_values={custom_fields["string"].pk: "=2*3"},
    )
    row = read_csv(contacts_csv(contact_list(user=alice), user=alice))[0]
    assert [row[k] for k in ("First name", "Last name", "Job title", "Background", "Tags")] == [
        "'=cmd|' /C calc'!A0",
        "'@SUM(1)",
        "'-1+1",
        "'\tnote",
        "'+vip",
    ]
    assert (row["Address 1 street"], row["Address 1 city"], row["Custom: Nickname"]) == ("'=1+1", "'-x", "'=2*3")
    card = vobject.readOne(contacts_vcard(contact_list(user=alice), user=alice))
    assert (card.n.value.given, card.n.value.family, card.title.value) == ("=cmd|' /C calc'!A0", "@SUM(1)", "-1+1")
    assert card.categories.value == ["+vip"]


@pytest.mark.parametrize(
    ("fields", "header", "raw"),
    [
        ({"priority": -3}, "Priority", "-3"),
        ({"department": "+Sales"}, "Department", "+Sales"),
        ({"background": "\rnote"}, "Background", "\rnote"),
        ({"tags": ["-x"]}, "Tags", "-x"),
        ({"items": [{"kind": "skype", "value": "@grace"}]}, "Skype 1", "@grace"),
        ({"addresses": [{"city": "Paris", "region": "=1+1"}]}, "Address 1 region", "=1+1"),
        ({"custom_values": {"string": "=x"}}, "Custom: Nickname", "=x"),
    ],
)
def test_csv_quotes_a_formula_in_any_one_cell_and_in_no_other(fields, header, raw, make_contact, alice, custom_fields):
    if "custom_values" in fields:
        fields = {"custom_values": {custom_fields[key].pk: value for key, value in fields["custom_values"].items()}}
    make_contact(first_name="Plain", **fields)
    row = read_csv(contacts_csv(contact_list(user=alice), user=alice))[0]
    assert row[header] == "'" + raw
    assert [name for name, cell in row.items() if cell.startswith("'")] == [header]


# Text that the joined row must not carry as it is: the CSV's special characters, formula starts
# after a comma inside a cell, and plain letters around them.
_CELL_TEXT = st.text(alphabet=",\"\r\n=+-@\t\x00; aé'", max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_CELL_TEXT, min_size=9, max_size=9), phone=_CELL_TEXT)
@example(texts=['a"b', "", "", "", "", "", "", "", ""], phone="+1")
@example(texts=["", "x,y", "", "", "", "", "", "", ""], phone="")
@example(texts=["", "", "", "", "", "", "", "", "a\nb"], phone="")
@example(texts=["", "", "", "a\rb", "", "", "", "", ""], phone="")
@example(texts=["", "", "", "", "", "x,=1", "", "", ""], phone="")
@example(texts=["", "", "-x", "", "", "", "jabber", "", ""], phone="x,y")
def test_a_csv_row_is_what_csv_writer_writes_of_its_neutralized_cells(texts, phone, custom_fields):
    layout = CsvLayout(item_counts={"tel": 1}, address_count=1, fields=[custom_fields["string"]])
    first, background, tag, street, city, custom, service, department, currency = texts
    row = ExportRow(
        7, False, "", first, "", "", "", "", 1, "", department, "", background, None, None, None, currency, None,
        None, "public", "", "2026-01-01 09:30:00", "2026-01-02 09:30:00", tags=[tag],
        items=[(7, "tel", "cell", "work", service, phone, 0)],
        addresses=[(7, street, "", city, "", "", "FR", "home", 1)],
        custom={custom_fields["string"].pk: custom},
    )  # fmt: skip
    line = layout.line(row)

    cells = next(csv.reader([line + "\r\n"]))
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    assert out.getvalue() == line + "\r\n"
    by_header = dict(zip(layout.headers, cells, strict=True))
    written = [by_header[h] for h in ("First name", "Background", "Tags", "Address 1 street", "Address 1 city")]
    assert written == [neutralize_cell(text) for text in (first, background, tag, street, city)]
    assert by_header["Custom: Nickname"] == neutralize_cell(custom)
    assert (by_header["Department"], by_header["Currency"]) == (neutralize_cell(department), neutralize_cell(currency))
    assert by_header["Phone 1"] == neutralize_cell(phone)


@pytest.mark.parametrize(("background", "folded"), [("y" * 70, False), ("y" * 71, True), ("word " * 30 + "end", True)])
def test_vcard_folds_ascii_lines_longer_than_75_octets_and_no_others(background, folded, make_contact, alice):
    contact = make_contact(first_name="Long", background=background)
    text = contacts_vcard([contact], user=alice)
    lines = text.split("\r\n")
    assert ("NOTE:" + background in lines) is not folded  # "NOTE:" and 70 letters: 75 octets, one line
    assert any(line.startswith(" ") for line in lines) is folded
    assert all(len(line.encode()) <= 75 for line in lines)
    assert text.endswith("END:VCARD\r\n") and lines[-1] == ""
    assert vobject.readOne(text).note.value == background


def test_vcard_escapes_and_folds_text_that_reads_back_unchanged(make_contact, alice):
    background = "Line one; with, commas\\and a backslash\nLine two " + "é" * 80
    make_contact(
        first_name="Ann, Jr",
        last_name="O;Brien",
        background=background,
        tags=["a;b"],
        addresses=[{"street1": "1 Main St", "street2": "Suite 2; rear", "city": "Köln", "country": "DE"}],
    )
    text = contacts_vcard(contact_list(user=alice), user=alice)
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
    assert "Grace" in export(contact_list(user=alice), user=alice)


def test_a_list_of_contacts_is_exported_in_its_order(make_contact, alice):
    first, second = make_contact(first_name="Zed"), make_contact(first_name="Amy")
    rows = read_csv(contacts_csv([first, second], user=alice))
    assert [r["First name"] for r in rows] == ["Zed", "Amy"]


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_write_export_writes_the_same_bytes_as_the_stream(fmt, grace, alice):
    out = io.BytesIO()
    written = write_export(contact_list(user=alice), user=alice, fmt=fmt, out=out)
    export = contacts_csv if fmt == "csv" else contacts_vcard
    assert out.getvalue() == export(contact_list(user=alice), user=alice).encode()
    assert written == len(out.getvalue())


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_the_garbage_collector_is_paused_while_a_chunk_is_read_and_written_and_only_then(
    fmt, make_contact, alice, monkeypatch
):
    from contacts import exporters
    from contacts.selectors import exports

    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    for i in range(3):
        make_contact(first_name=f"P{i}")
    seen: list[tuple[str, bool]] = []
    if fmt == "csv":
        line = exporters.CsvLayout.line
        monkeypatch.setattr(
            exporters.CsvLayout, "line", lambda self, row: seen.append(("row", gc.isenabled())) or line(self, row)
        )
    else:
        vcard_of = exporters.vcard_of
        monkeypatch.setattr(exporters, "vcard_of", lambda row: seen.append(("row", gc.isenabled())) or vcard_of(row))
    stream = exporters.EXPORT_FORMATS[fmt][0]

    texts = list(
        stream(contact_list(user=alice), user=alice, progress=lambda done: seen.append(("sent", gc.isenabled())))
    )

    assert "P2" in "".join(texts)
    assert seen == [("row", False), ("row", False), ("sent", True), ("row", False), ("sent", True)]
    assert gc.isenabled()


def test_the_garbage_collector_runs_again_when_a_chunk_fails(make_contact, alice, monkeypatch):
    from contacts import exporters

    make_contact(first_name="P")

    def fail(row):
        raise RuntimeError("broken row")

    monkeypatch.setattr(exporters, "vcard_of", fail)
    with pytest.raises(RuntimeError):
        contacts_vcard(contact_list(user=alice), user=alice)
    assert gc.isenabled()


GOLDEN = Path(__file__).parent / "golden"


def golden_export(text: str, contacts: dict[str, Contact]) -> str:
    """An export with each contact's id written as its name, so the text holds across databases."""
    for name, contact in contacts.items():
        text = re.sub(rf"(?m)^{contact.pk},", f"<{name}>,", text)
    return text


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_an_export_is_byte_for_byte_its_golden_file(fmt, grace, navy, make_contact, alice):
    ada = make_contact(first_name="Ada", last_name="=1+1", background='Said: "hi", then; left', tags=["-x"])
    contacts = {"grace": grace, "navy": navy, "ada": ada}
    for number, contact in enumerate(contacts.values(), start=1):
        Contact.objects.filter(pk=contact.pk).update(
            created_at=datetime(2026, 1, number, 9, 30, tzinfo=UTC),
            updated_at=datetime(2026, 2, number, 17, 5, 59, tzinfo=UTC),
            uuid=uuid.UUID(int=number),
        )
    export = contacts_csv if fmt == "csv" else contacts_vcard
    text = golden_export(export(contact_list(user=alice), user=alice), contacts)
    expected = (GOLDEN / f"export.{fmt}").read_bytes().decode()
    assert text == expected
