"""contacts.importers.rows: the fast checks of a row give the verdicts and values of the slow ones."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from contacts.importers.cells import parse_item_type, url_ok
from contacts.importers.rows import RowPreparer
from contacts.models import normalize_phone, with_scheme

pytestmark = pytest.mark.django_db

VALIDATOR = URLValidator(schemes=["http", "https"])
WEBSITES = [
    "example.com", "https://example.com", "http://example.com/", "HTTPS://Example.COM/Path/To_page.html",
    "https://a-b.example.co.uk/x~y", "https://sub.-bad.example.com", "https://bad-.example.com", "https://-a.com",
    "https://example", "https://example.c", "https://example.123", "https://localhost", "https://127.0.0.1/x",
    "https://[::1]/", "https://user:pass@example.com", "https://example.com:8080/x", "https://example.com/a b",
    "https://example.com/?q=1#top", "ftp://example.com", "mailto:a@example.com", "https://exämple.de",
    "https://example.xn--p1ai", "https://example.com.", "example..com", "https://" + "a" * 64 + ".com",
    "https://" + "a" * 63 + ".com", "https://" + ".".join(["abcdefghi"] * 26) + ".com",
    "https://" + ".".join(["abcdefghi"] * 24) + ".com", "https://example.com/" + "p" * 3000, "", " ", "https://",
    "https://example.com\n", "https://e_xample.com", "https://xn--80ak6aa92e.com/", "https://ex\u212aample.com",
    "anna-schmidt-12.example.com",
]  # fmt: skip


def validator_says(value: str) -> bool:
    try:
        VALIDATOR(with_scheme(value))
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("value", WEBSITES)
def test_a_website_passes_the_fast_check_exactly_when_the_url_validator_takes_it(value):
    assert url_ok(value) is validator_says(value)


PHONES = ["+1 202 555 0143", "202-555-0143", "(202) 555 0143", "0049 151 1234567", "+49 (0)30 1234567", "411",
          "+44 20 7946 0958", "020 7946 0958", "+999 123", "+", "12", "+1 800 FLOWERS", "٠١٢٣٤٥٦٧٨٩",
          " +33 1 23 45 67 89", "+39 06 1234 5678", "ext. 12"]  # fmt: skip


@pytest.mark.parametrize("region", ["US", "GB", "DE"])
def test_a_phone_normalized_with_the_region_given_matches_the_setting(settings, region):
    settings.PHONE_DEFAULT_REGION = region
    for value in PHONES:
        try:
            expected = normalize_phone(value)
        except ValidationError:
            with pytest.raises(ValidationError):
                normalize_phone(value, region=region)
        else:
            assert normalize_phone(value, region=region) == expected


def test_the_preparer_reads_the_phone_region_of_the_settings(settings):
    settings.PHONE_DEFAULT_REGION = "GB"
    preparer = RowPreparer(user=None, labels={})

    row, errors = preparer.prepare(2, {"last_name": "Doe", "tel.1": "020 7946 0958"})

    assert errors == []
    assert row.items[0][5] == "+442079460958"


def test_item_types_read_once_per_import_are_those_parse_item_type_gives():
    preparer = RowPreparer(user=None, labels={})
    values = {"last_name": "Doe", "tel.1": "+1 202 555 0143", "tel.1.type": "home cell pref",
              "tel.2": "+1 202 555 0144", "tel.2.type": "home cell pref", "messenger.1": "doe",
              "messenger.1.type": "home cell pref"}  # fmt: skip

    first, _ = preparer.prepare(2, values)
    again, _ = preparer.prepare(3, values)

    expected_tel = parse_item_type("home cell pref", kind="tel")
    expected_im = parse_item_type("home cell pref", kind="messenger")
    for row in (first, again):
        assert [(item[2], item[1], item[3], item[6]) for item in row.items] == [
            (expected_tel[0], expected_tel[1], expected_tel[2], expected_tel[3]),
            (expected_tel[0], expected_tel[1], expected_tel[2], expected_tel[3]),
            (expected_im[0], expected_im[1], expected_im[2], expected_im[3]),
        ]
    assert expected_im != expected_tel


def test_each_target_code_sends_its_values_to_the_same_place_on_every_row():
    preparer = RowPreparer(user=None, labels={"tel.2:home cell": "Mobile", "email.1": "Mail", "address.1.city": "Town",
                                              "address.1.country": "Land", "tags": "Groups"})  # fmt: skip
    values = {"first_name": "Ada", "last_name": "Lovelace", "tel.1.type": "home", "tel.1": "+44 20 7946 0018",
              "tel.2:home cell": "+44 7700 900123", "email.1": "ada@example.com", "address.1.city": "London",
              "address.1.country": "GB", "tags": "math; poetry"}  # fmt: skip
    bad = {"last_name": "Byron", "tel.2:home cell": "no digits", "email.1": "nope", "address.1.country": "Atlantis"}

    rows = [preparer.prepare(number, values) for number in (2, 3)]
    refused = [preparer.prepare(number, bad) for number in (4, 5)]

    for row, errors in rows:
        assert errors == []
        assert (row.fields, row.tags) == ({"first_name": "Ada", "last_name": "Lovelace"}, ["math", "poetry"])
        assert [(i[0], i[1], i[2], i[4]) for i in row.items] == [
            ("tel", "voice", "home", "+44 20 7946 0018"), ("tel", "cell", "home", "+44 7700 900123"),
            ("email", "", "work", "ada@example.com"),
        ]  # fmt: skip
        assert row.addresses == [("", "", "London", "", "", "GB", "work", False)]
    for row, errors in refused:
        assert row is None
        assert errors == [
            ("Mobile", "no digits is not a phone number."), ("Mail", "nope is not a valid email address."),
            ("Land", "Atlantis is not a country (write its name or ISO code)."),
        ]  # fmt: skip
