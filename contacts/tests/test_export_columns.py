"""The interchange columns: headers built and parsed, types written and read, lists and kinds."""

from __future__ import annotations

import pytest

from contacts.columns import (
    FIXED_COLUMNS,
    Header,
    ItemType,
    address_header,
    address_type_text,
    custom_cell,
    custom_columns,
    headers,
    item_header,
    item_type_text,
    join_list,
    parse_address_type,
    parse_custom_cell,
    parse_header,
    parse_item_type,
    parse_kind,
    parse_list,
)
from contacts.models import CustomField


def test_headers_number_items_and_addresses_up_to_the_counts_given():
    out = headers(item_counts={"tel": 2, "skype": 1}, address_count=1, custom_headers=["Custom: Size"])
    assert out[: len(FIXED_COLUMNS)][:2] == ["ID", "Kind"] and out[len(FIXED_COLUMNS) - 1] == "Tags"
    assert out[len(FIXED_COLUMNS) :] == [
        "Phone 1",
        "Phone 1 type",
        "Phone 2",
        "Phone 2 type",
        "Skype 1",
        "Skype 1 type",
        "Address 1 street",
        "Address 1 street 2",
        "Address 1 city",
        "Address 1 region",
        "Address 1 postcode",
        "Address 1 country",
        "Address 1 type",
        "Custom: Size",
        "Created",
        "Updated",
    ]


def test_the_fixed_columns_come_in_the_documented_order():
    assert [c.header for c in FIXED_COLUMNS] == [
        "ID",
        "Kind",
        "First name",
        "Middle name",
        "Last name",
        "Company name",
        "Company",
        "Salutation",
        "Job title",
        "Department",
        "Industry",
        "Background",
        "Birthday",
        "Type",
        "Stage",
        "Currency",
        "Priority",
        "Assigned to",
        "Visibility",
        "Projects",
        "Tags",
    ]


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("Phone 2 type", Header("item", "type", kind="tel", number=2)),
        ("phone 2", Header("item", "value", kind="tel", number=2)),
        ("  Email   1 ", Header("item", "value", kind="email", number=1)),
        ("Website 3 type", Header("item", "type", kind="url", number=3)),
        ("Social 1", Header("item", "value", kind="social", number=1)),
        ("Address 2 street 2", Header("address", "street2", number=2)),
        ("Address 1 street", Header("address", "street1", number=1)),
        ("ADDRESS 1 TYPE", Header("address", "context", number=1)),
        ("Custom: Shoe size", Header("custom", "Shoe size")),
        ("Company name", Header("field", "name")),
        ("Company", Header("field", "company")),
        ("assigned to", Header("field", "assigned_to")),
        ("Kind", Header("field", "kind")),
        ("Updated", Header("field", "updated_at")),
    ],
)
def test_parse_header_names_what_a_header_carries(text, header):
    assert parse_header(text) == header


@pytest.mark.parametrize("text", ["", "Phone", "Phone 0", "Fax 1", "Address 1 planet", "Custom: ", "Nickname"])
def test_parse_header_knows_nothing_of_other_headers(text):
    assert parse_header(text) is None


def test_every_header_written_parses_back_to_its_place():
    for text in headers(item_counts={"tel": 1, "email": 1, "messenger": 1}, address_count=1):
        assert parse_header(text) is not None, text
    assert parse_header(item_header(kind="messenger", number=4, part="type")) == Header(
        "item", "type", kind="messenger", number=4
    )
    assert parse_header(address_header(number=3, part="postcode")) == Header("address", "postcode", number=3)


@pytest.mark.parametrize(
    ("kind", "fields", "text"),
    [
        ("tel", {"context": "work", "tel_type": "cell"}, "work cell"),
        ("tel", {"context": "home", "tel_type": "fax", "is_primary": True}, "home fax primary"),
        ("email", {"context": "home"}, "home"),
        ("messenger", {"context": "work", "service": "jabber"}, "work jabber"),
        ("social", {"context": "other", "service": "twitter", "is_primary": True}, "other twitter primary"),
    ],
)
def test_an_item_type_is_written_as_words_and_read_back(kind, fields, text):
    assert item_type_text(kind=kind, **fields) == text
    expected = ItemType(
        fields["context"], fields.get("tel_type", ""), fields.get("service", ""), fields.get("is_primary", False)
    )
    assert parse_item_type(kind=kind, text=text) == expected


def test_an_item_type_reads_in_any_order_and_case_with_defaults():
    assert parse_item_type(kind="tel", text="CELL Home") == ItemType("home", "cell")
    assert parse_item_type(kind="tel", text="mobile") == ItemType("work", "cell")
    assert parse_item_type(kind="tel", text="") == ItemType("work", "voice")
    assert parse_item_type(kind="email", text="primary") == ItemType("work", is_primary=True)


@pytest.mark.parametrize(("kind", "text"), [("tel", "work satellite"), ("email", "work cell"), ("url", "blog")])
def test_an_unknown_type_word_is_refused_by_name(kind, text):
    with pytest.raises(ValueError, match=text.split()[-1]):
        parse_item_type(kind=kind, text=text)


def test_an_address_type_is_its_context_and_primary_flag():
    assert address_type_text(context="billing", is_primary=True) == "billing primary"
    assert parse_address_type("billing primary") == ItemType("billing", is_primary=True)
    assert parse_address_type("") == ItemType("work")
    with pytest.raises(ValueError, match="moon"):
        parse_address_type("moon")


def test_lists_join_with_a_semicolon_and_split_without_blanks():
    assert join_list(["vip", "cobol"]) == "vip; cobol"
    assert parse_list("vip; cobol;;  press ;") == ["vip", "cobol", "press"]
    assert parse_list("") == []


def test_kind_is_person_or_company():
    assert (parse_kind("company"), parse_kind(" Person "), parse_kind("")) == (True, False, False)
    with pytest.raises(ValueError, match="robot"):
        parse_kind("robot")


@pytest.mark.django_db
def test_custom_columns_skip_headings_and_tell_namesakes_apart():
    size = CustomField.objects.create(name="Size", position=1)
    CustomField.objects.create(name="Section", field_format=CustomField.Format.HEADING, position=2)
    twin = CustomField.objects.create(name="size", position=3)
    assert [h for h, _ in custom_columns(CustomField.objects.all())] == ["Custom: Size", f"Custom: size (#{twin.pk})"]
    assert custom_columns([size])[0][1] == size


@pytest.mark.parametrize(
    ("fmt", "stored", "cell"),
    [
        (CustomField.Format.BOOLEAN, "1", "yes"),
        (CustomField.Format.BOOLEAN, "0", "no"),
        (CustomField.Format.MULTI_LIST, '["Red", "Blue"]', "Red; Blue"),
        (CustomField.Format.DECIMAL, "3.50", "3.50"),
        (CustomField.Format.DATE, "2026-01-31", "2026-01-31"),
        (CustomField.Format.STRING, "", ""),
    ],
)
def test_a_custom_cell_reads_back_into_the_same_stored_value(fmt, stored, cell):
    field = CustomField(name="F", field_format=fmt, choices=["Red", "Blue"])
    assert custom_cell(field=field, stored=stored) == cell
    assert field.to_storage(parse_custom_cell(field=field, text=cell)) == stored
