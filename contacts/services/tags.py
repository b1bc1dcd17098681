"""Tags on contacts, the shared tag dictionary (rename, merge, delete), and tags seen as groups."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.history import TAGS, history_record, history_record_each, names_text, text_diff
from contacts.models import (
    ChangeAction,
    Contact,
    Tag,
    TaggedContact,
)
from contacts.selectors import contact_can_edit, tag_can_manage, tag_member_contacts
from contacts.services.base import MAX_TAG_LENGTH, DuplicateKeyError, ErrorBag, _require_perm, _require_rights


def _clean_tags(tags: Iterable[str], bag: ErrorBag) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        name = str(raw).strip()
        if not name:
            continue
        if "," in name:
            bag.add("tags", [f"Tag {name} cannot contain a comma."])
            continue
        if len(name) > MAX_TAG_LENGTH:
            bag.add("tags", [f"Tag {name[:20]}... is too long ({MAX_TAG_LENGTH} characters at most)."])
            continue
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def split_tag_list(text: str) -> list[str]:
    """Tags from a comma-separated string, as Redmine's tag_list sends them."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def tag_names_by_contact(contact_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the tags each contact carries, in one query (for the history's before and after)."""
    names: dict[int, list[str]] = {pk: [] for pk in contact_ids}
    rows = TaggedContact.objects.filter(content_object_id__in=list(names)).values_list("content_object_id", "tag__name")
    for pk, name in rows:
        names[pk].append(name)
    return names


def record_tag_changes(
    *, before: dict[int, list[str]], user: AbstractBaseUser | AnonymousUser | None, single: Contact | None = None
) -> None:
    """Record how the tags of the contacts in `before` changed: one entry each, in one insert."""
    after = tag_names_by_contact(before)
    changes = {
        pk: text_diff(before={TAGS: names_text(names)}, after={TAGS: names_text(after[pk])})
        for pk, names in before.items()
    }
    if single is not None:
        history_record(contact=single, user=user, action=ChangeAction.UPDATED, changes=changes[single.pk])
    else:
        history_record_each(changes_by_contact=changes, user=user, action=ChangeAction.UPDATED)


@transaction.atomic
def contact_add_tags(*, contact: Contact, user: AbstractBaseUser, tags: Iterable[str]) -> None:
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    bag = ErrorBag()
    names = _clean_tags(tags, bag)
    bag.raise_if_any()
    before = tag_names_by_contact([contact.pk])
    contact.tags.add(*names)
    record_tag_changes(before=before, user=user, single=contact)


@transaction.atomic
def contact_remove_tags(*, contact: Contact, user: AbstractBaseUser, tags: Iterable[str]) -> None:
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    before = tag_names_by_contact([contact.pk])
    contact.tags.remove(*[t for t in tags if t])
    record_tag_changes(before=before, user=user, single=contact)


def _tags_before(tags: Iterable[Tag]) -> dict[int, list[str]]:
    """The tag names of every contact carrying one of `tags`, before a dictionary change (two reads)."""
    carriers = TaggedContact.objects.filter(tag__in=[tag.pk for tag in tags]).values_list(
        "content_object_id", flat=True
    )
    return tag_names_by_contact(set(carriers))


@transaction.atomic
def tag_rename(
    *, tag: Tag, name: str, color: str | None = None, user: AbstractBaseUser | AnonymousUser | None = None
) -> Tag:
    """Rename a tag; renaming onto an existing tag merges the two. Each contact carrying it gets
    a history entry when its name changes."""
    name = name.strip()
    other = Tag.objects.filter(name__iexact=name).exclude(pk=tag.pk).first()
    if other is not None:
        return tag_merge(source=tag, target=other, user=user)
    renamed = name != tag.name
    before = _tags_before([tag]) if renamed else {}
    tag.name = name
    tag.slug = ""
    if color is not None:
        tag.color = color
    tag.full_clean(exclude=["slug"])
    tag.save()
    if before:
        record_tag_changes(before=before, user=user)
    return tag


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag, user: AbstractBaseUser | AnonymousUser | None = None) -> Tag:
    """Move every contact of `source` to `target` and delete `source` (recorded on each contact)."""
    before = _tags_before([source])
    already = TaggedContact.objects.filter(tag=target).values("content_object_id")
    TaggedContact.objects.filter(tag=source, content_object_id__in=already).delete()
    TaggedContact.objects.filter(tag=source).update(tag=target)
    source.delete()
    if before:
        record_tag_changes(before=before, user=user)
    return target


def tag_create(*, user: AbstractBaseUser | AnonymousUser | None, name: str) -> Tag:
    """Add a tag to the dictionary (or return the existing one of that name, whatever its case)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to add tags.")
    bag = ErrorBag()
    names = _clean_tags([name], bag)
    if not names and not bag.errors:
        bag.add("tags", ["Tag name cannot be blank."])
    bag.raise_if_any()
    existing = Tag.objects.filter(name__iexact=names[0]).first()
    if existing is not None:
        return existing
    tag = Tag(name=names[0])
    tag.save()
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Remove a tag from the dictionary and from every contact carrying it (recorded on each)."""
    _require_perm(user, "contacts.delete_tag")
    before = _tags_before([tag])
    tag.delete()
    if before:
        record_tag_changes(before=before, user=user)


def tag_delete_unused(*, user: AbstractBaseUser | AnonymousUser | None) -> list[str]:
    """Remove the tags no contact carries; returns their names."""
    _require_perm(user, "contacts.delete_tag")
    unused = Tag.objects.filter(tagged_contacts__isnull=True)
    names = list(unused.values_list("name", flat=True))
    unused.delete()
    return names


@transaction.atomic
def contact_add_tags_many(*, contacts: Iterable[Contact], user: AbstractBaseUser, tags: Iterable[str]) -> int:
    """Tag several contacts: all of them, or none when one may not be edited. Returns how many."""
    contacts = list(contacts)
    bag = ErrorBag()
    names = _clean_tags(tags, bag)
    if not names and not bag.errors:
        bag.add("tags", ["Tag name cannot be blank."])
    bag.raise_if_any()
    _require_rights(user=user, contacts=contacts, right="can_edit", verb="edit")
    before = tag_names_by_contact(c.pk for c in contacts)
    for contact in contacts:
        contact.tags.add(*names)
    record_tag_changes(before=before, user=user)
    return len(contacts)


@transaction.atomic
def contact_remove_tags_many(*, contacts: Iterable[Contact], user: AbstractBaseUser, tags: Iterable[str]) -> int:
    """Untag several contacts: all of them, or none when one may not be edited. Returns how many."""
    contacts = list(contacts)
    _require_rights(user=user, contacts=contacts, right="can_edit", verb="edit")
    names = [t for t in tags if t]
    before = tag_names_by_contact(c.pk for c in contacts)
    for contact in contacts:
        contact.tags.remove(*names)
    record_tag_changes(before=before, user=user)
    return len(contacts)


# Groups: a tag seen as a named set of contacts (Incoplax's contact groups). The tag's slug is
# the group's code; its members are the contacts carrying it, so both sides stay in sync.

DUPLICATE_CODE = "A group with this code already exists."
DUPLICATE_NAME = "A group with this name already exists."


def _check_group_keys(*, name: str | None, code: str | None, exclude: int | None = None) -> None:
    others = Tag.objects.exclude(pk=exclude)
    if code is not None and others.filter(slug=code).exists():
        raise DuplicateKeyError({"code": [DUPLICATE_CODE]})
    if name is not None and others.filter(name__iexact=name).exists():
        raise DuplicateKeyError({"name": [DUPLICATE_NAME]})


def _clean_group(tag: Tag, bag: ErrorBag) -> None:
    names = _clean_tags([tag.name], bag)
    if not names and not bag.errors:
        bag.add("name", ["Name cannot be blank."])
    try:
        tag.full_clean(validate_unique=False)
    except ValidationError as exc:
        bag.add_exc("", exc)
    bag.raise_if_any()


@transaction.atomic
def group_create(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    name: str,
    code: str | None = None,
    members: Iterable[Contact] = (),
) -> Tag:
    """A new tag named `name` with slug `code` (a uuid when None), carried by `members`.

    Any signed-in user may add one; the user must be allowed to edit every member. A code or
    name already taken raises DuplicateKeyError.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to add groups.")
    tag = Tag(name=(name or "").strip(), slug=code if code is not None else str(uuid.uuid4()))
    _clean_group(tag, ErrorBag())
    _check_group_keys(name=tag.name, code=tag.slug)
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError:
        raise DuplicateKeyError({"code": [DUPLICATE_CODE]}) from None
    group_set_members(tag=tag, user=user, members=members)
    return tag


@transaction.atomic
def group_update(
    *,
    tag: Tag,
    user: AbstractBaseUser | AnonymousUser | None,
    name: str | None = None,
    code: str | None = None,
    members: Iterable[Contact] | None = None,
) -> Tag:
    """Rename a group or change its code (staff only, as tags are shared), and/or set its members."""
    if name is not None or code is not None:
        if user is None or not tag_can_manage(user=user):
            raise PermissionDenied("Only staff may rename groups.")
        before = _tags_before([tag]) if name is not None and name.strip() != tag.name else {}
        if name is not None:
            tag.name = name.strip()
        if code is not None:
            tag.slug = code
        _clean_group(tag, ErrorBag())
        _check_group_keys(name=tag.name, code=tag.slug, exclude=tag.pk)
        tag.save()
        if before:
            record_tag_changes(before=before, user=user)
    if members is not None:
        group_set_members(tag=tag, user=user, members=members)
    return tag


@transaction.atomic
def group_set_members(*, tag: Tag, user: AbstractBaseUser | AnonymousUser | None, members: Iterable[Contact]) -> None:
    """Make `members` the contacts carrying the tag among those the user can see.

    Contacts the user cannot see keep or lack the tag as they did; the user must be allowed to
    edit every contact that gains or loses it.
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to change groups.")
    wanted = {contact.pk: contact for contact in members}
    current = {contact.pk: contact for contact in tag_member_contacts(user=user, tag=tag)}
    added = [contact for pk, contact in wanted.items() if pk not in current]
    removed = [contact for pk, contact in current.items() if pk not in wanted]
    _require_rights(user=user, contacts=[*added, *removed], right="can_edit", verb="edit")
    before = tag_names_by_contact(c.pk for c in [*added, *removed])
    TaggedContact.objects.bulk_create([TaggedContact(tag=tag, content_object=contact) for contact in added])
    TaggedContact.objects.filter(tag=tag, content_object_id__in=[c.pk for c in removed]).delete()
    Contact.objects.filter(pk__in=[c.pk for c in [*added, *removed]]).update(updated_at=timezone.now())
    if before:
        record_tag_changes(before=before, user=user)


def group_delete(*, tag: Tag, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Delete a group: the tag leaves every contact (administrators only, as `tag_delete`)."""
    tag_delete(tag=tag, user=user)
