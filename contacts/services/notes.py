"""Notes on a contact's timeline."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from contacts.models import (
    Contact,
    Note,
)
from contacts.selectors import contact_list


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
    if not (user.is_superuser or note.author_id == user.pk):
        raise PermissionDenied("Only the author may change a note.")
    for name, value in fields.items():
        setattr(note, name, value)
    note.full_clean()
    note.save()
    return note


def note_delete(*, note: Note, user: AbstractBaseUser) -> None:
    if not (user.is_superuser or note.author_id == user.pk):
        raise PermissionDenied("Only the author may delete a note.")
    note.delete()
