"""Notes on a contact's timeline: anyone who sees a contact adds them; the author, staff and the
contact's project managers change and delete them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contacts.models import (
    Contact,
    Note,
)
from contacts.selectors import contact_list, note_can_change

NOTE_FIELDS = frozenset({"content", "subject", "kind", "created_at"})


def note_create(
    *,
    contact: Contact,
    user: AbstractBaseUser | None,
    content: str,
    subject: str = "",
    kind: str = Note.Kind.NOTE,
    created_at: Any = None,
    check_permissions: bool = True,
) -> Note:
    """Add a note to a contact's timeline. Anyone who may see a contact may note on it."""
    if check_permissions and (
        user is None or not contact_list(user=user, prefetch=False).filter(pk=contact.pk).exists()
    ):
        raise PermissionDenied("You may not add notes to this contact.")
    note = Note(
        contact=contact,
        author=user if user is not None and user.is_authenticated else None,
        content=content,
        subject=subject,
        kind=kind,
        created_at=created_at or timezone.now(),
    )
    note.full_clean()
    note.save()
    return note


def note_update(*, note: Note, user: AbstractBaseUser, **fields: Any) -> Note:
    """Change what is given of a note's content, subject, kind and date (backdating included)."""
    if not note_can_change(user=user, note=note):
        raise PermissionDenied("Only the author, staff and the contact's project managers may change a note.")
    unknown = set(fields) - NOTE_FIELDS
    if unknown:
        raise ValueError(f"Notes have no field {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(note, name, value)
    note.full_clean()
    note.save(update_fields=[*fields, "updated_at"])
    return note


def note_delete(*, note: Note, user: AbstractBaseUser) -> None:
    if not note_can_change(user=user, note=note):
        raise PermissionDenied("Only the author, staff and the contact's project managers may delete a note.")
    note.delete()
