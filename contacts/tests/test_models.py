"""Model rules: custom field formats, items, addresses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Address, Contact, ContactItem, CustomField, normalize_phone

pytestmark = pytest.mark.django_db

F = CustomField.Format


@pytest.mark.parametrize(
    ("fmt", "raw", "stored", "typed"),
    [
        (F.STRING, "  hello ", "hello", "hello"),
        (F.TEXT, "line1\nline2", "line1\nline2", "line1\nline2"),
        (F.INTEGER, "42", "42", 42),
        (F.INTEGER, 7, "7", 7),
        (F.DECIMAL, "3.50", "3.50", Decimal("3.50")),
        (F.DATE, "2024-02-29", "2024-02-29", date(2024, 2, 29)),
        (F.BOOLEAN, "yes", "1", True),
        (F.BOOLEAN, False, "0", False),
        (F.BOOLEAN, "0", "0", False),
        (F.LIST, "Pro", "Pro", "Pro"),
        (F.MULTI_LIST, "Basic, Pro", '["Basic", "Pro"]', ["Basic", "Pro"]),
        (F.MULTI_LIST, ["Pro"], '["Pro"]', ["Pro"]),
        (F.URL, "https://example.com/x", "https://example.com/x", "https://example.com/x"),
        (F.EMAIL, "a@example.com", "a@example.com", "a@example.com"),
        (F.HEADING, "ignored", "", None),
        (F.INTEGER, "", "", None),
    ],
)
def test_custom_field_accepts_and_types_values(fmt, raw, stored, typed):
    field = CustomField(name="F", field_format=fmt, choices=["Basic", "Pro"])
    assert field.to_storage(raw) == stored
    assert field.from_storage(stored) == typed


@pytest.mark.parametrize(
    ("fmt", "raw", "message"),
    [
        (F.INTEGER, "4.5", "F must be a whole number."),
        (F.DECIMAL, "abc", "F must be a number."),
        (F.DECIMAL, "NaN", "F must be a number."),
        (F.DATE, "2023-02-30", "F must be a date (YYYY-MM-DD)."),
        (F.DATE, "yesterday", "F must be a date (YYYY-MM-DD)."),
        (F.BOOLEAN, "maybe", "F must be yes or no."),
        (F.LIST, "Gold", "F: Gold is not one of the choices."),
        (F.MULTI_LIST, "Pro,Gold", "F: Gold is not one of the choices."),
        (F.URL, "ftp://x", "F must be a web address."),
        (F.EMAIL, "nope", "F must be an email address."),
        (F.STRING, "x" * 256, "F is too long (255 characters at most)."),
        (F.STRING, ["a", "b"], "F takes one value, not a list."),
    ],
)
def test_custom_field_refuses_bad_values(fmt, raw, message):
    field = CustomField(name="F", field_format=fmt, choices=["Basic", "Pro"])
    with pytest.raises(ValidationError) as info:
        field.to_storage(raw)
    assert info.value.messages == [message]


def test_list_field_needs_choices_and_a_valid_default():
    with pytest.raises(ValidationError) as info:
        CustomField(name="L", field_format=F.LIST, choices=[]).full_clean()
    assert info.value.message_dict["choices"] == ["A list field needs at least one choice."]
    with pytest.raises(ValidationError) as info:
        CustomField(name="N", field_format=F.INTEGER, default="many").full_clean()
    assert info.value.message_dict["default"] == ["N must be a whole number."]


def test_phone_numbers_are_normalized_to_e164(settings):
    settings.PHONE_DEFAULT_REGION = "GB"
    assert normalize_phone("020 7946 0018") == "+442079460018"
    assert normalize_phone("+1 (202) 555-0143") == "+12025550143"
    assert normalize_phone("0049 30 901820") == "+4930901820"


def test_phone_numbers_phonenumbers_cannot_read_keep_their_digits(settings):
    settings.PHONE_DEFAULT_REGION = "US"
    assert normalize_phone("411") == "411"
    assert normalize_phone("11") == "11"
    assert normalize_phone("ext. 2-17") == "217"
    assert normalize_phone("١٢٣") == "123"


def test_only_phone_text_without_a_digit_is_refused():
    for value in ("call me", "+", "---", "²"):
        with pytest.raises(ValidationError):
            normalize_phone(value)


@pytest.mark.parametrize(
    "value", ["411", "11", "007 495 123-45-67", "0049 (30) 90 18 20", "+7 (495) 123-45-67 ext. 89", "020.7946.0018"]
)
def test_a_phone_is_stored_exactly_as_written(value):
    item = ContactItem(contact=Contact(first_name="X"), kind="tel", value=value)
    item.clean()
    assert item.value == value
    assert item.normalized and item.normalized.lstrip("+").isdigit()
    assert item.href == f"tel:{item.normalized}"


@pytest.mark.parametrize(
    ("value", "href"),
    [
        ("ivanov.com", "https://ivanov.com"),
        ("www.ivanov.com/about?x=1", "https://www.ivanov.com/about?x=1"),
        ("http://ivanov.com", "http://ivanov.com"),
        ("HTTPS://Ivanov.com", "HTTPS://Ivanov.com"),
    ],
)
def test_a_website_without_a_scheme_is_accepted_as_written_and_linked_with_https(value, href):
    item = ContactItem(contact=Contact(first_name="X"), kind="url", value=value)
    item.clean()
    assert item.value == value
    assert item.href == href


@pytest.mark.parametrize("value", ["javascript:alert(1)", "ftp://ivanov.com", "not a url", "//evil"])
def test_a_website_that_is_not_a_web_address_is_still_refused(value):
    with pytest.raises(ValidationError):
        ContactItem(contact=Contact(first_name="X"), kind="url", value=value).clean()


def test_item_kinds_validate_their_values():
    contact = Contact(first_name="X")
    for kind, value in (("email", "x@"), ("url", "not a url"), ("tel", "call me")):
        with pytest.raises(ValidationError):
            ContactItem(contact=contact, kind=kind, value=value).clean()
    skype = ContactItem(contact=contact, kind="skype", value="ada.l", tel_type="cell")
    skype.clean()
    assert skype.tel_type == ""
    assert skype.href == "skype:ada.l?call"


def test_address_full_address_and_country_name():
    address = Address(street1="Calle Valencia, 87-89", city="Barcelona", postcode="08029", country="ES")
    assert address.full_address == "Calle Valencia, 87-89, Barcelona, 08029, Spain"
    assert address.postcode == "08029"


def test_contact_types_are_seeded():
    from contacts.models import ContactType

    assert list(ContactType.objects.values_list("code", flat=True)) == [
        "client",
        "prospect",
        "supplier",
        "press",
        "partner",
        "staff",
        "personal",
        "other",
    ]


@pytest.mark.parametrize("field_format", CustomField.Format.values)
def test_a_custom_fields_format_says_whether_it_is_a_list_and_of_several_choices(field_format):
    for value in (field_format, CustomField.Format(field_format)):
        field = CustomField(name="x", field_format=value)
        assert field.is_list is (field_format in ("list", "multi-list"))
        assert field.is_multiple is (field_format == "multi-list")
