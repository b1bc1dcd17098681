"""Phone normalisation: the quick reading of plain text gives what phonenumbers.parse gives, always."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from contacts.models import normalize_phone, phone_parse

REGIONS = ["US", "GB", "DE", "FR", "IT", "RU", "AU", "BR", "IN", "CN", "JP", "MX", "AR", "NL", "CH", "ZA"]

TRICKY = [
    # international, with and without separators
    "+1 202 555 0143", "+12025550143", "+1 (202) 555-0143", "+1.202.555.0143", "+44 20 7946 0018",
    "+44 (0) 20 7946 0018", "+440 20 7946 0018", "+49 151 1000000", "+49 (0)30 901820", "+39 06 698 1",
    "+39 0669812345", "+39 3123456789", "+390", "+7 495 123-45-67", "+7 8 495 123 45 67", "+33 0 1 23 45 67 89",
    "+61 4 1234 5678", "+55 11 91234 5678", "+86 10 1234 5678", "+91 98765 43210", "+52 1 55 1234 5678",
    "+54 9 11 1234 5678", "+800 1234 5678", "+882 1234 5678", "+979 123456789", "+1 800 FLOWERS",
    # unknown or missing country codes, plus signs in odd places
    "+0 123 456", "+011 44 20 7946 0018", "+00 44 20 7946 0018", "+999 123 456", "+28 123 456 78", "++44 20 7946 0018",
    "+ 44 20 7946 0018", "+(44) 20 7946 0018", "+44-", "+44 ", " +44 20 7946 0018", "(+44) 20 7946 0018",
    # too short, too long, just right
    "+1", "+12", "+123", "+1234", "+44 1", "+44 12", "+1 2345678901234567", "+1 23456789012345678",
    "+49 12345678901234567", "+49 123456789012345678", "1", "12", "123", "1-2", "12345678901234567890",
    # national forms: national prefixes, the default region's code without a plus, IDD prefixes
    "(202) 555-0143", "202-555-0143", "1 202 555 0143", "1-800-555-0199", "011 44 20 7946 0018", "0044 20 7946 0018",
    "00 44 20 7946 0018", "020 7946 0018", "07700 900123", "44 20 7946 0018", "030 901820", "0151 1000000",
    "8 495 123 45 67", "06 698 12345", "0 0 0", "000", "0000000", "00", "001", "0011 44 20 7946 0018", "0611234567",
    "(0)20 7946 0018", "411", "911", "112", "5550143", ".202.555.0143.", "202.555.0143)", "(202 555 0143",
    # extensions, letters, Unicode, free text: parse's own path
    "+1 202 555 0143 ext. 12", "202 555 0143 x12", "202-555-0143#", "+1 202 555 0143;ext=12", "tel:+1-202-555-0143",
    "Tel: +1 202 555 0143", "+1 202 555 0143 / x2", "1-800-FLOWERS", "+٤٤ ٢٠ ٧٩٤٦ ٠٠١٨", "+44 20 7946 0018",
    "２０２５５５０１４３", "+1 202 555 0143, 12", "202/555/0143",
]  # fmt: skip


def outcome(parse: Callable[[str, str], phonenumbers.PhoneNumber], text: str, region: str) -> object:
    """The number parse gives, or the kind of error it raises."""
    try:
        return parse(text, region)
    except phonenumbers.NumberParseException as exc:
        return ("error", exc.error_type)


def random_numbers(count: int, seed: int) -> list[str]:
    """Plain texts of every shape phone_parse reads itself: a plus or not, known and unknown codes,
    national and IDD prefixes, any length, separators anywhere."""
    rng = random.Random(seed)
    codes = [str(code) for code in COUNTRY_CODE_TO_REGION_CODE]
    texts = []
    for _ in range(count):
        start = rng.choice(["+", "+", "", "", "00", "011", "0", "1", "8", "+0", "(", "+("])
        code = rng.choice([*codes, "", str(rng.randint(0, 999))])
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 16)))
        body = code + digits
        text = start
        for char in body:
            if rng.random() < 0.3:
                text += rng.choice([" ", "-", ".", "(", ")", " (", ") ", "  "])
            text += char
        if rng.random() < 0.1:
            text += rng.choice([")", " ", "-", "."])
        texts.append(text)
    return texts


def old_normalize_phone(value: str, region: str) -> str:
    """normalize_phone as it read before the quick path: phonenumbers.parse on every candidate."""
    digits = "".join(str(unicodedata.decimal(char)) for char in value if unicodedata.decimal(char, None) is not None)
    if not digits:
        raise ValidationError({"value": f"{value} is not a valid phone number."})
    candidates = [value]
    if value.lstrip().startswith("00"):
        candidates.insert(0, "+" + value.lstrip()[2:])
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return digits


@pytest.mark.parametrize("region", REGIONS)
def test_quick_parse_gives_the_number_or_error_parse_gives_for_tricky_text(region):
    for text in TRICKY:
        assert outcome(phone_parse, text, region) == outcome(phonenumbers.parse, text, region), text


@pytest.mark.parametrize("region", ["US", "GB", "IT", "RU", "BR", "AR"])
def test_quick_parse_gives_what_parse_gives_for_random_plain_text(region):
    for text in random_numbers(2000, seed=sum(map(ord, region))):
        assert outcome(phone_parse, text, region) == outcome(phonenumbers.parse, text, region), text


@pytest.mark.parametrize("region", ["US", "GB", "IT", "DE"])
def test_normalized_phones_are_those_of_parse_on_every_input(settings, region):
    settings.PHONE_DEFAULT_REGION = region
    for text in [*TRICKY, *random_numbers(1500, seed=11)]:
        try:
            expected = old_normalize_phone(text, region)
        except ValidationError:
            with pytest.raises(ValidationError):
                normalize_phone(text)
        else:
            assert normalize_phone(text) == expected, text


def test_quick_parse_reads_plain_text_without_calling_parse(monkeypatch):
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("phonenumbers.parse was called")

    monkeypatch.setattr(phonenumbers, "parse", refuse)
    assert phonenumbers.format_number(phone_parse("+49 151 1000000", "US"), 0) == "+491511000000"
    assert phonenumbers.format_number(phone_parse("(202) 555-0143", "US"), 0) == "+12025550143"
    assert phonenumbers.format_number(phone_parse("020 7946 0018", "GB"), 0) == "+442079460018"
    with pytest.raises(AssertionError):
        phone_parse("+1 202 555 0143 ext. 12", "US")  # an extension: parse's own path
