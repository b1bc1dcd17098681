"""Incoplax entities built from flat rows (`contacts.selectors.contact_rows` / `tag_rows`).

A `Projection` is made once per request from the fields asked for (`mask`) and `flat`, and
then turns each row into a dict with plain lookups: no serializer object per row, so a page of
1000 contacts stays cheap. Dotted fields nest under `opts`/`ext` unless `flat` is set, in which
case they are top-level keys named by their path (`"opts.groups": [...]`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from contacts.slots import assign_slots
from dialects.incoplax.codes import GROUP_PRIORITY, SLOT_NAMES, SLOTS
from dialects.incoplax.fields import group_id, timestamp

Row = Mapping[str, Any]
Getter = Callable[[Row, Mapping[str, Row]], Any]


def _slot(name: str) -> Getter:
    def get(row: Row, slots: Mapping[str, Row]) -> str:
        item = slots.get(name)
        return item["value"] if item is not None else ""

    return get


def _photo(row: Row, slots: Mapping[str, Row]) -> str:
    return f"{settings.MEDIA_URL}{row['avatar']}" if row["avatar"] else ""


CONTACT_GETTERS: dict[str, Getter] = {
    "id": lambda row, slots: str(row["uuid"]),
    "autokey": lambda row, slots: row["pk"],
    "displayname": lambda row, slots: row["display_name"],
    "department": lambda row, slots: row["department"],
    "jobtitle": lambda row, slots: row["job_title"],
    **{name: _slot(name) for name in SLOT_NAMES},
    "photo": _photo,
    "opts.title": lambda row, slots: row["salutation"],
    "opts.comment": lambda row, slots: row["background"],
    "opts.groups": lambda row, slots: row["tags"],
    "opts.priority": lambda row, slots: row["priority"],
    "ext.ct": lambda row, slots: timestamp(row["created_at"]),
    "ext.lwt": lambda row, slots: timestamp(row["updated_at"]),
}

GROUP_GETTERS: dict[str, Getter] = {
    "id": lambda row, slots: group_id(row["pk"]),
    "code": lambda row, slots: row["slug"],
    "name": lambda row, slots: row["name"],
    "shortname": lambda row, slots: "",
    "opts.title": lambda row, slots: "",
    "opts.comment": lambda row, slots: "",
    "opts.priority": lambda row, slots: GROUP_PRIORITY,
    "opts.abonents": lambda row, slots: row["members"],
    "opts.abonentcount": lambda row, slots: len(row["members"]),
    # Tags keep no timestamps (docs/incoplax.md, "Contact groups").
    "ext.ct": lambda row, slots: None,
    "ext.lwt": lambda row, slots: None,
}


@dataclass(frozen=True)
class Projection:
    """The fields to write (in the entity's order) and how: nested or flat."""

    fields: tuple[str, ...]
    getters: Mapping[str, Getter]
    flat: bool = False

    @property
    def needs_items(self) -> bool:
        return any(name in SLOT_NAMES for name in self.fields)

    @property
    def needs_tags(self) -> bool:
        return "opts.groups" in self.fields

    def render(self, row: Row) -> dict[str, Any]:
        slots = assign_slots(row.get("items", ()), SLOTS) if self.needs_items else {}
        out: dict[str, Any] = {}
        for name in self.fields:
            value = self.getters[name](row, slots)
            outer, _, inner = name.partition(".")
            if not inner or self.flat:
                out[name] = value
            else:
                out.setdefault(outer, {})[inner] = value
        return out

    def render_many(self, rows: Sequence[Row]) -> list[dict[str, Any]]:
        return [self.render(row) for row in rows]


def combined_group(row: Row) -> dict[str, Any]:
    """A group as a combined_contacts row: key is its code, number `group#<code>`."""
    return {
        "id": group_id(row["pk"]),
        "key": row["slug"],
        "type": "contactgroup",
        "name": row["name"],
        "number": f"group#{row['slug']}",
    }


def combined_contact(row: Row) -> dict[str, Any]:
    """A contact as a combined_contacts row: key is its autokey, number its `number` slot."""
    number = assign_slots(row["items"], SLOTS).get("number")
    return {
        "id": str(row["uuid"]),
        "key": row["pk"],
        "type": "contact",
        "name": row["display_name"],
        "number": number["value"] if number is not None else "",
    }
