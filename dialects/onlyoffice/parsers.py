"""How ONLYOFFICE requests carry their values (docs/onlyoffice.md, "The envelope").

ONLYOFFICE's API binds each parameter by name, case-insensitively, from the query string, a
form body or a JSON body alike. Lists come as repeated keys (`contactid[]=1&contactid[]=2`), JSON
arrays, or a JSON array in one string (`tags=["a","b"]`); lists of objects in a form come
indexed (`customFieldList[0][key]=3&customFieldList[0][value]=x`). `OnlyofficeParams` gathers
all of that into the plain dict a DRF serializer validates. Request bodies are never XML.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

INDEXED_KEY = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\]\[(?P<key>\w+)\]$")


class OnlyofficeParams:
    """The request's parameters by lower-cased name; the body wins over the query string."""

    def __init__(self, request: Request) -> None:
        self._values: dict[str, list[Any]] = {}
        self._indexed: dict[str, dict[int, dict[str, Any]]] = {}
        self._add(request.query_params)
        self._add(request.data)

    def _add(self, source: Any) -> None:
        if hasattr(source, "lists"):
            for key, values in source.lists():
                for value in values:
                    self._put(key, value)
        elif isinstance(source, dict):
            for key, value in source.items():
                for one in value if isinstance(value, list) else [value]:
                    self._put(str(key), one)

    def _put(self, key: str, value: Any) -> None:
        match = INDEXED_KEY.match(key)
        if match:
            entry = self._indexed.setdefault(match["name"].lower(), {}).setdefault(int(match["index"]), {})
            entry[match["key"]] = value
            return
        self._values.setdefault(key.lower().removesuffix("[]"), []).append(value)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._values or name.lower() in self._indexed

    def get(self, name: str, default: Any = None) -> Any:
        values = self._values.get(name.lower())
        return values[-1] if values else default

    def getlist(self, name: str) -> list[Any]:
        name = name.lower()
        values = list(self._values.get(name, []))
        if len(values) == 1 and isinstance(values[0], str) and values[0].strip().startswith("["):
            try:
                loaded = json.loads(values[0])
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                values = loaded
        indexed = self._indexed.get(name, {})
        return values + [indexed[i] for i in sorted(indexed)]

    def data_for(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """The values of the serializer's fields that the request gives, lists as lists."""
        data: dict[str, Any] = {}
        for name, many in field_kinds(serializer_class):
            if name in self:
                data[name] = self.getlist(name) if many else self.get(name)
        return data


@cache
def field_kinds(serializer_class: type[serializers.Serializer]) -> tuple[tuple[str, bool], ...]:
    """A serializer's field names, each with whether it takes a list: worked out once per class
    (the fields are declared on the class; making them for a request deep-copies every one)."""
    lists = (serializers.ListField, serializers.ListSerializer)
    return tuple((name, isinstance(field, lists)) for name, field in serializer_class().fields.items())
