"""Named item slots: an API with fixed phone and email fields keeps each in one ContactItem.

A layout is an ordered list of `Slot`s (the Incoplax dialect's is `number`, `numlocal`, ...,
`email3`). Each slot holds at most one item, whose `slot` field names it, so writing one slot
changes only that item and clearing `mobile` never moves `mobile2` into its place.

Items entered elsewhere (the UI, the other dialects) have no slot; `assign_slots` places them in
the free slots of their kind, in their display order, so they are seen through the slots too.
The services pin such an item to its slot the first time a slot of that contact is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contacts.models import ContactItem


@dataclass(frozen=True)
class Slot:
    """One named place for an item, and the kind of item it holds."""

    name: str
    kind: str
    tel_type: str = ""
    context: str = ContactItem.Context.WORK
    is_primary: bool = False

    def holds(self, item: Mapping[str, Any]) -> bool:
        """Whether an unslotted item fits this slot (phones by type: a fax fits no voice slot)."""
        if item["kind"] != self.kind:
            return False
        return self.kind != ContactItem.Kind.TEL or (item.get("tel_type") or ContactItem.TelType.VOICE) == self.tel_type


def assign_slots(items: Iterable[Mapping[str, Any]], layout: Sequence[Slot]) -> dict[str, Mapping[str, Any]]:
    """The item in each slot of `layout`: items naming a slot first, then unslotted items of the
    right kind in the free slots, in the order given (callers pass position order).

    Items are mappings with at least `kind`, `tel_type` and `slot` (rows from values() or
    `model_to_slot_row`); items that fit no free slot are not shown.
    """
    names = {slot.name for slot in layout}
    taken: dict[str, Mapping[str, Any]] = {}
    loose: list[Mapping[str, Any]] = []
    for item in items:
        slot = item.get("slot") or ""
        if slot in names and slot not in taken:
            taken[slot] = item
        elif not slot:
            loose.append(item)
    for item in loose:
        for slot in layout:
            if slot.name not in taken and slot.holds(item):
                taken[slot.name] = item
                break
    return taken


def slot_row(item: ContactItem) -> dict[str, Any]:
    """A model item as the mapping `assign_slots` reads (with the item itself under `item`)."""
    return {
        "id": item.pk,
        "kind": item.kind,
        "tel_type": item.tel_type,
        "slot": item.slot,
        "value": item.value,
        "item": item,
    }
