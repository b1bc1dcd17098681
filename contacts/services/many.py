"""The same write on several contacts at once: delete, update or create, all of them or none."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from contacts.history import Changes, history_record_each
from contacts.models import ChangeAction, Contact
from contacts.services.base import ErrorBag, _require_rights
from contacts.services.contacts import _update, contact_create
from contacts.services.trash import trash_move


@transaction.atomic
def contact_delete_many(*, contacts: Iterable[Contact], user: AbstractBaseUser | AnonymousUser | None) -> list[Contact]:
    """Move several contacts to the trash: all of them, or none when the user may not delete one."""
    contacts = list(contacts)
    _require_rights(user=user, contacts=contacts, right="can_delete", verb="delete")
    trash_move(contacts=contacts, user=user)
    return contacts


@transaction.atomic
def contact_update_many(*, contacts: Iterable[Contact], user: AbstractBaseUser, **changes: Any) -> None:
    """The same `contact_update` on several contacts: all of them, or none when one is refused.

    The history gets one entry per contact changed, each with that contact's own old values, in
    one insert for them all (`history_record_each`)."""
    by_contact: dict[int, Changes] = {}
    for contact in contacts:
        by_contact[contact.pk] = _update(contact=contact, user=user, **changes)
    history_record_each(changes_by_contact=by_contact, user=user, action=ChangeAction.UPDATED)


@transaction.atomic
def contact_create_many(
    *, user: AbstractBaseUser | AnonymousUser | None, entries: Sequence[Mapping[str, Any]]
) -> list[Contact]:
    """Create several contacts from their fields (no nested data): all of them, or none, with
    the errors of every entry."""
    bag = ErrorBag()
    created: list[Contact] = []
    for fields in entries:
        try:
            with transaction.atomic():
                created.append(contact_create(user=user, fields=fields, projects=[]))
        except ValidationError as exc:
            bag.add_exc("", exc)
    bag.raise_if_any()
    return created
