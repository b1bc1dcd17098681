"""Items (phones, emails, web, messengers) and addresses: validated as a set, saved in the contact's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contacts.history import Changes, history_record, nested_text, text_diff
from contacts.models import (
    Address,
    ChangeAction,
    Contact,
    ContactItem,
)
from contacts.selectors import contact_can_edit
from contacts.services.base import ADDRESS_FIELDS, ITEM_FIELDS, ErrorBag, NestedMode, _as_int

# Columns a nested write may change (ContactItem.clean derives `normalized` and `tel_type`).
NESTED_COLUMNS: dict[type[Any], tuple[str, ...]] = {
    ContactItem: (*ITEM_FIELDS, "normalized"),
    Address: ADDRESS_FIELDS,
}
# Rows per INSERT or UPDATE statement: well under SQLite's 999 bound parameters per query.
BATCH_SIZE = 50


@dataclass
class NestedPlan:
    """What a write does to a contact's items or addresses: rows to insert, rows to update, ids
    to delete, and the rows as they were (for the history)."""

    model: type[ContactItem] | type[Address]
    new_rows: list[Any] = field(default_factory=list)
    updated: list[Any] = field(default_factory=list)
    to_delete: list[int] = field(default_factory=list)
    existing: dict[int, Any] | None = None
    before: dict[str, str] = field(default_factory=dict)

    def changes(self) -> Changes:
        """`{"Email (work)": [old, new]}` for each label the write changes (nothing when not given)."""
        if self.existing is None:
            return {}
        kept = [row for pk, row in self.existing.items() if pk not in self.to_delete]
        return text_diff(before=self.before, after=nested_text(self.model, [*kept, *self.new_rows]))


def _prepare_nested(
    *,
    contact: Contact,
    model: type[ContactItem] | type[Address],
    allowed: tuple[str, ...],
    entries: Sequence[Mapping[str, Any]] | None,
    mode: NestedMode,
    prefix: str,
    bag: ErrorBag,
    creating: bool,
) -> NestedPlan:
    """Plan the rows to insert, update and delete for items or addresses."""
    if entries is None:
        return NestedPlan(model=model)
    existing = {} if creating else {row.pk: row for row in model.objects.filter(contact_id=contact.pk)}
    before = nested_text(model, existing.values())
    new_rows: list[Any] = []
    updated: list[Any] = []
    mentioned: set[int] = set()
    for index, entry in enumerate(entries):
        key = f"{prefix}[{index}]"
        unknown = set(entry) - set(allowed) - {"id"}
        if unknown:
            bag.add(key, [f"Unknown fields: {', '.join(sorted(unknown))}."])
            continue
        row_id = entry.get("id")
        if row_id not in (None, ""):
            row = existing.get(_as_int(row_id))
            if row is None:
                bag.add(f"{key}.id", [f"No {model._meta.verbose_name} with id {row_id} on this contact."])
                continue
            mentioned.add(row.pk)
            target = updated
        else:
            row = model(contact=contact, position=len(existing) + index if mode == "merge" else index)
            target = new_rows
        for name in allowed:
            if name in entry:
                value = entry[name]
                setattr(row, name, "" if value is None and name not in ("is_primary", "position") else value)
        try:
            row.full_clean(exclude=["contact"])
        except ValidationError as exc:
            bag.add_exc(key, exc)
            continue
        target.append(row)
    to_delete = [pk for pk in existing if pk not in mentioned] if mode == "replace" else []
    return NestedPlan(
        model=model, new_rows=new_rows, updated=updated, to_delete=to_delete, existing=existing, before=before
    )


def _save_nested(contact: Contact, model: type[ContactItem] | type[Address], plan: NestedPlan) -> None:
    """Write the planned rows in a fixed number of queries, however many there are."""
    new_rows, updated, to_delete = plan.new_rows, plan.updated, plan.to_delete
    if to_delete:
        model.objects.filter(contact=contact, pk__in=to_delete).delete()
    if updated:
        columns = [name for name in NESTED_COLUMNS[model] if name != "contact"]
        model.objects.bulk_update(updated, columns, batch_size=BATCH_SIZE)
    for row in new_rows:
        row.contact = contact
    if new_rows:
        model.objects.bulk_create(new_rows, batch_size=BATCH_SIZE)


@transaction.atomic
def contact_delete_nested(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    item_ids: Iterable[int] = (),
    address_ids: Iterable[int] = (),
) -> None:
    """Delete some of a contact's items and addresses, by id (ids of other contacts are ignored)."""
    if user is None or not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    changes: Changes = {}
    for model, ids in ((ContactItem, item_ids), (Address, address_ids)):
        wanted = {_as_int(pk) for pk in ids}
        if not wanted:
            continue
        rows = list(model.objects.filter(contact=contact))
        doomed = [row.pk for row in rows if row.pk in wanted]
        if doomed:
            model.objects.filter(contact=contact, pk__in=doomed).delete()
            kept = [row for row in rows if row.pk not in doomed]
            changes |= text_diff(before=nested_text(model, rows), after=nested_text(model, kept))
    contact.save(update_fields=["updated_at"])
    history_record(contact=contact, user=user, action=ChangeAction.UPDATED, changes=changes)
