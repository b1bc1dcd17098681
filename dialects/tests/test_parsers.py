"""The shared parsers' bounds: nesting up to MAX_NESTING is read, one level more is refused, in
JSON and XML alike; surrogates and bad UTF-8 are refused, good Unicode is not."""

from __future__ import annotations

import io

import pytest
from rest_framework.exceptions import ParseError

from dialects.base import (
    MAX_NESTING,
    BoundedFormParser,
    BoundedJSONParser,
    refuse_deep_json,
    refuse_null_characters,
)
from dialects.xml import XmlError, parse_tree


def nested_json(depth: int) -> bytes:
    return ('{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}").encode()


def test_json_nested_to_the_limit_is_read():
    data = BoundedJSONParser().parse(io.BytesIO(nested_json(MAX_NESTING)))
    assert list(data) == ["a"]


def test_json_nested_one_level_deeper_is_refused_before_decoding():
    with pytest.raises(ParseError, match="nests deeper than 100 levels"):
        refuse_deep_json(nested_json(MAX_NESTING + 1))


def test_brackets_inside_json_strings_do_not_count():
    refuse_deep_json(('{"a": "' + "[" * 500 + '\\"[[[", "b": ["\\\\"]}').encode())


def test_xml_nested_to_the_limit_is_read_and_one_deeper_refused():
    assert parse_tree(b"<a>" * MAX_NESTING + b"</a>" * MAX_NESTING).tag == "a"
    with pytest.raises(XmlError, match="nests deeper than 100 levels"):
        parse_tree(b"<a>" * (MAX_NESTING + 1) + b"</a>" * (MAX_NESTING + 1))


@pytest.mark.parametrize("data", ["\ud800", ["ok", {"k": "\udfff"}], {"\ud83d": "x"}])
def test_lone_surrogates_are_refused(data):
    with pytest.raises(ParseError, match="lone surrogate"):
        refuse_null_characters(data)


def test_real_non_ascii_text_passes():
    assert refuse_null_characters({"name": "Zoë 😀 \ufffd"}) == {"name": "Zoë 😀 \ufffd"}


def test_a_form_with_escaped_utf8_is_read_and_bad_bytes_refused():
    parser = BoundedFormParser()
    assert (
        parser.parse(io.BytesIO(b"name=Zo%C3%AB+%F0%9F%98%80"), "application/x-www-form-urlencoded")["name"] == "Zoë 😀"
    )
    with pytest.raises(ParseError, match="not valid UTF-8"):
        parser.parse(io.BytesIO(b"name=%E9"), "application/x-www-form-urlencoded")
