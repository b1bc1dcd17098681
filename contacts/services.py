"""Writes of contacts and what hangs off them.

Every write that touches nested data (items, addresses, custom values, tags,
projects) runs in one transaction: it all lands, or nothing does. Validation
errors are collected per field and raised together as one ValidationError whose
keys name the field (`first_name`, `items[1].value`, `custom_fields[3]`...), so
each dialect can render them in its own error format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Literal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import (
    Address,
    ApiKey,
    Contact,
    ContactItem,
    ContactStage,
    ContactType,
    CustomField,
    CustomValue,
    Note,
    Tag,
    TaggedContact,
    Visibility,
    WebForm,
    new_key,
)
from contacts.selectors import companies_named, contact_can_delete, contact_can_edit, contact_list, contact_rights
from projects.models import Project
from projects.selectors import project_can_add_contacts

User = get_user_model()
NestedMode = Literal["replace", "merge"]

# Fields of Contact a caller may set directly.
CONTACT_FIELDS = frozenset(
    {
        "is_company",
        "salutation",
        "first_name",
        "middle_name",
        "last_name",
        "name",
        "company",
        "job_title",
        "department",
        "background",
        "industry",
        "birthday",
        "contact_type",
        "stage",
        "currency",
        "priority",
        "avatar",
        "assigned_to",
        "visibility",
        "created_at",
    }
)
ITEM_FIELDS = ("kind", "tel_type", "context", "service", "value", "is_primary", "position")
ADDRESS_FIELDS = (
    "street1",
    "street2",
    "city",
    "region",
    "postcode",
    "country",
    "context",
    "is_primary",
    "position",
)
MAX_TAG_LENGTH = 100


class ErrorBag:
    """Collects field errors so a write reports every problem at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, messages: Iterable[str]) -> None:
        self.errors.setdefault(key, []).extend(messages)

    def add_exc(self, prefix: str, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errs in exc.message_dict.items():
                key = prefix if field == "__all__" else (f"{prefix}.{field}" if prefix else field)
                self.add(key or "__all__", errs)
        else:
            self.add(prefix or "__all__", exc.messages)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


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
    signed in and allowed to add contacts to every project given.
    """
    projects = list(projects or [])
    author = user if user is not None and user.is_authenticated else None
    if check_permissions:
        if author is None:
            raise PermissionDenied("Sign in to create contacts.")
        for project in projects:
            if not project_can_add_contacts(user=author, project=project):
                raise PermissionDenied(f"You may not add contacts to {project}.")
    contact = Contact(author=author)
    with transaction.atomic():
        _write(
            contact=contact,
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
        )
    return contact


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
) -> Contact:
    """Change a contact; only what is given changes.

    Nested lists given in "replace" mode replace the stored ones; in "merge"
    mode an entry with an `id` updates that row, one without is added, and rows
    not mentioned stay. Custom values are always merged (an empty value clears
    one). Tags and projects given replace the stored ones.
    """
    if check_permissions and (user is None or not contact_can_edit(user=user, contact=contact)):
        raise PermissionDenied("You may not edit this contact.")
    if check_permissions and projects is not None:
        current = set(contact.projects.values_list("pk", flat=True))
        for project in projects:
            if project.pk not in current and not project_can_add_contacts(user=user, project=project):
                raise PermissionDenied(f"You may not add contacts to {project}.")
    with transaction.atomic():
        _write(
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
        )
    return contact


def contact_delete(*, contact: Contact, user: AbstractBaseUser | AnonymousUser | None) -> None:
    if user is None or not contact_can_delete(user=user, contact=contact):
        raise PermissionDenied("You may not delete this contact.")
    contact.delete()


def _write(
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
) -> None:
    """Validate everything, then write everything. Runs inside a transaction."""
    bag = ErrorBag()
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise ValueError(f"Not contact fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(contact, name, "" if value is None and _is_text_field(name) else value)
    if contact.visibility not in Visibility.values:
        bag.add("visibility", [f"Visibility must be one of {', '.join(Visibility.values)}."])
    try:
        # clean() checks the company link with a clearer message than limit_choices_to.
        contact.full_clean(exclude=["display_name", "visibility", "company"])
    except ValidationError as exc:
        bag.add_exc("", exc)

    new_items, kept_items, items_to_delete = _prepare_nested(
        contact=contact,
        model=ContactItem,
        allowed=ITEM_FIELDS,
        entries=items,
        mode=items_mode,
        prefix="items",
        bag=bag,
        creating=creating,
    )
    new_addresses, kept_addresses, addresses_to_delete = _prepare_nested(
        contact=contact,
        model=Address,
        allowed=ADDRESS_FIELDS,
        entries=addresses,
        mode=addresses_mode,
        prefix="addresses",
        bag=bag,
        creating=creating,
    )
    values = _prepare_custom_values(contact=contact, raw=custom_values, bag=bag, creating=creating)
    tag_names = None if tags is None else _clean_tags(tags, bag)
    bag.raise_if_any()

    contact.save()
    if items is not None:
        _save_nested(contact, ContactItem, new_items, kept_items, items_to_delete)
    if addresses is not None:
        _save_nested(contact, Address, new_addresses, kept_addresses, addresses_to_delete)
    for field, stored in values:
        if stored == "":
            CustomValue.objects.filter(contact=contact, field=field).delete()
        else:
            CustomValue.objects.update_or_create(contact=contact, field=field, defaults={"value": stored})
    if tag_names is not None:
        contact.tags.set(tag_names)
    if projects is not None:
        contact.projects.set(projects)
    if access_list is not None:
        contact.access_list.set(list(access_list))


def _is_text_field(name: str) -> bool:
    field = Contact._meta.get_field(name)
    return field.get_internal_type() in ("CharField", "TextField")


def _prepare_nested(
    *,
    contact: Contact,
    model: type[ContactItem] | type[Address],
    allowed: tuple[str, ...],
    entries: Sequence[Mapping[str, Any]] | None,
    mode: NestedMode,
    prefix: str,
    bag: ErrorBag,
    creating: bool,
) -> tuple[list[Any], list[Any], list[int]]:
    """Build (rows to insert, rows to update, ids to delete) for items or addresses."""
    if entries is None:
        return [], [], []
    existing = {} if creating else {row.pk: row for row in model.objects.filter(contact_id=contact.pk)}
    new_rows: list[Any] = []
    updated: list[Any] = []
    mentioned: set[int] = set()
    for index, entry in enumerate(entries):
        key = f"{prefix}[{index}]"
        unknown = set(entry) - set(allowed) - {"id"}
        if unknown:
            bag.add(key, [f"Unknown fields: {', '.join(sorted(unknown))}."])
            continue
        row_id = entry.get("id")
        if row_id not in (None, ""):
            row = existing.get(_as_int(row_id))
            if row is None:
                bag.add(f"{key}.id", [f"No {model._meta.verbose_name} with id {row_id} on this contact."])
                continue
            mentioned.add(row.pk)
            target = updated
        else:
            row = model(contact=contact, position=len(existing) + index if mode == "merge" else index)
            target = new_rows
        for name in allowed:
            if name in entry:
                value = entry[name]
                setattr(row, name, "" if value is None and name not in ("is_primary", "position") else value)
        try:
            row.full_clean(exclude=["contact"])
        except ValidationError as exc:
            bag.add_exc(key, exc)
            continue
        target.append(row)
    to_delete = [pk for pk in existing if pk not in mentioned] if mode == "replace" else []
    return new_rows, updated, to_delete


def _save_nested(
    contact: Contact,
    model: type[ContactItem] | type[Address],
    new_rows: list[Any],
    updated: list[Any],
    to_delete: list[int],
) -> None:
    if to_delete:
        model.objects.filter(contact=contact, pk__in=to_delete).delete()
    for row in updated:
        row.save()
    for row in new_rows:
        row.contact = contact
        row.save()


def _prepare_custom_values(
    *, contact: Contact, raw: Mapping[int | str, Any] | None, bag: ErrorBag, creating: bool
) -> list[tuple[CustomField, str]]:
    """Validate custom values (keyed by field id) and fill defaults and required checks on create."""
    raw = dict(raw or {})
    fields = {f.pk: f for f in CustomField.objects.all()}
    result: list[tuple[CustomField, str]] = []
    given: set[int] = set()
    for key, value in raw.items():
        field_id = _as_int(key)
        field = fields.get(field_id) if field_id is not None else None
        label = f"custom_fields[{key}]"
        if field is None:
            bag.add(label, [f"There is no custom field with id {key}."])
            continue
        if not field.applies_to_contact(contact):
            bag.add(label, [f"{field.name} does not apply to {'companies' if contact.is_company else 'persons'}."])
            continue
        given.add(field.pk)
        try:
            stored = field.to_storage(value)
        except ValidationError as exc:
            bag.add(label, exc.messages)
            continue
        if stored == "" and field.is_required:
            bag.add(label, [f"{field.name} cannot be blank."])
            continue
        result.append((field, stored))
    if creating:
        for field in fields.values():
            if field.pk in given or not field.applies_to_contact(contact):
                continue
            if field.default:
                result.append((field, field.to_storage(field.default)))
            elif field.is_required and field.field_format != CustomField.Format.HEADING:
                bag.add(f"custom_fields[{field.pk}]", [f"{field.name} cannot be blank."])
    return result


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


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def split_tag_list(text: str) -> list[str]:
    """Tags from a comma-separated string, as Redmine's tag_list sends them."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


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
    contact.projects.add(project)


@transaction.atomic
def contact_unlink_project(
    *, contact: Contact, project: Project, user: AbstractBaseUser, keep_one: bool = False
) -> None:
    """Take a contact out of a project; with `keep_one`, never out of its last one (Redmine's rule)."""
    if not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not change this contact's projects.")
    if keep_one and not contact.projects.exclude(pk=project.pk).exists():
        raise PermissionDenied("A contact must stay in at least one project.")
    contact.projects.remove(project)


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


def apikey_get_or_create(*, user: AbstractBaseUser) -> ApiKey:
    api_key, _ = ApiKey.objects.get_or_create(user=user)
    return api_key


def apikey_reset(*, user: AbstractBaseUser) -> ApiKey:
    api_key, created = ApiKey.objects.get_or_create(user=user)
    if not created:
        api_key.key = new_key()
        api_key.created_at = timezone.now()
        api_key.save(update_fields=["key", "created_at"])
    return api_key


# A key's last use is recorded at most this often, so each request is not a write.
APIKEY_TOUCH_INTERVAL = timedelta(minutes=1)


def apikey_mark_used(*, api_key: ApiKey) -> None:
    """Record that the key was just used (at most once a minute)."""
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < APIKEY_TOUCH_INTERVAL:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def webform_create(
    *, project: Project, name: str, created_by: AbstractBaseUser | None = None, **fields: Any
) -> WebForm:
    form = WebForm(project=project, name=name, created_by=created_by, **fields)
    form.full_clean()
    form.save()
    return form


def webform_reset_key(*, webform: WebForm) -> WebForm:
    webform.key = new_key()
    webform.save(update_fields=["key"])
    return webform


def _require_rights(
    *, user: AbstractBaseUser | AnonymousUser | None, contacts: list[Contact], right: str, verb: str
) -> None:
    """Refuse the whole batch when the user lacks `right` ("can_edit"/"can_delete") on one contact."""
    rights = contact_rights(user=user or AnonymousUser(), contacts=contacts)
    refused = [c for c in contacts if not getattr(rights[c.pk], right)]
    if refused:
        raise PermissionDenied(f"You may not {verb} {refused[0]}.")


@transaction.atomic
def contact_delete_many(*, contacts: Iterable[Contact], user: AbstractBaseUser | AnonymousUser | None) -> list[Contact]:
    """Delete several contacts: all of them, or none when the user may not delete one."""
    contacts = list(contacts)
    _require_rights(user=user, contacts=contacts, right="can_delete", verb="delete")
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    return contacts


def _require_perm(user: AbstractBaseUser | AnonymousUser | None, perm: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied("Only administrators may change this.")


def custom_field_create(*, user: AbstractBaseUser | AnonymousUser | None, fields: Mapping[str, Any]) -> CustomField:
    _require_perm(user, "contacts.add_customfield")
    field = CustomField(**fields)
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def custom_field_update(
    *, field: CustomField, user: AbstractBaseUser | AnonymousUser | None, fields: Mapping[str, Any]
) -> CustomField:
    """Change a custom field. Its format cannot change once contacts have values for it,
    since those values were validated by the old format."""
    _require_perm(user, "contacts.change_customfield")
    if "field_format" in fields and fields["field_format"] != field.field_format and field.values.exists():
        raise ValidationError({"field_format": "The format cannot change once contacts have values for the field."})
    for name, value in fields.items():
        setattr(field, name, value)
    field.full_clean()
    field.save()
    return field


def custom_field_delete(*, field: CustomField, user: AbstractBaseUser | AnonymousUser | None) -> None:
    _require_perm(user, "contacts.delete_customfield")
    field.delete()


def choice_create(
    *,
    model: type[ContactType] | type[ContactStage],
    user: AbstractBaseUser | AnonymousUser | None,
    fields: Mapping[str, Any],
) -> ContactType | ContactStage:
    """Create a choice of an administrator-kept list: a contact type or a contact stage (a type
    without a code gets one made from its name)."""
    _require_perm(user, f"contacts.add_{model._meta.model_name}")
    item = model(**fields)
    if isinstance(item, ContactType) and not item.code:
        item.code = _unique_code(item.name)
    item.full_clean()
    item.save()
    return item


def choice_update(
    *, item: ContactType | ContactStage, user: AbstractBaseUser | AnonymousUser | None, fields: Mapping[str, Any]
) -> ContactType | ContactStage:
    _require_perm(user, f"contacts.change_{item._meta.model_name}")
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


def choice_delete(*, item: ContactType | ContactStage, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Delete a contact type or stage; contacts that had it keep everything else."""
    _require_perm(user, f"contacts.delete_{item._meta.model_name}")
    item.delete()


def _unique_code(name: str) -> str:
    base = (slugify(name) or "type")[:24]
    code, n = base, 1
    while ContactType.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


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
    project.contacts.add(*contacts)
    return len(contacts)


@transaction.atomic
def contact_unlink_project_many(*, contacts: Iterable[Contact], project: Project, user: AbstractBaseUser) -> None:
    for contact in contacts:
        contact_unlink_project(contact=contact, project=project, user=user)


@transaction.atomic
def contact_update_many(*, contacts: Iterable[Contact], user: AbstractBaseUser, **changes: Any) -> None:
    """The same `contact_update` on several contacts: all of them, or none when one is refused."""
    for contact in contacts:
        contact_update(contact=contact, user=user, **changes)


@transaction.atomic
def contact_delete_nested(
    *,
    contact: Contact,
    user: AbstractBaseUser | AnonymousUser | None,
    item_ids: Iterable[int] = (),
    address_ids: Iterable[int] = (),
) -> None:
    """Delete some of a contact's items and addresses, by id (ids of other contacts are ignored)."""
    if user is None or not contact_can_edit(user=user, contact=contact):
        raise PermissionDenied("You may not edit this contact.")
    ContactItem.objects.filter(contact=contact, pk__in=list(item_ids)).delete()
    Address.objects.filter(contact=contact, pk__in=list(address_ids)).delete()
    contact.save(update_fields=["updated_at"])


@transaction.atomic
def contact_merge(*, source: Contact, target: Contact, user: AbstractBaseUser | AnonymousUser | None) -> Contact:
    """Fold `source` into `target` (two persons or two companies) and delete `source`.

    Items move unless the target has one of the same kind and value; addresses, notes, tags and
    projects move; custom values move where the target has none (the target's win); a company's
    people move to the target. The user must be allowed to edit the target and delete the source.
    """
    if source.is_company != target.is_company:
        raise ValidationError("A person and a company cannot be merged.")
    if source.pk == target.pk:
        raise ValidationError("A contact cannot be merged into itself.")
    if (
        user is None
        or not contact_can_edit(user=user, contact=target)
        or not contact_can_delete(user=user, contact=source)
    ):
        raise PermissionDenied(f"You may not merge these {'companies' if target.is_company else 'persons'}.")
    if source.is_company:
        Contact.objects.filter(company=source).update(company=target)
    known = set(target.items.values_list("kind", "value"))
    moving = [item.pk for item in source.items.all() if (item.kind, item.value) not in known]
    ContactItem.objects.filter(pk__in=moving).update(contact=target, is_primary=False)
    source.addresses.update(contact=target, is_primary=False)
    source.notes.update(contact=target)
    taken = target.custom_values.values("field_id")
    source.custom_values.exclude(field_id__in=taken).update(contact=target)
    target.tags.add(*source.tags.all())
    target.projects.add(*source.projects.all())
    source.delete()
    target.save()
    return target


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


@transaction.atomic
def contact_remove_tags_many(*, contacts: Iterable[Contact], user: AbstractBaseUser, tags: Iterable[str]) -> int:
    """Untag several contacts: all of them, or none when one may not be edited. Returns how many."""
    contacts = list(contacts)
    _require_rights(user=user, contacts=contacts, right="can_edit", verb="edit")
    names = [t for t in tags if t]
    for contact in contacts:
        contact.tags.remove(*names)
    return len(contacts)


@transaction.atomic
def custom_field_reorder(
    *, user: AbstractBaseUser | AnonymousUser | None, fields: Sequence[CustomField]
) -> list[CustomField]:
    """Number the given fields' positions 0, 1, 2... in the order given (administrators)."""
    _require_perm(user, "contacts.change_customfield")
    fields = list(fields)
    for position, field in enumerate(fields):
        field.position = position
    CustomField.objects.bulk_update(fields, ["position"])
    return fields


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
    if old and old != contact.avatar.name:
        transaction.on_commit(lambda: storage.delete(old))
    return contact
