"""The list parameters `filter`, `order`, `mask` and `flat`, read into selector arguments.

- `filter` is a JSON object: each key a field (dotted paths for `opts.*`), each value the one it
  must equal, or an array of values it may equal (IN); keys combine with AND.
- `order` is a JSON array of `"field"` (ascending) or `{"field": "asc"|"desc"}`, or one field
  name; the autokey breaks ties (and is the default order).
- `mask` is a comma list of the maskable fields; `flat` is `true`/`false` (or `1`/`0`).

Anything else (bad JSON, an unknown field, a wrong type) is a 400 naming the parameter
(docs/incoplax.md, "List parameters").
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rest_framework import exceptions

from dialects.base import refuse_deep_json, refuse_null_characters
from dialects.incoplax.codes import (
    COMBINED_FILTERABLE,
    CONTACT_COLUMNS,
    CONTACT_FILTERABLE,
    CONTACT_ORDERING,
    GROUP_COLUMNS,
    GROUP_ORDERING,
    MAX_INT,
    SLOT_FILTER_SLOTS,
    SLOT_KINDS,
    SLOT_NAMES,
)
from dialects.incoplax.fields import MAX_ID, group_pk, parse_uuid

MAX_PARAM_LENGTH = 10000
MAX_VALUES = 1000


def bad(name: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [message]})


def json_param(params: Mapping[str, Any], name: str) -> Any:
    """A query parameter holding JSON, decoded, or None when absent."""
    text = params.get(name)
    if text is None or text.strip() == "":
        return None
    if len(text) > MAX_PARAM_LENGTH:
        raise bad(name, f"is longer than {MAX_PARAM_LENGTH} characters.")
    try:
        refuse_deep_json(text.encode("utf-8", "surrogatepass"))
        value = json.loads(text)
    except ValueError:
        raise bad(name, "is not valid JSON.") from None
    except exceptions.ParseError as exc:
        raise bad(name, str(exc.detail)) from None
    try:
        return refuse_null_characters(value)
    except exceptions.ParseError as exc:
        raise bad(name, str(exc.detail)) from None


def flat_param(params: Mapping[str, Any]) -> bool:
    text = (params.get("flat") or "false").strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise bad("flat", "must be true or false.")
    return text in ("true", "1")


def mask_param(params: Mapping[str, Any], *, maskable: Sequence[str], order: Sequence[str]) -> tuple[str, ...] | None:
    """The masked fields in the entity's order, or None when there is no mask."""
    text = params.get("mask")
    if text is None or not text.strip():
        return None
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(names - set(maskable))
    if unknown:
        raise bad("mask", f"{', '.join(unknown)}: not a field of the mask (one of {', '.join(maskable)}).")
    return tuple(name for name in order if name in names)


def filter_object(params: Mapping[str, Any], *, allowed: Sequence[str]) -> dict[str, list[Any]]:
    """The `filter` object as {field: [values]}, checked against the allowed fields."""
    data = json_param(params, "filter")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise bad("filter", "must be a JSON object.")
    result: dict[str, list[Any]] = {}
    for key, value in data.items():
        if key not in allowed:
            raise bad("filter", f"{key}: not a field to filter on (one of {', '.join(allowed)}).")
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_VALUES:
            raise bad("filter", f"{key}: more than {MAX_VALUES} values.")
        if any(isinstance(v, (dict, list)) for v in values):
            raise bad("filter", f"{key}: values must be strings, numbers or null.")
        result[key] = values
    return result


def typed(name: str, kind: str, values: list[Any]) -> list[Any]:
    """Filter values checked and converted for a column of `kind`; values that match nothing go."""
    out: list[Any] = []
    for value in values:
        if kind == "str":
            if not isinstance(value, str):
                raise bad("filter", f"{name}: must be a string.")
            out.append(value)
        elif kind in ("int", "int?"):
            if value is None and kind == "int?":
                out.append(None)
            elif isinstance(value, bool) or not isinstance(value, int):
                raise bad("filter", f"{name}: must be an integer.")
            elif abs(value) <= (MAX_ID if kind == "int" else MAX_INT):
                out.append(value)
        elif kind == "uuid":
            if not isinstance(value, str):
                raise bad("filter", f"{name}: must be a uuid string.")
            parsed = parse_uuid(value)
            if parsed is not None:
                out.append(parsed)
        elif kind == "group_id":
            if not isinstance(value, str):
                raise bad("filter", f"{name}: must be a uuid string.")
            pk = group_pk(value)
            if pk is not None:
                out.append(pk)
    return out


def order_param(params: Mapping[str, Any], *, columns: Mapping[str, str], tiebreak: str = "pk") -> list[str]:
    """ORM ordering from `order`; the autokey (or id) last, so pages are stable."""
    text = params.get("order")
    if text is None or not text.strip():
        return [tiebreak]
    stripped = text.strip()
    data: Any = json_param(params, "order") if stripped[0] in '[{"' else stripped
    entries = data if isinstance(data, list) else [data]
    ordering: list[str] = []
    for entry in entries:
        if isinstance(entry, str):
            name, direction = entry, "asc"
        elif isinstance(entry, dict) and len(entry) == 1:
            name, direction = next(iter(entry.items()))
        else:
            raise bad("order", 'entries must be "field" or {"field": "asc"|"desc"}.')
        if name not in columns:
            raise bad("order", f"{name}: not a field to sort by (one of {', '.join(columns)}).")
        if direction not in ("asc", "desc"):
            raise bad("order", f'{name}: the direction must be "asc" or "desc".')
        ordering.append(("-" if direction == "desc" else "") + columns[name])
    return [*ordering, tiebreak]


@dataclass
class ContactQuery:
    """`contact_list_matching`'s arguments, read from a request's `filter` and `order`."""

    fields: dict[str, list[Any]] = field(default_factory=dict)
    tag_slugs: list[str] | None = None
    items: dict[str, tuple[str, Sequence[str], Sequence[str]]] = field(default_factory=dict)
    order_by: list[str] = field(default_factory=lambda: ["pk"])

    def arguments(self) -> dict[str, Any]:
        return {"fields": self.fields, "tag_slugs": self.tag_slugs, "items": self.items, "order_by": self.order_by}


def contact_query(params: Mapping[str, Any]) -> ContactQuery:
    query = ContactQuery(order_by=order_param(params, columns=CONTACT_ORDERING))
    for name, values in filter_object(params, allowed=CONTACT_FILTERABLE).items():
        if name in CONTACT_COLUMNS:
            column, kind = CONTACT_COLUMNS[name]
            query.fields[column] = typed(name, kind, values)
        elif name in SLOT_NAMES:
            query.items[name] = (SLOT_KINDS[name], SLOT_FILTER_SLOTS[name], typed(name, "str", values))
        else:
            query.tag_slugs = typed(name, "str", values)
    return query


def group_query(params: Mapping[str, Any]) -> tuple[dict[str, list[Any]], list[str]]:
    """`tag_list_matching`'s fields and ordering."""
    fields = {
        GROUP_COLUMNS[name][0]: typed(name, GROUP_COLUMNS[name][1], values)
        for name, values in filter_object(params, allowed=tuple(GROUP_COLUMNS)).items()
    }
    return fields, order_param(params, columns=GROUP_ORDERING)


@dataclass
class CombinedQuery:
    """combined_contacts' `filter` split into its two sides; None for a side nothing can match."""

    groups: dict[str, list[Any]] | None
    contacts: ContactQuery | None


def combined_query(params: Mapping[str, Any]) -> CombinedQuery:
    groups: dict[str, list[Any]] | None = {}
    contacts: ContactQuery | None = ContactQuery()
    for name, values in filter_object(params, allowed=COMBINED_FILTERABLE).items():
        if any(isinstance(v, bool) or v is None for v in values):
            raise bad("filter", f"{name}: values must be strings or numbers.")
        texts = [v for v in values if isinstance(v, str)]
        numbers = [v for v in values if isinstance(v, int)]
        if name == "id":
            groups["pk"] = typed(name, "group_id", texts)
            contacts.fields["uuid"] = typed(name, "uuid", texts)
        elif name == "key":
            groups["slug"] = texts
            contacts.fields["pk"] = typed(name, "int", numbers)
        elif name == "name":
            groups["name"] = texts
            contacts.fields["display_name"] = texts
        else:
            groups["slug"] = [t[len("group#") :] for t in texts if t.startswith("group#")]
            contacts.items["number"] = ("tel", SLOT_FILTER_SLOTS["number"], texts)
    if groups and any(not values for values in groups.values()):
        groups = None
    if contacts.fields and any(not values for values in contacts.fields.values()):
        contacts = None
    return CombinedQuery(groups=groups, contacts=contacts)
