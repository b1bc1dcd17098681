"""Tags on contacts, and the shared tag dictionary (rename, merge, delete)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from contacts.models import (
    Contact,
    Tag,
    TaggedContact,
)
from contacts.selectors import contact_can_edit
from contacts.services.base import MAX_TAG_LENGTH, ErrorBag, _require_perm, _require_rights


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


def contact_add_tags(*, contact: Contact, user: AbstractBaseUser, tags: Iterable[str]) -> None:
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    bag = ErrorBag()
    names = _clean_tags(tags, bag)
    bag.raise_if_any()
    contact.tags.add(*names)


def contact_remove_tags(*, contact: Contact, user: AbstractBaseUser, tags: Iterable[str]) -> None:
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    contact.tags.remove(*[t for t in tags if t])


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, color: str | None = None) -> Tag:
    """Rename a tag; renaming onto an existing tag merges the two."""
    name = name.strip()
    other = Tag.objects.filter(name__iexact=name).exclude(pk=tag.pk).first()
    if other is not None:
        return tag_merge(source=tag, target=other)
    tag.name = name
    tag.slug = ""
    if color is not None:
        tag.color = color
    tag.full_clean(exclude=["slug"])
    tag.save()
    return tag


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag) -> Tag:
    """Move every contact of `source` to `target` and delete `source`."""
    already = TaggedContact.objects.filter(tag=target).values("content_object_id")
    TaggedContact.objects.filter(tag=source, content_object_id__in=already).delete()
    TaggedContact.objects.filter(tag=source).update(tag=target)
    source.delete()
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


def tag_delete(*, tag: Tag, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Remove a tag from the dictionary and from every contact carrying it."""
    _require_perm(user, "contacts.delete_tag")
    tag.delete()


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
    for contact in contacts:
        contact.tags.add(*names)
    return len(contacts)


@transaction.atomic
def contact_remove_tags_many(*, contacts: Iterable[Contact], user: AbstractBaseUser, tags: Iterable[str]) -> int:
    """Untag several contacts: all of them, or none when one may not be edited. Returns how many."""
    contacts = list(contacts)
    _require_rights(user=user, contacts=contacts, right="can_edit", verb="edit")
    names = [t for t in tags if t]
    for contact in contacts:
        contact.tags.remove(*names)
    return len(contacts)
