"""One vCard (3.0, RFC 2426, or 4.0, RFC 6350) as import values keyed by target.

vobject parses the card; its properties map onto the same targets a CSV column maps to
(see `contacts.importers.mapping`), so both formats go through one validation path. N, ORG,
TITLE, BDAY, TEL, EMAIL, URL, ADR, CATEGORIES and NOTE are read; X-SKYPE, IMPP and the usual
X-<messenger> and X-<network> properties become messengers and social networks; KIND:org
(4.0) or X-ABSHOWAS:COMPANY (Apple's, which this CRM's export writes) makes a company.
"""

from __future__ import annotations

import re
from typing import Any

import vobject

MESSENGERS = {"jabber", "xmpp", "icq", "aim", "msn", "yahoo", "qq", "google-talk", "gadugadu", "messenger"}
SOCIALS = {"twitter", "linkedin", "facebook", "instagram", "mastodon", "social", "xing", "github"}
TYPE_WORDS = {"work", "home", "other", "cell", "fax", "pager", "voice", "pref"}
UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")


def vcard_values(text: str) -> dict[str, str]:
    """The import values of one card's text (ValueError and vobject's errors for a broken card)."""
    card = vobject.readOne(text, ignoreUnreadable=True)
    contents: dict[str, list[Any]] = card.contents
    values: dict[str, str] = {}
    is_company = _first(contents, "kind").lower() == "org" or _first(contents, "x-abshowas").upper() == "COMPANY"
    if "n" in contents:
        last, first, middle, prefix = _parts(contents["n"][0].value, ("family", "given", "additional", "prefix"))
        values |= {"last_name": last, "first_name": first, "middle_name": middle, "salutation": prefix}
    if "org" in contents:
        org = _parts(contents["org"][0].value, None)
        values["name" if is_company else "company"] = org[0] if org else ""
        if len(org) > 1 and org[1]:
            values["department"] = org[1]
    if is_company:
        values["kind"] = "company"
        values.setdefault("name", _first(contents, "fn"))
        for key in ("last_name", "first_name", "middle_name", "salutation"):
            values.pop(key, None)
    elif not (values.get("first_name") or values.get("last_name")):
        values["full_name"] = _first(contents, "fn")
    for name, target in (("title", "job_title"), ("bday", "birthday"), ("note", "background")):
        if name in contents:
            values[target] = _first(contents, name)
    numbers: dict[str, int] = {}
    for name, lines in contents.items():
        kind, service = _item_kind(name)
        if not kind:
            continue
        for line in lines:
            value = str(line.value or "").strip()
            if kind == "tel" and value.lower().startswith("tel:"):
                value = value[4:]
            if name == "impp" and ":" in value:
                service, value = value.split(":", 1)
                kind = "skype" if service.lower() == "skype" else "messenger"
            if not value:
                continue
            numbers[kind] = number = numbers.get(kind, 0) + 1
            values[f"{kind}.{number}"] = value
            words = _type_words(line)
            if service and kind in ("messenger", "social"):
                words.append(service)
            if words:
                values[f"{kind}.{number}.type"] = " ".join(words)
    for number, line in enumerate(contents.get("adr", []), start=1):
        parts = _parts(line.value, ("box", "extended", "street", "city", "region", "code", "country"))
        box, extended, street, city, region, code, country = parts
        for part, value in (
            ("street1", street or box),
            ("street2", extended),
            ("city", city),
            ("region", region),
            ("postcode", code),
            ("country", country),
        ):
            if value:
                values[f"address.{number}.{part}"] = value
        if words := _type_words(line):
            values[f"address.{number}.type"] = " ".join(words)
    if "categories" in contents:
        tags = []
        for line in contents["categories"]:
            tags += _parts(line.value, None, separator=",")
        values["tags"] = "; ".join(tag for tag in tags if tag)
    return {key: value for key, value in values.items() if value}


def _first(contents: dict[str, list[Any]], name: str) -> str:
    lines = contents.get(name)
    if not lines:
        return ""
    value = lines[0].value
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value or "").strip()


def _parts(value: Any, names: tuple[str, ...] | None, *, separator: str = ";") -> list[str]:
    """The components of a structured value: vobject's Name/Address objects, a list, or raw text."""
    if names is not None and not isinstance(value, str | list):
        return [_join(getattr(value, name, "")) for name in names]
    if isinstance(value, list):
        parts = [_join(v) for v in value]
    else:
        pattern = UNESCAPED_SEMICOLON if separator == ";" else re.compile(r"(?<!\\),")
        parts = [_unescape(p) for p in pattern.split(str(value or ""))]
    if names is not None:
        parts = (parts + [""] * len(names))[: len(names)]
    return [p.strip() for p in parts]


def _join(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v)
    return str(value or "")


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def _item_kind(name: str) -> tuple[str, str]:
    """(item kind, service) of a property name, or ("", "") for properties that are not items."""
    if name in ("tel", "email", "url"):
        return name, ""
    if name == "impp":
        return "messenger", ""
    if not name.startswith("x-"):
        return "", ""
    service = name[2:]
    if service in ("skype", "skype-username"):
        return "skype", ""
    if service in MESSENGERS:
        return "messenger", "" if service == "messenger" else service
    if service in SOCIALS:
        return "social", "" if service == "social" else service
    return "", ""


def _type_words(line: Any) -> list[str]:
    """The TYPE words of a property this CRM knows (work, home, cell, fax, pref...), in order."""
    words: list[str] = []
    for raw in line.params.get("TYPE", []):
        for word in str(raw).lower().replace('"', "").split(","):
            word = word.strip()
            if word in TYPE_WORDS and word not in words:
                words.append(word)
    if line.params.get("PREF") and "pref" not in words:
        words.append("pref")
    return words
