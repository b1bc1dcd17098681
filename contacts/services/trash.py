"""The trash: deleted contacts wait there `settings.TRASH_DAYS` days, then are purged for good.

Deleting a contact from any face (the UI, bulk actions, the admin, every API dialect) only
stamps its `deleted_at` and `deleted_by`: nothing that hangs off it is removed, so restoring
it is clearing them again, and it comes back with its items, addresses, notes, tags, projects,
custom values and access list. While it is in the trash no read sees it
(`contacts.selectors.contact_visibility_q`); a person whose company is in the trash keeps the
link, which no face shows until the company is restored.

Purging deletes the rows, and by cascade everything that hangs off them; the people of a purged
company lose the link. Who may restore or purge a contact: whoever could delete it.

A merge (contacts/services/merge.py) puts the merged-away contacts here too, with what did not
move to the survivor; restoring one brings it back as it is here, and purging one (by hand or
after TRASH_DAYS) ends the chance to undo the merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contacts.history import history_record_many
from contacts.models import ChangeAction, Contact
from contacts.services.base import _require_rights

# Contacts purged per statement: a bounded delete, whatever the size of the trash.
PURGE_CHUNK = 500


def trash_move(
    *,
    contacts: Sequence[Contact],
    user: AbstractBaseUser | AnonymousUser | None,
    changes: Mapping[str, list[str]] | None = None,
) -> None:
    """Put the contacts in the trash, in one UPDATE and one history insert (the caller has checked
    the rights and holds the transaction). The instances are stamped too. `changes` go with the
    `deleted` entry (a merge says whom the contacts were merged into)."""
    now = timezone.now()
    deleted_by = user if user is not None and user.is_authenticated else None
    ids = [c.pk for c in contacts]
    Contact.objects.filter(pk__in=ids, deleted_at__isnull=True).update(deleted_at=now, deleted_by=deleted_by)
    history_record_many(contact_ids=ids, user=user, action=ChangeAction.DELETED, changes=changes)
    for contact in contacts:
        contact.deleted_at, contact.deleted_by = now, deleted_by


@transaction.atomic
def contact_restore_many(
    *, contacts: Iterable[Contact], user: AbstractBaseUser | AnonymousUser | None
) -> list[Contact]:
    """Take contacts out of the trash, as they were: all of them, or none when the user may not
    restore one (those who could delete it may)."""
    contacts = _in_trash(contacts)
    _require_rights(user=user, contacts=contacts, right="can_delete", verb="restore")
    ids = [c.pk for c in contacts]
    Contact.objects.filter(pk__in=ids).update(deleted_at=None, deleted_by=None)
    history_record_many(contact_ids=ids, user=user, action=ChangeAction.RESTORED)
    for contact in contacts:
        contact.deleted_at, contact.deleted_by = None, None
    return contacts


def contact_restore(*, contact: Contact, user: AbstractBaseUser | AnonymousUser | None) -> Contact:
    """Take one contact out of the trash (see `contact_restore_many`)."""
    return contact_restore_many(contacts=[contact], user=user)[0]


@transaction.atomic
def contact_purge_many(*, contacts: Iterable[Contact], user: AbstractBaseUser | AnonymousUser | None) -> int:
    """Delete contacts in the trash for good, with everything that hangs off them: all of them,
    or none when the user may not purge one. Returns how many were purged."""
    contacts = _in_trash(contacts)
    _require_rights(user=user, contacts=contacts, right="can_delete", verb="purge")
    return _purge([c.pk for c in contacts])


def contact_purge(*, contact: Contact, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Delete one contact in the trash for good (see `contact_purge_many`)."""
    contact_purge_many(contacts=[contact], user=user)


def trash_expired(*, days: int | None = None, now: datetime | None = None) -> list[int]:
    """The ids of the contacts in the trash for more than `days` (settings.TRASH_DAYS)."""
    days = settings.TRASH_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = Contact.objects.filter(deleted_at__isnull=False, deleted_at__lte=cutoff)
    return list(expired.order_by("deleted_at", "pk").values_list("pk", flat=True))


def trash_purge_expired(*, days: int | None = None, now: datetime | None = None, dry_run: bool = False) -> int:
    """Purge every contact in the trash for more than `days` (settings.TRASH_DAYS), a chunk per
    transaction; with `dry_run`, only count them. Returns how many (would have) gone."""
    ids = trash_expired(days=days, now=now)
    if dry_run:
        return len(ids)
    purged = 0
    for start in range(0, len(ids), PURGE_CHUNK):
        with transaction.atomic():
            purged += _purge(ids[start : start + PURGE_CHUNK])
    return purged


def _in_trash(contacts: Iterable[Contact]) -> list[Contact]:
    contacts = list(contacts)
    live = [c for c in contacts if c.deleted_at is None]
    if live:
        raise ValidationError(f"{live[0]} is not in the trash.")
    return contacts


def _purge(ids: list[int]) -> int:
    """Delete the contacts of `ids` still in the trash, and their avatars once committed."""
    doomed = Contact.objects.filter(pk__in=ids, deleted_at__isnull=False)
    avatars = [name for name in doomed.exclude(avatar="").values_list("avatar", flat=True) if name]
    count = doomed.delete()[1].get(Contact._meta.label, 0) if ids else 0
    if avatars:
        storage = Contact._meta.get_field("avatar").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in avatars])
    return count
