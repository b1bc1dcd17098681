"""Writes of contacts whose phones and emails sit in named slots (see `contacts.slots`).

`contact_create_slotted` and `contact_update_slotted` write the contact's fields, its tags and
the slots given, in one transaction: a slot given with a value creates or updates that slot's
item, a slot given empty deletes it, and slots not given stay as they are. A contact may be
created with a uuid of the caller's choosing; a taken one raises DuplicateKeyError.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.history import Changes, history_record, items_text, text_diff
from contacts.models import ChangeAction, Contact, ContactItem
from contacts.selectors import contact_uuid_taken
from contacts.services.base import DuplicateKeyError, ErrorBag
from contacts.services.contacts import _create, _update
from contacts.slots import Slot, assign_slots, slot_row

DUPLICATE_UUID = "A contact with this id already exists."


def contact_create_slotted(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    layout: Sequence[Slot],
    slots: Mapping[str, str],
    tags: Iterable[str] | None = None,
    uuid: uuid_module.UUID | None = None,
) -> Contact:
    """Create a contact (outside any project) with its slotted items, tags and, if given, uuid."""
    if uuid is not None and contact_uuid_taken(uuid=uuid):
        raise DuplicateKeyError({"uuid": [DUPLICATE_UUID]})
    try:
        with transaction.atomic():
            contact, changes = _create(user=user, fields=fields, tags=tags, projects=[])
            if uuid is not None:
                Contact.objects.filter(pk=contact.pk).update(uuid=uuid)
                contact.uuid = uuid
            changes |= _write_slots(contact=contact, layout=layout, slots=slots)
            history_record(contact=contact, user=user, action=ChangeAction.CREATED, changes=changes)
    except IntegrityError:
        # Another request took the uuid between the check and the write.
        raise DuplicateKeyError({"uuid": [DUPLICATE_UUID]}) from None
    return contact


def contact_update_slotted(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    layout: Sequence[Slot],
    slots: Mapping[str, str],
    tags: Iterable[str] | None = None,
) -> Contact:
    """Change the fields, tags and slots given (the user must be allowed to edit the contact)."""
    with transaction.atomic():
        changes = _update(contact=contact, user=user, fields=fields, tags=tags)
        changes |= _write_slots(contact=contact, layout=layout, slots=slots)
        history_record(contact=contact, user=user, action=ChangeAction.UPDATED, changes=changes)
    return contact


def _write_slots(*, contact: Contact, layout: Sequence[Slot], slots: Mapping[str, str]) -> Changes:
    """Pin the items the layout shows to their slots, then apply the slots given. In a transaction.

    Returns how the contact's items changed, for its history."""
    by_name = {slot.name: (index, slot) for index, slot in enumerate(layout)}
    unknown = set(slots) - set(by_name)
    if unknown:
        raise ValueError(f"Not slots of the layout: {', '.join(sorted(unknown))}")
    if not slots:
        return {}
    current = [slot_row(item) for item in ContactItem.objects.filter(contact=contact).order_by("position", "id")]
    before = items_text(row["item"] for row in current)
    taken = {name: row["item"] for name, row in assign_slots(current, layout).items()}
    pinned: list[ContactItem] = []
    for name, item in taken.items():
        if not item.slot:
            item.slot = name
            pinned.append(item)
    bag = ErrorBag()
    to_save: list[ContactItem] = []
    to_delete: list[int] = []
    for name, raw in slots.items():
        index, slot = by_name[name]
        value = (raw or "").strip()
        item = taken.get(name)
        if not value:
            if item is not None:
                to_delete.append(item.pk)
            continue
        if item is None:
            item = ContactItem(
                contact=contact,
                kind=slot.kind,
                tel_type=slot.tel_type,
                context=slot.context,
                is_primary=slot.is_primary,
                position=index,
                slot=name,
            )
        item.value = value
        try:
            item.full_clean(exclude=["contact"])
        except ValidationError as exc:
            bag.add_exc(name, exc)
            continue
        to_save.append(item)
    bag.raise_if_any()
    ContactItem.objects.filter(contact=contact, pk__in=to_delete).delete()
    for item in {id(item): item for item in [*pinned, *to_save] if item.pk not in to_delete}.values():
        item.save()
    kept = {item.pk: item for item in [*(row["item"] for row in current), *to_save] if item.pk not in to_delete}
    return text_diff(before=before, after=items_text(kept.values()))
