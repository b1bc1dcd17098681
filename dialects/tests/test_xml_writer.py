"""The XML writer's escaping: inline for one element, checked once per element of an array.

Every element of an array is first written with its strings as they are and checked once; one
with a character to escape or drop is written again, escaped. Both paths must give the bytes
that escaping every string one by one gives.
"""

from __future__ import annotations

import pytest

from dialects.xml import Array, Element, Leaf, XmlShape
from dialects.xml.writer import needs_escaping

DECL = '<?xml version="1.0" encoding="UTF-8"?>'
# Every character element text escapes, and every one XML 1.0 cannot carry (dropped).
INVALID = [*map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]), "\ufffe", "\uffff"]
TEXT_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"} | dict.fromkeys(INVALID, "")
ATTRIBUTE_ESCAPED = TEXT_ESCAPED | {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}

PHONE = Element("phone", "phone", (Leaf("kind", attribute=True), Leaf("number")))
ROW = Element(
    "row",
    "row",
    (
        Leaf("id", type=int),
        Leaf("name"),
        Array("tags", "tags", Leaf("tag"), attrs=()),
        Array("phones", "phones", PHONE, attrs=()),
    ),
)
LIST = XmlShape(root=Array("rows", "rows", ROW, attrs=()))
ONE = XmlShape(root=ROW)


def row(pk: int, name: str = "Ann", tag: str = "vip", number: str = "+1 555", kind: str = "cell") -> dict:
    return {"id": pk, "name": name, "tags": [tag], "phones": [{"kind": kind, "number": number}]}


def written(pk: int, name: str = "Ann", tag: str = "vip", number: str = "+1 555", kind: str = "cell") -> str:
    return (
        f"<row><id>{pk}</id><name>{name}</name><tags><tag>{tag}</tag></tags>"
        f'<phones><phone kind="{kind}"><number>{number}</number></phone></phones></row>'
    )


@pytest.mark.parametrize("char", sorted(TEXT_ESCAPED))
@pytest.mark.parametrize("where", ["name", "tag", "number"])
def test_every_special_character_in_a_list_element_is_escaped_and_its_neighbours_written_once(char, where):
    text = f"a{char}b"
    rows = [row(1), row(2, **{where: text}), row(3)]
    body = LIST.render({"rows": rows}).decode()
    middle = written(2, **{where: f"a{TEXT_ESCAPED[char]}b"})
    assert body == f"{DECL}<rows>{written(1)}{middle}{written(3)}</rows>"


@pytest.mark.parametrize("char", sorted(TEXT_ESCAPED))
@pytest.mark.parametrize("where", ["name", "tag", "number"])
def test_every_special_character_in_a_single_element_is_escaped(char, where):
    body = ONE.render({"row": row(2, **{where: f"a{char}b"})}).decode()
    assert body == DECL + written(2, **{where: f"a{TEXT_ESCAPED[char]}b"})


@pytest.mark.parametrize("char", sorted(ATTRIBUTE_ESCAPED))
def test_every_special_character_of_an_attribute_in_a_list_element_is_escaped(char):
    body = LIST.render({"rows": [row(1, kind=f"a{char}b")]}).decode()
    assert body == f"{DECL}<rows>{written(1, kind=f'a{ATTRIBUTE_ESCAPED[char]}b')}</rows>"


def test_an_element_whose_only_text_is_dropped_characters_is_written_as_an_empty_string():
    shape = XmlShape(root=Array("rows", "rows", ROW, attrs=()), empty_string_self_closes=True)
    body = shape.render({"rows": [row(1, name="\x01\x02"), row(2)]}).decode()
    assert body == f"{DECL}<rows>{written(1).replace('<name>Ann</name>', '<name/>')}{written(2)}</rows>"


def test_text_beyond_ascii_is_written_as_it_is():
    name = "Zoë 北京 \U0001f600 Ā"
    body = LIST.render({"rows": [row(1, name=name)]}).decode()
    assert body == f"{DECL}<rows>{written(1, name=name)}</rows>"


@pytest.mark.parametrize("char", sorted(TEXT_ESCAPED))
def test_needs_escaping_finds_each_special_character_among_many_texts(char):
    assert needs_escaping(["plain", "Zoë 北京", f"x{char}y", "more"])
    assert needs_escaping(["Zoë", char])


def test_needs_escaping_passes_plain_and_non_ascii_text():
    assert not needs_escaping(["plain", "", "Zoë 北京 \U0001f600", "Ā\u0100\u2028", "tab\tand\nnewline"])
    assert not needs_escaping([])
