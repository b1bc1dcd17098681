"""Redmine request bodies: JSON, XML (through the shapes of `renderers.py`) and Rails-style forms.

A web form (docs/redmine.md, "Web forms") posts `contact[first_name]`,
`contact[custom_fields][][id]` / `contact[custom_fields][][value]` pairs and
`project[id]`; Rails turns such names into nested hashes and lists, and so
does `rails_params` here, so views see the same dict whatever the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from rest_framework.parsers import DataAndFiles

from dialects.base import BoundedFormParser, BoundedMultiPartParser
from dialects.redmine.renderers import CONTACT_SHAPE, NOTE_SHAPE, PROJECT_SHAPE
from dialects.xml import XmlShapeParser

NAME_PART = re.compile(r"\[([^\]]*)\]")
MAX_DEPTH = 5


def rails_params(query: QueryDict) -> dict[str, Any]:
    """Nest `a[b][c]=x` and `a[list][][k]=v` names the way Rails' Rack::QueryParser does.

    A form's `x[][id]` and `x[][value]` inputs pair up by position: the n-th
    `id` and the n-th `value` make the n-th entry of `x`.
    """
    result: dict[str, Any] = {}
    for name, values in query.lists():
        head = name.split("[", 1)[0]
        parts = NAME_PART.findall(name[len(head) :])
        if not head or len(parts) > MAX_DEPTH:
            continue
        for index, value in enumerate(values):
            _assign(result, [head, *parts], value, index)
    return result


def _assign(target: dict[str, Any], keys: list[str], value: str, index: int) -> None:
    key, rest = keys[0], keys[1:]
    if not rest:
        target[key] = value
        return
    if rest[0] == "":  # a list: key[] or key[][sub]
        items = target.get(key)
        if not isinstance(items, list):
            items = target[key] = []
        if len(rest) == 1:
            items.append(value)
            return
        while len(items) <= index:
            items.append({})
        if isinstance(items[index], dict):
            _assign(items[index], rest[1:], value, 0)
        return
    child = target.get(key)
    if not isinstance(child, dict):
        child = target[key] = {}
    _assign(child, rest, value, index)


class RedmineXMLParser(XmlShapeParser):
    shapes = (CONTACT_SHAPE, NOTE_SHAPE, PROJECT_SHAPE)


class RedmineFormParser(BoundedFormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping | None = None) -> Any:
        return rails_params(super().parse(stream, media_type, parser_context))


class RedmineMultiPartParser(BoundedMultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping | None = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        return DataAndFiles(rails_params(parsed.data), parsed.files)
