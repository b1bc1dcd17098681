"""The checked write of one contact that create and update share: `_write_plan` validates it all
and reads what the write needs, writing nothing; `_write_apply` then writes it (the nested rows,
custom values, tags, projects, access list) and returns its history text."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower

from contacts.history import (
    ACCESS_LIST,
    PROJECTS,
    TAGS,
    Changes,
    custom_text,
    fields_before,
    fields_changes,
    names_text,
    text_diff,
)
from contacts.models import (
    Address,
    Contact,
    ContactItem,
    CustomField,
    CustomValue,
    Tag,
    TaggedContact,
    Visibility,
    WebForm,
)
from contacts.services.base import ADDRESS_FIELDS, CONTACT_FIELDS, ITEM_FIELDS, ErrorBag, NestedMode, _is_text_field
from contacts.services.custom import _prepare_custom_values
from contacts.services.nested import NestedPlan, _prepare_nested, _save_nested
from contacts.services.tags import _clean_tags, tag_names_by_contact
from contacts.versions import ContactChanged, contact_version
from crm.prepared import PreparedQuery
from projects.models import Project


@dataclass
class _WritePlan:
    """A checked write of one contact: its rows to save and the history of what it changes."""

    contact: Contact
    fields: Mapping[str, Any]
    creating: bool
    changes: Changes
    items: NestedPlan | None
    addresses: NestedPlan | None
    values: list[tuple[CustomField, str]]
    tags: list[str] | None
    old_tags: dict[int, list[str]]
    known_tags: dict[str, Tag]  # on create: the dictionary's tags of those names, by lower-cased name
    projects: list[Project] | None
    access_list: list[AbstractBaseUser] | None


def _write_plan(
    *,
    contact: Contact,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]] | None,
    items_mode: NestedMode,
    addresses: Sequence[Mapping[str, Any]] | None,
    addresses_mode: NestedMode,
    custom_values: Mapping[int | str, Any] | None,
    tags: Iterable[str] | None,
    projects: list[Project] | None,
    access_list: Iterable[AbstractBaseUser] | None,
    creating: bool,
    expected_versions: Collection[str] | None = None,
    custom_fields: Sequence[CustomField] | None = None,
) -> _WritePlan:
    """Validate everything and read what the write needs, writing nothing (an update locks and
    re-reads its row); `_write_apply` then writes it all. Both run inside one transaction.

    The plan's `changes` are what changes as display text (`{label: [old, new]}`) for the contact's
    history, from what the write reads anyway (the locked row, the items and addresses it replaces);
    custom values, tags, projects and the access list cost one read each when given."""
    bag = ErrorBag()
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise ValueError(f"Not contact fields: {', '.join(sorted(unknown))}")
    before: dict[str, Any] = {}
    if not creating:
        before = _lock_and_refresh(contact, given=set(fields))
        if expected_versions is not None and contact_version(contact) not in expected_versions:
            raise ContactChanged(contact)
    for name, value in fields.items():
        setattr(contact, name, "" if value is None and _is_text_field(name) else value)
    if contact.visibility not in Visibility.values:
        bag.add("visibility", [f"Visibility must be one of {', '.join(Visibility.values)}."])
    try:
        # clean() checks the company link with a clearer message than limit_choices_to.
        # A new contact's uuid is a fresh uuid4, unique without a read (its index enforces it).
        exclude = ["display_name", "visibility", "company", *(["uuid"] if creating else [])]
        # A lead's form is the saved row its post was authenticated with: no read to prove it exists.
        if isinstance(fields.get("source_webform"), WebForm) and fields["source_webform"].pk is not None:
            exclude.append("source_webform")
        contact.full_clean(exclude=exclude)
    except ValidationError as exc:
        bag.add_exc("", exc)

    items_plan = _prepare_nested(
        contact=contact,
        model=ContactItem,
        allowed=ITEM_FIELDS,
        entries=items,
        mode=items_mode,
        prefix="items",
        bag=bag,
        creating=creating,
    )
    addresses_plan = _prepare_nested(
        contact=contact,
        model=Address,
        allowed=ADDRESS_FIELDS,
        entries=addresses,
        mode=addresses_mode,
        prefix="addresses",
        bag=bag,
        creating=creating,
    )
    values = _prepare_custom_values(contact=contact, raw=custom_values, bag=bag, creating=creating, known=custom_fields)
    tag_names = None if tags is None else _clean_tags(tags, bag)
    bag.raise_if_any()

    changes = fields_changes(contact=contact, before=before, names=fields, creating=creating)
    changes |= items_plan.changes() | addresses_plan.changes()
    if values:
        changes |= _custom_values_changes(contact=contact, values=values, creating=creating)
    old_tags = {} if tag_names is None or creating else tag_names_by_contact([contact.pk])
    known_tags = _known_tags(tag_names) if creating and tag_names else {}
    if projects is not None:
        old_projects = "" if creating else names_text(contact.projects.values_list("name", flat=True))
        changes |= text_diff(before={PROJECTS: old_projects}, after={PROJECTS: names_text(projects)})
    if access_list is not None:
        access_list = list(access_list)
        old_access = "" if creating else names_text(contact.access_list.all())
        changes |= text_diff(before={ACCESS_LIST: old_access}, after={ACCESS_LIST: names_text(access_list)})
    return _WritePlan(
        contact=contact,
        fields=fields,
        creating=creating,
        changes=changes,
        items=items_plan if items is not None else None,
        addresses=addresses_plan if addresses is not None else None,
        values=values,
        tags=tag_names,
        old_tags=old_tags,
        known_tags=known_tags,
        projects=projects,
        access_list=access_list,
    )


def _write_apply(plan: _WritePlan) -> Changes:
    """The writes of a checked plan; returns its history text (with the tags as stored)."""
    contact, changes = plan.contact, plan.changes
    if plan.creating:
        contact.save()
    else:
        contact.save(update_fields=set(plan.fields))
    if plan.items is not None:
        _save_nested(contact, ContactItem, plan.items)
    if plan.addresses is not None:
        _save_nested(contact, Address, plan.addresses)
    for field, stored in plan.values:
        if stored == "":
            CustomValue.objects.filter(contact=contact, field=field).delete()
        elif plan.creating:
            CustomValue.objects.create(contact=contact, field=field, value=stored)
        else:
            CustomValue.objects.update_or_create(contact=contact, field=field, defaults={"value": stored})
    if plan.creating:
        _insert_relations(plan)
        if plan.tags:
            changes |= text_diff(before={TAGS: ""}, after={TAGS: names_text(plan.tags)})
        return changes
    if plan.tags is not None:
        contact.tags.set(plan.tags)
        # Read back: the dictionary's spelling of a tag wins over the one given.
        new_tags = tag_names_by_contact([contact.pk])[contact.pk]
        old = names_text(plan.old_tags.get(contact.pk, []))
        changes |= text_diff(before={TAGS: old}, after={TAGS: names_text(new_tags)})
    if plan.projects is not None:
        contact.projects.set(plan.projects)
    if plan.access_list is not None:
        contact.access_list.set(plan.access_list)
    return changes


def _known_tags(names: list[str]) -> dict[str, Tag]:
    """The dictionary's tags of these names in any case (tags match case-insensitively), one read.

    Every new contact with tags makes this read (each web-form lead does), so it is compiled
    once per number of names (crm.prepared); both sides are lower-cased by the database, as a
    case-insensitive match does.
    """
    if not names:
        return {}
    query = _KNOWN_TAGS.get(len(names))
    if query is None:
        if len(_KNOWN_TAGS) >= 32:  # a bulk write with many tags: keep the memo small
            _KNOWN_TAGS.clear()
        marks = [f"\x00tag-{i}" for i in range(len(names))]
        query = _KNOWN_TAGS[len(names)] = PreparedQuery(_tags_named, *marks)
    return {tag.name.lower(): tag for tag in query.objects(*names)}


def _tags_named(*names: str) -> QuerySet[Tag]:
    match = Q()
    for name in names:
        match |= Q(lower_name=Lower(Value(name)))
    return Tag.objects.alias(lower_name=Lower("name")).filter(match)


_KNOWN_TAGS: dict[int, PreparedQuery] = {}


def _insert_relations(plan: _WritePlan) -> None:
    """A new contact's tags, projects and access list: one INSERT each, nothing to read or replace.

    A tag the dictionary did not have when the plan was made is added now; the dictionary's
    spelling of a known one wins over the one given (`plan.tags` is rewritten with it).
    """
    contact = plan.contact
    if plan.tags:
        tags = [plan.known_tags.get(name.lower()) or _tag_for_name(name) for name in plan.tags]
        plan.tags = [tag.name for tag in tags]
        TaggedContact.objects.bulk_create([TaggedContact(content_object=contact, tag=tag) for tag in tags])
    for manager, rows in (("projects", plan.projects), ("access_list", plan.access_list)):
        if rows:
            field = Contact._meta.get_field(manager)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            ids = dict.fromkeys(row.pk for row in rows)
            through.objects.bulk_create([through(**{f"{source}_id": contact.pk, f"{target}_id": pk}) for pk in ids])


def _tag_for_name(name: str) -> Tag:
    tag = Tag.objects.filter(name__iexact=name).first()
    return tag if tag is not None else Tag.objects.create(name=name)


def _custom_values_changes(*, contact: Contact, values: list[tuple[CustomField, str]], creating: bool) -> Changes:
    """The custom values a write sets, from what the contact held (one read; none on create)."""
    stored = (
        {}
        if creating
        else dict(
            CustomValue.objects.filter(contact=contact, field__in=[field for field, _ in values]).values_list(
                "field_id", "value"
            )
        )
    )
    return text_diff(
        before={field.name: custom_text(field, stored.get(field.pk, "")) for field, _ in values},
        after={field.name: custom_text(field, value) for field, value in values},
    )


def _lock_and_refresh(contact: Contact, *, given: set[str]) -> dict[str, Any]:
    """Lock the contact's row, re-read it, and return the stored values of the fields given.

    A write then starts from what is stored now, not from the caller's copy, which may be stale:
    two writers changing different fields both keep their change (PostgreSQL: SELECT ... FOR
    UPDATE; SQLite: the immediate transaction already holds the write lock). The given fields
    are read too, so the history shows what they held; related rows the caller had loaded stay
    loaded while they are still the stored ones.
    """
    loaded = {
        f.name: f.get_cached_value(contact)
        for f in Contact._meta.concrete_fields
        if f.is_relation and f.is_cached(contact)
    }
    names = [f.name for f in Contact._meta.concrete_fields if not f.primary_key]
    contact.refresh_from_db(fields=names, from_queryset=Contact.objects.select_for_update())
    for name, obj in loaded.items():
        field = Contact._meta.get_field(name)
        if obj is not None and getattr(contact, field.attname) == obj.pk:
            field.set_cached_value(contact, obj)
    return fields_before(contact, given)
