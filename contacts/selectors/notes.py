"""Notes on contacts, and the contact's timeline of notes and changes."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    QuerySet,
)

from contacts.models import (
    Contact,
    ContactChange,
    Note,
)
from contacts.selectors.visibility import AnyUser, contact_visible_q
from projects.models import Membership
from projects.selectors import member_project_ids


def note_list(*, user: AnyUser, contact: Contact | None = None) -> QuerySet[Note]:
    """Notes on contacts the user may see, newest first."""
    qs = Note.objects.filter(contact_visible_q(user=user, contact_ref="contact_id")).select_related("author", "contact")
    if contact is not None:
        qs = qs.filter(contact=contact)
    return qs


def note_get(*, user: AnyUser, pk: int) -> Note | None:
    """A note on a contact the user may see, or None."""
    return note_list(user=user).filter(pk=pk).first()


def note_managed_contact(*, user: AnyUser, contact: Contact) -> bool:
    """Whether the user may change and delete anyone's notes on this contact: staff, superusers
    and the managers of one of the contact's projects."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    managed = member_project_ids(user=user, roles=(Membership.Role.MANAGER,))
    return contact.projects.filter(pk__in=managed).exists()


def note_can_change(*, user: AnyUser, note: Note) -> bool:
    """The author of a note, staff and the contact's project managers may edit or delete it."""
    if not user.is_authenticated:
        return False
    return note.author_id == user.pk or note_managed_contact(user=user, contact=note.contact)


TIMELINE_SHOWS = ("all", "notes", "changes")


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a contact's timeline: a note or a history entry, at its date."""

    at: Any
    note: Note | None = None
    change: ContactChange | None = None


def contact_changes(*, contact: Contact) -> QuerySet[ContactChange]:
    """A contact's history, newest first (the contact is one the caller has checked the user may see)."""
    return ContactChange.objects.filter(contact=contact).select_related("user").order_by("-at", "-id")


def contact_timeline(
    *, user: AnyUser, contact: Contact, show: str = "all", offset: int = 0, limit: int = 20
) -> tuple[list[TimelineEntry], bool]:
    """A window of a contact's notes and history entries merged by date, newest first, and
    whether more follow. Each source is read once, up to the end of the window (its index on
    the contact and the date), so a page costs two queries whatever the history's length."""
    end = offset + limit + 1
    sources: list[list[TimelineEntry]] = []
    if show in ("all", "notes"):
        notes = note_list(user=user, contact=contact).order_by("-created_at", "-id")[:end]
        sources.append([TimelineEntry(at=note.created_at, note=note) for note in notes])
    if show in ("all", "changes"):
        changes = contact_changes(contact=contact)[:end]
        sources.append([TimelineEntry(at=change.at, change=change) for change in changes])
    merged = list(heapq.merge(*sources, key=lambda entry: entry.at, reverse=True))
    return merged[offset : offset + limit], len(merged) > offset + limit
