"""The words and formats of single import cells, read without the rest of the row: a contact's
kind (person or company), an item's type words ("work cell pref"), list cells, birthdays and web
addresses."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from contacts.models import Address, with_scheme

PERSON_WORDS = {"person", "persons", "people", "individual", "contact", "p"}


COMPANY_WORDS = {"company", "companies", "organization", "organisation", "org", "firm", "business", "c"}


KIND_WORDS = PERSON_WORDS | COMPANY_WORDS


CONTEXT_WORDS = {"work": "work", "business": "work", "office": "work", "home": "home", "private": "home",
                 "personal": "home", "other": "other"}  # fmt: skip


TEL_WORDS = {"cell": "cell", "mobile": "cell", "fax": "fax", "pager": "pager", "voice": "voice", "phone": "voice",
             "main": "voice", "tel": "voice"}  # fmt: skip


PRIMARY_WORDS = {"pref", "primary", "preferred", "main"}


ADDRESS_CONTEXTS = set(Address.Context.values) | {"business"}


LIST_SPLIT = re.compile(r"\s*(?:;|:::|,)\s*")


_URL = URLValidator(schemes=["http", "https"])


# Web addresses URLValidator always accepts (ASCII host labels, a letters-only top-level domain, a
# plain path), matched by one regex; anything else goes to the validator itself.
PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,63}(?:/[A-Za-z0-9._~/-]*)?"
)


PLAIN_URL_LENGTH = 253  # a host name's limit: a plain address no longer than that has a host within it


def url_ok(value: str) -> bool:
    """Whether a website cell passes URLValidator (written with or without https://), plain ones by PLAIN_URL."""
    url = with_scheme(value)
    if len(url) <= PLAIN_URL_LENGTH and url.isascii() and PLAIN_URL.fullmatch(url):
        return True
    try:
        _URL(url)
    except ValidationError:
        return False
    return True


def split_list(text: str) -> list[str]:
    """Names in a list cell: "a; b", "a, b" or Google's "a ::: b"."""
    return [part for part in LIST_SPLIT.split(text.strip()) if part]


def parse_item_type(text: str, *, kind: str) -> tuple[str, str, str, bool]:
    """(context, tel_type, service, is_primary) from type words such as "work cell pref" or "home jabber"."""
    context, tel_type, service, primary = "work", "", "", False
    for word in text.lower().replace(",", " ").split():
        if word in CONTEXT_WORDS:
            context = CONTEXT_WORDS[word]
        elif word in PRIMARY_WORDS and not (kind == "tel" and word == "main"):
            primary = True
        elif kind == "tel" and word in TEL_WORDS:
            tel_type = TEL_WORDS[word]
        elif kind in ("messenger", "social") and word not in ("internet", "x400"):
            service = word
    if kind == "tel" and not tel_type:
        tel_type = "voice"
    return context, tel_type, service, primary


BIRTHDAY_FORMATS = (
    re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$"),  # ISO, with or without a time
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),  # vCard's basic form
    re.compile(r"^(\d{4})/(\d{2})/(\d{2})$"),
)


def parse_birthday(text: str) -> date:
    """A birthday from YYYY-MM-DD (also YYYYMMDD, YYYY/MM/DD, with a time after); ValueError says the form."""
    for pattern in BIRTHDAY_FORMATS:
        if match := pattern.match(text):
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"{text} is not a date: write it as YYYY-MM-DD.")
