"""Writes of one contact: create (at once, or through a checked draft saved later), update, delete
(to the trash) and its avatar.

Every write that touches nested data (items, addresses, custom values, tags,
projects) runs in one transaction: it all lands, or nothing does."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contacts.history import Changes, field_label, history_record, text_diff
from contacts.models import ChangeAction, Contact, CustomField
from contacts.selectors import contact_can_delete, contact_can_edit
from contacts.services.base import NestedMode
from contacts.services.plans import _write_apply, _write_plan, _WritePlan
from contacts.services.trash import trash_move
from projects.models import Project
from projects.selectors import project_can_add_contacts


def contact_create(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]] = (),
    addresses: Sequence[Mapping[str, Any]] = (),
    custom_values: Mapping[int | str, Any] | None = None,
    tags: Iterable[str] | None = None,
    projects: Iterable[Project] | None = None,
    access_list: Iterable[AbstractBaseUser] | None = None,
    check_permissions: bool = True,
) -> Contact:
    """Create a contact with its nested data in one transaction.

    `user` becomes the author. With `check_permissions`, the user must be
    signed in and allowed to add contacts to every project given. The contact's history
    starts with a `created` entry holding the values given.
    """
    with transaction.atomic():
        draft = contact_draft(
            user=user,
            fields=fields,
            items=items,
            addresses=addresses,
            custom_values=custom_values,
            tags=tags,
            projects=projects,
            access_list=access_list,
            check_permissions=check_permissions,
        )
        return contact_draft_save(draft=draft)


def _create(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]] = (),
    addresses: Sequence[Mapping[str, Any]] = (),
    custom_values: Mapping[int | str, Any] | None = None,
    tags: Iterable[str] | None = None,
    projects: Iterable[Project] | None = None,
    access_list: Iterable[AbstractBaseUser] | None = None,
    check_permissions: bool = True,
) -> tuple[Contact, Changes]:
    """`contact_create` without the history entry: returns the contact and its initial values."""
    with transaction.atomic():
        draft = contact_draft(
            user=user,
            fields=fields,
            items=items,
            addresses=addresses,
            custom_values=custom_values,
            tags=tags,
            projects=projects,
            access_list=access_list,
            check_permissions=check_permissions,
        )
        changes = _write_apply(draft.plan)
    return draft.plan.contact, changes


@dataclass(frozen=True)
class ContactDraft:
    """A new contact that passed every check of `contact_create`, not written yet."""

    user: AbstractBaseUser | AnonymousUser | None
    plan: _WritePlan


def contact_draft(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]] = (),
    addresses: Sequence[Mapping[str, Any]] = (),
    custom_values: Mapping[int | str, Any] | None = None,
    tags: Iterable[str] | None = None,
    projects: Iterable[Project] | None = None,
    access_list: Iterable[AbstractBaseUser] | None = None,
    check_permissions: bool = True,
    custom_fields: Sequence[CustomField] | None = None,
) -> ContactDraft:
    """Every check and read of `contact_create` (same arguments), and no write.

    For a caller that holds a lock while it writes (the web form's intake): it checks and reads
    before its transaction, and `contact_draft_save` inside it only inserts. `custom_fields`:
    every custom field, when the caller has them read already (the checks then skip that read).
    """
    projects = list(projects or [])
    author = user if user is not None and user.is_authenticated else None
    if check_permissions:
        if author is None:
            raise PermissionDenied("Sign in to create contacts.")
        for project in projects:
            if not project_can_add_contacts(user=author, project=project):
                raise PermissionDenied(f"You may not add contacts to {project}.")
    plan = _write_plan(
        contact=Contact(author=author),
        fields=fields,
        items=items,
        items_mode="replace",
        addresses=addresses,
        addresses_mode="replace",
        custom_values=custom_values,
        tags=tags,
        projects=projects,
        access_list=access_list,
        creating=True,
        custom_fields=custom_fields,
    )
    return ContactDraft(user=user, plan=plan)


def contact_draft_save(*, draft: ContactDraft) -> Contact:
    """Write a draft and its `created` history entry: one INSERT per table, no savepoint.

    Call it inside the caller's transaction, once per draft.
    """
    if draft.plan.contact.pk is not None:
        raise ValueError("This draft was saved already.")
    with transaction.atomic(savepoint=False):
        changes = _write_apply(draft.plan)
        history_record(contact=draft.plan.contact, user=draft.user, action=ChangeAction.CREATED, changes=changes)
    return draft.plan.contact


def contact_update(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any] | None = None,
    items: Sequence[Mapping[str, Any]] | None = None,
    items_mode: NestedMode = "replace",
    addresses: Sequence[Mapping[str, Any]] | None = None,
    addresses_mode: NestedMode = "replace",
    custom_values: Mapping[int | str, Any] | None = None,
    tags: Iterable[str] | None = None,
    projects: Iterable[Project] | None = None,
    access_list: Iterable[AbstractBaseUser] | None = None,
    check_permissions: bool = True,
    expected_versions: Collection[str] | None = None,
) -> Contact:
    """Change a contact; only what is given changes.

    The row is locked and re-read first, so fields not given keep what concurrent writers
    stored, and only the given columns are written. With `expected_versions` (an HTTP
    If-Match, the version the edit form was opened at), a contact whose current version is not
    among them is left alone and ContactChanged is raised.

    Nested lists given in "replace" mode replace the stored ones; in "merge"
    mode an entry with an `id` updates that row, one without is added, and rows
    not mentioned stay. Custom values are always merged (an empty value clears
    one). Tags and projects given replace the stored ones. The write is one entry in the
    contact's history (none when nothing changed).
    """
    with transaction.atomic():
        changes = _update(
            contact=contact,
            user=user,
            fields=fields,
            items=items,
            items_mode=items_mode,
            addresses=addresses,
            addresses_mode=addresses_mode,
            custom_values=custom_values,
            tags=tags,
            projects=projects,
            access_list=access_list,
            check_permissions=check_permissions,
            expected_versions=expected_versions,
        )
        history_record(contact=contact, user=user, action=ChangeAction.UPDATED, changes=changes)
    return contact


def _update(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any] | None = None,
    items: Sequence[Mapping[str, Any]] | None = None,
    items_mode: NestedMode = "replace",
    addresses: Sequence[Mapping[str, Any]] | None = None,
    addresses_mode: NestedMode = "replace",
    custom_values: Mapping[int | str, Any] | None = None,
    tags: Iterable[str] | None = None,
    projects: Iterable[Project] | None = None,
    access_list: Iterable[AbstractBaseUser] | None = None,
    check_permissions: bool = True,
    expected_versions: Collection[str] | None = None,
) -> Changes:
    """`contact_update` without the history entry: returns what changed, for a caller that
    records it with more changes of the same write."""
    if check_permissions and (user is None or not contact_can_edit(user=user, contact=contact)):
        raise PermissionDenied("You may not edit this contact.")
    if check_permissions and projects is not None:
        current = set(contact.projects.values_list("pk", flat=True))
        for project in projects:
            if project.pk not in current and not project_can_add_contacts(user=user, project=project):
                raise PermissionDenied(f"You may not add contacts to {project}.")
    with transaction.atomic():
        plan = _write_plan(
            contact=contact,
            fields=fields or {},
            items=items,
            items_mode=items_mode,
            addresses=addresses,
            addresses_mode=addresses_mode,
            custom_values=custom_values,
            tags=tags,
            projects=None if projects is None else list(projects),
            access_list=access_list,
            creating=False,
            expected_versions=expected_versions,
        )
        return _write_apply(plan)


@transaction.atomic
def contact_delete(*, contact: Contact, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Move a contact to the trash (contacts/services/trash.py): restorable for TRASH_DAYS days."""
    if user is None or not contact_can_delete(user=user, contact=contact):
        raise PermissionDenied("You may not delete this contact.")
    trash_move(contacts=[contact], user=user)


# An avatar is a small picture; a larger upload is refused before Pillow decodes it.
MAX_AVATAR_BYTES = 2 * 1024 * 1024


@transaction.atomic
def contact_set_avatar(*, contact: Contact, user: AbstractBaseUser | AnonymousUser | None, image: Any) -> Contact:
    """Store an uploaded image as the contact's avatar, after checking it is a readable image
    no larger than MAX_AVATAR_BYTES; the previous file is removed once the change is committed."""
    if user is None or not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    if image is None or not hasattr(image, "size"):
        raise ValidationError({"avatar": ["Upload an image file."]})
    if image.size > MAX_AVATAR_BYTES:
        raise ValidationError({"avatar": [f"The image is larger than {MAX_AVATAR_BYTES // (1024 * 1024)} MB."]})
    try:
        checked = forms.ImageField().clean(image)
    except ValidationError as exc:
        raise ValidationError({"avatar": exc.messages}) from None
    old = contact.avatar.name if contact.avatar else ""
    storage = contact.avatar.storage
    # The file is named after the format Pillow read, never the client's file name.
    contact.avatar.save(f"{contact.pk}.{checked.image.format.lower()}", checked, save=False)
    contact.save(update_fields=["avatar", "updated_at"])
    changes = text_diff(before={field_label("avatar"): old}, after={field_label("avatar"): contact.avatar.name})
    history_record(contact=contact, user=user, action=ChangeAction.UPDATED, changes=changes)
    if old and old != contact.avatar.name:
        transaction.on_commit(lambda: storage.delete(old))
    return contact
