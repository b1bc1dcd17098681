"""Writes of contacts themselves: create, update, delete, companies, projects, avatars, bulk changes.

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
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower

from contacts.history import (
    ACCESS_LIST,
    PROJECTS,
    TAGS,
    Changes,
    custom_text,
    field_label,
    fields_before,
    fields_changes,
    history_record,
    history_record_each,
    names_text,
    text_diff,
)
from contacts.models import (
    Address,
    ChangeAction,
    Contact,
    ContactItem,
    CustomField,
    CustomValue,
    Tag,
    TaggedContact,
    Visibility,
    WebForm,
)
from contacts.selectors import companies_named, contact_can_delete, contact_can_edit
from contacts.services.base import (
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    ITEM_FIELDS,
    ErrorBag,
    NestedMode,
    _is_text_field,
    _require_rights,
)
from contacts.services.custom import _prepare_custom_values, contact_type_for_code
from contacts.services.nested import NestedPlan, _prepare_nested, _save_nested
from contacts.services.tags import _clean_tags, tag_names_by_contact
from contacts.services.trash import trash_move
from contacts.versions import ContactChanged, contact_version
from crm.prepared import PreparedQuery
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


def company_for_name(*, user: AbstractBaseUser, name: str, projects: Iterable[Project] = ()) -> Contact | None:
    """The company of that name the user can see, created if there is none.

    This is how a person's free-text company name links to a company (Redmine,
    web forms). Returns None for a blank name.
    """
    name = (name or "").strip()
    if not name:
        return None
    found = companies_named(user=user, name=name, limit=1)
    if found:
        return found[0]
    return contact_create(
        user=user, fields={"is_company": True, "name": name}, projects=projects, check_permissions=False
    )


@transaction.atomic
def contact_link_project(*, contact: Contact, project: Project, user: AbstractBaseUser) -> None:
    if not contact_can_edit(user=user, contact=contact) or not project_can_add_contacts(user=user, project=project):
        raise PermissionDenied("You may not add this contact to that project.")
    before = project_names_by_contact([contact.pk])
    contact.projects.add(project)
    _record_project_changes(before=before, user=user, added=project, single=contact)


@transaction.atomic
def contact_unlink_project(
    *, contact: Contact, project: Project, user: AbstractBaseUser, keep_one: bool = False
) -> None:
    """Take a contact out of a project; with `keep_one`, never out of its last one (Redmine's rule)."""
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not change this contact's projects.")
    if keep_one and not contact.projects.exclude(pk=project.pk).exists():
        raise PermissionDenied("A contact must stay in at least one project.")
    before = project_names_by_contact([contact.pk])
    contact.projects.remove(project)
    _record_project_changes(before=before, user=user, removed=project, single=contact)


def project_names_by_contact(contact_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the projects each contact is in, in one query (the history's before)."""
    names: dict[int, list[str]] = {pk: [] for pk in contact_ids}
    links = Contact.projects.through.objects.filter(contact_id__in=list(names))
    for pk, name in links.values_list("contact_id", "project__name"):
        names[pk].append(name)
    return names


def _record_project_changes(
    *,
    before: dict[int, list[str]],
    user: AbstractBaseUser | AnonymousUser | None,
    added: Project | None = None,
    removed: Project | None = None,
    single: Contact | None = None,
) -> None:
    """Record a project joined or left by the contacts in `before` (one insert for them all)."""
    changes: dict[int, Changes] = {}
    for pk, names in before.items():
        after = [name for name in names if removed is None or name != removed.name]
        if added is not None and added.name not in after:
            after.append(added.name)
        changes[pk] = text_diff(before={PROJECTS: names_text(names)}, after={PROJECTS: names_text(after)})
    if single is not None:
        history_record(contact=single, user=user, action=ChangeAction.UPDATED, changes=changes[single.pk])
    else:
        history_record_each(changes_by_contact=changes, user=user, action=ChangeAction.UPDATED)


def contact_save_with_company_name(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    contact: Contact | None = None,
    company_name: str | None = None,
    fields: Mapping[str, Any],
    projects: Iterable[Project] | None = None,
    check_permissions: bool = True,
    **nested: Any,
) -> Contact:
    """Create (`contact` None) or update a contact whose company is given by name, in one transaction.

    The company of that name is found or created (see `company_for_name`); a
    blank name clears the link, None leaves it alone. If the contact is
    refused, the company is not created either.
    """
    projects = None if projects is None else list(projects)
    with transaction.atomic():
        if company_name is not None:
            reader = user if user is not None else AnonymousUser()
            company = company_for_name(user=reader, name=company_name, projects=projects or ())
            fields = {**fields, "company": company}
        if contact is None:
            return contact_create(
                user=user, fields=fields, projects=projects, check_permissions=check_permissions, **nested
            )
        return contact_update(
            contact=contact, user=user, fields=fields, projects=projects, check_permissions=check_permissions, **nested
        )


def contact_save_with_type_code(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    contact: Contact | None = None,
    contact_type_code: str | None = None,
    fields: Mapping[str, Any],
    projects: Iterable[Project] | None = None,
    **nested: Any,
) -> Contact:
    """Create (`contact` None) or update a contact whose type is given by its code, in one transaction.

    A code the list does not hold yet is added to it (`contact_type_for_code`); "" clears the
    type, None leaves it alone. Nested items and addresses are merged on update (an entry with
    an `id` updates that row, one without is added, the others stay).
    """
    with transaction.atomic():
        if contact_type_code is not None:
            kind = contact_type_for_code(code=contact_type_code) if contact_type_code else None
            fields = {**fields, "contact_type": kind}
        if contact is None:
            return contact_create(user=user, fields=fields, projects=projects, **nested)
        modes = {f"{name}_mode": "merge" for name in ("items", "addresses") if name in nested}
        return contact_update(contact=contact, user=user, fields=fields, projects=projects, **nested, **modes)


@transaction.atomic
def contact_delete_many(*, contacts: Iterable[Contact], user: AbstractBaseUser | AnonymousUser | None) -> list[Contact]:
    """Move several contacts to the trash: all of them, or none when the user may not delete one."""
    contacts = list(contacts)
    _require_rights(user=user, contacts=contacts, right="can_delete", verb="delete")
    trash_move(contacts=contacts, user=user)
    return contacts


@transaction.atomic
def company_create(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
    people: Iterable[Contact] = (),
    **nested: Any,
) -> Contact:
    """Create a company and make it the company of the given persons, all or nothing."""
    company = contact_create(user=user, fields={**fields, "is_company": True}, **nested)
    for person in people:
        contact_update(contact=person, user=user, fields={"company": company})
    return company


@transaction.atomic
def contact_link_project_many(*, contacts: Iterable[Contact], project: Project, user: AbstractBaseUser) -> int:
    """Add several contacts to a project: all of them, or none when one is refused. Returns how many."""
    contacts = list(contacts)
    if not project_can_add_contacts(user=user, project=project):
        raise PermissionDenied(f"You may not add contacts to {project}.")
    _require_rights(user=user, contacts=contacts, right="can_edit", verb="edit")
    before = project_names_by_contact(c.pk for c in contacts)
    project.contacts.add(*contacts)
    _record_project_changes(before=before, user=user, added=project)
    return len(contacts)


@transaction.atomic
def contact_unlink_project_many(*, contacts: Iterable[Contact], project: Project, user: AbstractBaseUser) -> None:
    for contact in contacts:
        contact_unlink_project(contact=contact, project=project, user=user)


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
